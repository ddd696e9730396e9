import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HASH_START, Vocabulary, WordSet } from '../../src/core/tone/vocab';

function hashOf(word: string): number {
  let h = HASH_START;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h;
}

function codesOf(word: string): Uint16Array {
  return Uint16Array.from(word, (_, i) => word.charCodeAt(i));
}

test('words get one id each, found by string or by characters, through table growth', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 2000 }), (words) => {
      const v = new Vocabulary();
      const ids = new Map<string, number>();
      for (const w of words) {
        const found = v.find(codesOf(w), w.length, hashOf(w));
        const id = ids.has(w) ? found : found < 0 ? v.add(w, hashOf(w)) : -2;
        assert.notEqual(id, -2, `${JSON.stringify(w)} found before it was added`);
        if (!ids.has(w)) ids.set(w, id);
        assert.equal(id, ids.get(w));
        assert.equal(v.id(w), id);
        assert.equal(v.word(id), w);
      }
      assert.equal(v.size, ids.size);
    }),
    { numRuns: 10 },
  );
});

test('words that share a hash stay apart', () => {
  const v = new Vocabulary();
  const a = v.add('first', 12345);
  const b = v.add('other', 12345);
  assert.notEqual(a, b);
  assert.equal(v.find(codesOf('first'), 5, 12345), a);
  assert.equal(v.find(codesOf('other'), 5, 12345), b);
  assert.equal(v.find(codesOf('third'), 5, 12345), -1);
});

test('trim forgets the words added after pin, keeps the pinned ones, and the forgotten ones can come back', () => {
  const v = new Vocabulary();
  const pinned = ['care', 'nurse', 'sleep'].map((w) => v.id(w));
  v.flags[pinned[1]] = 7;
  v.pin();
  v.trim(); // below the bound: nothing happens
  assert.equal(v.generation, 0);
  let n = 0;
  while (v.size < 400_000) v.id(`w${n++}`);
  const before = v.id('w17');
  v.syllables[before] = 2;
  v.trim();
  assert.equal(v.generation, 1);
  assert.equal(v.size, 3);
  assert.deepEqual(['care', 'nurse', 'sleep'].map((w) => v.id(w)), pinned);
  assert.equal(v.flags[pinned[1]], 7);
  assert.equal(v.find(codesOf('w17'), 3, hashOf('w17')), -1);
  const again = v.id('w17');
  assert.equal(again, 3);
  assert.equal(v.word(again), 'w17');
  assert.equal(v.syllables[again], 0, 'cached syllables of forgotten words are dropped');
  assert.equal(v.find(codesOf('w17'), 3, hashOf('w17')), again);
});

test('a word set answers by id as the set of its strings does: pinned words, words met later, words met again after trim', () => {
  const v = new Vocabulary();
  const set = new WordSet(['care', 'or', 'that', 'later']);
  const asked = () => Array.from({ length: v.size }, (_, id) => set.has(v, id));
  const expected = () => Array.from({ length: v.size }, (_, id) => ['care', 'or', 'that', 'later'].includes(v.word(id)));
  for (const w of ['care', 'nurse', 'or', 'sleep']) v.id(w);
  assert.deepEqual(asked(), expected(), 'before pin');
  v.pin();
  for (const w of ['that', 'tea', 'later']) v.id(w);
  assert.deepEqual(asked(), expected(), 'after pin');
  assert.equal(v.known('tea'), v.id('tea'));
  assert.equal(v.known('coffee'), -1);
  assert.equal(v.size, 7, 'known adds nothing');
  let n = 0;
  while (v.size < 400_000) v.id(`w${n++}`);
  v.trim();
  for (const w of ['w1', 'later', 'w2', 'that']) v.id(w);
  assert.deepEqual(asked(), expected(), 'after trim');
});
