/**
 * Training backends run as subprocesses of the server, each in its own process group, and
 * report on stdout with one JSON object a line:
 *   {"event": "metrics", "data": {"step": 3, "max_steps": 40, "loss": 0.61, ...}}
 *   {"event": "message", "level": "info", "message": "..."}
 * This module decides what a backend is given (dataset layout, config file, command line).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FineTuningJob } from '../core/trainer/protocol';
import { NormalizedPair, pairToText } from '../core/trainer/normalize';

export type BackendName = 'tiny' | 'trl';
export const BACKEND_NAMES: readonly BackendName[] = ['tiny', 'trl'];

export interface BackendOptions {
  /** Python interpreter for the tiny backend (Debian's, which has PyTorch). */
  python?: string;
  /** The `accelerate` executable for the trl backend. */
  accelerate?: string;
  /** An accelerate config file (multi-GPU, DeepSpeed, FSDP), passed as `--config_file`. */
  accelerateConfig?: string;
  /** Folder holding tiny_dpo.py and trl_dpo.py. */
  trainerDir?: string;
}

export interface JobPaths {
  dir: string;
  dataset: string;
  /** The normalised validation set, when the job has a `validation_file`. */
  validation?: string;
  config: string;
  output: string;
  log: string;
  /** The job's `eval_prompts`, one `{"prompt": …}` a line, when it has some. */
  evalPrompts?: string;
  /** Base-vs-tuned answers to the held-out prompts (with a validation set or eval_prompts). */
  evaluation?: string;
  /** TensorBoard / trackio files, when the job asks for them (`report_to`). */
  tracking: string;
}

