/**
 * A client for the trainer protocol, free of `vscode`: the CLI and the extension share it.
 * Node 20's global `fetch`; uploads stream from disk; the event stream (SSE, parsed with
 * eventsource-parser) reconnects with backoff and resumes with Last-Event-ID, and drops any
 * event it has already delivered, so a consumer sees each event exactly once, in order.
 */
import { formatSize } from '../bytes';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createParser, EventSourceMessage } from 'eventsource-parser';
import {
  CreateJobRequest,
  errorMessageOf,
  FineTuningJob,
  JobEvent,
  ListResponse,
  parseEvent,
  parseFile,
  parseJob,
  parseList,
  ProtocolError,
  SSE_DONE_EVENT,
  TrainerFile,
} from './protocol';

export type TrainerErrorKind =
  | 'unauthorized'
  | 'not_found'
  | 'bad_request'
  | 'conflict'
  | 'too_large'
  | 'server'
  | 'network'
  | 'protocol'
  | 'aborted';

export class TrainerError extends Error {
  constructor(
    message: string,
    readonly kind: TrainerErrorKind,
    /** HTTP status, when the trainer answered. */
    readonly status?: number,
    /** The trainer's error code (`invalid_token`, `file_too_large`, …). */
    readonly code?: string | null,
  ) {
    super(message);
    this.name = 'TrainerError';
  }
}

export interface TrainerClientOptions {
  /** e.g. `https://gpu-box.example:8787` (a trailing `/v1` is accepted). */
  baseUrl: string;
  token?: string;
  /** Timeout of each non-streaming request except uploads, in ms (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface UploadOptions extends RequestOptions {
  /** Called as bytes leave: for a progress bar. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

export type UploadSource = string | { data: Uint8Array | string; fileName: string };

export interface DownloadOptions extends RequestOptions {
  /** Bytes on disk so far (a resumed download starts above 0) and the file's size. */
  onProgress?: (received: number, total: number) => void;
}

export interface ReconnectInfo {
  /** Consecutive failed attempts so far (0 when the stream merely ended early). */
  attempt: number;
  delayMs: number;
  lastEventId: string | undefined;
  error: Error;
}

export interface StreamOptions extends RequestOptions {
  /** Resume after this event (the id of the last event the caller already has). */
  lastEventId?: string;
  /** First reconnect delay, doubled per consecutive failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Give up after this many consecutive failed attempts (default 10; Infinity never gives up). */
  maxConsecutiveFailures?: number;
  /** Reconnect when nothing (not even a heartbeat) arrived for this long (default 45 s). */
  idleTimeoutMs?: number;
  onReconnect?: (info: ReconnectInfo) => void;
  /** Called each time the trainer accepted the stream (first connection and every resume). */
  onOpen?: () => void;
}

