import { Finding } from '../findings';
import { FORMAT_LABELS, FormatId } from '../formats';
import { parseLine } from '../jsonl';
import { extractParts, PreferenceParts, Turn } from '../parts';
import { DEFAULT_DIFF_BUDGET, DiffBudget, diffResponses, ResponseDiff, segmentsPerTurn } from './diffModel';
import { sideKey, swapEdits } from './edits';
import { ColumnView, FindingView, RecordView, SideName } from './messages';
import { ColumnMetrics, MetricsProvider } from './metrics';
import { LineSource, RecordIndex } from './recordIndex';
import { DATASET_SIDES, SideNames, sideTitle } from '../trainer/evaluation';

/** What the view reads of a dataset: its lines, their parsed values and the format in force. */
export interface DatasetSource extends LineSource {
  value(i: number): unknown;
  readonly format: FormatId | undefined;
}


export interface RecordViewInput {
  uri: string;
  fileName: string;
  version: number;
  source: DatasetSource;
  index: RecordIndex;
  /** 0-based line of the record to show. */
  line: number;
  /** The findings of the document the view knows of: it picks the record's own (at least those must be here). */
  findings: readonly Finding[];
  /** Every line with a finding, when `findings` does not hold them all (the records with problems are counted from it). */
  problemLines?: ReadonlySet<number>;
  metrics?: MetricsProvider;
  /** Keeps metrics per line text so moving about does not score the same record again. */
  metricsMemo?: MetricsMemo;
  /** How the sides are named (a training job's evaluation file: tuned and base); chosen and rejected by default. */
  sides?: SideNames;
  budget?: DiffBudget;
}

/** Metrics of the last few records, by line text (clear it when the provider's settings change). */
export class MetricsMemo {
  private entries: { text: string; metrics: Partial<Record<SideName, ColumnMetrics>> | undefined }[] = [];

  constructor(private readonly size = 4) {}

  get(text: string, compute: () => Partial<Record<SideName, ColumnMetrics>> | undefined): Partial<Record<SideName, ColumnMetrics>> | undefined {
    const k = this.entries.findIndex((e) => e.text === text);
    if (k >= 0) {
      const [hit] = this.entries.splice(k, 1);
      this.entries.unshift(hit);
      return hit.metrics;
    }
    const metrics = compute();
    this.entries.unshift({ text, metrics });
    this.entries.length = Math.min(this.entries.length, this.size);
    return metrics;
  }

  clear(): void {
    this.entries = [];
  }
}

function metricsFor(provider: MetricsProvider, value: unknown, format: FormatId, text: string, memo: MetricsMemo | undefined): Partial<Record<SideName, ColumnMetrics>> | undefined {
  const compute = () => provider(value, format);
  return memo ? memo.get(text, compute) : compute();
}

/** Between the turns of a response when its text is diffed as one. */
export const TURN_SEPARATOR = '\n\n';

function titles(names: SideNames = DATASET_SIDES): Record<SideName, string> {
  return { chosen: sideTitle(names.chosen), rejected: sideTitle(names.rejected) };
}

function toFindingView(f: Finding): FindingView {
  const view: FindingView = { severity: f.severity, code: f.code, message: f.message, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn };
  if (f.field) view.field = f.field;
  return view;
}

