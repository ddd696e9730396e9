import { isBlank } from '../jsonl';
import { lowerBound } from '../sorted';

/** The lines of a document the index reads (a `DatasetModel` or a `TextDocument` adapter). */
export interface LineSource {
  readonly lineCount: number;
  lineText(i: number): string | undefined;
}

/**
 * Which lines of a JSONL document hold records (every non-blank line, valid or not), for
 * "record 12 of 999" and for moving between records. Built in one pass over the lines.
 */
export class RecordIndex {
  private constructor(private readonly lines: readonly number[]) {}

  static build(source: LineSource): RecordIndex {
    const lines: number[] = [];
    for (let i = 0; i < source.lineCount; i++) {
      const text = source.lineText(i);
      if (text !== undefined && !isBlank(text)) lines.push(i);
    }
    return new RecordIndex(lines);
  }

  get count(): number {
    return this.lines.length;
  }

  /** 1-based number of the record on `line`, or undefined for a blank line. */
  numberOf(line: number): number | undefined {
    const k = lowerBound(this.lines, line);
    return this.lines[k] === line ? k + 1 : undefined;
  }

  /** The record a cursor on `line` means: that line, else the next record below, else the last one. */
  recordAt(line: number): number | undefined {
    const k = lowerBound(this.lines, line);
    if (k < this.lines.length) return this.lines[k];
    return this.lines.length ? this.lines[this.lines.length - 1] : undefined;
  }

  next(line: number): number | undefined {
    return this.lines[lowerBound(this.lines, line + 1)];
  }

  previous(line: number): number | undefined {
    const k = lowerBound(this.lines, line);
    return k > 0 ? this.lines[k - 1] : undefined;
  }

  /**
   * The next record after `line` that has a problem, wrapping round to the top of the file;
   * `undefined` when no other record has one.
   */
  nextWithProblem(line: number, problemLines: ReadonlySet<number>): { line: number; wrapped: boolean } | undefined {
    const sorted = [...problemLines].filter((l) => this.numberOf(l) !== undefined).sort((a, b) => a - b);
    if (sorted.length === 0) return undefined;
    const k = lowerBound(sorted, line + 1);
    if (k < sorted.length) return { line: sorted[k], wrapped: false };
    return sorted[0] === line ? undefined : { line: sorted[0], wrapped: true };
  }
}