export interface FollowOptions extends StreamOptions {
  onEvent: (event: JobEvent) => void;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Which of the files is larger than a trainer accepts (`limit`, from its /health), as a sentence
 * naming the file, both sizes and how the trainer's owner raises the limit; undefined when every
 * file fits or the trainer does not say its limit. Said before uploading: a trainer closes the
 * connection on a too large upload, which leaves the sender with a broken pipe, not its reason.
 */
export function uploadTooLarge(files: readonly { name: string; bytes: number }[], limit: number | undefined): string | undefined {
  if (limit === undefined) return undefined;
  const big = files.find((f) => f.bytes > limit);
  return big && `${big.name} (${formatSize(big.bytes)}) is larger than the trainer accepts (${formatSize(limit)}; its owner can raise that with serve --max-upload-mb)`;
}

/** Reconnect delays: the first wait, and the cap of its doubling. */
export const DEFAULT_INITIAL_BACKOFF_MS = 500;
export const DEFAULT_MAX_BACKOFF_MS = 15_000;

export class TrainerClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: TrainerClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TrainerError(`"${options.baseUrl}" is not a trainer URL (expected e.g. http://127.0.0.1:8787)`, 'bad_request');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TrainerError(`the trainer URL must start with http:// or https://, got ${url.protocol}`, 'bad_request');
    }
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
    this.token = options.token || undefined;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /**
   * The trainer's state; `maxUploadBytes` when it says how large an upload it accepts, and
   * `modelRequired` true when it says a job must name its model (its backend has no default).
   */
  health(options: RequestOptions = {}): Promise<{ ok: boolean; backend: string; protocol: string; maxUploadBytes?: number; modelRequired?: boolean }> {
    return this.json('GET', '/health', undefined, options, (v) => {
      const o = v as { ok?: unknown; backend?: unknown; protocol?: unknown; max_upload_bytes?: unknown; model_required?: unknown };
      if (typeof o?.backend !== 'string') throw new ProtocolError('backend', 'expected a string');
      const limit = o.max_upload_bytes;
      return {
        ok: o.ok === true,
        backend: o.backend,
        protocol: String(o.protocol ?? ''),
        ...(typeof limit === 'number' && limit > 0 ? { maxUploadBytes: limit } : {}),
        ...(o.model_required === true ? { modelRequired: true } : {}),
      };
    });
  }

  /**
   * What the trainer would refuse, asked of its /health before anything is sent: a job without a
   * model on a trainer that needs one (`model.givenBy` says where a model is named), a file over
   * its upload limit (see uploadTooLarge). Undefined
   * when it would take them, or cannot be asked (the upload then reports what happens). Only
   * after the person's consent: /health is the first request to the trainer.
   */
  async refusal(files: readonly { name: string; bytes: number }[], model: { name: string | undefined; givenBy: string }): Promise<string | undefined> {
    const health = await this.health({ signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    if (health?.modelRequired && !model.name) return `the trainer's ${health.backend} backend has no default model: name one with ${model.givenBy} (a folder on the trainer, or a model name it can load)`;
    return uploadTooLarge(files, health?.maxUploadBytes);
  }

  /** Uploads a JSONL file (a path is streamed from disk, never read whole). */
  async uploadFile(source: UploadSource, options: UploadOptions = {}): Promise<TrainerFile> {
    let body: BodyInit;
    let total: number;
    let fileName: string;
    if (typeof source === 'string') {
      try {
        total = (await fs.promises.stat(source)).size;
      } catch (err) {
        throw new TrainerError(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'bad_request');
      }
      fileName = path.basename(source);
      let sent = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          sent += chunk.length;
          options.onProgress?.(sent, total);
          done(null, chunk);
        },
      });
      body = Readable.toWeb(fs.createReadStream(source).pipe(counter)) as unknown as ReadableStream<Uint8Array>;
    } else {
      const bytes = typeof source.data === 'string' ? Buffer.from(source.data, 'utf8') : Buffer.from(source.data);
      total = bytes.byteLength;
      fileName = source.fileName;
      body = bytes as unknown as BodyInit;
    }
    const query = new URLSearchParams({ purpose: 'fine-tune', filename: fileName });
    const res = await this.send(
      'POST',
      `/v1/files?${query}`,
      {
        body,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(total) },
        duplex: 'half',
      },
      options.signal,
      false,
    );
    const file = await this.read(res, parseFile);
    if (typeof source !== 'string') options.onProgress?.(total, total);
    return file;
  }

  createJob(request: CreateJobRequest, options: RequestOptions = {}): Promise<FineTuningJob> {
    return this.json('POST', '/v1/fine_tuning/jobs', request, options, parseJob);
  }

  getFile(fileId: string, options: RequestOptions = {}): Promise<TrainerFile> {
    return this.json('GET', `/v1/files/${encodeURIComponent(fileId)}`, undefined, options, parseFile);
  }

  /**
   * Downloads a file's bytes to `dest`, streamed (memory stays flat). The bytes go to
   * `dest + ".part"` first; a `.part` left by an interrupted download is resumed with a Range
   * request. `dest` appears only once every byte is there (checked against the trainer's size).
   */
  async downloadFile(file: TrainerFile, dest: string, options: DownloadOptions = {}): Promise<void> {
    const part = `${dest}.part`;
    let have = 0;
    try {
      have = (await fs.promises.stat(part)).size;
    } catch {
      have = 0;
    }
    if (have > file.bytes) {
      await fs.promises.rm(part, { force: true });
      have = 0;
    }
    const headers: Record<string, string> = { accept: '*/*' };
    if (have > 0 && have < file.bytes) headers.range = `bytes=${have}-`;
    if (have < file.bytes || file.bytes === 0) {
      const res = await this.send('GET', `/v1/files/${encodeURIComponent(file.id)}/content`, { headers }, options.signal, false);
      // 206: the rest of the file; 200: the whole of it (the trainer ignored the range).
      const resumed = res.status === 206;
      if (!resumed) have = 0;
      options.onProgress?.(have, file.bytes);
      let received = have;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          received += chunk.length;
          options.onProgress?.(received, file.bytes);
          done(null, chunk);
        },
      });
      if (!res.body) throw new TrainerError(`the trainer sent no bytes for ${file.filename}`, 'protocol', res.status);
      try {
        await pipeline(
          Readable.fromWeb(res.body as unknown as import('node:stream/web').ReadableStream<Uint8Array>),
          counter,
          fs.createWriteStream(part, { flags: resumed ? 'a' : 'w', mode: 0o600 }),
          { signal: options.signal },
        );
      } catch (err) {
        if (options.signal?.aborted) throw abortedError();
        throw new TrainerError(`the download of ${file.filename} broke off after ${received} of ${file.bytes} bytes (run it again to resume): ${(err as Error).message}`, 'network');
      }
      have = received;
    }
    if (have !== file.bytes) {
      throw new TrainerError(`the trainer sent ${have} bytes of ${file.filename}, expected ${file.bytes}`, 'protocol');
    }
    await fs.promises.rename(part, dest);
  }

  getJob(jobId: string, options: RequestOptions = {}): Promise<FineTuningJob> {
    return this.json('GET', `/v1/fine_tuning/jobs/${encodeURIComponent(jobId)}`, undefined, options, parseJob);
  }

  /** Newest first. */
  listJobs(options: RequestOptions & { after?: string; limit?: number } = {}): Promise<ListResponse<FineTuningJob>> {
    const q = query({ after: options.after, limit: options.limit });
    return this.json('GET', `/v1/fine_tuning/jobs${q}`, undefined, options, (v) => parseList(v, parseJob));
  }

  /** Resolves once the trainer has stopped the job's processes. */
  cancelJob(jobId: string, options: RequestOptions = {}): Promise<FineTuningJob> {
    return this.json('POST', `/v1/fine_tuning/jobs/${encodeURIComponent(jobId)}/cancel`, undefined, options, parseJob);
  }

  /** Oldest first, after the event `after` (from the start when omitted). */
  listEvents(jobId: string, options: RequestOptions & { after?: string; limit?: number } = {}): Promise<ListResponse<JobEvent>> {
    const q = query({ after: options.after, limit: options.limit });
    return this.json('GET', `/v1/fine_tuning/jobs/${encodeURIComponent(jobId)}/events${q}`, undefined, options, (v) =>
      parseList(v, parseEvent),
    );
  }

  /**
   * Follows a job's events until it ends, calling `onEvent` once per event in order, across
   * reconnections. Resolves with the job as it ended.
   */
  async followJob(jobId: string, options: FollowOptions): Promise<FineTuningJob> {
    const stream = this.streamEvents(jobId, options);
    let finished = false;
    try {
      for (;;) {
        const next = await stream.next();
        if (next.done) {
          finished = true;
          return next.value;
        }
        options.onEvent(next.value);
      }
    } finally {
      // A throwing onEvent must not leave the connection open.
      if (!finished) await stream.return(undefined as never).catch(() => {});
    }
  }

  /**
   * The job's events as they happen (after `lastEventId`, or from the start). The generator
   * returns the final job when the trainer says the job ended. Breaking out of a `for await`
   * closes the connection.
   */
  async *streamEvents(jobId: string, options: StreamOptions = {}): AsyncGenerator<JobEvent, FineTuningJob, undefined> {
    const initialBackoff = options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    const maxBackoff = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    const maxFailures = options.maxConsecutiveFailures ?? 10;
    const idleTimeout = options.idleTimeoutMs ?? 45_000;
    const seen = new Set<string>();
    let lastEventId = options.lastEventId;
    let failures = 0;
    let serverRetryMs: number | undefined;
    const url = `${this.baseUrl}/v1/fine_tuning/jobs/${encodeURIComponent(jobId)}/events/stream`;

    for (;;) {
      throwIfAborted(options.signal);
      const connection = new AbortController();
      const onAbort = () => connection.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let idleTimer: NodeJS.Timeout | undefined;
      const armIdle = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => connection.abort(new Error(`no data from the trainer for ${idleTimeout} ms`)), idleTimeout);
      };
      let problem: Error;
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...this.authHeader() };
        if (lastEventId) headers['last-event-id'] = lastEventId;
        armIdle();
        let res: Response;
        try {
          res = await this.fetchImpl(url, { headers, signal: connection.signal });
        } catch (err) {
          throw this.networkError(err, options.signal, connection.signal);
        }
        if (!res.ok) {
          const error = await this.errorFrom(res);
          if (!RETRYABLE_STATUS.has(res.status)) throw error;
          throw new RetryableError(error);
        }
        if (!res.body) throw new TrainerError('the trainer sent an empty event stream', 'protocol');
        failures = 0;
        options.onOpen?.();
        const pending: EventSourceMessage[] = [];
        const parser = createParser({
          onEvent: (m) => pending.push(m),
          onRetry: (ms) => {
            serverRetryMs = ms;
          },
        });
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        try {
          for (;;) {
            let chunk: ReadableStreamReadResult<string>;
            try {
              chunk = await reader.read();
            } catch (err) {
              throw this.networkError(err, options.signal, connection.signal);
            }
            if (chunk.done) break;
            armIdle();
            parser.feed(chunk.value);
            for (const message of pending.splice(0)) {
              if (message.event === SSE_DONE_EVENT) return parseJob(parseJson(message.data), 'done');
              const event = parseEvent(parseJson(message.data), 'event');
              lastEventId = event.id;
              if (seen.has(event.id)) continue;
              seen.add(event.id);
              yield event;
            }
          }
        } finally {
          reader.cancel().catch(() => {});
        }
        problem = new Error('the event stream ended before the job did');
      } catch (err) {
        if (err instanceof RetryableError) {
          problem = err.cause;
          failures++;
        } else if (err instanceof TrainerError && err.kind === 'network') {
          problem = err;
          failures++;
        } else if (err instanceof ProtocolError) {
          throw new TrainerError(`the trainer sent an event this client does not understand: ${err.message}`, 'protocol');
        } else {
          throw err;
        }
      } finally {
        clearTimeout(idleTimer);
        options.signal?.removeEventListener('abort', onAbort);
        connection.abort();
      }
      if (failures > maxFailures) {
        throw new TrainerError(
          `lost the connection to the trainer at ${this.baseUrl} (${failures} attempts failed): ${problem.message}`,
          'network',
        );
      }
      const delayMs = backoffDelayMs(failures, Math.max(initialBackoff, serverRetryMs ?? 0), maxBackoff);
      options.onReconnect?.({ attempt: failures, delayMs, lastEventId, error: problem });
      await sleep(delayMs, options.signal);
    }
  }

  // -------------------------------------------------------------------------------------------

  private authHeader(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  private async json<T>(
    method: string,
    route: string,
    body: unknown,
    options: RequestOptions,
    parse: (v: unknown) => T,
  ): Promise<T> {
    const init: RequestInit = {};
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const res = await this.send(method, route, init, options.signal, true);
    return this.read(res, parse);
  }

  private async send(
    method: string,
    route: string,
    init: RequestInit & { duplex?: 'half' },
    signal: AbortSignal | undefined,
    timeout: boolean,
  ): Promise<Response> {
    throwIfAborted(signal);
    const signals = [signal, timeout ? AbortSignal.timeout(this.timeoutMs) : undefined].filter(
      (s): s is AbortSignal => s !== undefined,
    );
    const combined = signals.length ? AbortSignal.any(signals) : undefined;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${route}`, {
        ...init,
        method,
        headers: { accept: 'application/json', ...this.authHeader(), ...(init.headers as Record<string, string>) },
        signal: combined,
      });
    } catch (err) {
      throw this.networkError(err, signal, combined);
    }
    if (!res.ok) throw await this.errorFrom(res);
    return res;
  }

  private async read<T>(res: Response, parse: (v: unknown) => T): Promise<T> {
    const text = await res.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new TrainerError(
        `the server at ${this.baseUrl} did not answer with JSON: is it a Dialogue Curator trainer?`,
        'protocol',
        res.status,
      );
    }
    try {
      return parse(value);
    } catch (err) {
      if (err instanceof ProtocolError) {
        throw new TrainerError(`the trainer's answer does not follow the protocol: ${err.message}`, 'protocol', res.status);
      }
      throw err;
    }
  }

  private async errorFrom(res: Response): Promise<TrainerError> {
    let detail: { message: string; code: string | null } | undefined;
    try {
      detail = errorMessageOf(JSON.parse(await res.text()));
    } catch {
      detail = undefined;
    }
    const said = detail ? `: ${detail.message}` : '';
    const code = detail?.code ?? null;
    const where = `the trainer at ${this.baseUrl}`;
    switch (true) {
      case res.status === 401 || res.status === 403:
        return new TrainerError(
          this.token
            ? `${where} rejected the token (HTTP ${res.status}${said}). Check that it is the token the trainer server was started with.`
            : `${where} requires a token (HTTP ${res.status}${said}).`,
          'unauthorized',
          res.status,
          code,
        );
      case res.status === 404:
        return new TrainerError(`${where} has no such resource (HTTP 404${said})`, 'not_found', res.status, code);
      case res.status === 409:
        return new TrainerError(`${where} refused (HTTP 409${said})`, 'conflict', res.status, code);
      case res.status === 413:
        return new TrainerError(`${where} refused the upload as too large (HTTP 413${said})`, 'too_large', res.status, code);
      case res.status >= 500:
        return new TrainerError(`${where} failed (HTTP ${res.status}${said})`, 'server', res.status, code);
      default:
        return new TrainerError(`${where} refused the request (HTTP ${res.status}${said})`, 'bad_request', res.status, code);
    }
  }

  private networkError(err: unknown, user: AbortSignal | undefined, request: AbortSignal | undefined): TrainerError {
    if (user?.aborted) return abortedError();
    if (request?.aborted && request.reason instanceof DOMException && request.reason.name === 'TimeoutError') {
      return new TrainerError(`the trainer at ${this.baseUrl} did not answer within ${this.timeoutMs} ms`, 'network');
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason = request?.aborted && request.reason instanceof Error ? request.reason.message : undefined;
    const detail = reason ?? cause?.code ?? cause?.message ?? (err as Error).message;
    return new TrainerError(`cannot reach the trainer at ${this.baseUrl}: ${detail}`, 'network');
  }
}

