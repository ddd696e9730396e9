import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DatasetModel } from '../../src/core/engine';
import { Finding } from '../../src/core/findings';
import { FormatId } from '../../src/core/formats';
import { RecordIndex } from '../../src/core/compare/recordIndex';
import { curationMetrics, MetricsProvider } from '../../src/core/compare/metrics';
import { buildRecordView, MetricsMemo, RecordViewInput } from '../../src/core/compare/recordView';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { tokenizer } from '../../src/core/tokens/tokenizer';
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

test('each column shows the curation rules\' token count and tone scores for its own response', () => {
  const model = load('trl-standard.jsonl');
  const v = view(model, 0, { metrics: curationMetrics(DEFAULT_CONFIG) });
  const value = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'trl-standard.jsonl'), 'utf8').split('\n')[0]);
  const tok = tokenizer(DEFAULT_CONFIG.encoding);
  assert.equal(v.chosen.tokens, tok.count(value.chosen));
  assert.equal(v.rejected.tokens, tok.count(value.rejected));
  assert.match(v.chosen.tokensDetail ?? '', new RegExp(`prompt ${tok.count(value.prompt)} \\+ response ${v.chosen.tokens} = \\d+ of maxLength ${DEFAULT_CONFIG.maxLength}`));
  const score = (c: typeof v.chosen, name: string) => c.tone?.find((s) => s.name === name)?.value ?? NaN;
  assert.deepEqual(
    v.chosen.tone?.map((s) => s.name),
    ['tone', 'empathy', 'politeness', 'simplicity', 'non-prescriptive', 'plain language', 'respect'],
  );
  for (const s of [...(v.chosen.tone ?? []), ...(v.rejected.tone ?? [])]) assert.ok(s.value >= 0 && s.value <= 1, `${s.name} = ${s.value}`);
  // "I'm sorry you're locked out" is empathetic; "Obviously." is not.
  assert.ok(score(v.chosen, 'empathy') > score(v.rejected, 'empathy'), `empathy ${score(v.chosen, 'empathy')} vs ${score(v.rejected, 'empathy')}`);
  assert.ok(score(v.chosen, 'tone') > score(v.rejected, 'tone'));
});

test('metrics are computed once per record text, and again when the text changes', () => {
  const model = load('trl-standard.jsonl');
  let calls = 0;
  const metrics: MetricsProvider = (value, format) => {
    calls++;
    return curationMetrics(DEFAULT_CONFIG)(value, format);
  };
  const memo = new MetricsMemo();
  view(model, 0, { metrics, metricsMemo: memo });
  view(model, 1, { metrics, metricsMemo: memo });
  view(model, 0, { metrics, metricsMemo: memo });
  assert.equal(calls, 2);
  model.splice(0, 1, ['{"id": 1, "prompt": "p", "chosen": "Happy to help!", "rejected": "No."}']);
  const changed = view(model, 0, { metrics, metricsMemo: memo });
  assert.equal(calls, 3);
  assert.equal(changed.chosen.tokens, tokenizer(DEFAULT_CONFIG.encoding).count('Happy to help!'));
});

test('an unknown format is explained instead of guessed', () => {
  const model = new DatasetModel();
  model.setText('{"question": "a", "answer": "b"}');
  model.summary();
  const v = view(model, 0);
  assert.match(v.problem ?? '', /format could not be detected/);
  assert.equal(v.formatLabel, 'Unknown format');
});
