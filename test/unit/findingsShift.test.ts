import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameRecord } from '../../src/core/dataset/facts';
import { checkText } from '../../src/core/engine';
import { datasetRules, recordRules } from '../../src/core/curation';
import { Finding, shiftFindings, trimSplice } from '../../src/core/findings';
import { FIXED_LINE, following } from '../../src/core/findings';
import { FactTable } from '../../src/core/dataset/factTable';
import { DEFAULT_CONFIG } from '../../src/core/config';

const at = (line: number, code = 'tone-respect', extra: Partial<Finding> = {}): Finding => ({ line, column: 1, endLine: line, endColumn: 5, severity: 'warning', code, message: code, ...extra });
const lines = (fs: Finding[]) => fs.map((f) => `${f.code}@${f.line}`);

test('trimSplice: only the lines that really changed', () => {
  // Enter at the end of line 4: line 4 stays, one line is added after it.
  assert.deepEqual(trimSplice(4, ['{"a": 1}'], ['{"a": 1}', '']), { start: 5, removed: 0, added: 1 });
  // Enter at the start of line 4: a blank line before it.
  assert.deepEqual(trimSplice(4, ['{"a": 1}'], ['', '{"a": 1}']), { start: 4, removed: 0, added: 1 });
  // Typing inside line 4.
  assert.deepEqual(trimSplice(4, ['{"a": 1}'], ['{"a": 12}']), { start: 4, removed: 1, added: 1 });
  // Deleting lines 4 and 5 (joined into line 3's range).
  assert.deepEqual(trimSplice(3, ['x', 'y', 'z'], ['x']), { start: 4, removed: 2, added: 0 });
  // Equal lines in the middle of a replacement are not double counted.
  assert.deepEqual(trimSplice(0, ['a', 'b', 'a'], ['a']), { start: 1, removed: 2, added: 0 });
});

test('shiftFindings: findings below an insertion move down, those on edited lines are dropped', () => {
  const before = [at(0), at(2, 'pair-inverted'), at(5, 'tone-jargon')];
  assert.deepEqual(lines(shiftFindings(before, { start: 1, removed: 0, added: 2 })), ['tone-respect@0', 'pair-inverted@4', 'tone-jargon@7']);
  assert.deepEqual(lines(shiftFindings(before, { start: 2, removed: 1, added: 1 })), ['tone-respect@0', 'tone-jargon@5']);
  assert.deepEqual(lines(shiftFindings(before, { start: 1, removed: 2, added: 0 })), ['tone-respect@0', 'tone-jargon@3']);
  // A pure insertion at a finding's line pushes it down without dropping it.
  assert.deepEqual(lines(shiftFindings(before, { start: 2, removed: 0, added: 1 })), ['tone-respect@0', 'pair-inverted@3', 'tone-jargon@6']);
  // The input is not modified.
  assert.deepEqual(lines(before), ['tone-respect@0', 'pair-inverted@2', 'tone-jargon@5']);
});

test('shiftFindings: related locations and data lines move too; a finding whose other copy was edited is dropped', () => {
  const dup = at(6, 'dataset-duplicate-record', { related: [{ line: 3, column: 0, endLine: 3, endColumn: 9, message: 'first copy' }], data: { fix: 'remove-line', keepLine: 3 } });
  const [moved] = shiftFindings([dup], { start: 0, removed: 0, added: 2 });
  assert.equal(moved.line, 8);
  assert.equal(moved.related![0].line, 5);
  assert.equal(moved.data!.keepLine, 5);
  assert.equal(dup.data!.keepLine, 3, 'the original finding is untouched');
  // Lines between the two copies: only the duplicate moves.
  const [between] = shiftFindings([dup], { start: 4, removed: 0, added: 1 });
  assert.deepEqual([between.line, between.related![0].line, between.data!.keepLine], [7, 3, 3]);
  // The first copy was edited: the duplicate finding no longer holds.
  assert.deepEqual(shiftFindings([dup], { start: 3, removed: 1, added: 1 }), []);
});

