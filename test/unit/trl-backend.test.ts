/**
 * trainer/trl_dpo.py end to end, through the server's trl backend as `dialogue-curator serve
 * --backend trl` launches it: `accelerate launch trl_dpo.py …` where `accelerate` is
 * test/fixtures/fake-trl/accelerate_launch.py and TRL, transformers, peft, datasets and torch are
 * signature-faithful fakes (test/fixtures/fake-trl/README.md). The real packages are not
 * installable here; the fakes reject what the real releases reject, call callbacks as
 * transformers does, and record what the script asked for.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { TrainerClient, TrainerError } from '../../src/core/trainer/client';
import { missingLocalModel } from '../../src/server/jobs';
import { main } from '../../src/cli/main';
import { CreateJobRequest, DPO_METRIC_NAMES, FineTuningJob, JobEvent, MetricsData } from '../../src/core/trainer/protocol';
import { createBackend, defaultPython, jobPaths, JobPaths } from '../../src/server/backends';
import { captureIO, PAIRS, REPO, startServer, tempDir, VALIDATION } from '../fixtures/trainer/harness';

const FAKE = path.join(REPO, 'test', 'fixtures', 'fake-trl');
/** Temp folders of this file (fake launchers, server data), removed when it is done. */
const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});
function ownTempDir(prefix: string): string {
  const dir = tempDir(prefix);
  temps.push(dir);
  return dir;
}
const PAIR_COUNT = fs.readFileSync(PAIRS, 'utf8').split('\n').filter((l) => l.trim()).length;
const VALIDATION_COUNT = fs.readFileSync(VALIDATION, 'utf8').split('\n').filter((l) => l.trim()).length;
/** TRL's names of an evaluation's DPO values. */
const EVAL_NAMES = ['eval_loss', ...DPO_METRIC_NAMES.filter((n) => n.includes('/')).map((n) => `eval_${n}`)];


interface FakeEnv {
  FAKE_HF_STACK: 'current' | 'legacy';
  FAKE_HF_GPU: 'none' | 'bf16' | 'fp16';
  FAKE_HF_FAIL_AT_STEP?: string;
  FAKE_HF_INIT_TYPEERROR?: string;
}

/** An `accelerate` executable running the fake launcher with the fake stack's settings. */
function fakeAccelerate(env: FakeEnv): { accelerate: string; recordDir: string } {
  const dir = ownTempDir('dc-fake-accelerate-');
  const recordDir = path.join(dir, 'records');
  fs.mkdirSync(recordDir);
  const exports = Object.entries({ ...env, FAKE_HF_RECORD: recordDir, PYTHONDONTWRITEBYTECODE: '1' })
    .map(([k, v]) => `export ${k}='${v}'\n`)
    .join('');
  const accelerate = path.join(dir, 'accelerate');
  const launcher = path.join(FAKE, 'accelerate_launch.py');
  fs.writeFileSync(accelerate, `#!/bin/sh\n${exports}exec '${defaultPython()}' '${launcher}' "$@"\n`, { mode: 0o755 });
  return { accelerate, recordDir };
}

interface Run {
  final: FineTuningJob;
  events: JobEvent[];
  metrics: MetricsData[];
  messages: string[];
  records: Record<number, any>;
  paths: JobPaths;
}

async function runTrlJob(
  env: FakeEnv,
  request: Omit<CreateJobRequest, 'training_file' | 'validation_file'>,
  accelerateConfig?: string,
  validationPath?: string,
): Promise<Run> {
  const { accelerate, recordDir } = fakeAccelerate(env);
  const server = await startServer({ dataDir: ownTempDir('dc-trl-server-'), backend: createBackend('trl', { accelerate, accelerateConfig }) });
  try {
    const client = new TrainerClient({ baseUrl: server.url });
    const file = await client.uploadFile(PAIRS);
    const validation = validationPath ? await client.uploadFile(validationPath) : undefined;
    const job = await client.createJob({ ...request, training_file: file.id, ...(validation ? { validation_file: validation.id } : {}) });
    const events: JobEvent[] = [];
    const final = await client.followJob(job.id, { onEvent: (e) => events.push(e) });
    const records: Record<number, any> = {};
    for (const name of fs.readdirSync(recordDir)) {
      const m = /^record-(\d+)\.json$/.exec(name);
      if (m) records[Number(m[1])] = JSON.parse(fs.readFileSync(path.join(recordDir, name), 'utf8'));
    }
    return {
      final,
      events,
      metrics: events.filter((e) => e.type === 'metrics').map((e) => e.data as MetricsData),
      messages: events.filter((e) => e.type === 'message').map((e) => e.message),
      records,
      paths: jobPaths(path.join(server.dataDir, 'jobs', job.id), { validation: Boolean(validation) }),
    };
  } finally {
    await server.close();
  }
}

