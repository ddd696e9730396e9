/**
 * The reference trainer server: node:http(s), no framework. Routes (all under bearer auth but
 * `/health`):
 *
 *   POST /v1/files                               upload (multipart `file` + `purpose`, or a raw body)
 *   GET  /v1/files, /v1/files/{id}               ?purpose= (fine-tune uploads, fine-tune-results)
 *   GET  /v1/files/{id}/content                  the bytes, streamed; one Range resumes a download
 *   POST /v1/fine_tuning/jobs                    create a DPO job
 *   GET  /v1/fine_tuning/jobs, /v1/fine_tuning/jobs/{id}
 *   POST /v1/fine_tuning/jobs/{id}/cancel
 *   GET  /v1/fine_tuning/jobs/{id}/events        ?after=&limit= (oldest first)
 *   GET  /v1/fine_tuning/jobs/{id}/events/stream Server-Sent Events, resumable with Last-Event-ID
 */
import { EventEmitter, once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import {
  ErrorBody,
  FineTuningJob,
  isTerminalStatus,
  JobEvent,
  ListResponse,
  parseCreateJobRequest,
  ProtocolError,
  SSE_DONE_EVENT,
  TrainerFile,
} from '../core/trainer/protocol';
import { bearerToken, isLoopbackHost, tokensMatch } from './auth';
import { Backend } from './backends';
import { HttpError } from './httpError';
import { formatSize } from '../core/bytes';
import { JobManager } from './jobs';
import { boundaryOf, MultipartError, MultipartParser } from './multipart';
import { DataStore, newId } from './store';

export interface TrainerServerOptions {
  host: string;
  port: number;
  dataDir: string;
  backend: Backend;
  /** Required unless the host is loopback. */
  token?: string;
  tls?: { cert: string; key: string };
  maxUploadBytes?: number;
  maxConcurrentJobs?: number;
  /** Interval of SSE comment lines that keep proxies and the client watchdog happy. */
  heartbeatMs?: number;
  killGraceMs?: number;
  log?: (line: string) => void;
}

export interface TrainerServer {
  url: string;
  jobs: JobManager;
  close(): Promise<void>;
}

export class ServerConfigError extends Error {}

const VERSION = '1';
const MAX_JSON_BODY = 1024 * 1024;
export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;
/** Room for multipart headers and boundaries around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function startTrainerServer(options: TrainerServerOptions): Promise<TrainerServer> {
  if (!options.token && !isLoopbackHost(options.host)) {
    throw new ServerConfigError(
      `refusing to listen on ${options.host} without a token: set DIALOGUE_CURATOR_TOKEN or pass --token-file (only loopback addresses may go without one)`,
    );
  }
  const log = options.log ?? (() => {});
  const store = new DataStore(options.dataDir);
  const jobs = new JobManager({
    store,
    backend: options.backend,
    maxConcurrentJobs: options.maxConcurrentJobs,
    killGraceMs: options.killGraceMs,
    log,
  });
  jobs.recover();
  const ctx: Context = {
    store,
    jobs,
    options,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    heartbeatMs: options.heartbeatMs ?? 15000,
    streams: new Set(),
  };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res, ctx).catch((err) => sendError(req, res, err, log));
  };
  const server = options.tls
    ? https.createServer({ cert: fs.readFileSync(options.tls.cert), key: fs.readFileSync(options.tls.key) }, handler)
    : http.createServer(handler);
  // Large uploads may take longer than Node's default 5-minute request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    jobs,
    close: () =>
      (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await jobs.close();
        for (const end of ctx.streams) end();
        server.closeAllConnections();
        await closed;
      })()),
  };
}

interface Context {
  store: DataStore;
  jobs: JobManager;
  options: TrainerServerOptions;
  maxUploadBytes: number;
  heartbeatMs: number;
  /** Open SSE streams, ended on shutdown. */
  streams: Set<() => void>;
}

const JOB_PATH = /^\/v1\/fine_tuning\/jobs\/([^/]+)(\/cancel|\/events|\/events\/stream)?$/;
const FILE_PATH = /^\/v1\/files\/([^/]+)(\/content)?$/;

