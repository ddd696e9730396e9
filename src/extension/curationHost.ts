import * as path from 'path';
import * as vscode from 'vscode';
import { Worker } from 'worker_threads';
import { FindingsQuery, FromCurationWorker, PortableSettings, ToCurationWorker } from '../node/curationProtocol';
import { Logger } from './logger';

/** A full check's result: the findings VS Code can list, and counts of all of them. */
export type CurationResult = Omit<Extract<FromCurationWorker, { type: 'result' }>, 'type' | 'doc' | 'requestId'>;

type Answer = Extract<FromCurationWorker, { type: 'answer' }>;

interface OpenDoc {
  text: () => string;
  settings: PortableSettings;
}

/**
 * The extension host's side of the curation worker: it mirrors open documents and their edits
 * into the worker and returns full-check results as promises. If the worker dies it is started
 * again and every open document is sent anew, so a crash costs one check, not the feature.
 */
export class CurationHost implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: FromCurationWorker) => void; reject: (e: Error) => void }>();
  private readonly docs = new Map<string, OpenDoc>();
  private disposed = false;

  constructor(
    private readonly workerFile: string,
    private readonly log: Logger,
  ) {}

  static forExtension(context: vscode.ExtensionContext, log: Logger): CurationHost {
    return new CurationHost(path.join(context.extensionPath, 'dist', 'curationWorker.js'), log);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile);
    worker.on('message', (m: FromCurationWorker) => this.receive(m));
    worker.on('error', (err) => this.log.error(`Curation worker failed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`the curation worker stopped (exit ${code})`));
      this.pending.clear();
      if (!this.disposed) {
        this.log.warn(`Curation worker exited (${code}); it restarts with the next check`);
      }
    });
    this.worker = worker;
    // A new worker knows nothing: give it every open document as it is now.
    for (const [doc, d] of this.docs) this.post({ type: 'open', doc, text: d.text(), settings: d.settings });
    return worker;
  }

  private post(message: ToCurationWorker): void {
    this.ensureWorker().postMessage(message);
  }

  private receive(m: FromCurationWorker): void {
    const p = this.pending.get(m.requestId);
    if (!p) return;
    this.pending.delete(m.requestId);
    if (m.type === 'error') p.reject(new Error(m.message));
    else p.resolve(m);
  }

  open(doc: string, text: () => string, settings: PortableSettings): void {
    this.docs.set(doc, { text, settings });
    if (this.worker) this.post({ type: 'open', doc, text: text(), settings });
    else this.ensureWorker(); // sends the open itself
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
    void worker?.terminate();
  }
}