function assertTrlMetrics(m: MetricsData, extra: string[] = [], names: readonly string[] = DPO_METRIC_NAMES): void {
  for (const name of [...names, ...extra]) {
    assert.equal(typeof m[name], 'number', `step ${m.step}: ${name} is ${JSON.stringify(m[name])}`);
  }
}

const count = (messages: string[], re: RegExp) => messages.filter((m) => re.test(m)).length;

describe('trl backend: trl_dpo.py against fakes of TRL, transformers, peft, datasets, accelerate', () => {
  test('current TRL, QLoRA on two bf16 GPUs: the job reaches DPOConfig, LoraConfig and BitsAndBytesConfig; each logged step arrives once', async () => {
    const accelerateConfig = path.join(ownTempDir('dc-accelerate-config-'), 'multi-gpu.yaml');
    fs.writeFileSync(accelerateConfig, 'compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nnum_processes: 2\nmixed_precision: bf16\n');
    const run = await runTrlJob(
      { FAKE_HF_STACK: 'current', FAKE_HF_GPU: 'bf16' },
      {
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        method: {
          type: 'dpo',
          dpo: {
            hyperparameters: { beta: 0.2, learning_rate: 2e-4, max_length: 2048, max_steps: 30, logging_steps: 5, batch_size: 4, gradient_accumulation_steps: 2, seed: 7 },
            peft: { lora_r: 32, lora_alpha: 64, lora_dropout: 0.05, lora_target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'], load_in_4bit: true },
          },
        },
      },
      accelerateConfig,
    );
    assert.equal(run.final.status, 'succeeded', JSON.stringify(run.final.error));
    assert.deepEqual(run.final.progress, { step: 30, max_steps: 30 });

    // Metrics: every logging_steps-th step, once (rank 1 writes none), with TRL's names.
    assert.deepEqual(run.metrics.map((m) => m.step), [5, 10, 15, 20, 25, 30]);
    for (const m of run.metrics) {
      assert.equal(m.max_steps, 30);
      assertTrlMetrics(m, ['entropy', 'num_tokens', 'mean_token_accuracy']);
      assert.ok((m.loss as number) > 0 && (m.loss as number) < Math.LN2, `step ${m.step}: loss ${m.loss}`);
    }
    assert.ok((run.metrics[5].loss as number) < (run.metrics[0].loss as number), 'the loss falls');
    // Messages from the main process only, the end-of-training summary as a message.
    assert.equal(count(run.messages, /^loading meta-llama\/Llama-3\.1-8B-Instruct$/), 1);
    assert.equal(count(run.messages, new RegExp(`^training meta-llama/Llama-3\\.1-8B-Instruct on ${PAIR_COUNT} pairs$`)), 1);
    assert.equal(count(run.messages, /^training finished: train_loss=[\d.]+, train_runtime=/), 1);
    assert.equal(count(run.messages, /^model saved to /), 1);
    // The progress callback's Python-repr lines went to the job's log, not into events.
    assert.match(fs.readFileSync(run.paths.log, 'utf8'), /^\{'loss': /m);

    // What the script asked of the libraries, on each rank.
    assert.deepEqual(Object.keys(run.records).sort(), ['0', '1']);
    for (const rank of [0, 1]) {
      const load = run.records[rank].model_load;
      assert.equal(load.name, 'meta-llama/Llama-3.1-8B-Instruct');
      assert.equal(load.kwargs.dtype, 'torch.bfloat16');
      assert.equal(load.kwargs.torch_dtype, undefined, 'transformers >= 4.56 takes `dtype`');
      assert.deepEqual(load.kwargs.device_map, { '': rank }, 'each rank keeps its 4-bit copy on its own GPU');
      assert.deepEqual(
        {
          load_in_4bit: load.kwargs.quantization_config.load_in_4bit,
          quant_type: load.kwargs.quantization_config.bnb_4bit_quant_type,
          double_quant: load.kwargs.quantization_config.bnb_4bit_use_double_quant,
          compute_dtype: load.kwargs.quantization_config.bnb_4bit_compute_dtype,
        },
        { load_in_4bit: true, quant_type: 'nf4', double_quant: true, compute_dtype: 'torch.bfloat16' },
      );
    }
    const trainer = run.records[0].trainer;
    assert.equal(trainer.processing_kwarg, 'processing_class');
    assert.deepEqual(trainer.callbacks, ['JsonLinesCallback']);
    assert.deepEqual(trainer.dataset, { rows: PAIR_COUNT, columns: ['prompt', 'chosen', 'rejected'], conversational: false });
    assert.equal(trainer.ref_model, null, 'with LoRA the reference is the base model without the adapter');
    const a = trainer.args;
    assert.deepEqual(
      {
        beta: a.beta, learning_rate: a.learning_rate, max_length: a.max_length, max_steps: a.max_steps,
        logging_steps: a.logging_steps, per_device_train_batch_size: a.per_device_train_batch_size,
        gradient_accumulation_steps: a.gradient_accumulation_steps, seed: a.seed, bf16: a.bf16, fp16: a.fp16,
        loss_type: a.loss_type, report_to: a.report_to, save_strategy: a.save_strategy, output_dir: a.output_dir,
      },
      {
        beta: 0.2, learning_rate: 2e-4, max_length: 2048, max_steps: 30, logging_steps: 5,
        per_device_train_batch_size: 4, gradient_accumulation_steps: 2, seed: 7, bf16: true, fp16: false,
        loss_type: ['sigmoid'], report_to: [], save_strategy: 'no', output_dir: run.paths.output,
      },
    );
    const lora = trainer.peft_config;
    assert.deepEqual(
      { peft_type: lora.peft_type, task_type: lora.task_type, r: lora.r, lora_alpha: lora.lora_alpha, lora_dropout: lora.lora_dropout, target_modules: lora.target_modules },
      { peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 32, lora_alpha: 64, lora_dropout: 0.05, target_modules: ['k_proj', 'o_proj', 'q_proj', 'v_proj'] },
    );
    assert.deepEqual(run.records[0].load_dataset, { path: 'json', data_files: run.paths.dataset, split: 'train' });
    assert.deepEqual(run.records[0].saved, { dir: run.paths.output, file: 'adapter_config.json' });
    assert.equal(run.records[1].saved, undefined, 'only the main process saves');
    assert.ok(fs.existsSync(path.join(run.paths.output, 'adapter_config.json')));
  });

  test('TRL 0.11 with transformers 4.45 on a GPU without bf16, full fine-tuning: the older keywords, no mixed precision', async () => {
    const run = await runTrlJob(
      { FAKE_HF_STACK: 'legacy', FAKE_HF_GPU: 'fp16' },
      {
        model: 'Qwen/Qwen2.5-0.5B-Instruct',
        method: { type: 'dpo', dpo: { hyperparameters: { n_epochs: 2, batch_size: 8, logging_steps: 1, learning_rate_multiplier: 10 } } },
      },
    );
    assert.equal(run.final.status, 'succeeded', JSON.stringify(run.final.error));
    const stepsPerEpoch = Math.ceil(PAIR_COUNT / 8);
    const steps = 2 * stepsPerEpoch;
    assert.deepEqual(run.metrics.map((m) => m.step), Array.from({ length: steps }, (_, i) => i + 1));
    for (const m of run.metrics) {
      assert.equal(m.max_steps, steps);
      assertTrlMetrics(m);
    }
    assert.ok(Math.abs((run.metrics[steps - 1].epoch as number) - 2) < 1e-9, `last epoch ${run.metrics[steps - 1].epoch}`);

    const record = run.records[0];
    assert.deepEqual(Object.keys(run.records), ['0']);
    assert.equal(record.trainer.processing_kwarg, 'tokenizer', 'TRL before 0.12 only knows `tokenizer`');
    assert.deepEqual(record.model_load.kwargs, { torch_dtype: 'auto' }, 'transformers before 4.56 only knows `torch_dtype`');
    assert.equal(record.trainer.peft_config, null);
    const a = record.trainer.args;
    assert.equal(a.bf16, false);
    assert.equal(a.fp16, false);
    assert.equal(a.num_train_epochs, 2);
    assert.equal(a.per_device_train_batch_size, 8);
    assert.equal(a.max_steps, -1, 'epochs decide the length when max_steps is not given');
    assert.ok(Math.abs(a.learning_rate - 1e-5) < 1e-15, 'TRL default 1e-6 times the multiplier');
    assert.equal(a.loss_type, 'sigmoid');
    assert.deepEqual(record.saved, { dir: run.paths.output, file: 'config.json' });
  });

  test('no GPU: bf16 is turned off explicitly (TRL would default it on and transformers would refuse)', async () => {
    const run = await runTrlJob(
      { FAKE_HF_STACK: 'current', FAKE_HF_GPU: 'none' },
      { model: 'sshleifer/tiny-gpt2', method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 4, logging_steps: 2 } } } },
    );
    assert.equal(run.final.status, 'succeeded', JSON.stringify(run.final.error));
    assert.deepEqual(run.metrics.map((m) => m.step), [2, 4]);
    assert.equal(run.records[0].trainer.args.bf16, false);
    assert.equal(run.records[0].model_load.kwargs.dtype, 'auto');
  });

  test('a validation file becomes eval_dataset: TRL evaluates every eval_steps, eval_ metrics arrive with the step', async () => {
    const run = await runTrlJob(
      { FAKE_HF_STACK: 'current', FAKE_HF_GPU: 'bf16' },
      { model: 'm/m', method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 12, logging_steps: 2, eval_steps: 4, batch_size: 4 } } } },
      undefined,
      VALIDATION,
    );
    assert.equal(run.final.status, 'succeeded', JSON.stringify(run.final.error));
    const train = run.metrics.filter((m) => 'loss' in m);
    const evals = run.metrics.filter((m) => 'eval_loss' in m);
    assert.deepEqual(train.map((m) => m.step), [2, 4, 6, 8, 10, 12]);
    // 12 is a multiple of eval_steps: no extra evaluation after training.
    assert.deepEqual(evals.map((m) => m.step), [4, 8, 12]);
    for (const m of evals) {
      assertTrlMetrics(m, ['eval_runtime', 'eval_samples_per_second', 'epoch'], EVAL_NAMES);
      assert.equal(m.max_steps, 12);
      assert.equal(m.loss, undefined, 'an evaluation is its own log dict');
    }
    assert.ok((evals[2].eval_loss as number) < (evals[0].eval_loss as number));
    assert.equal(count(run.messages, new RegExp(`^evaluating on ${VALIDATION_COUNT} held-out pairs$`)), 1);
    const trainer = run.records[0].trainer;
    assert.deepEqual(trainer.eval_dataset, { rows: VALIDATION_COUNT, columns: ['prompt', 'chosen', 'rejected'], conversational: false });
    assert.deepEqual(
      { strategy: trainer.args.eval_strategy, steps: trainer.args.eval_steps, batch: trainer.args.per_device_eval_batch_size },
      { strategy: 'steps', steps: 4, batch: 4 },
    );
    assert.equal(fs.readFileSync(run.paths.validation!, 'utf8').trim().split('\n').length, VALIDATION_COUNT);
  });

  test('TRL 0.11 with a validation file and no eval_steps: evaluations follow logging_steps, and the last step gets one', async () => {
    const run = await runTrlJob(
      { FAKE_HF_STACK: 'legacy', FAKE_HF_GPU: 'fp16' },
      { model: 'm/m', method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 7, logging_steps: 3 } } } },
      undefined,
      VALIDATION,
    );
    assert.equal(run.final.status, 'succeeded', JSON.stringify(run.final.error));
    assert.deepEqual(run.metrics.filter((m) => 'loss' in m).map((m) => m.step), [3, 6]);
    assert.deepEqual(run.metrics.filter((m) => 'eval_loss' in m).map((m) => m.step), [3, 6, 7]);
    for (const m of run.metrics.filter((x) => 'eval_loss' in x)) assertTrlMetrics(m, [], EVAL_NAMES);
    assert.equal(run.records[0].trainer.args.eval_steps, 3);
  });

  test('without a validation file nothing is evaluated and no eval strategy is set', async () => {
    const run = await runTrlJob({ FAKE_HF_STACK: 'current', FAKE_HF_GPU: 'none' }, { model: 'm/m', method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 2, logging_steps: 1 } } } });
    assert.equal(run.final.status, 'succeeded', JSON.stringify(run.final.error));
    assert.ok(run.metrics.every((m) => !Object.keys(m).some((k) => k.startsWith('eval_'))));
    assert.equal(run.records[0].trainer.args.eval_strategy, 'no');
    assert.equal(run.records[0].trainer.eval_dataset, null);
  });

  test('a model given as a folder that is not there, or holds no saved model, is refused when the job is asked for', async () => {
    const { accelerate } = fakeAccelerate({ FAKE_HF_STACK: 'current', FAKE_HF_GPU: 'none' });
    const server = await startServer({ dataDir: ownTempDir('dc-trl-server-'), backend: createBackend('trl', { accelerate }) });
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const file = await client.uploadFile(PAIRS);
      const empty = ownTempDir('dc-not-a-model-');
      for (const [model, message] of [['/nope/model', /There is no model folder \/nope\/model on the trainer/], [empty, /has no config\.json: it is not a saved model/]] as const) {
        await assert.rejects(client.createJob({ model, training_file: file.id }), (err: TrainerError) => err.status === 400 && message.test(err.message), model);
      }
      assert.equal((await client.listJobs()).data.length, 0, 'no job was made');
      // The trl backend has no default model: /health says so, and train asks for --model before uploading.
      assert.equal((await client.health()).modelRequired, true);
      const cap = captureIO();
      const filesDir = path.join(server.dataDir, 'files');
      const uploaded = fs.readdirSync(filesDir).length;
      assert.equal(await main(['train', '--yes', PAIRS, '--trainer', server.url], cap.io), 1, cap.stderr());
      assert.match(cap.stderr(), /the trainer's trl backend has no default model: name one with --model .*; nothing was uploaded/);
      assert.equal(fs.readdirSync(filesDir).length, uploaded);
      // A hub name is the training process's to resolve.
      assert.equal(missingLocalModel('Qwen/Qwen2.5-0.5B-Instruct'), undefined);
      fs.writeFileSync(path.join(empty, 'config.json'), '{}');
      assert.equal(missingLocalModel(empty), undefined);
    } finally {
      await server.close();
    }
  });

  test('a crash during training fails the job with the Python error, after the steps it logged', async () => {
    const run = await runTrlJob(
      { FAKE_HF_STACK: 'current', FAKE_HF_GPU: 'bf16', FAKE_HF_FAIL_AT_STEP: '3' },
      { model: 'm/m', method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 10, logging_steps: 1 } } } },
    );
    assert.equal(run.final.status, 'failed');
    assert.deepEqual(run.metrics.map((m) => m.step), [1, 2]);
    assert.match(run.final.error!.message, /The trl backend stopped with exit code 1\./);
    assert.match(run.final.error!.message, /RuntimeError: CUDA out of memory/);
  });

  test('a TypeError raised inside DPOTrainer is reported as itself, not retried under another keyword', async () => {
    const run = await runTrlJob(
      { FAKE_HF_STACK: 'current', FAKE_HF_GPU: 'bf16', FAKE_HF_INIT_TYPEERROR: 'collator setup failed deep inside TRL' },
      { model: 'm/m', method: { type: 'dpo', dpo: { hyperparameters: { max_steps: 2 } } } },
    );
    assert.equal(run.final.status, 'failed');
    assert.match(run.final.error!.message, /TypeError: collator setup failed deep inside TRL/);
    assert.doesNotMatch(run.final.error!.message, /unexpected keyword argument/);
  });

  test('trl_dpo.py picks keywords by release: dtype from transformers 4.56, processing_class when the signature has it', () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(REPO, 'trainer'))})
