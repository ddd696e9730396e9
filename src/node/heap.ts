import * as v8 from 'v8';

/**
 * How far V8 lets the JavaScript heap grow past what was live after a full collection: 50%.
 * V8's default on a machine with gigabytes of memory is up to 4×. A thread that checks records
 * held about 125 MB live (mostly the tone lexicons' trie, now a flat store of 14 MB, and the
 * tokenizer), and the CLI runs two or more such threads. 25% was tried: on a 250k-pair check run side by side it took the peak
 * from 581 to 520 MB for 8% more CPU time, but on the 100k-pair bench, measured interleaved on a
 * quiet machine with the 8 MB worker young generation it came with, the full check took 20-30%
 * more CPU and wall time (the full check / floor goal is 1.5x): kept at 50%.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Makes this process (and the worker threads it starts afterwards) collect garbage before the
 * heap grows far past its live size: for the CLI and the trainer server, whose checks stream
 * through gigabyte files. Process-wide, so not for the editor's extension host.
 */
export function keepHeapTight(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * The full collection `--expose-gc` gives a process (the curation process), if it was started
 * with it, followed by a collection of the young generation: the first one after a full
 * collection takes ten times as long as the others (20 ms instead of 2 on the bench's model),
 * and made here it is not made during the next edit's re-check.
 */
export function exposedGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return undefined;
  // Called without options: Node 20's V8 takes `{ type: 'major' }` for a young-generation collection.
  const collect = gc as (options?: { type: 'minor' }) => void;
  return () => {
    collect();
    collect({ type: 'minor' });
  };
}

export interface IdleCollectorOptions {
  /** A full collection; without one (the process was not started with `--expose-gc`) nothing is done. */
  collect?: () => void;
  /** The bytes the heap holds now, live or garbage. */
  usedBytes?: () => number;
  /** How long the process must have had nothing to do. */
  idleMs?: number;
  /** How far past what was live after the last collection the heap may grow before an idle one: a share, and at least this many bytes. */
  slack?: number;
  minSlackBytes?: number;
}

/**
 * Collects the garbage of a long-lived process when it is idle and its heap has grown well past
 * what was live after the last collection: the curation process. A re-check after an edit of a
 * 100k-line file leaves 4-6 MB of garbage (the summary's copies of per-line lists), and V8 lets
 * the heap grow to 1.5x what was live (HEAP_GROWING_PERCENT) before it collects in full: a model
 * of 340 MB live, edited for a while, took the process from 574 to 707 MB, 4.6x the file's size
 * (the goal is 4x). A collection of such a heap stops the process for 0.1 s on a quiet machine
 * (0.25-0.6 s on a loaded one), and an edit's re-check right after it is slower while V8 sweeps
 * on its other threads (18-80 ms instead of 6-15), so it is made when nothing has come in for
 * `idleMs` (a pause in typing), not in the middle of a burst of edits, and only when the heap holds more than `slack` past the last live size: 25 %, about
 * what the first check of a large file leaves (the model's peak is then the first check's), so
 * that a collection comes every dozen edits or so, not after each. (V8 collects when the heap
 * reaches its limit whatever we do, then in the middle of an edit.)
 */
export class IdleCollector {
  private readonly collect: (() => void) | undefined;
  private readonly usedBytes: () => number;
  private readonly idleMs: number;
  private readonly slack: number;
  private readonly minSlackBytes: number;
  private timer: NodeJS.Timeout | undefined;
  /** What the heap held after the last collection made here (0: none yet). */
  private live = 0;
  /** Collections made, for tests and benchmarks. */
  collections = 0;

  constructor(options: IdleCollectorOptions = {}) {
    this.collect = 'collect' in options ? options.collect : exposedGc();
    this.usedBytes = options.usedBytes ?? (() => v8.getHeapStatistics().used_heap_size);
    this.idleMs = options.idleMs ?? 1500;
    this.slack = options.slack ?? 0.25;
    this.minSlackBytes = options.minSlackBytes ?? 32 * 1024 * 1024;
  }

  /** The process just did something: it is idle once `idleMs` pass without another call. */
  busy(): void {
    if (!this.collect) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.idle(), this.idleMs);
    // An idle process may exit (or be stopped) without waiting for it.
    this.timer.unref();
  }

  /** Collects if the heap has grown past its slack since the last collection; whether it did. */
  idle(): boolean {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.collect) return false;
    if (this.usedBytes() <= this.live + Math.max(this.minSlackBytes, this.live * this.slack)) return false;
    this.collect();
    this.collections++;
    this.live = this.usedBytes();
    return true;
  }

  /** Stops waiting (the process is shutting down). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
