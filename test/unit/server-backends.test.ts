/**
 * The backends' plumbing: what the trl backend is launched with (TRL is not installable here, so
 * a stand-in `accelerate` records its arguments), and the pure parts of trainer/trl_dpo.py.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TrainerClient } from '../../src/core/trainer/client';
import { buildTrlLaunch, createBackend, defaultPython, jobPaths, parseBackendLine } from '../../src/server/backends';
import { PAIRS, REPO, startServer, tempDir } from '../fixtures/trainer/harness';

const TRAINER_DIR = path.join(REPO, 'trainer');

describe('backends', () => {
  test('trl: accelerate launch with an optional config file, then the script and its files', () => {
    const paths = jobPaths('/data/jobs/ftjob-1');
    assert.deepEqual(buildTrlLaunch(paths, {}, '/opt/trainer'), {
      command: 'accelerate',
      args: ['launch', '/opt/trainer/trl_dpo.py', '--config', paths.config, '--data', paths.dataset, '--output-dir', paths.output,
        '--tracking-dir', paths.tracking],
      env: buildTrlLaunch(paths, {}, '/opt/trainer').env,
    });
    // A validation set is evaluated, and its prompts answered by the base and the tuned model.
    const withEval = jobPaths('/data/jobs/ftjob-2', { validation: true });
    assert.deepEqual(buildTrlLaunch(withEval, {}, '/opt/trainer').args.slice(-6), [
      '--eval-data', '/data/jobs/ftjob-2/validation.jsonl', '--evaluation-out', '/data/jobs/ftjob-2/evaluation.jsonl', '--tracking-dir', '/data/jobs/ftjob-2/tracking',
    ]);
    // eval_prompts alone: no validation set, but base and tuned answers all the same.
    const withPrompts = jobPaths('/data/jobs/ftjob-3', { evalPrompts: true });
    assert.equal(withPrompts.validation, undefined);
    assert.deepEqual(buildTrlLaunch(withPrompts, {}, '/opt/trainer').args.slice(-6), [
      '--eval-prompts', '/data/jobs/ftjob-3/eval_prompts.jsonl', '--evaluation-out', '/data/jobs/ftjob-3/evaluation.jsonl', '--tracking-dir', '/data/jobs/ftjob-3/tracking',
    ]);
    const multi = buildTrlLaunch(paths, { accelerate: '/venv/bin/accelerate', accelerateConfig: '/etc/fsdp.yaml' }, '/opt/trainer');
    assert.equal(multi.command, '/venv/bin/accelerate');
    assert.deepEqual(multi.args.slice(0, 4), ['launch', '--config_file', '/etc/fsdp.yaml', '/opt/trainer/trl_dpo.py']);
  });

  test('backends never see the server token', () => {
    const saved = process.env.DIALOGUE_CURATOR_TOKEN;
    process.env.DIALOGUE_CURATOR_TOKEN = 'secret-secret-secret';
    try {
      for (const name of ['tiny', 'trl'] as const) {
        assert.equal(createBackend(name, { trainerDir: TRAINER_DIR }).launch(jobPaths('/j')).env.DIALOGUE_CURATOR_TOKEN, undefined);
      }
    } finally {
      if (saved === undefined) delete process.env.DIALOGUE_CURATOR_TOKEN;
      else process.env.DIALOGUE_CURATOR_TOKEN = saved;
    }
  });

  test('backend stdout lines: ours are parsed, anything else is left for the log', () => {
    assert.deepEqual(parseBackendLine('{"event":"metrics","data":{"step":1}}'), { event: 'metrics', data: { step: 1 } });
    assert.deepEqual(parseBackendLine('{"event":"message","level":"warn","message":"m"}'), { event: 'message', level: 'warn', message: 'm' });
    assert.deepEqual(parseBackendLine('{"event":"message","level":"shout","message":"m"}'), { event: 'message', level: 'info', message: 'm' });
    for (const other of ["{'loss': 0.69}", 'Loading checkpoint shards: 100%', '{"loss": 0.69}', '{"event":"metrics"}']) {
      assert.equal(parseBackendLine(other), undefined, other);
    }
  });

  test('a trl job: the launcher gets the job files; a missing launcher fails the job clearly', async () => {
    const bin = tempDir();
    const record = path.join(bin, 'argv.json');
    const fake = path.join(bin, 'accelerate');
    // Stands in for accelerate: records what it was asked to run and reports one metrics line.
    fs.writeFileSync(
      fake,
      `#!${defaultPython()}\nimport json, sys\njson.dump(sys.argv[1:], open(${JSON.stringify(record)}, "w"))\n` +
        `print(json.dumps({"event": "metrics", "data": {"step": 10, "max_steps": 10, "loss": 0.5}}))\n`,
      { mode: 0o755 },
    );
    const server = await startServer({ backend: createBackend('trl', { accelerate: fake, accelerateConfig: '/etc/deepspeed.yaml' }) });
    try {
      const client = new TrainerClient({ baseUrl: server.url });
      const file = await client.uploadFile(PAIRS);
      await assert.rejects(client.createJob({ training_file: file.id }), /The trl backend needs a model/);
      const job = await client.createJob({
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        training_file: file.id,
        method: { type: 'dpo', dpo: { hyperparameters: { beta: 0.1, learning_rate: 2e-4, max_length: 2048 }, peft: { lora_r: 32, lora_alpha: 64, load_in_4bit: true } } },
      });
      const final = await client.followJob(job.id, { onEvent: () => {} });
      assert.equal(final.status, 'succeeded');
      assert.deepEqual(final.progress, { step: 10, max_steps: 10 });
      const paths = jobPaths(path.join(server.dataDir, 'jobs', job.id));
      assert.deepEqual(JSON.parse(fs.readFileSync(record, 'utf8')), [
        'launch', '--config_file', '/etc/deepspeed.yaml', path.join(TRAINER_DIR, 'trl_dpo.py'),
        '--config', paths.config, '--data', paths.dataset, '--output-dir', paths.output, '--tracking-dir', paths.tracking,
      ]);
      const config = JSON.parse(fs.readFileSync(paths.config, 'utf8'));
      assert.equal(config.model, 'meta-llama/Llama-3.1-8B-Instruct');
      assert.deepEqual(config.peft, { lora_r: 32, lora_alpha: 64, load_in_4bit: true });
      assert.equal(config.hyperparameters.learning_rate, 2e-4);
      const firstPair = JSON.parse(fs.readFileSync(paths.dataset, 'utf8').split('\n')[0]);
      assert.deepEqual(Object.keys(firstPair), ['prompt', 'chosen', 'rejected']);
    } finally {
      await server.close();
    }

    const missing = await startServer({ backend: createBackend('trl', { accelerate: path.join(bin, 'no-such-accelerate') }) });
    try {
      const client = new TrainerClient({ baseUrl: missing.url });
      const file = await client.uploadFile(PAIRS);
      const job = await client.createJob({ model: 'm', training_file: file.id });
      const final = await client.followJob(job.id, { onEvent: () => {} });
      assert.equal(final.status, 'failed');
      assert.match(final.error!.message, /Could not start the trl backend \(.*no-such-accelerate\): .*ENOENT/);
    } finally {
      await missing.close();
    }
  });

  test('trl_dpo.py: its pure parts import without TRL and map the job as TRL expects', () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(TRAINER_DIR)})
import trl_dpo as t
cfg = {"model": "m", "hyperparameters": {"beta": 0.2, "n_epochs": "auto", "batch_size": 4, "learning_rate_multiplier": 10, "max_length": 1024, "seed": 7}}
print(json.dumps({
  "heavy": sorted(m for m in ("torch", "trl", "transformers", "datasets", "peft") if m in sys.modules),
  "dpo": t.dpo_config_kwargs(cfg, "/out"),
  "lora": t.lora_kwargs({"lora_r": 32, "lora_alpha": 64, "lora_target_modules": ["q_proj", "v_proj"]}),
  "no_lora": t.lora_kwargs(None),
  "qlora": t.quantization_kwargs({"load_in_4bit": True}),
  "metrics": t.metrics_record({"loss": 0.6931, "rewards/chosen": 0.0, "grad_norm": float("nan"), "learning_rate": 1e-6, "epoch": 0.1, "note": "x"}, 10, 500),
  "summary": t.metrics_record({"train_runtime": 12.0, "train_loss": 0.4}, 500, 500),
  "summary_text": t.summary_message({"train_runtime": 12.0, "train_loss": 0.4}),
}))
`;
    const out = JSON.parse(execFileSync(defaultPython(), ['-c', script], { encoding: 'utf8' }));
    assert.deepEqual(out.heavy, []);
    // TRL's default learning rate (1e-6) times the OpenAI-style multiplier.
    assert.ok(Math.abs(out.dpo.learning_rate - 1e-5) < 1e-12);
    delete out.dpo.learning_rate;
    assert.deepEqual(out.dpo, {
      output_dir: '/out',
      beta: 0.2,
      loss_type: 'sigmoid',
      logging_steps: 10,
      report_to: 'none',
      save_strategy: 'no',
      bf16: false,
      per_device_train_batch_size: 4,
      max_length: 1024,
      seed: 7,
    });
    assert.deepEqual(out.lora, { r: 32, lora_alpha: 64, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj'], task_type: 'CAUSAL_LM' });
    assert.equal(out.no_lora, null);
    assert.deepEqual(out.qlora, { load_in_4bit: true, bnb_4bit_quant_type: 'nf4', bnb_4bit_use_double_quant: true, bnb_4bit_compute_dtype: 'bfloat16' });
    assert.deepEqual(out.metrics, {
      event: 'metrics',
      data: { step: 10, max_steps: 500, loss: 0.6931, 'rewards/chosen': 0, grad_norm: null, learning_rate: 1e-6, epoch: 0.1 },
    });
    assert.equal(out.summary, null);
    assert.equal(out.summary_text, 'training finished: train_loss=0.4, train_runtime=12');
  });
});
