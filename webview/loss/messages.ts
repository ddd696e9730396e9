/**
 * The messages between the loss panel (webview) and the extension, shared by both sides. Each
 * side validates what it receives (`parseToPanel`, `parseToHost`, `parsePanelState`): the types
 * below vanish at the postMessage boundary.
 */
import { Check, index, list, literal, MessageError, num, object, optional, str, tagged } from '../../src/core/compare/validate';
import type { MetricsPoint } from '../../src/core/metrics/table';

export const LOSS_VIEW_TYPE = 'dialogueCurator.loss';

export type JobStatusView = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';
export type LogLevel = 'info' | 'warn' | 'error';

export interface JobView {
  id: string;
  trainerName: string;
  /** The trainer's base URL: the panel saves it (with the job id) to be restored after a reload. */
  trainerUrl: string;
  /** `host:port` of the trainer, for the header. */
  host: string;
  model: string;
  status: JobStatusView;
  /** Seconds since the epoch (the trainer's clock). */
  createdAt: number;
  /** When it began running (after validation and the queue); absent before, or when unknown. */
  startedAt?: number;
  finishedAt?: number;
  maxSteps?: number;
  /** Why the job failed, as the trainer said. */
  error?: string;
  /** How many result files a succeeded job has (model or adapter, log, evaluation): 0 or absent, none. */
  resultFiles?: number;
}

/** How the extension is connected to the trainer for this job. */
export interface ConnectionView {
  state: ConnectionState;
  /** Why it is reconnecting or failed (the trainer's or the network's words). */
  detail?: string;
  /** While reconnecting: the count of consecutive failed attempts (absent when merely resuming). */
  attempt?: number;
  /** While reconnecting: when the next attempt starts (ms since the epoch, this machine's clock). */
  retryAt?: number;
}

export interface LogEntry {
  /** Seconds since the epoch. */
  time: number;
  level: LogLevel;
  message: string;
}

export type ToPanel =
  | { type: 'job'; job: JobView }
  /** Points to add (merged by step); `reset` first clears what the panel has. */
  | { type: 'points'; points: MetricsPoint[]; reset?: boolean }
  | { type: 'log'; entries: LogEntry[]; reset?: boolean }
  | ({ type: 'connection' } & ConnectionView);

export type ToHost =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'exportCsv' }
  /** "Download Trained Model…": the job's result files into a folder the person picks. */
  | { type: 'downloadResults' }
  /** "Retry now" while reconnecting, "Retry" after the trainer refused. */
  | { type: 'retry' }
  /** Sent after the charts were drawn: what the person sees (tests read it). */
  | {
      type: 'rendered';
      points: number;
      /** Chart ids in display order, and the series each draws (same order). */
      charts: string[];
      chartSeries: string[][];
      /** Every metric name the panel holds (the CSV's columns). */
      series: string[];
      /** The metrics shown in the run summary list instead of as charts, in display order. */
      summary: string[];
    };

/** What the panel keeps with `setState`, so the serializer can bring it back after a reload. */
export interface PanelState {
  trainerUrl: string;
  jobId: string;
  smoothing?: number;
}

const MAX_POINTS_PER_MESSAGE = 100_000;

const nullableNumber: Check<number | null> = (v, path) => (v === null ? null : num(v, path));

const metricValues: Check<Record<string, number | null>> = (v, path) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new MessageError(`${path} should be an object`);
  const out: Record<string, number | null> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.length > 200) throw new MessageError(`${path} has a metric name longer than 200 characters`);
    out[k] = nullableNumber(x, `${path}[${JSON.stringify(k)}]`);
  }
  return out;
};

const point = object<MetricsPoint>({ step: index, time: optional(num), values: metricValues });
const level = literal<LogLevel>('info', 'warn', 'error');
const status = literal<JobStatusView>('validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled');
const reset: Check<boolean | undefined> = (v, path) => {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new MessageError(`${path} should be true or false`);
  return v;
};

const job = object<JobView>({
  id: str,
  trainerName: str,
  trainerUrl: str,
  host: str,
  model: str,
  status,
  createdAt: num,
  startedAt: optional(num),
  finishedAt: optional(num),
  maxSteps: optional(index),
  error: optional(str),
  resultFiles: optional(index),
});

const checkToPanel: Check<ToPanel> = tagged<ToPanel>({
  job: object({ type: literal('job'), job }),
  points: object({ type: literal('points'), points: list(point, MAX_POINTS_PER_MESSAGE), reset }),
  log: object({ type: literal('log'), entries: list(object<LogEntry>({ time: num, level, message: str }), 10_000), reset }),
  connection: object({
    type: literal('connection'),
    state: literal<ConnectionState>('connecting', 'live', 'reconnecting', 'ended', 'failed'),
    detail: optional(str),
    attempt: optional(index),
    retryAt: optional(num),
  }),
});

const checkToHost: Check<ToHost> = tagged<ToHost>({
  ready: object({ type: literal('ready') }),
  cancel: object({ type: literal('cancel') }),
  exportCsv: object({ type: literal('exportCsv') }),
  downloadResults: object({ type: literal('downloadResults') }),
  retry: object({ type: literal('retry') }),
  rendered: object({
    type: literal('rendered'),
    points: index,
    charts: list(str, 500),
    chartSeries: list(list(str, 50), 500),
    series: list(str, 500),
    summary: list(str, 500),
  }),
});

const smoothing: Check<number> = (v, path) => {
  const n = num(v, path);
  if (n < 0 || n >= 1) throw new MessageError(`${path} should be in [0, 1)`);
  return n;
};

const checkState: Check<PanelState> = object<PanelState>({ trainerUrl: str, jobId: str, smoothing: optional(smoothing) });

/** Validates a message from the extension; throws MessageError naming the offending field. */
export function parseToPanel(message: unknown): ToPanel {
  return checkToPanel(message, 'message');
}

/** Validates a message from the panel; throws MessageError naming the offending field. */
export function parseToHost(message: unknown): ToHost {
  return checkToHost(message, 'message');
}

/** Validates the state a panel saved (it comes back through the serializer after a reload). */
export function parsePanelState(state: unknown): PanelState {
  return checkState(state, 'state');
}

export { MessageError };
