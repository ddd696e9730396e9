// A succeeded job's results: listed in result_files, streamed by /v1/files/{id}/content (whole,
// by range, resumed), downloaded and unpacked by the client, refused into a folder that is not
// empty. The tiny backend (a few steps) makes a real job with real output quickly.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { TrainerClient, TrainerError } from '../../src/core/trainer/client';
import { parseCreateJobRequest, ProtocolError, RESULTS_PURPOSE, resultKind, TrainerFile } from '../../src/core/trainer/protocol';
import { downloadResults, outputDirProblem } from '../../src/core/trainer/results';
import { parseRange } from '../../src/server/server';
import { captureIO, PAIRS, startServer, tempDir } from '../fixtures/trainer/harness';

let server: Awaited<ReturnType<typeof startServer>>;
let client: TrainerClient;
let jobId: string;
const temps: string[] = [];
const own = (prefix: string) => {
  const d = tempDir(prefix);
  temps.push(d);
  return d;
};

before(async () => {
  server = await startServer({ dataDir: own('dc-results-') });
  client = new TrainerClient({ baseUrl: server.url });
  const file = await client.uploadFile(PAIRS);
  const job = await client.createJob({ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 2, batch_size: 2 } } } });
  const final = await client.followJob(job.id, { onEvent: () => {} });
  assert.equal(final.status, 'succeeded', JSON.stringify(final.error));
  jobId = job.id;
});
after(async () => {
  await server.close();
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

async function resultFiles(): Promise<TrainerFile[]> {
  const job = await client.getJob(jobId);
  return Promise.all(job.result_files.map((id) => client.getFile(id)));
}

describe('result files', () => {
  test('a succeeded job lists its model archive and training log as fine-tune-results files', async () => {
    const files = await resultFiles();
    assert.deepEqual(files.map((f) => resultKind(f)), ['model', 'training-log']);
    for (const f of files) {
      assert.equal(f.purpose, RESULTS_PURPOSE);
      assert.ok(f.filename.startsWith(jobId));
      assert.ok(f.bytes > 0);
    }
    // Listed among the files, and filtered by purpose.
    const res = await fetch(`${server.url}/v1/files?purpose=${RESULTS_PURPOSE}`);
    const listed = (await res.json()) as { data: TrainerFile[] };
    assert.deepEqual(listed.data.map((f) => f.id).sort(), files.map((f) => f.id).sort());
  });

  test('content: whole, a range (206), a suffix range, an unsatisfiable one (416), HEAD', async () => {
    const [, log] = await resultFiles();
    const onDisk = fs.readFileSync(path.join(server.dataDir, 'files', `${log.id}.result`));
    const url = `${server.url}/v1/files/${log.id}/content`;
    const whole = await fetch(url);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), onDisk);
    const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-19/${onDisk.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), onDisk.subarray(10, 20));
    const tail = await fetch(url, { headers: { range: 'bytes=-5' } });
    assert.deepEqual(Buffer.from(await tail.arrayBuffer()), onDisk.subarray(onDisk.length - 5));
    const beyond = await fetch(url, { headers: { range: `bytes=${onDisk.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${onDisk.length}`);
    // If-Range with another ETag: the file changed, so the whole of it comes back.
    const stale = await fetch(url, { headers: { range: 'bytes=10-19', 'if-range': '"other"' } });
    assert.equal(stale.status, 200);
    assert.equal(Number(stale.headers.get('content-length')), onDisk.length);
    await stale.arrayBuffer();
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(Number(head.headers.get('content-length')), onDisk.length);
    const missing = await fetch(`${server.url}/v1/files/file-000000000000000000000000/content`);
    assert.equal(missing.status, 404);
  });

  test('parseRange', () => {
    assert.deepEqual(parseRange('bytes=0-', 10), [0, 9]);
    assert.deepEqual(parseRange('bytes=3-100', 10), [3, 9]);
    assert.deepEqual(parseRange('bytes=-3', 10), [7, 9]);
    assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-2', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-1,3-4', 10), undefined, 'several ranges: the whole file');
    assert.equal(parseRange('items=0-1', 10), undefined);
  });

  test('a download resumes from the .part an interrupted one left, and checks the size', async () => {
    const [model] = await resultFiles();
    const onDisk = fs.readFileSync(path.join(server.dataDir, 'files', `${model.id}.result`));
    const dest = path.join(own('dc-dl-'), 'model.tar');
    fs.writeFileSync(`${dest}.part`, onDisk.subarray(0, 100));
    const seen: number[] = [];
    await client.downloadFile(model, dest, { onProgress: (r) => seen.push(r) });
    assert.deepEqual(fs.readFileSync(dest), onDisk);
    assert.equal(seen[0], 100, 'started from the bytes already there');
    assert.ok(!fs.existsSync(`${dest}.part`));
    // A size the trainer does not match: refused, nothing at dest.
    const wrong = path.join(path.dirname(dest), 'wrong.tar');
    await assert.rejects(client.downloadFile({ ...model, bytes: model.bytes + 1 }, wrong), (e: TrainerError) => /expected/.test(e.message));
    assert.ok(!fs.existsSync(wrong));
  });

  test('downloadResults unpacks the archive into the folder and keeps the log; a folder with files is refused', async () => {
    const dir = path.join(own('dc-results-out-'), 'run');
    const job = await client.getJob(jobId);
    const got = await downloadResults(client, job, dir);
    assert.equal(got.weights, 'model');
    assert.ok(fs.existsSync(path.join(dir, 'policy.pt')), fs.readdirSync(dir).join(', '));
    const log = fs.readFileSync(path.join(dir, 'training-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(log.some((e) => e.type === 'metrics'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['policy.pt', 'training-log.jsonl']);
    assert.match(outputDirProblem(dir)!, /not empty/);
    await assert.rejects(downloadResults(client, job, dir), /not empty/);
  });

  test('train --output: a folder that is not empty is refused before anything is uploaded', async () => {
    const dir = own('dc-results-busy-');
    fs.writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const before = (await client.listJobs()).data.length;
    const cli = captureIO();
    assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url, '--output', dir], cli.io), 2);
    assert.match(cli.stderr(), /--output: .* is not empty/);
    assert.equal((await client.listJobs()).data.length, before);
    assert.equal(fs.readFileSync(path.join(dir, 'keep.txt'), 'utf8'), 'mine');
  });

  test('train --option: TRL options are checked as the trainer checks them', async () => {
    const cli = captureIO();
    assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url, '--option', 'label_smoothing=0.7'], cli.io), 2);
    assert.match(cli.stderr(), /label_smoothing: expected a number from 0 to below 0.5/);
    const bad = captureIO();
    assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url, '--option', 'nonsense'], bad.io), 2);
    assert.match(bad.stderr(), /--option takes KEY=VALUE/);
  });
});

