// The trl backend's script against the real packages of trainer/requirements.txt, on the CPU:
// a tiny Llama-style model made offline by make_tiny_model.py, trained by TRL's DPOTrainer under
// `accelerate launch`. Needs trainer/.venv (`npm run setup:trainer`, which .ci/run runs first).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.join(__dirname, '..', '..');
const venvBin = path.join(root, 'trainer', '.venv', 'bin');
const haveVenv = fs.existsSync(path.join(venvBin, 'python'));
const skip = haveVenv ? false : 'trainer/.venv is missing: run `npm run setup:trainer`';
const env = { ...process.env, HF_HUB_OFFLINE: '1', PYTHONUNBUFFERED: '1', OMP_NUM_THREADS: '1' };

test('make_tiny_model.py writes a model and tokenizer that transformers loads offline', { skip, timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-tiny-'));
  const made = spawnSync(path.join(venvBin, 'python'), [path.join(root, 'trainer', 'make_tiny_model.py'), dir], { env, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const info = JSON.parse(made.stdout.trim().split('\n').pop()!);
  assert.ok(info.parameters > 10_000 && info.parameters < 1_000_000, `parameters ${info.parameters}`);
  assert.ok(fs.existsSync(path.join(dir, 'model.safetensors')));
  const load = spawnSync(
    path.join(venvBin, 'python'),
    [
      '-c',
      `import sys
from transformers import AutoModelForCausalLM, AutoTokenizer
m = AutoModelForCausalLM.from_pretrained(sys.argv[1]); t = AutoTokenizer.from_pretrained(sys.argv[1])
ids = t.apply_chat_template([{"role": "user", "content": "I feel tired."}], add_generation_prompt=True)
ids = ids["input_ids"] if hasattr(ids, "keys") else ids
print(type(m).__name__, len(t), t.pad_token is not None, len(ids) > 3)`,
      dir,
    ],
    { env, encoding: 'utf8' },
  );
  assert.equal(load.status, 0, load.stderr);
  assert.equal(load.stdout.trim(), `LlamaForCausalLM ${info.vocab_size} True True`);
});

let sharedModel: string | undefined;
function tinyModel(): string {
  if (sharedModel) return sharedModel;
  const model = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-trl-model-')), 'model');
  const made = spawnSync(path.join(venvBin, 'python'), [path.join(root, 'trainer', 'make_tiny_model.py'), model], { env, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  return (sharedModel = model);
}

/** Runs trl_dpo.py under `accelerate launch` (launch options given) and returns its metrics. */
function trainReal(launchOptions: string[], peft: Record<string, unknown> | null, batchSize = 4) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-trl-'));
  const config = path.join(dir, 'config.json');
  const output = path.join(dir, 'out');
  fs.writeFileSync(
    config,
    JSON.stringify({
      model: tinyModel(),
      hyperparameters: { max_steps: 30, learning_rate: 5e-3, batch_size: batchSize, logging_steps: 1, seed: 0 },
      peft,
      output_dir: output,
    }),
  );
  const run = spawnSync(
    path.join(venvBin, 'accelerate'),
    ['launch', ...launchOptions, path.join(root, 'trainer', 'trl_dpo.py'), '--config', config,
      '--data', path.join(root, 'test', 'fixtures', 'trainer', 'pairs.jsonl'), '--output-dir', output],
    { env, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  assert.equal(run.status, 0, run.stderr.slice(-4000));
  const metrics = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"event": "metrics"'))
    .map((l) => JSON.parse(l).data);
  return { metrics, output, stdout: run.stdout };
}

function assertDpoRun(metrics: Record<string, number>[]) {
  assert.ok(metrics.length >= 20, `${metrics.length} metrics events`);
  // Each step once: a multi-process run writes from the main process only.
  assert.deepEqual(metrics.map((m) => m.step), metrics.map((_, i) => i + 1));
  for (const name of ['loss', 'rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins', 'logps/chosen', 'logps/rejected', 'grad_norm', 'learning_rate']) {
    assert.ok(typeof metrics[0][name] === 'number', `TRL's ${name} in the first event`);
  }
  assert.ok(Math.abs(metrics[0].loss - Math.LN2) < 1e-3, `step 1 loss ${metrics[0].loss}`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const losses = metrics.map((m) => m.loss);
  assert.ok(mean(losses.slice(-5)) < mean(losses.slice(0, 5)), `loss did not fall: ${losses.join(', ')}`);
}

test('trl_dpo.py trains the tiny model with the real TRL under accelerate: ln 2 first, the loss falls', { skip, timeout: 600_000 }, () => {
  const { metrics, output, stdout } = trainReal(['--cpu', '--num_processes', '1'], null);
  assertDpoRun(metrics);
  assert.match(stdout, /training in 1 process \(NO\)/);
  assert.ok(fs.existsSync(path.join(output, 'model.safetensors')), 'trained weights saved');
});

test('real TRL with LoRA through peft saves an adapter', { skip, timeout: 600_000 }, () => {
  const { metrics, output } = trainReal(['--cpu', '--num_processes', '1'], { lora_r: 8, lora_alpha: 16 });
  assertDpoRun(metrics);
  assert.ok(fs.existsSync(path.join(output, 'adapter_model.safetensors')), 'LoRA adapter saved');
  assert.equal(JSON.parse(fs.readFileSync(path.join(output, 'adapter_config.json'), 'utf8')).r, 8);
});

test('real TRL in two accelerate processes (trainer/accelerate/multi-cpu.yaml, gloo): one metric stream', { skip, timeout: 600_000 }, () => {
  const single = trainReal(['--cpu', '--num_processes', '1'], null).metrics;
  // Two processes of 2 pairs each: the same global batch of 4 as one process.
  const { metrics, output, stdout } = trainReal(['--config_file', path.join(root, 'trainer', 'accelerate', 'multi-cpu.yaml')], null, 2);
  assertDpoRun(metrics);
  assert.match(stdout, /training in 2 processes \(MULTI_CPU\)/, 'two real processes on gloo');
  assert.equal(metrics.length, single.length, 'as many steps as one process');
  // The same result: the same batches, gradients averaged across the processes.
  for (const [i, m] of metrics.entries()) assert.ok(Math.abs(m.loss - single[i].loss) < 1e-3, `step ${i + 1}: loss ${m.loss} with two processes, ${single[i].loss} with one`);
  assert.equal(stdout.split('model saved').length - 1, 1, 'saved once, by the main process');
  assert.ok(fs.existsSync(path.join(output, 'model.safetensors')));
});
