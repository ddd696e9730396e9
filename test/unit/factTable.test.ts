/**
 * The streaming checks keep the dataset rules' facts compactly (FactTable: typed columns, the
 * shortcut candidates as n-gram hashes counted with bounded counters). Every dataset rule must
 * give from them exactly what it gives from the facts objects the editor model keeps.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { rng } from '../../bench/generate';
import { CuratorConfig, DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules } from '../../src/core/curation';
import { ChunkStore, ChunkStores, MemoryChunks, memoryChunks } from '../../src/core/dataset/chunks';
import { FactTable } from '../../src/core/dataset/factTable';
import { RecordFacts } from '../../src/core/dataset/facts';
import { findShortcuts, forEachGram, MAX_GRAMS_PER_RESPONSE, ShortcutColumns, ShortcutInput, ShortcutOptions } from '../../src/core/dataset/shortcuts';
import { analyzeTone } from '../../src/core/tone/analyze';
import { RecordEntry, sortFindings } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';
import { checkFileForReport } from '../../src/node/checkFile';
import { FileChunks, fileChunks } from '../../src/node/fileChunks';
import { FindingStore } from '../../src/node/findingStore';

const WORDS = ['i', 'am', 'so', 'sorry', 'you', 'can', 'try', 'a', 'the', 'it', 'might', 'help', 'to', 'hope', 'this', 'helps', 'please', 'note', 'that', 'carers', 'often', 'find'];

/** Candidates as ToneAnalysis.openers gives them: up to six openers of up to four words, and a closer. */
function openers(r: () => number, flavour: string[]): string | undefined {
  if (r() < 0.05) return undefined;
  const word = () => (r() < 0.3 ? flavour[Math.floor(r() * flavour.length)] : r() < 0.5 ? WORDS[Math.floor(r() * WORDS.length)] : `w${Math.floor(r() * 5000)}`);
  const out: string[] = [];
  // A phrase of this side opens a sentence in about a third of its responses.
  if (r() < 0.35) out.push(flavour.slice(0, 2 + Math.floor(r() * 3)).join(' '));
  const sentences = Math.floor(r() * 6);
  for (let s = 0; s < sentences; s++) out.push(Array.from({ length: 2 + Math.floor(r() * 3) }, word).join(' '));
  if (r() < 0.9) out.push(`$${Array.from({ length: 2 + Math.floor(r() * 2) }, word).join(' ')}`);
  return out.length ? out.join('\n') : undefined;
}

function records(n: number, seed: number): ShortcutInput[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, line) => ({ line: line * 2, so: openers(r, ['i', 'am', 'so', 'sorry']), ro: openers(r, ['please', 'note', 'that']) }));
}

test('the compact shortcut search finds the phrases and uses that the full index finds, with many more n-grams than counters', () => {
  for (const [seed, threshold] of [
    [1, 0.2],
    [2, 0.05],
    [3, 0.3],
    [4, 0.01],
  ] as const) {
    const input = records(3000, seed);
    const options: ShortcutOptions = { threshold };
    const expected = findShortcuts(input, options);
    const columns = new ShortcutColumns(threshold);
    for (const x of input) columns.add(x);
    const occurrences: { line: number; side: string; phrase: number }[] = [];
    const phrases = columns.search(options, (row, side, phrase) => occurrences.push({ line: input[row].line, side, phrase }));
    assert.ok(expected.phrases.length > 0, `seed ${seed} has phrases`);
    assert.deepEqual(phrases, expected.phrases, `seed ${seed}`);
    assert.deepEqual(occurrences, expected.occurrences, `seed ${seed}`);
  }
});

