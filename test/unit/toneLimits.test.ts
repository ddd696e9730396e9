import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { recordRules } from '../../src/core/curation';
import { analyzeRecord } from '../../src/core/curation/recordAnalysis';
import { checkText } from '../../src/core/engine';
import { lexicon } from '../../src/core/tone/lexicon';
import { promptSuffix, responsePrefix, TONE_MAX_CHARS } from '../../src/core/tone/limits';

/** Plain words up to at least `chars` characters. */
function filler(chars: number): string {
  const sentence = 'The nurse checked the chart and wrote down the time of the next dose. ';
  return sentence.repeat(Math.ceil(chars / sentence.length));
}

test('a response within the limit is read whole', () => {
  const turns = ['Short answer.', 'Another turn.'];
  const b = responsePrefix(turns, 100);
  assert.equal(b.segments, turns);
  assert.equal(b.read, undefined);
});

test('a long response is read from its beginning, cut at a word boundary, later turns left out', () => {
  const b = responsePrefix(['one two three', 'four five six seven', 'eight nine'], 20);
  // 13 characters of the first turn, then at most 7 of the second, cut after "four" (before a space).
  assert.deepEqual(b.segments, ['one two three', 'four']);
  assert.deepEqual(b.read, { chars: 17, length: 42, turn: 1 });
  // A run without spaces is cut at the limit, never inside a surrogate pair.
  const blob = 'x'.repeat(9) + '\u{1F600}' + 'y'.repeat(20);
  assert.equal(responsePrefix([blob], 10).segments[0], 'x'.repeat(9));
  assert.equal(responsePrefix([blob], 11).segments[0], `${'x'.repeat(9)}\u{1F600}`);
});

test('a long prompt is read from its end: the last turns whole, the one before cut after a space', () => {
  const b = promptSuffix(['alpha beta gamma delta', 'epsilon zeta', 'eta'], 20);
  assert.deepEqual(b.segments, ['delta', 'epsilon zeta', 'eta']);
  assert.deepEqual(b.read, { chars: 20, length: 37, turn: 0 });
  assert.equal(promptSuffix(['x'.repeat(5) + '\u{1F600}'], 1).segments[0], '');
  assert.equal(promptSuffix(['a b'], 5).read, undefined);
});

test('a huge response is judged on its first TONE_MAX_CHARS characters, with a tone-truncated note; memory stays bounded', () => {
  const chosen = `You must call the nurse now. ${filler(3_000_000)}`;
  const record = { prompt: 'How often should she take it?', chosen, rejected: 'Twice a day, with food.' };
  const a = analyzeRecord(record, 'trl-standard', DEFAULT_CONFIG);
  assert.ok(a?.chosen.toneRead);
  const read = a.chosen.toneRead;
  assert.equal(read.length, chosen.length);
  assert.ok(read.chars <= TONE_MAX_CHARS && read.chars > TONE_MAX_CHARS - 1000, `read ${read.chars}`);
  assert.equal(chosen.charAt(read.chars), ' ', 'cut before a space');
  assert.equal(a.rejected?.toneRead, undefined);
  // The word tables were sized for the part read, not for the megabytes of the response.
  assert.ok(lexicon().scratch.tokens.length <= 2 * TONE_MAX_CHARS + 2, `scratch of ${lexicon().scratch.tokens.length} tokens`);

  const line = JSON.stringify(record);
  const { findings } = checkText(`${line}\n`, { recordRules, datasetRules: [] });
  const note = findings.find((f) => f.code === 'tone-truncated');
  assert.ok(note, 'tone-truncated');
  assert.equal(note.severity, 'info');
  assert.equal(note.message, `The chosen response is ${chosen.length.toLocaleString('en-US')} characters long: the tone rules read only its first ${read.chars.toLocaleString('en-US')} characters`);
  assert.equal(note.field, 'chosen');
  // The findings on the part read still point at the words themselves.
  const order = findings.find((f) => f.code === 'tone-prescriptive');
  assert.ok(order, 'the order at the start is still found');
  assert.equal(line.slice(order.column, order.endColumn), 'You must');
  // Switched off, the note goes.
  const off = checkText(`${line}\n`, { recordRules, datasetRules: [], config: { ...DEFAULT_CONFIG, rules: { 'tone-truncated': { severity: 'off' } } } });
  assert.ok(!off.findings.some((f) => f.code === 'tone-truncated'));
});

test('a huge prompt is read from its last user turns, with a note on the prompt', () => {
  const record = {
    prompt: [
      { role: 'user', content: filler(300_000) },
      { role: 'assistant', content: 'Go on.' },
      { role: 'user', content: "I'm so scared about her surgery tomorrow." },
    ],
    chosen: [{ role: 'assistant', content: "I'm so sorry, it makes sense you're scared. Surgery is a lot to face." }],
    rejected: [{ role: 'assistant', content: 'Surgery is routine.' }],
  };
  const a = analyzeRecord(record, 'trl-conversational', DEFAULT_CONFIG);
  assert.ok(a?.promptRead);
  assert.equal(a.promptRead.turn, 0);
  assert.ok(a.prompt.distress, 'the last turn is read whole');
  const { findings } = checkText(`${JSON.stringify(record)}\n`, { recordRules, datasetRules: [] });
  const notes = findings.filter((f) => f.code === 'tone-truncated');
  assert.equal(notes.length, 1);
  assert.match(notes[0].message, /^The prompt is [\d,]+ characters long: the tone rules read only its last [\d,]+ characters$/);
  assert.equal(notes[0].field, 'prompt[0].content');
});
