/** The editor's validation-set step: which files next to the dataset it offers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validationCandidates } from '../../src/extension/training/validationFiles';

test('validation candidates: held-out names next to the dataset, those of the same dataset first', () => {
  const siblings = [
    'pairs.jsonl',
    'pairs.val.jsonl',
    'pairs-validation.ndjson',
    'eval.jsonl',
    'dev.jsonl',
    'test_set.jsonl',
    'heldout.jsonl',
    'held-out.jsonl',
    'interval.jsonl', // "val" inside a word is not a marker
    'evaluation-notes.md', // not a dataset
    'latest.jsonl',
    'valid.json',
    'other.jsonl',
  ];
  assert.deepEqual(validationCandidates('pairs.jsonl', siblings), [
    'pairs-validation.ndjson',
    'pairs.val.jsonl',
    'dev.jsonl',
    'eval.jsonl',
    'held-out.jsonl',
    'heldout.jsonl',
    'test_set.jsonl',
  ]);
  // The dataset itself is never offered, even when its own name says "train/val".
  assert.deepEqual(validationCandidates('val.jsonl', ['val.jsonl', 'train.jsonl']), []);
  assert.deepEqual(validationCandidates('train.jsonl', ['train.jsonl', 'Valid.JSONL', 'test.jsonl']), ['Valid.JSONL', 'test.jsonl']);
});
