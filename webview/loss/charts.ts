/**
 * Which charts the loss panel draws and from which series: TRL's DPO metrics grouped the way
 * they are read together, then the `eval_` versions of the same groups, then any other `eval_`
 * series on its own.
 */
export interface ChartSpec {
  id: string;
  title: string;
  series: string[];
  /** A dashed horizontal line (e.g. the loss at step 1, ln 2). */
  reference?: { value: number; label: string };
  /** Few, sparse points (evaluations): draw the points too. */
  sparse?: boolean;
}

export const BASE_CHARTS: readonly ChartSpec[] = [
  { id: 'loss', title: 'Loss', series: ['loss'], reference: { value: Math.LN2, label: 'ln 2' } },
  { id: 'accuracies', title: 'Reward accuracy', series: ['rewards/accuracies'] },
  { id: 'margins', title: 'Reward margin', series: ['rewards/margins'] },
  { id: 'rewards', title: 'Rewards: chosen and rejected', series: ['rewards/chosen', 'rewards/rejected'] },
  { id: 'logps', title: 'Log-probabilities: chosen and rejected', series: ['logps/chosen', 'logps/rejected'] },
  { id: 'learning_rate', title: 'Learning rate', series: ['learning_rate'] },
  { id: 'grad_norm', title: 'Gradient norm', series: ['grad_norm'] },
];

/** The charts for the series present, in display order; a chart appears once it has data. */
export function chartsFor(names: readonly string[]): ChartSpec[] {
  const present = new Set(names);
  const out: ChartSpec[] = [];
  const covered = new Set<string>();
  for (const spec of BASE_CHARTS) {
    const series = spec.series.filter((s) => present.has(s));
    if (series.length) out.push({ ...spec, series });
  }
  for (const spec of BASE_CHARTS) {
    const series = spec.series.map((s) => `eval_${s}`).filter((s) => present.has(s));
    series.forEach((s) => covered.add(s));
    if (series.length) out.push({ ...spec, id: `eval_${spec.id}`, title: `Evaluation: ${spec.title.toLowerCase()}`, series, sparse: true });
  }
  for (const name of names) {
    if (name.startsWith('eval_') && !covered.has(name)) {
      out.push({ id: name, title: `Evaluation: ${name.slice(5).replace(/_/g, ' ')}`, series: [name], sparse: true });
    }
  }
  return out;
}

/** Short legend names: `rewards/chosen` → `chosen`, `eval_loss` → `loss`. */
export function seriesLabel(name: string): string {
  const base = name.replace(/^eval_/, '');
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
