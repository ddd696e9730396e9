/**
 * Counts per 32-bit hash in an open-addressing table over typed arrays. A `Map<number, number>`
 * keyed by n-gram hashes boxes half of them (those outside V8's small-integer range) and costs
 * about 50 bytes an entry: the editor's shortcut counts hold one entry per distinct n-gram of the
 * file, a million for 100k varied records. Here an entry is two 32-bit slots, and a count that
 * falls to zero leaves its key in place (found again if the n-gram comes back) until the table is
 * rebuilt with only the live ones.
 */
export class HashCounts {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  /** Slots holding a key (live or at zero). */
  private filled = 0;
  /** The count of hash 0, which marks an empty slot in `keys`. */
  private zero = 0;
  /** Hashes with a count above zero. */
  size = 0;

  constructor(capacity = 1 << 10) {
    let slots = 16;
    while (slots < 2 * capacity) slots *= 2;
    this.keys = new Int32Array(slots);
    this.values = new Int32Array(slots);
    this.mask = slots - 1;
  }

  get(hash: number): number {
    if (hash === 0) return this.zero;
    const keys = this.keys;
    for (let s = slotOf(hash, this.mask); ; s = (s + 1) & this.mask) {
      const k = keys[s];
      if (k === hash) return this.values[s];
      if (k === 0) return 0;
    }
  }

  /** Adds `delta` to the hash's count (never below zero) and returns the new count. */
  add(hash: number, delta: number): number {
    if (hash === 0) {
      const was = this.zero;
      this.zero = Math.max(0, was + delta);
      this.size += (this.zero > 0 ? 1 : 0) - (was > 0 ? 1 : 0);
      return this.zero;
    }
    const keys = this.keys;
    let s = slotOf(hash, this.mask);
    for (; ; s = (s + 1) & this.mask) {
      const k = keys[s];
      if (k === hash) break;
      if (k === 0) {
        if (delta <= 0) return 0;
        if ((this.filled + 1) * 2 > keys.length) {
          this.rebuild();
          return this.add(hash, delta);
        }
        keys[s] = hash;
        this.filled++;
        break;
      }
    }
    const was = this.values[s];
    const now = Math.max(0, was + delta);
    this.values[s] = now;
    this.size += (now > 0 ? 1 : 0) - (was > 0 ? 1 : 0);
    return now;
  }

  /** Calls `fn` for every hash whose count is above zero (in no particular order). */
  forEach(fn: (hash: number, count: number) => void): void {
    if (this.zero > 0) fn(0, this.zero);
    const keys = this.keys;
    const values = this.values;
    for (let s = 0; s < keys.length; s++) if (values[s] > 0) fn(keys[s], values[s]);
  }

  /** The live entries in a table sized for them (twice as many, so that it does not fill again at once). */
  private rebuild(): void {
    const keys = this.keys;
    const values = this.values;
    let slots = 16;
    while (slots < 4 * (this.size + 1)) slots *= 2;
    this.keys = new Int32Array(slots);
    this.values = new Int32Array(slots);
    this.mask = slots - 1;
    this.filled = 0;
    for (let s = 0; s < keys.length; s++) {
      const v = values[s];
      if (v <= 0) continue;
      let t = slotOf(keys[s], this.mask);
      while (this.keys[t] !== 0) t = (t + 1) & this.mask;
      this.keys[t] = keys[s];
      this.values[t] = v;
      this.filled++;
    }
  }
}

/** FNV hashes of similar n-grams differ mostly in their low bits already; a multiply spreads the rest. */
export function slotOf(hash: number, mask: number): number {
  const h = Math.imul(hash, 0x9e3779b1);
  return (h ^ (h >>> 16)) & mask;
}