import trl_dpo as t
class New:
    def __init__(self, model, ref_model=None, args=None, processing_class=None, peft_config=None): pass
class Old:
    def __init__(self, model=None, args=None, tokenizer=None, peft_config=None): pass
class Wrapped:
    def __init__(self, *args, **kwargs): pass
print(json.dumps({
  "dtype": {v: t.dtype_keyword(v) for v in ["4.45.2", "4.55.4", "4.56.0.dev0", "4.57.1", "5.0.0rc1", "unknown"]},
  "tokenizer": [t.tokenizer_keyword(c) for c in (New, Old, Wrapped)],
  "qlora_fp16": t.quantization_kwargs({"load_in_4bit": True}, bf16=False)["bnb_4bit_compute_dtype"],
  "alpha": [t.lora_kwargs({"lora_alpha": 64})["lora_alpha"], t.lora_kwargs({"lora_alpha": 12.5})["lora_alpha"]],
  "logging": [t.default_logging_steps(n) for n in (None, 4, 30, 99, 100, 500)],
}))
`;
    const out = JSON.parse(execFileSync(defaultPython(), ['-c', script], { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }));
    assert.deepEqual(out.dtype, {
      '4.45.2': 'torch_dtype',
      '4.55.4': 'torch_dtype',
      '4.56.0.dev0': 'dtype',
      '4.57.1': 'dtype',
      '5.0.0rc1': 'dtype',
      unknown: 'torch_dtype',
    });
    assert.deepEqual(out.tokenizer, ['processing_class', 'tokenizer', 'processing_class']);
    assert.equal(out.qlora_fp16, 'float16');
    assert.deepEqual(out.alpha, [64, 12.5]);
    // TRL's every 10 steps, but a short run logs about ten times (a 4-step trial shows every loss).
    assert.deepEqual(out.logging, [10, 1, 3, 9, 10, 10]);
  });

  test('the fakes refuse what the real releases refuse (so the runs above could fail)', () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(FAKE, 'site'))})
results = {}
def attempt(name, fn):
    try:
        fn()
        results[name] = "accepted"
    except Exception as e:
        results[name] = type(e).__name__ + ": " + str(e)
import transformers, trl, peft, datasets
attempt("current DPOConfig(max_prompt_length)", lambda: trl.DPOConfig(output_dir="o", bf16=False, max_prompt_length=128))
attempt("current DPOConfig() without bf16 GPU", lambda: trl.DPOConfig(output_dir="o"))
attempt("eval_strategy without eval_dataset", lambda: trl.DPOTrainer(model=transformers.AutoModelForCausalLM.from_pretrained("m", dtype="auto"), args=trl.DPOConfig(output_dir="o", bf16=False, eval_strategy="steps"), train_dataset=datasets.Dataset.from_list([{"prompt": "p", "chosen": "c", "rejected": "r"}]), processing_class=transformers.AutoTokenizer.from_pretrained("m")))
tok = transformers.AutoTokenizer.from_pretrained("m")
model = transformers.AutoModelForCausalLM.from_pretrained("m", dtype="auto")
ds = datasets.Dataset.from_list([{"prompt": "p", "chosen": "c", "rejected": "r"}])
attempt("current DPOTrainer(tokenizer=)", lambda: trl.DPOTrainer(model=model, args=trl.DPOConfig(output_dir="o", bf16=False), train_dataset=ds, tokenizer=tok))
attempt("current DPOTrainer(processing_class=object())", lambda: trl.DPOTrainer(model=model, args=trl.DPOConfig(output_dir="o", bf16=False), train_dataset=ds, processing_class=object()))
attempt("DPOTrainer without chosen", lambda: trl.DPOTrainer(model=model, args=trl.DPOConfig(output_dir="o", bf16=False), train_dataset=datasets.Dataset.from_list([{"prompt": "p", "rejected": "r"}]), processing_class=tok))
attempt("LoraConfig(rank=)", lambda: peft.LoraConfig(rank=8))
attempt("BitsAndBytesConfig(load_in_4bits=)", lambda: transformers.BitsAndBytesConfig(load_in_4bits=True))
attempt("mixed column types", lambda: datasets.Dataset.from_list([{"prompt": "p"}, {"prompt": [{"role": "user", "content": "p"}]}]))
print(json.dumps(results))
`;
    const run = (stack: string) =>
      JSON.parse(execFileSync(defaultPython(), ['-c', script], { encoding: 'utf8', env: { ...process.env, FAKE_HF_STACK: stack, FAKE_HF_GPU: 'none', PYTHONDONTWRITEBYTECODE: '1' } }));
    const current = run('current');
    assert.match(current['current DPOConfig(max_prompt_length)'], /^TypeError: .*unexpected keyword argument 'max_prompt_length'/);
    assert.match(current['current DPOConfig() without bf16 GPU'], /^ValueError: Your setup doesn't support bf16/);
    assert.match(current['eval_strategy without eval_dataset'], /^ValueError: You have set `args.eval_strategy` to steps but you didn't pass an `eval_dataset`/);
    assert.match(current['current DPOTrainer(tokenizer=)'], /^TypeError: .*unexpected keyword argument 'tokenizer'/);
    assert.match(current['current DPOTrainer(processing_class=object())'], /^TypeError: The `processing_class` must be/);
    assert.match(current['DPOTrainer without chosen'], /^KeyError: .*'chosen'/);
    assert.match(current['LoraConfig(rank=)'], /^TypeError: .*unexpected keyword argument 'rank'/);
    assert.match(current['BitsAndBytesConfig(load_in_4bits=)'], /^TypeError: .*unexpected keyword argument 'load_in_4bits'/);
    assert.match(current['mixed column types'], /^DatasetGenerationError: .*column 'prompt' is string in one row and list/);

    const legacyScript = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(FAKE, 'site'))})
