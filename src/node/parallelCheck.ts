import * as fs from 'fs';
import * as os from 'os';
import { Worker } from 'worker_threads';
import { DEFAULT_CONFIG } from '../core/config';
import { ByteLineSplitter, decodeLine } from '../core/byteLines';
import { recordRules as curationRules } from '../core/curation';
import { CheckSettings, LineChecker, RecordEntry, RecordRule, StreamedDataset, StreamFormatDecision } from '../core/engine';
import { Finding } from '../core/findings';
import { FormatId } from '../core/formats';
import { parseLine } from '../core/jsonl';
import { CheckWorkerData, FromCheckWorker, LineBatch } from './checkProtocol';
import { fileChunks } from './fileChunks';
import { fileChunksOf } from './fileLines';
import { FindingSink } from './findingStore';
import { CHECK_WORKER_LIMITS, startWorker, workerScript } from './workers';

export interface ThreadOptions {
  /**
   * Threads to check with, the calling thread among them (it checks what the workers have no
   * room for); 0 or 1 checks in the calling thread alone. Default: one per core (at most 8), for
   * files with curation rules of at least `minBytes`.
   */
  threads?: number;
  /** Smaller files are checked in the calling thread: starting workers would cost more. Default 16 MB. */
  minBytes?: number;
  /** Target size of a batch of lines sent to a worker. Default 1 MB. */
  batchBytes?: number;
  /** At most this many lines per batch. Default 2048. */
  batchLines?: number;
  /** Batches in flight per worker; while each worker has this many, the calling thread checks the next batch itself. Default 2. */
  batchesPerWorker?: number;
}

export interface FileResult {
  format: CheckSettings['format'];
  records: number;
  findings: Finding[];
}

/** How a file was checked, its findings having gone to a FindingSink. */
export type CheckedFile = Omit<FileResult, 'findings'>;

// Below about 16 MB the two workers' start-up (each loads the bundle and the encoding tables, about a
// second of CPU on a small machine) costs more than sharing the work saves.
const DEFAULT_MIN_BYTES = 16 * 1024 * 1024;

/**
 * Whether a worker can run these settings' record rules: workers take them from the registry by
 * name, so only "the curation rules" (true) or "none" (false) can cross; other rule lists
 * (undefined) stay in the calling thread.
 */
export function portableRules(settings: CheckSettings): boolean | undefined {
  const rules = settings.recordRules;
  if (!rules?.length) return false;
  if (rules === curationRules || (rules.length === curationRules.length && rules.every((r, i) => r === curationRules[i]))) return true;
  return undefined;
}

/** How a file would be checked in parallel, or undefined to check it in the calling thread. */
export function parallelPlan(file: string, settings: CheckSettings, options: ThreadOptions = {}): { script: string; threads: number; curation: boolean } | undefined {
  const threads = options.threads ?? Math.min(8, os.availableParallelism?.() ?? os.cpus().length);
  if (threads < 2) return undefined;
  const curation = portableRules(settings);
  // Schema-only checks are bound by reading and parsing: threads only when asked for.
  if (curation === undefined || (!curation && options.threads === undefined)) return undefined;
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return undefined; // the calling thread reports the I/O problem
  }
  if (size < (options.minBytes ?? DEFAULT_MIN_BYTES)) return undefined;
  const script = workerScript('checkWorker', __dirname);
  return script ? { script, threads, curation } : undefined;
}

/** Collects consecutive lines' bytes into one buffer, to send as a batch. */
class BatchBuilder {
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private ends: number[] = [];
  firstLine = 0;

  get lines(): number {
    return this.ends.length;
  }

  get size(): number {
    return this.length;
  }

  add(line: Uint8Array): void {
    if (this.length + line.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + line.length));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(line, this.length);
    this.length += line.length;
    this.ends.push(this.length);
  }

  /** The batch so far (its own copy of the bytes); the builder starts the next one. */
  take(seq: number, format: LineBatch['format']): LineBatch {
    const batch: LineBatch = { type: 'batch', seq, firstLine: this.firstLine, format, bytes: this.bytes.slice(0, this.length), ends: Int32Array.from(this.ends) };
    this.firstLine += this.ends.length;
    this.length = 0;
    this.ends = [];
    return batch;
  }
}

