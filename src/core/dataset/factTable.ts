import { CuratorConfig } from '../config';
import { ruleOff, ruleThreshold } from '../curation/meta';
import type { RecordEntry } from '../engine';
import { FIXED_LINE } from '../findings';
import type { ChunkStores } from './chunks';
import { readFacts, RecordFacts } from './facts';
import { ShortcutColumns } from './shortcuts';

const HAS_TONE_GAP = 1;
const INVERTED = 2;

/** Rows per chunk of the columns (log 2): 16384 rows, 784 KB. */
const CHUNK_BITS = 14;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/** One chunk of rows: line, length; record hash, prompt hash (NaN: none), chosen and rejected words (NaN: none), tone gap; flags. */
interface Chunk {
  ints: Int32Array;
  numbers: Float64Array;
  flags: Uint8Array;
}

/**
 * The dataset rules' facts (RecordFacts) of every record of a streamed check, in columns: a few
 * typed arrays in chunks of rows instead of an object per record, and the shortcut candidates as
 * n-gram hashes (ShortcutColumns) instead of strings. About 50 bytes and the candidates' hashes
 * per record, outside the JavaScript heap. The columns grow a chunk at a time, not by doubling (a
 * doubled column is up to half empty, and is copied while the old one is held, near the end of
 * a big file). Rows are records with facts, in line order.
 */
export class FactTable {
  private rows = 0;
  private chunks: Chunk[] = [];
  /** The shortcut candidates; undefined when both shortcut rules are off. */
  readonly shortcuts: ShortcutColumns | undefined;

  /** `stores`: where the shortcut pools' full chunks go (see ChunkStore; in memory unless given). */
  constructor(config: CuratorConfig, stores?: ChunkStores) {
    const off = ruleOff(config, 'dataset-shortcut') && ruleOff(config, 'dataset-shortcut-record');
    this.shortcuts = off ? undefined : new ShortcutColumns(ruleThreshold(config, 'dataset-shortcut'), stores);
  }

  /** Lets go of the stores of the shortcut pools (temporary files); the table is not read afterwards. */
  dispose(): void {
    this.shortcuts?.dispose();
  }

  get size(): number {
    return this.rows;
  }

  /** Adds a record's facts (records without any are left out, as the rules leave them out). */
  add(line: number, facts: Readonly<Record<string, unknown>>): void {
    const f = readFacts(facts);
    if (!f) return;
    const row = this.rows++;
    if (row >> CHUNK_BITS === this.chunks.length) {
      const n = 1 << CHUNK_BITS;
      this.chunks.push({ ints: new Int32Array(2 * n), numbers: new Float64Array(5 * n), flags: new Uint8Array(n) });
    }
    const { ints, numbers, flags } = this.chunks[row >> CHUNK_BITS];
    const at = row & CHUNK_MASK;
    ints[2 * at] = line;
    ints[2 * at + 1] = f.len;
    numbers[5 * at] = f.h;
    numbers[5 * at + 1] = f.p ?? NaN;
    numbers[5 * at + 2] = f.cw ?? NaN;
    numbers[5 * at + 3] = f.rw ?? NaN;
    numbers[5 * at + 4] = f.tg ?? 0;
    flags[at] = (f.tg !== undefined ? HAS_TONE_GAP : 0) | (f.iv ? INVERTED : 0);
    this.shortcuts?.add(f);
  }

  /** Number `k` of the row (see Chunk). */
  private number(row: number, k: number): number {
    return this.chunks[row >> CHUNK_BITS].numbers[5 * (row & CHUNK_MASK) + k];
  }

  private flags(row: number): number {
    return this.chunks[row >> CHUNK_BITS].flags[row & CHUNK_MASK];
  }

  line(row: number): number {
    return this.chunks[row >> CHUNK_BITS].ints[2 * (row & CHUNK_MASK)];
  }

  /** The record's line length (see RecordFacts.len). */
  len(row: number): number {
    return this.chunks[row >> CHUNK_BITS].ints[2 * (row & CHUNK_MASK) + 1];
  }

  hash(row: number): number {
    return this.number(row, 0);
  }

  /** The prompt hash; NaN when the record has no prompt. */
  promptHash(row: number): number {
    return this.number(row, 1);
  }

  /** Chosen and rejected words (RecordFacts.cw and rw; NaN when absent). */
  chosenWords(row: number): number {
    return this.number(row, 2);
  }

  rejectedWords(row: number): number {
    return this.number(row, 3);
  }

  /** RecordFacts.tg, undefined when absent. */
  toneGap(row: number): number | undefined {
    return this.flags(row) & HAS_TONE_GAP ? this.number(row, 4) : undefined;
  }

  inverted(row: number): boolean {
    return (this.flags(row) & INVERTED) !== 0;
  }

  /** The row as a RecordEntry (a new object, without the shortcut candidates), for rules that build findings from entries. */
  entry(row: number): RecordEntry {
    const facts: RecordFacts = { h: this.hash(row), len: this.len(row) };
    const p = this.promptHash(row);
    if (!Number.isNaN(p)) facts.p = p;
    // A streamed check's lines never move: what follows this record need not follow it.
    return { line: this.line(row), facts: facts as unknown as Record<string, unknown>, [FIXED_LINE]: true };
  }

  /** Bytes held by the columns (their capacity). */
  get bytes(): number {
    return this.chunks.length * (1 << CHUNK_BITS) * (2 * 4 + 5 * 8 + 1) + (this.shortcuts?.bytes ?? 0);
  }
}
