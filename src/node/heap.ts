import * as v8 from 'v8';

/**
 * How far V8 lets the JavaScript heap grow past what was live after a full collection: 50%.
 * V8's default on a machine with gigabytes of memory is up to 4× (a check whose live heap is
 * 75 MB per thread, mostly the tokenizer and the tone lexicons, peaked at 330 MB per thread).
 * Checking streams garbage at a steady rate, so collecting it sooner costs little (a full
 * collection of that heap takes about 20 ms, now every second or two instead of every eight).
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
