type Growable = Int32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * A typed array of the same kind holding `array`'s items, with room for at least `length` (twice
 * the old length, or more): columns that grow by doubling cost amortised constant time per item.
 */
export function grown<T extends Growable>(array: T, length: number): T {
  const out = new (array.constructor as new (n: number) => T)(Math.max(length, array.length * 2));
  out.set(array);
  return out;
}
