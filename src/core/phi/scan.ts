import { splitLines } from '../jsonl';
import { formatPath } from '../parts';
import { detectPhi, maskPhi, PHI_KIND_LABELS, PHI_KINDS, PhiKind } from './detectors';

/** One example of a kind of PHI: where it is and a masked form of it. */
export interface PhiExample {
  kind: PhiKind;
  /** 0-based line of the file. */
  line: number;
  /** The JSON field it was found in (`chosen[0].content`), or `line` for a line that is not JSON. */
  field: string;
  /** Starred form, safe to show in notifications and logs. */
  masked: string;
}

export interface PhiReport {
  counts: Record<PhiKind, number>;
  total: number;
  /** Lines with at least one hit. */
  lines: number;
  /** The first few examples of each kind, in file order. */
  examples: PhiExample[];
}

export interface PhiScanOptions {
  /** Examples kept per kind (default 3). */
  examplesPerKind?: number;
}

/** Feeds JSONL lines one at a time (so a big file can be scanned in slices) and reports. */
export class PhiScanner {
  private readonly counts = Object.fromEntries(PHI_KINDS.map((k) => [k, 0])) as Record<PhiKind, number>;
  private readonly examples: PhiExample[] = [];
  private readonly examplesOf = Object.fromEntries(PHI_KINDS.map((k) => [k, 0])) as Record<PhiKind, number>;
  private readonly perKind: number;
  private lines = 0;

  constructor(options: PhiScanOptions = {}) {
    this.perKind = Math.max(0, options.examplesPerKind ?? 3);
  }

  /** Scans one line; `line` is its 0-based number. */
  scanLine(text: string, line: number): void {
    // Cheap reject: every detector needs a digit or an "@".
    if (!/[\d@]/.test(text)) return;
    let found = false;
    for (const { field, value } of stringsOf(text)) {
      for (const hit of detectPhi(value)) {
        found = true;
        this.counts[hit.kind]++;
        if (this.examplesOf[hit.kind] < this.perKind) {
          this.examplesOf[hit.kind]++;
          this.examples.push({ kind: hit.kind, line, field, masked: maskPhi(hit) });
        }
      }
    }
    if (found) this.lines++;
  }

  report(): PhiReport {
    const counts = { ...this.counts };
    const total = PHI_KINDS.reduce((n, k) => n + counts[k], 0);
    const examples = [...this.examples].sort((a, b) => a.line - b.line);
    return { counts, total, lines: this.lines, examples };
  }
}

/** Scans a whole JSONL text. */
export function scanPhi(text: string, options?: PhiScanOptions): PhiReport {
  const scanner = new PhiScanner(options);
  splitLines(text).forEach((line, i) => scanner.scanLine(line, i));
  return scanner.report();
}

/**
 * The string values of a JSONL line, decoded (so `\n` escapes and `\u0040` are seen as the
 * characters they stand for), with their field paths. A line that is not JSON is scanned raw.
 */
function stringsOf(text: string): { field: string; value: string }[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [{ field: 'line', value: text }];
  }
  const out: { field: string; value: string }[] = [];
  // Depth first, in document order, with a stack of its own: a value nested tens of thousands deep
  // is fine. A node keeps its path's first SHOWN_DEPTH keys only (a field deeper is shown with "…"),
  // so the walk costs the value's size, not its depth squared.
  type Node = { v: unknown; path: (string | number)[]; deeper: boolean };
  const stack: Node[] = [{ v: value, path: [], deeper: false }];
  const child = (node: Node, v: unknown, key: string | number): Node =>
    node.path.length < SHOWN_DEPTH ? { v, path: [...node.path, key], deeper: false } : { v, path: node.path, deeper: true };
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.v;
    if (typeof v === 'string') out.push({ field: `${formatPath(node.path)}${node.deeper ? '…' : ''}`, value: v });
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(child(node, v[i], i));
    else if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push(child(node, entries[i][1], entries[i][0]));
    }
  }
  return out;
}

/** Fields deeper than this are shown by their first keys and "…". */
const SHOWN_DEPTH = 8;

/** "3 email addresses, 1 phone number" — only the kinds found, in a fixed order. */
export function describePhiCounts(report: PhiReport): string {
  return PHI_KINDS.filter((k) => report.counts[k] > 0)
    .map((k) => `${report.counts[k]} ${PHI_KIND_LABELS[k][report.counts[k] === 1 ? 0 : 1]}`)
    .join(', ');
}

/** One line per example: `line 12, chosen: j***@mail.org (email address)`. 1-based lines. */
export function describePhiExample(example: PhiExample): string {
  return `line ${example.line + 1}, ${example.field}: ${example.masked} (${PHI_KIND_LABELS[example.kind][0]})`;
}
