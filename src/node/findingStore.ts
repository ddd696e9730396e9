import { compareCodes, findingOrder } from '../core/engine';
import { Finding, RelatedLocation, SEVERITY_RANK, Severity } from '../core/findings';
import { ChunkStore, MemoryChunks } from '../core/dataset/chunks';
import { grown } from '../core/typedArrays';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** Where a check puts its findings as they are found (see checkFile.ts). */
export interface FindingSink {
  push(finding: Finding): void;
  /** Leaves out every finding pushed so far whose code is one of `codes` (record findings a dataset rule folded). */
  drop(codes: ReadonlySet<string>): void;
}

/** What a report reads of a file's findings: an array, or a FindingStore. */
export interface FindingSequence extends Iterable<Finding> {
  readonly length: number;
}

/**
 * Strings in one growing buffer outside the JavaScript heap: Latin-1 when every character fits
 * in a byte, UTF-16 code units otherwise (so lone surrogates come back as they went in). A string
 * seen recently gets the id it had.
 */
class StringPool {
  private bytes = Buffer.alloc(1 << 16);
  private used = 0;
  /** Start and end byte of each string; the end is negative for UTF-16. */
  private spans = new Float64Array(2 * 1024);
  private count = 0;
  private recent = new Map<string, number>();
  private decoded = new Map<number, string>();

  id(s: string): number {
    const known = this.recent.get(s);
    if (known !== undefined) return known;
    let wide = false;
    for (let i = 0; i < s.length && !wide; i++) wide = s.charCodeAt(i) > 0xff;
    const size = wide ? 2 * s.length : s.length;
    if (this.used + size > this.bytes.length) {
      const bytes = Buffer.alloc(Math.max(2 * this.bytes.length, this.used + size));
      this.bytes.copy(bytes, 0, 0, this.used);
      this.bytes = bytes;
    }
    this.bytes.write(s, this.used, size, wide ? 'utf16le' : 'latin1');
    if (2 * this.count + 2 > this.spans.length) this.spans = grown(this.spans, 2 * this.count + 2);
    const id = this.count++;
    this.spans[2 * id] = this.used;
    this.spans[2 * id + 1] = wide ? -(this.used + size) : this.used + size;
    this.used += size;
    // Shared messages (one per shortcut phrase, per duplicate group) recur: remembered for a while.
    if (this.recent.size >= 4096) this.recent.clear();
    this.recent.set(s, id);
    return id;
  }

  get(id: number): string {
    let s = this.decoded.get(id);
    if (s === undefined) {
      const start = this.spans[2 * id];
      const end = this.spans[2 * id + 1];
      s = end < 0 ? this.bytes.toString('utf16le', start, -end) : this.bytes.toString('latin1', start, end);
      if (this.decoded.size >= 4096) this.decoded.clear();
      this.decoded.set(id, s);
    }
    return s;
  }

  get byteLength(): number {
    return this.bytes.length + this.spans.byteLength;
  }
}

/** Per finding, in memory (what the sort reads): line, column, code id × 4 + severity. */
const KEY_INTS = 3;
/**
 * Per finding, in the details store (what only printing reads): endLine, endColumn, message,
 * field (-1: none), first related location, related count.
 */
const DETAIL_INTS = 6;
/** Findings per chunk of the columns (log 2): 8192 findings, 96 KB of keys and 192 KB of details. */
const CHUNK_BITS = 13;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
/** Per related location: line, column, endLine, endColumn, message. */
const RELATED_INTS = 5;

/**
 * A file's findings as a report prints them (position, severity, code, message, field, related
 * locations; not `data`, which no report shows), a few dozen bytes each outside the JavaScript
 * heap, so that a check of a gigabyte file with a million findings does not hold a million
 * objects. What the sort compares (line, column, severity, code) stays in memory; the rest goes
 * to a ChunkStore a chunk at a time (the CLI's is a temporary file: see fileChunks), and is read
 * back per finding as the report prints it. The columns grow by fixed-size chunks, not by
 * doubling: the dataset rules add most of a big file's findings at its end, when everything else
 * the check holds is largest, and a doubled array is up to half empty and is copied while the old
 * one is still held. `sort` puts them in sortFindings' order; iterating gives a new object per
 * finding.
 */
export class FindingStore implements FindingSink, FindingSequence {
  private count = 0;
  private keys: Int32Array[] = [];
  /** The details chunk being filled (chunk number `details.count`). */
  private current: Int32Array = new Int32Array(DETAIL_INTS << CHUNK_BITS);
  private readonly detail = new Int32Array(DETAIL_INTS);
  private related = new Int32Array(RELATED_INTS * 256);
  private relatedUsed = 0;
  /** The related list of the last finding that had one (groups share lists between their findings). */
  private lastRelated: { list: readonly RelatedLocation[]; start: number } | undefined;
  private strings = new StringPool();
  private codes: string[] = [];
  private codeIds = new Map<string, number>();
  /** Findings that do not fit the columns (a position that is not a 32-bit integer), by index. */
  private verbatim = new Map<number, Finding>();
  private dropped: Uint8Array | undefined;
  private order: Int32Array | undefined;

  /** `details`: where the full chunks of the details go (in memory unless given). */
  constructor(private readonly details: ChunkStore = new MemoryChunks()) {}

