import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordIndex } from '../../src/core/compare/recordIndex';

const lines = ['{"a":1}', '', '  ', '{"a":2}', 'not json', '', '{"a":3}'];
const index = RecordIndex.build({ lineCount: lines.length, lineText: (i) => lines[i] });

test('records are the non-blank lines, numbered from 1', () => {
  assert.equal(index.count, 4);
  assert.deepEqual([0, 1, 3, 4, 6].map((l) => index.numberOf(l)), [1, undefined, 2, 3, 4]);
});

test('a cursor on a blank line means the next record, or the last one at the end', () => {
  assert.equal(index.recordAt(1), 3);
  assert.equal(index.recordAt(5), 6);
  assert.equal(index.recordAt(99), 6);
  assert.equal(RecordIndex.build({ lineCount: 1, lineText: () => '' }).recordAt(0), undefined);
});

test('previous and next skip blank lines and stop at the ends', () => {
  assert.equal(index.next(0), 3);
  assert.equal(index.next(4), 6);
  assert.equal(index.next(6), undefined);
  assert.equal(index.previous(6), 4);
  assert.equal(index.previous(3), 0);
  assert.equal(index.previous(0), undefined);
});

test('next record with problems goes forward, wraps to the top, and ignores lines that are not records', () => {
  const problems = new Set([4, 0, 5]);
  assert.deepEqual(index.nextWithProblem(0, problems), { line: 4, wrapped: false });
  assert.deepEqual(index.nextWithProblem(4, problems), { line: 0, wrapped: true });
  assert.equal(index.nextWithProblem(0, new Set([0])), undefined);
  assert.equal(index.nextWithProblem(3, new Set()), undefined);
});
