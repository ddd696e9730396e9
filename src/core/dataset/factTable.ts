import { CuratorConfig } from '../config';
import { ruleOff, ruleThreshold } from '../curation/meta';
import { grown } from '../typedArrays';
import type { RecordEntry } from '../engine';
import { readFacts, RecordFacts } from './facts';
import { ShortcutColumns } from './shortcuts';

const HAS_TONE_GAP = 1;
const INVERTED = 2;

/**
 * The dataset rules' facts (RecordFacts) of every record of a streamed check, in columns: a few
 * typed arrays that grow by doubling instead of an object per record, and the shortcut candidates
 * as n-gram hashes (ShortcutColumns) instead of strings. About 60 bytes and the candidates' hashes
 * per record, outside the JavaScript heap. Rows are records with facts, in line order.
 */
export class FactTable {
  private rows = 0;
  private lines = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  /** Record hash, prompt hash (NaN: none), chosen and rejected words (NaN: none), tone gap. */
  private numbers = new Float64Array(5 * 1024);
  private flags = new Uint8Array(1024);
  /** The shortcut candidates; undefined when both shortcut rules are off. */
  readonly shortcuts: ShortcutColumns | undefined;

  constructor(config: CuratorConfig) {
    const off = ruleOff(config, 'dataset-shortcut') && ruleOff(config, 'dataset-shortcut-record');
    this.shortcuts = off ? undefined : new ShortcutColumns(ruleThreshold(config, 'dataset-shortcut'));
  }

  get size(): number {
    return this.rows;
  }

  /** Adds a record's facts (records without any are left out, as the rules leave them out). */
  add(line: number, facts: Readonly<Record<string, unknown>>): void {
    const f = readFacts(facts);
    if (!f) return;
    const row = this.rows++;
    if (row === this.lines.length) this.grow();
    this.lines[row] = line;
    this.lengths[row] = f.len;
    const n = this.numbers;
    n[5 * row] = f.h;
    n[5 * row + 1] = f.p ?? NaN;
    n[5 * row + 2] = f.cw ?? NaN;
    n[5 * row + 3] = f.rw ?? NaN;
    n[5 * row + 4] = f.tg ?? 0;
    this.flags[row] = (f.tg !== undefined ? HAS_TONE_GAP : 0) | (f.iv ? INVERTED : 0);
    this.shortcuts?.add(f);
  }

  private grow(): void {
    const size = 2 * this.lines.length;
    this.lines = grown(this.lines, size);
    this.lengths = grown(this.lengths, size);
    this.numbers = grown(this.numbers, 5 * size);
    this.flags = grown(this.flags, size);
  }

  line(row: number): number {
    return this.lines[row];
  }

  /** The record's line length (see RecordFacts.len). */
  len(row: number): number {
    return this.lengths[row];
  }

  hash(row: number): number {
    return this.numbers[5 * row];
  }

  /** The prompt hash; NaN when the record has no prompt. */
  promptHash(row: number): number {
    return this.numbers[5 * row + 1];
  }

  /** Chosen and rejected words (RecordFacts.cw and rw; NaN when absent). */
  chosenWords(row: number): number {
    return this.numbers[5 * row + 2];
  }

  rejectedWords(row: number): number {
    return this.numbers[5 * row + 3];
  }

  /** RecordFacts.tg, undefined when absent. */
  toneGap(row: number): number | undefined {
    return this.flags[row] & HAS_TONE_GAP ? this.numbers[5 * row + 4] : undefined;
  }

  inverted(row: number): boolean {
    return (this.flags[row] & INVERTED) !== 0;
  }

  /** The row as a RecordEntry (a new object, without the shortcut candidates), for rules that build findings from entries. */
  entry(row: number): RecordEntry {
    const facts: RecordFacts = { h: this.hash(row), len: this.len(row) };
    const p = this.promptHash(row);
    if (!Number.isNaN(p)) facts.p = p;
    return { line: this.line(row), facts: facts as unknown as Record<string, unknown> };
  }

  /** Bytes held by the columns (their capacity). */
  get bytes(): number {
    return this.lines.byteLength + this.lengths.byteLength + this.numbers.byteLength + this.flags.byteLength + (this.shortcuts?.bytes ?? 0);
  }
}
