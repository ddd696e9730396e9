import { startWorker, workerScript } from '../node/workers';
import { FromPrepareWorker, PrepareWorkerData } from './prepareProtocol';

/** A job's preparation running on its worker thread. */
export interface Preparation {
  /**
   * The worker's answer, once its thread has ended; undefined when it was stopped. Rejects when
   * the thread ended without an answer (a crash, running out of memory): the server goes on.
   */
  readonly result: Promise<FromPrepareWorker | undefined>;
  /** Ends the worker; resolves once its thread has stopped. */
  stop(): Promise<void>;
}

/**
 * Starts a job's preparation (prepareWorker.ts) on a worker thread of its own, so the server's
 * event loop answers requests while a big upload is checked and converted. `heapMb` caps the
 * worker's heap (default: Node's); reaching it ends the worker, not the server.
 */
export function startPreparation(data: PrepareWorkerData, heapMb?: number): Preparation {
  const script = workerScript('prepareWorker', __dirname);
  if (!script) throw new Error(`the preparation worker (prepareWorker.js) is missing beside ${__dirname}`);
  const worker = startWorker(script, { workerData: data, resourceLimits: heapMb ? { maxOldGenerationSizeMb: heapMb } : undefined });
  let stopped = false;
  const result = new Promise<FromPrepareWorker | undefined>((resolve, reject) => {
    let answer: FromPrepareWorker | undefined;
    let failure: Error | undefined;
    worker.on('message', (m: FromPrepareWorker) => (answer = m));
    worker.on('error', (err) => (failure ??= err));
    worker.on('messageerror', (err) => (failure ??= err));
    worker.on('exit', (code) => {
      if (stopped) resolve(undefined);
      else if (answer) resolve(answer);
      else reject(failure ?? new Error(`the worker thread ended with exit code ${code} and no answer`));
    });
  });
  return {
    result,
    stop: async () => {
      stopped = true;
      await worker.terminate();
    },
  };
}