async function handle(req: http.IncomingMessage, res: http.ServerResponse, ctx: Context): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  if (route === '/health' && method === 'GET') {
    return sendJson(res, 200, { ok: true, backend: ctx.jobs.backendName, protocol: VERSION, max_upload_bytes: ctx.maxUploadBytes, model_required: ctx.jobs.modelRequired });
  }
  if (!route.startsWith('/v1/')) throw new HttpError(404, `No route ${method} ${route}`, 'not_found');
  authenticate(req, ctx);

  if (route === '/v1/files') {
    if (method === 'POST') return sendJson(res, 200, await receiveUpload(req, url, ctx));
    if (method === 'GET') {
      const purpose = url.searchParams.get('purpose');
      const files = ctx.store.listFiles().filter((f) => purpose === null || f.purpose === purpose);
      return sendJson(res, 200, listOf(files, false));
    }
    throw methodNotAllowed(method, route);
  }
  const fileMatch = FILE_PATH.exec(route);
  if (fileMatch) {
    if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, route);
    const file = ctx.store.getFile(decodeURIComponent(fileMatch[1]));
    if (!file) throw new HttpError(404, `No file with id ${JSON.stringify(fileMatch[1])}`, 'file_not_found');
    if (fileMatch[2]) return sendContent(req, res, ctx.store.contentPath(file), file);
    return sendJson(res, 200, file);
  }
  if (route === '/v1/fine_tuning/jobs') {
    if (method === 'POST') {
      const body = await readJson(req);
      let request;
      try {
        request = parseCreateJobRequest(body);
      } catch (err) {
        if (err instanceof ProtocolError) throw new HttpError(400, `Invalid job request: ${err.message}`, 'invalid_request', err.path || null);
        throw err;
      }
      return sendJson(res, 200, ctx.jobs.create(request));
    }
    if (method === 'GET') {
      const limit = limitOf(url, 20, 100);
      return sendJson(res, 200, ctx.jobs.list(url.searchParams.get('after') ?? undefined, limit));
    }
    throw methodNotAllowed(method, route);
  }
  const jobMatch = JOB_PATH.exec(route);
  if (jobMatch) {
    const id = decodeURIComponent(jobMatch[1]);
    switch (jobMatch[2]) {
      case undefined:
        if (method !== 'GET') throw methodNotAllowed(method, route);
        return sendJson(res, 200, ctx.jobs.get(id));
      case '/cancel':
        if (method !== 'POST') throw methodNotAllowed(method, route);
        return sendJson(res, 200, await ctx.jobs.cancel(id));
      case '/events': {
        if (method !== 'GET') throw methodNotAllowed(method, route);
        const limit = limitOf(url, 100, 1000);
        const after = ctx.jobs.eventsAfter(id, url.searchParams.get('after') ?? undefined);
        const list: ListResponse<JobEvent> = { object: 'list', data: after.slice(0, limit), has_more: after.length > limit };
        return sendJson(res, 200, list);
      }
      case '/events/stream':
        if (method !== 'GET') throw methodNotAllowed(method, route);
        return streamEvents(req, res, ctx, id, url);
    }
  }
  throw new HttpError(404, `No route ${method} ${route}`, 'not_found');
}

function authenticate(req: http.IncomingMessage, ctx: Context): void {
  const expected = ctx.options.token;
  if (!expected) return;
  const given = bearerToken(req.headers.authorization);
  if (given === undefined) {
    throw new HttpError(401, 'Missing bearer token: send "Authorization: Bearer <token>"', 'missing_token');
  }
  if (!tokensMatch(given, expected)) throw new HttpError(401, 'Invalid bearer token', 'invalid_token');
}

function methodNotAllowed(method: string, route: string): HttpError {
  return new HttpError(405, `Method ${method} is not allowed on ${route}`, 'method_not_allowed');
}

function limitOf(url: URL, fallback: number, max: number): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new HttpError(400, `"limit" must be an integer from 1 to ${max}`, 'invalid_limit', 'limit');
  }
  return n;
}

