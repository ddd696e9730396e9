/**
 * VS Code lists at most 1,000 diagnostics per file from one collection: past that it keeps
 * errors first, then warnings, notes and hints, and drops the rest (its extension host does so
 * after the extension converted and sent them all). A 100k-record dataset can carry 150k
 * findings, so converting, posting and shifting them all on every edit only to have them dropped
 * kept the extension host busy for half a second per keystroke. The editor picks the same
 * findings VS Code would keep, up front, and counts the rest: the status item gives the totals,
 * a note says how many are not listed, and the compare panel asks the worker for a record's
 * findings wherever they are.
 */
import { countBySeverity, Finding, Severity } from './findings';

/** The most diagnostics VS Code lists for one file (its extension host's limit). */
export const MAX_LISTED_PER_FILE = 1000;

const ORDER: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

export interface ListedFindings {
  /** At most `max` findings: the most severe first, in the order given within a severity; returned in the order given. */
  listed: Finding[];
  /** Every finding, by severity. */
  counts: Record<Severity, number>;
  total: number;
}

/** Picks the findings VS Code would keep of `findings` under a limit of `max`. */
export function listFindings(findings: readonly Finding[], max = MAX_LISTED_PER_FILE): ListedFindings {
  const counts = countBySeverity(findings);
  return { listed: pickListed(findings, counts, max), counts, total: findings.length };
}

/**
 * The findings VS Code would keep of `findings` (counted in `counts`) under a limit of `max`,
 * leaving out those with a code in `skip` (which `counts` does not count).
 */
export function pickListed(findings: readonly Finding[], counts: Record<Severity, number>, max = MAX_LISTED_PER_FILE, skip?: ReadonlySet<string>): Finding[] {
  const quota: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let left = max;
  for (const s of ORDER) {
    quota[s] = Math.min(counts[s], left);
    left -= quota[s];
  }
  const wanted = max - left;
  const listed: Finding[] = [];
  // Done once the quotas are met: the most severe often fill them within the first lines.
  for (let i = 0; i < findings.length && listed.length < wanted; i++) {
    const f = findings[i];
    if (quota[f.severity] > 0 && !skip?.has(f.code)) {
      quota[f.severity]--;
      listed.push(f);
    }
  }
  return listed;
}

export function addCounts(a: Record<Severity, number>, b: Record<Severity, number>): Record<Severity, number> {
  return { error: a.error + b.error, warning: a.warning + b.warning, info: a.info + b.info, hint: a.hint + b.hint };
}

/** The note that stands for the findings not listed (on the first line, where it is seen). */
export function notListedNote(hidden: number, max = MAX_LISTED_PER_FILE): Finding {
  const n = hidden.toLocaleString('en-US');
  return {
    line: 0,
    column: 0,
    endLine: 0,
    endColumn: 0,
    severity: 'info',
    code: 'problems-not-listed',
    message: `${n} more problem${hidden === 1 ? ' is' : 's are'} not listed: VS Code lists at most ${max.toLocaleString('en-US')} per file, errors first. The status item counts them all, the compare panel shows each record's findings, and \`dialogue-curator check\` reports every one.`,
  };
}

/**
 * What the Problems panel gets for a file: all of `findings` when they fit, otherwise the most
 * severe `max - 1` and the note for the rest. `total` counts findings known but not passed in
 * (the worker keeps the curation findings past the limit); it is at least `findings.length`.
 */
export function findingsToList(findings: readonly Finding[], total = findings.length, max = MAX_LISTED_PER_FILE): Finding[] {
  if (total <= max) return findings.slice();
  const { listed } = listFindings(findings, max - 1);
  return [...listed, notListedNote(total - listed.length, max)];
}