test('the compact shortcut search gives the same phrases and uses when its n-gram pool spans several chunks, kept in memory or in temporary files', () => {
  const input = records(30000, 5);
  const options: ShortcutOptions = { threshold: 0.1 };
  const expected = findShortcuts(input, options);
  assert.ok(expected.phrases.length > 0);
  for (const [name, stores] of [['memory', memoryChunks], ['files', fileChunks]] as const) {
    const made: ChunkStore[] = [];
    const columns = new ShortcutColumns(options.threshold, () => {
      const store = stores();
      made.push(store);
      return store;
    });
    for (const x of input) columns.add(x);
    // Each side's pool grows by chunks of 64k hashes (256 KB): more than two chunks a side here.
    assert.ok(made.every((store) => store.count >= 2), `${name}: ${made.map((store) => store.count)} chunks`);
    if (name === 'files') assert.ok(made.every((store) => store instanceof FileChunks && store.bytes === 0), 'the file stores hold no chunk in memory before the search');
    else assert.ok(columns.bytes > 2 * 2 * 256 * 1024, `${columns.bytes} bytes`);
    const occurrences: { line: number; side: string; phrase: number }[] = [];
    const phrases = columns.search(options, (row, side, phrase) => occurrences.push({ line: input[row].line, side, phrase }));
    assert.deepEqual(phrases, expected.phrases, name);
    assert.deepEqual(occurrences, expected.occurrences, name);
    // Searching again reads the chunks again from the start.
    const again: { line: number; side: string; phrase: number }[] = [];
    columns.search(options, (row, side, phrase) => again.push({ line: input[row].line, side, phrase }));
    assert.deepEqual(again, expected.occurrences, `${name}, second search`);
    columns.dispose();
  }
});

test('a temporary chunk file gives each chunk back as written, in any order, and keeps chunks in memory once the file cannot be written', () => {
  const store = new FileChunks();
  const chunk = (seed: number) => Int32Array.from({ length: 1000 }, (_, k) => Math.imul(seed + 1, k + 7) ^ (k << 3));
  let next = new Int32Array(1000);
  for (let k = 0; k < 3; k++) {
    next.set(chunk(k));
    const returned = store.put(next);
    assert.equal(returned, next, 'a written chunk is handed back to be filled again');
    next = returned;
  }
  // The module object itself (an import's namespace only has getters onto it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs: { writeSync: unknown } = require('node:fs');
  const writeSync = nodeFs.writeSync;
  nodeFs.writeSync = () => {
    throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
  };
  try {
    next.set(chunk(3));
    const returned = store.put(next);
    assert.notEqual(returned, next, 'a chunk kept in memory is not reused');
  } finally {
    nodeFs.writeSync = writeSync;
  }
  assert.equal(store.count, 4);
  assert.equal(store.bytes, 4000, 'only the chunk that could not be written is held');
  for (const k of [0, 1, 2, 3, 1, 0, 3, 2]) assert.deepEqual(Array.from(store.get(k)), Array.from(chunk(k)), `chunk ${k}`);
  store.dispose();
  assert.equal(store.bytes, 0);
});

test('reads that take turns among many places of a chunk file each go to the file once a block', () => {
  // Findings read in line order come from places that were written group by group: forty here.
  const store = new FileChunks();
  const length = 6 * 8192;
  for (let k = 0; k < 40; k++) store.put(Int32Array.from({ length }, (_, i) => k * length + i));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs: { readSync: (...args: unknown[]) => number } = require('node:fs');
  const readSync = nodeFs.readSync;
  let reads = 0;
  nodeFs.readSync = (...args: unknown[]) => {
    reads++;
    return readSync(...args);
  };
  try {
    const into = new Int32Array(6);
    for (let row = 0; row < 2048; row++) {
      for (let k = 0; k < 40; k++) {
        // Each place starts somewhere else in its chunk.
        const at = 6 * (row + ((k * 977) % 6000));
        store.read(k, at, into);
        assert.equal(into[0], k * length + at);
        assert.equal(into[5], k * length + at + 5);
      }
    }
  } finally {
    nodeFs.readSync = readSync;
  }
  // 2,048 rows of six ints are four blocks of 3,072 ints in each of the forty places, five where they straddle one.
  assert.ok(reads <= 40 * 5, `${reads} reads`);
  store.dispose();
});

