import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DatasetModel } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';
import { FormatId } from '../../src/core/formats';
import { RecordIndex } from '../../src/core/compare/recordIndex';
import { buildRecordView, RecordViewInput } from '../../src/core/compare/recordView';
import { ColumnView, RecordView } from '../../src/core/compare/messages';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'compare');

function load(name: string): DatasetModel {
  const model = new DatasetModel();
  model.setText(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
  model.summary();
  return model;
}

function view(model: DatasetModel, line: number, extra: Partial<RecordViewInput> = {}): RecordView {
  return buildRecordView({ uri: 'file:///x.jsonl', fileName: 'x.jsonl', version: 1, source: model, index: RecordIndex.build(model), line, findings: [], ...extra });
}

/** What a column shows, as plain text, and which parts are highlighted. */
function shown(column: ColumnView): { text: string[]; changed: string[] } {
  return {
    text: column.turns.map((t) => t.segments.map((s) => s.text).join('')),
    changed: column.turns.flatMap((t) => t.segments.filter((s) => s.changed).map((s) => s.text.trim())),
  };
}

const expectedFormats: [string, FormatId][] = [
  ['trl-standard.jsonl', 'trl-standard'],
  ['trl-conversational.jsonl', 'trl-conversational'],
  ['trl-implicit.jsonl', 'trl-implicit'],
  ['openai-preference.jsonl', 'openai-preference'],
  ['hh-rlhf.jsonl', 'hh-rlhf'],
  ['chat-messages.jsonl', 'chat-messages'],
];

test('each fixture is detected as the format it stands for', () => {
  for (const [file, format] of expectedFormats) assert.equal(load(file).format, format, file);
});

test('standard records: the prompt is the context, the two strings are the columns, the diff marks the different word', () => {
  const v = view(load('trl-standard.jsonl'), 1);
  assert.equal(v.formatLabel, 'TRL preference (standard)');
  assert.deepEqual(v.context, [{ role: 'user', text: 'What is the capital of France?' }]);
  assert.deepEqual(shown(v.chosen), { text: ['The capital of France is Paris.'], changed: ['Paris'] });
  assert.deepEqual(shown(v.rejected), { text: ['The capital of France is Lyon.'], changed: ['Lyon'] });
  assert.equal(v.granularity, 'words');
  assert.equal(v.chosen.field, 'chosen');
  assert.equal(v.rejected.field, 'rejected');
  assert.equal(v.canSwap, true);
});

test('header facts: record number skips blank lines, count covers every record line', () => {
  const model = load('trl-standard.jsonl');
  const v = view(model, 3);
  assert.equal(v.recordNumber, 3);
  assert.equal(v.recordCount, 4);
  assert.equal(v.line, 3);
  assert.equal(v.nav.hasPrevious, true);
  assert.equal(v.nav.hasNext, true);
  assert.equal(view(model, 0).nav.hasPrevious, false);
});

test('identical responses are shown with nothing highlighted', () => {
  const v = view(load('trl-standard.jsonl'), 3);
  assert.equal(v.granularity, 'identical');
  assert.deepEqual(shown(v.chosen).changed, []);
  assert.deepEqual(shown(v.rejected).changed, []);
});

test('a line that is not valid JSON is reported as the problem, with empty columns and no swap', () => {
  const v = view(load('trl-standard.jsonl'), 4);
  assert.match(v.problem ?? '', /not valid JSON/);
  assert.equal(v.chosen.turns.length, 0);
  assert.equal(v.canSwap, false);
  assert.equal(v.nav.hasNext, false);
});

test('conversational records: system and user turns are the context, with their roles', () => {
  const v = view(load('trl-conversational.jsonl'), 0);
  assert.deepEqual(
    v.context.map((b) => b.role),
    ['system', 'user'],
  );
  assert.equal(v.chosen.turns[0].role, 'assistant');
  assert.match(shown(v.chosen).text[0], /^Plants use sunlight/);
  assert.ok(shown(v.rejected).changed.some((c) => c.includes('eat')));
});

test('implicit prompt records: the shared beginning becomes the context (strings and message lists)', () => {
  const model = load('trl-implicit.jsonl');
  const strings = view(model, 0);
  assert.deepEqual(strings.context, [{ role: 'user', text: 'Question: Is water wet? Answer: ' }]);
  assert.equal(shown(strings.chosen).text[0], 'Water makes other things wet.');
  assert.equal(shown(strings.rejected).text[0], 'No idea, stop asking.');
  const messages = view(model, 1);
  assert.deepEqual(messages.context, [{ role: 'user', text: 'Name a colour.' }]);
  assert.deepEqual(shown(messages.chosen).text, ['Blue.']);
});

test('OpenAI preference records: input messages are the context, preferred and non-preferred outputs the columns', () => {
  const v = view(load('openai-preference.jsonl'), 0);
  assert.equal(v.formatLabel, 'OpenAI preference');
  assert.deepEqual(v.context, [{ role: 'user', text: 'Write a haiku about rain.' }]);
  assert.equal(v.chosen.field, 'preferred_output');
  assert.equal(v.rejected.field, 'non_preferred_output');
  assert.match(shown(v.chosen).text[0], /^Soft rain on the roof/);
  assert.equal(v.canSwap, true);
});

test('HH-RLHF transcripts: the shared turns are the context, only the last assistant turns are compared', () => {
  const v = view(load('hh-rlhf.jsonl'), 0);
  assert.deepEqual(
    v.context.map((b) => `${b.role}: ${b.text}`),
    ['user: Can you help me bake bread?', 'assistant: Of course! What kind of bread?', 'user: A simple white loaf.'],
  );
  assert.equal(shown(v.chosen).text[0], 'Mix flour, water, yeast and salt, knead for ten minutes, let it rise, then bake at 220 °C.');
  assert.equal(shown(v.rejected).text[0], 'Just buy one at the shop.');
});

test('chat records: the last assistant turn is the only response; the rejected column says why it is empty', () => {
  const v = view(load('chat-messages.jsonl'), 0);
  assert.deepEqual(
    v.context.map((b) => b.role),
    ['system', 'user'],
  );
  assert.deepEqual(shown(v.chosen), { text: ['4'], changed: [] });
  assert.equal(v.rejected.turns.length, 0);
  assert.match(v.rejected.emptyReason ?? '', /Chat messages records have no rejected response/);
  assert.equal(v.canSwap, false);
});

test('multi-turn responses are diffed as one text and cut back into one segment list per turn', () => {
  const model = new DatasetModel();
  model.setText(
    JSON.stringify({
      prompt: [{ role: 'user', content: 'Plan a trip' }],
      chosen: [
        { role: 'assistant', content: 'Day one: museum.' },
        { role: 'assistant', content: 'Day two: beach.' },
      ],
      rejected: [
        { role: 'assistant', content: 'Day one: museum.' },
        { role: 'assistant', content: 'Day two: mall.' },
      ],
    }),
  );
  model.summary();
  const v = view(model, 0);
  assert.deepEqual(shown(v.chosen), { text: ['Day one: museum.', 'Day two: beach.'], changed: ['beach'] });
  assert.deepEqual(shown(v.rejected), { text: ['Day one: museum.', 'Day two: mall.'], changed: ['mall'] });
});

test('findings of the record go to the column whose field they name; the rest stay with the record', () => {
  const model = load('openai-preference.jsonl');
  const at = (field: string | undefined, code: string): Finding => ({ line: 0, column: 0, endLine: 0, endColumn: 1, severity: 'warning', code, message: code, field });
  const findings = [at('preferred_output[0].content', 'tone-a'), at('non_preferred_output[0].content', 'tone-b'), at(undefined, 'dup'), at('input.messages', 'schema'), { ...at('preferred_output', 'other-line'), line: 5, endLine: 5 }];
  const v = view(model, 0, { findings });
  assert.deepEqual(v.chosen.findings.map((f) => f.code), ['tone-a']);
  assert.deepEqual(v.rejected.findings.map((f) => f.code), ['tone-b']);
  assert.deepEqual(v.recordFindings.map((f) => f.code), ['dup', 'schema']);
  assert.equal(v.nav.problemRecords, 1, 'line 5 is not a record line of this one-line file');
});

test('metrics from the provider appear per column, computed on that side\'s turns', () => {
  const model = load('trl-standard.jsonl');
  const v = view(model, 1, {
    metrics: ({ side, turns }) => ({ tokens: turns.reduce((n, t) => n + t.content.split(' ').length, 0), tone: [{ name: 'overall', value: side === 'chosen' ? 0.9 : 0.2 }] }),
  });
  assert.equal(v.chosen.tokens, 6);
  assert.equal(v.rejected.tokens, 6);
  assert.deepEqual(v.chosen.tone, [{ name: 'overall', value: 0.9 }]);
  assert.deepEqual(v.rejected.tone, [{ name: 'overall', value: 0.2 }]);
});

test('an unknown format is explained instead of guessed', () => {
  const model = new DatasetModel();
  model.setText('{"question": "a", "answer": "b"}');
  model.summary();
  const v = view(model, 0);
  assert.match(v.problem ?? '', /format could not be detected/);
  assert.equal(v.formatLabel, 'Unknown format');
});
