import * as fs from 'fs';
import * as path from 'path';
import { Worker, WorkerOptions } from 'worker_threads';

/**
 * A worker entry point beside the module that starts it: `<name>.js` in dist/ once bundled (every
 * bundle sits there), the TypeScript source `<name>.ts` when run from src/ with tsx. `dir` is the
 * caller's `__dirname`. Undefined when neither is there.
 */
export function workerScript(name: string, dir: string): string | undefined {
  for (const file of [`${name}.js`, `${name}.ts`].map((f) => path.join(dir, f))) {
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Starts a worker on the bundled script, or on the TypeScript source (tests and `npm run` tools
 * run from src/ with tsx, whose loader a worker thread does not inherit: it is registered first).
 */
export function startWorker(script: string, options: WorkerOptions): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, options);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { ...options, eval: true });
}

/**
 * A check worker's resource limits (the CLI's check and the editor's first check): an 8 MB young
 * generation (V8 gives each isolate up to 32 MB of semi-spaces). Measured on a quiet machine,
 * interleaved: the CLI's check of the 100k-pair bench file peaks at 330 MB instead of 358 MB for
 * the same CPU time (within noise), and of a 1 GB file at 374 MB instead of 407 MB. (Together with
 * a tighter heap growth it cost 20-30% more CPU: see heap.ts; alone it does not.) The editor
 * model's peak is not during its first check, and did not move (1.5 GB for the bench file).
 */
export const CHECK_WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };
