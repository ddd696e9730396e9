import { parentPort, workerData } from 'worker_threads';
import { decodeLine } from '../core/byteLines';
import { recordRules } from '../core/curation';
import { CheckSettings, LineChecker, LineRecordChecker, RecordEntry } from '../core/engine';
import { Finding } from '../core/findings';
import { FormatId } from '../core/formats';
import { CheckWorkerData, FromCheckWorker, LineBatch, RecordBatch, ToCheckWorker } from './checkProtocol';

/**
 * A CLI check worker: checks batches of lines (decode, parse, schema, record rules) exactly as
 * the single-threaded StreamChecker does line by line, and hands back findings and the facts the
 * dataset rules need. The main thread reads the file, decides the format and runs the dataset
 * rules (see parallelCheck.ts).
 */
const port = parentPort;
if (!port) throw new Error('checkWorker must run in a worker thread');
const data = workerData as CheckWorkerData;
const settings: CheckSettings = { ...data.settings, recordRules: data.curation ? recordRules : [], datasetRules: [] };
const checkers = new Map<FormatId | undefined, LineChecker>();
const recordCheckers = new Map<FormatId | undefined, LineRecordChecker>();

function send(message: FromCheckWorker, transfer?: ArrayBuffer[]): void {
  port!.postMessage(message, transfer);
}

function checkBatch(batch: LineBatch): FromCheckWorker {
  let checker = checkers.get(batch.format);
  if (!checker) checkers.set(batch.format, (checker = new LineChecker(settings, batch.format)));
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
    send(checkBatch(message));
  } catch (err) {
    send({ type: 'error', seq: message.seq, message: (err as Error).stack ?? String(err) });
  }
});
