/**
 * Follows one training job: replays its events from the start, then live, through the shared
 * TrainerClient (which reconnects with backoff and resumes from the last event id). Keeps the
 * metrics table (points merged by step, so a replay never duplicates one) and the log, and tells
 * its listener what changed. Free of `vscode`.
 */
import { MetricsPoint, MetricsTable, pointFromMetrics } from '../../core/metrics';
import { TrainerClient, TrainerError } from '../../core/trainer/client';
import { FineTuningJob, isMetricsEvent, isTerminalStatus, JobEvent, statusOfEvent } from '../../core/trainer/protocol';
import type { ConnectionState, JobView, LogEntry } from '../../../webview/loss/messages';
import { hostOf } from './profiles';

export interface SessionListener {
  job(job: JobView): void;
  points(points: MetricsPoint[]): void;
  log(entries: LogEntry[]): void;
  connection(state: ConnectionState, detail?: string): void;
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
  connection: ConnectionState = 'connecting';
  connectionDetail: string | undefined;
  /** The id of the last event received: where a resume starts. */
  lastEventId: string | undefined;
  private listener: SessionListener | undefined;
  private readonly abort = new AbortController();
  private pendingPoints: MetricsPoint[] = [];
  private pendingLogs: LogEntry[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  /** When the event announcing `running` was created: the start, for a job without `started_at`. */
  private runningEventAt: number | undefined;

  constructor(private readonly options: SessionOptions) {}

  get jobId(): string {
    return this.options.jobId;
  }

  get trainerUrl(): string {
    return this.options.client.baseUrl;
  }

  setListener(listener: SessionListener | undefined): void {
    this.listener = listener;
  }

  /** Starts following (once); resolves when the job ended, the session was stopped or failed. */
  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  /** Asks the trainer to cancel the job; resolves with the job as the trainer reports it. */
  async cancel(): Promise<FineTuningJob> {
    const job = await this.options.client.cancelJob(this.jobId);
    this.updateJob(job);
    return job;
  }

  /** Stops following (the panel was closed); the job itself keeps running on the trainer. */
  stop(): void {
    this.abort.abort();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.listener = undefined;
  }

  private async run(): Promise<void> {
    const { client } = this.options;
    const signal = this.abort.signal;
    try {
      this.updateJob(await client.getJob(this.jobId, { signal }));
      this.setConnection('connecting');
      const stream = client.streamEvents(this.jobId, {
        signal,
        lastEventId: this.lastEventId,
        maxConsecutiveFailures: Infinity,
        initialBackoffMs: this.options.initialBackoffMs,
        maxBackoffMs: this.options.maxBackoffMs,
        // A queued job sends nothing for a while: the stream being open is what "live" means.
        onOpen: () => this.setConnection('live'),
        onReconnect: (info) => {
          const seconds = Math.max(1, Math.round(info.delayMs / 1000));
          const detail = info.attempt > 0 ? `attempt ${info.attempt} in ${seconds} s: ${info.error.message}` : `resuming: ${info.error.message}`;
          this.setConnection('reconnecting', detail);
          this.options.onProblem?.(`job ${this.jobId}: reconnecting (${detail})`);
        },
      });
      for (;;) {
        const next = await stream.next();
        if (next.done) {
          this.updateJob(next.value);
          break;
        }
        this.accept(next.value);
      }
      this.flush();
      this.setConnection('ended');
    } catch (err) {
      this.flush();
      if (signal.aborted) return;
      const message = err instanceof TrainerError || err instanceof Error ? err.message : String(err);
      this.options.onProblem?.(`job ${this.jobId}: ${message}`);
      this.setConnection('failed', message);
    }
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
    this.refreshing = this.options.client
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
    this.jobView = view;
    this.listener?.job(view);
  }

  private setConnection(state: ConnectionState, detail?: string): void {
    this.connection = state;
    this.connectionDetail = detail;
    this.listener?.connection(state, detail);
  }
}
