/**
 * Evaluation on a validation set, end to end: the server checks `validation_file` like the
 * training file and hands it to the backend; the tiny backend (real PyTorch DPO on CPU) reports
 * `eval_` metrics with TRL's names; the CLI uploads it (`--validation`) and prints them; the loss
 * panel's session and chart layout pick them up from the server's own events.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { TrainerClient } from '../../src/core/trainer/client';
import { FineTuningJob, isMetricsEvent, JobEvent, MetricsData } from '../../src/core/trainer/protocol';
import { JobSession } from '../../src/extension/training/session';
import { chartsFor } from '../../webview/loss/charts';
import { fakeJob, metricsEvent, startFakeTrainer } from '../fixtures/trainer/fakeTrainer';
import { captureIO, PAIRS, startServer, tempDir, VALIDATION } from '../fixtures/trainer/harness';

/** TRL's names of what an evaluation of DPO reports. */
const EVAL_NAMES = [
  'eval_loss',
  'eval_rewards/chosen',
  'eval_rewards/rejected',
  'eval_rewards/accuracies',
  'eval_rewards/margins',
  'eval_logps/chosen',
  'eval_logps/rejected',
];

const waitForEnd = (client: TrainerClient, id: string): Promise<FineTuningJob> => client.followJob(id, { onEvent: () => {} });