/** Facts as datasetFactsRule stores them, with duplicates, shared prompts, tone gaps and inverted pairs. */
function facts(n: number, seed: number): RecordEntry[] {
  const r = rng(seed);
  const inputs = records(n, seed + 100);
  const out: RecordEntry[] = [];
  for (let i = 0; i < n; i++) {
    const f: Partial<RecordFacts> = { len: 1 + Math.floor(r() * 300), h: r() < 0.1 && i > 0 ? (out[Math.floor(r() * i)].facts.h as number) : Math.floor(r() * 2 ** 53) };
    if (r() < 0.8) f.p = Math.floor(r() * (n / 3));
    if (r() < 0.9) {
      f.cw = Math.floor(r() * 200);
      f.rw = r() < 0.9 ? Math.floor(r() * 100) : undefined;
      if (inputs[i].so) f.so = inputs[i].so;
      if (inputs[i].ro) f.ro = inputs[i].ro;
    }
    if (r() < 0.7) f.tg = r() - 0.55;
    if (f.tg !== undefined && f.tg < -0.2 && r() < 0.5) f.iv = 1;
    // A record without facts (h unset) is skipped by every rule.
    out.push({ line: i + Math.floor(i / 7), facts: (r() < 0.02 ? {} : f) as Record<string, unknown> });
  }
  return out;
}

test('every dataset rule gives the same findings from the fact table as from the entries', () => {
  const configs: CuratorConfig[] = [
    DEFAULT_CONFIG,
    { ...DEFAULT_CONFIG, rules: { 'dataset-duplicate-record': { severity: 'off' }, 'dataset-shortcut': { severity: 'off' }, 'pair-inverted': { severity: 'off' } } },
    { ...DEFAULT_CONFIG, rules: { 'dataset-shortcut-record': { severity: 'off' }, 'dataset-tone-unseparated': { threshold: 0.2 }, 'dataset-length-bias': { threshold: 0.4 } } },
  ];
  for (const [k, config] of configs.entries()) {
    // Seed 9: 40k rows, over several of the table's chunks (16k rows each).
    // Seed 9 again with the CLI's store: the table's full chunks in a temporary file.
    const runs: [number, number, ChunkStores?][] = [[7, 2500], [8, 2500]];
    if (k === 0) runs.push([9, 40_000], [9, 40_000, fileChunks]);
    for (const [seed, n, store] of runs) {
      const entries = facts(n, seed);
      const table = new FactTable(config, store);
      for (const e of entries) table.add(e.line, e.facts);
      // In a file, the table holds the chunk it fills, not its 40k rows (56 bytes each).
      if (store) assert.ok(table.bytes - (table.shortcuts?.bytes ?? 0) < 20_000 * 56, `${table.bytes} bytes in memory`);
      for (const rule of datasetRules) {
        const ctx = { config, format: undefined };
        const expected = rule.check(entries, ctx);
        const fromTable: Finding[] = [];
        rule.checkTable!(table, ctx, (f) => fromTable.push(f));
        assert.deepEqual(fromTable, expected, `${rule.id}, config ${k}, seed ${seed}${store ? ', in a file' : ''}`);
        if (k === 0 && seed === 7) assert.ok(expected.length > 0, `${rule.id} reports something`);
      }
      table.dispose();
    }
  }
});

test('the CLI keeps findings compactly and gives them back as they were, strings of any characters, shared related lists', () => {
  const store = new FindingStore();
  const related = [{ line: 3, column: 0, endLine: 3, endColumn: 1, message: 'Same prompt' }];
  const findings: Finding[] = [
    { line: 5, column: 2, endLine: 5, endColumn: 9, severity: 'info', code: 'b-rule', message: 'lone \ud800 surrogate, 漢字, é', field: 'chosen', related },
    { line: 5, column: 2, endLine: 5, endColumn: 9, severity: 'info', code: 'a-rule', message: 'plain', related },
    { line: 1, column: 0, endLine: 2, endColumn: 3, severity: 'error', code: 'folded', message: 'dropped' },
    { line: 0, column: 2 ** 40, endLine: 0, endColumn: 2 ** 40 + 1, severity: 'hint', code: 'far', message: 'beyond 32 bits' },
    { line: 0, column: 1, endLine: 0, endColumn: 2, severity: 'warning', code: 'x', message: 'é' },
  ];
  for (const f of findings) store.push(f);
  store.drop(new Set(['folded']));
  store.push({ line: 1, column: 0, endLine: 1, endColumn: 1, severity: 'warning', code: 'folded', message: 'a dataset finding with that code stays' });
  store.sort();
  assert.deepEqual([...store], [findings[4], findings[3], { line: 1, column: 0, endLine: 1, endColumn: 1, severity: 'warning', code: 'folded', message: 'a dataset finding with that code stays' }, findings[1], findings[0]]);
  assert.equal(store.length, 5);
});

