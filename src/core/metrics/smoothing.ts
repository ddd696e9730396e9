/**
 * TensorBoard's scalar smoothing: an exponential moving average whose start-up bias toward zero
 * is divided out (as in Adam), so the first smoothed points sit on the data instead of rising
 * from 0. Gaps (null, NaN, ±Infinity) pass through unsmoothed and do not move the average.
 *
 * `weight` is the slider value in [0, 1): 0 returns the raw values, 0.99 is very smooth.
 */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 0.999) : 0;
  const out: (number | null)[] = new Array(values.length);
  let last = 0;
  let accumulated = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      out[i] = v === null || Number.isNaN(v) ? null : v;
      continue;
    }
    last = last * w + (1 - w) * v;
    accumulated++;
    // 1 - w^n is the total weight the n points so far carry; dividing by it removes the bias.
    const debias = w === 0 ? 1 : 1 - Math.pow(w, accumulated);
    out[i] = last / debias;
  }
  return out;
}
