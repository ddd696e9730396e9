/**
 * The curation checks take shortcuts on the hot path (no lower-case copy of a response, no
 * normalised copy of a pair, no prompt tokenizing when a bound decides). Each shortcut must give
 * exactly what the long way gives: these tests compare the two on arbitrary text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { recordRules } from '../../src/core/curation';
import { fillMessage, formatNumber } from '../../src/core/curation/meta';
import { hash53 } from '../../src/core/dataset/facts';
import { checkText, DatasetModel } from '../../src/core/engine';
import { lengthsTooFar, normalizedLength, normalizeResponse } from '../../src/core/pairs/rules';
import { lexicon } from '../../src/core/tone/lexicon';
import { countIfOver, LONG_RUN_CHARS, tokenBound, tokenizer, tokenPieces, UNMERGED_PAIRS, utf8Length, utf8LengthOf } from '../../src/core/tokens/tokenizer';
import { foldsToLowerCase, scanWords, tokenStrings } from '../../src/core/tone/words';

/** Pieces that exercise case folding: ASCII, accents, letters whose lower case differs or is longer, white space of every kind, astral characters. */
const piece = fc.constantFrom('a', 'B', 'Care', 'CANNOT', 'Cannot', "Don't", 'DON\u2019T', 'é', 'É', 'Σ', 'ΟΔΟΣ', 'İ', 'ß', 'ǅ', '\u212a', '😀', '𐐀', ' ', '  ', '\t', '\n', '\u00a0', '\u2028', '\u3000', '\ufeff', '.', '!', '?', "'", '-', 'Dr.', '3.5');
const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));

function tokens(t: string): string[] {
  const lex = lexicon();
  return tokenStrings(lex.vocab, scanWords(lex.vocab, [t]));
}

test('foldsToLowerCase: true exactly when lower-casing only maps A-Z (outside astral characters)', () => {
  fc.assert(
    fc.property(text, (t) => {
      // Astral characters are never part of a word: only the rest has to agree.
      const bmp = (s: string) => s.replace(/[\ud800-\udfff]/g, '');
      const folded = bmp(t.replace(/[A-Z]/g, (c) => c.toLowerCase()));
      if (foldsToLowerCase(t)) assert.equal(bmp(t.toLowerCase()), folded);
      else assert.notEqual(bmp(t.toLowerCase()), folded);
    }),
    { numRuns: 500 },
  );
});

test('the scanner reads words in place the same way as from a lower-case copy', () => {
  fc.assert(
    fc.property(text, (t) => {
      const lower = t.toLowerCase();
      // Lower-case text is read in place; the original may take the copy (É, Σ) or the slow path (İ).
      if (lower.length === t.length) assert.deepEqual(tokens(t), tokens(lower));
    }),
    { numRuns: 500 },
  );
});

test('turns read in place give the same table as turns read from a lower-case copy, alone or together', () => {
  // A turn with É or Σ after ASCII words is read in place until that character, then again from a copy.
  const lex = lexicon();
  const table = (segments: string[], inPlace = true) => {
    const t = scanWords(lex.vocab, segments, undefined, inPlace);
    return {
      tokens: Array.from(t.tokens.subarray(0, t.n), (id, i) => [lex.vocab.word(id), t.start[i], t.end[i], t.sentence[i], t.flags[i]]),
      surface: Array.from(t.surface.subarray(0, t.surfaceCount), (id) => lex.vocab.word(id)),
      sentences: t.sentences,
      bangs: t.bangs,
    };
  };
  fc.assert(
    fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (turns) => {
      const together = table(turns);
      assert.deepEqual(together, table(turns, false));
      // Each turn's part of the joint table is what the turn gives alone.
      let token = 0;
      let sentence = 0;
      turns.forEach((turn, seg) => {
        const alone = table([turn]);
        const sentences = together.sentences.filter((s) => s.seg === seg);
        assert.deepEqual(
          sentences.map((s) => ({ ...s, seg: 0, firstToken: s.firstToken - token, endToken: s.endToken - token })),
          alone.sentences.map((s) => ({ ...s, firstWord: s.firstWord + (sentences[0]?.firstWord ?? 0) - (alone.sentences[0]?.firstWord ?? 0) })),
        );
        assert.deepEqual(
          together.tokens.slice(token, token + alone.tokens.length).map(([w, a, b, s, f]) => [w, a, b, (s as number) - sentence, f]),
          alone.tokens,
        );
        assert.deepEqual(together.bangs.filter((b) => b.seg === seg).map((b) => ({ ...b, seg: 0 })), alone.bangs);
        token += alone.tokens.length;
        sentence += alone.sentences.length;
      });
      assert.equal(token, together.tokens.length);
    }),
    { numRuns: 500 },
  );
});

test('normalizedLength is the length of the normalised response', () => {
  fc.assert(
    fc.property(text, (t) => {
      assert.equal(normalizedLength(t), normalizeResponse(t).length);
    }),
    { numRuns: 500 },
  );
});