function listOf<T>(items: T[], hasMore: boolean): ListResponse<T> {
  return { object: 'list', data: items, has_more: hasMore };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(req: http.IncomingMessage, res: http.ServerResponse, err: unknown, log: (line: string) => void): void {
  const known = err instanceof HttpError;
  if (!known) log(`internal error on ${req.method} ${req.url}: ${(err as Error).stack ?? err}`);
  const status = known ? err.status : 500;
  const body: ErrorBody = {
    error: {
      message: known ? err.message : 'Internal server error',
      type: status >= 500 ? 'server_error' : 'invalid_request_error',
      code: known ? err.code : 'internal_error',
      param: known ? err.param : null,
    },
  };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8' };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="dialogue-curator"';
  // A request body we stopped reading (a too-large upload) cannot be followed by another request.
  const unread = !req.readableEnded;
  if (unread) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
  if (unread) {
    req.resume();
    setTimeout(() => req.destroy(), 1000).unref();
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'Send the job as JSON with "Content-Type: application/json"', 'unsupported_media_type');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  await consume(req, (chunk) => {
    size += chunk.length;
    if (size > MAX_JSON_BODY) throw new HttpError(413, `The JSON body is too large (${MAX_JSON_BODY / (1024 * 1024)} MB at most)`, 'body_too_large');
    chunks.push(chunk);
  });
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new HttpError(400, `The body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
}

/**
 * Feeds a request body to `onChunk`, pausing while it works. After a failure the rest of the body
 * is drained, not read (the error response is sent while the client may still be sending).
 */
function consume(req: http.IncomingMessage, onChunk: (chunk: Buffer) => void | Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    let ended = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      let result: void | Promise<void>;
      try {
        result = onChunk(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      if (result) {
        req.pause();
        result.then(() => req.resume(), fail);
      }
    });
    req.on('end', () => {
      ended = true;
      if (!failed) resolve();
    });
    req.on('error', fail);
    req.on('close', () => {
      if (!ended) fail(new HttpError(400, 'The request body ended early', 'body_incomplete'));
    });
  });
}

/**
 * Writes with back-pressure: a promise when the stream's buffer is full, resolved on 'drain'.
 * Each wait takes its listeners away again whichever event came (an 'error' listener left behind
 * at every wait piled up to MaxListenersExceededWarning during large uploads).
 */
export function writeWithBackpressure(stream: NodeJS.WritableStream, data: Buffer): Promise<void> | void {
  if (stream.write(data)) return undefined;
  // once() rejects on 'error' and removes both listeners either way.
  return once(stream as unknown as EventEmitter, 'drain').then(() => undefined);
}

/** Streams an upload to disk: multipart (`file` + `purpose` fields) or a raw body (`?filename=`). */
async function receiveUpload(req: http.IncomingMessage, url: URL, ctx: Context): Promise<TrainerFile> {
  const limit = ctx.maxUploadBytes;
  const tooLarge = () =>
    new HttpError(413, `The file is larger than this trainer accepts (${formatSize(limit)})`, 'file_too_large', 'file');
  const boundary = boundaryOf(req.headers['content-type']);
  if (/^multipart\//i.test(req.headers['content-type'] ?? '') && !boundary) {
    throw new HttpError(400, 'multipart upload without a boundary', 'invalid_multipart');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + (boundary ? MULTIPART_OVERHEAD : 0)) throw tooLarge();

  const id = newId('file');
  const out = fs.createWriteStream(ctx.store.partialUploadPath(id), { flags: 'wx', mode: 0o600 });
  let bytes = 0;
  let purpose = url.searchParams.get('purpose') ?? undefined;
  let filename = url.searchParams.get('filename') ?? undefined;
  const countAndWrite = (data: Buffer) => {
    bytes += data.length;
    if (bytes > limit) throw tooLarge();
    return writeWithBackpressure(out, data);
  };
  try {
    if (boundary) {
      const parser = new MultipartParser(boundary);
      let current: { name: string; file: boolean; text: string } | undefined;
      let sawFile = false;
      await consume(req, async (chunk) => {
        let events;
        try {
          events = parser.push(chunk);
        } catch (err) {
          if (err instanceof MultipartError) throw new HttpError(400, err.message, 'invalid_multipart');
          throw err;
        }
        for (const ev of events) {
          if (ev.type === 'part') {
            const isFile = ev.name === 'file';
            if (isFile && sawFile) throw new HttpError(400, 'Send one file per upload', 'invalid_multipart', 'file');
            sawFile ||= isFile;
            if (isFile) filename = ev.filename ?? filename;
            current = { name: ev.name, file: isFile, text: '' };
          } else if (ev.type === 'data' && current) {
            if (current.file) await countAndWrite(ev.data);
            else if ((current.text += ev.data.toString('utf8')).length > 4096) {
              throw new HttpError(400, `The form field "${current.name}" is too long`, 'invalid_multipart', current.name);
            }
          } else if (ev.type === 'partEnd' && current) {
            if (current.name === 'purpose') purpose = current.text;
            current = undefined;
          }
        }
      });
      try {
        parser.end();
      } catch (err) {
        throw new HttpError(400, (err as Error).message, 'invalid_multipart');
      }
      if (!sawFile) throw new HttpError(400, 'The upload has no "file" field', 'invalid_multipart', 'file');
    } else {
      await consume(req, countAndWrite);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (purpose !== undefined && purpose !== 'fine-tune') {
      throw new HttpError(400, `Unsupported purpose ${JSON.stringify(purpose)}: this trainer takes "fine-tune" files`, 'invalid_purpose', 'purpose');
    }
    if (bytes === 0) throw new HttpError(400, 'The uploaded file is empty', 'empty_file', 'file');
  } catch (err) {
    // The file is opened asynchronously: wait until the stream is closed, or an open still on its
    // way would create the partial file again after it was removed.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy());
    ctx.store.discardUpload(id);
    throw err;
  }
  const file: TrainerFile = {
    id,
    object: 'file',
    bytes,
    created_at: Math.floor(Date.now() / 1000),
    filename: safeName(filename ?? 'upload.jsonl'),
    purpose: 'fine-tune',
  };
  ctx.store.commitUpload(file);
  return file;
}

/** A file name is only shown, never used as a path; still, keep it short and printable. */
function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return clean || 'upload.jsonl';
}

/**
 * A file's bytes, streamed from disk (memory stays flat whatever its size). One byte range
 * (`Range: bytes=a-b`, `a-` or `-n`) resumes an interrupted download; `If-Range` with the ETag
 * makes sure the bytes resumed are those of the same file.
 */
async function sendContent(req: http.IncomingMessage, res: http.ServerResponse, file: string, meta: TrainerFile): Promise<void> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch {
    throw new HttpError(410, `The bytes of file ${meta.id} are no longer on the trainer`, 'file_gone');
  }
  const etag = `"${meta.id}-${size}"`;
  const headers: http.OutgoingHttpHeaders = {
    'content-type': meta.filename.endsWith('.jsonl') ? 'application/jsonl; charset=utf-8' : 'application/x-tar',
    'content-disposition': `attachment; filename="${meta.filename.replace(/[^\w.-]/g, '_')}"`,
    'accept-ranges': 'bytes',
    etag,
    'cache-control': 'no-store',
  };
  const rangeHeader = req.headers.range;
  const ifRange = req.headers['if-range'];
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (rangeHeader && (ifRange === undefined || ifRange === etag)) {
    const range = parseRange(rangeHeader, size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': 0 });
      res.end();
      return;
    }
    if (range) {
      [start, end] = range;
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${size}`;
    }
  }
  headers['content-length'] = Math.max(0, end - start + 1);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  await pipeline(fs.createReadStream(file, { start, end }), res).catch(() => res.destroy());
}

