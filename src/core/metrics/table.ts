/**
 * Training metrics keyed by step. A step that arrives twice (a replayed event, an evaluation
 * logged separately at the same step) is merged into one row, never appended: this is what makes
 * resumed and replayed streams free of duplicated points.
 */
import { DPO_METRIC_NAMES } from '../trainer/protocol';

export interface MetricsPoint {
  step: number;
  /** Seconds since the epoch when the trainer logged it (the event's `created_at`). */
  time?: number;
  values: Record<string, number | null>;
}

/** Keys of a metrics payload that are bookkeeping, not series. */
const NOT_SERIES = new Set(['step', 'max_steps']);

/** Turns a protocol metrics payload (`{step, max_steps, loss, …}`) into a point. */
export function pointFromMetrics(data: Record<string, unknown>, time?: number): MetricsPoint | undefined {
  const step = data.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) return undefined;
  const values: Record<string, number | null> = {};
  for (const [name, v] of Object.entries(data)) {
    if (NOT_SERIES.has(name)) continue;
    if (v === null || (typeof v === 'number' && Number.isFinite(v))) values[name] = v;
  }
  return time === undefined ? { step, values } : { step, time, values };
}

const KNOWN_ORDER = new Map<string, number>(DPO_METRIC_NAMES.map((n, i) => [n, i]));

/** TRL's names first in their usual order, then `eval_` ones, then anything else, alphabetically. */
export function compareMetricNames(a: string, b: string): number {
  const rank = (n: string) => (KNOWN_ORDER.has(n) ? 0 : n.startsWith('eval_') ? 1 : 2);
  return rank(a) - rank(b) || (KNOWN_ORDER.get(a) ?? 0) - (KNOWN_ORDER.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
}

export class MetricsTable {
  /** Sorted ascending. */
  private readonly stepList: number[] = [];
  private readonly rows = new Map<number, MetricsPoint>();
  private readonly nameSet = new Set<string>();

  get size(): number {
    return this.stepList.length;
  }

  /** Adds or merges a point; returns true when anything changed. */
  add(point: MetricsPoint): boolean {
    const existing = this.rows.get(point.step);
    for (const name of Object.keys(point.values)) this.nameSet.add(name);
    if (!existing) {
      const row: MetricsPoint = { step: point.step, values: { ...point.values } };
      if (point.time !== undefined) row.time = point.time;
      this.rows.set(point.step, row);
      const i = this.insertionIndex(point.step);
      this.stepList.splice(i, 0, point.step);
      return true;
    }
    let changed = false;
    for (const [name, v] of Object.entries(point.values)) {
      if (existing.values[name] !== v) {
        existing.values[name] = v;
        changed = true;
      }
    }
    // Keep the first time a step was seen: a replay must not move the ETA.
    if (existing.time === undefined && point.time !== undefined) {
      existing.time = point.time;
      changed = true;
    }
    return changed;
  }

  addAll(points: Iterable<MetricsPoint>): number {
    let changed = 0;
    for (const p of points) if (this.add(p)) changed++;
    return changed;
  }

  steps(): number[] {
    return [...this.stepList];
  }

  names(): string[] {
    return [...this.nameSet].sort(compareMetricNames);
  }

  has(name: string): boolean {
    return this.nameSet.has(name);
  }

  /** The values of one series aligned with `steps()`; null where a step lacks it. */
  column(name: string): (number | null)[] {
    return this.stepList.map((s) => {
      const v = this.rows.get(s)!.values[name];
      return v === undefined ? null : v;
    });
  }

  points(): MetricsPoint[] {
    return this.stepList.map((s) => {
      const r = this.rows.get(s)!;
      return r.time === undefined ? { step: s, values: { ...r.values } } : { step: s, time: r.time, values: { ...r.values } };
    });
  }

  last(): MetricsPoint | undefined {
    const s = this.stepList[this.stepList.length - 1];
    return s === undefined ? undefined : this.rows.get(s);
  }

  clear(): void {
    this.stepList.length = 0;
    this.rows.clear();
    this.nameSet.clear();
  }

  private insertionIndex(step: number): number {
    // Steps nearly always arrive in order: check the end before searching.
    const n = this.stepList.length;
    if (n === 0 || this.stepList[n - 1] < step) return n;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.stepList[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
