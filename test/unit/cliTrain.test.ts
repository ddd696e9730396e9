// The CLI `train` command against a scripted trainer: where its progress line goes and what it
// says, and what its local check blocks before anything is uploaded.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { uploadTooLarge } from '../../src/core/trainer/client';
import { captureIO, PAIRS, REPO, tempDir, waitFor } from '../fixtures/trainer/harness';
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
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url, '--format', 'json'], redirected.io), 0, redirected.stderr());
      assert.doesNotMatch(redirected.stderr(), PROGRESS);
      assert.ok(!redirected.stderr().includes('\x1b['), 'no terminal escapes in a redirected stderr');
      assert.equal(redirected.stdout().trim().split('\n').length, 4, 'stdout has the four metrics objects only');

      // stdout piped (| jq), stderr the terminal: the progress bar is drawn there.
      const piped = captureIO({ isTTY: false, stderrIsTTY: true });
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url, '--format', 'json'], piped.io), 0, piped.stderr());
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
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url], terminal.io), 0, terminal.stderr());
      assert.match(terminal.stdout(), PROGRESS);
      const piped = captureIO({ isTTY: false, stderrIsTTY: true });
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url], piped.io), 0, piped.stderr());
      assert.doesNotMatch(piped.stdout() + piped.stderr(), PROGRESS);
    } finally {
      await trainer.close();
    }
  });
});

describe('what the trainer sends is written escaped', () => {
  test('an escape sequence or a line break in a trainer message or error reaches the terminal as its escape', async () => {
    const trainer = await startFakeTrainer({
      job: () => fakeJob('running', { created_at: T0 }, 4),
      events: [messageEvent(1, T0 + 1, 'loading \x1b[2J\x1b[31mmodel\nfake line')],
      final: { ...fakeJob('failed', { created_at: T0, finished_at: T0 + 2 }, 4), error: { code: 'x', message: 'boom \x1b]0;title\x07', param: null } },
    });
    try {
      const cap = captureIO({ isTTY: false });
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url], cap.io), 1);
      const all = cap.stdout() + cap.stderr();
      assert.ok(!all.includes('\x1b'), 'no raw escape character');
      assert.match(cap.stdout(), /loading \\u001b\[2J\\u001b\[31mmodel\\nfake line/);
      assert.match(cap.stderr(), /failed: boom \\u001b\]0;title\\u0007/);
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
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url], cap.io), 0, cap.stderr());
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
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url], cap.io), 0, cap.stderr());
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
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url], cap.io), 1, cap.stderr());
      assert.match(cap.stderr(), /pairs\.jsonl cannot be trained on \(checked with .*\); nothing was uploaded/);
      assert.match(cap.stderr(), /^line \d+: .*\[dataset-length-bias\]$/m);
      assert.ok(cap.stderr().includes(path.join(dir, '.dialoguecurator.json')), 'names the config it checked with');
      assert.equal(trainer.uploads.length, 0);
      // Without the config the same file goes up (length bias is only a warning by default).
      fs.rmSync(path.join(dir, '.dialoguecurator.json'));
      const again = captureIO();
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url], again.io), 0, again.stderr());
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
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url], cap.io), 1, cap.stderr());
      assert.match(cap.stderr(), /^line 1: The record is missing the required field "source" \[schema\]$/m);
      assert.match(cap.stderr(), /^… and 20 more$/m, 'every one of the 40 records lacks it');
      const other = captureIO();
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url, '--config', path.join(dir, 'openai.json')], other.io), 1, other.stderr());
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
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url], cap.io), 1);
      assert.match(cap.stderr(), /^line 1: Cannot read the schema file .*missing\.schema\.json: ENOENT \[config-schema\]$/m);
      fs.writeFileSync(path.join(dir, '.dialoguecurator.json'), '{"rules": {"pair-inverted": "fatal"}}');
      const broken = captureIO();
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url], broken.io), 1);
      assert.match(broken.stderr(), /\.dialoguecurator\.json has 1 error; nothing was uploaded/);
      assert.match(broken.stderr(), /^line 1: /m);
      const missing = captureIO();
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url, '--config', path.join(dir, 'nope.json')], missing.io), 2);
      assert.match(missing.stderr(), /cannot read the config file .*nope\.json: ENOENT/);
      assert.equal(trainer.uploads.length, 0);
    } finally {
      await trainer.close();
    }
  });
});