describe('TRL options in a job request', () => {
  const parse = (hp: Record<string, unknown>) => parseCreateJobRequest({ training_file: 'file-x', method: { type: 'dpo', dpo: { hyperparameters: hp } } });
  test('accepted as given', () => {
    const hp = parse({
      loss_type: ['sigmoid', 'sft'],
      loss_weights: [0.8, 0.2],
      label_smoothing: 0.1,
      warmup_ratio: 0.1,
      lr_scheduler_type: 'cosine',
      gradient_checkpointing: false,
      precompute_ref_log_probs: true,
      report_to: ['tensorboard'],
      max_new_tokens: 32,
    }).method!.dpo.hyperparameters;
    assert.deepEqual(hp.loss_type, ['sigmoid', 'sft']);
    assert.equal(hp.gradient_checkpointing, false);
    assert.deepEqual(hp.report_to, ['tensorboard']);
  });
  test('refused with the field named', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ loss_type: 'Sigmoid; rm -rf' }, /loss_type: expected a name/],
      [{ loss_type: ['sigmoid'], loss_weights: [1, 2] }, /one weight per loss_type \(1\), got 2/],
      [{ label_smoothing: 0.5 }, /label_smoothing/],
      [{ warmup_steps: 10, warmup_ratio: 0.1 }, /not both/],
      [{ report_to: ['wandb'] }, /report_to: expected trackers from tensorboard, trackio/],
      [{ gradient_checkpointing: 'yes' }, /gradient_checkpointing: expected true or false/],
    ];
    for (const [hp, re] of cases) assert.throws(() => parse(hp), (e: ProtocolError) => re.test(e.message), JSON.stringify(hp));
  });
});

