/**
 * Follows one training job: fetches it, replays its events from the start, then live, through
 * the shared TrainerClient. The whole session reconnects with the client's capped exponential
 * backoff — the first fetch as much as the event stream (a panel restored while its trainer
 * restarts) — resuming after the last event id, so no event is lost or seen twice. It stops
 * only on a definitive answer (a refused token, an unknown job) or when stopped. Keeps the
 * metrics table (points merged by step) and the log, and tells its listener what changed.
 * Free of `vscode`.
 */
import { MetricsPoint, MetricsTable, pointFromMetrics } from '../../core/metrics';
import {
  backoffDelayMs,
  DEFAULT_INITIAL_BACKOFF_MS,
  DEFAULT_MAX_BACKOFF_MS,
  isDefinitiveError,
  TrainerClient,
  TrainerError,
} from '../../core/trainer/client';
import { FineTuningJob, isMetricsEvent, isTerminalStatus, JobEvent, statusOfEvent } from '../../core/trainer/protocol';
import type { ConnectionState, ConnectionView, JobView, LogEntry } from '../../../webview/loss/messages';
import { hostOf } from './profiles';

export interface SessionListener {
  job(job: JobView): void;
  points(points: MetricsPoint[]): void;
  log(entries: LogEntry[]): void;
  connection(connection: ConnectionView): void;
}

export interface SessionOptions {
  client: TrainerClient;
  trainerName: string;
  jobId: string;
  /** Called for problems worth a line in the extension's log. */
  onProblem?: (message: string) => void;
  /** Reconnect delays (tests shorten them). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Events are batched for this long before the listener hears of them (fewer webview messages). */
const BATCH_MS = 100;

export class JobSession {
  readonly table = new MetricsTable();
  readonly logs: LogEntry[] = [];
  jobView: JobView | undefined;
  connectionView: ConnectionView = { state: 'connecting' };
  /** The id of the last event received: where a resume starts. */
  lastEventId: string | undefined;
  private client: TrainerClient;
  private listener: SessionListener | undefined;
  private readonly abort = new AbortController();
  /** Aborted by retryNow(): ends the current attempt (or its wait) so the next starts at once. */
  private attempt: AbortController | undefined;
  /** Ends the wait before the next attempt early (retryNow). */
  private wake: (() => void) | undefined;
  private pendingPoints: MetricsPoint[] = [];
  private pendingLogs: LogEntry[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  /** When the event announcing `running` was created: the start, for a job without `started_at`. */
  private runningEventAt: number | undefined;

  constructor(private readonly options: SessionOptions) {
    this.client = options.client;
  }

  get jobId(): string {
    return this.options.jobId;
  }

  get trainerUrl(): string {
    return this.client.baseUrl;
  }

  get connection(): ConnectionState {
    return this.connectionView.state;
  }

  get connectionDetail(): string | undefined {
    return this.connectionView.detail;
  }

  setListener(listener: SessionListener | undefined): void {
    this.listener = listener;
  }

  /**
   * Starts following; resolves when the job ended, the session was stopped, or the trainer gave
   * a definitive answer (state `failed`). Calling it again while it runs returns the same promise.
   */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  /**
   * "Retry now": while reconnecting, the next attempt starts at once instead of after the wait;
   * after a definitive failure, following starts again — with `client` when given (e.g. one
   * holding a token set since). Does nothing while connected or once the job has ended.
   */
  retryNow(client?: TrainerClient): void {
    if (this.abort.signal.aborted) return;
    const state = this.connectionView.state;
    if (state === 'failed') {
      if (client) this.client = client;
      void this.start();
    } else if (state === 'reconnecting' || state === 'connecting') {
      if (client) this.client = client;
      this.attempt?.abort();
      this.wake?.();
    }
  }

  /** Asks the trainer to cancel the job; resolves with the job as the trainer reports it. */
  async cancel(): Promise<FineTuningJob> {
    const job = await this.client.cancelJob(this.jobId);
    this.updateJob(job);
    return job;
  }

  /** Stops following (the panel was closed); the job itself keeps running on the trainer. */
  stop(): void {
    this.abort.abort();
    this.wake?.();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.listener = undefined;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const initialMs = this.options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    const maxMs = this.options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.setConnection({ state: 'connecting' });
    try {
      await this.attempts(signal, initialMs, maxMs);
    } finally {
      // Cleared before the promise settles, so a Retry right after a failure starts anew.
      this.running = undefined;
    }
  }

  private async attempts(signal: AbortSignal, initialMs: number, maxMs: number): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const attempt = new AbortController();
      this.attempt = attempt;
      const onStop = () => attempt.abort();
      signal.addEventListener('abort', onStop, { once: true });
      const resumeFrom = this.lastEventId;
      try {
        await this.follow(attempt.signal, initialMs, maxMs);
        this.flush();
        this.setConnection({ state: 'ended' });
        return;
      } catch (err) {
        this.flush();
        if (signal.aborted) return;
        // "Retry now" ended this attempt: start the next one at once.
        if (attempt.signal.aborted) continue;
        if (isDefinitiveError(err)) {
          const message = this.definitiveMessage(err);
          this.options.onProblem?.(`job ${this.jobId}: ${message}`);
          this.setConnection({ state: 'failed', detail: message });
          return;
        }
        // An attempt that got events made progress: the count of failures in a row starts over.
        // One that got none (the trainer down, or failing on the same event) backs off further.
        failures = this.lastEventId !== resumeFrom ? 1 : failures + 1;
        const delayMs = backoffDelayMs(failures, initialMs, maxMs);
        this.reconnecting(failures, delayMs, err);
        await this.pause(delayMs);
      } finally {
        signal.removeEventListener('abort', onStop);
        if (this.attempt === attempt) this.attempt = undefined;
      }
    }
  }

