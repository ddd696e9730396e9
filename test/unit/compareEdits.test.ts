import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyLineEdits, swapEdits, turnEdits } from '../../src/core/compare/edits';
import { FormatId } from '../../src/core/formats';
import { extractParts } from '../../src/core/parts';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'compare');
const firstLine = (file: string) => fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n')[0];

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

test('swap exchanges the two values and leaves every other byte, key order and spacing as written', () => {
  const line = '{ "id":7,  "prompt":"p\\u00e9", "chosen" : "good \\"one\\"", "meta":{"b":1,"a":2}, "rejected":"bad"   }';
  const r = ok(swapEdits(line, 'trl-standard'));
  assert.equal(r.newText, '{ "id":7,  "prompt":"p\\u00e9", "chosen" : "bad", "meta":{"b":1,"a":2}, "rejected":"good \\"one\\""   }');
  assert.equal(r.edits.length, 2, 'two minimal replacements, one per value');
  assert.equal(applyLineEdits(line, r.edits), r.newText);
  // Swapping twice gives the original line back.
  assert.equal(ok(swapEdits(r.newText, 'trl-standard')).newText, line);
});

test('swap works for every pair format, with the keys of that format', () => {
  const cases: [string, FormatId, string, string][] = [
    ['trl-standard.jsonl', 'trl-standard', 'chosen', 'rejected'],
    ['trl-conversational.jsonl', 'trl-conversational', 'chosen', 'rejected'],
    ['trl-implicit.jsonl', 'trl-implicit', 'chosen', 'rejected'],
    ['openai-preference.jsonl', 'openai-preference', 'preferred_output', 'non_preferred_output'],
    ['hh-rlhf.jsonl', 'hh-rlhf', 'chosen', 'rejected'],
  ];
  for (const [file, format, a, b] of cases) {
    const line = firstLine(file);
    const before = JSON.parse(line);
    const after = JSON.parse(ok(swapEdits(line, format)).newText);
    assert.deepEqual(after[a], before[b], file);
    assert.deepEqual(after[b], before[a], file);
    assert.deepEqual(Object.keys(after), Object.keys(before), `${file}: key order kept`);
    for (const k of Object.keys(before)) if (k !== a && k !== b) assert.deepEqual(after[k], before[k], `${file}: ${k} untouched`);
  }
});

test('swap refuses with a clear message when it cannot apply', () => {
  const chat = swapEdits(firstLine('chat-messages.jsonl'), 'chat-messages');
  assert.ok(!chat.ok && /no rejected response/.test(chat.message));
  const broken = swapEdits('{"chosen": "a", "rejected": ', 'trl-standard');
  assert.ok(!broken.ok && /not valid JSON/.test(broken.message));
  const missing = swapEdits('{"prompt":"p","chosen":"a"}', 'trl-standard');
  assert.ok(!missing.ok && /no "rejected" field/.test(missing.message));
  const dup = swapEdits('{"chosen":"a","rejected":"b","chosen":"c"}', 'trl-standard');
  assert.ok(!dup.ok && /more than once/.test(dup.message));
  const unknown = swapEdits('{"chosen":"a","rejected":"b"}', undefined);
  assert.ok(!unknown.ok && /format is unknown/.test(unknown.message));
  const array = swapEdits('[1,2]', 'trl-standard');
  assert.ok(!array.ok && /not a JSON object/.test(array.message));
});

test('editing a response replaces only that text, escaping it as JSON, and keeps other escapes as written', () => {
  const line = '{"prompt":"caf\\u00e9","chosen":"Line one\\nLine two","rejected":"x\\/y","n":1}';
  const r = ok(turnEdits(line, 'trl-standard', [{ side: 'chosen', index: 0, original: 'Line one\nLine two', text: 'Say "hi"\n</script>' }]));
  assert.equal(r.newText, '{"prompt":"caf\\u00e9","chosen":"Say \\"hi\\"\\n</script>","rejected":"x\\/y","n":1}');
  assert.equal(JSON.parse(r.newText).chosen, 'Say "hi"\n</script>');
});

test('editing both sides at once applies both in one line edit', () => {
  const line = firstLine('trl-conversational.jsonl');
  const parts = extractParts('trl-conversational', JSON.parse(line))!;
  const r = ok(
    turnEdits(line, 'trl-conversational', [
      { side: 'chosen', index: 0, original: parts.chosen[0].content, text: 'New chosen.' },
      { side: 'rejected', index: 0, original: parts.rejected[0].content, text: 'New rejected.' },
    ]),
  );
  const after = JSON.parse(r.newText);
  assert.equal(after.chosen[0].content, 'New chosen.');
  assert.equal(after.rejected[0].content, 'New rejected.');
  assert.deepEqual(after.prompt, JSON.parse(line).prompt);
});

test('editing the last turn of an HH transcript keeps the shared turns and the transcript markers', () => {
  const line = firstLine('hh-rlhf.jsonl');
  const before = JSON.parse(line);
  const parts = extractParts('hh-rlhf', before)!;
  const r = ok(turnEdits(line, 'hh-rlhf', [{ side: 'rejected', index: 0, original: parts.rejected[0].content, text: 'Here is a simple recipe.' }]));
  const after = JSON.parse(r.newText);
  assert.equal(after.chosen, before.chosen);
  assert.equal(after.rejected, before.rejected.replace('Just buy one at the shop.', 'Here is a simple recipe.'));
  const again = extractParts('hh-rlhf', after)!;
  assert.equal(again.rejected[0].content, 'Here is a simple recipe.');
  assert.equal(again.context.length, 3);
});

test('editing an OpenAI preference output and an implicit-prompt response', () => {
  const oai = firstLine('openai-preference.jsonl');
  const p = extractParts('openai-preference', JSON.parse(oai))!;
  const r = ok(turnEdits(oai, 'openai-preference', [{ side: 'rejected', index: 0, original: p.rejected[0].content, text: 'Grey clouds gather low' }]));
  assert.equal(JSON.parse(r.newText).non_preferred_output[0].content, 'Grey clouds gather low');

  const implicit = firstLine('trl-implicit.jsonl');
  const q = extractParts('trl-implicit', JSON.parse(implicit))!;
  const s = ok(turnEdits(implicit, 'trl-implicit', [{ side: 'chosen', index: 0, original: q.chosen[0].content, text: 'It makes things wet.' }]));
  assert.equal(JSON.parse(s.newText).chosen, 'Question: Is water wet? Answer: It makes things wet.');
  assert.equal(JSON.parse(s.newText).rejected, JSON.parse(implicit).rejected);
});

test('an edit made on a stale view is refused instead of overwriting newer text', () => {
  const line = '{"prompt":"p","chosen":"typed in the editor meanwhile","rejected":"b"}';
  const r = turnEdits(line, 'trl-standard', [{ side: 'chosen', index: 0, original: 'what the panel showed', text: 'panel edit' }]);
  assert.ok(!r.ok && /changed in the editor/.test(r.message));
  const gone = turnEdits(line, 'trl-standard', [{ side: 'chosen', index: 3, original: 'x', text: 'y' }]);
  assert.ok(!gone.ok && /no turn 4/.test(gone.message));
  const same = turnEdits(line, 'trl-standard', [{ side: 'rejected', index: 0, original: 'b', text: 'b' }]);
  assert.ok(!same.ok && /unchanged/.test(same.message));
});
