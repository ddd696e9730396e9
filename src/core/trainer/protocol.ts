/**
 * The trainer wire protocol: OpenAI-shaped files, fine-tuning jobs and events, plus a
 * Server-Sent Events stream. Shared by the server, the CLI client and the extension, so the
 * types and the runtime validators live here, free of `vscode` and of Node-only APIs.
 *
 * Everything that crosses the wire is checked at runtime with the `parse*` functions below:
 * TypeScript types vanish at the socket.
 */

export const JOB_STATUSES = [
  'validating_files',
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const TERMINAL: ReadonlySet<JobStatus> = new Set<JobStatus>(['succeeded', 'failed', 'cancelled']);
export function isTerminalStatus(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

/** TRL's DPO metric names, in the order a table or chart shows them. */
export const DPO_METRIC_NAMES = [
  'loss',
  'rewards/chosen',
  'rewards/rejected',
  'rewards/accuracies',
  'rewards/margins',
  'logps/chosen',
  'logps/rejected',
  'logits/chosen',
  'logits/rejected',
  'grad_norm',
  'learning_rate',
  'epoch',
] as const;

/** The purpose of the files a succeeded job lists in `result_files` (OpenAI's name). */
export const RESULTS_PURPOSE = 'fine-tune-results';

/**
 * What a result file holds, told by its name: `<job>-model.tar` / `<job>-adapter.tar` (the
 * trained weights, config and tokenizer, to unpack into a folder), `<job>-tracking.tar`
 * (TensorBoard / trackio files), `<job>-training-log.jsonl` (every event of the job) and
 * `<job>-evaluation.jsonl` (base and tuned answers to the held-out prompts).
 */
export type ResultKind = 'model' | 'adapter' | 'tracking' | 'training-log' | 'evaluation';
const RESULT_NAME = /-(model|adapter|tracking)\.tar$|-(training-log|evaluation)\.jsonl$/;

export function resultKind(file: Pick<TrainerFile, 'filename'>): ResultKind | undefined {
  const m = RESULT_NAME.exec(file.filename);
  return m ? ((m[1] ?? m[2]) as ResultKind) : undefined;
}

export interface TrainerFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
}

export interface DpoHyperparameters {
  beta?: number;
  n_epochs?: number | 'auto';
  batch_size?: number | 'auto';
  learning_rate_multiplier?: number | 'auto';
  /** Extensions of this protocol (not in OpenAI's): passed to the backend as they are. */
  learning_rate?: number;
  max_steps?: number;
  max_length?: number;
  seed?: number;
  logging_steps?: number;
  /**
   * Evaluate on the validation file every this many steps (and at the end). Only meaningful
   * with a `validation_file`; without one, the backend's default cadence applies.
   */
  eval_steps?: number;
  gradient_accumulation_steps?: number;
  /** TRL's DPO loss: one name (sigmoid, ipo, robust, apo_zero, …) or several, mixed by `loss_weights`. */
  loss_type?: string | string[];
  loss_weights?: number[];
  /** Robust DPO: the probability that a preference label is flipped, in [0, 0.5). */
  label_smoothing?: number;
  /** Warm-up length in optimizer steps, or `warmup_ratio` as a share of all steps. */
  warmup_steps?: number;
  warmup_ratio?: number;
  /** transformers' scheduler names: linear, cosine, constant, constant_with_warmup, … */
  lr_scheduler_type?: string;
  gradient_checkpointing?: boolean;
  precompute_ref_log_probs?: boolean;
  /** Trackers whose files are written beside the output and returned with the results. */
  report_to?: TrackerName[];
  /** After training with a validation set: up to this many held-out prompts answered by base and tuned model. */
  eval_generations?: number;
  /** The length of each of those answers, in new tokens. */
  max_new_tokens?: number;
}

export const TRACKERS = ['tensorboard', 'trackio'] as const;
export type TrackerName = (typeof TRACKERS)[number];

/** LoRA / QLoRA options (an extension of the protocol); present means "train an adapter". */
export interface PeftOptions {
  lora_r?: number;
  lora_alpha?: number;
  lora_dropout?: number;
  lora_target_modules?: string[];
  /** QLoRA: load the base model in 4-bit nf4 through bitsandbytes. */
  load_in_4bit?: boolean;
}

export interface DpoMethod {
  type: 'dpo';
  dpo: { hyperparameters: DpoHyperparameters; peft?: PeftOptions };
}

/** A prompt the base and the tuned model answer after training: text, or a conversation so far. */
export type EvalPrompt = string | { role: string; content: string }[];

/** At most this many `eval_prompts` in a job, each at most EVAL_PROMPT_MAX_CHARS characters. */
export const MAX_EVAL_PROMPTS = 500;
export const EVAL_PROMPT_MAX_CHARS = 8_000;

export interface CreateJobRequest {
  model?: string;
  training_file: string;
  validation_file?: string | null;
  /**
   * Prompts for the base-vs-tuned evaluation after training (our extension of the OpenAI shape),
   * answered with or without a validation set, before the validation set's own prompts.
   */
  eval_prompts?: EvalPrompt[];
  method?: DpoMethod;
  suffix?: string | null;
  seed?: number;
  metadata?: Record<string, string> | null;
}

export interface JobError {
  code: string;
  message: string;
  param: string | null;
}

export interface JobProgress {
  step: number;
  max_steps: number | null;
}

export interface FineTuningJob {
  id: string;
  object: 'fine_tuning.job';
  model: string;
  created_at: number;
  /**
   * Extension: when the job began running (left `validating_files`/`queued`), seconds since the
   * epoch on the trainer's clock; null before. `started_at - created_at` is the time spent on
   * validation and in the queue; elapsed training time counts from here.
   */
  started_at: number | null;
  finished_at: number | null;
  status: JobStatus;
  training_file: string;
  validation_file: string | null;
  method: DpoMethod;
  error: JobError | null;
  result_files: string[];
  trained_tokens: number | null;
  seed: number;
  estimated_finish: number | null;
  metadata: Record<string, string> | null;
  /** Extensions: which backend runs the job, and how far it got (last metrics step). */
  backend: string;
  progress: JobProgress | null;
}

export type EventLevel = 'info' | 'warn' | 'error';
export type EventType = 'message' | 'metrics';

/** A metrics event's data: TRL's names (see DPO_METRIC_NAMES, `eval_` prefixed ones) + step. */
export interface MetricsData {
  step: number;
  max_steps: number | null;
  [name: string]: number | null;
}

export interface JobEvent {
  id: string;
  object: 'fine_tuning.job.event';
  created_at: number;
  level: EventLevel;
  message: string;
  type: EventType;
  data: MetricsData | Record<string, unknown> | null;
}

export interface MetricsEvent extends JobEvent {
  type: 'metrics';
  data: MetricsData;
}

export function isMetricsEvent(event: JobEvent): event is MetricsEvent {
  return event.type === 'metrics';
}

/**
 * The status a message event announces (`data.status`: the job entered it when the event was
 * created), or undefined for any other event.
 */
export function statusOfEvent(event: JobEvent): JobStatus | undefined {
  if (event.type !== 'message' || event.data === null) return undefined;
  const status = (event.data as Record<string, unknown>).status;
  return typeof status === 'string' && (JOB_STATUSES as readonly string[]).includes(status) ? (status as JobStatus) : undefined;
}

export interface ListResponse<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** The JSON body of every error response: `{ error: { message, type, code, param } }`. */
export interface ErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

/** SSE event name sent once, after the last job event, when the job has ended. */
export const SSE_DONE_EVENT = 'done';
export const SSE_STREAM_PATH_SUFFIX = '/events/stream';

// ---------------------------------------------------------------------------------------------
// Runtime validation

/** Something on the wire does not have the shape the protocol promises. `path` names the field. */
export class ProtocolError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ProtocolError';
  }
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function object(v: unknown, path: string): Obj {
  if (!isObject(v)) throw new ProtocolError(path, `expected an object, got ${describe(v)}`);
  return v;
}
function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ProtocolError(join(path, key), `expected a string, got ${describe(v)}`);
  return v;
}
function num(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ProtocolError(join(path, key), `expected a number, got ${describe(v)}`);
  }
  return v;
}
function nullable<T>(o: Obj, key: string, read: (o: Obj, key: string, path: string) => T, path: string): T | null {
  return o[key] === null || o[key] === undefined ? null : read(o, key, path);
}
function oneOf<T extends string>(o: Obj, key: string, allowed: readonly T[], path: string): T {
  const v = o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ProtocolError(join(path, key), `expected one of ${allowed.join(', ')}, got ${describe(v)}`);
  }
  return v as T;
}
function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : String(v);
}
function rejectUnknown(o: Obj, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new ProtocolError(join(path, key), `unknown field (allowed: ${allowed.join(', ')})`);
    }
  }
}