test('lengthsTooFar says whether the ratio of the normalised lengths is below the threshold, measuring the shorter text or not', () => {
  const threshold = fc.oneof(fc.constantFrom(0, 0.5, 0.8, 0.9, 1, 1.5, 2), fc.double({ min: -1, max: 3, noNaN: true }));
  const ratio = (x: string, y: string) => {
    const a = normalizedLength(x);
    const b = normalizedLength(y);
    return Math.max(a, b) === 0 ? 1 : Math.min(a, b) / Math.max(a, b);
  };
  fc.assert(
    fc.property(text, text, threshold, (x, y, t) => assert.equal(lengthsTooFar(x, y, t), ratio(x, y) < t)),
    { numRuns: 2000 },
  );
  // White space and U+0130 (which lower-cases to two characters) on the shorter side.
  for (const [x, y] of [
    ['ab', 'abcd'],
    ['a   b', 'abcd'],
    ['\u0130\u0130\u0130', 'abcd'],
    ['', 'abc'],
    ['', ''],
    ['   ', 'a'],
  ]) {
    for (const t of [0, 0.5, 0.75, 0.9, 1, 1.2, 2]) assert.equal(lengthsTooFar(x, y, t), ratio(x, y) < t, `${JSON.stringify(x)} ${JSON.stringify(y)} ${t}`);
  }
});

test('near-identical pairs are still found after the length bound (case and white space differences)', () => {
  const line = (chosen: string, rejected: string) => JSON.stringify({ prompt: 'How do I help her sleep?', chosen, rejected });
  const config = { ...DEFAULT_CONFIG, rules: { 'pair-near-identical': { threshold: 0.9 } } };
  const codes = (chosen: string, rejected: string) => checkText(line(chosen, rejected), { recordRules, config }).findings.map((f) => f.code);
  assert.ok(codes('A regular bedtime can help.', '  a REGULAR   bedtime can help.\n').includes('pair-near-identical'));
  assert.ok(codes('A regular bedtime can help a lot.', 'A regular bedtime can help a lot!').includes('pair-near-identical'));
  assert.ok(!codes('A regular bedtime can help.', 'No.').includes('pair-near-identical'));
});

test('over-length responses are found whether or not the prompt had to be tokenized', () => {
  const config = { ...DEFAULT_CONFIG, maxLength: 40 };
  const word = 'caregiving ';
  // The response alone is over the limit; then prompt + response only together.
  for (const [prompt, chosen] of [
    ['Help?', word.repeat(60)],
    [word.repeat(15), word.repeat(15)],
  ]) {
    const findings = checkText(JSON.stringify({ prompt, chosen, rejected: 'Short.' }), { recordRules, config }).findings.filter((f) => f.code === 'tokens-over-max');
    assert.equal(findings.length, 1, `${prompt.length}/${chosen.length}`);
    assert.match(findings[0].message, /chosen/);
  }
  // Under the limit once tokenized, although over it in bytes.
  const fits = checkText(JSON.stringify({ prompt: 'Help?', chosen: word.repeat(4), rejected: 'Short.' }), { recordRules, config: { ...config, maxLength: 30 } }).findings;
  assert.ok(!fits.some((f) => f.code === 'tokens-over-max'));
});

/** Text the pre-tokenizers split in every way: words, runs of spaces, digits, punctuation, line breaks, contractions, marks, special-token text. */
const tokenText = fc
  .array(fc.constantFrom('care', 'Team', 'NOW', 'x', ' ', '  ', '   ', '\n', '\r\n', '\t', '.', '!!', '?', ',', "'s", "'LL", '’', '123', '45678', 'é', 'e\u0301', '日本', '😀', '<|endoftext|>', '/', '-', '"'), { maxLength: 120 })
  .map((p) => p.join(''));

test('token pieces add up to the count of the whole text, in both encodings', () => {
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    const tok = tokenizer(encoding);
    fc.assert(
      fc.property(tokenText, fc.integer({ min: 1, max: 40 }), (t, size) => {
        const pieces = tokenPieces(t, size);
        assert.equal(pieces.join(''), t);
        assert.equal(pieces.reduce((n, p) => n + tok.count(p), 0), tok.count(t));
      }),
      { numRuns: 300 },
    );
  }
});

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

test('UNMERGED_PAIRS lists exactly the pairs of a-z that are not one token, in both encodings', () => {
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    const tok = tokenizer(encoding);
    const unmerged: string[] = [];
    for (const a of LETTERS) for (const b of LETTERS) if (tok.encode(a + b).length !== 1) unmerged.push(a + b);
    assert.equal(unmerged.join(' '), UNMERGED_PAIRS[encoding]);
  }
});

/** Text for the bound: runs of any lower-case letters (rare pairs too), alone or after a space, an apostrophe, capitals, marks, digits or lone surrogates. */
const letterRun = fc.array(fc.constantFrom(...LETTERS, 'q', 'x', 'z', 'j', 'th', 'ing'), { minLength: 1, maxLength: 14 }).map((p) => p.join(''));
const boundText = fc
  .array(
    fc.oneof(
      letterRun,
      letterRun.map((w) => ` ${w}`),
      fc.constantFrom("'", '\u2019', "'s", "'ll", "'T", "don't", 'Mc', 'ABC', 'É', 'é', '\u0301', '\u00df', '3', '2024', '\ud83d', '\ude00', '😀', '日本', '<|endoftext|>', '\n', ' ', '  ', '\t', '.', '-', '_', '"', '/'),
    ),
    { maxLength: 60 },
  )
  .map((p) => p.join(''));