/** The record key a display path like `chosen[0].content` starts with. */
function rootKey(field: string): string {
  const m = /^[^.[]+/.exec(field);
  if (m) return m[0];
  const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(field);
  return quoted ? (JSON.parse(`"${quoted[1]}"`) as string) : field;
}

function emptyColumn(side: SideName, title: string, field: string, reason: string, findings: FindingView[]): ColumnView {
  return { side, title, field, turns: [], emptyReason: reason, findings };
}

/**
 * The diffs of the last few records: moving the cursor inside a record, re-rendering or going
 * back and forth between neighbours must not diff again.
 */
export class DiffMemo {
  private entries: { a: string; b: string; budget: DiffBudget; diff: ResponseDiff }[] = [];

  constructor(private readonly size = 4) {}

  get(a: string, b: string, budget: DiffBudget): ResponseDiff {
    const k = this.entries.findIndex((e) => e.a === a && e.b === b && e.budget === budget);
    if (k >= 0) {
      const [hit] = this.entries.splice(k, 1);
      this.entries.unshift(hit);
      return hit.diff;
    }
    const diff = diffResponses(a, b, budget);
    this.entries.unshift({ a, b, budget, diff });
    this.entries.length = Math.min(this.entries.length, this.size);
    return diff;
  }
}

function problemOf(text: string | undefined, value: unknown, parts: PreferenceParts | undefined, format: FormatId | undefined): string | undefined {
  if (text === undefined) return 'The line no longer exists.';
  const parsed = parseLine(text);
  if (parsed.kind === 'invalid') return `This line is not valid JSON: ${parsed.finding.message.replace(/^Invalid JSON: /, '')}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'This line is not a JSON object.';
  if (!format) return 'The dataset format could not be detected, so the pair cannot be read. Choose one with "Dialogue Curator: Select Dataset Format…".';
  if (!parts) return 'The record could not be read as a pair.';
  return undefined;
}

/**
 * Everything the compare panel shows for one record: the conversation before the responses,
 * the two responses cut into diff segments per turn, the findings of each column, metrics and
 * where the record is in the file. Plain data, ready to post to the webview.
 */
export function buildRecordView(input: RecordViewInput, memo = new DiffMemo()): RecordView {
  const { source, line, index } = input;
  const format = source.format;
  const text = source.lineText(line);
  const value = source.value(line);
  const parts = format ? extractParts(format, value) : undefined;
  const problem = problemOf(text, value, parts, format);
  const names = input.sides ?? DATASET_SIDES;
  const sideTitles = titles(names);

  const lineFindings = input.findings.filter((f) => f.line === line).map(toFindingView);
  const keys: Record<SideName, string | undefined> = { chosen: sideKey(format, 'chosen'), rejected: sideKey(format, 'rejected') };
  const columnFindings = (s: SideName) => lineFindings.filter((f) => f.field !== undefined && keys[s] !== undefined && rootKey(f.field) === keys[s]);
  const chosenFindings = columnFindings('chosen');
  const rejectedFindings = columnFindings('rejected');
  const recordFindings = lineFindings.filter((f) => !chosenFindings.includes(f) && !rejectedFindings.includes(f));

  const problemLines = input.problemLines ?? new Set(input.findings.map((f) => f.line));
  let problemRecords = 0;
  for (const l of problemLines) if (index.numberOf(l) !== undefined) problemRecords++;

  const base = {
    uri: input.uri,
    fileName: input.fileName,
    version: input.version,
    line,
    recordNumber: index.numberOf(line) ?? 0,
    recordCount: index.count,
    formatLabel: format ? FORMAT_LABELS[format] : 'Unknown format',
    recordFindings,
    nav: { hasPrevious: index.previous(line) !== undefined, hasNext: index.next(line) !== undefined, problemRecords },
  };

  if (problem || !parts) {
    const reason = problem ?? 'The record could not be read.';
    return {
      ...base,
      problem: reason,
      context: [],
      chosen: emptyColumn('chosen', sideTitles.chosen, keys.chosen ?? '', reason, chosenFindings),
      rejected: emptyColumn('rejected', sideTitles.rejected, keys.rejected ?? '', reason, rejectedFindings),
      granularity: 'identical',
      canSwap: false,
    };
  }

  const chosenText = parts.chosen.map((t) => t.content).join(TURN_SEPARATOR);
  const rejectedText = parts.rejected.map((t) => t.content).join(TURN_SEPARATOR);
  const hasRejectedSide = keys.rejected !== undefined;
  const diff = hasRejectedSide
    ? memo.get(chosenText, rejectedText, input.budget ?? DEFAULT_DIFF_BUDGET)
    : { granularity: 'identical' as const, chosen: chosenText ? [{ text: chosenText, changed: false }] : [], rejected: [] };

  const metrics = format && input.metrics ? metricsFor(input.metrics, value, format, text ?? '', input.metricsMemo) : undefined;
  const column = (s: SideName, turns: Turn[], findings: FindingView[]): ColumnView => {
    const field = keys[s] ?? '';
    if (turns.length === 0) {
      const reason = keys[s] === undefined ? `${base.formatLabel} records have no ${names[s]} response.` : `The record has no ${names[s]} response.`;
      return emptyColumn(s, sideTitles[s], field, reason, findings);
    }
    const perTurn = segmentsPerTurn(diff[s], turns.map((t) => t.content.length), TURN_SEPARATOR);
    const view: ColumnView = {
      side: s,
      title: sideTitles[s],
      field,
      turns: turns.map((t, i) => ({ role: t.role, text: t.content, segments: perTurn[i] })),
      findings,
    };
    const m = metrics?.[s];
    if (m?.tokens !== undefined) view.tokens = m.tokens;
    if (m?.tokensDetail) view.tokensDetail = m.tokensDetail;
    if (m?.tone) view.tone = m.tone;
    return view;
  };

  const view: RecordView = {
    ...base,
    context: parts.context.map((t) => ({ role: t.role, text: t.content })),
    chosen: column('chosen', parts.chosen, chosenFindings),
    rejected: column('rejected', parts.rejected, rejectedFindings),
    granularity: diff.granularity,
    // An evaluation's sides are two models' answers, not a preference to flip.
    canSwap: input.sides === undefined && hasRejectedSide && text !== undefined && swapEdits(text, format).ok,
  };
  if ('note' in diff && diff.note) view.diffNote = diff.note;
  return view;
}