export function parseFile(v: unknown, path = ''): TrainerFile {
  const o = object(v, path);
  return {
    id: str(o, 'id', path),
    object: 'file',
    bytes: num(o, 'bytes', path),
    created_at: num(o, 'created_at', path),
    filename: str(o, 'filename', path),
    purpose: str(o, 'purpose', path),
  };
}

function positiveNumber(o: Obj, key: string, path: string, opts: { integer?: boolean; auto?: boolean } = {}) {
  const v = o[key];
  if (v === undefined) return undefined;
  if (opts.auto && v === 'auto') return 'auto' as const;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (opts.integer && !Number.isInteger(v))) {
    const what = opts.integer ? 'a positive integer' : 'a number > 0';
    throw new ProtocolError(join(path, key), `expected ${what}${opts.auto ? ' or "auto"' : ''}, got ${describe(v)}`);
  }
  return v;
}

/** Hyperparameters only TRL (the trl backend) acts on: TRL's and transformers' own options. */
export const TRL_ONLY_HYPERPARAMETERS = [
  'gradient_accumulation_steps',
  'loss_type',
  'loss_weights',
  'label_smoothing',
  'warmup_steps',
  'warmup_ratio',
  'lr_scheduler_type',
  'gradient_checkpointing',
  'precompute_ref_log_probs',
  'report_to',
  'eval_generations',
  'max_new_tokens',
] as const;

