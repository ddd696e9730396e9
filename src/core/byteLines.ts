import { Finding } from './findings';

/**
 * Splits a byte stream into lines with the same rules as `splitLines` (CRLF, LF, lone CR, a
 * leading UTF-8 BOM dropped) without holding more than the current line in memory.
 */
export class ByteLineSplitter {
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private sawCR = false;
  private first = true;
  private head = new Uint8Array(0);
  private emitted = 0;

  /** Feeds a chunk; calls `onLine` for each complete line. */
  push(chunk: Uint8Array, onLine: (bytes: Uint8Array) => void): void {
    let start = 0;
    if (this.first) {
      // The BOM may arrive split across chunks: hold the first bytes until there are three.
      if (this.head.length) {
        const joined = new Uint8Array(this.head.length + chunk.length);
        joined.set(this.head);
        joined.set(chunk, this.head.length);
        chunk = joined;
        this.head = new Uint8Array(0);
      }
      const bomPrefix = [0xef, 0xbb, 0xbf].slice(0, Math.min(3, chunk.length)).every((b, k) => chunk[k] === b);
      if (chunk.length < 3 && bomPrefix) {
        this.head = chunk.slice();
        return;
      }
      this.first = false;
      if (bomPrefix) start = 3;
    }
    if (this.sawCR && chunk.length > start) {
      this.sawCR = false;
      if (chunk[start] === 10) start++;
    }
    // Line ends found with indexOf (native, memchr for a Buffer) instead of a loop over every byte.
    // The next CR is searched for once and kept until passed: a file without CRs costs one search per chunk.
    const n = chunk.length;
    let lf = chunk.indexOf(10, start);
    let cr = chunk.indexOf(13, start);
    while (lf >= 0 || cr >= 0) {
      let i = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
      this.emit(chunk.subarray(start, i), onLine);
      if (i === cr) {
        if (i + 1 < n) {
          if (chunk[i + 1] === 10) i++;
        } else {
          this.sawCR = true;
        }
        cr = chunk.indexOf(13, i + 1);
      }
      start = i + 1;
      if (lf >= 0 && lf < start) lf = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.pending.push(chunk.slice(start));
      this.pendingLength += chunk.length - start;
    }
  }

  /** Flushes the last line when the file has no final newline. */
  end(onLine: (bytes: Uint8Array) => void): void {
    if (this.first && this.head.length) {
      // A file shorter than a BOM: whatever it holds is content.
      this.first = false;
      const held = this.head;
      this.head = new Uint8Array(0);
      this.push(held, onLine);
    }
    if (this.pendingLength > 0 || this.emitted === 0) this.emit(new Uint8Array(0), onLine);
  }

  private emit(tail: Uint8Array, onLine: (bytes: Uint8Array) => void): void {
    let bytes = tail;
    if (this.pending.length) {
      bytes = new Uint8Array(this.pendingLength + tail.length);
      let at = 0;
      for (const p of this.pending) {
        bytes.set(p, at);
        at += p.length;
      }
      bytes.set(tail, at);
      this.pending = [];
      this.pendingLength = 0;
    }
    this.emitted++;
    onLine(bytes);
  }
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Offset of the first byte that is not part of well-formed UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Whether bytes start with a UTF-16 byte order mark (FF FE or FE FF), which no UTF-8 text does. */
function utf16Mark(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/**
 * Decodes one line. Invalid UTF-8 is replaced by U+FFFD (as an editor shows it) and reported
 * once, at the column of the first bad byte.
 */
export function decodeLine(bytes: Uint8Array): { text: string; finding?: Finding } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const text = lenient.decode(bytes);
    const bad = firstInvalidUtf8(bytes);
    const column = bad < 0 ? 0 : lenient.decode(bytes.subarray(0, bad)).length;
    return {
      text,
      finding: {
        line: 0,
        column,
        endLine: 0,
        endColumn: Math.min(text.length, column + 1),
        severity: 'error',
        code: 'invalid-utf8',
        message: utf16Mark(bytes)
          ? 'This line starts with a UTF-16 byte order mark: the file is UTF-16, save it as UTF-8'
          : `This line is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} at byte ${bad + 1}); save the file as UTF-8`,
      },
    };
  }
}