/** A copy of a fixture with some lines replaced (1-based line numbers). */
function broken(source: string, replace: Record<number, string>, name: string): string {
  const lines = fs.readFileSync(source, 'utf8').trim().split('\n');
  for (const [n, text] of Object.entries(replace)) lines[Number(n) - 1] = text;
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('validation_file on the trainer server', () => {
  test('an invalid validation file fails the job with a per-line report naming it, and nothing is trained', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const training = await client.uploadFile(PAIRS);
      const badPath = broken(VALIDATION, { 2: '{"prompt": "cut off", "chosen": "x"', 4: '{"prompt": "no rejected", "chosen": "a fine answer"}' }, 'held-out.jsonl');
      const bad = await client.uploadFile(badPath);
      const job = await client.createJob({ training_file: training.id, validation_file: bad.id });
      assert.equal(job.validation_file, bad.id);
      const final = await waitForEnd(client, job.id);
      assert.equal(final.status, 'failed');
      assert.equal(final.error?.code, 'invalid_validation_file');
      assert.equal(final.error?.param, 'validation_file');
      const message = final.error!.message;
      assert.match(message, new RegExp(`^The validation file ${bad.id} \\(held-out\\.jsonl\\) has 2 problems .*; nothing was trained\\.$`, 'm'));
      assert.match(message, /^line 2: .*json-syntax/m);
      assert.match(message, /^line 4: .*"rejected"/m);
      assert.doesNotMatch(message, /training file/, 'the training file was fine');

      const events = (await client.listEvents(job.id, { limit: 1000 })).data;
      assert.match(events[1].message, new RegExp(`^Validating training file: ${training.id}, validation file: ${bad.id}$`));
      assert.equal(events.filter(isMetricsEvent).length, 0);
      assert.ok(!events.some((e) => /started/.test(e.message)));
      const last = events.at(-1)!;
      assert.deepEqual(
        (last.data as { errors: { line: number; file: string }[] }).errors.map((e) => [e.line, e.file]),
        [
          [2, 'validation_file'],
          [4, 'validation_file'],
        ],
      );
      const jobDir = path.join(server.dataDir, 'jobs', job.id);
      for (const name of ['dataset.jsonl', 'validation.jsonl', 'config.json', 'backend.log']) {
        assert.ok(!fs.existsSync(path.join(jobDir, name)), `${name} should not exist`);
      }
      assert.equal(JSON.parse(fs.readFileSync(path.join(jobDir, 'job.json'), 'utf8')).pid, null);
    } finally {
      await server.close();
    }
  });

  test('both files invalid: one report per file, the training file first', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const training = await client.uploadFile(broken(PAIRS, { 3: '{"prompt": "p", "chosen": "c", "rejected": 7}' }, 'train.jsonl'));
      const validation = await client.uploadFile(broken(VALIDATION, { 5: 'not json' }, 'val.jsonl'));
      const final = await waitForEnd(client, (await client.createJob({ training_file: training.id, validation_file: validation.id })).id);
      assert.equal(final.error?.code, 'invalid_training_file');
      const sections = final.error!.message.split(/^(?=The )/m);
      assert.equal(sections.length, 2);
      assert.match(sections[0], new RegExp(`^The training file ${training.id} \\(train\\.jsonl\\) has 1 problem .*\\nline 3: `));
      assert.match(sections[1], new RegExp(`^The validation file ${validation.id} \\(val\\.jsonl\\) has 1 problem .*\\nline 5: `));
    } finally {
      await server.close();
    }
  });

  test('an unknown validation_file is refused before a job exists; eval_steps alone gets a warning', async () => {
    const server = await startServer();
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const training = await client.uploadFile(PAIRS);
      const post = (body: unknown) =>
        fetch(`${server.url}/v1/fine_tuning/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const res = await post({ training_file: training.id, validation_file: 'file-000000000000000000000000' });
      assert.equal(res.status, 404);
      const body = (await res.json()) as { error: { message: string; param: string } };
      assert.equal(body.error.param, 'validation_file');
      assert.match(body.error.message, /No uploaded file with id "file-0+"/);
      assert.equal((await client.listJobs()).data.length, 0);

      const bad = await post({ training_file: training.id, method: { type: 'dpo', dpo: { hyperparameters: { eval_steps: 0 } } } });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { error: { message: string } }).error.message, /eval_steps: expected a positive integer/);

      const job = await client.createJob({ training_file: training.id, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 1, eval_steps: 5 } } } });
      const events: JobEvent[] = [];
      const final = await client.followJob(job.id, { onEvent: (e) => events.push(e) });
      assert.equal(final.status, 'succeeded');
      assert.ok(events.some((e) => e.level === 'warn' && /eval_steps is set but the job has no validation_file/.test(e.message)));
      assert.ok(!events.some((e) => isMetricsEvent(e) && 'eval_loss' in e.data));
    } finally {
      await server.close();
    }
  });
});

describe('tiny backend with a validation set, through the CLI', () => {
  test('eval_ metrics with TRL names arrive at step 0, every eval_steps and at the end; eval_loss starts at ln 2 and falls', async () => {
    const server = await startServer();
    try {
      const cap = captureIO();
      const args = ['train', '--yes', PAIRS, '--trainer', server.url, '--validation', VALIDATION, '--format', 'json', '--max-steps', '10', '--batch-size', '4', '--eval-steps', '4'];
      const code = await main(args, cap.io);
      assert.equal(code, 0, cap.stderr());
      const rows = cap
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as MetricsData);
      const evals = rows.filter((r) => 'eval_loss' in r);
      const train = rows.filter((r) => 'loss' in r);
      assert.deepEqual(train.map((r) => r.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Before training (the baseline), every 4 steps, and the last step (10 is no multiple of 4).
      assert.deepEqual(evals.map((r) => r.step), [0, 4, 8, 10]);
      for (const row of evals) {
        for (const name of EVAL_NAMES) {
          assert.equal(typeof row[name], 'number', `${name} at step ${row.step}`);
          assert.ok(Number.isFinite(row[name]), `${name} at step ${row.step} is ${row[name]}`);
        }
        assert.equal(row.max_steps, 10);
        assert.equal(row.loss, undefined, 'an evaluation is its own metrics event');
      }
      const evalLoss = evals.map((r) => r.eval_loss as number);
      // The policy equals the frozen reference before the first step: every reward is 0.
      assert.ok(Math.abs(evalLoss[0] - Math.LN2) < 1e-4, `first eval_loss ${evalLoss[0]}`);
      assert.equal(evals[0]['eval_rewards/margins'], 0);
      // The held-out pairs share the training pairs' pattern (a stock refusal is rejected), so
      // the model does better on them as it trains; losses on pairs never trained on.
      assert.ok(evalLoss.at(-1)! < evalLoss[0] - 0.05, `eval_loss did not fall: ${evalLoss.join(', ')}`);
      assert.ok(evals.at(-1)!['eval_rewards/margins']! > 0);
      assert.ok(evals.at(-1)!['eval_rewards/accuracies']! > 0.5);
      // Different data, so different numbers from the training log of the same step.
      const train8 = train.find((r) => r.step === 8)!;
      assert.notEqual(evals[2]['eval_logps/chosen'], train8['logps/chosen']);

      const notes = cap.stderr();
      assert.match(notes, /Uploaded validation\.jsonl \(\d+ bytes\) as file-[0-9a-f]+ \(validation set\)/);
      assert.match(notes, /Files validated: 40 preference pairs \([^)]*\), validation set 12 preference pairs/);
      assert.match(notes, /evaluating on 12 held-out pairs every 4 steps/);

      // The server's record of the job and its events carry the same evaluations.
      const client = new TrainerClient({ baseUrl: server.url });
      const [job] = (await client.listJobs()).data;
      assert.match(job.validation_file ?? '', /^file-/);
      assert.deepEqual(job.progress, { step: 10, max_steps: 10 });
      const events = (await client.listEvents(job.id, { limit: 1000 })).data;
      assert.ok(fs.existsSync(path.join(server.dataDir, 'jobs', job.id, 'validation.jsonl')));
      const evalEvents = events.filter((e) => isMetricsEvent(e) && 'eval_loss' in e.data);
      assert.match(evalEvents[0].message, /^Step 0\/10: eval loss=0\.6931$/);

      // The loss panel: its session replays the job from the real server, and the chart layout
      // draws each evaluation series in the chart of its training counterpart.
      const session = new JobSession({ client, trainerName: 'local', jobId: job.id });
      await session.start();
      session.stop();
      assert.equal(session.jobView?.status, 'succeeded');
      assert.deepEqual(session.table.column('eval_loss').filter((v) => v !== null), evalLoss);
      assert.deepEqual(
        session.table.steps().filter((_, i) => session.table.column('eval_loss')[i] !== null),
        [0, 4, 8, 10],
      );
      const charts = chartsFor(session.table.names());
      assert.deepEqual(
        charts.filter((c) => c.series.some((s) => s.eval)).map((c) => [c.id, c.series.map((s) => s.name)]),
        [
          ['loss', ['loss', 'eval_loss']],
          ['accuracies', ['rewards/accuracies', 'eval_rewards/accuracies']],
          ['margins', ['rewards/margins', 'eval_rewards/margins']],
          ['rewards', ['rewards/chosen', 'rewards/rejected', 'eval_rewards/chosen', 'eval_rewards/rejected']],
          ['logps', ['logps/chosen', 'logps/rejected', 'eval_logps/chosen', 'eval_logps/rejected']],
        ],
      );
      assert.ok(charts.every((c) => c.series.every((s) => s.eval === s.name.startsWith('eval_') && !(s.eval && s.smoothed))));
      assert.equal(charts[0].id, 'loss', 'training charts come first');
    } finally {
      await server.close();
    }
  });

  test('--validation is checked before anything is uploaded; --eval-steps needs it', async () => {
    const server = await startServer();
    try {
      const bad = broken(VALIDATION, { 3: '{"prompt": "p", "chosen": "c"' }, 'held-out.jsonl');
      const cap = captureIO();
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url, '--validation', bad], cap.io), 1);
      assert.match(cap.stderr(), /held-out\.jsonl cannot be trained on.*; nothing was uploaded\.\nline 3: /);
      assert.deepEqual(fs.readdirSync(path.join(server.dataDir, 'files')), [], 'not even the training file was uploaded');

      const usage = captureIO();
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url, '--eval-steps', '5'], usage.io), 2);
      assert.match(usage.stderr(), /--eval-steps needs --validation FILE/);
    } finally {
      await server.close();
    }
  });

  test('text mode prints an evaluation as its own line', async () => {
    const maxSteps = 4;
    const evalEvent: JobEvent = {
      ...metricsEvent(3, 1_700_000_012, 4, maxSteps),
      data: { step: 4, max_steps: maxSteps, eval_loss: 0.4321, 'eval_rewards/accuracies': 0.75, 'eval_rewards/margins': 0.61 },
    };
    const job = fakeJob('succeeded', { created_at: 1_700_000_000, started_at: 1_700_000_001, finished_at: 1_700_000_013 }, maxSteps);
    const fake = await startFakeTrainer({
      job: () => job,
      events: [metricsEvent(1, 1_700_000_010, 2, maxSteps, 0.6), metricsEvent(2, 1_700_000_011, 4, maxSteps, 0.5), evalEvent],
      final: job,
    });
    try {
      const cap = captureIO();
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', fake.url, '--validation', VALIDATION], cap.io), 0, cap.stderr());
      const lines = cap.stdout().split('\n');
      assert.ok(lines.includes('eval       4/4  loss 0.4321  acc 0.750  margin 0.6100'), cap.stdout());
      assert.equal(lines.filter((l) => l.startsWith('step ')).length, 2);
      assert.deepEqual(fake.uploads.map((b) => b.toString('utf8')), [fs.readFileSync(PAIRS, 'utf8'), fs.readFileSync(VALIDATION, 'utf8')]);
      assert.deepEqual(fake.jobRequests.map((r) => (r as { validation_file?: string }).validation_file), ['file-fake']);
    } finally {
      await fake.close();
    }
  });
});
