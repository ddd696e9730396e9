/**
 * The shortcut search's counts per n-gram hash (HashCounts): the same counts as a Map would hold
 * through any sequence of additions and removals, hash 0 and tables rebuilt included.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HashCounts } from '../../src/core/dataset/hashCounts';

test('HashCounts keeps the counts a Map keeps, through growth, removals to zero and rebuilds', () => {
  // Few distinct hashes (collisions in a small table, keys coming back after reaching zero) and
  // any 32-bit hash, 0 and the extremes among them.
  const hash = fc.oneof(fc.integer({ min: -3, max: 40 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, -(2 ** 31), 2 ** 31 - 1));
  fc.assert(
    fc.property(fc.array(fc.tuple(hash, fc.integer({ min: -2, max: 3 })), { maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (ops, capacity) => {
      const table = new HashCounts(capacity);
      const model = new Map<number, number>();
      for (const [h, delta] of ops) {
        const now = Math.max(0, (model.get(h) ?? 0) + delta);
        if (now) model.set(h, now);
        else model.delete(h);
        assert.equal(table.add(h, delta), now);
      }
      assert.equal(table.size, model.size);
      for (const [h, c] of model) assert.equal(table.get(h), c);
      const seen = new Map<number, number>();
      table.forEach((h, c) => {
        assert.ok(!seen.has(h), 'each hash once');
        seen.set(h, c);
      });
      assert.deepEqual(new Map([...seen].sort((a, b) => a[0] - b[0])), new Map([...model].sort((a, b) => a[0] - b[0])));
    }),
    { numRuns: 500 },
  );
});

test('HashCounts holds a hundred thousand hashes in typed arrays and finds each', () => {
  const table = new HashCounts();
  for (let i = 0; i < 100_000; i++) table.add(Math.imul(i + 1, 0x85ebca6b), 1 + (i % 3));
  assert.equal(table.size, 100_000);
  for (let i = 0; i < 100_000; i += 997) assert.equal(table.get(Math.imul(i + 1, 0x85ebca6b)), 1 + (i % 3));
  assert.equal(table.get(12345), 0);
});
