import * as os from 'os';
import { DatasetModel, LineRecordCheck } from '../core/engine';
import { FromCheckWorker, RecordBatch } from './checkProtocol';
import { PortableSettings } from './curationProtocol';
import { CHECK_WORKER_LIMITS, startWorker, workerScript } from './workers';

/** Below this many lines one thread is quicker than starting others. */
export const MIN_PARALLEL_LINES = 5000;
/** Lines per batch: large enough that a batch's round trip is small beside its checks. */
const BATCH_LINES = 2000;
/** Lines the calling thread checks between two looks at the workers' answers (a few tens of ms). */
const LOCAL_BATCH_LINES = 200;

/**
 * How many lines a worker takes next, `left` lines being unchecked: `most` while many are left,
 * then smaller batches as the end nears (a share of what is left per thread), so that the threads
 * finish together instead of the calling thread waiting out a last whole batch (about a second
 * at 2,000 lines).
 */
export function workerBatch(left: number, threads: number, most: number): number {
  return Math.max(1, Math.min(most, Math.max(LOCAL_BATCH_LINES, Math.ceil(left / (2 * threads)))));
}

/**
 * The first full check of an editor model on every core, as the CLI checks a file: worker threads
 * (one per core but one) run the record checks (schema, tone, pairs, tokens) of batches of lines
 * and the model adopts the results, while the calling thread checks batches of its own between
 * their answers (one copy of the tokenizer and lexicons fewer than a worker per core), and counts
 * the checked records into the dataset rules in line order as they come (countChecked); the
 * model's summary then finds the results. Same findings as the model checking every line
 * itself. Returns false (and checks nothing) when no worker script is at hand or the model is
 * small; the caller's summary then does all the work.
 */
export async function firstChecksOnThreads(model: DatasetModel, settings: PortableSettings, options: { threads?: number; dir?: string; minLines?: number; batchLines?: number } = {}): Promise<boolean> {
  const threads = options.threads ?? Math.min(8, os.availableParallelism?.() ?? os.cpus().length);
  const script = workerScript('checkWorker', options.dir ?? __dirname);
  if (!script || threads < 2 || model.lineCount < (options.minLines ?? MIN_PARALLEL_LINES)) return false;
  const format = model.decideFormat();
  const workers = Array.from({ length: threads - 1 }, () => startWorker(script, { workerData: { settings: { config: settings.config, customSchema: settings.customSchema }, curation: true }, resourceLimits: CHECK_WORKER_LIMITS }));
  try {
    let next = 0;
    const total = model.lineCount;
    const here = async () => {
      while (next < total) {
        const from = next;
        next = Math.min(total, from + Math.min(LOCAL_BATCH_LINES, options.batchLines ?? LOCAL_BATCH_LINES));
        model.checkRange(from, next);
        model.countChecked();
        // Lets the workers' answers in, so they get their next batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([
      ...workers.map(async (worker) => {
        while (next < total) {
          const from = next;
          next = Math.min(total, from + workerBatch(total - from, threads, options.batchLines ?? BATCH_LINES));
          const checks = await checkBatch(worker, { type: 'records', seq: from, format, texts: model.lineTexts(from, next) });
          model.adoptChecks(from, checks, format);
          model.countChecked();
        }
      }),
      here(),
    ]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return true;
}

function checkBatch(worker: import('worker_threads').Worker, batch: RecordBatch): Promise<LineRecordCheck[]> {
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: FromCheckWorker) => {
      done();
      if (m.type === 'records' && m.seq === batch.seq) resolve(m.checks);
      else reject(new Error(m.type === 'error' ? `a check worker failed: ${m.message}` : `a check worker answered '${m.type}'`));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`a check worker stopped (exit code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(batch);
  });
}
