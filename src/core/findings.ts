/**
 * A finding is plain data about one place in a dataset file. Positions are 0-based lines and
 * 0-based UTF-16 columns (the same units as VS Code positions); the CLI prints them 1-based.
 */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Finding extends Location {
  severity: Severity;
  /** Stable rule id, e.g. `json-syntax`, `schema`, `tone-empathy`. */
  code: string;
  message: string;
  /** The record field the finding concerns, in display form (`chosen[0].content`). */
  field?: string;
  /** Other places that explain this one (e.g. the other copies of a duplicate record). */
  related?: RelatedLocation[];
  /** Machine-readable extras for quick fixes and hovers (e.g. `{ replacement: "..." }`). */
  data?: Record<string, unknown>;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * Marks an anchor whose line never changes (a record of a streamed check, whose lines do not
 * move): `following` then gives its source as it is, with the plain numbers it already holds.
 */
export const FIXED_LINE: unique symbol = Symbol('fixed line');

/** Anything that knows its current line: a record as the dataset rules know it, a line of the editor's model. */
export interface LineAnchor {
  readonly line: number;
  readonly [FIXED_LINE]?: true;
}

const ANCHOR = Symbol('line anchor');

function anchorLine(this: { [ANCHOR]: LineAnchor }): number {
  return this[ANCHOR].line;
}

/** An own, enumerable property that reads its anchor's line (copies, JSON and structured clones read the number). */
const FOLLOWS: PropertyDescriptor = { get: anchorLine, enumerable: true };

/** The keys of a location that hold a line. */
const LOCATION_LINES: ReadonlySet<string> = new Set(['line', 'endLine']);

/**
 * A copy of `source` (a finding, a related location, a finding's data) whose line keys (`line`
 * and `endLine` unless told) read `anchor`'s line whenever they are read: when lines are
 * inserted or removed above its record, the editor moves the record's anchor and every finding
 * and location that follows it is on its new line without being visited (a 100k-line file has
 * about 170k of them; writing new numbers into each was most of a line insert's time). The
 * other keys are copied in their order. Only for what lies on one line (a record is one line),
 * and for a `source` made for the call whose line keys hold `anchor`'s line now (a fixed anchor's
 * call returns it). Read-only: writing a line key throws.
 */
export function following<T extends object>(anchor: LineAnchor, source: T, lineKeys: ReadonlySet<string> = LOCATION_LINES): T {
  if (anchor[FIXED_LINE]) return source;
  const out = {} as Record<string, unknown>;
  Object.defineProperty(out, ANCHOR, { value: anchor, writable: true });
  const from = source as Record<string, unknown>;
  for (const key of Object.keys(from)) {
    if (lineKeys.has(key)) Object.defineProperty(out, key, FOLLOWS);
    else out[key] = from[key];
  }
  return out as T;
}

/** Makes a copy made by `following` follow `anchor` from now on (a record replaced by an equal one). */
export function refollow(target: object, anchor: LineAnchor): void {
  if (!(ANCHOR in target)) throw new Error('refollow: not a following copy');
  (target as { [ANCHOR]: LineAnchor })[ANCHOR] = anchor;
}

/** Moves a finding computed for a single line (line 0) to its real line number. */
export function atLine(finding: Finding, line: number): Finding {
  return line === finding.line ? finding : copyAtLine(finding, line);
}

/** A copy of a finding computed for a single line (line 0), on its real line number. */
export function copyAtLine(finding: Finding, line: number): Finding {
  return { ...finding, line, endLine: finding.endLine + line - finding.line };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.code.localeCompare(b.code);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  // Plain counters, not counts[f.severity]++: a keyed update per finding made this loop a good
  // share of the editor's re-check on a file with 170k findings.
  let error = 0;
  let warning = 0;
  let info = 0;
  let hint = 0;
  for (let i = 0; i < findings.length; i++) {
    const s = findings[i].severity;
    if (s === 'info') info++;
    else if (s === 'warning') warning++;
    else if (s === 'error') error++;
    else hint++;
  }
  return { error, warning, info, hint };
}

/** An edit in line terms: lines [start, start + removed) were replaced by `added` lines. */
export interface LineSplice {
  start: number;
  removed: number;
  added: number;
}

/**
 * Carries findings computed before an edit over to the edited document: findings on the lines
 * the edit touched are dropped (their record changed and waits for the next check), findings
 * below it move by the number of lines added or removed, and so do their related locations and
 * the line numbers in their data (keys ending in `Line`, e.g. a duplicate's `keepLine`). A
 * related location or data line inside the edit makes the finding stale too: it is dropped.
 */
export function shiftFindings(findings: readonly Finding[], splice: LineSplice): Finding[] {
  const { start, removed, added } = splice;
  const end = start + removed; // first line after the replaced ones
  const delta = added - removed;
  if (delta === 0 && removed === 0) return findings.slice();
  // A pure insertion (nothing removed) touches no line: everything from `start` on moves down.
  const touched = (from: number, to: number) => removed > 0 && to >= start && from < end;
  const moved = (line: number) => (line >= end ? line + delta : line);
  const out: Finding[] = [];
  for (const f of findings) {
    if (touched(f.line, f.endLine) || f.related?.some((r) => touched(r.line, r.endLine))) continue;
    let data = f.data;
    let stale = false;
    if (data) {
      for (const [key, value] of Object.entries(data)) {
        if (!key.endsWith('Line') || typeof value !== 'number') continue;
        if (touched(value, value)) stale = true;
        else if (value >= end) data = { ...data, [key]: value + delta };
      }
    }
    if (stale) continue;
    const related = f.related?.some((r) => r.line >= end) ? f.related.map((r) => (r.line >= end ? { ...r, line: r.line + delta, endLine: r.endLine + delta } : r)) : f.related;
    const line = moved(f.line);
    const endLine = moved(f.endLine);
    // A finding nothing moved stays the same object.
    out.push(line === f.line && endLine === f.endLine && related === f.related && data === f.data ? f : { ...f, line, endLine, related, data });
  }
  return out;
}

/**
 * The smallest splice that turns `oldLines` (starting at line `start`) into `newLines`: lines
 * equal at both ends are not part of it (pressing Enter at the end of a line leaves that line
 * untouched, and its findings stay).
 */
export function trimSplice(start: number, oldLines: readonly string[], newLines: readonly string[]): LineSplice {
  let head = 0;
  const shortest = Math.min(oldLines.length, newLines.length);
  while (head < shortest && oldLines[head] === newLines[head]) head++;
  let tail = 0;
  while (tail < shortest - head && oldLines[oldLines.length - 1 - tail] === newLines[newLines.length - 1 - tail]) tail++;
  return { start: start + head, removed: oldLines.length - head - tail, added: newLines.length - head - tail };
}

/**
 * Findings counted by code and severity, kept up to date by adding and taking away (the editor's
 * model counts the findings an edit changed, not the file's).
 */
export class CodeCounts {
  private byCode = new Map<string, Record<Severity, number>>();

  add(list: readonly Finding[], by: 1 | -1 = 1): void {
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      let c = this.byCode.get(f.code);
      if (!c) this.byCode.set(f.code, (c = { error: 0, warning: 0, info: 0, hint: 0 }));
      c[f.severity] += by;
    }
  }

  /** The codes with their counts, those counted at all, by code. */
  entries(): [string, Record<Severity, number>][] {
    return [...this.byCode]
      .filter(([, c]) => c.error || c.warning || c.info || c.hint)
      .map(([code, c]): [string, Record<Severity, number>] => [code, { ...c }])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The counts by severity, without the codes in `skip`. */
  bySeverity(skip?: ReadonlySet<string>): Record<Severity, number> {
    const out: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
    for (const [code, c] of this.byCode) {
      if (skip?.has(code)) continue;
      out.error += c.error;
      out.warning += c.warning;
      out.info += c.info;
      out.hint += c.hint;
    }
    return out;
  }
}
