import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPanelState, parseToHost, parseToPanel, RecordView } from '../../src/core/compare/messages';
import { RecordIndex } from '../../src/core/compare/recordIndex';
import { MessageError } from '../../src/core/compare/validate';
import { DatasetModel } from '../../src/core/engine';
import { buildRecordView } from '../../src/core/compare/recordView';

function sampleView(): RecordView {
  const model = new DatasetModel();
  model.setText('{"prompt":"p","chosen":"good answer","rejected":"bad answer"}\n{"prompt":"q","chosen":"a","rejected":"b"}');
  model.summary();
  return buildRecordView({ uri: 'file:///d.jsonl', fileName: 'd.jsonl', version: 3, source: model, index: RecordIndex.build(model), line: 0, findings: [] });
}

test('a record view built by the extension passes the panel\'s runtime check unchanged', () => {
  const view = sampleView();
  const parsed = parseToPanel(JSON.parse(JSON.stringify({ type: 'show', view })));
  assert.deepEqual(parsed, { type: 'show', view });
});

test('malformed messages to the panel are rejected with the path of the problem', () => {
  const view = sampleView() as unknown as Record<string, unknown>;
  assert.throws(() => parseToPanel({ type: 'show', view: { ...view, recordNumber: -1 } }), (e: Error) => e instanceof MessageError && /message\.view\.recordNumber/.test(e.message));
  assert.throws(() => parseToPanel({ type: 'show', view: { ...view, chosen: { ...(view.chosen as object), turns: [{ role: 'assistant', text: 1 }] } } }), /message\.view\.chosen\.turns\[0\]\.text should be a string/);
  assert.throws(() => parseToPanel({ type: 'html', html: '<b>x</b>' }), /type should be one of show, empty, notice/);
  assert.throws(() => parseToPanel(null), MessageError);
});

test('messages from the panel are checked before the extension acts on them', () => {
  assert.deepEqual(parseToHost({ type: 'navigate', to: 'nextProblem', extra: 'dropped' }), { type: 'navigate', to: 'nextProblem' });
  assert.deepEqual(parseToHost({ type: 'swap', uri: 'file:///d.jsonl', line: 4, version: 2 }), { type: 'swap', uri: 'file:///d.jsonl', line: 4, version: 2 });
  assert.throws(() => parseToHost({ type: 'navigate', to: 'somewhere' }), /to should be one of previous, next, nextProblem/);
  assert.throws(() => parseToHost({ type: 'reveal', line: 1.5 }), /line should be a whole number/);
  assert.throws(() => parseToHost({ type: 'applyEdit', uri: 'u', line: 0, version: 1, changes: [{ side: 'prompt', index: 0, original: '', text: '' }] }), /side should be one of chosen, rejected/);
  assert.throws(() => parseToHost({ type: 'runCommand', command: 'workbench.action.terminal.new' }), MessageError);
  assert.throws(() => parseToHost('ready'), MessageError);
});

test('panel state is checked when restored after a reload', () => {
  assert.deepEqual(checkPanelState({ uri: 'file:///a.jsonl', line: 2 }, 'state'), { uri: 'file:///a.jsonl', line: 2 });
  assert.throws(() => checkPanelState({ uri: 'file:///a.jsonl' }, 'state'), /state\.line/);
});
