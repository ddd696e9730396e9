/**
 * Fine-tuning jobs: validation by the core engine (streamed, on a worker thread), a queue (one
 * job at a time by default), the backend subprocess, events (persisted before anyone hears of
 * them) and cancellation of the whole process group. A restarted server picks up where the disk
 * says it was.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { formatLineReport } from '../core/trainer/normalize';
import {
  CreateJobRequest,
  EventLevel,
  FineTuningJob,
  isMetricsEvent,
  isTerminalStatus,
  JobError,
  JobEvent,
  JobStatus,
  ListResponse,
  MetricsData,
  parseMetricsData,
  TRL_ONLY_HYPERPARAMETERS,
} from '../core/trainer/protocol';
import { Backend, EVAL_PROMPTS_FILE, jobPaths, parseBackendLine } from './backends';
import { HttpError } from './httpError';
import { Preparation, startPreparation } from './preparation';
import { FromPrepareWorker } from './prepareProtocol';
import { collectResults } from './results';
import { formatSize } from '../core/bytes';
import { killOrphans, signalJob } from './processes';
import { DataStore, isValidId, newId, StoredJob } from './store';

export interface JobManagerOptions {
  store: DataStore;
  backend: Backend;
  maxConcurrentJobs?: number;
  /** How long a backend gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Heap limit of the worker thread that validates a job's files, in MB (default: Node's). */
  validationHeapMb?: number;
  log?: (line: string) => void;
}

export interface JobSubscriber {
  onEvent(event: JobEvent): void;
  onEnd(job: FineTuningJob): void;
}

interface LiveJob {
  stored: StoredJob;
  /** In the order they happened; their sequence numbers rise but may have gaps (lost lines). */
  events: JobEvent[];
  /** The sequence number of the next event: one more than the highest ever recorded. */
  nextSeq: number;
  subscribers: Set<JobSubscriber>;
  /** The worker thread checking and converting the job's files, while it runs. */
  preparation?: Preparation;
  child?: ChildProcess;
  /** Resolves when the backend process and its pipes are gone. */
  exited?: Promise<void>;
  stopReason?: 'cancel' | 'shutdown';
  stderrTail: string[];
  /** The first metrics event: when it came and its step (0 for an evaluation before training). */
  firstStep?: { at: number; step: number };
  lastSaved: number;
}

const STDERR_TAIL_LINES = 15;
/** Errors of a file listed in a failed job's event data (its message shows MAX_REPORTED_ERRORS). */
const MAX_ERROR_DETAILS = 200;
/** What the server's own validation uses: it has no project configuration. */
const SERVER_CHECK = "the trainer's built-in schemas and default rules, not a project's .dialoguecurator.json";
const now = () => Math.floor(Date.now() / 1000);

/** Event ids are `ftevent-<the job's hex>-<sequence number from 1>`. */
function eventIdPrefix(jobId: string): string {
  return `${jobId.replace('ftjob-', 'ftevent-')}-`;
}

/** The sequence number of an event id of this job (0 allowed only as a resume point). */
function sequenceOf(id: string, prefix: string, allowZero = false): number | undefined {
  if (!id.startsWith(prefix)) return undefined;
  const digits = id.slice(prefix.length);
  if (!/^\d{1,15}$/.test(digits)) return undefined;
  const seq = Number(digits);
  return seq > 0 || (allowZero && seq === 0) ? seq : undefined;
}