export interface Launch {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * How a backend reads a pair from its dataset file: `text` as plain prompt/chosen/rejected
 * strings (a byte-level model has no chat template), `pair` as the pair itself (TRL reads
 * strings, or message lists it renders with the model's chat template).
 */
export type DatasetLayout = 'text' | 'pair';

/** A pair's line in a backend's dataset file. */
export function datasetLine(layout: DatasetLayout, pair: NormalizedPair): string {
  return JSON.stringify(layout === 'text' ? pairToText(pair) : pair);
}

export interface Backend {
  name: BackendName;
  /** The model a job gets when it names none; undefined when the job must name one. */
  defaultModel: string | undefined;
  /** How the dataset file the backend reads is written (a plain name: a worker thread writes it). */
  datasetLayout: DatasetLayout;
  /** What goes into config.json. */
  config(job: FineTuningJob, paths: JobPaths): Record<string, unknown>;
  launch(paths: JobPaths): Launch;
}

/** The name of a job's eval_prompts file in its folder. */
export const EVAL_PROMPTS_FILE = 'eval_prompts.jsonl';

/**
 * The files of a job in its folder; `validation` only for a job evaluated on a validation set,
 * `evalPrompts` for one given prompts to answer; `evaluation` with either.
 */
export function jobPaths(dir: string, options: { validation?: boolean; evalPrompts?: boolean } = {}): JobPaths {
  const paths: JobPaths = {
    dir,
    dataset: path.join(dir, 'dataset.jsonl'),
    config: path.join(dir, 'config.json'),
    output: path.join(dir, 'output'),
    log: path.join(dir, 'backend.log'),
    tracking: path.join(dir, 'tracking'),
  };
  if (options.validation) paths.validation = path.join(dir, 'validation.jsonl');
  if (options.evalPrompts) paths.evalPrompts = path.join(dir, EVAL_PROMPTS_FILE);
  if (options.validation || options.evalPrompts) paths.evaluation = path.join(dir, 'evaluation.jsonl');
  return paths;
}

/** Finds `trainer/` next to the bundle (dist/cli.js) or the sources (src/server/*.ts). */
export function findTrainerDir(start: string = __dirname): string {
  const fromEnv = process.env.DIALOGUE_CURATOR_TRAINER_DIR;
  if (fromEnv) return fromEnv;
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'trainer');
    if (fs.existsSync(path.join(candidate, 'tiny_dpo.py'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the trainer/ folder above ${start}`);
    dir = parent;
  }
}

/** Debian's interpreter has PyTorch; a pyenv `python3` earlier on PATH usually does not. */
export function defaultPython(): string {
  return process.env.DIALOGUE_CURATOR_PYTHON || (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** The trainer's own environment (`npm run setup:trainer` makes trainer/.venv) before PATH's. */
export function defaultAccelerate(trainerDir: string): string {
  const inVenv = path.join(trainerDir, '.venv', 'bin', 'accelerate');
  return fs.existsSync(inVenv) ? inVenv : 'accelerate';
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', ...extra };
  // The backend never needs the server's token.
  delete env.DIALOGUE_CURATOR_TOKEN;
  return env;
}

export function tinyBackend(options: BackendOptions = {}): Backend {
  const trainerDir = options.trainerDir ?? findTrainerDir();
  const python = options.python ?? defaultPython();
  return {
    name: 'tiny',
    defaultModel: 'tiny-byte-transformer',
    datasetLayout: 'text',
    config: (job) => ({ ...job.method.dpo.hyperparameters, seed: job.method.dpo.hyperparameters.seed ?? job.seed }),
    launch: (paths) => ({
      command: python,
      args: [
        path.join(trainerDir, 'tiny_dpo.py'),
        '--data',
        paths.dataset,
        '--config',
        paths.config,
        '--output-dir',
        paths.output,
        ...(paths.validation ? ['--eval-data', paths.validation] : []),
      ],
      env: childEnv({ OMP_NUM_THREADS: '1' }),
    }),
  };
}

export function trlBackend(options: BackendOptions = {}): Backend {
  const trainerDir = options.trainerDir ?? findTrainerDir();
  return {
    name: 'trl',
    defaultModel: undefined,
    datasetLayout: 'pair',
    config: (job, paths) => ({
      model: job.model,
      hyperparameters: { ...job.method.dpo.hyperparameters, seed: job.method.dpo.hyperparameters.seed ?? job.seed },
      peft: job.method.dpo.peft ?? null,
      output_dir: paths.output,
    }),
    launch: (paths) => buildTrlLaunch(paths, options, trainerDir),
  };
}

/** `accelerate launch [--config_file F] trainer/trl_dpo.py --config … --data … --output-dir …` */
export function buildTrlLaunch(paths: JobPaths, options: BackendOptions, trainerDir: string): Launch {
  const args = ['launch'];
  if (options.accelerateConfig) args.push('--config_file', options.accelerateConfig);
  args.push(
    path.join(trainerDir, 'trl_dpo.py'),
    '--config',
    paths.config,
    '--data',
    paths.dataset,
    '--output-dir',
    paths.output,
  );
  if (paths.validation) args.push('--eval-data', paths.validation);
  if (paths.evalPrompts) args.push('--eval-prompts', paths.evalPrompts);
  if (paths.evaluation) args.push('--evaluation-out', paths.evaluation);
  args.push('--tracking-dir', paths.tracking);
  return { command: options.accelerate ?? defaultAccelerate(trainerDir), args, env: childEnv({}) };
}

export function createBackend(name: BackendName, options: BackendOptions = {}): Backend {
  return name === 'tiny' ? tinyBackend(options) : trlBackend(options);
}

/** One parsed stdout line of a backend, or undefined for anything that is not ours. */
export type BackendLine =
  | { event: 'metrics'; data: unknown }
  | { event: 'message'; level: 'info' | 'warn' | 'error'; message: string };

export function parseBackendLine(line: string): BackendLine | undefined {
  if (!line.startsWith('{')) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o.event === 'metrics' && typeof o.data === 'object' && o.data !== null) return { event: 'metrics', data: o.data };
  if (o.event === 'message' && typeof o.message === 'string') {
    const level = o.level === 'warn' || o.level === 'error' ? o.level : 'info';
    return { event: 'message', level, message: o.message };
  }
  return undefined;
}
