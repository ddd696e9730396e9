import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkText, DatasetModel } from '../../src/core/engine';
import { classifyRecord } from '../../src/core/formats';

const conv = (chosenRole: string) =>
  JSON.stringify({ prompt: [{ role: 'user', content: 'My dad fell.' }], chosen: [{ role: chosenRole, content: 'I am sorry.' }], rejected: [{ role: 'assistant', content: 'Deal with it.' }] });

test('every format is detected from its records', () => {
  assert.equal(classifyRecord({ prompt: 'a', chosen: 'b', rejected: 'c' }), 'trl-standard');
  assert.equal(classifyRecord(JSON.parse(conv('assistant'))), 'trl-conversational');
  assert.equal(classifyRecord({ chosen: [{ role: 'user', content: 'a' }], rejected: [] }), 'trl-implicit');
  assert.equal(classifyRecord({ chosen: 'Q: a A: b', rejected: 'Q: a A: c' }), 'trl-implicit');
  assert.equal(classifyRecord({ chosen: '\n\nHuman: hi\n\nAssistant: hello', rejected: '\n\nHuman: hi\n\nAssistant: go away' }), 'hh-rlhf');
  assert.equal(classifyRecord({ input: { messages: [] }, preferred_output: [], non_preferred_output: [] }), 'openai-preference');
  assert.equal(classifyRecord({ messages: [] }), 'chat-messages');
  assert.equal(classifyRecord({ other: 1 }), undefined);
});

test('schema errors are readable and point at the exact value', () => {
  const line = conv('user');
  const { format, findings } = checkText(line);
  assert.equal(format, 'trl-conversational');
  assert.equal(findings.length, 1);
  const f = findings[0];
  assert.equal(f.code, 'schema');
  assert.equal(f.message, 'chosen[0].role must be "assistant", found "user"');
  assert.equal(line.slice(f.column, f.endColumn), '"user"');
  assert.equal(f.field, 'chosen[0].role');
});

test('every schema error is reported, not just the first', () => {
  const line = '{"prompt": [], "chosen": [{"role": "bot", "content": 3}], "rejected": "x"}';
  const { findings } = checkText(line, { format: 'trl-conversational' });
  const messages = findings.map((f) => `${f.message} @${line.slice(f.column, f.endColumn)}`);
  assert.deepEqual(messages.sort(), [
    'chosen[0].content must be text (a string) or a list of content parts, found a number @3',
    'chosen[0].role must be "assistant", found "bot" @"bot"',
    'prompt must not be an empty list @[]',
    'rejected must be a list, found a string @"x"',
  ]);
});

test('missing fields point at the record and name the field', () => {
  const line = '{"prompt": "How do I lift her?", "chosen": "Gently."}';
  const { findings } = checkText(line, { format: 'trl-standard' });
  assert.equal(findings.length, 1);
  assert.equal(findings[0].message, 'The record is missing the required field "rejected"');
  assert.equal(findings[0].column, 0);
  assert.equal(findings[0].endColumn, line.length);
});

test('HH-RLHF transcripts must end with an Assistant turn', () => {
  const good = JSON.stringify({ chosen: '\n\nHuman: hi\n\nAssistant: hello', rejected: '\n\nHuman: hi\n\nAssistant: no' });
  const bad = JSON.stringify({ chosen: '\n\nHuman: hi\n\nAssistant: hello\n\nHuman: and?', rejected: '\n\nHuman: hi\n\nAssistant: no' });
  const result = checkText(`${good}\n${bad}\n`);
  assert.equal(result.format, 'hh-rlhf');
  assert.equal(result.findings.length, 1);
  assert.equal(result.findings[0].line, 1);
  assert.match(result.findings[0].message, /^chosen must be a transcript/);
});

test('OpenAI preference records are validated', () => {
  const ok = { input: { messages: [{ role: 'user', content: 'hi' }] }, preferred_output: [{ role: 'assistant', content: 'Hello' }], non_preferred_output: [{ role: 'assistant', content: 'What.' }] };
  const bad = { ...ok, preferred_output: [{ role: 'assistant', content: 'a' }, { role: 'assistant', content: 'b' }] };
  const result = checkText(`${JSON.stringify(ok)}\n${JSON.stringify(bad)}`);
  assert.equal(result.format, 'openai-preference');
  assert.deepEqual(result.findings.map((f) => [f.line, f.message]), [[1, 'preferred_output must have at most 1 item, found 2']]);
});

test('a custom 2020-12 schema replaces the bundled one', () => {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', pattern: '^rec-' }, tags: { type: 'array', prefixItems: [{ const: 'care' }] } },
  };
  const lines = ['{"id": "rec-1", "tags": ["care"]}', '{"id": "x", "tags": ["cure"]}', '{"tags": []}'].join('\n');
  const result = checkText(lines, { customSchema: { id: 'test-2020', schema } });
  assert.deepEqual(
    result.findings.map((f) => [f.line, f.message]),
    [
      [1, 'id must match the pattern ^rec-'],
      [1, 'tags[0] must be "care", found "cure"'],
      [2, 'The record is missing the required field "id"'],
    ],
  );
});

test('records, blank lines and non-object lines are counted and reported', () => {
  const text = '{"prompt":"a","chosen":"b","rejected":"c"}\n\n   \n42\n';
  const r = checkText(text);
  assert.equal(r.records, 2);
  assert.deepEqual(r.findings.map((f) => [f.line, f.code, f.column, f.endColumn]), [[3, 'record-not-object', 0, 2]]);
});

test('an edit re-checks incrementally and agrees with a full check', () => {
  const lines: string[] = [];
  for (let i = 0; i < 500; i++) lines.push(JSON.stringify({ prompt: `p${i}`, chosen: `c${i}`, rejected: `r${i}` }));
  const model = new DatasetModel({});
  model.setLines(lines);
  assert.equal(model.summary().findings.length, 0);
  model.splice(10, 1, ['{"prompt": "p", "chosen": 5, "rejected": "r"}', '{broken']);
  const after = model.summary();
  const full = checkText([...lines.slice(0, 10), '{"prompt": "p", "chosen": 5, "rejected": "r"}', '{broken', ...lines.slice(11)].join('\n'));
  assert.deepEqual(after.findings, full.findings);
  assert.deepEqual(after.findings.map((f) => [f.line, f.code]), [[10, 'schema'], [11, 'json-syntax']]);
  assert.equal(after.records, 501);
});

test('a format change re-validates every record against the new schema', () => {
  const model = new DatasetModel({});
  model.setLines(['{"messages": [{"role": "user", "content": "hi"}]}', '{"messages": [{"role": "robot", "content": "x"}]}']);
  assert.equal(model.summary().format, 'chat-messages');
  assert.equal(model.summary().findings.length, 1);
  model.splice(0, 2, ['{"prompt": "a", "chosen": "b", "rejected": "c"}', '{"prompt": "a", "chosen": "b"}', '{"prompt": "a", "chosen": "b", "rejected": 1}']);
  const s = model.summary();
  assert.equal(s.format, 'trl-standard');
  assert.deepEqual(s.findings.map((f) => f.line), [1, 2]);
});
