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
import { TrainerClient } from '../../src/core/trainer/client';
import { EVALUATION_SIDES, isEvaluationFile } from '../../src/core/trainer/evaluation';
import { MAX_EVAL_PROMPTS, parseCreateJobRequest, parseEvalPrompts, ProtocolError } from '../../src/core/trainer/protocol';
import { readEvalPrompts } from '../../src/cli/commands/train';
import { UsageError } from '../../src/cli/io';
import { resultsFolderIn } from '../../src/core/trainer/results';
import { captureIO, PAIRS, startServer, tempDir } from '../fixtures/trainer/harness';

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

test('eval_prompts: text or conversations, checked with the field named', () => {
  const chat = [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: 'I feel alone.' }];
  assert.deepEqual(parseCreateJobRequest({ training_file: 'file-1', eval_prompts: ['How do I help my dad?', chat] }).eval_prompts, ['How do I help my dad?', chat]);
  const refused: [unknown, RegExp][] = [
    ['one prompt', /eval_prompts: expected a list of prompts/],
    [[], /expected 1 to 500 prompts, got 0/],
    [Array.from({ length: MAX_EVAL_PROMPTS + 1 }, () => 'p'), /got 501/],
    [['ok', '   '], /eval_prompts\[1\]: expected a prompt, got an empty string/],
    [['x'.repeat(8001)], /eval_prompts\[0\]: a prompt may have at most 8000 characters/],
    [[[{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]], /eval_prompts\[0\]: the last message is the assistant's/],
    [[[{ role: 'user', text: 'hi' }]], /eval_prompts\[0\]\[0\]/],
    [[42], /eval_prompts\[0\]: expected text or a non-empty list of messages/],
  ];
  for (const [value, re] of refused) assert.throws(() => parseEvalPrompts(value, 'eval_prompts'), (e: Error) => e instanceof ProtocolError && re.test(e.message), JSON.stringify(value).slice(0, 80));
});

test('train --eval-prompts reads a text file (a prompt a line) or JSONL with prompts, naming the line of a bad one', () => {
  const dir = own('dc-eval-prompts-');
  const text = path.join(dir, 'prompts.txt');
  fs.writeFileSync(text, 'How do I help my dad?\n\n  I feel alone since my wife died.  \n');
  assert.deepEqual(readEvalPrompts(text, 'prompts.txt'), ['How do I help my dad?', 'I feel alone since my wife died.']);
  const jsonl = path.join(dir, 'held.jsonl');
  fs.writeFileSync(jsonl, RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n{"prompt": [{"role": "user", "content": "hi"}]}\n');
  assert.deepEqual(readEvalPrompts(jsonl, 'held.jsonl'), [...RECORDS.map((r) => r.prompt), [{ role: 'user', content: 'hi' }]]);
  const bad = path.join(dir, 'bad.jsonl');
  fs.writeFileSync(bad, '{"prompt": "fine"}\n\n{"prompt": [{"role": "assistant", "content": "x"}]}\n');
  assert.throws(() => readEvalPrompts(bad, 'bad.jsonl'), (e: Error) => e instanceof UsageError && /bad\.jsonl:3: prompt: the last message is the assistant's/.test(e.message));
  fs.writeFileSync(bad, '{"prompt": "fine"}\nnot json\n');
  assert.throws(() => readEvalPrompts(bad, 'bad.jsonl'), /bad\.jsonl:2: not valid JSON/);
  assert.throws(() => readEvalPrompts(path.join(dir, 'missing.txt'), 'missing.txt'), /cannot read missing\.txt \(ENOENT\)/);
});

test('a job with eval_prompts keeps them in its folder for the backend; the tiny backend says it does not use them', async () => {
  const server = await startServer({ dataDir: own('dc-eval-prompts-server-') });
  try {
    const client = new TrainerClient({ baseUrl: server.url });
    const file = await client.uploadFile(PAIRS);
    const prompts = ['How do I help my dad?', [{ role: 'user', content: 'I feel alone.' }]];
    const job = await client.createJob({ training_file: file.id, eval_prompts: prompts as never, method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 1 } } } });
    const saved = fs.readFileSync(path.join(server.dataDir, 'jobs', job.id, 'eval_prompts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(saved, prompts.map((prompt) => ({ prompt })));
    const events = (await client.listEvents(job.id, { limit: 100 })).data;
    assert.ok(events.some((e) => e.level === 'warn' && /not TRL: eval_prompts is not used/.test(e.message)), events.map((e) => e.message).join(' | '));
    await client.followJob(job.id, { onEvent: () => {} });
  } finally {
    await server.close();
  }
});