test('tokenBound is at least the token count, in both encodings (Infinity past a long run)', () => {
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    const tok = tokenizer(encoding);
    fc.assert(
      fc.property(fc.oneof(boundText, tokenText), (t) => {
        assert.ok(tokenBound(encoding, t) >= tok.count(t), `${JSON.stringify(t)}: bound ${tokenBound(encoding, t)}, count ${tok.count(t)}`);
      }),
      { numRuns: 3000 },
    );
    // A reply as the bench writes them: the bound is well under the bytes.
    const reply = 'That sounds really hard, and it makes sense that you feel exhausted. Many carers find that small changes make a real difference.';
    assert.ok(tokenBound(encoding, reply) >= tok.count(reply));
    assert.ok(tokenBound(encoding, reply) < 0.85 * utf8Length(reply));
    assert.equal(tokenBound(encoding, 'a'.repeat(LONG_RUN_CHARS + 1)), Infinity);
    assert.ok(tokenBound(encoding, 'ab '.repeat(LONG_RUN_CHARS)) < Infinity);
  }
});

test('countIfOver: the exact total when over the limit, undefined when not', () => {
  const tok = tokenizer('o200k_base');
  fc.assert(
    fc.property(tokenText, tokenText, fc.integer({ min: 0, max: 120 }), (a, b, max) => {
      const total = tok.count(a) + tok.count(b);
      assert.equal(countIfOver('o200k_base', [a, b], max), total > max ? total : undefined);
    }),
    { numRuns: 300 },
  );
  // Texts of several pieces, decided in the first, a later or the last one (or at the end).
  const longText = fc.array(tokenText, { maxLength: 12 }).map((p) => p.join(' care team '));
  fc.assert(
    fc.property(longText, tokenText, fc.integer({ min: 0, max: 1500 }), (a, b, max) => {
      const total = tok.count(a) + tok.count(b);
      assert.equal(countIfOver('o200k_base', [a, b], max), total > max ? total : undefined);
    }),
    { numRuns: 200 },
  );
  // Decided by tokenBound or by tokenizing, in both encodings: the same answers.
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    const enc = tokenizer(encoding);
    fc.assert(
      fc.property(boundText, boundText, fc.integer({ min: 0, max: 400 }), (a, b, max) => {
        const total = enc.count(a) + enc.count(b);
        assert.equal(countIfOver(encoding, [a, b], max), total > max ? total : undefined);
      }),
      { numRuns: 1000 },
    );
  }
});

test('utf8Length, native or counted, is the length of the UTF-8 encoding (lone surrogates as U+FFFD)', () => {
  const encoder = new TextEncoder();
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('\ud83d', '\ude00', '😀', 'é', '日本', '\u0000')), { maxLength: 20 }), (parts) => {
      const s = parts.join('');
      const bytes = encoder.encode(s).length;
      assert.equal(utf8Length(s), bytes);
      assert.equal(utf8LengthOf(s), bytes);
    }),
    { numRuns: 500 },
  );
});

test('fillMessage fills placeholders as a regular-expression replace would', () => {
  const piece = fc.constantFrom('The ', '{side}', '{count}', '{missing}', '{}', '{a b}', '{', '}', ' of ', '{phrase}', '$&', '\n');
  const values = fc.record({ side: fc.constantFrom('chosen', '$1 {count}'), count: fc.oneof(fc.integer(), fc.double({ noNaN: true })), phrase: fc.string() });
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), values, (parts, v) => {
      const template = parts.join('');
      const expected = template.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const x = (v as Record<string, string | number | undefined>)[name];
        return x === undefined ? whole : typeof x === 'number' ? formatNumber(x) : x;
      });
      assert.equal(fillMessage(template, v), expected);
    }),
    { numRuns: 500 },
  );
});

test('record and prompt hashes are those of the joined dialogue text (duplicates found the same way)', () => {
  const line = JSON.stringify({ prompt: 'How do I help her sleep?', chosen: 'A regular bedtime can help.', rejected: 'Figure it out.' });
  const facts = checkFactsOf(line);
  const turn = (role: string, content: string) => `${role}\u0002${content}\u0003`;
  const prompt = turn('user', 'How do I help her sleep?');
  assert.equal(facts.p, hash53(prompt));
  assert.equal(facts.h, hash53(`${prompt}\u0001${turn('assistant', 'A regular bedtime can help.')}\u0001${turn('assistant', 'Figure it out.')}`));
});

function checkFactsOf(line: string): Record<string, unknown> {
  const model = new DatasetModel({ recordRules, datasetRules: [] });
  model.setLines([line]);
  model.summary();
  return (model as unknown as { lines: { facts: Record<string, unknown> }[] }).lines[0].facts;
}