const HYPERPARAMETER_KEYS = [
  'beta',
  'n_epochs',
  'batch_size',
  'learning_rate_multiplier',
  'learning_rate',
  'max_steps',
  'max_length',
  'seed',
  'logging_steps',
  'eval_steps',
  ...TRL_ONLY_HYPERPARAMETERS,
] as const;

/** TRL's and transformers' option values are names: letters, digits and underscores. */
const OPTION_NAME = /^[a-z][a-z0-9_]{0,63}$/;

function optionName(v: unknown, path: string): string {
  if (typeof v !== 'string' || !OPTION_NAME.test(v)) {
    throw new ProtocolError(path, `expected a name such as "sigmoid" (lowercase letters, digits, _), got ${describe(v)}`);
  }
  return v;
}

function bool(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ProtocolError(join(path, key), `expected true or false, got ${describe(v)}`);
  return v;
}

function fraction(o: Obj, key: string, path: string, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v < max)) {
    throw new ProtocolError(join(path, key), `expected a number from 0 to below ${max}, got ${describe(v)}`);
  }
  return v;
}

/** The TRL options of a job beyond OpenAI's: names checked for shape here, for meaning by TRL. */
function parseTrlOptions(o: Obj, path: string, hp: DpoHyperparameters): void {
  if (o.loss_type !== undefined) {
    const lt = o.loss_type;
    if (Array.isArray(lt)) {
      if (lt.length === 0) throw new ProtocolError(join(path, 'loss_type'), 'expected at least one loss name');
      hp.loss_type = lt.map((x, i) => optionName(x, `${join(path, 'loss_type')}[${i}]`));
    } else hp.loss_type = optionName(lt, join(path, 'loss_type'));
  }
  if (o.loss_weights !== undefined) {
    const w = o.loss_weights;
    if (!Array.isArray(w) || w.length === 0 || !w.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)) {
      throw new ProtocolError(join(path, 'loss_weights'), 'expected a non-empty array of numbers >= 0');
    }
    const types = Array.isArray(hp.loss_type) ? hp.loss_type.length : 1;
    if (w.length !== types) {
      throw new ProtocolError(join(path, 'loss_weights'), `expected one weight per loss_type (${types}), got ${w.length}`);
    }
    hp.loss_weights = w as number[];
  }
  const smoothing = fraction(o, 'label_smoothing', path, 0.5);
  if (smoothing !== undefined) hp.label_smoothing = smoothing;
  if (o.warmup_steps !== undefined) {
    if (!Number.isInteger(o.warmup_steps) || (o.warmup_steps as number) < 0) {
      throw new ProtocolError(join(path, 'warmup_steps'), `expected an integer >= 0, got ${describe(o.warmup_steps)}`);
    }
    hp.warmup_steps = o.warmup_steps as number;
  }
  const ratio = fraction(o, 'warmup_ratio', path, 1);
  if (ratio !== undefined) hp.warmup_ratio = ratio;
  if (hp.warmup_steps !== undefined && hp.warmup_ratio !== undefined) {
    throw new ProtocolError(join(path, 'warmup_ratio'), 'give warmup_steps or warmup_ratio, not both');
  }
  if (o.lr_scheduler_type !== undefined) hp.lr_scheduler_type = optionName(o.lr_scheduler_type, join(path, 'lr_scheduler_type'));
  const checkpointing = bool(o, 'gradient_checkpointing', path);
  if (checkpointing !== undefined) hp.gradient_checkpointing = checkpointing;
  const precompute = bool(o, 'precompute_ref_log_probs', path);
  if (precompute !== undefined) hp.precompute_ref_log_probs = precompute;
  if (o.report_to !== undefined) {
    const r = o.report_to;
    const list = typeof r === 'string' ? [r] : r;
    if (!Array.isArray(list) || !list.every((x) => (TRACKERS as readonly unknown[]).includes(x))) {
      throw new ProtocolError(join(path, 'report_to'), `expected trackers from ${TRACKERS.join(', ')}, got ${describe(r)}`);
    }
    hp.report_to = [...new Set(list as TrackerName[])];
  }
}

