import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { TrainerClient, TrainerError } from '../../core/trainer/client';
import { sendsTokenInClear } from '../../core/trainer/hosts';
import { formatLineReport, prepareDataset, toLineError } from '../../core/trainer/normalize';
import { findConfigFile, LoadedConfig, loadConfigFile, problemFinding, settingsForFile } from '../../node/project';
import { CreateJobRequest, DpoHyperparameters, EvalPrompt, parseEvalPrompts, FineTuningJob, isMetricsEvent, JobEvent, MetricsData, parseHyperparameters, ProtocolError, statusOfEvent, withProjectLength } from '../../core/trainer/protocol';
import { CuratorConfig, DEFAULT_CONFIG } from '../../core/config';
import { CliIO, UsageError } from '../io';
import { terminalSafe } from '../output';
import { configForFile } from './score';
import { EVALUATION_SIDES } from '../../core/trainer/evaluation';
import { axisWinsText, fileStats } from './stats';
import { downloadResults, outputDirProblem } from '../../core/trainer/results';
import { formatSize } from '../../core/bytes';
import { isBlank, splitLines } from '../../core/jsonl';
import { describePhiCounts, describePhiExample, scanPhi } from '../../core/phi';
import * as readline from 'node:readline/promises';

const HELP = `Usage: dialogue-curator train PATH --trainer URL [options]

Checks a preference dataset as the check command does (the nearest .dialoguecurator.json: custom schemas,
format mappings, rule severities), uploads it to a trainer server, starts a DPO job and prints
its metrics as they arrive. The token comes from DIALOGUE_CURATOR_TOKEN. Exits 0 only if the
job succeeded.

Options:
  --trainer URL          The trainer server (e.g. http://127.0.0.1:8787)
  --model M              Base model (the trl backend needs one)
  --beta B               DPO beta (temperature of the implicit reward)
  --max-steps N          Stop after N optimizer steps
  --learning-rate LR     Learning rate
  --epochs N             Passes over the data
  --batch-size N         Pairs per step
  --validation FILE      A held-out preference dataset: checked and uploaded like PATH, the
                         trainer evaluates on it and eval_ metrics are printed as they come
  --eval-steps N         With --validation: evaluate every N steps (and at the end)
  --eval-prompts FILE    Prompts the base and the tuned model answer after training, with or
                         without --validation (trl backend): one per line in a text file, or a
                         JSONL file of {"prompt": text or messages} (a preference dataset will do)
  --output DIR           When the job succeeds, download its results into DIR (new or empty):
                         the model or LoRA adapter (loads with from_pretrained(DIR)), the
                         training log, tracking files and, with --validation or --eval-prompts,
                         evaluation.jsonl (base and tuned answers) with its tone scores
  --lora N               Train a LoRA adapter of rank N (peft) instead of every weight
  --option KEY=VALUE     Any other hyperparameter of the job, repeatable: loss_type=ipo,
                         label_smoothing=0.1, warmup_ratio=0.1, lr_scheduler_type=cosine,
                         gradient_checkpointing=false, precompute_ref_log_probs=true,
                         report_to=tensorboard, max_new_tokens=64, … (VALUE is read as JSON
                         when it parses, as text otherwise; lists as JSON: loss_type=["sigmoid","sft"])
  --format text|json     text (default) or json: one object per metrics event on stdout
  --config FILE          Check with this .dialoguecurator.json instead of the nearest one
  --skip-local-check     Upload without checking the file here first (the trainer checks anyway,
                         but only with its built-in schemas and default rules)
  -y, --yes              Upload without asking. Before uploading, train shows what it will send
                         where (files, records, sizes, the trainer) and what its scan for personal
                         health information found, and asks on the terminal; without a terminal to
                         ask on, nothing is uploaded unless --yes is given
  -h, --help             Show this help

Ctrl+C cancels the job on the trainer.
`;