type BatchResult = Extract<FromCheckWorker, { type: 'result' }>;

/**
 * Checks line batches as a check worker does (decode, parse, schema, record rules): used by the
 * workers and by the calling thread, so a batch gives the same result wherever it is checked.
 */
export class BatchChecker {
  private checkers = new Map<FormatId | undefined, LineChecker>();

  constructor(private settings: CheckSettings) {}

  check(batch: LineBatch): BatchResult {
    let checker = this.checkers.get(batch.format);
    if (!checker) this.checkers.set(batch.format, (checker = new LineChecker(this.settings, batch.format)));
    const findings: Finding[] = [];
    const entries: RecordEntry[] = [];
    let records = 0;
    let start = 0;
    for (let i = 0; i < batch.ends.length; i++) {
      const end = batch.ends[i];
      const { text, finding } = decodeLine(batch.bytes.subarray(start, end));
      start = end;
      const line = batch.firstLine + i;
      const checked = checker.check(line, text, finding);
      if (checked.record) records++;
      for (const f of checked.findings) findings.push(f);
      if (checked.facts) entries.push({ line, facts: checked.facts });
    }
    return { type: 'result', seq: batch.seq, findings, records, entries };
  }
}

/** The settings a check worker runs with (see checkWorker.ts): record rules only. */
export function workerSettings(data: CheckWorkerData, curation: RecordRule[]): CheckSettings {
  return { ...data.settings, recordRules: data.curation ? curation : [], datasetRules: [] };
}

/** Lets the event loop run (workers' answers are handled) before the calling thread checks on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Worker threads that check batches, beside the calling thread: a batch goes to a worker with
 * room (fewer than `perWorker` batches in flight), else the calling thread checks it itself, so
 * reading a huge file keeps pace with the checks instead of queueing it all in memory. The calling
 * thread counts as one of the threads: on two cores, one worker (one copy of the tokenizer and the
 * tone lexicons fewer than a worker per core, and no thread idling while it waits). Results are
 * handed on in batch order whatever order the threads finish in.
 */
class WorkerPool {
  private workers: { worker: Worker; inFlight: number }[] = [];
  private done = new Map<number, BatchResult>();
  private nextSeq = 0;
  private submitted = 0;
  private failure: Error | undefined;
  private waiters: { resolve: () => void; reject: (e: Error) => void; until: () => boolean }[] = [];
  private closing = false;

  constructor(
    script: string,
    workers: number,
    data: CheckWorkerData,
    private perWorker: number,
    private local: BatchChecker,
    private onResult: (result: BatchResult) => void,
  ) {
    for (let i = 0; i < workers; i++) {
      const worker = startWorker(script, { workerData: data, resourceLimits: CHECK_WORKER_LIMITS });
      const slot = { worker, inFlight: 0 };
      worker.on('message', (m: FromCheckWorker) => {
        slot.inFlight--;
        if (m.type === 'result') this.deliver(m);
        else this.fail(new Error(m.type === 'error' ? `a check worker failed: ${m.message}` : `a check worker answered '${m.type}'`));
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (slot.inFlight > 0 || (code !== 0 && !this.closing)) this.fail(new Error(`a check worker stopped (exit code ${code})`));
      });
      this.workers.push(slot);
    }
  }

  /** Sends a batch to the least busy worker if it has room, or checks it in this thread. */
  async submit(batch: LineBatch): Promise<void> {
    if (this.failure) throw this.failure;
    this.submitted++;
    const slot = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    if (slot.inFlight < this.perWorker) {
      slot.inFlight++;
      slot.worker.postMessage(batch, [batch.bytes.buffer as ArrayBuffer, batch.ends.buffer as ArrayBuffer]);
      return;
    }
    this.deliver(this.local.check(batch));
    await nextTurn();
    if (this.failure) throw this.failure;
  }