export class JobManager {
  private readonly jobs = new Map<string, LiveJob>();
  private readonly queue: string[] = [];
  private running = 0;
  private closed = false;
  /** Validations run one after another, in the order the jobs came, so jobs queue in that order. */
  private validations: Promise<void> = Promise.resolve();
  private readonly maxConcurrent: number;
  private readonly killGraceMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: JobManagerOptions) {
    this.maxConcurrent = options.maxConcurrentJobs ?? 1;
    this.killGraceMs = options.killGraceMs ?? 5000;
    this.log = options.log ?? (() => {});
  }

  get backendName(): string {
    return this.options.backend.name;
  }

  /** Whether a job must name its model (the backend has no default). */
  get modelRequired(): boolean {
    return !this.options.backend.defaultModel;
  }

  /** Loads every job from disk: running ones were interrupted, queued ones queue again. */
  recover(): void {
    const stored = this.options.store.loadJobs().sort((a, b) => a.job.created_at - b.job.created_at);
    for (const s of stored) {
      const live = this.track(s, this.options.store.loadEvents(s.job.id));
      const { status } = s.job;
      if (status === 'running') {
        const killed = killOrphans(this.processMarker(s.job.id));
        if (killed) this.log(`ended ${killed} leftover process(es) of ${s.job.id}`);
        // job.json is saved at most once a second while running; the events are exact.
        const lastMetrics = [...live.events].reverse().find(isMetricsEvent);
        if (lastMetrics) s.job.progress = { step: lastMetrics.data.step, max_steps: lastMetrics.data.max_steps };
        const p = s.job.progress;
        const where = p ? ` at step ${p.step}${p.max_steps ? ` of ${p.max_steps}` : ''}` : '';
        this.finish(live, 'failed', {
          code: 'server_restarted',
          message: `Interrupted${where}: the trainer server stopped while this job was running. Start a new job to train again.`,
          param: null,
        });
      } else if (status === 'validating_files') {
        this.scheduleValidation(live);
      } else if (status === 'queued') {
        this.queue.push(s.job.id);
      }
    }
    this.pump();
  }

  /**
   * Starts tracking a job with the events read back from disk. The sequence number is part of
   * each stored event's id, so a line lost from events.jsonl leaves a gap: new events continue
   * after the highest id, never reusing one a client already has.
   */
  private track(stored: StoredJob, loaded: JobEvent[]): LiveJob {
    const prefix = eventIdPrefix(stored.job.id);
    const events: JobEvent[] = [];
    let last = 0;
    for (const event of loaded) {
      const seq = sequenceOf(event.id, prefix);
      if (seq === undefined || seq <= last) {
        this.log(`${stored.job.id}: ignored a recorded event with an unexpected id ${JSON.stringify(event.id)}`);
        continue;
      }
      events.push(event);
      last = seq;
    }
    const live: LiveJob = { stored, events, nextSeq: last + 1, subscribers: new Set(), stderrTail: [], lastSaved: 0 };
    this.jobs.set(stored.job.id, live);
    return live;
  }

  private live(id: string): LiveJob {
    const live = isValidId(id, 'ftjob') ? this.jobs.get(id) : undefined;
    if (!live) throw new HttpError(404, `No fine-tuning job with id ${JSON.stringify(id)}`, 'job_not_found');
    return live;
  }

  create(req: CreateJobRequest): FineTuningJob {
    if (this.closed) throw new HttpError(503, 'The trainer server is shutting down', 'shutting_down');
    const file = this.options.store.getFile(req.training_file);
    if (!file) {
      throw new HttpError(404, `No uploaded file with id ${JSON.stringify(req.training_file)}`, 'file_not_found', 'training_file');
    }
    const validation = req.validation_file ? this.options.store.getFile(req.validation_file) : undefined;
    if (req.validation_file && !validation) {
      throw new HttpError(404, `No uploaded file with id ${JSON.stringify(req.validation_file)}`, 'file_not_found', 'validation_file');
    }
    const backend = this.options.backend;
    const model = req.model ?? backend.defaultModel;
    if (!model) throw new HttpError(400, `The ${backend.name} backend needs a model`, 'model_required', 'model');
    if (backend.name !== 'tiny') {
      const missing = missingLocalModel(model);
      if (missing) throw new HttpError(400, missing, 'model_not_found', 'model');
    }
    const id = newId('ftjob');
    const hp = req.method?.dpo.hyperparameters ?? {};
    const job: FineTuningJob = {
      id,
      object: 'fine_tuning.job',
      model,
      created_at: now(),
      started_at: null,
      finished_at: null,
      status: 'validating_files',
      training_file: file.id,
      validation_file: validation?.id ?? null,
      method: req.method ?? { type: 'dpo', dpo: { hyperparameters: {} } },
      error: null,
      result_files: [],
      trained_tokens: null,
      seed: req.seed ?? hp.seed ?? 42,
      estimated_finish: null,
      metadata: req.metadata ?? null,
      backend: backend.name,
      progress: null,
    };
    this.options.store.createJobDir(id);
    if (req.eval_prompts) {
      const lines = req.eval_prompts.map((prompt) => JSON.stringify({ prompt }));
      fs.writeFileSync(jobPaths(this.options.store.jobDir(id), { evalPrompts: true }).evalPrompts!, `${lines.join('\n')}\n`, { mode: 0o600 });
    }
    const live = this.track({ job, pid: null }, []);
    this.save(live);
    this.emit(live, 'info', `Created fine-tuning job: ${id}`);
    if (backend.name === 'tiny' && req.model && req.model !== backend.defaultModel) {
      this.emit(live, 'warn', `The tiny backend trains a small byte-level model from scratch; model ${JSON.stringify(req.model)} is not used`);
    }
    if (backend.name === 'tiny') {
      const ignored: string[] = TRL_ONLY_HYPERPARAMETERS.filter((k) => hp[k] !== undefined);
      if (req.method?.dpo.peft) ignored.push('peft');
      if (req.eval_prompts) ignored.push('eval_prompts');
      if (ignored.length) {
        this.emit(live, 'warn', `The tiny backend is a small DPO of its own, not TRL: ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} not used (serve --backend trl runs them)`);
      }
    }
    if (req.eval_prompts && backend.name !== 'tiny') {
      const n = req.eval_prompts.length;
      this.emit(live, 'info', `${n} prompt${n === 1 ? '' : 's'} to answer with the base and the tuned model after training`);
    }
    if (hp.eval_steps !== undefined && !validation) {
      this.emit(live, 'warn', 'eval_steps is set but the job has no validation_file: nothing will be evaluated');
    }
    if (validation && validation.id === file.id) {
      this.emit(live, 'warn', 'The validation file is the training file: its eval_ metrics show how well the model fits the training data, not how it does on pairs it has not seen');
    }
    this.scheduleValidation(live);
    return job;
  }

  private scheduleValidation(live: LiveJob): void {
    this.validations = this.validations
      .then(() => this.validate(live))
      .catch((err: Error) => this.validationStopped(live, err.message));
  }

  /** Ends a job whose validation could not finish: no verdict on its files, nothing trained. */
  private validationStopped(live: LiveJob, reason: string): void {
    this.finish(live, 'failed', { code: 'validation_failed', message: `Validation stopped before it finished: ${reason}. Nothing was trained.`, param: null });
  }

  private async validate(live: LiveJob): Promise<void> {
    const { job } = live.stored;
    if (job.status !== 'validating_files' || this.closed) return; // cancelled, or shutting down, while it waited its turn
    // The training file, then the validation file: both get the same check, and a problem in
    // either fails the job before anything trains.
    const files: { param: 'training_file' | 'validation_file'; name: string; id: string }[] = [
      { param: 'training_file', name: 'training file', id: job.training_file },
    ];
    if (job.validation_file) files.push({ param: 'validation_file', name: 'validation file', id: job.validation_file });
    this.emit(live, 'info', `Validating ${files.map((f) => `${f.name}: ${f.id}`).join(', ')}`);
    const paths = this.pathsOf(job);
    // Streamed on a worker thread, which writes the backend's dataset files as it goes: memory
    // does not grow with the uploads, and the server answers every request meanwhile. A worker
    // thread that dies (a crash, out of memory) rejects: scheduleValidation fails the job.
    let answer: FromPrepareWorker | undefined;
    try {
      live.preparation = startPreparation(
        {
          files: files.map((f) => ({ input: this.options.store.fileDataPath(f.id), output: f.param === 'training_file' ? paths.dataset : paths.validation! })),
          layout: this.options.backend.datasetLayout,
          overlap: job.validation_file !== null && job.validation_file !== job.training_file,
          keepErrors: MAX_ERROR_DETAILS,
        },
        this.options.validationHeapMb,
      );
      answer = await live.preparation.result;
    } finally {
      live.preparation = undefined;
    }
    if (!answer || job.status !== 'validating_files') return; // cancelled meanwhile, or the server is shutting down
    if (answer.type === 'unreadable') {
      const f = files[answer.index];
      this.finish(live, 'failed', { code: 'file_unreadable', message: `Cannot read the ${f.name}: ${answer.message}`, param: f.param });
      return;
    }
    if (answer.type === 'failed') {
      this.validationStopped(live, answer.message);
      return;
    }
    // The trainer never sees the project's .dialoguecurator.json (clients check with it before
    // uploading): its messages say what it checked against.
    const checked = files.map((f, i) => ({ ...f, prepared: answer.files[i] }));
    const invalid = checked.filter((c) => c.prepared.errorCount > 0);
    if (invalid.length) {
      const message = invalid
        .map(({ name, id, prepared: { errors, errorCount: n } }) => {
          const filename = this.options.store.getFile(id)?.filename;
          return `The ${name} ${id}${filename ? ` (${filename})` : ''} has ${n} problem${n === 1 ? '' : 's'} (checked with ${SERVER_CHECK}); nothing was trained.\n${formatLineReport(errors, n)}`;
        })
        .join('\n');
      const errors = invalid.flatMap((c) => c.prepared.errors.map((e) => ({ ...e, file: c.param })));
      this.finish(live, 'failed', { code: `invalid_${invalid[0].param}`, message, param: invalid[0].param }, { errors });
      return;
    }
    const [training, validation] = checked.map((c) => c.prepared);
    fs.writeFileSync(paths.config, `${JSON.stringify(this.options.backend.config(job, paths), null, 2)}\n`);
    const summary = (p: typeof training) => ({ records: p.records, format: p.format ?? null, warnings: p.warnings });
    const pairs = (p: typeof training) => `${p.pairs} preference pairs`;
    const notes = (p: typeof training) => `${p.format}${p.warnings ? `, ${p.warnings} warning${p.warnings === 1 ? '' : 's'}` : ''}`;
    this.emit(
      live,
      'info',
      validation
        ? `Files validated: ${pairs(training)} (${notes(training)}), validation set ${pairs(validation)} (${notes(validation)}); checked with ${SERVER_CHECK}`
        : `Files validated: ${pairs(training)} (${notes(training)}; checked with ${SERVER_CHECK})`,
      validation ? { ...summary(training), validation: summary(validation) } : summary(training),
    );
    const overlap = answer.overlap;
    if (validation && overlap && (overlap.pairs || overlap.prompts)) {
      const total = `of the ${validation.pairs} validation pairs`;
      const text = overlap.pairs
        ? `${overlap.pairs} ${total} are also in the training file${overlap.prompts ? ` and ${overlap.prompts} more share a prompt with a training pair` : ''}`
        : `${overlap.prompts} ${total} share a prompt with a training pair`;
      this.emit(live, 'warn', `${text}: their eval_ metrics are better than on dialogues the model has not seen`, { overlap });
    }
    this.setStatus(live, 'queued');
    this.emit(live, 'info', 'Fine-tuning job queued', { status: 'queued' });
    this.queue.push(job.id);
    this.pump();
  }

  /** The job's files; the validation set's only when it has one. */
  private pathsOf(job: FineTuningJob) {
    const dir = this.options.store.jobDir(job.id);
    return jobPaths(dir, { validation: job.validation_file !== null, evalPrompts: fs.existsSync(path.join(dir, EVAL_PROMPTS_FILE)) });
  }

  private pump(): void {
    while (!this.closed && this.running < this.maxConcurrent && this.queue.length) {
      const live = this.jobs.get(this.queue.shift()!);
      if (live && live.stored.job.status === 'queued') this.start(live);
    }
  }

  private start(live: LiveJob): void {
    const { job } = live.stored;
    const paths = this.pathsOf(job);
    const launch = this.options.backend.launch(paths);
    this.running++;
    job.started_at = now();
    this.setStatus(live, 'running');
    const logFile = fs.createWriteStream(paths.log, { flags: 'a' });
    const child = spawn(launch.command, launch.args, {
      cwd: paths.dir,
      env: launch.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.child = child;
    live.stored.pid = child.pid ?? null;
    this.save(live);
    // Announced at the time it started, not after the spawn (which can take past a second's turn).
    this.emit(live, 'info', `Fine-tuning job started (backend ${this.options.backend.name})`, { status: 'running' }, 'message', job.started_at);

    readline.createInterface({ input: child.stdout! }).on('line', (line) => this.onBackendLine(live, line, logFile));
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      logFile.write(`${line}\n`);
      live.stderrTail.push(line);
      if (live.stderrTail.length > STDERR_TAIL_LINES) live.stderrTail.shift();
    });

    let spawnError: Error | undefined;
    live.exited = new Promise<void>((resolve) => {
      child.on('error', (err) => {
        spawnError = err;
      });
      child.on('exit', () => {
        // Whatever the backend started and left behind goes with it, workers in sessions of their own too.
        signalJob(child.pid, this.processMarker(job.id), 'SIGKILL');
      });
      child.on('close', (code, signal) => {
        logFile.end();
        live.child = undefined;
        // The job holds its slot until its results are stored: one job at a time means that too.
        void this.onBackendEnd(live, code, signal, spawnError).finally(() => {
          this.running--;
          resolve();
          this.pump();
        });
      });
    });
  }

  private onBackendLine(live: LiveJob, line: string, logFile: fs.WriteStream): void {
    const parsed = parseBackendLine(line);
    if (!parsed) {
      logFile.write(`${line}\n`);
      return;
    }
    if (parsed.event === 'message') {
      this.emit(live, parsed.level, parsed.message);
      return;
    }
    let data: MetricsData;
    try {
      data = parseMetricsData(parsed.data, 'data');
    } catch (err) {
      logFile.write(`ignored malformed metrics line (${(err as Error).message}): ${line}\n`);
      return;
    }
    const { job } = live.stored;
    const maxSteps = typeof data.max_steps === 'number' ? data.max_steps : null;
    job.progress = { step: data.step, max_steps: maxSteps };
    const t = Date.now();
    if (live.firstStep === undefined) live.firstStep = { at: t, step: data.step };
    else if (maxSteps && data.step > live.firstStep.step) {
      const perStep = (t - live.firstStep.at) / (data.step - live.firstStep.step);
      job.estimated_finish = Math.round((t + perStep * (maxSteps - data.step)) / 1000);
    }
    const losses = [
      typeof data.loss === 'number' ? `training loss=${data.loss.toFixed(4)}` : '',
      typeof data.eval_loss === 'number' ? `eval loss=${data.eval_loss.toFixed(4)}` : '',
    ].filter(Boolean);
    this.emit(live, 'info', `Step ${data.step}${maxSteps ? `/${maxSteps}` : ''}${losses.length ? `: ${losses.join(', ')}` : ''}`, data, 'metrics');
    if (t - live.lastSaved > 1000) this.save(live);
  }

  private async onBackendEnd(live: LiveJob, code: number | null, signal: NodeJS.Signals | null, spawnError?: Error): Promise<void> {
    const { job } = live.stored;
    if (live.stopReason === 'shutdown') {
      const p = job.progress;
      const where = p ? ` at step ${p.step}${p.max_steps ? ` of ${p.max_steps}` : ''}` : '';
      this.finish(live, 'failed', {
        code: 'server_shutdown',
        message: `Interrupted${where}: the trainer server shut down while this job was running. Start a new job to train again.`,
        param: null,
      });
    } else if (live.stopReason === 'cancel') {
      this.finish(live, 'cancelled', null);
    } else if (spawnError) {
      const launch = this.options.backend.launch(this.pathsOf(job));
      this.finish(live, 'failed', {
        code: 'backend_not_started',
        message: `Could not start the ${this.options.backend.name} backend (${launch.command}): ${spawnError.message}`,
        param: null,
      });
    } else if (code === 0) {
      await this.succeed(live);
    } else {
      const how = code !== null ? `exit code ${code}` : `signal ${signal}`;
      const tail = live.stderrTail.length ? `\n${live.stderrTail.join('\n')}` : '';
      this.finish(live, 'failed', {
        code: 'training_failed',
        message: `The ${this.options.backend.name} backend stopped with ${how}.${tail}`,
        param: null,
      });
    }
  }

  /** Packs the job's output as result files, then ends it as succeeded. */
  private async succeed(live: LiveJob): Promise<void> {
    const { job } = live.stored;
    let files;
    try {
      files = await collectResults(this.options.store, job, this.pathsOf(job));
    } catch (err) {
      this.finish(live, 'failed', {
        code: 'results_failed',
        message: `Training finished, but its results could not be stored: ${(err as Error).message}`,
        param: null,
      });
      return;
    }
    if (isTerminalStatus(job.status)) return; // cancelled while packing
    job.result_files = files.map((f) => f.id);
    if (files.length) {
      const list = files.map((f) => `${f.filename} (${formatSize(f.bytes)})`).join(', ');
      this.emit(live, 'info', `Results: ${list}`, { result_files: files.map((f) => ({ id: f.id, filename: f.filename, bytes: f.bytes })) });
    }
    this.finish(live, 'succeeded', null);
  }

  private setStatus(live: LiveJob, status: JobStatus): void {
    live.stored.job.status = status;
    this.save(live);
  }

  private save(live: LiveJob): void {
    live.lastSaved = Date.now();
    this.options.store.saveJob(live.stored);
  }

  /** Ends a job: status, error and a last event, persisted before subscribers hear of it. */
  private finish(live: LiveJob, status: JobStatus, error: JobError | null, data?: Record<string, unknown>): void {
    const { job } = live.stored;
    if (isTerminalStatus(job.status)) return;
    job.status = status;
    job.error = error;
    job.finished_at = now();
    job.estimated_finish = null;
    this.save(live);
    if (status === 'succeeded') this.emit(live, 'info', 'The job has successfully completed', { status });
    else if (status === 'cancelled') this.emit(live, 'info', 'The job was cancelled', { status });
    else this.emit(live, 'error', error?.message ?? 'The job failed', { status, ...(data ?? { code: error?.code ?? null }) });
    for (const s of [...live.subscribers]) s.onEnd(job);
    live.subscribers.clear();
  }

  private emit(
    live: LiveJob,
    level: EventLevel,
    message: string,
    data: JobEvent['data'] = null,
    type: JobEvent['type'] = 'message',
    at: number = now(),
  ): void {
    const seq = live.nextSeq++;
    const event: JobEvent = {
      id: `${eventIdPrefix(live.stored.job.id)}${seq}`,
      object: 'fine_tuning.job.event',
      created_at: at,
      level,
      message,
      type,
      data,
    };
    this.options.store.appendEvent(live.stored.job.id, event);
    live.events.push(event);
    for (const s of [...live.subscribers]) s.onEvent(event);
  }

  get(id: string): FineTuningJob {
    return this.live(id).stored.job;
  }

  /** The backend's process group leader while it runs (tests check it is gone after cancel). */
  pidOf(id: string): number | null {
    return this.live(id).child?.pid ?? null;
  }

  list(after: string | undefined, limit: number): ListResponse<FineTuningJob> {
    const all = [...this.jobs.values()].map((l) => l.stored.job).reverse();
    let start = 0;
    if (after) {
      const at = all.findIndex((j) => j.id === after);
      if (at < 0) throw new HttpError(400, `Unknown job id in "after": ${JSON.stringify(after)}`, 'invalid_cursor', 'after');
      start = at + 1;
    }
    const data = all.slice(start, start + limit);
    return { object: 'list', data, has_more: start + limit < all.length };
  }

  /** Events after `afterId` (all of them when undefined), in the order they happened. */
  eventsAfter(id: string, afterId: string | undefined): JobEvent[] {
    const live = this.live(id);
    return live.events.slice(this.positionAfter(live, afterId));
  }

  /**
   * The index in `live.events` of the first event after `afterId`. Found by sequence number, not
   * by position, so an id whose line was lost still resumes at the event that followed it.
   */
  private positionAfter(live: LiveJob, afterId: string | undefined): number {
    if (afterId === undefined || afterId === '') return 0;
    const seq = sequenceOf(afterId, eventIdPrefix(live.stored.job.id), true);
    if (seq === undefined || seq >= live.nextSeq) {
      throw new HttpError(400, `Unknown event id ${JSON.stringify(afterId)} for job ${live.stored.job.id}`, 'invalid_event_id', 'after');
    }
    // Binary search: sequence numbers rise along the list.
    const prefix = eventIdPrefix(live.stored.job.id);
    let lo = 0;
    let hi = live.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sequenceOf(live.events[mid].id, prefix)! <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Replays the events after `afterId` and then follows the job live. Replay and subscription
   * happen in one synchronous step, so no event falls between them. Returns an unsubscribe.
   */
  follow(id: string, afterId: string | undefined, subscriber: JobSubscriber): () => void {
    const live = this.live(id);
    for (const event of live.events.slice(this.positionAfter(live, afterId))) subscriber.onEvent(event);
    if (isTerminalStatus(live.stored.job.status)) {
      subscriber.onEnd(live.stored.job);
      return () => {};
    }
    live.subscribers.add(subscriber);
    return () => live.subscribers.delete(subscriber);
  }

  /** What every process of a job has on its command line: the job's folder (its config, data, output). */
  private processMarker(id: string): string {
    return this.options.store.jobDir(id) + path.sep;
  }

  /** Cancels a job; resolves once its backend process group is gone. */
  async cancel(id: string): Promise<FineTuningJob> {
    const live = this.live(id);
    const { job } = live.stored;
    if (job.status === 'cancelled') return job;
    if (isTerminalStatus(job.status)) {
      throw new HttpError(409, `Job ${id} has already ${job.status === 'succeeded' ? 'succeeded' : 'failed'}`, 'job_not_cancellable');
    }
    if (!live.child) {
      // A validation in progress ends first: when the job says cancelled, its thread is gone.
      await live.preparation?.stop();
      const at = this.queue.indexOf(id);
      if (at >= 0) this.queue.splice(at, 1);
      this.finish(live, 'cancelled', null);
      return job;
    }
    live.stopReason ??= 'cancel';
    await this.stop(live);
    return job;
  }

  private async stop(live: LiveJob): Promise<void> {
    const child = live.child;
    if (!child?.pid) return live.exited;
    // SIGTERM first: accelerate (torch's elastic agent) passes it on to its workers and waits for them.
    const marker = this.processMarker(live.stored.job.id);
    signalJob(child.pid, marker, 'SIGTERM');
    const timer = setTimeout(() => signalJob(child.pid, marker, 'SIGKILL'), this.killGraceMs);
    try {
      await live.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stops every running backend (jobs end as failed, "server shut down"); queued jobs stay
   * queued, and validating ones stay validating: their worker threads end, and a restarted
   * server validates them again.
   */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.jobs.values()].filter((l) => l.child);
    for (const live of running) live.stopReason = 'shutdown';
    const preparing = [...this.jobs.values()].filter((l) => l.preparation);
    await Promise.all([...running.map((l) => this.stop(l)), ...preparing.map((l) => l.preparation!.stop())]);
    for (const live of this.jobs.values()) {
      for (const s of [...live.subscribers]) s.onEnd(live.stored.job);
      live.subscribers.clear();
    }
  }
}

/**
 * Why a model given as a path on this machine cannot be loaded (no such folder, or no config.json
 * in it), said when the job is asked for instead of as a traceback from the training process
 * (which reads a missing folder as a malformed hub name). Undefined for a hub name, or a folder
 * that looks like a model.
 */
export function missingLocalModel(model: string): string | undefined {
  if (!(path.isAbsolute(model) || /^\.{1,2}[\\/]|^~[\\/]/.test(model))) return undefined;
  const dir = model.startsWith('~') ? path.join(os.homedir(), model.slice(2)) : path.resolve(model);
  let isDir = false;
  try {
    isDir = fs.statSync(dir).isDirectory();
  } catch {
    return `There is no model folder ${model} on the trainer`;
  }
  if (!isDir) return `The model ${model} on the trainer is a file, not a model folder`;
  if (!fs.existsSync(path.join(dir, 'config.json'))) return `The folder ${model} on the trainer has no config.json: it is not a saved model (save one with save_pretrained)`;
  return undefined;
}