  push(f: Finding): void {
    this.order = undefined;
    const i = this.count++;
    if (i >> CHUNK_BITS === this.keys.length) {
      this.keys.push(new Int32Array(KEY_INTS << CHUNK_BITS));
      if (i > 0) this.current = this.details.put(this.current);
    }
    const keys = this.keys[i >> CHUNK_BITS];
    const at = KEY_INTS * (i & CHUNK_MASK);
    keys[at] = f.line;
    if (!fitsInt32(f) || !(f.related ?? []).every(fitsInt32)) {
      this.verbatim.set(i, f);
      return;
    }
    keys[at + 1] = f.column;
    keys[at + 2] = this.codeId(f.code) * 4 + SEVERITY_RANK[f.severity];
    const details = this.current;
    const d = DETAIL_INTS * (i & CHUNK_MASK);
    details[d] = f.endLine;
    details[d + 1] = f.endColumn;
    details[d + 2] = this.strings.id(f.message);
    details[d + 3] = f.field === undefined ? -1 : this.strings.id(f.field);
    const [start, count] = this.relatedOf(f.related);
    details[d + 4] = start;
    details[d + 5] = count;
  }

  /** Lets go of the details store (a temporary file); the findings are not read afterwards. */
  dispose(): void {
    this.details.dispose();
  }

  private codeId(code: string): number {
    let id = this.codeIds.get(code);
    if (id === undefined) {
      id = this.codes.length;
      this.codes.push(code);
      this.codeIds.set(code, id);
    }
    return id;
  }

  private relatedOf(list: readonly RelatedLocation[] | undefined): [number, number] {
    if (!list?.length) return [0, 0];
    if (this.lastRelated?.list === list) return [this.lastRelated.start, list.length];
    const start = this.relatedUsed;
    this.relatedUsed += list.length;
    if (RELATED_INTS * this.relatedUsed > this.related.length) this.related = grown(this.related, RELATED_INTS * this.relatedUsed);
    list.forEach((r, k) => {
      const at = RELATED_INTS * (start + k);
      this.related[at] = r.line;
      this.related[at + 1] = r.column;
      this.related[at + 2] = r.endLine;
      this.related[at + 3] = r.endColumn;
      this.related[at + 4] = this.strings.id(r.message);
    });
    this.lastRelated = { list, start };
    return [start, list.length];
  }

  drop(codes: ReadonlySet<string>): void {
    this.order = undefined;
    this.dropped ??= new Uint8Array(this.count);
    for (let i = 0; i < this.count; i++) if (codes.has(this.code(i))) this.dropped[i] = 1;
  }

  /** Puts the findings in the order sortFindings gives (a stable sort by compareFindings). */
  sort(): void {
    const line = (i: number) => this.int(i, 0);
    const order = findingOrder(this.count, line, (a, b) => {
      const va = this.verbatim.get(a);
      const vb = this.verbatim.get(b);
      return (
        line(a) - line(b) ||
        (va?.column ?? this.int(a, 1)) - (vb?.column ?? this.int(b, 1)) ||
        (va ? SEVERITY_RANK[va.severity] : this.int(a, 2) & 3) - (vb ? SEVERITY_RANK[vb.severity] : this.int(b, 2) & 3) ||
        compareCodes(this.code(a), this.code(b))
      );
    });
    const dropped = this.dropped;
    this.order = dropped ? order.filter((i) => !dropped[i]) : order;
  }

  /** Key `k` of finding `i` (see KEY_INTS). */
  private int(i: number, k: number): number {
    return this.keys[i >> CHUNK_BITS][KEY_INTS * (i & CHUNK_MASK) + k];
  }

  private code(i: number): string {
    return this.verbatim.get(i)?.code ?? this.codes[this.int(i, 2) >> 2];
  }

  /** The details of finding `i` (see DETAIL_INTS), in a scratch array valid until the next call. */
  private detailsOf(i: number): Int32Array {
    const k = i >> CHUNK_BITS;
    const from = DETAIL_INTS * (i & CHUNK_MASK);
    if (k === this.details.count) this.detail.set(this.current.subarray(from, from + DETAIL_INTS));
    else this.details.read(k, from, this.detail);
    return this.detail;
  }

  get length(): number {
    return this.order ? this.order.length : this.count;
  }

  /** The i-th finding (in sorted order once sorted), as a new object. */
  at(index: number): Finding {
    const i = this.order ? this.order[index] : index;
    const v = this.verbatim.get(i);
    if (v) return v;
    const keys = this.keys[i >> CHUNK_BITS];
    const at = KEY_INTS * (i & CHUNK_MASK);
    const d = this.detailsOf(i);
    const f: Finding = {
      line: keys[at],
      column: keys[at + 1],
      endLine: d[0],
      endColumn: d[1],
      severity: SEVERITIES[keys[at + 2] & 3],
      code: this.codes[keys[at + 2] >> 2],
      message: this.strings.get(d[2]),
    };
    if (d[3] >= 0) f.field = this.strings.get(d[3]);
    const count = d[5];
    if (count) {
      const related: RelatedLocation[] = [];
      for (let k = d[4]; k < d[4] + count; k++) {
        const r = RELATED_INTS * k;
        const loc = this.related;
        related.push({ line: loc[r], column: loc[r + 1], endLine: loc[r + 2], endColumn: loc[r + 3], message: this.strings.get(loc[r + 4]) });
      }
      f.related = related;
    }
    return f;
  }

  *[Symbol.iterator](): Iterator<Finding> {
    for (let k = 0; k < this.length; k++) yield this.at(k);
  }

  /** Bytes held outside the JavaScript heap. */
  get byteLength(): number {
    return this.keys.length * (KEY_INTS << CHUNK_BITS) * 4 + this.current.byteLength + this.details.bytes + this.related.byteLength + this.strings.byteLength + (this.order?.byteLength ?? 0);
  }
}

function fitsInt32(l: { line: number; column: number; endLine: number; endColumn: number }): boolean {
  return (l.line | 0) === l.line && (l.column | 0) === l.column && (l.endLine | 0) === l.endLine && (l.endColumn | 0) === l.endColumn;
}