  /** Waits until every submitted batch has been handed on. */
  finish(): Promise<void> {
    return this.wait(() => this.nextSeq === this.submitted);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private deliver(result: BatchResult): void {
    this.done.set(result.seq, result);
    try {
      for (let r = this.done.get(this.nextSeq); r; r = this.done.get(this.nextSeq)) {
        this.done.delete(this.nextSeq);
        this.nextSeq++;
        this.onResult(r);
      }
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    this.wake();
  }

  private fail(err: Error): void {
    if (this.closing) return;
    this.failure ??= err;
    this.wake();
  }

  private wait(until: () => boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (until()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject, until }));
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (this.failure) w.reject(this.failure);
      else if (w.until()) w.resolve();
      else this.waiters.push(w);
    }
  }
}

/**
 * Checks a file with worker threads beside the calling thread, its findings going to `sink`. The
 * findings are exactly those of the single-threaded StreamChecker, in the same order once sorted:
 * the format is decided here from the first records as it decides it, workers and this thread run
 * the same LineChecker on batches of lines, and the dataset rules run here over the facts taken in
 * line order. Memory stays bounded: reading pauses while this thread checks a batch, which it
 * does whenever every worker has `batchesPerWorker` batches in flight.
 */
export async function checkFileParallel(
  file: string,
  settings: CheckSettings,
  plan: { script: string; threads: number; curation: boolean },
  sink: FindingSink,
  signal?: AbortSignal,
  options: ThreadOptions = {},
): Promise<CheckedFile> {
  const config = settings.config ?? DEFAULT_CONFIG;
  const batchBytes = options.batchBytes ?? 1 << 20;
  const batchLines = options.batchLines ?? 2048;
  let records = 0;
  let dataset: StreamedDataset | undefined;
  const decision = new StreamFormatDecision(settings.format);

  const data: CheckWorkerData = { settings: { config, customSchema: settings.customSchema }, curation: plan.curation };
  const local = new BatchChecker(workerSettings(data, settings.recordRules ?? []));
  const pool = new WorkerPool(plan.script, plan.threads - 1, data, options.batchesPerWorker ?? 2, local, (r) => {
    records += r.records;
    for (const f of r.findings) sink.push(f);
    if (dataset) for (const e of r.entries) dataset.add(e.line, e.facts);
  });

  const builder = new BatchBuilder();
  /** Batches waiting for the format (held until it is decided) or for room in the pool. */
  let ready: LineBatch[] = [];
  let seq = 0;
  const onLine = (bytes: Uint8Array) => {
    if (!decision.decided) {
      const text = decodeLine(bytes).text;
      decision.push(text, parseLine(text));
    }
    builder.add(bytes);
    if (builder.size >= batchBytes || builder.lines >= batchLines) ready.push(builder.take(seq++, decision.format));
  };
  const dispatch = async () => {
    if (!decision.decided) return;
    if (!dataset && settings.datasetRules?.length) dataset = new StreamedDataset(settings.datasetRules, { config, format: decision.format }, fileChunks);
    const batches = ready;
    ready = [];
    for (const b of batches) {
      // Batches cut before the format was known are stamped with it now.
      b.format = decision.format;
      await pool.submit(b);
    }
  };
  try {
    const splitter = new ByteLineSplitter();
    for await (const chunk of fileChunksOf(file, signal)) {
      splitter.push(chunk, onLine);
      await dispatch();
    }
    splitter.end(onLine);
    decision.decide();
    if (builder.lines) ready.push(builder.take(seq++, decision.format));
    await dispatch();
    await pool.finish();
  } catch (err) {
    dataset?.dispose();
    throw err;
  } finally {
    await pool.close();
  }
  if (settings.datasetRules?.length) {
    dataset ??= new StreamedDataset(settings.datasetRules, { config, format: decision.format }, fileChunks);
    // Record findings that the dataset findings fold away are dropped before those come.
    dataset.emit(
      (f) => sink.push(f),
      (folded) => folded && sink.drop(folded),
    );
  }
  return { format: decision.format, records };
}
