/**
 * The trainer server validates uploads streamed, on a worker thread: the same findings as the
 * in-memory prepareDataset, memory that does not grow with the file, and a server that answers
 * every request meanwhile. Cancelling (or stopping the server) ends the worker; a worker that
 * dies fails its job, not the server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { benchLines, writeBenchFile } from '../../bench/generate';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules, recordRules } from '../../src/core/curation';
import { TrainerClient } from '../../src/core/trainer/client';
import { CheckSettings } from '../../src/core/engine';
import { formatLineReport, MAX_REPORTED_ERRORS, NormalizedPair, PreparedDataset, prepareDataset, toLineError, validationOverlap } from '../../src/core/trainer/normalize';
import { decodeLine } from '../../src/core/byteLines';
import { FineTuningJob, isTerminalStatus, JobEvent } from '../../src/core/trainer/protocol';
import { prepareFile } from '../../src/node/prepareFile';
import { Backend, datasetLine, tinyBackend } from '../../src/server/backends';
import { JobManager } from '../../src/server/jobs';
import { DataStore, newId } from '../../src/server/store';
import { PAIRS, REPO, startServer, tempDir, VALIDATION } from '../fixtures/trainer/harness';

/** Every .jsonl under a folder. */
function jsonlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(dir, f));
}

