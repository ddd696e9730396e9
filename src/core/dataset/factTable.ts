import { CuratorConfig } from '../config';
import { ruleOff, ruleThreshold } from '../curation/meta';
import type { RecordEntry } from '../engine';
import { FIXED_LINE } from '../findings';
import { ChunkStore, ChunkStores, memoryChunks } from './chunks';
import { readFacts, RecordFacts } from './facts';
import { ShortcutColumns } from './shortcuts';

const HAS_TONE_GAP = 1;
const INVERTED = 2;

/** Rows per chunk of the table (log 2): 16384 rows, 896 KB. */
const CHUNK_BITS = 14;
const CHUNK_MASK = (1 << CHUNK_BITS) - 1;

/**
 * Ints per row: line, length; then five doubles (record hash, prompt hash (NaN: none), chosen and
 * rejected words (NaN: none), tone gap) at ints 2-11, 8-byte aligned; flags at 12; 13 unused.
 */
const ROW = 14;
const LINE = 0;
const LEN = 1;
/** Index of the row's first double, in doubles from the row's start. */
const DOUBLES = 1;
const FLAGS = 12;

/**
 * The dataset rules' facts (RecordFacts) of every record of a streamed check, a row of 56 bytes
 * per record in chunks of rows (and the shortcut candidates as n-gram hashes, ShortcutColumns,
 * instead of strings). Full chunks go to a ChunkStore: with the CLI's and the server's store (a
 * temporary file) only the chunk being filled and the one being read are in memory, so a file of
 * tens of millions of short records does not hold gigabytes of facts. Rows are read in order (a
 * chunk at a time) or one by one (a few of them, through the store's block reads). Rows are
 * records with facts, in line order.
 */
export class FactTable {
  private rows = 0;
  private readonly store: ChunkStore;
  /** The chunk being filled (chunk `store.count`), and its doubles. */
  private filling: Int32Array = new Int32Array(ROW << CHUNK_BITS);
  private fillingDoubles = doublesOf(this.filling);
  /** The stored chunk last read whole (see `seek`). */
  private loaded = -1;
  private loadedInts: Int32Array | undefined;
  private loadedDoubles: Float64Array | undefined;
  /** One row read on its own. */
  private readonly single = new Int32Array(ROW);
  private readonly singleDoubles = doublesOf(this.single);
  private lastRead = -1;
  /** Where `seek` found the row: its ints and doubles, and the row's first int in them. */
  private ints: Int32Array = this.filling;
  private doubles: Float64Array = this.fillingDoubles;
  /** The shortcut candidates; undefined when both shortcut rules are off. */
  readonly shortcuts: ShortcutColumns | undefined;

  /** `stores`: where the full chunks of the table and of the shortcut pools go (see ChunkStore; in memory unless given). */
  constructor(config: CuratorConfig, stores: ChunkStores = memoryChunks) {
    const off = ruleOff(config, 'dataset-shortcut') && ruleOff(config, 'dataset-shortcut-record');
    this.store = stores();
    this.shortcuts = off ? undefined : new ShortcutColumns(ruleThreshold(config, 'dataset-shortcut'), stores);
  }

  /** Lets go of the stores (temporary files); the table is not read afterwards. */
  dispose(): void {
    this.store.dispose();
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
    const at = row & CHUNK_MASK;
    if (at === 0 && row > 0) {
      this.filling = this.store.put(this.filling);
      this.fillingDoubles = doublesOf(this.filling);
    }
    const ints = this.filling;
    const doubles = this.fillingDoubles;
    const i = at * ROW;
    const d = i >> 1;
    ints[i + LINE] = line;
    ints[i + LEN] = f.len;
    doubles[d + DOUBLES] = f.h;
    doubles[d + DOUBLES + 1] = f.p ?? NaN;
    doubles[d + DOUBLES + 2] = f.cw ?? NaN;
    doubles[d + DOUBLES + 3] = f.rw ?? NaN;
    doubles[d + DOUBLES + 4] = f.tg ?? 0;
    ints[i + FLAGS] = (f.tg !== undefined ? HAS_TONE_GAP : 0) | (f.iv ? INVERTED : 0);
    this.shortcuts?.add(f);
  }

  /**
   * Points `ints`/`doubles` at the row and returns the row's first int in `ints`: the chunk being
   * filled, the stored chunk last loaded, a stored chunk loaded whole when the rows are read in
   * order (the row after the last one read, or a chunk's first), else the row alone.
   */
  private seek(row: number): number {
    const k = row >> CHUNK_BITS;
    const at = row & CHUNK_MASK;
    const last = this.lastRead;
    this.lastRead = row;
    if (k === this.store.count) {
      this.ints = this.filling;
      this.doubles = this.fillingDoubles;
      return at * ROW;
    }
    if (k !== this.loaded && (row === last + 1 || at === 0)) {
      const chunk = this.store.get(k);
      this.loaded = k;
      this.loadedInts = chunk;
      this.loadedDoubles = doublesOf(chunk);
    }
    if (k === this.loaded) {
      this.ints = this.loadedInts!;
      this.doubles = this.loadedDoubles!;
      return at * ROW;
    }
    this.store.read(k, at * ROW, this.single);
    this.ints = this.single;
    this.doubles = this.singleDoubles;
    return 0;
  }

  /** Double `k` of the row (see ROW). */
  private number(row: number, k: number): number {
    const i = this.seek(row);
    return this.doubles[(i >> 1) + DOUBLES + k];
  }

  private flags(row: number): number {
    const i = this.seek(row);
    return this.ints[i + FLAGS];
  }

  line(row: number): number {
    const i = this.seek(row);
    return this.ints[i + LINE];
  }

  /** The record's line length (see RecordFacts.len). */
  len(row: number): number {
    const i = this.seek(row);
    return this.ints[i + LEN];
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

  /** Bytes held in memory: the chunk being filled, the store's (the chunk it read last, or all of them) and the shortcut columns'. */
  get bytes(): number {
    return this.filling.byteLength + this.store.bytes + (this.shortcuts?.bytes ?? 0);
  }
}

/** The doubles of a chunk (its ints two by two; a chunk starts its own buffer, so they are aligned). */
function doublesOf(ints: Int32Array): Float64Array {
  return new Float64Array(ints.buffer, ints.byteOffset, ints.length >> 1);
}
