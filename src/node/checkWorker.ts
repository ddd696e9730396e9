import { parentPort, workerData } from 'worker_threads';
import { recordRules } from '../core/curation';
import { LineRecordChecker } from '../core/engine';
import { FormatId } from '../core/formats';
import { CheckWorkerData, FromCheckWorker, RecordBatch, ToCheckWorker } from './checkProtocol';
import { BatchChecker, workerSettings } from './parallelCheck';

/**
 * A CLI check worker: checks batches of lines (decode, parse, schema, record rules) exactly as
 * the single-threaded StreamChecker does line by line, and hands back findings and the facts the
 * dataset rules need. The main thread reads the file, decides the format, checks the batches no
 * worker has room for (with the same BatchChecker) and runs the dataset rules (see parallelCheck.ts).
 */
const port = parentPort;
if (!port) throw new Error('checkWorker must run in a worker thread');
const data = workerData as CheckWorkerData;
const settings = workerSettings(data, recordRules);
const batches = new BatchChecker(settings);
const recordCheckers = new Map<FormatId | undefined, LineRecordChecker>();

function send(message: FromCheckWorker, transfer?: ArrayBuffer[]): void {
  port!.postMessage(message, transfer);
}

function checkRecords(batch: RecordBatch): FromCheckWorker {
  let checker = recordCheckers.get(batch.format);
  if (!checker) recordCheckers.set(batch.format, (checker = new LineRecordChecker(settings, batch.format)));
  return { type: 'records', seq: batch.seq, checks: batch.texts.map((text) => checker.check(text)) };
}

port.on('message', (message: ToCheckWorker) => {
  if (message?.type === 'records' && Array.isArray(message.texts)) {
    try {
      send(checkRecords(message));
    } catch (err) {
      send({ type: 'error', seq: message.seq, message: (err as Error).stack ?? String(err) });
    }
    return;
  }
  if (message?.type !== 'batch' || !(message.bytes instanceof Uint8Array) || !(message.ends instanceof Int32Array)) {
    send({ type: 'error', seq: typeof message?.seq === 'number' ? message.seq : -1, message: 'checkWorker: not a line batch' });
    return;
  }
  try {
    send(batches.check(message));
  } catch (err) {
    send({ type: 'error', seq: message.seq, message: (err as Error).stack ?? String(err) });
  }
});