/** prepareFile's result and output against prepareDataset's on the file's text. */
async function assertSameAsInMemory(file: string, settings: CheckSettings = { recordRules, datasetRules }): Promise<{ errors: number }> {
  const expected = prepareDataset(fs.readFileSync(file, 'utf8'), settings);
  // prepareDataset is given decoded text; the file's bytes that are not UTF-8 are errors of their own.
  const invalid = invalidUtf8Errors(file);
  if (invalid.length) expected.errors = [...invalid, ...expected.errors].sort((a, b) => a.line - b.line);
  const dir = tempDir('dc-prepare-');
  try {
    return await compare(file, settings, expected, path.join(dir, 'dataset.jsonl'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The `invalid-utf8` errors of a file's lines, as the streamed check reports them. */
function invalidUtf8Errors(file: string): PreparedDataset['errors'] {
  const errors: PreparedDataset['errors'] = [];
  fs.readFileSync(file)
    .toString('latin1')
    .split(/\r\n|\r|\n/)
    .forEach((line, i) => {
      const { finding } = decodeLine(Buffer.from(line, 'latin1'));
      if (finding) errors.push(toLineError({ ...finding, line: i, endLine: i }));
    });
  return errors;
}

/** Both the full result (every error kept) and the server's (the first ones kept, the rest counted). */
async function compare(file: string, settings: CheckSettings, expected: PreparedDataset, output: string): Promise<{ errors: number }> {
  const all = await prepareFile(file, { output, settings, keepErrors: Infinity, line: (p) => datasetLine('pair', p) });
  assert.equal(all.format, expected.format, file);
  assert.equal(all.records, expected.records, file);
  assert.equal(all.warnings, expected.warnings, file);
  assert.deepEqual(all.errors, expected.errors, file);
  assert.equal(all.errorCount, expected.errors.length, file);
  if (expected.errors.length) {
    assert.ok(!fs.existsSync(output), `${file}: no dataset file for a file with errors`);
  } else {
    assert.equal(all.pairs, expected.pairs.length, file);
    assert.equal(fs.readFileSync(output, 'utf8'), expected.pairs.map((p) => `${JSON.stringify(p)}\n`).join(''), file);
  }
  // As the server runs it: only the first errors keep their text, the report reads the same.
  const first = await prepareFile(file, { output, settings });
  assert.deepEqual(first.errors, expected.errors.slice(0, MAX_REPORTED_ERRORS), file);
  assert.equal(first.errorCount, expected.errors.length, file);
  assert.equal(formatLineReport(first.errors, first.errorCount), formatLineReport(expected.errors), file);
  return { errors: expected.errors.length };
}

describe('streamed preparation gives what prepareDataset gives', () => {
  test('on every sample dataset and test fixture', async () => {
    const files = [...jsonlFiles(path.join(REPO, 'samples', 'workspace', 'datasets')), ...jsonlFiles(path.join(REPO, 'test', 'fixtures'))];
    let withErrors = 0;
    let clean = 0;
    for (const file of files) {
      const { errors } = await assertSameAsInMemory(file);
      if (errors) withErrors++;
      else clean++;
    }
    // Both paths are covered: files refused, and files converted to pairs.
    assert.ok(withErrors >= 5 && clean >= 5, `${withErrors} files with errors, ${clean} without`);
  });

  test('errors out of line order, many of them, and line ends of every kind', async () => {
    const dir = tempDir('dc-prepare-');
    const lines = [...benchLines(400)];
    // Errors from the schema, JSON syntax and pair rules, spread over the file, more than are kept.
    for (let i = 7; i < lines.length; i += 13) lines[i] = i % 2 ? '{"prompt": "cut off", "chosen": "x"' : JSON.stringify({ prompt: 'Q?', chosen: 'Same.', rejected: 'Same.' });
    lines[3] = '[1, 2]';
    lines[5] = '';
    const crlf = path.join(dir, 'crlf.jsonl');
    fs.writeFileSync(crlf, `\ufeff${lines.join('\r\n')}`);
    const mixed = path.join(dir, 'mixed.jsonl');
    fs.writeFileSync(mixed, lines.map((l, i) => l + (i % 3 === 0 ? '\r' : '\n')).join(''));
    for (const file of [crlf, mixed]) assert.ok((await assertSameAsInMemory(file)).errors > MAX_REPORTED_ERRORS);
    // Dataset rules report at the end of a stream: as errors, they land among the line errors.
    const strict = { recordRules, datasetRules, config: { ...DEFAULT_CONFIG, rules: { 'dataset-duplicate-record': { severity: 'error' as const } } } };
    const expected = prepareDataset(fs.readFileSync(crlf, 'utf8'), strict).errors;
    const duplicates = expected.filter((e) => e.message.endsWith('[dataset-duplicate-record]'));
    assert.ok(duplicates.length && expected.indexOf(duplicates[0]) < MAX_REPORTED_ERRORS, JSON.stringify(expected.slice(0, MAX_REPORTED_ERRORS)));
    await assertSameAsInMemory(crlf, strict);
    // With the pair rule off the check passes it, and the conversion refuses the same lines.
    const quiet = { recordRules, datasetRules, config: { ...DEFAULT_CONFIG, rules: { 'pair-identical': { severity: 'off' as const } } } };
    const same = path.join(dir, 'same.jsonl');
    fs.writeFileSync(same, `${[...benchLines(30), JSON.stringify({ prompt: 'Q?', chosen: 'Same.', rejected: 'Same.' })].join('\n')}\n`);
    assert.equal((await assertSameAsInMemory(same, quiet)).errors, 1);
    // A file whose first records are not preference pairs, an empty one, one of blank lines.
    const chat = path.join(dir, 'chat.jsonl');
    fs.writeFileSync(chat, `${'{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}\n'.repeat(250)}${lines.join('\n')}`);
    const empty = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(empty, '');
    const blank = path.join(dir, 'blank.jsonl');
    fs.writeFileSync(blank, '\n  \n\n');
    for (const file of [chat, empty, blank]) assert.ok((await assertSameAsInMemory(file)).errors > 0, file);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/** The tiny backend's data handling, with a stand-in process that exits at once: nothing trains. */
function standInBackend(): Backend {
  return { ...tinyBackend(), launch: () => ({ command: process.execPath, args: ['-e', ''], env: {} }) };
}

test('a validation set: both files written as the backend reads them, the overlap counted from hashes; a bad file leaves no files', async () => {
  const server = await startServer({ backend: standInBackend() });
  try {
    const client = new TrainerClient({ baseUrl: server.url });
    const training = fs.readFileSync(PAIRS, 'utf8');
    const trainingLines = training.trim().split('\n');
    const shared = { ...JSON.parse(trainingLines[1]), chosen: 'A name you like saying out loud.' };
    const held = `${fs.readFileSync(VALIDATION, 'utf8').trim()}\n${trainingLines[0]}\n${trainingLines[2]}\n${JSON.stringify(shared)}\n`;
    const run = async (validationText: string) => {
      const [train, validation] = [await client.uploadFile(PAIRS), await client.uploadFile({ data: validationText, fileName: 'held.jsonl' })];
      const job = await client.createJob({ training_file: train.id, validation_file: validation.id });
      const final = await client.followJob(job.id, { onEvent: () => {} });
      return { final, dir: path.join(server.dataDir, 'jobs', job.id), events: (await client.listEvents(job.id, { limit: 100 })).data };
    };

    const { dir, events } = await run(held);
    const expected = [prepareDataset(training), prepareDataset(held)];
    const overlap = validationOverlap(expected[0].pairs, expected[1].pairs);
    assert.equal(overlap.pairs, 2);
    assert.ok(overlap.prompts >= 1);
    const warned = events.find((e) => e.level === 'warn' && /are also in the training file/.test(e.message));
    assert.deepEqual(warned?.data, { overlap });
    assert.ok(warned!.message.startsWith(`2 of the 15 validation pairs are also in the training file and ${overlap.prompts} more share a prompt`), warned!.message);
    const lines = (pairs: NormalizedPair[]) => pairs.map((p) => `${datasetLine('text', p)}\n`).join('');
    assert.equal(fs.readFileSync(path.join(dir, 'dataset.jsonl'), 'utf8'), lines(expected[0].pairs));
    assert.equal(fs.readFileSync(path.join(dir, 'validation.jsonl'), 'utf8'), lines(expected[1].pairs));

    // One upload as both files: checked once, the same pairs written to both.
    const both = await client.uploadFile(PAIRS);
    const twice = await client.createJob({ training_file: both.id, validation_file: both.id });
    await client.followJob(twice.id, { onEvent: () => {} });
    const twiceDir = path.join(server.dataDir, 'jobs', twice.id);
    assert.equal(fs.readFileSync(path.join(twiceDir, 'dataset.jsonl'), 'utf8'), lines(expected[0].pairs));
    assert.equal(fs.readFileSync(path.join(twiceDir, 'validation.jsonl'), 'utf8'), lines(expected[0].pairs));

    // Only the validation file is bad: the job fails on it, and the training pairs are not kept either.
    const bad = await run(`${held}{"prompt": "cut off"\n`);
    assert.equal(bad.final.error?.code, 'invalid_validation_file');
    assert.match(bad.final.error!.message, /has 1 problem .*\nline 16: Invalid JSON/);
    assert.deepEqual(fs.readdirSync(bad.dir).filter((f) => f.endsWith('.jsonl') && f !== 'events.jsonl'), []);
  } finally {
    await server.close();
  }
});

describe('validation on a worker thread', () => {
  let upload: string;
  let records: number;
  before(() => {
    // Tens of megabytes: seconds of checking, on any machine.
    upload = path.join(tempDir('dc-big-upload-'), 'big.jsonl');
    records = writeBenchFile(upload, { bytes: 24 * 1024 * 1024 }).records;
  });
  after(() => fs.rmSync(path.dirname(upload), { recursive: true, force: true }));

  test('the server answers /health all through a big upload\'s validation', async () => {
    const server = await startServer({ backend: standInBackend() });
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const file = await client.uploadFile(upload);
      const job = await client.createJob({ training_file: file.id });
      const dataset = path.join(server.dataDir, 'jobs', job.id, 'dataset.jsonl');
      // What the job was doing when each answer came back, seen inside the server at that moment.
      const seen: { validating: boolean; writingPairs: boolean }[] = [];
      while (server.jobs.get(job.id).status === 'validating_files') {
        const res = await fetch(`${server.url}/health`);
        seen.push({ validating: server.jobs.get(job.id).status === 'validating_files', writingPairs: fs.existsSync(dataset) });
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { ok: boolean }).ok, true);
      }
      const during = seen.filter((s) => s.validating);
      // Every answer but the one in flight when validation ended came while the job validated:
      // while the file was checked, and while its pairs were written.
      assert.ok(during.length >= seen.length - 1, `${during.length} of ${seen.length} answers came during validation`);
      assert.ok(during.some((s) => !s.writingPairs), 'answers while the file was checked');
      assert.ok(during.some((s) => s.writingPairs), 'answers while its pairs were written');
      assert.ok(during.length >= 10, `${during.length} answers during validation`);
      const final = await client.followJob(job.id, { onEvent: () => {} });
      const events = (await client.listEvents(job.id, { limit: 100 })).data;
      const validated = events.find((e) => e.message.startsWith('Files validated'));
      assert.ok(validated, `validated: ${events.map((e) => e.message).join(' | ')} (${final.status})`);
      assert.match(validated.message, new RegExp(`^Files validated: ${records} preference pairs \\(trl-standard, \\d+ warnings;`));
      assert.equal(fs.readFileSync(dataset, 'utf8').split('\n').length, records + 1);
    } finally {
      await server.close();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  test('cancelling during validation, and stopping the server during validation, end the worker thread', async () => {
    const serve = async (dataDir: string, act: (client: TrainerClient, job: FineTuningJob) => Promise<void>) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(REPO, 'src', 'cli', 'main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--python', '/bin/true', '--skip-preflight'],
        { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /^(http:\S+)\n/.exec(out);
          if (m) resolve(m[1]);
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}`)));
      });
      const client = new TrainerClient({ baseUrl: url });
      const job = await client.createJob({ training_file: (await client.uploadFile(upload)).id });
      // The worker starts as the job announces its validation.
      while (!(await client.listEvents(job.id)).data.some((e: JobEvent) => e.message.startsWith('Validating'))) await new Promise((r) => setTimeout(r, 20));
      await act(client, job);
      // Stopped with Ctrl+C, the server closes and its process ends by itself: no thread is left
      // to keep it alive. A worker left running would have finished the dataset file first.
      child.kill('SIGINT');
      assert.equal(await exited, 0);
      const dataset = path.join(dataDir, 'jobs', job.id, 'dataset.jsonl');
      const written = fs.existsSync(dataset) ? fs.readFileSync(dataset, 'utf8').split('\n').length - 1 : 0;
      assert.ok(written < records, `${written} of ${records} pairs written`);
      const stored = JSON.parse(fs.readFileSync(path.join(dataDir, 'jobs', job.id, 'job.json'), 'utf8')).job as FineTuningJob;
      fs.rmSync(dataDir, { recursive: true, force: true });
      return stored;
    };

    const cancelled = await serve(tempDir(), async (client, job) => {
      assert.equal((await client.getJob(job.id)).status, 'validating_files');
      const after = await client.cancelJob(job.id);
      assert.equal(after.status, 'cancelled');
      const events = (await client.listEvents(job.id)).data;
      assert.ok(!events.some((e) => e.message.startsWith('Files validated')));
    });
    assert.equal(cancelled.status, 'cancelled');

    // Shut down mid-validation, the job stays validating: a restarted server validates it again.
    const interrupted = await serve(tempDir(), async (client, job) => {
      assert.equal((await client.getJob(job.id)).status, 'validating_files');
    });
    assert.equal(interrupted.status, 'validating_files');
  });

  test('a worker that dies (out of memory here) fails its job with the reason; the server goes on', async () => {
    const store = new DataStore(tempDir());
    const id = newId('file');
    fs.copyFileSync(upload, store.partialUploadPath(id));
    store.commitUpload({ id, object: 'file', bytes: fs.statSync(upload).size, created_at: 0, filename: 'big.jsonl', purpose: 'fine-tune' });
    const jobs = new JobManager({ store, backend: standInBackend(), validationHeapMb: 8 });
    try {
      const end = (jobId: string) => new Promise<FineTuningJob>((resolve) => jobs.follow(jobId, undefined, { onEvent: () => {}, onEnd: resolve }));
      const first = await end(jobs.create({ training_file: id }).id);
      assert.equal(first.status, 'failed');
      assert.equal(first.error?.code, 'validation_failed');
      assert.match(first.error!.message, /^Validation stopped before it finished: .*out of memory.*\. Nothing was trained\.$/);
      // The manager goes on: the next job is taken and validated (and fails the same way).
      const second = await end(jobs.create({ training_file: id }).id);
      assert.equal(second.error?.code, 'validation_failed');
      assert.ok(jobs.list(undefined, 10).data.every((j) => isTerminalStatus(j.status)));
    } finally {
      await jobs.close();
      fs.rmSync(store.root, { recursive: true, force: true });
    }
  });
});