/**
 * The hyperparameters a job is started with: `given`, and the project's `maxLength` (the
 * trainer's maximum length in tokens, `.dialoguecurator.json`) as `max_length` when the project
 * sets one other than the default and `given` has none, so the trainer truncates where the
 * truncation checks said it would. `maxLength`: the project's value (undefined without a project).
 */
export function withProjectLength(given: DpoHyperparameters, maxLength: number | undefined, defaultLength: number): DpoHyperparameters {
  if (given.max_length !== undefined || maxLength === undefined || maxLength === defaultLength) return given;
  return { ...given, max_length: maxLength };
}

export function parseHyperparameters(v: unknown, path: string): DpoHyperparameters {
  if (v === undefined || v === null) return {};
  const o = object(v, path);
  rejectUnknown(o, HYPERPARAMETER_KEYS, path);
  const hp: DpoHyperparameters = {};
  const set = <K extends keyof DpoHyperparameters>(key: K, value: DpoHyperparameters[K] | undefined) => {
    if (value !== undefined) hp[key] = value;
  };
  set('beta', positiveNumber(o, 'beta', path) as number | undefined);
  set('n_epochs', positiveNumber(o, 'n_epochs', path, { integer: true, auto: true }));
  set('batch_size', positiveNumber(o, 'batch_size', path, { integer: true, auto: true }));
  set('learning_rate_multiplier', positiveNumber(o, 'learning_rate_multiplier', path, { auto: true }));
  set('learning_rate', positiveNumber(o, 'learning_rate', path) as number | undefined);
  set('max_steps', positiveNumber(o, 'max_steps', path, { integer: true }) as number | undefined);
  set('max_length', positiveNumber(o, 'max_length', path, { integer: true }) as number | undefined);
  set('logging_steps', positiveNumber(o, 'logging_steps', path, { integer: true }) as number | undefined);
  set('eval_steps', positiveNumber(o, 'eval_steps', path, { integer: true }) as number | undefined);
  set(
    'gradient_accumulation_steps',
    positiveNumber(o, 'gradient_accumulation_steps', path, { integer: true }) as number | undefined,
  );
  set('eval_generations', positiveNumber(o, 'eval_generations', path, { integer: true }) as number | undefined);
  set('max_new_tokens', positiveNumber(o, 'max_new_tokens', path, { integer: true }) as number | undefined);
  parseTrlOptions(o, path, hp);
  if (o.seed !== undefined) {
    if (!Number.isInteger(o.seed) || (o.seed as number) < 0) {
      throw new ProtocolError(join(path, 'seed'), `expected an integer >= 0, got ${describe(o.seed)}`);
    }
    hp.seed = o.seed as number;
  }
  return hp;
}

