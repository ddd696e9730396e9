import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { emaSmooth, estimateRemainingSeconds, formatDuration, MetricsTable, metricsToCsv, pointFromMetrics } from '../../src/core/metrics';

const close = (a: number | null, b: number, eps = 1e-12) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('EMA smoothing is debiased: the first point is the first value, later ones weigh the past', () => {
  const out = emaSmooth([1, 2, 3], 0.5);
  close(out[0], 1);
  // (0.25·1 + 0.5·2) / (1 − 0.25) and (0.125·1 + 0.25·2 + 0.5·3) / (1 − 0.125)
  close(out[1], 1.25 / 0.75);
  close(out[2], 2.125 / 0.875);
});

test('EMA weight 0 returns the raw values; gaps pass through and do not move the average', () => {
  assert.deepEqual(emaSmooth([3, 1, 4], 0), [3, 1, 4]);
  const out = emaSmooth([2, null, Number.NaN, 4], 0.5);
  close(out[0], 2);
  assert.equal(out[1], null);
  assert.equal(out[2], null);
  // The gap counted for nothing: the fourth value is smoothed as the second point.
  close(out[3], (0.25 * 2 + 0.5 * 4) / 0.75);
});

test('EMA of a constant series is that constant for every weight (no start-up bias)', () => {
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: 200 }), (c, w, n) => {
      for (const v of emaSmooth(new Array(n).fill(c), w)) close(v, c, Math.max(1e-9, Math.abs(c) * 1e-9));
    }),
  );
});

test('EMA stays within the range of the values seen so far', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 100 }), fc.double({ min: 0, max: 0.99, noNaN: true }), (xs, w) => {
      const out = emaSmooth(xs, w);
      let lo = Infinity;
      let hi = -Infinity;
      xs.forEach((x, i) => {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        assert.ok(out[i]! >= lo - 1e-9 && out[i]! <= hi + 1e-9);
      });
    }),
  );
});

test('the table merges points of the same step instead of duplicating them, in step order', () => {
  const t = new MetricsTable();
  assert.equal(t.add({ step: 2, time: 100, values: { loss: 0.6 } }), true);
  assert.equal(t.add({ step: 1, time: 99, values: { loss: 0.69, 'rewards/margins': 0 } }), true);
  // A replay of the same event changes nothing.
  assert.equal(t.add({ step: 2, time: 100, values: { loss: 0.6 } }), false);
  // An evaluation logged at the same step joins the row; a later time does not move the first.
  assert.equal(t.add({ step: 2, time: 105, values: { eval_loss: 0.65 } }), true);
  assert.deepEqual(t.steps(), [1, 2]);
  assert.deepEqual(t.column('loss'), [0.69, 0.6]);
  assert.deepEqual(t.column('eval_loss'), [null, 0.65]);
  assert.equal(t.last()?.time, 100);
  assert.deepEqual(t.names(), ['loss', 'rewards/margins', 'eval_loss']);
});

test('any interleaving of replays keeps one row per step with the latest values', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 120 }), (steps) => {
      const t = new MetricsTable();
      for (const s of steps) t.add({ step: s, values: { loss: s / 10 } });
      const unique = [...new Set(steps)].sort((a, b) => a - b);
      assert.deepEqual(t.steps(), unique);
      assert.deepEqual(t.column('loss'), unique.map((s) => s / 10));
    }),
  );
});

test('metric names: TRL order first, then eval_ series, then the rest', () => {
  const t = new MetricsTable();
  t.add({ step: 1, values: { zeta: 1, eval_loss: 1, learning_rate: 1, loss: 1, 'rewards/accuracies': 1, epoch: 1, eval_acc: 1 } });
  assert.deepEqual(t.names(), ['loss', 'rewards/accuracies', 'learning_rate', 'epoch', 'eval_acc', 'eval_loss', 'zeta']);
});