describe('train asks before anything leaves the machine', () => {
  /** The pairs with a made-up email address, phone number and date of birth in one prompt. */
  function withPhi(): string {
    const dir = tempDir('dc-train-phi-');
    const lines = fs.readFileSync(PAIRS, 'utf8').trim().split('\n');
    const first = JSON.parse(lines[0]);
    first.prompt = `I'm Dana (dana.reyes@mailhub.net, 555-201-7788, born 03/14/1961). ${first.prompt}`;
    lines[0] = JSON.stringify(first);
    const file = path.join(dir, 'phi.jsonl');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  test('without --yes and without a terminal to ask on, nothing is uploaded; the summary names files, trainer and what the scan found, masked', async () => {
    const trainer = await startFakeTrainer(quickRun());
    try {
      const data = withPhi();
      const cap = captureIO();
      assert.equal(await main(['train', data, '--trainer', trainer.url], cap.io), 2, cap.stderr());
      assert.deepEqual(trainer.requests, [], 'the trainer is asked nothing before the consent');
      const said = cap.stderr();
      assert.ok(said.includes(`about to upload to the trainer at ${trainer.url}`), said);
      assert.match(said, /phi\.jsonl \(training set\): \d+ records, /);
      assert.match(said, /personal health information/);
      assert.match(said, /email address/);
      assert.match(said, /phone number/);
      assert.ok(!said.includes('dana.reyes@mailhub.net') && !said.includes('201-7788'), 'the values are masked');
      assert.match(said, /run it again with --yes/);
      // With --yes the same file goes up, after the same summary.
      const yes = captureIO();
      assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url], yes.io), 0, yes.stderr());
      assert.match(yes.stderr(), /email address/);
      assert.equal(trainer.uploads.length, 1);
    } finally {
      await trainer.close();
    }
  });

  test('at a terminal it asks: "n" (or just Enter) uploads nothing, "y" uploads', async () => {
    const trainer = await startFakeTrainer(quickRun());
    try {
      for (const [answer, status, uploads] of [['n', 1, 0], ['', 1, 0], ['y', 0, 1]] as const) {
        const stdin = new PassThrough();
        const cap = captureIO({ stdin, stdinIsTTY: true });
        const running = main(['train', PAIRS, '--trainer', trainer.url], cap.io);
        const before = trainer.requests.length;
        await waitFor(() => cap.stderr().includes('Upload? [y/N]'), 10_000, 'the question');
        assert.equal(trainer.requests.length, before, 'nothing asked of the trainer before the answer');
        stdin.write(`${answer}\n`);
        assert.equal(await running, status, cap.stderr());
        assert.equal(trainer.uploads.length, uploads, `answer ${JSON.stringify(answer)}`);
      }
    } finally {
      await trainer.close();
    }
  });

  test('plain HTTP to another machine is said before the question', async () => {
    // A trainer that cannot be reached: the consent refusal comes first, so nothing is tried.
    const cap = captureIO({ env: { DIALOGUE_CURATOR_TOKEN: 'x'.repeat(32) } });
    assert.equal(await main(['train', PAIRS, '--trainer', 'http://192.0.2.7:8787'], cap.io), 2, cap.stderr());
    assert.match(cap.stderr(), /plain HTTP to another machine: the data and the token cross the network unencrypted/);
  });
});

describe("the project's maxLength reaches the trainer", () => {
  test('as max_length, unless the run sets its own or the project keeps the default', async () => {
    const trainer = await startFakeTrainer(quickRun());
    try {
      const dir = tempDir('dc-train-length-');
      const data = path.join(dir, 'pairs.jsonl');
      fs.copyFileSync(PAIRS, data);
      const lengthOf = (i: number) => (trainer.jobRequests[i] as { method: { dpo: { hyperparameters: { max_length?: number } } } }).method.dpo.hyperparameters.max_length;
      const run = async (...extra: string[]) => {
        const cap = captureIO();
        assert.equal(await main(['train', '--yes', data, '--trainer', trainer.url, ...extra], cap.io), 0, cap.stderr());
      };
      await run();
      assert.equal(lengthOf(0), undefined, 'no project: the trainer keeps its own');
      fs.writeFileSync(path.join(dir, '.dialoguecurator.json'), JSON.stringify({ maxLength: 2048 }));
      await run();
      assert.equal(lengthOf(1), 2048);
      await run('--option', 'max_length=512');
      assert.equal(lengthOf(2), 512, "the run's own value wins");
      fs.writeFileSync(path.join(dir, '.dialoguecurator.json'), JSON.stringify({ maxLength: 1024 }));
      await run();
      assert.equal(lengthOf(3), undefined, "the default is the trainer's too");
    } finally {
      await trainer.close();
    }
  });
});

