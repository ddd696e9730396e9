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
import { connectionText } from '../../webview/loss/connection';
import type { ConnectionState, ConnectionView, JobView } from '../../webview/loss/messages';
import { FAKE_JOB_ID, fakeJob, messageEvent, metricsEvent, startFakeTrainer } from '../fixtures/trainer/fakeTrainer';

const JOB_ID = 'ftjob-test';
const STEPS = 30;

function jobJson(status: 'running' | 'succeeded') {
  return fakeJob(status, { created_at: 1_700_000_000, finished_at: status === 'succeeded' ? 1_700_000_040 : null }, STEPS, JOB_ID);
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
      connection: (c) => states.push(c.state),
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

// ---------------------------------------------------------------------------------------------
// Reconnecting the whole session: the first fetch of the job as much as the event stream.

type Answer = 'ok' | 'down' | 'garbled' | 401 | 404 | 503;

/**
 * A trainer that serves `events` for JOB_ID, answering each request as `plan` says: 'down'
 * destroys the socket (a trainer restarting), 'garbled' (streams only) sends the events after the
 * resume point up to `garbleAfter` and then a line that is not JSON. 401 unless the token is right.
 */
async function scriptedTrainer(events: JobEvent[], plan: (n: number, kind: 'job' | 'stream') => Answer, garbleAfter = 12) {
  let requests = 0;
  const lastEventIds: (string | undefined)[] = [];
  const server = http.createServer((req, res): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const kind = url.pathname.endsWith('/events/stream') ? 'stream' : 'job';
    const answer = plan(++requests, kind);
    if (answer === 'down') {
      req.socket.destroy();
      return;
    }
    if (req.headers.authorization !== 'Bearer right' || answer === 401) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Invalid bearer token', type: 'invalid_request_error', code: 'invalid_token', param: null } }));
      return;
    }
    if (typeof answer === 'number') {
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: answer === 404 ? `No fine-tuning job with id "${JOB_ID}"` : 'busy', type: 'x', code: null, param: null } }));
      return;
    }
    if (kind === 'job') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jobJson('running')));
      return;
    }
    const last = req.headers['last-event-id'] as string | undefined;
    lastEventIds.push(last);
    const from = last ? events.findIndex((e) => e.id === last) + 1 : 0;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (e: JobEvent) => res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    if (answer === 'garbled') {
      events.slice(from, garbleAfter).forEach(send);
      res.end('event: metrics\ndata: {"step": oops\n\n');
      return;
    }
    events.slice(from).forEach(send);
    res.end(`event: done\ndata: ${JSON.stringify(jobJson('succeeded'))}\n\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lastEventIds,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function watch(session: JobSession) {
  const connections: ConnectionView[] = [];
  const sentSteps: number[] = [];
  const problems: string[] = [];
  session.setListener({ job: () => {}, points: (ps) => sentSteps.push(...ps.map((p) => p.step)), log: () => {}, connection: (c) => connections.push(c) });
  return { connections, sentSteps, problems };
}

const ALL_STEPS = Array.from({ length: STEPS }, (_, i) => i + 1);

describe('the session reconnects as a whole', () => {
  test('the first fetch fails while the trainer restarts: attempts with backoff, then every step once', async () => {
    const events = makeEvents();
    const trainer = await scriptedTrainer(events, (n) => (n <= 3 ? 'down' : 'ok'));
    try {
      const problems: string[] = [];
      const session = new JobSession({
        client: new TrainerClient({ baseUrl: trainer.url, token: 'right' }),
        trainerName: 'fake',
        jobId: JOB_ID,
        initialBackoffMs: 10,
        maxBackoffMs: 25,
        onProblem: (m) => problems.push(m),
      });
      const seen = watch(session);
      const before = Date.now();
      await session.start();
      const reconnecting = seen.connections.filter((c) => c.state === 'reconnecting');
      assert.deepEqual(
        reconnecting.map((c) => c.attempt),
        [1, 2, 3],
      );
      for (const c of reconnecting) {
        assert.match(c.detail ?? '', /cannot reach the trainer/);
        assert.ok(c.retryAt! >= before && c.retryAt! < Date.now() + 1000, 'retryAt is when the next try starts');
      }
      assert.match(problems[0], /reconnecting \(attempt 1, next try in 1 s\): cannot reach the trainer/);
      assert.deepEqual(
        seen.connections.map((c) => c.state),
        ['connecting', 'reconnecting', 'reconnecting', 'reconnecting', 'live', 'ended'],
      );
      assert.deepEqual(session.table.steps(), ALL_STEPS);
      assert.deepEqual(seen.sentSteps, ALL_STEPS);
      assert.equal(session.jobView?.status, 'succeeded');
    } finally {
      await trainer.close();
    }
  });

  test('an error the stream does not retry (a garbled event) mid-run: the session resumes after the last event, nothing lost or doubled', async () => {
    const events = makeEvents();
    // Stream 1 garbles after 12 events; then the trainer is down for the next two job fetches
    // (the session's next attempt, and maybe a status refresh the 'job started' event asked for).
    let streams = 0;
    let downFetches = 0;
    const trainer = await scriptedTrainer(events, (_n, kind) => {
      if (kind === 'stream') return ++streams === 1 ? 'garbled' : 'ok';
      return streams === 1 && downFetches++ < 2 ? 'down' : 'ok';
    });
    try {
      const session = new JobSession({ client: new TrainerClient({ baseUrl: trainer.url, token: 'right' }), trainerName: 'fake', jobId: JOB_ID, initialBackoffMs: 10, maxBackoffMs: 25 });
      const seen = watch(session);
      await session.start();
      assert.deepEqual(trainer.lastEventIds, [undefined, events[11].id], 'the second stream resumed after the 12th event');
      assert.deepEqual(session.table.steps(), ALL_STEPS);
      assert.deepEqual(seen.sentSteps, ALL_STEPS, 'each point went to the panel exactly once');
      assert.deepEqual(
        session.logs.map((l) => l.message),
        ['job started', 'halfway', 'job succeeded'],
      );
      const reconnecting = seen.connections.filter((c) => c.state === 'reconnecting');
      assert.match(reconnecting[0].detail ?? '', /does not understand/);
      // The garbled attempt had made progress (12 events): counting starts at 1 and goes up by
      // one per attempt that finds the trainer down.
      const attempts = reconnecting.map((c) => c.attempt);
      assert.ok(attempts.length >= 2, JSON.stringify(attempts));
      assert.deepEqual(
        attempts,
        attempts.map((_, i) => i + 1),
      );
      assert.equal(session.connection, 'ended');
    } finally {
      await trainer.close();
    }
  });

  test('404: the job is not on this trainer; no retry', async () => {
    const trainer = await scriptedTrainer(makeEvents(), () => 404);
    try {
      const session = new JobSession({ client: new TrainerClient({ baseUrl: trainer.url, token: 'right' }), trainerName: 'fake', jobId: JOB_ID, initialBackoffMs: 10 });
      const seen = watch(session);
      await session.start();
      assert.equal(session.connection, 'failed');
      assert.match(session.connectionDetail ?? '', new RegExp(`Job ${JOB_ID} was not found on the trainer at 127\\.0\\.0\\.1:\\d+ \\(HTTP 404\\)`));
      assert.equal(trainer.requests(), 1);
      assert.ok(!seen.connections.some((c) => c.state === 'reconnecting'));
    } finally {
      await trainer.close();
    }
  });

  test('401: a message about the token, no retry; Retry with the token set since follows the job', async () => {
    const trainer = await scriptedTrainer(makeEvents(), () => 'ok');
    try {
      const session = new JobSession({ client: new TrainerClient({ baseUrl: trainer.url, token: 'wrong' }), trainerName: 'fake', jobId: JOB_ID, initialBackoffMs: 10 });
      const seen = watch(session);
      await session.start();
      assert.equal(session.connection, 'failed');
      assert.match(session.connectionDetail ?? '', /rejected the token \(HTTP 401: Invalid bearer token\).*Set Trainer Token.*Retry/);
      assert.equal(trainer.requests(), 1);
      session.retryNow(new TrainerClient({ baseUrl: trainer.url, token: 'right' }));
      await session.start();
      assert.equal(session.connection, 'ended');
      assert.deepEqual(seen.sentSteps, ALL_STEPS);
    } finally {
      await trainer.close();
    }
  });

  test('closing the panel during the wait ends the session at once, with no further request', async () => {
    const trainer = await scriptedTrainer(makeEvents(), () => 'down');
    try {
      const session = new JobSession({ client: new TrainerClient({ baseUrl: trainer.url }), trainerName: 'fake', jobId: JOB_ID, initialBackoffMs: 60_000, maxBackoffMs: 60_000 });
      const states: string[] = [];
      let waiting!: () => void;
      const reconnecting = new Promise<void>((r) => (waiting = r));
      session.setListener({ job: () => {}, points: () => {}, log: () => {}, connection: (c) => {
          states.push(c.state);
          if (c.state === 'reconnecting') waiting();
        },
      });
      const done = session.start();
      await reconnecting;
      const t = Date.now();
      session.stop();
      await done;
      assert.ok(Date.now() - t < 1000, 'stop ends the wait');
      assert.equal(trainer.requests(), 1);
      assert.deepEqual(states, ['connecting', 'reconnecting']);
    } finally {
      await trainer.close();
    }
  });

  test('Retry Now skips the rest of a long wait', async () => {
    const trainer = await scriptedTrainer(makeEvents(), (n) => (n === 1 ? 'down' : 'ok'));
    try {
      const session = new JobSession({ client: new TrainerClient({ baseUrl: trainer.url, token: 'right' }), trainerName: 'fake', jobId: JOB_ID, initialBackoffMs: 60_000, maxBackoffMs: 60_000 });
      let waiting!: () => void;
      const reconnecting = new Promise<void>((r) => (waiting = r));
      session.setListener({ job: () => {}, points: () => {}, log: () => {}, connection: (c) => {
          if (c.state === 'reconnecting') waiting();
        },
      });
      const done = session.start();
      await reconnecting;
      const t = Date.now();
      session.retryNow();
      await done;
      assert.ok(Date.now() - t < 5000);
      assert.equal(session.connection, 'ended');
      assert.equal(session.table.size, STEPS);
    } finally {
      await trainer.close();
    }
  });

  test("the panel's words: attempt and a countdown to the next try", () => {
    const now = 1_000_000;
    assert.equal(
      connectionText({ state: 'reconnecting', attempt: 3, retryAt: now + 3400, detail: 'cannot reach the trainer' }, now),
      'Reconnecting (attempt 3, next try in 4 s) — cannot reach the trainer',
    );
    assert.equal(connectionText({ state: 'reconnecting', retryAt: now - 10 }, now), 'Reconnecting (trying now)');
    assert.equal(connectionText({ state: 'reconnecting' }, now), 'Reconnecting…');
    assert.equal(connectionText({ state: 'failed', detail: 'Job x was not found' }, now), 'Disconnected — Job x was not found');
    assert.equal(connectionText({ state: 'live' }, now), 'Live');
  });
});
