/** A step and when it was logged (seconds since the epoch). */
export interface StepTime {
  step: number;
  time: number;
}

/**
 * Seconds left until `maxSteps`, from the pace of the most recent `window` logged steps (a
 * least-squares line through step/time pairs, so a single slow or fast log does not swing it).
 * Undefined until two distinct steps over a positive time span are known, or when the run is
 * already at or past `maxSteps`.
 */
export function estimateRemainingSeconds(samples: readonly StepTime[], maxSteps: number | null | undefined, window = 30): number | undefined {
  if (!maxSteps || maxSteps <= 0 || samples.length < 2) return undefined;
  const recent = samples.slice(-window);
  const last = recent[recent.length - 1];
  if (last.step >= maxSteps) return 0;
  const n = recent.length;
  let sx = 0;
  let sy = 0;
  for (const p of recent) {
    sx += p.step;
    sy += p.time;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of recent) {
    sxx += (p.step - mx) ** 2;
    sxy += (p.step - mx) * (p.time - my);
  }
  if (sxx === 0) return undefined;
  const secondsPerStep = sxy / sxx;
  // All logged within the same second (the clock has 1 s resolution): no pace to go by yet.
  if (!(secondsPerStep > 0)) return undefined;
  return (maxSteps - last.step) * secondsPerStep;
}

/** `42 s`, `3 min 05 s`, `2 h 07 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}
