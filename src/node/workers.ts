import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Worker, WorkerOptions } from 'worker_threads';
import { HEAP_GROWING_PERCENT } from './heap';

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

/**
 * Starts `script` in a process of its own (Node, or the editor's runtime run as Node) that talks
 * to this one over an IPC channel in V8's structured-clone format, as a worker thread's messages
 * do, with `execArgv` as its V8 and Node flags (the caller's own are not passed on: a debugging
 * flag of the extension host must not reach it) and `env` added to the caller's environment. The
 * TypeScript source is run through tsx (tests and `npm run` tools). Its standard output and error
 * are pipes for the caller to read.
 */
export function startProcess(script: string, execArgv: readonly string[], env: Readonly<Record<string, string>> = {}): ChildProcess {
  return fork(script, [], {
    serialization: 'advanced',
    execArgv: [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), ...execArgv],
    // Inside the editor `process.execPath` is its Electron binary: this makes it run as Node.
    env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
}

/**
 * The flags of the editor's curation process, which holds every open dataset's model. V8 lets a
 * heap grow to several times what was live at its last full collection when the machine has
 * memory to spare; a model of a 150 MB file is about 540 MB live, and its first check took the
 * process to 1.5 GB with V8's default growth, 1.0 GB with 50% (measured on the 100k-pair bench
 * file, the same CPU time within noise). Its young generation is kept small too (2 MB
 * semi-spaces instead of up to 16 MB): what the first check makes and drops is collected early
 * instead of piling up beside the model, whose peak went from 643-647 to 605-608 MB (two runs
 * each, the same CPU time within noise); an edit's re-check makes a few MB at most. The flag also
 * halves the first check's worker thread's young generation (4 MB instead of CHECK_WORKER_LIMITS'
 * 8; the first check measured no slower than the CLI's with it). A worker thread shares its
 * process's V8 flags, and the extension host's belong to every extension: hence a process of its
 * own. `--expose-gc` lets it collect its garbage in full when it is idle (see IdleCollector).
 */
export const CURATION_PROCESS_FLAGS: readonly string[] = [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`, '--max-semi-space-size=2', '--expose-gc'];

/**
 * The environment the curation process adds: at most two glibc malloc arenas. Its first check
 * runs on two threads, and glibc gives each thread arenas of its own that keep freed memory: the
 * bench's model of a 153 MB file peaked at 672-682 MB with two arenas against 720-724 MB without,
 * in three runs each, interleaved (other C libraries ignore the variable).
 */
export const CURATION_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
