import { ChildProcess } from 'child_process';
import { textChunks } from '../core/jsonl';
import { FindingsQuery, FromCurationWorker, PortableSettings, TEXT_PIECE, ToCurationWorker } from './curationProtocol';
import { CURATION_PROCESS_ENV, CURATION_PROCESS_FLAGS, startProcess } from './workers';

/** Where the client reports what goes wrong with the worker (the extension's log channel). */
export interface CurationLog {
  warn(message: string): void;
  error(message: string): void;
}

/** A full check's result: the findings the editor can list, and counts of all of them. */
export type CurationResult = Omit<Extract<FromCurationWorker, { type: 'result' }>, 'type' | 'doc' | 'requestId'>;

type Answer = Extract<FromCurationWorker, { type: 'answer' }>;

interface OpenDoc {
  text: () => string;
  settings: PortableSettings;
}

/**
 * The extension's side of the curation worker: it mirrors open documents and their edits
 * into the worker and returns full-check results as promises. If the worker dies it is started
 * again and every open document is sent anew, so a crash costs one check, not the feature.
 *
 * The worker is a process of its own (like a language server), not a thread of the extension
 * host: it holds a model of every open dataset, and only a process can be given the tighter heap
 * growth that keeps a large model's peak memory down (see CURATION_PROCESS_FLAGS).
 */
export class CurationClient {
  private worker: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: FromCurationWorker) => void; reject: (e: Error) => void }>();
  private readonly docs = new Map<string, OpenDoc>();
  private disposed = false;

  constructor(
    private readonly workerFile: string,
    private readonly log: CurationLog,
  ) {}

  /** The worker's process id, when it runs (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.worker?.pid;
  }

  private ensureWorker(): ChildProcess {
    if (this.worker) return this.worker;
    const worker = startProcess(this.workerFile, CURATION_PROCESS_FLAGS, CURATION_PROCESS_ENV);
    worker.on('message', (m: FromCurationWorker) => this.receive(m));
    worker.on('error', (err) => {
      this.log.error(`Curation worker failed: ${err.stack ?? err.message}`);
      // A process that could not start may never report an exit: what waits on it fails now.
      if (worker.pid === undefined) this.stopped(worker, err.message);
    });
    for (const stream of [worker.stdout, worker.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (text: string) => {
        for (const line of text.split('\n')) if (line.trim()) this.log.warn(`Curation worker: ${line}`);
      });
    }
    worker.on('exit', (code, signal) => this.stopped(worker, signal ? `signal ${signal}` : `exit ${code}`));
    this.worker = worker;
    // A new worker knows nothing: give it every open document as it is now.
    for (const [doc, d] of this.docs) this.sendDocument(doc, d);
    return worker;
  }

  /** The worker is gone: requests waiting on it fail, and the next message starts another. */
  private stopped(worker: ChildProcess, how: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error(`the curation worker stopped (${how})`));
    this.pending.clear();
    if (!this.disposed) this.log.warn(`Curation worker stopped (${how}); it restarts with the next check`);
  }

  private post(message: ToCurationWorker): void {
    const worker = this.ensureWorker();
    // A process that has just died answers with an error event (handled above) and an exit.
    if (worker.connected) worker.send(message);
  }

  private receive(m: FromCurationWorker): void {
    const p = this.pending.get(m.requestId);
    if (!p) return;
    this.pending.delete(m.requestId);
    if (m.type === 'error') p.reject(new Error(m.message));
    else p.resolve(m);
  }

  open(doc: string, text: () => string, settings: PortableSettings): void {
    const d = { text, settings };
    this.docs.set(doc, d);
    if (this.worker) this.sendDocument(doc, d);
    else this.ensureWorker(); // sends the open itself
  }

  /** A document's text as it is now, in pieces (a large one would take its whole serialized copy at once on both sides). */
  private sendDocument(doc: string, d: OpenDoc): void {
    let first = true;
    for (const text of textChunks(d.text(), TEXT_PIECE)) {
      this.post(first ? { type: 'open', doc, text, settings: d.settings } : { type: 'append', doc, text });
      first = false;
    }
  }

  splice(doc: string, start: number, deleteCount: number, lines: string[]): void {
    if (this.docs.has(doc) && this.worker) this.post({ type: 'splice', doc, start, deleteCount, lines });
  }

  async check(doc: string): Promise<CurationResult> {
    const m = await this.request(doc, (requestId) => ({ type: 'check', doc, requestId }));
    if (m.type !== 'result') throw new Error(`the curation worker answered a check with '${m.type}'`);
    return { format: m.format, records: m.records, listed: m.listed, counts: m.counts, total: m.total, ms: m.ms };
  }

  /** Asks for the findings the worker keeps from the last check, carried over the edits since. */
  async query(doc: string, query: FindingsQuery): Promise<Pick<Answer, 'findings' | 'lines'>> {
    const m = await this.request(doc, (requestId) => ({ type: 'query', doc, requestId, query }));
    if (m.type !== 'answer') throw new Error(`the curation worker answered a query with '${m.type}'`);
    return { findings: m.findings, lines: m.lines };
  }

  private request(doc: string, message: (requestId: number) => ToCurationWorker): Promise<FromCurationWorker> {
    if (!this.docs.has(doc)) return Promise.reject(new Error('document is not open'));
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.post(message(requestId));
    });
  }

  close(doc: string): void {
    if (!this.docs.delete(doc)) return;
    if (this.worker) this.post({ type: 'close', doc });
  }

  dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error('Dialogue Curator is shutting down'));
    this.pending.clear();
    worker?.kill();
  }
}
