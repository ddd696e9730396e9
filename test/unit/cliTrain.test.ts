// The CLI `train` command against a scripted trainer: where its progress line goes and what it
// says, and what its local check blocks before anything is uploaded.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { captureIO, PAIRS, tempDir } from '../fixtures/trainer/harness';
import { fakeJob, FakeTrainerScript, messageEvent, metricsEvent, startFakeTrainer } from '../fixtures/trainer/fakeTrainer';

const T0 = 1_800_000_000;
const PROGRESS = /\[[#.]+\] \d+\/\d+/;

/** A job of 4 steps that ran from T0 to T0 + 8. */
function quickRun(): FakeTrainerScript {
  const events = [1, 2, 3, 4].map((step) => metricsEvent(step, T0 + 2 * step, step, 4));
  return {
    job: () => fakeJob('validating_files', { created_at: T0 }, 4),
    events,
    final: fakeJob('succeeded', { created_at: T0, finished_at: T0 + 8 }, 4),
  };
}

describe('train progress line', () => {
  test('json mode: drawn on stderr only when stderr is a terminal, whatever stdout is', async () => {
    const trainer = await startFakeTrainer(quickRun());
    try {
      // stdout a terminal, stderr redirected (2> log): no progress bar in the log.
      const redirected = captureIO({ isTTY: true, stderrIsTTY: false });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url, '--format', 'json'], redirected.io), 0, redirected.stderr());
      assert.doesNotMatch(redirected.stderr(), PROGRESS);
      assert.ok(!redirected.stderr().includes('\x1b['), 'no terminal escapes in a redirected stderr');
      assert.equal(redirected.stdout().trim().split('\n').length, 4, 'stdout has the four metrics objects only');

      // stdout piped (| jq), stderr the terminal: the progress bar is drawn there.
      const piped = captureIO({ isTTY: false, stderrIsTTY: true });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url, '--format', 'json'], piped.io), 0, piped.stderr());
      assert.match(piped.stderr(), PROGRESS);
      assert.ok(piped.stderr().includes('\r\x1b[2K'), 'the progress line is erased before the next line');
      assert.doesNotMatch(piped.stdout(), PROGRESS);
      for (const line of piped.stdout().trim().split('\n')) assert.equal(typeof JSON.parse(line).step, 'number');
    } finally {
      await trainer.close();
    }
  });

  test('text mode: drawn on stdout only when stdout is a terminal', async () => {
    const trainer = await startFakeTrainer(quickRun());
    try {
      const terminal = captureIO({ isTTY: true, stderrIsTTY: false });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url], terminal.io), 0, terminal.stderr());
      assert.match(terminal.stdout(), PROGRESS);
      const piped = captureIO({ isTTY: false, stderrIsTTY: true });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url], piped.io), 0, piped.stderr());
      assert.doesNotMatch(piped.stdout() + piped.stderr(), PROGRESS);
    } finally {
      await trainer.close();
    }
  });
});

describe('train time estimate', () => {
  test('counts from the job start on the trainer, not from the creation or from when the CLI began following', async () => {
    // Created at T0, 48 s of validation and queue, started at T0 + 50, a step every 10 s.
    const events = [
      messageEvent(1, T0 + 1, 'Validating training file: file-fake'),
      messageEvent(2, T0 + 2, 'Fine-tuning job queued', { status: 'queued' }),
      messageEvent(3, T0 + 50, 'Fine-tuning job started (backend tiny)', { status: 'running' }),
      metricsEvent(4, T0 + 60, 1, 4),
      metricsEvent(5, T0 + 70, 2, 4),
      metricsEvent(6, T0 + 80, 3, 4),
      metricsEvent(7, T0 + 90, 4, 4),
    ];
    const trainer = await startFakeTrainer({
      job: () => fakeJob('validating_files', { created_at: T0 }, 4),
      events,
      final: fakeJob('succeeded', { created_at: T0, started_at: T0 + 50, finished_at: T0 + 91 }, 4),
    });
    try {
      const cap = captureIO({ isTTY: true });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url], cap.io), 0, cap.stderr());
      const bars = cap.stdout().match(/\d\/4 loss \S+ \d+s elapsed, ~\d+s left/g) ?? [];
      assert.deepEqual(
        bars.map((b) => b.replace(/ loss \S+/, '')),
        ['1/4 10s elapsed, ~30s left', '2/4 20s elapsed, ~20s left', '3/4 30s elapsed, ~10s left', '4/4 40s elapsed, ~0s left'],
      );
    } finally {
      await trainer.close();
    }
  });

  test("a job that already has started_at (the trainer's field) counts from it", async () => {
    const trainer = await startFakeTrainer({
      job: () => fakeJob('running', { created_at: T0, started_at: T0 + 40 }, 4),
      events: [metricsEvent(1, T0 + 60, 1, 4), metricsEvent(2, T0 + 80, 2, 4)],
      final: fakeJob('succeeded', { created_at: T0, started_at: T0 + 40, finished_at: T0 + 81 }, 4),
    });
    try {
      const cap = captureIO({ isTTY: true });
      assert.equal(await main(['train', PAIRS, '--trainer', trainer.url], cap.io), 0, cap.stderr());
      assert.match(cap.stdout(), /1\/4 loss \S+ 20s elapsed, ~60s left/);
      assert.match(cap.stdout(), /2\/4 loss \S+ 40s elapsed, ~40s left/);
    } finally {
      await trainer.close();
    }
  });
});

