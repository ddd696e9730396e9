/**
 * The loss panel's layout: which charts it draws from which series, and which values are a
 * one-line summary instead of a chart. Pure (no DOM), so it is tested in Node.
 *
 * Conventions an ML engineer knows from TensorBoard and W&B:
 * - a metric and its `eval_` counterpart share one chart (training solid, evaluation dashed with
 *   points), keyed by the training name, so the chart keeps its place when evaluation comes first
 *   (an evaluation at step 0) or training comes first;
 * - `…/chosen` and `…/rejected` share one chart wherever both exist, TRL's and unknown ones alike;
 * - speed and one-off values (`*_runtime`, `*_per_second`, `total_flos`, `train_loss`, `epoch`)
 *   are a key/value "Run summary", not charts;
 * - TRL's DPO charts come first in a fixed order, then other known ones, then unknown metrics in
 *   alphabetical order (stable whatever order they arrive in);
 * - the EMA smooths noisy per-step training series only: a schedule (`learning_rate`), a counter
 *   (`num_tokens`) and evaluation series (a few points each) are drawn raw.
 */

export interface SeriesSpec {
  /** The metric as logged, e.g. `eval_rewards/chosen`. */
  name: string;
  /** Legend text: `chosen`, `eval chosen`, `train`, `eval`. */
  label: string;
  /** An `eval_` series: drawn dashed with its points. */
  eval: boolean;
  /** Drawn raw and EMA-smoothed (true), or only raw (false). */
  smoothed: boolean;
  /** Index into the palette: an eval series takes the colour of its training counterpart. */
  color: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  series: SeriesSpec[];
  /** A dashed horizontal line (e.g. the loss at step 1, ln 2). */
  reference?: { value: number; label: string };
}

export interface SummaryItem {
  name: string;
  label: string;
}

export interface PanelLayout {
  charts: ChartSpec[];
  summary: SummaryItem[];
}

interface Group {
  id: string;
  title: string;
  /** Training names, in legend order. */
  series: string[];
  reference?: { value: number; label: string };
}

const EVAL = 'eval_';

/** Charts with known meaning, in display order: TRL's DPO metrics first, as the issue lists them. */
const KNOWN_GROUPS: readonly Group[] = [
  { id: 'loss', title: 'Loss', series: ['loss'], reference: { value: Math.LN2, label: 'ln 2' } },
  { id: 'accuracies', title: 'Reward accuracy', series: ['rewards/accuracies'] },
  { id: 'margins', title: 'Reward margin', series: ['rewards/margins'] },
  { id: 'rewards', title: 'Rewards: chosen and rejected', series: ['rewards/chosen', 'rewards/rejected'] },
  { id: 'logps', title: 'Log-probabilities: chosen and rejected', series: ['logps/chosen', 'logps/rejected'] },
  { id: 'logits', title: 'Mean logits: chosen and rejected', series: ['logits/chosen', 'logits/rejected'] },
  { id: 'learning_rate', title: 'Learning rate', series: ['learning_rate'] },
  { id: 'grad_norm', title: 'Gradient norm', series: ['grad_norm'] },
  // Logged by some TRL versions and options (rpo_alpha, MoE router loss, token statistics).
  { id: 'nll_loss', title: 'NLL loss (chosen)', series: ['nll_loss'] },
  { id: 'aux_loss', title: 'Router auxiliary loss', series: ['aux_loss'] },
  { id: 'entropy', title: 'Entropy', series: ['entropy'] },
  { id: 'mean_token_accuracy', title: 'Mean token accuracy', series: ['mean_token_accuracy'] },
  { id: 'num_tokens', title: 'Tokens seen', series: ['num_tokens'] },
];

const KNOWN_IDS: ReadonlySet<string> = new Set(KNOWN_GROUPS.map((g) => g.id));

/** Training series that are schedules or counters, not noisy measurements: never smoothed. */
function isSchedule(name: string): boolean {
  return name === 'learning_rate' || /(^|[/_])lr$/.test(name) || name.startsWith('num_');
}

/** Summary values in their display order; others that match `isSummary` follow alphabetically. */
const SUMMARY_ORDER: readonly [string, string][] = [
  ['epoch', 'Epoch'],
  ['train_runtime', 'Training time'],
  ['train_samples_per_second', 'Training samples/s'],
  ['train_steps_per_second', 'Training steps/s'],
  ['total_flos', 'Total FLOs'],
  ['train_loss', 'Mean training loss'],
  ['eval_runtime', 'Evaluation time'],
  ['eval_samples_per_second', 'Evaluation samples/s'],
  ['eval_steps_per_second', 'Evaluation steps/s'],
];
const SUMMARY_LABELS = new Map(SUMMARY_ORDER);
const SUMMARY_RANK = new Map(SUMMARY_ORDER.map(([name], i) => [name, i]));