const PEFT_KEYS = ['lora_r', 'lora_alpha', 'lora_dropout', 'lora_target_modules', 'load_in_4bit'] as const;

export function parsePeft(v: unknown, path: string): PeftOptions | undefined {
  if (v === undefined || v === null) return undefined;
  const o = object(v, path);
  rejectUnknown(o, PEFT_KEYS, path);
  const peft: PeftOptions = {};
  const r = positiveNumber(o, 'lora_r', path, { integer: true });
  if (r !== undefined) peft.lora_r = r as number;
  const alpha = positiveNumber(o, 'lora_alpha', path);
  if (alpha !== undefined) peft.lora_alpha = alpha as number;
  if (o.lora_dropout !== undefined) {
    const d = o.lora_dropout;
    if (typeof d !== 'number' || !(d >= 0 && d < 1)) {
      throw new ProtocolError(join(path, 'lora_dropout'), `expected a number in [0, 1), got ${describe(d)}`);
    }
    peft.lora_dropout = d;
  }
  if (o.lora_target_modules !== undefined) {
    const m = o.lora_target_modules;
    if (!Array.isArray(m) || m.length === 0 || !m.every((x) => typeof x === 'string' && /^[\w.*-]+$/.test(x))) {
      throw new ProtocolError(join(path, 'lora_target_modules'), 'expected a non-empty array of module names');
    }
    peft.lora_target_modules = m as string[];
  }
  if (o.load_in_4bit !== undefined) {
    if (typeof o.load_in_4bit !== 'boolean') {
      throw new ProtocolError(join(path, 'load_in_4bit'), `expected true or false, got ${describe(o.load_in_4bit)}`);
    }
    peft.load_in_4bit = o.load_in_4bit;
  }
  return peft;
}

export function parseMethod(v: unknown, path: string): DpoMethod {
  if (v === undefined || v === null) return { type: 'dpo', dpo: { hyperparameters: {} } };
  const o = object(v, path);
  rejectUnknown(o, ['type', 'dpo'], path);
  if (o.type !== 'dpo') {
    throw new ProtocolError(join(path, 'type'), `only "dpo" is supported, got ${describe(o.type)}`);
  }
  const dpoPath = join(path, 'dpo');
  const dpo = o.dpo === undefined ? {} : object(o.dpo, dpoPath);
  rejectUnknown(dpo, ['hyperparameters', 'peft'], dpoPath);
  const method: DpoMethod = {
    type: 'dpo',
    dpo: { hyperparameters: parseHyperparameters(dpo.hyperparameters, join(dpoPath, 'hyperparameters')) },
  };
  const peft = parsePeft(dpo.peft, join(dpoPath, 'peft'));
  if (peft) method.dpo.peft = peft;
  return method;
}

