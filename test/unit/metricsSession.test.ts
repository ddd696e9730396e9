// The loss panel's session (vscode-free) against a trainer that drops the stream mid-run and
// replays events the client already has: the metrics table and the log must end up with every
// step and message exactly once, and the panel must be sent each point exactly once.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { TrainerClient } from '../../src/core/trainer/client';
import { JobEvent } from '../../src/core/trainer/protocol';
import { JobSession } from '../../src/extension/training/session';
import { jobClock } from '../../webview/loss/clock';
import type { ConnectionState, JobView } from '../../webview/loss/messages';
import { FAKE_JOB_ID, fakeJob, messageEvent, metricsEvent, startFakeTrainer } from '../fixtures/trainer/fakeTrainer';

const JOB_ID = 'ftjob-test';
const STEPS = 30;

function jobJson(status: string) {
  return {
    id: JOB_ID,
    object: 'fine_tuning.job',
    model: 'tiny',
    created_at: 1_700_000_000,
    finished_at: status === 'succeeded' ? 1_700_000_040 : null,
    status,
    training_file: 'file-1',
    validation_file: null,
    method: { type: 'dpo', dpo: { hyperparameters: { max_steps: STEPS } } },
    error: null,
    result_files: [],
    trained_tokens: null,
    seed: 0,
    estimated_finish: null,
    metadata: null,
    backend: 'tiny',
    progress: null,
  };
}

function makeEvents(): JobEvent[] {
  const events: JobEvent[] = [];
  const add = (e: Omit<JobEvent, 'id' | 'object'>) => events.push({ id: `ev-${String(events.length + 1).padStart(3, '0')}`, object: 'fine_tuning.job.event', ...e });
  add({ created_at: 1_700_000_000, level: 'info', message: 'job started', type: 'message', data: null });
  for (let step = 1; step <= STEPS; step++) {
    add({
      created_at: 1_700_000_000 + step,
      level: 'info',
      message: `step ${step}`,
      type: 'metrics',
      data: { step, max_steps: STEPS, loss: Math.LN2 * Math.exp(-step / 10), 'rewards/margins': step / 10, learning_rate: 1e-4 },
    });
    if (step === 15) add({ created_at: 1_700_000_015, level: 'warn', message: 'halfway', type: 'message', data: null });
  }
  add({ created_at: 1_700_000_040, level: 'info', message: 'job succeeded', type: 'message', data: null });
  return events;
}

/** A trainer that cuts the first stream after 12 events and, on resume, resends 3 it already sent. */
async function misbehavingTrainer(events: JobEvent[]) {
  let connections = 0;
  const lastEventIds: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === `/v1/fine_tuning/jobs/${JOB_ID}`) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jobJson(connections < 2 ? 'running' : 'succeeded')));
      return;
    }
    if (url.pathname === `/v1/fine_tuning/jobs/${JOB_ID}/events/stream`) {
      connections++;
      const last = req.headers['last-event-id'] as string | undefined;
      lastEventIds.push(last);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const after = last ? events.findIndex((e) => e.id === last) + 1 : 0;
      const from = connections === 1 ? 0 : Math.max(0, after - 3);
      const send = (e: JobEvent) => res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      if (connections === 1) {
        events.slice(0, 12).forEach(send);
        // Let the client read what was sent, then drop the connection mid-run.
        setTimeout(() => res.destroy(), 50);
        return;
      }
      events.slice(from).forEach(send);
      res.write(`event: done\ndata: ${JSON.stringify(jobJson('succeeded'))}\n\n`);
      res.end();
      return;
    }
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, lastEventIds, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a cut stream resumes from the last event id: every step and message once, points sent once', async () => {
  const events = makeEvents();
  const trainer = await misbehavingTrainer(events);
  try {
    const session = new JobSession({
      client: new TrainerClient({ baseUrl: trainer.url }),
      trainerName: 'fake',
      jobId: JOB_ID,
      initialBackoffMs: 10,
      maxBackoffMs: 20,
    });
    const sentSteps: number[] = [];
    const states: ConnectionState[] = [];
    let lastJob: JobView | undefined;
    session.setListener({
      job: (j) => (lastJob = j),
      points: (ps) => sentSteps.push(...ps.map((p) => p.step)),
      log: () => {},
      connection: (s) => states.push(s),
    });
    await session.start();

    const all = Array.from({ length: STEPS }, (_, i) => i + 1);
    assert.deepEqual(session.table.steps(), all);
    assert.deepEqual(sentSteps, all, 'each point went to the panel exactly once');
    assert.deepEqual(
      session.logs.map((l) => l.message),
      ['job started', 'halfway', 'job succeeded'],
    );
    assert.equal(session.lastEventId, events[events.length - 1].id);
    // The resume asked for what came after the 12th event.
    assert.deepEqual(trainer.lastEventIds, [undefined, events[11].id]);
    assert.deepEqual(states, ['connecting', 'live', 'reconnecting', 'live', 'ended']);
    assert.equal(lastJob?.status, 'succeeded');
    assert.equal(lastJob?.maxSteps, STEPS);
    assert.equal(lastJob?.host, new URL(trainer.url).host);
    // The times are the trainer's: a replay never moves them.
    assert.equal(session.table.points()[0].time, 1_700_000_001);
  } finally {
    await trainer.close();
  }
});