/** Speed and one-off values: shown in the run summary, never as charts. */
export function isSummaryMetric(name: string): boolean {
  return SUMMARY_LABELS.has(name) || /_runtime$/.test(name) || /_per_second$/.test(name) || /(^|_)flos$/.test(name);
}

/** `eval_loss` → `loss`; a training name stays as it is. */
function trainingName(name: string): string {
  return name.startsWith(EVAL) ? name.slice(EVAL.length) : name;
}

function sideOf(name: string): 'chosen' | 'rejected' | undefined {
  return name.endsWith('/chosen') ? 'chosen' : name.endsWith('/rejected') ? 'rejected' : undefined;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The groups of metrics no known chart covers: `x/chosen` with `x/rejected`, the rest alone. */
function unknownGroups(trainingNames: readonly string[], takenIds: ReadonlySet<string>): Group[] {
  const names = new Set(trainingNames);
  const groups = new Map<string, Group>();
  for (const name of [...names].sort(byName)) {
    const side = sideOf(name);
    const stem = side ? name.slice(0, -side.length - 1) : '';
    const paired = side !== undefined && names.has(`${stem}/chosen`) && names.has(`${stem}/rejected`);
    const key = paired ? `${stem}/*` : name;
    if (groups.has(key)) continue;
    let id = paired && !names.has(stem) ? stem : key;
    // An unknown metric named like a known chart (e.g. `rewards`) must not take its place.
    if (takenIds.has(id)) id = `other:${id}`;
    groups.set(key, paired
      ? { id, title: `${stem}: chosen and rejected`, series: [`${stem}/chosen`, `${stem}/rejected`] }
      : { id, title: name, series: [name] });
  }
  return [...groups.values()];
}

/**
 * The panel's charts and summary for the series present (`MetricsTable.names()`). A chart appears
 * once any of its series has been logged; only the series present are in it.
 */
export function layoutFor(names: readonly string[]): PanelLayout {
  const present = new Set(names);
  const summary = names.filter(isSummaryMetric);
  const charted = names.filter((n) => !isSummaryMetric(n));
  const known = new Set(KNOWN_GROUPS.flatMap((g) => g.series));
  const unknown = charted.map(trainingName).filter((n) => !known.has(n));
  const charts: ChartSpec[] = [];
  for (const group of [...KNOWN_GROUPS, ...unknownGroups(unknown, KNOWN_IDS)]) {
    const series: SeriesSpec[] = [];
    group.series.forEach((name, color) => {
      const sideLabel = group.series.length > 1 ? seriesLabel(name) : '';
      if (present.has(name)) series.push({ name, label: sideLabel || 'train', eval: false, smoothed: !isSchedule(name), color });
    });
    group.series.forEach((name, color) => {
      const evalName = `${EVAL}${name}`;
      const sideLabel = group.series.length > 1 ? seriesLabel(name) : '';
      if (present.has(evalName)) series.push({ name: evalName, label: sideLabel ? `eval ${sideLabel}` : 'eval', eval: true, smoothed: false, color });
    });
    if (series.length) charts.push({ id: group.id, title: group.title, series, ...(group.reference ? { reference: group.reference } : {}) });
  }
  summary.sort((a, b) => (SUMMARY_RANK.get(a) ?? SUMMARY_ORDER.length) - (SUMMARY_RANK.get(b) ?? SUMMARY_ORDER.length) || byName(a, b));
  return { charts, summary: summary.map((name) => ({ name, label: SUMMARY_LABELS.get(name) ?? name })) };
}

/** The charts alone (see `layoutFor`). */
export function chartsFor(names: readonly string[]): ChartSpec[] {
  return layoutFor(names).charts;
}

/** Short legend names: `rewards/chosen` → `chosen`, `eval_loss` → `loss`. */
export function seriesLabel(name: string): string {
  const base = trainingName(name);
  const slash = base.lastIndexOf('/');
  return slash >= 0 ? base.slice(slash + 1) : base;
}

/** Compact numbers for axes and legends: 0.6931, 1.2e-5, 1234. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  if (a >= 100) return String(Number(v.toFixed(1)));
  return String(Number(v.toPrecision(4)));
}

/** A summary value as read: runtimes as durations, rates per second, the rest compact. */
export function formatSummaryValue(name: string, v: number | null | undefined, duration: (seconds: number) => string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (/_runtime$/.test(name)) return duration(v);
  if (/_per_second$/.test(name)) return `${formatValue(v)}/s`;
  return formatValue(v);
}