/**
 * `--eval-prompts FILE`: a .jsonl/.ndjson file of records with a `prompt` (text or messages), or
 * a text file with one prompt a line. Checked as the trainer checks them, before any upload.
 */
export function readEvalPrompts(file: string, shown: string): EvalPrompt[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--eval-prompts: cannot read ${shown} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const lines = text.split(/\r?\n/).map((l, i) => ({ line: i + 1, text: l })).filter((l) => l.text.trim());
  const prompts: unknown[] = /\.(jsonl|ndjson)$/i.test(file)
    ? lines.map(({ line, text: t }) => {
        let v: unknown;
        try {
          v = JSON.parse(t);
        } catch {
          throw new UsageError(`--eval-prompts: ${shown}:${line}: not valid JSON`);
        }
        if (typeof v !== 'object' || v === null || !('prompt' in v)) throw new UsageError(`--eval-prompts: ${shown}:${line}: expected an object with a "prompt"`);
        return (v as { prompt: unknown }).prompt;
      })
    : lines.map((l) => l.text.trim());
  try {
    return parseEvalPrompts(prompts, 'eval_prompts');
  } catch (err) {
    // eval_prompts[3] is the 4th prompt: say which line of the file it came from.
    const m = /^eval_prompts\[(\d+)\](.*)$/s.exec((err as Error).message);
    if (m && lines[Number(m[1])]) throw new UsageError(`--eval-prompts: ${shown}:${lines[Number(m[1])].line}: prompt${m[2]}`);
    throw new UsageError(`--eval-prompts: ${shown}: ${(err as Error).message.replace(/^eval_prompts:? ?/, '')}`);
  }
}