  /** One attempt: the job, then its events (after the last one we have) until it ends. */
  private async follow(signal: AbortSignal, initialMs: number, maxMs: number): Promise<void> {
    const client = this.client;
    this.updateJob(await client.getJob(this.jobId, { signal }));
    const stream = client.streamEvents(this.jobId, {
      signal,
      lastEventId: this.lastEventId,
      maxConsecutiveFailures: Infinity,
      initialBackoffMs: initialMs,
      maxBackoffMs: maxMs,
      // A queued job sends nothing for a while: the stream being open is what "live" means.
      onOpen: () => this.setConnection({ state: 'live' }),
      onReconnect: (info) => this.reconnecting(info.attempt, info.delayMs, info.error),
    });
    for (;;) {
      const next = await stream.next();
      if (next.done) {
        this.updateJob(next.value);
        return;
      }
      this.accept(next.value);
    }
  }

  /** Shows the wait before the next attempt (attempt 0: the stream merely ended; resuming). */
  private reconnecting(attempt: number, delayMs: number, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    const seconds = Math.max(1, Math.round(delayMs / 1000));
    const view: ConnectionView = { state: 'reconnecting', detail: reason, retryAt: Date.now() + delayMs };
    if (attempt > 0) view.attempt = attempt;
    this.setConnection(view);
    const what = attempt > 0 ? `attempt ${attempt}, next try in ${seconds} s` : `resuming in ${seconds} s`;
    this.options.onProblem?.(`job ${this.jobId}: reconnecting (${what}): ${reason}`);
  }

  /** Waits `ms`, or less when stopped or asked to retry now. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private definitiveMessage(err: TrainerError): string {
    const host = hostOf(this.trainerUrl);
    if (err.kind === 'unauthorized') {
      return `${err.message} Set it with "Dialogue Curator: Set Trainer Token", then choose Retry.`;
    }
    if (err.kind === 'not_found') {
      return `Job ${this.jobId} was not found on the trainer at ${host} (HTTP 404): it was made by another trainer, or this trainer's data folder no longer has it.`;
    }
    return err.message;
  }

  private accept(event: JobEvent): void {
    this.lastEventId = event.id;
    if (isMetricsEvent(event)) {
      const point = pointFromMetrics(event.data, event.created_at);
      if (point) {
        this.pendingPoints.push(point);
        const max = event.data.max_steps;
        if (typeof max === 'number' && max > 0 && this.jobView && this.jobView.maxSteps !== max) {
          this.jobView = { ...this.jobView, maxSteps: max };
          this.listener?.job(this.jobView);
        }
        if (this.jobView && (this.jobView.status === 'queued' || this.jobView.status === 'validating_files')) {
          this.jobView = { ...this.jobView, status: 'running' };
          this.listener?.job(this.jobView);
        }
      }
    } else {
      if (statusOfEvent(event) === 'running' && this.runningEventAt === undefined) {
        this.runningEventAt = event.created_at;
        if (this.jobView && this.jobView.startedAt === undefined) {
          this.jobView = { ...this.jobView, startedAt: event.created_at };
          this.listener?.job(this.jobView);
        }
      }
      this.pendingLogs.push({ time: event.created_at, level: event.level, message: event.message });
      // Status changes are announced by message events: fetch the job to show the new status.
      this.refreshJob();
    }
    this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private refreshJob(): void {
    if (this.refreshing) return;
    this.refreshing = this.client
      .getJob(this.jobId, { signal: this.abort.signal })
      .then((job) => this.updateJob(job))
      .catch(() => {
        // The stream's own error handling reports a lost trainer; a missed refresh is harmless.
      })
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingPoints.length) {
      const points = this.pendingPoints;
      this.pendingPoints = [];
      this.table.addAll(points);
      this.listener?.points(points);
    }
    if (this.pendingLogs.length) {
      const entries = this.pendingLogs;
      this.pendingLogs = [];
      this.logs.push(...entries);
      this.listener?.log(entries);
    }
  }

  private updateJob(job: FineTuningJob): void {
    // A late refresh must not turn a finished job back into a running one.
    if (this.jobView && isTerminalStatus(this.jobView.status) && !isTerminalStatus(job.status)) return;
    const maxSteps = job.progress?.max_steps ?? job.method.dpo.hyperparameters.max_steps ?? this.jobView?.maxSteps;
    const view: JobView = {
      id: job.id,
      trainerName: this.options.trainerName,
      trainerUrl: this.trainerUrl,
      host: hostOf(this.trainerUrl),
      model: job.model,
      status: job.status,
      createdAt: job.created_at,
    };
    const startedAt = job.started_at ?? this.runningEventAt;
    if (startedAt !== undefined) view.startedAt = startedAt;
    if (job.finished_at !== null) view.finishedAt = job.finished_at;
    if (typeof maxSteps === 'number' && maxSteps > 0) view.maxSteps = maxSteps;
    if (job.error) view.error = job.error.message;
    if (job.result_files.length) view.resultFiles = job.result_files.length;
    this.jobView = view;
    this.listener?.job(view);
  }

  private setConnection(view: ConnectionView): void {
    this.connectionView = view;
    this.listener?.connection(view);
  }
}