test('--output is refused before a run when nothing can be written there', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-output-'));
  try {
    assert.equal(outputDirProblem(path.join(base, 'new', 'deeper')), undefined, 'a new folder under a writable one');
    assert.equal(outputDirProblem(base), undefined, 'an empty folder');
    assert.deepEqual(fs.readdirSync(base), [], 'the write probe leaves nothing behind');
    fs.writeFileSync(path.join(base, 'a-file'), 'x');
    assert.match(outputDirProblem(path.join(base, 'a-file', 'sub'))!, /ENOTDIR/);
    // Virtual file systems take no folders, whoever asks (root's permissions would say yes).
    if (process.platform === 'linux') assert.match(outputDirProblem('/proc/dialogue-curator-results')!, /cannot write in \/proc/);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

describe('jobs: a run started earlier, from the CLI', () => {
  test('list shows the job; follow replays it to its end and downloads its results; download fetches them again', async () => {
    const text = captureIO();
    assert.equal(await main(['jobs', '--trainer', server.url], text.io), 0, text.stderr());
    assert.match(text.stdout(), new RegExp(`^${jobId}\\s+succeeded\\s+\\S+\\s+step 2/2\\s+created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`, 'm'));
    const json = captureIO();
    assert.equal(await main(['jobs', 'list', '--trainer', server.url, '--format', 'json'], json.io), 0, json.stderr());
    assert.ok((JSON.parse(json.stdout()) as { id: string; status: string }[]).some((j) => j.id === jobId && j.status === 'succeeded'));

    const dir = path.join(own('dc-jobs-follow-'), 'run');
    const follow = captureIO();
    assert.equal(await main(['jobs', 'follow', jobId, '--trainer', server.url, '--output', dir], follow.io), 0, follow.stderr());
    assert.match(follow.stdout(), new RegExp(`Following job ${jobId} on ${server.url} \\(succeeded`));
    assert.match(follow.stdout(), /step 2\/2|loss/, 'the metrics replayed');
    assert.match(follow.stdout(), new RegExp(`Job ${jobId} succeeded`));
    assert.match(follow.stdout(), /Results in .*: model/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['policy.pt', 'training-log.jsonl']);

    const again = path.join(own('dc-jobs-download-'), 'run');
    const download = captureIO();
    assert.equal(await main(['jobs', 'download', jobId, '--trainer', server.url, '--output', again], download.io), 0, download.stderr());
    assert.deepEqual(fs.readdirSync(again).sort(), ['policy.pt', 'training-log.jsonl']);
  });

  test('cancel ends a job that has not ended; a job that cannot be cancelled or does not exist is the trainer\'s refusal (exit 1)', async () => {
    const file = await client.uploadFile(PAIRS);
    const long = await client.createJob({ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 100000, batch_size: 2 } } } });
    const cancel = captureIO();
    assert.equal(await main(['jobs', 'cancel', long.id, '--trainer', server.url], cancel.io), 0, cancel.stderr());
    assert.equal(cancel.stdout(), `job ${long.id} cancelled\n`);
    assert.equal((await client.getJob(long.id)).status, 'cancelled');
    const missing = captureIO();
    assert.equal(await main(['jobs', 'follow', 'ftjob-nothere', '--trainer', server.url], missing.io), 1);
    assert.match(missing.stderr(), /^dialogue-curator jobs: .+/);
    const notYet = captureIO();
    assert.equal(await main(['jobs', 'download', long.id, '--trainer', server.url, '--output', path.join(own('dc-jobs-none-'), 'run')], notYet.io), 1);
    assert.match(notYet.stderr(), new RegExp(`job ${long.id} is cancelled: only a job that succeeded has results to download`));
  });

  test('Ctrl+C while following stops following, not the job', async () => {
    const file = await client.uploadFile(PAIRS);
    const long = await client.createJob({ training_file: file.id, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 100000, batch_size: 2 } } } });
    try {
      const stop = new AbortController();
      const cap = captureIO({ signal: stop.signal });
      const following = main(['jobs', 'follow', long.id, '--trainer', server.url], cap.io);
      await cap.waitForStdout(new RegExp(`Following job ${long.id}`));
      stop.abort();
      assert.equal(await following, 130);
      assert.match(cap.stderr(), new RegExp(`stopped following job ${long.id}; it goes on on the trainer`));
      const status = (await client.getJob(long.id)).status;
      assert.ok(['validating_files', 'queued', 'running'].includes(status), status);
    } finally {
      await client.cancelJob(long.id);
    }
  });

  test('usage problems exit 2 before the trainer is asked anything', async () => {
    for (const args of [['follow'], ['download', 'ftjob-x'], ['cancel', 'a', 'b'], ['list', 'ftjob-x'], ['bogus'], ['list', '--limit', '0']]) {
      const cap = captureIO();
      assert.equal(await main(['jobs', ...args, '--trainer', server.url], cap.io), 2, args.join(' '));
    }
    const noTrainer = captureIO();
    assert.equal(await main(['jobs'], noTrainer.io), 2);
    assert.match(noTrainer.stderr(), /--trainer URL is required/);
  });
});