function num(value: string | undefined, name: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name} must be ${integer ? 'a positive integer' : 'a number > 0'}, got "${value}"`);
  }
  return n;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      trainer: { type: 'string' },
      model: { type: 'string' },
      beta: { type: 'string' },
      'max-steps': { type: 'string' },
      'learning-rate': { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      validation: { type: 'string' },
      'eval-steps': { type: 'string' },
      'eval-prompts': { type: 'string' },
      output: { type: 'string' },
      lora: { type: 'string' },
      option: { type: 'string', multiple: true },
      format: { type: 'string', default: 'text' },
      config: { type: 'string' },
      'skip-local-check': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(`give exactly one dataset PATH\n\n${HELP}`);
  if (!values.trainer) throw new UsageError(`--trainer URL is required\n\n${HELP}`);
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const hyperparameters: DpoHyperparameters = {};
  const set = <K extends keyof DpoHyperparameters>(k: K, v: DpoHyperparameters[K] | undefined) => {
    if (v !== undefined) hyperparameters[k] = v;
  };
  set('beta', num(values.beta, '--beta', false));
  set('max_steps', num(values['max-steps'], '--max-steps', true));
  set('learning_rate', num(values['learning-rate'], '--learning-rate', false));
  set('n_epochs', num(values.epochs, '--epochs', true));
  set('batch_size', num(values['batch-size'], '--batch-size', true));
  set('eval_steps', num(values['eval-steps'], '--eval-steps', true));
  if (hyperparameters.eval_steps !== undefined && !values.validation) throw new UsageError('--eval-steps needs --validation FILE');
  Object.assign(hyperparameters, optionValues(values.option ?? [], hyperparameters));
  const loraRank = num(values.lora, '--lora', true);
  const outputDir = outputDirOption(values.output, io);

  const evalPrompts = values['eval-prompts'] === undefined ? undefined : readEvalPrompts(path.resolve(io.cwd, values['eval-prompts']), values['eval-prompts']);
  const file = path.resolve(io.cwd, positionals[0]);
  const validationFile = values.validation === undefined ? undefined : path.resolve(io.cwd, values.validation);
  const out = new Output(io, format);
  const client = trainerClient(values.trainer, io);
  const sending: Upload[] = [{ file, shown: positionals[0], role: 'training set' }];
  if (validationFile) sending.push({ file: validationFile, shown: values.validation!, role: 'validation set' });
  // The project's maxLength: as the local check read it, or (without one) from the config it would have used.
  let projectLength: number | undefined;
  if (!values['skip-local-check']) {
    for (const upload of sending) {
      const checked = localCheck(upload.file, upload.shown, values.config, io);
      if (checked.status !== 0) return checked.status;
      // The consent's summary reads the text the check read.
      upload.text = checked.text;
      if (upload === sending[0]) projectLength = checked.config?.maxLength;
    }
  } else projectLength = projectConfig(file, values.config, io)?.maxLength;
  Object.assign(hyperparameters, withProjectLength(hyperparameters, projectLength, DEFAULT_CONFIG.maxLength));

  const consent = await askConsent(sending, client.baseUrl, { yes: values.yes === true, token: Boolean(io.env.DIALOGUE_CURATOR_TOKEN) }, io);
  // The texts are not needed past the summary (the upload streams the files): not held during the run.
  for (const upload of sending) upload.text = undefined;
  if (consent !== 0) return consent;
  // The trainer is asked nothing before the consent (a token may cross plain HTTP); then, before
  // the upload, whether it would refuse the job.
  const refused = await refusedByTrainer(client, sending, values.model);
  if (refused) {
    io.stderr.write(`dialogue-curator train: ${refused}; nothing was uploaded\n`);
    return 1;
  }

  const stop = interruptible(io);
  let job: FineTuningJob | undefined;
  try {
    const uploaded = await client.uploadFile(file, { signal: stop.signal });
    out.note(`Uploaded ${uploaded.filename} (${uploaded.bytes} bytes) as ${uploaded.id}`);
    const request: CreateJobRequest = {
      training_file: uploaded.id,
      method: { type: 'dpo', dpo: { hyperparameters, ...(loraRank ? { peft: { lora_r: loraRank, lora_alpha: 2 * loraRank } } : {}) } },
    };
    if (validationFile) {
      const validation = await client.uploadFile(validationFile, { signal: stop.signal });
      out.note(`Uploaded ${validation.filename} (${validation.bytes} bytes) as ${validation.id} (validation set)`);
      request.validation_file = validation.id;
    }
    if (values.model) request.model = values.model;
    if (evalPrompts) request.eval_prompts = evalPrompts;
    job = await client.createJob(request, { signal: stop.signal });
    out.note(`Started job ${job.id} on ${client.baseUrl} (backend ${job.backend}, model ${job.model})`);
    out.following(job);
    return await followToEnd(client, job.id, out, outputDir, io, stop.signal, 'train');
  } catch (err) {
    out.clearProgress();
    if (err instanceof TrainerError && err.kind === 'aborted') {
      if (job) {
        io.stderr.write(`dialogue-curator train: interrupted; cancelling job ${job.id}…\n`);
        try {
          const cancelled = await client.cancelJob(job.id, { signal: AbortSignal.timeout(15_000) });
          io.stderr.write(`dialogue-curator train: job ${cancelled.id} ${cancelled.status}\n`);
        } catch (cancelErr) {
          io.stderr.write(`dialogue-curator train: could not cancel job ${job.id}: ${(cancelErr as Error).message}\n`);
        }
      } else {
        io.stderr.write('dialogue-curator train: interrupted before the job started\n');
      }
      return 130;
    }
    return trainerFailure(err, io, 'train');
  } finally {
    stop.dispose();
  }
}

/**
 * Follows a job to its end (its events replayed from the start, then live), printing them, and
 * downloads its results into `outputDir` when it succeeded: what `train` does once its job is
 * created, and what `jobs follow` does for a job started earlier. The exit code: 0 when the job
 * succeeded (and its results, if asked for, came down), 1 otherwise.
 */
export async function followToEnd(client: TrainerClient, jobId: string, out: Output, outputDir: string | undefined, io: CliIO, signal: AbortSignal, command: string): Promise<number> {
  const final = await client.followJob(jobId, {
    signal,
    onEvent: (event) => out.event(event),
    onReconnect: (info) => out.note(`connection to the trainer lost (${info.error.message}); reconnecting in ${(info.delayMs / 1000).toFixed(1)} s`),
  });
  out.clearProgress();
  if (final.status === 'succeeded') {
    out.note(`Job ${final.id} succeeded`);
    if (out.divergedAt !== undefined) {
      io.stderr.write(`dialogue-curator ${command}: warning: from step ${out.divergedAt} the loss or the gradient norm was not a number: the training diverged, and the model it saved is most likely unusable (try a smaller learning rate)\n`);
    }
    if (outputDir) return await fetchResults(client, final, outputDir, out, io, signal, command);
    if (final.result_files.length) out.note(`Its results stay on the trainer (${final.result_files.length} files); pass --output DIR to download them`);
    return 0;
  }
  // The error usually arrived as the job's last event already; do not print it twice.
  const detail = final.error && final.error.message !== out.lastError ? `: ${final.error.message}` : '';
  io.stderr.write(`dialogue-curator ${command}: ${terminalSafe(`job ${final.id} ${final.status}${detail}`)}\n`);
  return 1;
}

/**
 * A trainer's error as `command` says it (with a hint about the token when the trainer refused
 * it): exit status 1. Anything else is not the trainer's: thrown on.
 */
export function trainerFailure(err: unknown, io: CliIO, command: string): number {
  if (!(err instanceof TrainerError)) throw err;
  const hint =
    err.kind === 'unauthorized'
      ? io.env.DIALOGUE_CURATOR_TOKEN
        ? ' (the token comes from DIALOGUE_CURATOR_TOKEN)'
        : " Set DIALOGUE_CURATOR_TOKEN to the trainer's token."
      : '';
  io.stderr.write(`dialogue-curator ${command}: ${terminalSafe(err.message)}${hint}\n`);
  return 1;
}

/**
 * The `--output` folder, resolved against the working folder and checked before anything is
 * sent (a run whose results have nowhere to go is a run wasted): a usage problem if nothing can
 * be written there.
 */
export function outputDirOption(value: string | undefined, io: CliIO): string | undefined {
  if (value === undefined) return undefined;
  const dir = path.resolve(io.cwd, value);
  const problem = outputDirProblem(dir);
  if (problem) throw new UsageError(`--output: ${problem}`);
  return dir;
}

/** A client of the `--trainer` URL, with the token from DIALOGUE_CURATOR_TOKEN; a URL it cannot use is a usage problem. */
export function trainerClient(url: string, io: CliIO): TrainerClient {
  try {
    return new TrainerClient({ baseUrl: url, token: io.env.DIALOGUE_CURATOR_TOKEN });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A signal that the CLI's interruption (Ctrl+C) aborts, until `dispose`. */
export function interruptible(io: CliIO): { signal: AbortSignal; dispose: () => void } {
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  io.signal.addEventListener('abort', onInterrupt, { once: true });
  return { signal: stop.signal, dispose: () => io.signal.removeEventListener('abort', onInterrupt) };
}

/** A file train uploads: its path, how it was named, its role, and its text once the local check has read it. */
interface Upload {
  file: string;
  shown: string;
  role: string;
  text?: string;
}

/** The trainer's refusal (TrainerClient.refusal) of these files; sizes of files that cannot be read are left to the upload. */
function refusedByTrainer(client: TrainerClient, files: Upload[], model: string | undefined): Promise<string | undefined> {
  const sizes: { name: string; bytes: number }[] = [];
  for (const { file, shown } of files) {
    try {
      sizes.push({ name: shown, bytes: fs.statSync(file).size });
    } catch {
      // the upload names an unreadable file
    }
  }
  return client.refusal(sizes, { name: model, givenBy: '--model' });
}

/** The config `train` checks a file with: --config FILE, or the nearest one (throws when it cannot be read). */
function loadProjectConfig(file: string, configPath: string | undefined, io: CliIO): LoadedConfig {
  return configPath ? loadConfigFile(path.resolve(io.cwd, configPath)) : configForFile(file, io, undefined, new Map());
}

/** The config `train` would check a file with (for --skip-local-check); undefined when it cannot be read. */
function projectConfig(file: string, configPath: string | undefined, io: CliIO): CuratorConfig | undefined {
  try {
    return loadProjectConfig(file, configPath, io).config;
  } catch {
    return undefined;
  }
}

/**
 * What leaves the machine, said before it does (on stderr: stdout may be a metrics stream): each
 * file with its records and size, the trainer, what the scan for personal health information
 * found (masked), and a warning for plain HTTP to another machine; then the user's consent:
 * `--yes`, or a "y" typed at the terminal. 0 to upload; otherwise nothing is uploaded and the
 * exit status is returned (2 without a terminal to ask on and no --yes, 1 when declined).
 */
async function askConsent(files: Upload[], trainer: string, given: { yes: boolean; token: boolean }, io: CliIO): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  say(`dialogue-curator train: about to upload to the trainer at ${trainer}:`);
  const found: string[] = [];
  for (const { file, shown, role, text: checked } of files) {
    let text: string;
    try {
      text = checked ?? fs.readFileSync(file, 'utf8');
    } catch (err) {
      say(`dialogue-curator train: cannot read ${shown}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 2;
    }
    let records = 0;
    for (const line of splitLines(text)) if (!isBlank(line)) records++;
    say(`  ${shown} (${role}): ${records} record${records === 1 ? '' : 's'}, ${formatSize(Buffer.byteLength(text))}`);
    const phi = scanPhi(text);
    if (phi.total) {
      found.push(`  ${shown}: ${describePhiCounts(phi)} on ${phi.lines} line${phi.lines === 1 ? '' : 's'}`);
      for (const example of phi.examples.slice(0, 5)) found.push(`    ${describePhiExample(example)}`);
    }
  }
  if (found.length) {
    say('What looks like personal health information (masked here; it is sent as it is):');
    for (const line of found) say(line);
  }
  if (sendsTokenInClear(trainer)) say(`warning: ${trainer} is plain HTTP to another machine: the data${given.token ? ' and the token' : ''} cross the network unencrypted`);
  if (given.yes) return 0;
  if (!io.stdin || !io.stdinIsTTY) {
    say('dialogue-curator train: nothing was uploaded: there is no terminal to ask on; run it again with --yes to upload');
    return 2;
  }
  const rl = readline.createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await rl.question('Upload? [y/N] ', { signal: io.signal });
    if (/^\s*y(es)?\s*$/i.test(answer)) return 0;
  } catch {
    // Ctrl+C at the question.
  } finally {
    rl.close();
  }
  say('dialogue-curator train: nothing was uploaded');
  return 1;
}

