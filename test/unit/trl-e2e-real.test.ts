// The whole training path against the real packages of trainer/requirements.txt, on the CPU:
// `dialogue-curator train … --output DIR` (the CLI's main) against a real trainer server running
// the trl backend (accelerate launch + TRL's DPOTrainer) on the tiny model of make_tiny_model.py.
// The results come back, transformers (and peft) load them, the evaluation is scored.
// Needs trainer/.venv (`npm run setup:trainer`, which .ci/run runs first).
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { TrainerClient } from '../../src/core/trainer/client';
import { createBackend } from '../../src/server/backends';
import { processesOf } from '../../src/server/processes';
import { captureIO, PAIRS, REPO, startServer, tempDir, VALIDATION } from '../fixtures/trainer/harness';

const venvBin = path.join(REPO, 'trainer', '.venv', 'bin');
const skip = fs.existsSync(path.join(venvBin, 'python')) ? false : 'trainer/.venv is missing: run `npm run setup:trainer`';
const env = { ...process.env, HF_HUB_OFFLINE: '1', OMP_NUM_THREADS: '1' };
const temps: string[] = [];
let model = '';

before(() => {
  if (skip) return;
  const dir = tempDir('dc-trl-e2e-model-');
  temps.push(dir);
  model = path.join(dir, 'model');
  const made = spawnSync(path.join(venvBin, 'python'), [path.join(REPO, 'trainer', 'make_tiny_model.py'), model], { env, encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
});
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function python(code: string, ...args: string[]) {
  return spawnSync(path.join(venvBin, 'python'), ['-c', code, ...args], { env, encoding: 'utf8' });
}

async function trainWithCli(args: string[]) {
  const dataDir = tempDir('dc-trl-e2e-server-');
  const out = path.join(tempDir('dc-trl-e2e-out-'), 'results');
  temps.push(dataDir, path.dirname(out));
  const server = await startServer({ dataDir, backend: createBackend('trl') });
  try {
    const cli = captureIO({ env: { DIALOGUE_CURATOR_TOKEN: '' } });
    const status = await main(
      ['train', '--yes', PAIRS, '--trainer', server.url, '--model', model, '--max-steps', '30', '--learning-rate', '5e-3', '--batch-size', '4',
        '--option', 'logging_steps=1', '--option', 'seed=0', '--output', out, '--format', 'json', ...args],
      cli.io,
    );
    const metrics = cli.stdout().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const job = (await new TrainerClient({ baseUrl: server.url }).listJobs()).data[0];
    return { status, stderr: cli.stderr(), metrics, out, job, dataDir };
  } finally {
    await server.close();
  }
}

describe('real TRL through the CLI and a real trainer server', { skip }, () => {
  test('full fine-tuning with a validation set: metrics stream, the model comes back and loads, the evaluation is scored', { timeout: 600_000 }, async () => {
    const run = await trainWithCli(['--validation', VALIDATION, '--eval-steps', '7', '--option', 'max_new_tokens=16', '--option', 'report_to=tensorboard']);
    assert.equal(run.status, 0, run.stderr);
    // Every 7 steps, and the final weights once (30 is no multiple of 7): no step evaluated twice.
    assert.deepEqual(run.metrics.filter((m) => typeof m.eval_loss === 'number').map((m) => m.step), [7, 14, 21, 28, 30]);
    const train = run.metrics.filter((m) => typeof m.loss === 'number');
    assert.ok(train.length >= 20, `${train.length} training metrics`);
    assert.ok(Math.abs(train[0].loss - Math.LN2) < 1e-3, `step 1 loss ${train[0].loss}`);
    assert.ok(run.metrics.some((m) => typeof m.eval_loss === 'number'), 'TRL eval_ metrics from the validation set');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const losses = train.map((m) => m.loss as number);
    assert.ok(mean(losses.slice(-5)) < mean(losses.slice(0, 5)), `loss did not fall: ${losses.join(', ')}`);

    // The job lists its results: model archive, tracking, training log, evaluation.
    assert.equal(run.job.status, 'succeeded');
    assert.equal(run.job.result_files.length, 4, JSON.stringify(run.job.result_files));
    // The folder: a model transformers loads, with the tokenizer, and the log and evaluation.
    for (const f of ['model.safetensors', 'config.json', 'tokenizer.json', 'training-log.jsonl', 'evaluation.jsonl']) {
      assert.ok(fs.existsSync(path.join(run.out, f)), `${f} in ${fs.readdirSync(run.out).join(', ')}`);
    }
    assert.ok(!fs.existsSync(path.join(run.out, '.dialogue-curator-download')), 'no staging folder left');
    const tb = path.join(run.out, 'tracking', 'tensorboard');
    assert.ok(fs.existsSync(tb) && fs.readdirSync(tb, { recursive: true }).some((n) => String(n).includes('tfevents')), 'TensorBoard event file');
    const load = python(
      `import sys
from transformers import AutoModelForCausalLM, AutoTokenizer
m = AutoModelForCausalLM.from_pretrained(sys.argv[1]); t = AutoTokenizer.from_pretrained(sys.argv[1])
print(type(m).__name__, m.num_parameters() > 10000, len(t) > 100)`,
      run.out,
    );
    assert.equal(load.status, 0, load.stderr);
    assert.equal(load.stdout.trim(), 'LlamaForCausalLM True True');

    // The log holds every metrics event the CLI printed.
    const logged = fs.readFileSync(path.join(run.out, 'training-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(logged.filter((e) => e.type === 'metrics').length, run.metrics.length);

    // One evaluation record per distinct held-out prompt, in the training format: chosen is the
    // tuned model's answer, rejected the base model's.
    const prompts = new Set(fs.readFileSync(VALIDATION, 'utf8').trim().split('\n').map((l) => JSON.stringify(JSON.parse(l).prompt)));
    const evaluation = fs.readFileSync(path.join(run.out, 'evaluation.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(evaluation.length, prompts.size);
    for (const r of evaluation) {
      assert.ok(prompts.has(JSON.stringify(r.prompt)));
      assert.equal(typeof r.chosen, typeof JSON.parse(fs.readFileSync(VALIDATION, 'utf8').split('\n')[0]).chosen);
      assert.ok('rejected' in r);
    }
    // The CLI reported the tone comparison of the two sides, per axis.
    assert.match(run.stderr, /Evaluation: \d+ prompts answered by the base and the tuned model/);
    // Pairs where both answers have words to score (the tiny model's answers may be empty).
    const scored = Number(/tuned scores higher than base, per axis \((\d+) pairs\)/.exec(run.stderr)?.[1]);
    assert.ok(scored >= 1 && scored <= evaluation.length, `${scored} scored pairs`);
    for (const axis of ['empathy', 'politeness', 'simplicity', 'non-prescriptive', 'plain language', 'respect']) {
      assert.match(run.stderr, new RegExp(`${axis}\\s+\\d+% higher, +\\d+% tied, +\\d+% lower`));
    }
  });

  test('LoRA: the adapter comes back and peft loads it on the base model; eval_prompts without a validation set are answered', { timeout: 600_000 }, async () => {
    const promptsFile = path.join(tempDir('dc-trl-e2e-prompts-'), 'prompts.txt');
    temps.push(path.dirname(promptsFile));
    const asked = ['How can I help my mother sleep?', 'I feel tired all the time from caring for my dad.'];
    fs.writeFileSync(promptsFile, asked.join('\n') + '\n');
    const run = await trainWithCli(['--lora', '8', '--option', 'loss_type=ipo', '--option', 'warmup_ratio=0.1', '--option', 'lr_scheduler_type=cosine',
      '--option', 'max_new_tokens=8', '--eval-prompts', promptsFile]);
    assert.equal(run.status, 0, run.stderr);
    // The base answers come from the same weights with the adapter switched off.
    const evaluation = fs.readFileSync(path.join(run.out, 'evaluation.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(evaluation.map((r) => r.prompt), asked);
    for (const r of evaluation) assert.ok(typeof r.chosen === 'string' && typeof r.rejected === 'string', JSON.stringify(r));
    assert.match(run.stderr, /Evaluation: 2 prompts answered/);
    assert.ok(run.metrics.length >= 20);
    // warm-up: the learning rate climbs from 0 before the cosine decay.
    assert.ok(run.metrics[0].learning_rate < run.metrics[3].learning_rate, 'warm-up');
    assert.ok(fs.existsSync(path.join(run.out, 'adapter_model.safetensors')));
    const config = JSON.parse(fs.readFileSync(path.join(run.out, 'adapter_config.json'), 'utf8'));
    assert.equal(config.r, 8);
    const load = python(
      `import sys
from transformers import AutoModelForCausalLM
from peft import PeftModel
base = AutoModelForCausalLM.from_pretrained(sys.argv[1])
m = PeftModel.from_pretrained(base, sys.argv[2])
print(type(m).__name__)`,
      model,
      run.out,
    );
    assert.equal(load.status, 0, load.stderr);
    assert.equal(load.stdout.trim(), 'PeftModelForCausalLM');
    // The config TRL was given had the job's options.
    const cfg = JSON.parse(fs.readFileSync(path.join(run.dataDir, 'jobs', run.job.id, 'config.json'), 'utf8'));
    assert.equal(cfg.hyperparameters.loss_type, 'ipo');
  });

  // Two accelerate processes: torch's elastic agent starts each worker in a session of its own,
  // out of the launcher's process group. Cancel and a restart after a crash must end them too.
  const multiCpu = path.join(REPO, 'trainer', 'accelerate', 'multi-cpu.yaml');
  const LONG_JOB = { model: '', training_file: '', method: { type: 'dpo' as const, dpo: { hyperparameters: { max_steps: 2000, batch_size: 2, logging_steps: 1 } } } };

  /** Waits for the job's first metrics; returns the live processes that name its folder. */
  async function runningProcesses(client: TrainerClient, jobId: string, jobDir: string) {
    for await (const event of client.streamEvents(jobId)) {
      if (event.type === 'metrics') break;
      if (/failed|cancelled/.test(event.message) && event.level === 'error') throw new Error(event.message);
    }
    return processesOf(jobDir + path.sep);
  }

  test('two accelerate processes: cancel ends the launcher and both workers (sessions of their own)', { timeout: 600_000 }, async () => {
    const dataDir = tempDir('dc-trl-cancel-');
    temps.push(dataDir);
    const server = await startServer({ dataDir, backend: createBackend('trl', { accelerateConfig: multiCpu }), killGraceMs: 5000 });
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const file = await client.uploadFile(PAIRS);
      const job = await client.createJob({ ...LONG_JOB, model, training_file: file.id });
      const jobDir = path.join(dataDir, 'jobs', job.id);
      const procs = await runningProcesses(client, job.id, jobDir);
      const pgid = server.jobs.pidOf(job.id)!;
      const outside = procs.filter((p) => p.pgid !== pgid);
      assert.ok(outside.length >= 2, `workers outside the launcher's group: ${JSON.stringify(procs)}`);
      const cancelled = await client.cancelJob(job.id);
      assert.equal(cancelled.status, 'cancelled');
      await waitGone(jobDir + path.sep);
      assert.deepEqual(processesOf(jobDir + path.sep), [], 'no process of the job is left');
    } finally {
      await server.close();
    }
  });

  test('two accelerate processes, the server killed: the restart ends the orphaned workers and fails the job', { timeout: 600_000 }, async () => {
    const dataDir = tempDir('dc-trl-crash-');
    temps.push(dataDir);
    const serve = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'src/cli/main.ts'), 'serve', '--backend', 'trl', '--accelerate-config', multiCpu, '--port', '0', '--data-dir', dataDir],
      { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        serve.stderr!.on('data', (c: Buffer) => (err += c.toString()));
        serve.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0].trim());
        });
        serve.on('exit', (code) => reject(new Error(`serve exited early with ${code}: ${err}`)));
      });
      const client = new TrainerClient({ baseUrl: url });
      const file = await client.uploadFile(PAIRS);
      const job = await client.createJob({ ...LONG_JOB, model, training_file: file.id });
      const jobDir = path.join(dataDir, 'jobs', job.id);
      const procs = await runningProcesses(client, job.id, jobDir);
      assert.ok(procs.length >= 3, `launcher and two workers: ${JSON.stringify(procs)}`);
      serve.kill('SIGKILL');
      await new Promise((r) => serve.once('close', r));
      assert.ok(processesOf(jobDir + path.sep).length >= 2, 'the workers outlived the server');

      second = await startServer({ dataDir, backend: createBackend('trl', { accelerateConfig: multiCpu }) });
      const after = await new TrainerClient({ baseUrl: second.url }).getJob(job.id);
      assert.equal(after.status, 'failed');
      assert.equal(after.error?.code, 'server_restarted');
      await waitGone(jobDir + path.sep);
      assert.deepEqual(processesOf(jobDir + path.sep), [], 'no process of the job is left');
    } finally {
      if (serve.exitCode === null) serve.kill('SIGKILL');
      await second?.close();
    }
  });
});

/** SIGKILLed processes disappear from /proc a moment later. */
async function waitGone(marker: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (processesOf(marker).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
