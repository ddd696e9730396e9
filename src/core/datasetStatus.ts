/**
 * What the language status item of an open dataset says: the format and the record count as its
 * label, the problems as its detail ("3 errors, 12 warnings, 1 note"), and whether it should
 * draw attention (errors only: tone warnings are common and should not make the status flash).
 */
import { Severity } from './findings';
import { FORMAT_LABELS, FormatId } from './formats';

export interface DatasetStatusInput {
  format: FormatId | undefined;
  formatSource: 'detected' | 'config' | 'override';
  records: number;
  /** Every finding, by severity. */
  counts: Readonly<Record<Severity, number>>;
  checking: boolean;
}

export interface DatasetStatus {
  /** "TRL preference (standard) · 24 records" */
  label: string;
  /** "2 errors, 3 warnings" / "no problems" / "checking…" */
  detail: string;
  severity: 'error' | 'information';
  /** For screen readers: the label and detail in one sentence. */
  accessibilityLabel: string;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

const SOURCE: Record<DatasetStatusInput['formatSource'], string> = {
  detected: 'detected from the records',
  config: 'from .dialoguecurator.json',
  override: 'chosen for this file',
};

export function datasetStatus(report: DatasetStatusInput): DatasetStatus {
  const format = report.format ? FORMAT_LABELS[report.format] : 'Unknown format';
  const label = `${format} · ${plural(report.records, 'record')}`;
  const counts = report.counts;
  const parts: string[] = [];
  if (counts.error) parts.push(plural(counts.error, 'error'));
  if (counts.warning) parts.push(plural(counts.warning, 'warning'));
  if (counts.info + counts.hint) parts.push(plural(counts.info + counts.hint, 'note'));
  const detail = report.checking ? 'checking…' : parts.length ? parts.join(', ') : 'no problems';
  const how = report.format ? ` (${SOURCE[report.formatSource]})` : '';
  return {
    label,
    detail,
    severity: counts.error ? 'error' : 'information',
    accessibilityLabel: `Dialogue Curator: ${format}${how}, ${plural(report.records, 'record')}, ${detail}`,
  };
}