describe("train's local check uses the project's .dialoguecurator.json, like check", () => {
  /** A project folder with a copy of the pairs and the given config files; a trainer that must receive nothing. */
  async function project(files: Record<string, unknown>) {
    const dir = tempDir('dc-train-project-');
    fs.copyFileSync(PAIRS, path.join(dir, 'pairs.jsonl'));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    const trainer = await startFakeTrainer(quickRun());
    return { dir, trainer, data: path.join(dir, 'pairs.jsonl') };
  }

  test('a rule the project sets to "error" blocks the upload', async () => {
    const { dir, trainer, data } = await project({ '.dialoguecurator.json': { rules: { 'dataset-length-bias': 'error' } } });
    try {
      const cap = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url], cap.io), 1, cap.stderr());
      assert.match(cap.stderr(), /pairs\.jsonl cannot be trained on \(checked with .*\); nothing was uploaded/);
      assert.match(cap.stderr(), /^line \d+: .*\[dataset-length-bias\]$/m);
      assert.ok(cap.stderr().includes(path.join(dir, '.dialoguecurator.json')), 'names the config it checked with');
      assert.equal(trainer.uploads.length, 0);
      // Without the config the same file goes up (length bias is only a warning by default).
      fs.rmSync(path.join(dir, '.dialoguecurator.json'));
      const again = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url], again.io), 0, again.stderr());
      assert.equal(trainer.uploads.length, 1);
    } finally {
      await trainer.close();
    }
  });

  test('a custom schema and a format mapping from the config are checked; --config picks another file', async () => {
    const schema = { type: 'object', required: ['prompt', 'chosen', 'rejected', 'source'] };
    const { dir, trainer, data } = await project({
      '.dialoguecurator.json': { schemas: [{ fileMatch: ['*.jsonl'], url: './with-source.schema.json' }] },
      'with-source.schema.json': schema,
      'openai.json': { schemas: [{ fileMatch: ['*.jsonl'], format: 'openai-preference' }] },
    });
    try {
      const cap = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url], cap.io), 1, cap.stderr());
      assert.match(cap.stderr(), /^line 1: The record is missing the required field "source" \[schema\]$/m);
      assert.match(cap.stderr(), /^… and 20 more$/m, 'every one of the 40 records lacks it');
      const other = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url, '--config', path.join(dir, 'openai.json')], other.io), 1, other.stderr());
      // Read as OpenAI preference records, TRL pairs miss that format's fields.
      assert.match(other.stderr(), /^line 1: .*(input|preferred_output).*$/m);
      assert.equal(trainer.uploads.length, 0);
    } finally {
      await trainer.close();
    }
  });

  test('a schema file that cannot be read, or errors in the config itself, block with a clear message', async () => {
    const { dir, trainer, data } = await project({ '.dialoguecurator.json': { schemas: [{ fileMatch: ['*.jsonl'], url: './missing.schema.json' }] } });
    try {
      const cap = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url], cap.io), 1);
      assert.match(cap.stderr(), /^line 1: Cannot read the schema file .*missing\.schema\.json: ENOENT \[config-schema\]$/m);
      fs.writeFileSync(path.join(dir, '.dialoguecurator.json'), '{"rules": {"pair-inverted": "fatal"}}');
      const broken = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url], broken.io), 1);
      assert.match(broken.stderr(), /\.dialoguecurator\.json has 1 error; nothing was uploaded/);
      assert.match(broken.stderr(), /^line 1: /m);
      const missing = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url, '--config', path.join(dir, 'nope.json')], missing.io), 2);
      assert.match(missing.stderr(), /cannot read the config file .*nope\.json: ENOENT/);
      assert.equal(trainer.uploads.length, 0);
    } finally {
      await trainer.close();
    }
  });
});
