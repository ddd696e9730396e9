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
