/**
 * `dialogue-curator check` runs big files on worker threads. Its findings must be exactly those of
 * the single-threaded check: same findings, same order, same related lines, same record count.
 * Tiny batches force many batches through both workers, finishing out of order.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { benchLines } from '../../bench/generate';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules, recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';
import { checkFile, checkFileForReport, checkFileInThread, FileResult } from '../../src/node/checkFile';
import { parallelPlan } from '../../src/node/parallelCheck';
import { loadConfigFile, settingsForFile } from '../../src/node/project';

const tiny = { threads: 2, minBytes: 0, batchLines: 3, batchBytes: 600, batchesPerWorker: 1 };

/** Findings as the CLI's reports read them (no `data`; undefined fields left out). */
function printed(findings: Iterable<Finding>): unknown[] {
  return [...findings].map(({ data: _data, ...f }) => JSON.parse(JSON.stringify(f)));
}

/** The CLI's compact findings (FindingStore) on threads and in one thread are `expected`'s, as printed. */
async function assertReportSame(file: string, settings: Parameters<typeof checkFile>[1], expected: FileResult): Promise<void> {
  for (const threads of [tiny, { threads: 1 }]) {
    const report = await checkFileForReport(file, settings, undefined, threads);
    assert.equal(report.records, expected.records);
    assert.equal(report.findings.length, expected.findings.length);
    assert.deepEqual(printed(report.findings), printed(expected.findings), `${file} (${threads.threads} threads)`);
  }
}

function tempFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-parallel-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test('the sample datasets with problems give the same findings on worker threads as in one thread', async () => {
  const root = 'samples/workspace';
  const config = loadConfigFile(path.join(root, '.dialoguecurator.json'));
  const files = ['problems', 'custom'].flatMap((d) =>
    fs
      .readdirSync(path.join(root, 'datasets', d))
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => path.join(root, 'datasets', d, f)),
  );
  const codes = new Set<string>();
  for (const file of files) {
    const { settings } = settingsForFile(file, config);
    assert.ok(parallelPlan(file, settings, tiny), `${file} runs on workers`);
    const one = await checkFileInThread(file, settings);
    const many = await checkFile(file, settings, undefined, tiny);
    assert.deepEqual(many, one, file);
    await assertReportSame(file, settings, one);
    for (const f of one.findings) codes.add(f.code);
  }
  // The comparison covers every kind of finding: record rules, dataset rules, bytes and syntax.
  for (const code of ['invalid-utf8', 'schema', 'tone-empathy', 'pair-inverted', 'tokens-over-max', 'conversation-role-order', 'dataset-duplicate-record', 'dataset-shortcut-record', 'dataset-length-bias']) {
    assert.ok(codes.has(code), `${code} not in the samples: ${[...codes].join(' ')}`);
  }
});

test('a large file with every kind of line: same findings, related lines and record count on threads', async () => {
  const lines = [...benchLines(600)];
  // Lines the format vote and the workers must treat alike: broken JSON, a list, blank lines, CRLF, invalid UTF-8.
  lines.splice(3, 0, '{"prompt": "x" "chosen": "y"}', '[1, 2]', '');
  lines.splice(250, 0, '', '   ');
  lines.push(lines[10], lines[20]);
  const text = Buffer.concat([Buffer.from(`${lines.slice(0, 400).join('\r\n')}\n`), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]), Buffer.from(lines.slice(400).join('\n'))]);
  const file = tempFile('big.jsonl', text);
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const one = await checkFileInThread(file, settings);
  for (const options of [tiny, { threads: 3, minBytes: 0, batchBytes: 20_000 }]) {
    const many = await checkFile(file, settings, undefined, options);
    assert.equal(many.records, one.records);
    assert.equal(many.format, one.format);
    assert.deepEqual(many.findings, one.findings, JSON.stringify(options));
  }
  const codes = new Set(one.findings.map((f) => f.code));
  for (const code of ['json-syntax', 'record-not-object', 'invalid-utf8', 'dataset-duplicate-record', 'dataset-duplicate-prompt', 'dataset-shortcut', 'dataset-shortcut-record']) assert.ok(codes.has(code), code);
  assert.ok(one.findings.some((f) => f.related?.length), 'some findings carry related lines');
});

test('small files, other rule lists and one-thread settings stay in the calling thread', () => {
  const file = tempFile('small.jsonl', '{"prompt": "a", "chosen": "b", "rejected": "c"}\n');
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  assert.equal(parallelPlan(file, settings), undefined, 'under the default minimum size');
  assert.ok(parallelPlan(file, settings, { threads: 2, minBytes: 0 }));
  assert.equal(parallelPlan(file, settings, { threads: 1, minBytes: 0 }), undefined);
  assert.equal(parallelPlan(file, { ...settings, recordRules: [recordRules[0]] }, { threads: 2, minBytes: 0 }), undefined, 'a rule list workers cannot name');
  assert.equal(parallelPlan(file, { recordRules: [] }, { minBytes: 0 }), undefined, 'schema only: threads only when asked for');
  assert.equal(parallelPlan(path.join(path.dirname(file), 'missing.jsonl'), settings, { threads: 2, minBytes: 0 }), undefined);
});

test('an aborted parallel check stops its workers and rejects', async () => {
  const file = tempFile('abort.jsonl', `${[...benchLines(400)].join('\n')}\n`);
  const controller = new AbortController();
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const run = checkFile(file, settings, controller.signal, { threads: 2, minBytes: 0, batchLines: 5, batchesPerWorker: 1 });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(run, (err: Error) => err.name === 'AbortError');
});

test('the tone note folds pair-inverted alike in one thread, on worker threads and in checkText; turned off, the warnings stay', async () => {
  const rec = (i: number, kindFirst: boolean) => {
    const kind = `That sounds really hard, and I'm sorry you're dealing with it. A pharmacist can help you set up reminders for pill ${i}.`;
    const cold = `Obviously you should have set reminders for pill ${i} ages ago. Just do it.`;
    return JSON.stringify({ prompt: `How do I remember pill number ${i}?`, chosen: kindFirst ? kind : cold, rejected: kindFirst ? cold : kind });
  };
  // Chosen is the kinder side in 12 of 30 pairs.
  const text = Array.from({ length: 30 }, (_, i) => rec(i, i % 5 < 2)).join('\n') + '\n';
  const file = tempFile('unseparated.jsonl', text);
  const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const one = await checkFileInThread(file, settings);
  assert.deepEqual(await checkFile(file, settings, undefined, tiny), one);
  await assertReportSame(file, settings, one);
  assert.deepEqual(checkText(text, settings).findings, one.findings);
  const notes = one.findings.filter((f) => f.code === 'dataset-tone-unseparated');
  assert.equal(notes.length, 1);
  assert.match(notes[0].message, /chosen scores higher on tone in 40% of 30 pairs/);
  assert.match(notes[0].message, /the 18 "are chosen and rejected swapped\?" warnings \(pair-inverted\) are folded/);
  assert.equal(notes[0].related?.length, 10);
  assert.ok(!one.findings.some((f) => f.code === 'pair-inverted'));

  const off = { ...settings, config: { ...DEFAULT_CONFIG, rules: { 'dataset-tone-unseparated': { severity: 'off' as const } } } };
  const kept = await checkFileInThread(file, off);
  assert.equal(kept.findings.filter((f) => f.code === 'pair-inverted').length, 18);
  // The note counts exactly the warnings it replaces.
  assert.equal(notes[0].data!.inverted, kept.findings.filter((f) => f.code === 'pair-inverted').length);
  assert.deepEqual(await checkFile(file, off, undefined, tiny), kept);
});
