// Runs without white space (a pasted hash, base64, a row of "=") are tokenized in chunks, so
// checking them stays linear; a token finding on such a record says its counts are estimates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { recordRules } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { hasLongRun, LONG_RUN_CHARS, RUN_CHUNK_CHARS, tokenizer } from '../../src/core/tokens/tokenizer';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const exact = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o?: object): number };

test('hasLongRun: only runs longer than LONG_RUN_CHARS without white space', () => {
  assert.equal(hasLongRun('a'.repeat(LONG_RUN_CHARS)), false);
  assert.equal(hasLongRun(`x ${'a'.repeat(LONG_RUN_CHARS + 1)} y`), true);
  assert.equal(hasLongRun('word '.repeat(10_000)), false, 'long ordinary text');
  assert.equal(hasLongRun(`${'ab'.repeat(400)}\n${'cd'.repeat(400)}`), false);
});

function exactRun(run: string): number {
  return exact.countTokens(run);
}

test('counts: exact without long runs; with one, the chunked count is within a token per cut of the exact one', () => {
  const tok = tokenizer('o200k_base');
  const plain = 'I am so sorry you are going through this. '.repeat(200);
  assert.equal(tok.count(plain), exact.countTokens(plain));
  for (const run of ['a'.repeat(3500), 'Zm9vYmFy'.repeat(450), '='.repeat(3200), '9f86d081884c7d659a2feaa0c55ad015'.repeat(110)]) {
    const text = `See this: ${run} thanks`;
    // About a token per cut, and the rest of the run counted at its first kilobyte's rate.
    const slack = Math.ceil(run.length / RUN_CHUNK_CHARS) + 1 + 0.05 * exactRun(run);
    const got = tok.count(text);
    const want = exact.countTokens(text);
    assert.ok(Math.abs(got - want) <= slack, `${run.slice(0, 12)}…: ${got} vs exact ${want}`);
    assert.ok(Math.abs(tok.encode(text).length - want) <= slack, 'encode, in chunks, is as close');
  }
});

test('a record with a long run gets its token finding and one tokens-estimated note; without one, no note', () => {
  const long = JSON.stringify({ prompt: 'Can you read my scan?', chosen: `I am sorry, I cannot read images. ${'A'.repeat(60_000)}`, rejected: 'No.' });
  const { findings } = checkText(`${long}\n`, { recordRules, datasetRules: [] });
  const codes = findings.map((f) => f.code);
  assert.ok(codes.includes('tokens-over-max'), codes.join(', '));
  const note = findings.filter((f) => f.code === 'tokens-estimated');
  assert.equal(note.length, 1);
  assert.equal(note[0].severity, 'info');
  assert.equal(note[0].field, 'chosen');
  assert.match(note[0].message, /its chosen holds a run of 60,000 characters without spaces, whose tokens are counted from its first 1,024 characters/);
  const ordinary = JSON.stringify({ prompt: 'Help?', chosen: 'I am sorry. '.repeat(800), rejected: 'No.' });
  const plain = checkText(`${ordinary}\n`, { recordRules, datasetRules: [] }).findings.map((f) => f.code);
  assert.ok(plain.includes('tokens-over-max') && !plain.includes('tokens-estimated'), plain.join(', '));
  const off = checkText(`${long}\n`, { recordRules, datasetRules: [], config: { ...DEFAULT_CONFIG, rules: { 'tokens-estimated': { severity: 'off' } } } });
  assert.ok(!off.findings.some((f) => f.code === 'tokens-estimated'));
});

test('a run of millions of characters is checked without overflowing the stack', () => {
  // A regular expression over such a run (/\S{1001,}/) overflowed the stack: the CLI said
  // "cannot read (Maximum call stack size exceeded)" and reported nothing for the file.
  const run = 'a'.repeat(6_000_000);
  assert.equal(hasLongRun(`x ${run}`), true);
  assert.equal(hasLongRun(`x\u00a0${'a'.repeat(LONG_RUN_CHARS)}\u3000y`), false, 'no-break and ideographic spaces end a run, as \\s does');
  const line = JSON.stringify({ prompt: 'Can you check this?', chosen: `Here it is: ${run}`, rejected: 'No.' });
  const codes = checkText(line, { config: DEFAULT_CONFIG, recordRules }).findings.map((f) => f.code);
  assert.ok(codes.includes('tokens-over-max') && codes.includes('tokens-estimated'), codes.join(' '));
});