function parseMetadata(v: unknown, path: string): Record<string, string> | null {
  if (v === undefined || v === null) return null;
  const o = object(v, path);
  for (const [k, val] of Object.entries(o)) {
    if (typeof val !== 'string') throw new ProtocolError(join(path, k), 'expected a string');
  }
  return o as Record<string, string>;
}

/** Server side: the body of `POST /v1/fine_tuning/jobs`. Unknown fields are errors (typos). */
export function parseCreateJobRequest(v: unknown): CreateJobRequest {
  const o = object(v, '');
  rejectUnknown(
    o,
    ['model', 'training_file', 'validation_file', 'eval_prompts', 'method', 'suffix', 'seed', 'metadata', 'hyperparameters'],
    '',
  );
  if (o.hyperparameters !== undefined) {
    throw new ProtocolError('hyperparameters', 'put hyperparameters under method.dpo.hyperparameters');
  }
  const req: CreateJobRequest = { training_file: str(o, 'training_file', '') };
  if (o.model !== undefined) req.model = str(o, 'model', '');
  if (o.validation_file !== undefined && o.validation_file !== null) {
    req.validation_file = str(o, 'validation_file', '');
  }
  if (o.eval_prompts !== undefined) req.eval_prompts = parseEvalPrompts(o.eval_prompts, 'eval_prompts');
  req.method = parseMethod(o.method, 'method');
  if (o.suffix !== undefined && o.suffix !== null) req.suffix = str(o, 'suffix', '');
  if (o.seed !== undefined) {
    if (!Number.isInteger(o.seed) || (o.seed as number) < 0) {
      throw new ProtocolError('seed', `expected an integer >= 0, got ${describe(o.seed)}`);
    }
    req.seed = o.seed as number;
  }
  const metadata = parseMetadata(o.metadata, 'metadata');
  if (metadata) req.metadata = metadata;
  return req;
}

/** `eval_prompts`: 1 to MAX_EVAL_PROMPTS prompts, each text or a list of {role, content} messages. */
export function parseEvalPrompts(v: unknown, path: string): EvalPrompt[] {
  if (!Array.isArray(v)) throw new ProtocolError(path, `expected a list of prompts, got ${describe(v)}`);
  if (v.length === 0 || v.length > MAX_EVAL_PROMPTS) throw new ProtocolError(path, `expected 1 to ${MAX_EVAL_PROMPTS} prompts, got ${v.length}`);
  return v.map((p, i) => {
    const at = `${path}[${i}]`;
    const size = (n: number) => {
      if (n > EVAL_PROMPT_MAX_CHARS) throw new ProtocolError(at, `a prompt may have at most ${EVAL_PROMPT_MAX_CHARS} characters, this one has ${n}`);
    };
    if (typeof p === 'string') {
      if (!p.trim()) throw new ProtocolError(at, 'expected a prompt, got an empty string');
      size(p.length);
      return p;
    }
    if (!Array.isArray(p) || p.length === 0) throw new ProtocolError(at, `expected text or a non-empty list of messages, got ${describe(p)}`);
    const messages = p.map((m, k) => {
      const o = object(m, `${at}[${k}]`);
      rejectUnknown(o, ['role', 'content'], `${at}[${k}]`);
      return { role: str(o, 'role', `${at}[${k}]`), content: str(o, 'content', `${at}[${k}]`) };
    });
    if (messages[messages.length - 1].role === 'assistant') throw new ProtocolError(at, 'the last message is the assistant\'s: a prompt ends before the answer');
    size(messages.reduce((n, m) => n + m.content.length, 0));
    return messages;
  });
}

function parseJobError(v: unknown, path: string): JobError | null {
  if (v === null || v === undefined) return null;
  const o = object(v, path);
  return { code: str(o, 'code', path), message: str(o, 'message', path), param: nullable(o, 'param', str, path) };
}

