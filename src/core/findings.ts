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

/** Moves a finding computed for a single line (line 0) to its real line number. */
export function atLine(finding: Finding, line: number): Finding {
  const shift = line - finding.line;
  if (shift === 0) return finding;
  return {
    ...finding,
    line: finding.line + shift,
    endLine: finding.endLine + shift,
    related: finding.related,
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.code.localeCompare(b.code);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
