/** Protocol validators and the preparation of every dataset layout for the backends. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatLineReport, MAX_REPORTED_ERRORS, pairToText, prepareDataset, trainingProblems, validationOverlap } from '../../src/core/trainer/normalize';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { datasetRules, recordRules } from '../../src/core/curation';
import { parseCreateJobRequest, parseEvent, parseJob, parseMetricsData, ProtocolError } from '../../src/core/trainer/protocol';
import { sendsTokenInClear } from '../../src/core/trainer/hosts';

describe('protocol validators', () => {
  test('a full DPO job request with LoRA options passes as it is', () => {
    const req = {
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      training_file: 'file-abc',
      method: {
        type: 'dpo',
        dpo: {
          hyperparameters: { beta: 0.1, n_epochs: 'auto', batch_size: 4, learning_rate: 2e-4, max_length: 2048, max_steps: 100, seed: 0 },
          peft: { lora_r: 32, lora_alpha: 64, lora_dropout: 0.05, lora_target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'], load_in_4bit: true },
        },
      },
      metadata: { dataset: 'v3' },
    };
    assert.deepEqual(parseCreateJobRequest(req), req);
  });

  test('bad requests name the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ training_file: 'f', method: { type: 'dpo', dpo: { hyperparameters: { n_epochs: 1.5 } } } }, /n_epochs: expected a positive integer or "auto", got 1\.5/],
      [{ training_file: 'f', method: { type: 'dpo', dpo: { peft: { lora_dropout: 1 } } } }, /lora_dropout: expected a number in \[0, 1\)/],
      [{ training_file: 'f', method: { type: 'dpo', dpo: { peft: { lora_target_modules: ['q;rm -rf'] } } } }, /lora_target_modules: expected a non-empty array of module names/],
      [{ training_file: 'f', hyperparameters: { beta: 1 } }, /put hyperparameters under method\.dpo\.hyperparameters/],
      [{ training_file: 'f', seed: -1 }, /seed: expected an integer >= 0/],
      [[], /expected an object, got an array/],
    ];
    for (const [value, message] of bad) assert.throws(() => parseCreateJobRequest(value), (e: Error) => e instanceof ProtocolError && message.test(e.message));
  });

  test('metrics: step required, NaN travels as null, text is refused', () => {
    assert.deepEqual(parseMetricsData({ step: 3, max_steps: 10, loss: 0.5, grad_norm: NaN }, 'data'), { step: 3, max_steps: 10, loss: 0.5, grad_norm: null });
    assert.throws(() => parseMetricsData({ loss: 0.5 }, 'data'), /data\.step: expected an integer >= 0/);
    assert.throws(() => parseMetricsData({ step: 1, loss: 'low' }, 'data'), /data\.loss: expected a number or null/);
  });

  test('events and jobs round-trip; unknown statuses are refused', () => {
    const e = { id: 'ftevent-x-1', object: 'fine_tuning.job.event', created_at: 1, level: 'warn', message: 'm', type: 'message', data: null };
    assert.deepEqual(parseEvent(e), e);
    assert.throws(() => parseEvent({ ...e, type: 'log' }), /type: expected one of message, metrics/);
    const job = {
      id: 'ftjob-x', object: 'fine_tuning.job', model: 'm', created_at: 1, started_at: 4, finished_at: null, status: 'paused', training_file: 'f',
      validation_file: null, method: { type: 'dpo', dpo: { hyperparameters: {} } }, error: null, result_files: [], trained_tokens: null,
      seed: 1, estimated_finish: null, metadata: null, backend: 'tiny', progress: null,
    };
    assert.throws(() => parseJob(job), /status: expected one of validating_files, queued, running, succeeded, failed, cancelled, got "paused"/);
    assert.deepEqual(parseJob({ ...job, status: 'running' }), { ...job, status: 'running' });
    // A trainer without started_at (older ones, OpenAI's jobs): unknown, not an error.
    const { started_at: _omitted, ...withoutStart } = job;
    assert.equal(parseJob({ ...withoutStart, status: 'queued' }).started_at, null);
    assert.throws(() => parseJob({ ...job, status: 'running', started_at: 'soon' }), /started_at/);
  });

  test('a token to a remote plain-HTTP trainer is flagged', () => {
    assert.ok(sendsTokenInClear('http://gpu.example:8787'));
    assert.ok(!sendsTokenInClear('https://gpu.example:8787'));
    assert.ok(!sendsTokenInClear('http://127.0.0.1:8787'));
  });
});

describe('dataset preparation', () => {
  const line = (v: unknown) => JSON.stringify(v);
  const prep = (...records: unknown[]) => prepareDataset(records.map(line).join('\n'));

  test('TRL standard stays text', () => {
    const p = prep({ prompt: 'Q?', chosen: 'Good.', rejected: 'Bad.' });
    assert.deepEqual(p.errors, []);
    assert.equal(p.format, 'trl-standard');
    assert.deepEqual(p.pairs, [{ prompt: 'Q?', chosen: 'Good.', rejected: 'Bad.' }]);
    assert.deepEqual(pairToText(p.pairs[0]), { prompt: 'Q?', chosen: 'Good.', rejected: 'Bad.' });
  });

  test('TRL conversational, OpenAI preference and HH-RLHF become messages; text rendering for the tiny model', () => {
    const expected = {
      prompt: [{ role: 'user', content: 'Hi' }],
      chosen: [{ role: 'assistant', content: 'Hello!' }],
      rejected: [{ role: 'assistant', content: 'Go away.' }],
    };
    const conversational = prep({ prompt: [{ role: 'user', content: 'Hi' }], chosen: [{ role: 'assistant', content: 'Hello!' }], rejected: [{ role: 'assistant', content: 'Go away.' }] });
    const openai = prep({
      input: { messages: [{ role: 'user', content: 'Hi' }] },
      preferred_output: [{ role: 'assistant', content: 'Hello!' }],
      non_preferred_output: [{ role: 'assistant', content: 'Go away.' }],
    });
    const hh = prep({ chosen: '\n\nHuman: Hi\n\nAssistant: Hello!', rejected: '\n\nHuman: Hi\n\nAssistant: Go away.' });
    for (const [p, format] of [[conversational, 'trl-conversational'], [openai, 'openai-preference'], [hh, 'hh-rlhf']] as const) {
      assert.deepEqual(p.errors, [], format);
      assert.equal(p.format, format);
      assert.deepEqual(p.pairs, [expected], format);
    }
    assert.deepEqual(pairToText(conversational.pairs[0]), { prompt: 'user: Hi\nassistant: ', chosen: 'Hello!', rejected: 'Go away.' });
  });

  test('a TRL standard prompt that holds a transcript is trained on as written', () => {
    const prompt = '\n\nHuman: My knee hurts.\n\nAssistant: Since when?\n\nHuman: Two days.\n\nAssistant:';
    const p = prep({ prompt, chosen: ' That sounds painful; rest it and see a doctor if it swells.', rejected: ' Walk it off.' });
    assert.deepEqual(p.errors, []);
    assert.equal(p.pairs[0].prompt, prompt);
    assert.equal(p.pairs[0].chosen, ' That sounds painful; rest it and see a doctor if it swells.');
  });

  test('implicit prompts are split at the shared beginning', () => {
    const text = prep({ chosen: 'The capital of France is Paris.', rejected: 'The capital of France is Rome.' });
    assert.equal(text.format, 'trl-implicit');
    assert.deepEqual(text.pairs, [{ prompt: 'The capital of France is ', chosen: 'Paris.', rejected: 'Rome.' }]);
    const msgs = prep({
      chosen: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Paris.' }],
      rejected: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: 'Rome.' }],
    });
    assert.deepEqual(msgs.pairs, [{ prompt: [{ role: 'user', content: 'Capital of France?' }], chosen: [{ role: 'assistant', content: 'Paris.' }], rejected: [{ role: 'assistant', content: 'Rome.' }] }]);
  });

  test('problems are reported per line, 1-based, and the report is capped', () => {
    const p = prepareDataset(['{"prompt":"a","chosen":"b","rejected":"c"}', '', '{"prompt":"a","chosen":"b"', '{"prompt":"a","chosen":"same","rejected":"same"}'].join('\n'));
    assert.equal(p.pairs.length, 0);
    assert.deepEqual(p.errors.map((e) => e.line), [3, 4]);
    const identical = prepareDataset('{"prompt":"a","chosen":"same","rejected":"same"}');
    assert.ok(identical.errors.some((e) => e.line === 1), JSON.stringify(identical.errors));
    const many = Array.from({ length: MAX_REPORTED_ERRORS + 5 }, (_, i) => ({ line: i + 1, message: 'bad' }));
    const report = formatLineReport(many).split('\n');
    assert.equal(report.length, MAX_REPORTED_ERRORS + 1);
    assert.equal(report[0], 'line 1: bad');
    assert.equal(report.at(-1), '… and 5 more');
  });
});

test('trainingProblems: what prepareDataset would refuse beyond the check, without converting the pairs', () => {
  const ok = JSON.stringify({ prompt: 'How can I help her sleep?', chosen: 'A regular bedtime can help.', rejected: 'No idea.' });
  const same = JSON.stringify({ prompt: 'And at night?', chosen: 'Keep the room dark.', rejected: 'Keep the room dark.' });
  const text = `${ok}\n${same}\n`;
  assert.deepEqual(trainingProblems(text, 'trl-standard', 2), [{ line: 2, message: 'chosen and rejected are identical' }]);
  // With the identical-pair rule off (a project may do that), the check passes and prepareDataset refuses the same line.
  const quiet = { recordRules, datasetRules, config: { ...DEFAULT_CONFIG, rules: { 'pair-identical': { severity: 'off' as const } } } };
  assert.deepEqual(prepareDataset(text, quiet).errors, trainingProblems(text, 'trl-standard', 2));
  assert.ok(prepareDataset(text).errors.some((e) => e.message.includes('[pair-identical]')), 'by default the check itself reports it');
  assert.deepEqual(trainingProblems('', 'trl-standard', 0), [{ line: 1, message: 'the file contains no records' }]);
  assert.match(trainingProblems('{"messages": []}\n', 'chat-messages', 1)[0].message, /DPO needs preference pairs/);
  assert.deepEqual(trainingProblems(`${ok}\n`, 'trl-standard', 1), []);
});

test('validationOverlap: validation pairs also in the training set, and others sharing a prompt with it', () => {
  const train = [
    { prompt: 'How can I help her sleep?', chosen: 'A regular bedtime can help.', rejected: 'No idea.' },
    { prompt: [{ role: 'user', content: 'Hi' }], chosen: [{ role: 'assistant', content: 'Hello, how can I help?' }], rejected: [{ role: 'assistant', content: 'What.' }] },
  ];
  assert.deepEqual(validationOverlap(train, [{ prompt: 'Other?', chosen: 'Yes.', rejected: 'No.' }]), { pairs: 0, prompts: 0 });
  assert.deepEqual(validationOverlap(train, [{ ...train[0] }, { ...train[0], chosen: 'Daylight in the morning helps.' }, { ...train[1] }]), { pairs: 2, prompts: 1 });
  // Message lists compare by role and content, not by object identity or key order.
  assert.deepEqual(validationOverlap(train, [{ prompt: [{ content: 'Hi', role: 'user' }] as never, chosen: 'x', rejected: 'y' }]), { pairs: 0, prompts: 1 });
});