export function parseJob(v: unknown, path = ''): FineTuningJob {
  const o = object(v, path);
  const progress =
    o.progress === null || o.progress === undefined
      ? null
      : (() => {
          const p = object(o.progress, join(path, 'progress'));
          return { step: num(p, 'step', join(path, 'progress')), max_steps: nullable(p, 'max_steps', num, join(path, 'progress')) };
        })();
  const resultFiles = o.result_files ?? [];
  if (!Array.isArray(resultFiles) || !resultFiles.every((x) => typeof x === 'string')) {
    throw new ProtocolError(join(path, 'result_files'), 'expected an array of strings');
  }
  return {
    id: str(o, 'id', path),
    object: 'fine_tuning.job',
    model: str(o, 'model', path),
    created_at: num(o, 'created_at', path),
    // Absent from trainers that predate it (and from OpenAI's jobs): unknown, not an error.
    started_at: nullable(o, 'started_at', num, path),
    finished_at: nullable(o, 'finished_at', num, path),
    status: oneOf(o, 'status', JOB_STATUSES, path),
    training_file: str(o, 'training_file', path),
    validation_file: nullable(o, 'validation_file', str, path),
    method: parseMethod(o.method, join(path, 'method')),
    error: parseJobError(o.error, join(path, 'error')),
    result_files: resultFiles as string[],
    trained_tokens: nullable(o, 'trained_tokens', num, path),
    seed: o.seed === undefined ? 0 : num(o, 'seed', path),
    estimated_finish: nullable(o, 'estimated_finish', num, path),
    metadata: parseMetadata(o.metadata, join(path, 'metadata')),
    backend: typeof o.backend === 'string' ? o.backend : 'unknown',
    progress,
  };
}

/** A metrics payload: `step` is required; every other value is a finite number or null. */
export function parseMetricsData(v: unknown, path: string): MetricsData {
  const o = object(v, path);
  const step = o.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    throw new ProtocolError(join(path, 'step'), `expected an integer >= 0, got ${describe(step)}`);
  }
  const out: MetricsData = { step, max_steps: null };
  for (const [key, value] of Object.entries(o)) {
    if (key === 'step') continue;
    if (value === null || (typeof value === 'number' && Number.isFinite(value))) {
      out[key] = value;
    } else if (typeof value === 'number') {
      // NaN/Infinity cannot travel in JSON; a backend that produced one sent null instead.
      out[key] = null;
    } else {
      throw new ProtocolError(join(path, key), `expected a number or null, got ${describe(value)}`);
    }
  }
  return out;
}

export function parseEvent(v: unknown, path = ''): JobEvent {
  const o = object(v, path);
  const type = oneOf(o, 'type', ['message', 'metrics'] as const, path);
  const event: JobEvent = {
    id: str(o, 'id', path),
    object: 'fine_tuning.job.event',
    created_at: num(o, 'created_at', path),
    level: oneOf(o, 'level', ['info', 'warn', 'error'] as const, path),
    message: str(o, 'message', path),
    type,
    data: null,
  };
  if (type === 'metrics') {
    event.data = parseMetricsData(o.data, join(path, 'data'));
  } else if (o.data !== null && o.data !== undefined) {
    event.data = object(o.data, join(path, 'data'));
  }
  return event;
}

export function parseList<T>(v: unknown, item: (v: unknown, path: string) => T): ListResponse<T> {
  const o = object(v, '');
  if (!Array.isArray(o.data)) throw new ProtocolError('data', `expected an array, got ${describe(o.data)}`);
  return {
    object: 'list',
    data: o.data.map((x, i) => item(x, `data[${i}]`)),
    has_more: o.has_more === true,
  };
}

/** Reads `{error:{message}}` bodies; returns undefined for anything else. */
export function errorMessageOf(v: unknown): { message: string; code: string | null } | undefined {
  if (!isObject(v) || !isObject(v.error) || typeof v.error.message !== 'string') return undefined;
  return { message: v.error.message, code: typeof v.error.code === 'string' ? v.error.code : null };
}