/** One range of a `Range: bytes=…` header; undefined to send the whole file (several ranges, other units). */
export function parseRange(header: string, size: number): [number, number] | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return [start, end];
}

/** SSE: replays the job's events after Last-Event-ID (or ?after=), follows it live, ends with `done`. */
function streamEvents(req: http.IncomingMessage, res: http.ServerResponse, ctx: Context, id: string, url: URL): void {
  const header = req.headers['last-event-id'];
  const lastEventId = (Array.isArray(header) ? header[0] : header) || url.searchParams.get('after') || undefined;
  // Check the job and the event id before committing to a 200 stream.
  ctx.jobs.eventsAfter(id, lastEventId);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and other proxies would otherwise buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  let open = true;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), ctx.heartbeatMs);
  const end = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    ctx.streams.delete(end);
    res.end();
  };
  ctx.streams.add(end);
  let unsubscribe: () => void = () => {};
  unsubscribe = ctx.jobs.follow(id, lastEventId, {
    onEvent: (event) => {
      if (open) res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    },
    onEnd: (job: FineTuningJob) => {
      // Without `done` (a server shutting down) the client reconnects and resumes later.
      if (open && isTerminalStatus(job.status)) res.write(`event: ${SSE_DONE_EVENT}\ndata: ${JSON.stringify(job)}\n\n`);
      end();
    },
  });
  if (!open) unsubscribe();
  res.on('close', end);
}