test('pointFromMetrics keeps finite numbers and nulls, drops step bookkeeping, rejects a bad step', () => {
  assert.deepEqual(pointFromMetrics({ step: 3, max_steps: 30, loss: 0.5, grad_norm: null, note: 'x' }, 12), {
    step: 3,
    time: 12,
    values: { loss: 0.5, grad_norm: null },
  });
  assert.equal(pointFromMetrics({ step: -1, loss: 1 }), undefined);
  assert.equal(pointFromMetrics({ step: 1.5, loss: 1 }), undefined);
  assert.equal(pointFromMetrics({ loss: 1 }), undefined);
});

test('CSV export: header, ISO times, empty cells for gaps, full precision, quoting', () => {
  const t = new MetricsTable();
  t.add({ step: 1, time: 1_700_000_000, values: { loss: 0.6931471805599453, 'rewards/chosen': -0.001 } });
  t.add({ step: 2, time: 1_700_000_001, values: { loss: 0.5, 'odd,name': 1 } });
  const csv = metricsToCsv(t);
  assert.equal(
    csv,
    'step,time,loss,rewards/chosen,"odd,name"\r\n' +
      '1,2023-11-14T22:13:20.000Z,0.6931471805599453,-0.001,\r\n' +
      '2,2023-11-14T22:13:21.000Z,0.5,,1\r\n',
  );
  const noTime = new MetricsTable();
  noTime.add({ step: 5, values: { loss: 1 } });
  assert.equal(metricsToCsv(noTime), 'step,loss\r\n5,1\r\n');
});

test('ETA from the recent pace; undefined without a pace or a maximum', () => {
  const samples = Array.from({ length: 10 }, (_, i) => ({ step: (i + 1) * 10, time: 1000 + i * 5 }));
  // 0.5 s a step, 100 steps logged, 300 to go.
  close(estimateRemainingSeconds(samples, 400) ?? null, 150, 1e-9);
  assert.equal(estimateRemainingSeconds(samples, 100), 0);
  assert.equal(estimateRemainingSeconds(samples, null), undefined);
  assert.equal(estimateRemainingSeconds(samples.slice(0, 1), 400), undefined);
  assert.equal(estimateRemainingSeconds([{ step: 1, time: 5 }, { step: 2, time: 5 }], 10), undefined);
  // Only the recent window counts: a slow start no longer weighs on the estimate.
  const slowStart = [{ step: 1, time: 0 }, { step: 2, time: 100 }, ...Array.from({ length: 5 }, (_, i) => ({ step: 3 + i, time: 200 + i }))];
  close(estimateRemainingSeconds(slowStart, 17, 5) ?? null, 10, 1e-9);
});

test('durations read naturally', () => {
  assert.equal(formatDuration(42.4), '42 s');
  assert.equal(formatDuration(185), '3 min 05 s');
  assert.equal(formatDuration(2 * 3600 + 7 * 60 + 12), '2 h 07 min');
  assert.equal(formatDuration(-1), '–');
});

test('loss panel charts: DPO groups in order, eval_ series in their training chart, summary values apart', async () => {
  const { chartsFor, formatValue, seriesLabel } = await import('../../webview/loss/charts');
  const charts = chartsFor(['loss', 'rewards/chosen', 'rewards/rejected', 'grad_norm', 'eval_loss', 'eval_rewards/rejected', 'eval_runtime', 'epoch']);
  assert.deepEqual(
    charts.map((c) => [c.id, c.series.map((s) => s.name)]),
    [
      ['loss', ['loss', 'eval_loss']],
      ['rewards', ['rewards/chosen', 'rewards/rejected', 'eval_rewards/rejected']],
      ['grad_norm', ['grad_norm']],
    ],
  );
  assert.equal(charts[0].reference?.value, Math.LN2);
  assert.deepEqual(charts[0].series.map((s) => [s.label, s.eval, s.smoothed]), [['train', false, true], ['eval', true, false]]);
  assert.deepEqual(chartsFor([]), []);
  assert.equal(seriesLabel('eval_rewards/chosen'), 'chosen');
  assert.deepEqual([formatValue(0.693147), formatValue(1.5e-5), formatValue(-386.52), formatValue(null)], ['0.6931', '1.50e-5', '-386.5', '–']);
});