import transformers, trl, datasets
out = {}
for name, fn in {
    "legacy from_pretrained(dtype=)": lambda: transformers.AutoModelForCausalLM.from_pretrained("m", dtype="auto"),
    "legacy DPOTrainer(processing_class=)": lambda: trl.DPOTrainer(model=transformers.AutoModelForCausalLM.from_pretrained("m"), args=trl.DPOConfig(output_dir="o"), train_dataset=datasets.Dataset.from_list([{"prompt": "p", "chosen": "c", "rejected": "r"}]), processing_class=transformers.AutoTokenizer.from_pretrained("m")),
}.items():
    try:
        fn()
        out[name] = "accepted"
    except Exception as e:
        out[name] = type(e).__name__ + ": " + str(e)
print(json.dumps(out))
`;
    const legacy = JSON.parse(
      execFileSync(defaultPython(), ['-c', legacyScript], { encoding: 'utf8', env: { ...process.env, FAKE_HF_STACK: 'legacy', FAKE_HF_GPU: 'none', PYTHONDONTWRITEBYTECODE: '1' } }),
    );
    assert.match(legacy['legacy from_pretrained(dtype=)'], /^TypeError: .*unexpected keyword argument 'dtype'/);
    assert.match(legacy['legacy DPOTrainer(processing_class=)'], /^TypeError: .*unexpected keyword argument 'processing_class'/);

    // The launcher parses like accelerate: an unknown option is an error before anything runs.
    assert.throws(
      () => execFileSync(defaultPython(), [path.join(FAKE, 'accelerate_launch.py'), 'launch', '--num_procs', '2', 'x.py'], { encoding: 'utf8', stdio: 'pipe' }),
      (e: { status: number; stderr: string }) => e.status === 2 && /unrecognized arguments: --num_procs/.test(e.stderr),
    );
  });
});