/** Metrics that are not a number only when the training diverged. */
const DIVERGENCE_SIGNS = ['loss', 'eval_loss', 'grad_norm'];

/** `--option KEY=VALUE` pairs as hyperparameters, checked as the trainer checks them. */
function optionValues(options: string[], given: DpoHyperparameters): DpoHyperparameters {
  const raw: Record<string, unknown> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0) throw new UsageError(`--option takes KEY=VALUE, got "${option}"`);
    const key = option.slice(0, eq);
    const text = option.slice(eq + 1);
    if (key in given) throw new UsageError(`--option ${key}: it has its own flag, or is given twice`);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a bare word: a string
    }
    raw[key] = key === 'report_to' && typeof value === 'string' ? value.split(',') : value;
  }
  try {
    return parseHyperparameters(raw, 'option');
  } catch (err) {
    if (err instanceof ProtocolError) throw new UsageError(`--${err.message.replace(/^option\./, 'option ')}`);
    throw err;
  }
}

/** Downloads a succeeded job's results into `dir` and reports what is there. */
export async function fetchResults(client: TrainerClient, job: FineTuningJob, dir: string, out: Output, io: CliIO, signal: AbortSignal, command: string): Promise<number> {
  let shownAt = 0;
  let results;
  try {
    results = await downloadResults(client, job, dir, {
      signal,
      onProgress: (p) => {
        const now = Date.now();
        if (p.received === p.total || (p.received > 0 && now - shownAt > 2000)) {
          shownAt = now;
          out.note(`Downloading ${p.file.filename} (${p.index + 1}/${p.count}): ${formatSize(p.received)} of ${formatSize(p.total)}`);
        }
      },
    });
  } catch (err) {
    io.stderr.write(`dialogue-curator ${command}: job ${job.id} succeeded, but its results could not be downloaded into ${dir}: ${(err as Error).message}\n`);
    // Running train again would train again: say where the results are instead.
    if (job.result_files.length) {
      io.stderr.write(`The results stay on the trainer: ${job.result_files.map((id) => `${client.baseUrl}/v1/files/${id}/content`).join(', ')} (with the token as a Bearer header; a Range request resumes a download; the editor's "Download Trained Model…" resumes it too)\n`);
    }
    return 1;
  }
  const what = results.weights === 'adapter' ? 'LoRA adapter (load with peft: PeftModel.from_pretrained(base, DIR))' : results.weights === 'model' ? 'model (load with AutoModelForCausalLM.from_pretrained(DIR))' : 'no weights';
  out.note(`Results in ${dir}: ${what}${results.trainingLog ? ', training-log.jsonl' : ''}${results.tracking ? ', tracking/' : ''}${results.evaluation ? ', evaluation.jsonl' : ''}`);
  if (results.evaluation) {
    const loaded = configForFile(results.evaluation, io, undefined, new Map());
    const s = await fileStats(results.evaluation, 'evaluation.jsonl', loaded, signal);
    out.note(`Evaluation: ${s.records} prompts answered by the base and the tuned model`);
    for (const line of axisWinsText(s, EVALUATION_SIDES)) out.note(line);
  }
  return 0;
}

