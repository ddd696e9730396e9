/** First index in a sorted list whose value is ≥ `value` (the list's length when none is). */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of `items[0, to)` (sorted by line) whose item is on `line` or after it. */
export function firstAtLine(items: readonly { line: number }[], line: number, to = items.length): number {
  let lo = 0;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
