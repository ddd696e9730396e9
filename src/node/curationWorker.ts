import { datasetRules, recordRules } from '../core/curation';
import { DatasetModel } from '../core/engine';
import { Finding, LineSplice, shiftFindings, trimSplice } from '../core/findings';
import { curationListing, FindingsQuery, FromCurationWorker, PortableSettings, STRUCTURAL_CODES, ToCurationWorker } from './curationProtocol';
import { IdleCollector } from './heap';
import { firstChecksOnThreads } from './modelPool';

/**
 * Runs the full check (schema and every curation rule) of open documents in a process of its
 * own, away from the extension host. Each document is a DatasetModel kept in step by the edits the host sends, so
 * a check after an edit only redoes the lines that changed. Only the findings VS Code can list
 * go back to the host; the worker keeps them all (carried over later edits, as the host does
 * with its own) to answer the host's queries.
 */
interface Doc {
  model: DatasetModel;
  settings: PortableSettings;
  /** Whether the model has been checked since it was opened (its first check runs on threads). */
  checked: boolean;
  /** The curation findings of the last check, and the edits made since (applied when asked). */
  findings: Finding[];
  splices: LineSplice[];
}

const docs = new Map<string, Doc>();

// The host's end is the IPC channel of the process the extension starts (`startProcess`, see
// curationClient.ts). When the host goes away (the editor closed, its extension host crashed)
// nothing is left to do.
if (!process.send) throw new Error('curationWorker runs in a process started with an IPC channel (see startProcess)');
process.on('disconnect', () => process.exit(0));

function send(message: FromCurationWorker): void {
  process.send!(message);
}

/** The last check's findings as they sit in the document now. */
function current(d: Doc): Finding[] {
  for (const s of d.splices) d.findings = shiftFindings(d.findings, s);
  d.splices = [];
  return d.findings;
}

function answer(d: Doc, query: FindingsQuery): { findings: Finding[]; lines: number[] } {
  const findings = current(d).filter((f) => !STRUCTURAL_CODES.has(f.code));
  switch (query.kind) {
    case 'line':
      return { findings: findings.filter((f) => f.line === query.line), lines: [] };
    case 'code':
      return { findings: findings.filter((f) => f.code === query.code), lines: [] };
    case 'lines':
      return { findings: [], lines: [...new Set(findings.map((f) => f.line))].sort((a, b) => a - b) };
  }
}

/**
 * Messages are handled one after another, also while a first check waits for its threads: an
 * edit must not reach a model whose lines are being checked elsewhere.
 */
let queue: Promise<void> = Promise.resolve();
// The garbage of re-checks is collected in the pauses between edits (the process is started with `--expose-gc`).
const collector = new IdleCollector();
process.on('message', (message: ToCurationWorker) => {
  queue = queue
    .then(() => handle(message))
    .catch((err: Error) => console.error(`curation worker: ${err.stack ?? err.message}`))
    .then(() => collector.busy());
});

async function handle(message: ToCurationWorker): Promise<void> {
  switch (message.type) {
    case 'open': {
      const model = new DatasetModel({ ...message.settings, recordRules, datasetRules });
      model.setText(message.text);
      docs.set(message.doc, { model, settings: message.settings, checked: false, findings: [], splices: [] });
      break;
    }
    case 'append':
      docs.get(message.doc)?.model.appendText(message.text);
      break;
    case 'splice': {
      const d = docs.get(message.doc);
      if (!d) break;
      if (d.findings.length) {
        const old: string[] = [];
        for (let l = message.start; l < message.start + message.deleteCount; l++) old.push(d.model.lineText(l) ?? '');
        const s = trimSplice(message.start, old, message.lines);
        if (s.removed || s.added) d.splices.push(s);
      }
      d.model.splice(message.start, message.deleteCount, message.lines);
      break;
    }
    case 'check': {
      const d = docs.get(message.doc);
      if (!d) {
        send({ type: 'error', doc: message.doc, requestId: message.requestId, message: 'document is not open in the worker' });
        break;
      }
      const started = performance.now();
      try {
        if (!d.checked) {
          d.checked = true;
          // Whatever the threads did not check (all of it, if they failed), the summary checks here.
          await firstChecksOnThreads(d.model, d.settings).catch(() => false);
        }
        const summary = d.model.summary();
        // Recovered from (the summary was made in full), but a bug: the host logs this process's stderr.
        if (d.model.quickFailure) console.error(`A quick re-check failed and the document was checked in full: ${d.model.quickFailure.stack ?? d.model.quickFailure.message}`);
        const { listed, counts, total } = curationListing(summary.findings, d.model.findingCounts!);
        // Kept as they are (the structural ones too, left out of answers).
        d.findings = summary.findings;
        d.splices = [];
        send({ type: 'result', doc: message.doc, requestId: message.requestId, format: summary.format, records: summary.records, listed, counts, total, ms: performance.now() - started });
      } catch (err) {
        send({ type: 'error', doc: message.doc, requestId: message.requestId, message: (err as Error).stack ?? String(err) });
      }
      break;
    }
    case 'query': {
      const d = docs.get(message.doc);
      if (!d) {
        send({ type: 'error', doc: message.doc, requestId: message.requestId, message: 'document is not open in the worker' });
        break;
      }
      send({ type: 'answer', doc: message.doc, requestId: message.requestId, ...answer(d, message.query) });
      break;
    }
    case 'close':
      docs.delete(message.doc);
      break;
  }
}