test("the CLI's finding store gives back tens of thousands of findings (several chunks of its columns) in sortFindings order, details in memory or in a temporary file", () => {
  for (const details of [new MemoryChunks(), new FileChunks()]) {
    findingStoreRoundTrip(new FindingStore(details));
    assert.ok(details.count >= 3, `${details.count} chunks of details put`);
    details.dispose();
  }
});

function findingStoreRoundTrip(store: FindingStore): void {
  const findings: Finding[] = [];
  const codes = ['b-code', 'a-code', 'c-code'];
  const severities = ['error', 'warning', 'info', 'hint'] as const;
  // Record findings in line order, then dataset findings over the same lines, as a check pushes them.
  for (let k = 0; k < 30000; k++) {
    const line = k < 20000 ? k >> 1 : (k * 7919) % 10000;
    const related = k % 5 === 0 ? [{ line: line + 1, column: 0, endLine: line + 1, endColumn: 2, message: `related ${k % 3}` }] : undefined;
    findings.push({ line, column: k % 3, endLine: line, endColumn: 10 + (k % 11), severity: severities[k % 4], code: codes[k % 3], message: `message ${k % 101}`, ...(k % 2 ? { field: 'chosen' } : {}), ...(related ? { related } : {}) });
  }
  for (const f of findings) store.push(f);
  store.sort();
  assert.equal(store.length, findings.length);
  assert.deepEqual([...store], sortFindings(findings.slice()));
}

test('the tone analysis gives no response more shortcut n-grams than the compact counters are sized for', () => {
  // Many long sentences over several turns, sentence openers of every length, a long closer.
  const sentence = (i: number) => `${['Please', 'You could', 'It may help to', 'Many families find that'][i % 4]} try step number ${i} with care and patience today.`;
  const turns = Array.from({ length: 5 }, (_, t) => Array.from({ length: 30 }, (_, i) => sentence(t * 30 + i)).join(' '));
  for (const segments of [turns, [turns.join(' ')], ['Yes.'], ['Short answer here']]) {
    const { openers } = analyzeTone(segments);
    const grams = new Set<number>();
    forEachGram(openers.join('\n'), (h) => grams.add(h));
    assert.ok(grams.size <= MAX_GRAMS_PER_RESPONSE, `${grams.size} n-grams from ${openers.length} candidates`);
  }
});

test('a check that is given up lets go of its temporary files', { skip: !fs.existsSync('/proc/self/fd') && 'needs /proc/self/fd' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-given-up-'));
  const file = path.join(dir, 'pairs.jsonl');
  fs.writeFileSync(file, '{"prompt":"p","chosen":"c","rejected":"r"}\n'.repeat(50));
  const open = () => fs.readdirSync('/proc/self/fd').length;
  // A first check opens what the process keeps open afterwards (none of it the check's own).
  (await checkFileForReport(file, { config: DEFAULT_CONFIG, datasetRules })).findings.dispose();
  const before = open();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(checkFileForReport(file, { config: DEFAULT_CONFIG, datasetRules }, controller.signal));
  // The file's read stream closes its descriptor a moment after the abort (later on a busy machine):
  // waited for, up to a few seconds; a leaked descriptor stays open for good.
  for (let waited = 0; open() !== before && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(open(), before, `no descriptor is left open: ${fs.readdirSync('/proc/self/fd').map((fd) => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`); } catch { return '?'; } }).join(' ')}`);
  const done = await checkFileForReport(file, { config: DEFAULT_CONFIG, datasetRules });
  assert.ok(open() > before, 'a finished check keeps its findings file open for the report');
  done.findings.dispose();
  assert.equal(open(), before);
  fs.rmSync(dir, { recursive: true, force: true });
});