/**
 * The wait before the next attempt after `failures` consecutive failed ones: `initialMs`, doubled
 * per failure up to `maxMs`, with ±20 % jitter so many clients do not return at once. 0 failures
 * (a connection that merely ended) waits `initialMs`.
 */
export function backoffDelayMs(failures: number, initialMs: number, maxMs: number): number {
  const exp = failures <= 0 ? initialMs : Math.min(maxMs, initialMs * 2 ** (failures - 1));
  return Math.round(exp * (0.8 + 0.4 * Math.random()));
}

/**
 * True when the trainer's answer will not change by asking again: a refused token (401/403), a
 * job it does not have (404), a request it rejects (other 4xx, except 408/425/429 which mean
 * "later"). Network trouble, timeouts, 5xx and garbled answers may pass: retry those.
 */
export function isDefinitiveError(err: unknown): err is TrainerError {
  if (!(err instanceof TrainerError) || err.status === undefined) return false;
  return err.status >= 400 && err.status < 500 && !RETRYABLE_STATUS.has(err.status);
}

class RetryableError extends Error {
  constructor(readonly cause: TrainerError) {
    super(cause.message);
  }
}

function abortedError(): TrainerError {
  return new TrainerError('cancelled', 'aborted');
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError('data', 'not JSON');
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