test('sameRecord: the same dialogue (as duplicate detection compares it), not just the same text', () => {
  const a = '{"prompt": "Hi", "chosen": "Hello there.", "rejected": "What."}';
  assert.ok(sameRecord(a, ` ${a} `, 'trl-standard'));
  assert.ok(sameRecord(a, '{"rejected": "What.", "prompt": "Hi", "chosen": "Hello there.", "id": 7}', 'trl-standard'));
  assert.ok(!sameRecord(a, '{"prompt": "Hi", "chosen": "Hello there!", "rejected": "What."}', 'trl-standard'));
  assert.ok(!sameRecord(a, '{"prompt": "Hi", "chosen": ', 'trl-standard'));
});

test('records whose responses the format cannot read are duplicates only when their text is the same', () => {
  // A response of the wrong type, an empty message list, a message without text, a record of another format.
  const unreadable = [
    '{"prompt": "Hi", "chosen": 123, "rejected": "What."}',
    '{"prompt": "Hi", "chosen": {"a": 1}, "rejected": "What."}',
    '{"prompt": "Hi", "chosen": [], "rejected": "What."}',
    '{"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": [{"role": "assistant", "content": "Hello."}], "non_preferred_output": [{"role": "assistant", "content": "What."}]}',
    '{"prompt": [{"role": "user", "content": "Hi"}], "chosen": [{"role": "assistant", "content": null}], "rejected": [{"role": "assistant", "content": "What."}]}',
  ];
  const text = [...unreadable, ...unreadable.slice(0, 2), '{"prompt": "Hi", "chosen": "Hello there.", "rejected": "What."}', '{"prompt": "Hi", "chosen": "Hello there.",  "rejected": "What."}'].join('\n');
  const dups = checkText(text, { format: 'trl-standard', recordRules, datasetRules }).findings.filter((f) => f.code === 'dataset-duplicate-record');
  // Lines 5 and 6 repeat lines 0 and 1 word for word; line 8 repeats line 7's dialogue.
  assert.deepEqual(dups.map((f) => f.line), [5, 6, 8]);
  for (let i = 0; i < unreadable.length; i++) for (let j = 0; j < i; j++) assert.ok(!sameRecord(unreadable[i], unreadable[j], 'trl-standard'), `${i} vs ${j}`);
  assert.ok(sameRecord(unreadable[0], ` ${unreadable[0]}`, 'trl-standard'));
  // A chat record has no rejected side: its reading lost nothing.
  const chat = '{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}';
  assert.ok(sameRecord(chat, '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}', 'chat-messages'));
});

test('following: a copy reads its anchor line; a fixed anchor (a streamed record) gives the source itself', () => {
  const anchor = { line: 4 };
  const source = { line: 4, column: 1, endLine: 4, endColumn: 9, message: 'm' };
  const copy = following(anchor, source);
  assert.notEqual(copy, source);
  anchor.line = 7;
  assert.deepEqual({ ...copy }, { ...source, line: 7, endLine: 7 });
  assert.equal(Object.getOwnPropertyDescriptor(copy, 'line')?.get !== undefined, true);
  const fixed = { line: 4, [FIXED_LINE]: true as const };
  assert.equal(following(fixed, source), source);
  // The entries a streamed check's duplicate rule builds its findings from are fixed.
  const table = new FactTable(DEFAULT_CONFIG);
  table.add(12, { h: 5, len: 3 });
  const entry = table.entry(0);
  assert.equal(entry.line, 12);
  assert.equal(entry[FIXED_LINE], true);
});

test('a record of another known format names that format in its first schema error', () => {
  const openai = '{"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": [{"role": "assistant", "content": "Hello."}], "non_preferred_output": [{"role": "assistant", "content": "What."}]}';
  const text = ['{"prompt": "a", "chosen": "Hello, glad to help.", "rejected": "No."}', '{"prompt": "b", "chosen": "Hello, glad to help.", "rejected": "No."}', openai, '{"prompt": "c", "chosen": 5, "rejected": "No."}'].join('\n');
  const schema = checkText(text).findings.filter((f) => f.code === 'schema');
  const onOpenai = schema.filter((f) => f.line === 2);
  assert.match(onOpenai[0].message, /\(this record is in the OpenAI preference format, the file in TRL preference \(standard\): keep one format per file\)$/);
  assert.ok(onOpenai.slice(1).every((f) => !/keep one format/.test(f.message)), 'said once');
  // A record of the file's own format with an error is not said to be of another.
  assert.ok(schema.filter((f) => f.line === 3).every((f) => !/format per file/.test(f.message)));
});
