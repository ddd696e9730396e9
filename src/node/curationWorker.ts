import { parentPort } from 'worker_threads';
import { datasetRules, recordRules } from '../core/curation';
import { DatasetModel } from '../core/engine';
import { FromCurationWorker, ToCurationWorker } from './curationProtocol';

/**
 * Runs the full check (schema and every curation rule) of open documents off the extension
 * host's main loop. Each document is a DatasetModel kept in step by the edits the host sends, so
 * a check after an edit only redoes the lines that changed.
 */
const models = new Map<string, DatasetModel>();
const port = parentPort;
if (!port) throw new Error('curationWorker must run in a worker thread');

function send(message: FromCurationWorker): void {
  port!.postMessage(message);
}

port.on('message', (message: ToCurationWorker) => {
  switch (message.type) {
    case 'open': {
      const model = new DatasetModel({ ...message.settings, recordRules, datasetRules });
      model.setText(message.text);
      models.set(message.doc, model);
      break;
    }
    case 'splice':
      models.get(message.doc)?.splice(message.start, message.deleteCount, message.lines);
      break;
    case 'check': {
      const model = models.get(message.doc);
      if (!model) {
        send({ type: 'error', doc: message.doc, requestId: message.requestId, message: 'document is not open in the worker' });
        break;
      }
      const started = performance.now();
      try {
        const summary = model.summary();
        send({ type: 'result', doc: message.doc, requestId: message.requestId, format: summary.format, records: summary.records, findings: summary.findings, ms: performance.now() - started });
      } catch (err) {
        send({ type: 'error', doc: message.doc, requestId: message.requestId, message: (err as Error).stack ?? String(err) });
      }
      break;
    }
    case 'close':
      models.delete(message.doc);
      break;
  }
});