test('a trainer that refuses the token ends the session as failed with the reason', async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'Invalid bearer token', type: 'invalid_request_error', code: 'invalid_token', param: null } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const problems: string[] = [];
    const session = new JobSession({
      client: new TrainerClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'wrong' }),
      trainerName: 'x',
      jobId: JOB_ID,
      onProblem: (m) => problems.push(m),
    });
    await session.start();
    assert.equal(session.connection, 'failed');
    assert.match(session.connectionDetail ?? '', /rejected the token/);
    assert.equal(problems.length, 1);
    assert.equal(session.table.size, 0);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

describe('job start and the panel clock', () => {
  const T0 = 1_800_000_000;

  test('the view carries started_at, or the time of the event announcing running when the job lacks it', async () => {
    const events = [
      messageEvent(1, T0 + 2, 'Fine-tuning job queued', { status: 'queued' }),
      messageEvent(2, T0 + 30, 'Fine-tuning job started (backend tiny)', { status: 'running' }),
      metricsEvent(3, T0 + 40, 1, 2),
      metricsEvent(4, T0 + 50, 2, 2),
    ];
    for (const [startedAt, expected] of [
      [null, T0 + 30],
      [T0 + 29, T0 + 29],
    ] as const) {
      const trainer = await startFakeTrainer({
        job: () => fakeJob('queued', { created_at: T0, started_at: startedAt }, 2),
        events,
        final: fakeJob('succeeded', { created_at: T0, started_at: startedAt, finished_at: T0 + 51 }, 2),
      });
      try {
        const session = new JobSession({ client: new TrainerClient({ baseUrl: trainer.url }), trainerName: 'fake', jobId: FAKE_JOB_ID });
        const views: JobView[] = [];
        session.setListener({ job: (j) => views.push(j), points: () => {}, log: () => {}, connection: () => {} });
        await session.start();
        assert.equal(session.jobView?.startedAt, expected);
        assert.equal(session.jobView?.createdAt, T0);
        const clock = jobClock(session.jobView!, T0 + 1000);
        assert.deepEqual(clock, { queued: expected - T0, elapsed: T0 + 51 - expected });
      } finally {
        await trainer.close();
      }
    }
  });

  test('jobClock: queued time apart from training time, for every stage of a job', () => {
    const base: JobView = { id: 'j', trainerName: 't', trainerUrl: 'http://h', host: 'h', model: 'm', status: 'queued', createdAt: 1000 };
    // Waiting: only the queue clock runs.
    assert.deepEqual(jobClock({ ...base, status: 'validating_files' }, 1007), { queued: 7 });
    assert.deepEqual(jobClock(base, 1090), { queued: 90 });
    // Running after 90 s in the queue: training time counts from the start.
    assert.deepEqual(jobClock({ ...base, status: 'running', startedAt: 1090 }, 1150), { queued: 90, elapsed: 60 });
    // Finished: both clocks stop.
    assert.deepEqual(jobClock({ ...base, status: 'succeeded', startedAt: 1090, finishedAt: 1200 }, 5000), { queued: 90, elapsed: 110 });
    // Cancelled in the queue: it waited, it never trained.
    assert.deepEqual(jobClock({ ...base, status: 'cancelled', finishedAt: 1040 }, 5000), { queued: 40 });
    // A trainer that does not say when the job started: counted from its creation, no queue time.
    assert.deepEqual(jobClock({ ...base, status: 'running' }, 1030), { elapsed: 30 });
    // A trainer clock ahead of ours never shows negative times.
    assert.deepEqual(jobClock({ ...base, status: 'running', startedAt: 1090 }, 1080), { queued: 90, elapsed: 0 });
  });
});
