import * as fs from 'fs';
import { parentPort, workerData } from 'worker_threads';
import { ValidationOverlap } from '../core/trainer/normalize';
import { PreparedFile, prepareFile } from '../node/prepareFile';
import { datasetLine } from './backends';
import { FromPrepareWorker, PrepareWorkerData } from './prepareProtocol';

/**
 * A job's preparation on a worker thread (see preparation.ts): checks its uploads streamed, writes
 * the backend's dataset files, and counts how much the validation set overlaps the training set.
 * It posts one answer and ends.
 */
const port = parentPort;
if (!port) throw new Error('prepareWorker must run in a worker thread');
const data = workerData as PrepareWorkerData;

async function prepare(): Promise<FromPrepareWorker> {
  // Every file is opened first, so an unreadable one is reported before any is checked.
  for (const [index, f] of data.files.entries()) {
    try {
      await (await fs.promises.open(f.input, 'r')).close();
    } catch (err) {
      return { type: 'unreadable', index, message: (err as Error).message };
    }
  }
  // The training pairs' hashes are taken as they are written, then each validation pair is looked up.
  const overlap = data.overlap ? new ValidationOverlap() : undefined;
  const files: PreparedFile[] = [];
  for (const [index, f] of data.files.entries()) {
    // The same upload named twice (training and validation file): checked once, its output copied.
    const same = data.files.findIndex((g) => g.input === f.input);
    if (same < index) {
      if (files[same].errorCount === 0) await fs.promises.copyFile(data.files[same].output, f.output);
      files.push(files[same]);
      continue;
    }
    const onPair = overlap && (index === 0 ? overlap.addTraining.bind(overlap) : overlap.addValidation.bind(overlap));
    files.push(await prepareFile(f.input, { output: f.output, line: (pair) => datasetLine(data.layout, pair), onPair, keepErrors: data.keepErrors }));
  }
  // A job with a bad file trains on nothing: no dataset file is left for it.
  if (files.some((f) => f.errorCount > 0)) await Promise.all(data.files.map((f) => fs.promises.rm(f.output, { force: true })));
  return { type: 'prepared', files, overlap: overlap?.counts };
}

prepare().then(
  (answer) => port.postMessage(answer),
  (err: Error) => port.postMessage({ type: 'failed', message: err.message } satisfies FromPrepareWorker),
);