test('a run whose loss stops being a number succeeds with a warning that it diverged', async () => {
  const events = [metricsEvent(1, T0 + 2, 1, 4), metricsEvent(2, T0 + 4, 2, 4, 3e9), metricsEvent(3, T0 + 6, 3, 4, null as unknown as number), metricsEvent(4, T0 + 8, 4, 4, null as unknown as number)];
  const trainer = await startFakeTrainer({ job: () => fakeJob('validating_files', { created_at: T0 }, 4), events, final: fakeJob('succeeded', { created_at: T0, finished_at: T0 + 8 }, 4) });
  try {
    const cap = captureIO();
    assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url], cap.io), 0, cap.stderr());
    assert.match(cap.stderr(), /warning: from step 3 the loss or the gradient norm was not a number: the training diverged/);
    // A healthy run says nothing of the kind.
    const healthy = await startFakeTrainer(quickRun());
    try {
      const ok = captureIO();
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', healthy.url], ok.io), 0, ok.stderr());
      assert.doesNotMatch(ok.stderr(), /diverged/);
    } finally {
      await healthy.close();
    }
  } finally {
    await trainer.close();
  }
});

test('a second Ctrl+C while the cancel waits for the trainer exits at once and says a job may still run', async () => {
  // A trainer that starts the job, streams nothing and never answers the cancel.
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    req.resume();
    req.on('end', () => {
      const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/v1/files') json({ id: 'file-fake', object: 'file', bytes: 1, created_at: 0, filename: 'x', purpose: 'fine-tune' });
      else if (url.pathname === '/v1/fine_tuning/jobs') json(fakeJob('running', { created_at: T0 }, 4));
      else if (url.pathname.endsWith('/events/stream')) res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': waiting\n\n');
      // The cancel (and anything else) is left unanswered.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src', 'cli', 'main.ts'), 'train', '--yes', PAIRS, '--trainer', url], { cwd: REPO, env: { ...process.env, DIALOGUE_CURATOR_TOKEN: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor(() => /Started job/.test(stdout), 60_000, 'the job to start');
    child.kill('SIGINT');
    await waitFor(() => /cancelling job/.test(stderr), 10_000, 'the cancel');
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.match(stderr, /interrupted again: exiting without waiting; a job it started may still be running on the trainer/);
  } finally {
    child.kill('SIGKILL');
    server.closeAllConnections();
    server.close();
  }
});

test('uploadTooLarge names the first file over the limit, with both sizes; nothing without a limit', () => {
  const files = [{ name: 'train.jsonl', bytes: 900 }, { name: 'held.jsonl', bytes: 3 * 1024 * 1024 }];
  assert.equal(uploadTooLarge(files, undefined), undefined);
  assert.equal(uploadTooLarge(files, 4 * 1024 * 1024), undefined);
  assert.equal(uploadTooLarge(files, 1024 * 1024), 'held.jsonl (3 MB) is larger than the trainer accepts (1 MB; its owner can raise that with serve --max-upload-mb)');
});

test('results that cannot be downloaded are said to stay on the trainer, with their addresses', async () => {
  const trainer = await startFakeTrainer({ ...quickRun(), final: { ...fakeJob('succeeded', { created_at: T0, finished_at: T0 + 8 }, 4), result_files: ['file-model', 'file-log'] } });
  try {
    const out = path.join(tempDir('dc-train-out-'), 'results');
    const cap = captureIO();
    assert.equal(await main(['train', '--yes', PAIRS, '--trainer', trainer.url, '--output', out], cap.io), 1, cap.stderr());
    assert.match(cap.stderr(), /succeeded, but its results could not be downloaded/);
    assert.ok(cap.stderr().includes(`The results stay on the trainer: ${trainer.url}/v1/files/file-model/content, ${trainer.url}/v1/files/file-log/content`), cap.stderr());
  } finally {
    await trainer.close();
  }
});