/**
 * The check before anything leaves the machine, with the project's settings as `check` uses
 * them: problems in the config file, its schema mapping for this file, then the dataset (the
 * core engine with those settings, plus what DPO needs of each record). Status 0 when it can be
 * trained on, with the config and the text it read.
 */
function localCheck(file: string, shown: string, configPath: string | undefined, io: CliIO): { status: number; config?: CuratorConfig; text?: string } {
  const fail = (message: string, status: number) => {
    io.stderr.write(`dialogue-curator train: ${message}\n`);
    return { status };
  };
  let loaded: LoadedConfig;
  try {
    loaded = loadProjectConfig(file, configPath, io);
  } catch (err) {
    const which = configPath ?? findConfigFile(path.dirname(file)) ?? 'the config file';
    return fail(`cannot read the config file ${which}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
  }
  const configErrors = loaded.findings.filter((f) => f.severity === 'error');
  if (configErrors.length) {
    const n = configErrors.length;
    return fail(`${loaded.path} has ${n} error${n === 1 ? '' : 's'}; nothing was uploaded.\n${formatLineReport(configErrors.map(toLineError))}`, 1);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
  }
  const { settings, problems } = settingsForFile(file, loaded);
  const prepared = prepareDataset(text, settings);
  const errors = [...problems.map((p) => toLineError(problemFinding(p))), ...prepared.errors];
  if (errors.length) {
    const using = loaded.path ? ` (checked with ${loaded.path})` : '';
    return fail(`${shown} cannot be trained on${using}; nothing was uploaded.\n${formatLineReport(errors)}`, 1);
  }
  return { status: 0, config: loaded.config, text };
}

/** Where lines go: json mode keeps stdout for metrics objects only; a terminal gets a progress line. */
export class Output {
  private progressShown = false;
  /** The last error-level message shown. */
  lastError: string | undefined;
  /** The first step whose loss or gradient norm was not a number (NaN and infinities arrive as null). */
  divergedAt: number | undefined;
  /**
   * When training started, on the trainer's clock: the job's `started_at`, or the time of the
   * event announcing `running`; the job's creation while neither is known (older trainers).
   * Times are the trainer's on both ends, so a clock difference between the machines is harmless.
   */
  private startedAt: number | undefined;
  private createdAt: number | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly format: 'text' | 'json',
  ) {}

  /** A line of text; what the trainer sent (messages, errors, names) may hold escape sequences: written escaped. */
  note(line: string): void {
    this.clearProgress();
    (this.format === 'json' ? this.io.stderr : this.io.stdout).write(`${terminalSafe(line)}\n`);
  }

  following(job: FineTuningJob): void {
    this.createdAt = job.created_at;
    this.startedAt = job.started_at ?? undefined;
  }

  event(event: JobEvent): void {
    if (!isMetricsEvent(event)) {
      if (statusOfEvent(event) === 'running') this.startedAt ??= event.created_at;
      if (event.level === 'error') this.lastError = event.message;
      this.note(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
      return;
    }
    const m = event.data;
    if (this.divergedAt === undefined && DIVERGENCE_SIGNS.some((k) => k in m && !Number.isFinite(m[k]))) this.divergedAt = m.step;
    this.clearProgress();
    if (this.format === 'json') this.io.stdout.write(`${JSON.stringify(m)}\n`);
    else this.io.stdout.write(`${typeof m.eval_loss === 'number' && m.loss === undefined ? evalLine(m) : metricsLine(m)}\n`);
    this.drawProgress(m, event.created_at);
  }

  /** The stream the progress line goes to, or undefined when that stream is not a terminal. */
  private progressStream(): NodeJS.WritableStream | undefined {
    // A json run keeps stdout clean for the objects: its progress line goes to stderr, and is
    // drawn only when stderr itself is a terminal (stdout may be one while stderr goes to a log).
    if (this.format === 'json') return this.io.stderrIsTTY ? this.io.stderr : undefined;
    return this.io.isTTY ? this.io.stdout : undefined;
  }

  /** `at`: when the trainer logged the step (seconds, its clock). */
  private drawProgress(m: MetricsData, at: number): void {
    const stream = this.progressStream();
    if (!stream || !m.max_steps) return;
    const width = 24;
    const done = Math.min(width, Math.round((m.step / m.max_steps) * width));
    const started = this.startedAt ?? this.createdAt ?? at;
    const elapsed = Math.max(0, at - started);
    const eta = m.step > 0 ? (elapsed / m.step) * (m.max_steps - m.step) : 0;
    const loss = typeof m.loss === 'number' ? ` loss ${m.loss.toFixed(4)}` : '';
    stream.write(`[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${m.step}/${m.max_steps}${loss} ${elapsed.toFixed(0)}s elapsed, ~${eta.toFixed(0)}s left`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.progressStream()?.write('\r\x1b[2K');
    this.progressShown = false;
  }
}

function fmt(v: number | null | undefined, digits = 4): string {
  return typeof v === 'number' ? v.toFixed(digits) : '-';
}

/** An evaluation on the validation set: TRL logs it as its own dict of `eval_` values. */
function evalLine(m: MetricsData): string {
  const step = m.max_steps ? `${m.step}/${m.max_steps}` : `${m.step}`;
  return `eval ${step.padStart(9)}  loss ${fmt(m.eval_loss)}  acc ${fmt(m['eval_rewards/accuracies'], 3)}  margin ${fmt(m['eval_rewards/margins'])}`;
}

function metricsLine(m: MetricsData): string {
  const step = m.max_steps ? `${m.step}/${m.max_steps}` : `${m.step}`;
  const lr = typeof m.learning_rate === 'number' ? m.learning_rate.toExponential(2) : '-';
  return `step ${step.padStart(9)}  loss ${fmt(m.loss)}  acc ${fmt(m['rewards/accuracies'], 3)}  margin ${fmt(m['rewards/margins'])}  lr ${lr}`;
}
