/**
 * The editor model's first full check runs its record checks on worker threads (as the CLI does)
 * and adopts their results: the summary must be exactly what the model gives checking every line
 * itself, and edits afterwards must find the same state.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { benchLines } from '../../bench/generate';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules, recordRules } from '../../src/core/curation';
import { CheckSettings, DatasetModel } from '../../src/core/engine';
import { firstChecksOnThreads, workerBatch } from '../../src/node/modelPool';

const SAMPLES = 'samples/workspace/datasets/problems';

function lines(): string[] {
  // Ordinary records, then every problem sample (broken JSON, blank lines, non-objects, duplicates, other formats).
  const out = [...benchLines(240)];
  for (const f of fs.readdirSync(SAMPLES).filter((n) => n.endsWith('.jsonl')).sort()) out.push(...fs.readFileSync(`${SAMPLES}/${f}`, 'latin1').split('\n'));
  out.push('[1, 2]', '"just a string"', '', '{"prompt": ');
  return out;
}

async function both(settings: CheckSettings, text: string[]): Promise<[DatasetModel, DatasetModel]> {
  const own = new DatasetModel(settings);
  own.setLines(text);
  const threaded = new DatasetModel(settings);
  threaded.setLines(text);
  const used = await firstChecksOnThreads(threaded, { config: settings.config!, format: settings.format }, { threads: 2, minLines: 0, batchLines: 37 });
  assert.ok(used, 'the threads ran');
  return [own, threaded];
}

test('a first check on threads gives the summary the model gives alone, and edits after it agree', async () => {
  const text = lines();
  const settings: CheckSettings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const [own, threaded] = await both(settings, text);
  const a = own.summary();
  const b = threaded.summary();
  assert.ok(a.findings.length > 100, `${a.findings.length} findings`);
  assert.deepEqual(b, a);
  // A word typed in a record, a line inserted, a line deleted: both models follow alike.
  const edits: [number, number, string[]][] = [
    [5, 1, [text[5].replace('"chosen":"', '"chosen":"Thank you for asking. ')]],
    [3, 0, [text[7]]],
    [10, 2, []],
  ];
  for (const [start, count, added] of edits) {
    own.splice(start, count, added);
    threaded.splice(start, count, added);
    assert.deepEqual(threaded.summary(), own.summary());
  }
});

test('a forced format is what the threads check against; a small model is left to its own check', async () => {
  const text = lines();
  const settings: CheckSettings = { config: DEFAULT_CONFIG, recordRules, datasetRules, format: 'trl-conversational' };
  const [own, threaded] = await both(settings, text);
  assert.deepEqual(threaded.summary(), own.summary());
  const small = new DatasetModel(settings);
  small.setLines(text.slice(0, 10));
  assert.equal(await firstChecksOnThreads(small, { config: DEFAULT_CONFIG }, { threads: 2 }), false);
});

test('records counted into the dataset rules as slices are checked give the summary of a model that counts them all at once, edits between slices included', () => {
  const text = lines();
  const settings: CheckSettings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
  const own = new DatasetModel(settings);
  own.setLines(text);
  const expected = own.summary();
  // Slices checked out of order (as threads answer), counted after each.
  const ahead = new DatasetModel(settings);
  ahead.setLines(text);
  ahead.decideFormat();
  const n = text.length;
  for (const [from, to] of [
    [60, 120],
    [0, 30],
    [30, 60],
    [120, n],
  ]) {
    ahead.checkRange(from, to);
    ahead.countChecked();
  }
  assert.deepEqual(ahead.summary(), expected);
  // An edit after some lines were counted ahead: the summary counts from scratch where it must.
  const edited = new DatasetModel(settings);
  edited.setLines(text);
  edited.decideFormat();
  edited.checkRange(0, 100);
  edited.countChecked();
  edited.splice(3, 0, [text[7]]);
  edited.checkRange(0, n + 1);
  edited.countChecked();
  const after = [...text.slice(0, 3), text[7], ...text.slice(3)];
  const fresh = new DatasetModel(settings);
  fresh.setLines(after);
  assert.deepEqual(edited.summary(), fresh.summary());
});

test('worker batches shrink as the end nears, so the threads finish together', () => {
  // Far from the end: whole batches.
  assert.equal(workerBatch(100_000, 2, 2000), 2000);
  // Near it: a share of what is left per thread, never below the calling thread's batch.
  assert.equal(workerBatch(3000, 2, 2000), 750);
  assert.equal(workerBatch(500, 2, 2000), 200);
  assert.equal(workerBatch(10, 2, 2000), 200);
  // A smaller batch size asked for is kept, and a batch always has a line.
  assert.equal(workerBatch(100_000, 2, 37), 37);
  assert.equal(workerBatch(0, 4, 0), 1);
  // Batch sizes never grow as lines are taken.
  let left = 50_000;
  let last = Infinity;
  while (left > 0) {
    const n = workerBatch(left, 2, 2000);
    assert.ok(n <= last);
    last = n;
    left -= n;
  }
});
