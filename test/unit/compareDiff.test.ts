import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_DIFF_BUDGET, diffResponses, DiffSegment, segmentsPerTurn } from '../../src/core/compare/diffModel';
import { DiffMemo } from '../../src/core/compare/recordView';

const join = (segments: DiffSegment[]) => segments.map((s) => s.text).join('');
const changed = (segments: DiffSegment[]) => segments.filter((s) => s.changed).map((s) => s.text);

test('a changed word is highlighted on both sides, the rest is shared', () => {
  const d = diffResponses('I would be glad to help you today.', 'I would refuse to help you today.');
  assert.equal(d.granularity, 'words');
  assert.deepEqual(changed(d.chosen).map((s) => s.trim()), ['be glad']);
  assert.deepEqual(changed(d.rejected).map((s) => s.trim()), ['refuse']);
});

test('a word that only grows is highlighted whole, not split inside', () => {
  const d = diffResponses('We walk home.', 'We walked home.');
  assert.deepEqual(changed(d.chosen), ['walk']);
  assert.deepEqual(changed(d.rejected), ['walked']);
});

test('insertions and deletions show only on the side that has them', () => {
  const d = diffResponses('Keep calm and carry on.', 'Keep calm, breathe, and carry on.');
  assert.deepEqual(changed(d.chosen), []);
  assert.ok(changed(d.rejected).join('').includes('breathe'));
  const e = diffResponses('Sure, here it is: 42.', '42.');
  assert.ok(changed(e.chosen).join('').includes('here it is'));
});

test('identical and empty texts', () => {
  assert.equal(diffResponses('same', 'same').granularity, 'identical');
  assert.deepEqual(diffResponses('', '').chosen, []);
  const d = diffResponses('', 'new text');
  assert.deepEqual(d.chosen, []);
  assert.deepEqual(d.rejected, [{ text: 'new text', changed: true }]);
});

test('segments always rebuild both texts exactly (property)', () => {
  const words = fc.constantFrom('a', 'b', 'cat', 'dog', ' ', '  ', '\n', '.', ',', 'é', '😀', 'walk', 'walked');
  const text = fc.array(words, { maxLength: 40 }).map((w) => w.join(''));
  fc.assert(
    fc.property(text, text, (a, b) => {
      const d = diffResponses(a, b);
      assert.equal(join(d.chosen), a);
      assert.equal(join(d.rejected), b);
      for (const side of [d.chosen, d.rejected]) {
        for (let i = 1; i < side.length; i++) assert.notEqual(side[i].changed, side[i - 1].changed, 'neighbouring segments are merged');
      }
    }),
    { numRuns: 300 },
  );
});

function prose(words: number, seed: number): string {
  const vocab = ['the', 'model', 'should', 'answer', 'kindly', 'and', 'clearly', 'because', 'users', 'read', 'every', 'word', 'of', 'it', 'today'];
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(vocab[x % vocab.length]);
    if (i % 17 === 16) out.push('\n');
  }
  return out.join(' ');
}

test('a 100 KB response with a few edits is diffed word by word within the budget', (t) => {
  const a = prose(18000, 1);
  assert.ok(a.length >= 100_000, `response is ${a.length} characters`);
  const b = a.slice(0, 30_000) + ' inserted words here ' + a.slice(30_000, 70_000).replace('kindly', 'rudely') + a.slice(70_010);
  const started = performance.now();
  const d = diffResponses(a, b);
  const ms = performance.now() - started;
  t.diagnostic(`100 KB with small edits: ${ms.toFixed(1)} ms, ${d.granularity}, ${d.chosen.length + d.rejected.length} segments`);
  assert.equal(d.granularity, 'words');
  assert.equal(join(d.chosen), a);
  assert.equal(join(d.rejected), b);
  assert.ok(changed(d.rejected).join('').includes('inserted words here'));
});

test('two unrelated 100 KB responses fall back to a coarser diff instead of freezing', (t) => {
  const a = prose(18000, 7);
  const b = prose(18000, 99);
  const started = performance.now();
  const d = diffResponses(a, b);
  const ms = performance.now() - started;
  t.diagnostic(`100 KB unrelated: ${ms.toFixed(1)} ms, ${d.granularity} (word budget ${DEFAULT_DIFF_BUDGET.wordTimeoutMs} ms + line budget ${DEFAULT_DIFF_BUDGET.lineTimeoutMs} ms)`);
  assert.notEqual(d.granularity, 'words');
  assert.ok(d.note, 'the reader is told why the diff is coarse');
  assert.equal(join(d.chosen), a);
  assert.equal(join(d.rejected), b);
  // A guard against a hang, far above the budget (not a benchmark): the unbounded word diff of
  // these texts takes many seconds.
  assert.ok(ms < 5000, `took ${ms} ms`);
});

test('without a word budget, changed lines are highlighted whole', () => {
  const d = diffResponses('intro\na b\nsame line\nc d\n', 'intro\na B\nsame line\nc D\n', { ...DEFAULT_DIFF_BUDGET, wordTimeoutMs: 0 });
  assert.equal(d.granularity, 'lines');
  assert.deepEqual(changed(d.chosen), ['b\n', 'c d']);
  assert.deepEqual(changed(d.rejected), ['B\n', 'c D']);
});

test('a zero budget goes straight to whole-block highlighting', () => {
  const d = diffResponses('alpha beta gamma', 'delta epsilon', { wordTimeoutMs: 0, lineTimeoutMs: 0, maxWordChars: 0, maxLineChars: 0 });
  assert.equal(d.granularity, 'block');
  assert.deepEqual(d.chosen, [{ text: 'alpha beta gamma', changed: true }]);
});

test('segments are cut per turn, dropping the separators between turns', () => {
  const segments: DiffSegment[] = [
    { text: 'Hello th', changed: false },
    { text: 'ere\n\nBye', changed: true },
    { text: ' now', changed: false },
  ];
  assert.deepEqual(segmentsPerTurn(segments, ['Hello there'.length, 'Bye now'.length], '\n\n'), [
    [
      { text: 'Hello th', changed: false },
      { text: 'ere', changed: true },
    ],
    [
      { text: 'Bye', changed: true },
      { text: ' now', changed: false },
    ],
  ]);
  assert.deepEqual(segmentsPerTurn([{ text: 'x\n\n', changed: false }], [1, 0], '\n\n'), [[{ text: 'x', changed: false }], []]);
});

test('the diff memo returns the same result for a recent pair and forgets the oldest', () => {
  const memo = new DiffMemo(2);
  const first = memo.get('a b', 'a c', DEFAULT_DIFF_BUDGET);
  assert.equal(memo.get('a b', 'a c', DEFAULT_DIFF_BUDGET), first, 'a hit is the very same object');
  memo.get('x', 'y', DEFAULT_DIFF_BUDGET);
  assert.equal(memo.get('a b', 'a c', DEFAULT_DIFF_BUDGET), first, 'still among the last two');
  memo.get('p', 'q', DEFAULT_DIFF_BUDGET);
  memo.get('r', 's', DEFAULT_DIFF_BUDGET);
  const again = memo.get('a b', 'a c', DEFAULT_DIFF_BUDGET);
  assert.notEqual(again, first, 'evicted, so diffed again');
  assert.deepEqual(again, first);
});
