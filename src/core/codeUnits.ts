/** Node's Buffer, where there is one (the core also runs without it). */
const nativeBuffer = (globalThis as { Buffer?: { from(buffer: ArrayBuffer, byteOffset: number, length: number): UnitBytes } }).Buffer;
/** A Buffer over a `CodeUnits` array's memory. */
type UnitBytes = { write(s: string, offset: number, length: number, encoding: 'utf16le'): number };
/** A Uint16Array reads UTF-16LE bytes as code units on little-endian hosts only. */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The code units of a string in a reused array, for loops that read every character of long
 * texts. They read them there instead of calling `charCodeAt`: strings reach them in many
 * representations (one- and two-byte, internalized, sliced, concatenated), and a `charCodeAt`
 * call site that has seen more than four of them is no longer inlined by V8, which made every
 * character cost a generic call. Node copies the units natively; elsewhere a loop does. Each
 * reader keeps its own (the array is overwritten by the next `of`).
 */
export class CodeUnits {
  private units = new Uint16Array(1024);
  private bytes: UnitBytes | undefined;

  /** The code units of `text` (valid up to `text.length`, until the next call). */
  of(text: string): Uint16Array {
    const n = text.length;
    if (this.units.length < n) {
      this.units = new Uint16Array(Math.max(n, this.units.length * 2));
      this.bytes = undefined;
    }
    const units = this.units;
    if (nativeBuffer && littleEndian) {
      this.bytes ??= nativeBuffer.from(units.buffer as ArrayBuffer, units.byteOffset, units.byteLength);
      if (this.bytes.write(text, 0, 2 * n, 'utf16le') === 2 * n) return units;
    }
    for (let k = 0; k < n; k++) units[k] = text.charCodeAt(k);
    return units;
  }
}
