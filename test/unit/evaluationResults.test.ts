// A downloaded results folder: where "Download Trained Model…" puts it in a picked folder, how its
// evaluation file is recognised, and how the compare panel and `stats` name its two sides (the
// tuned and the base model's answers) instead of chosen and rejected.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main';
import { parseToPanel } from '../../src/core/compare/messages';
import { RecordIndex } from '../../src/core/compare/recordIndex';
import { buildRecordView } from '../../src/core/compare/recordView';
import { DatasetModel } from '../../src/core/engine';
import { EVALUATION_SIDES, isEvaluationFile } from '../../src/core/trainer/evaluation';
import { resultsFolderIn } from '../../src/core/trainer/results';
import { captureIO, tempDir } from '../fixtures/trainer/harness';

const temps: string[] = [];
const own = (prefix: string) => {
  const d = tempDir(prefix);
  temps.push(d);
  return d;
};
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

const RECORDS = [
  { prompt: 'I feel so alone since my wife died.', chosen: "I'm so sorry for your loss. That sounds very lonely. Would you like to talk about her?", rejected: 'Join a club.' },
  { prompt: 'My dad forgets his pills.', chosen: 'A weekly pill box by the kettle can help him remember.', rejected: 'Pills box.' },
];

function resultsFolder(withLog: boolean): string {
  const dir = own('dc-eval-');
  fs.writeFileSync(path.join(dir, 'evaluation.jsonl'), RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  if (withLog) fs.writeFileSync(path.join(dir, 'training-log.jsonl'), '{"object":"fine_tuning.job.event"}\n');
  return dir;
}

test('resultsFolderIn: an empty or new folder takes the results, a busy one gets a job subfolder, then -2', () => {
  const parent = own('dc-pick-');
  assert.equal(resultsFolderIn(parent, 'ftjob-1'), parent, 'empty: the folder itself');
  const missing = path.join(parent, 'new');
  assert.equal(resultsFolderIn(missing, 'ftjob-1'), missing, 'not there yet: created by the download');
  fs.writeFileSync(path.join(parent, 'notes.txt'), 'mine');
  assert.equal(resultsFolderIn(parent, 'ftjob-1'), path.join(parent, 'ftjob-1'));
  fs.mkdirSync(path.join(parent, 'ftjob-1'));
  assert.equal(resultsFolderIn(parent, 'ftjob-1'), path.join(parent, 'ftjob-1'), 'an empty job folder is reused');
  fs.writeFileSync(path.join(parent, 'ftjob-1', 'model.safetensors'), 'x');
  assert.equal(resultsFolderIn(parent, 'ftjob-1'), path.join(parent, 'ftjob-1-2'));
  // A file is handed back as it is: the download refuses it and says why.
  assert.equal(resultsFolderIn(path.join(parent, 'notes.txt'), 'ftjob-1'), path.join(parent, 'notes.txt'));
});

test('isEvaluationFile: evaluation.jsonl with the training log beside it, nothing else', () => {
  const downloaded = resultsFolder(true);
  const plain = resultsFolder(false);
  assert.equal(isEvaluationFile(path.join(downloaded, 'evaluation.jsonl'), fs.existsSync), true);
  assert.equal(isEvaluationFile(path.join(plain, 'evaluation.jsonl'), fs.existsSync), false, 'a dataset merely named evaluation.jsonl');
  assert.equal(isEvaluationFile(path.join(downloaded, 'training-log.jsonl'), fs.existsSync), false);
  assert.equal(isEvaluationFile('C:\\runs\\job\\evaluation.jsonl', (p) => p === 'C:\\runs\\job\\training-log.jsonl'), true, 'Windows paths');
});

test('the compare view names the sides tuned and base for an evaluation, and offers no swap', () => {
  const model = new DatasetModel();
  model.setText(RECORDS.map((r) => JSON.stringify(r)).join('\n'));
  model.summary();
  const input = { uri: 'file:///r/evaluation.jsonl', fileName: 'evaluation.jsonl', version: 1, source: model, index: RecordIndex.build(model), line: 0, findings: [] };
  const plain = buildRecordView(input);
  assert.deepEqual([plain.chosen.title, plain.rejected.title], ['Chosen', 'Rejected']);
  assert.equal(plain.canSwap, true);
  const evaluation = buildRecordView({ ...input, sides: EVALUATION_SIDES });
  assert.deepEqual([evaluation.chosen.title, evaluation.rejected.title], ['Tuned', 'Base']);
  assert.equal(evaluation.canSwap, false, "two models' answers are not a preference to flip");
  assert.deepEqual(evaluation.chosen.turns, plain.chosen.turns, 'the same answers, only named differently');
  assert.deepEqual(parseToPanel(JSON.parse(JSON.stringify({ type: 'show', view: evaluation }))), { type: 'show', view: evaluation });
});

test('stats names the sides tuned and base for a downloaded evaluation without --evaluation', async () => {
  const downloaded = resultsFolder(true);
  const plain = resultsFolder(false);
  const run = async (file: string) => {
    const cli = captureIO();
    assert.equal(await main(['stats', file], cli.io), 0, cli.stderr());
    return cli.stdout();
  };
  const named = await run(path.join(downloaded, 'evaluation.jsonl'));
  assert.match(named, /tuned/);
  assert.match(named, /base/);
  const dataset = await run(path.join(plain, 'evaluation.jsonl'));
  assert.doesNotMatch(dataset, /tuned/);
  assert.match(dataset, /chosen/);
});
