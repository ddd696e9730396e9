/**
 * The loss panel's layout (webview/loss/charts.ts) on what TRL really logs: a training log line
 * of current TRL's DPOTrainer (with the token statistics of recent versions), an evaluation line
 * and the end-of-training summary line, as the metrics callback forwards them (plus step).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsToCsv, MetricsTable, pointFromMetrics } from '../../src/core/metrics';
import { ChartSpec, formatSummaryValue, layoutFor } from '../../webview/loss/charts';

const TRAIN_LINE = {
  step: 10,
  max_steps: 250,
  loss: 0.6874,
  grad_norm: 14.82,
  learning_rate: 4.6e-7,
  num_tokens: 163840,
  'rewards/chosen': 0.0123,
  'rewards/rejected': -0.0071,
  'rewards/accuracies': 0.6125,
  'rewards/margins': 0.0194,
  'logps/chosen': -318.41,
  'logps/rejected': -301.77,
  'logits/chosen': -2.7315,
  'logits/rejected': -2.6988,
  entropy: 1.902,
  mean_token_accuracy: 0.6071,
  epoch: 0.04,
};

const EVAL_LINE = {
  step: 10,
  max_steps: 250,
  eval_loss: 0.6902,
  'eval_rewards/chosen': 0.0081,
  'eval_rewards/rejected': -0.0023,
  'eval_rewards/accuracies': 0.5417,
  'eval_rewards/margins': 0.0104,
  'eval_logps/chosen': -322.9,
  'eval_logps/rejected': -307.2,
  'eval_logits/chosen': -2.7402,
  'eval_logits/rejected': -2.7051,
  eval_runtime: 41.27,
  eval_samples_per_second: 11.63,
  eval_steps_per_second: 1.454,
  epoch: 0.04,
};

const SUMMARY_LINE = {
  step: 250,
  max_steps: 250,
  train_runtime: 5012.4,
  train_samples_per_second: 3.192,
  train_steps_per_second: 0.05,
  total_flos: 0,
  train_loss: 0.4127,
  epoch: 1,
};

/** The names the panel's table holds after these lines, as the panel gets them. */
function namesAfter(...lines: Record<string, number>[]): string[] {
  const table = new MetricsTable();
  lines.forEach((line, i) => table.add(pointFromMetrics(line, 1_700_000_000 + i)!));
  return table.names();
}

const ids = (charts: ChartSpec[]) => charts.map((c) => c.id);
const seriesOf = (charts: ChartSpec[], id: string) => charts.find((c) => c.id === id)?.series.map((s) => s.name);

test('a full TRL run: known charts in order, eval series in their training chart, speed and one-offs in the summary', () => {
  const { charts, summary } = layoutFor(namesAfter(TRAIN_LINE, EVAL_LINE, SUMMARY_LINE));
  assert.deepEqual(ids(charts), [
    'loss',
    'accuracies',
    'margins',
    'rewards',
    'logps',
    'logits',
    'learning_rate',
    'grad_norm',
    'entropy',
    'mean_token_accuracy',
    'num_tokens',
  ]);
  assert.deepEqual(seriesOf(charts, 'loss'), ['loss', 'eval_loss']);
  assert.equal(charts[0].reference?.value, Math.LN2);
  assert.deepEqual(seriesOf(charts, 'rewards'), ['rewards/chosen', 'rewards/rejected', 'eval_rewards/chosen', 'eval_rewards/rejected']);
  assert.deepEqual(seriesOf(charts, 'logps'), ['logps/chosen', 'logps/rejected', 'eval_logps/chosen', 'eval_logps/rejected']);
  assert.deepEqual(seriesOf(charts, 'logits'), ['logits/chosen', 'logits/rejected', 'eval_logits/chosen', 'eval_logits/rejected']);
  assert.deepEqual(seriesOf(charts, 'accuracies'), ['rewards/accuracies', 'eval_rewards/accuracies']);
  assert.deepEqual(seriesOf(charts, 'learning_rate'), ['learning_rate']);

  // A pair chart: chosen and rejected keep their colours in training and evaluation.
  const rewards = charts.find((c) => c.id === 'rewards')!;
  assert.deepEqual(
    rewards.series.map((s) => [s.label, s.color, s.eval]),
    [
      ['chosen', 0, false],
      ['rejected', 1, false],
      ['eval chosen', 0, true],
      ['eval rejected', 1, true],
    ],
  );

  assert.deepEqual(
    summary.map((s) => [s.name, s.label]),
    [
      ['epoch', 'Epoch'],
      ['train_runtime', 'Training time'],
      ['train_samples_per_second', 'Training samples/s'],
      ['train_steps_per_second', 'Training steps/s'],
      ['total_flos', 'Total FLOs'],
      ['train_loss', 'Mean training loss'],
      ['eval_runtime', 'Evaluation time'],
      ['eval_samples_per_second', 'Evaluation samples/s'],
      ['eval_steps_per_second', 'Evaluation steps/s'],
    ],
  );

  // Every metric is drawn once or listed once; none is lost, none twice.
  const charted = charts.flatMap((c) => c.series.map((s) => s.name));
  const all = [...charted, ...summary.map((s) => s.name)].sort();
  assert.deepEqual(all, namesAfter(TRAIN_LINE, EVAL_LINE, SUMMARY_LINE).sort());
});

test('smoothing applies to noisy per-step training series only: not the schedule, the counter or evaluations', () => {
  const { charts } = layoutFor(namesAfter(TRAIN_LINE, EVAL_LINE, SUMMARY_LINE));
  const series = charts.flatMap((c) => c.series);
  const smoothed = series.filter((s) => s.smoothed).map((s) => s.name).sort();
  assert.deepEqual(smoothed, [
    'entropy',
    'grad_norm',
    'logits/chosen',
    'logits/rejected',
    'logps/chosen',
    'logps/rejected',
    'loss',
    'mean_token_accuracy',
    'rewards/accuracies',
    'rewards/chosen',
    'rewards/margins',
    'rewards/rejected',
  ]);
  const raw = series.filter((s) => !s.smoothed).map((s) => s.name);
  assert.ok(raw.includes('learning_rate') && raw.includes('num_tokens'));
  assert.ok(series.filter((s) => s.name.startsWith('eval_')).every((s) => s.eval && !s.smoothed));
  assert.ok(series.filter((s) => !s.name.startsWith('eval_')).every((s) => !s.eval));
});

test('the layout does not depend on the order metrics arrive in', () => {
  const names = namesAfter(TRAIN_LINE, EVAL_LINE, SUMMARY_LINE);
  const extra = ['zeta', 'kl', 'eval_kl', 'custom/rejected', 'custom/chosen', 'eval_bleu'];
  const forward = layoutFor([...names, ...extra]);
  const backward = layoutFor([...names, ...extra].reverse());
  assert.deepEqual(backward, forward);
  // And the same as the panel sees it, after its table sorted the names.
  assert.deepEqual(layoutFor(namesAfter(SUMMARY_LINE, EVAL_LINE, TRAIN_LINE)), layoutFor(names));
});

test('unknown metrics: charts after the known ones, alphabetical, chosen/rejected paired, eval_ with its counterpart', () => {
  const { charts, summary } = layoutFor(['loss', 'zeta', 'kl', 'eval_kl', 'custom/rejected', 'custom/chosen', 'eval_bleu', 'lonely/chosen', 'predict_runtime']);
  assert.deepEqual(
    charts.map((c) => [c.id, c.title, c.series.map((s) => `${s.name}:${s.label}`)]),
    [
      ['loss', 'Loss', ['loss:train']],
      ['bleu', 'bleu', ['eval_bleu:eval']],
      ['custom', 'custom: chosen and rejected', ['custom/chosen:chosen', 'custom/rejected:rejected']],
      ['kl', 'kl', ['kl:train', 'eval_kl:eval']],
      ['lonely/chosen', 'lonely/chosen', ['lonely/chosen:train']],
      ['zeta', 'zeta', ['zeta:train']],
    ],
  );
  // Unknown speed values go to the summary too, after the known ones.
  assert.deepEqual(summary.map((s) => [s.name, s.label]), [['predict_runtime', 'predict_runtime']]);
  // An unknown metric named like a known chart does not take that chart's place.
  const clash = layoutFor(['rewards', 'rewards/chosen']).charts;
  assert.deepEqual(ids(clash), ['rewards', 'other:rewards']);
  assert.deepEqual(seriesOf(clash, 'rewards'), ['rewards/chosen']);
  assert.deepEqual(seriesOf(clash, 'other:rewards'), ['rewards']);
  // Unknown schedules are not smoothed either.
  assert.deepEqual(
    layoutFor(['beta', 'head_lr']).charts.map((c) => [c.id, c.series[0].smoothed]),
    [
      ['beta', true],
      ['head_lr', false],
    ],
  );
});

test('an evaluation before the first training log (step 0) opens the training chart it belongs to', () => {
  const before = layoutFor(namesAfter({ ...EVAL_LINE, step: 0 }));
  assert.deepEqual(ids(before.charts), ['loss', 'accuracies', 'margins', 'rewards', 'logps', 'logits']);
  assert.deepEqual(seriesOf(before.charts, 'loss'), ['eval_loss']);
  assert.deepEqual(before.charts[0].series.map((s) => s.label), ['eval']);
  const after = layoutFor(namesAfter({ ...EVAL_LINE, step: 0 }, TRAIN_LINE));
  assert.deepEqual(ids(after.charts).slice(0, 6), ids(before.charts), 'the charts keep their ids and order');
  assert.deepEqual(seriesOf(after.charts, 'loss'), ['loss', 'eval_loss']);
});

test('summary values read as durations, rates and plain numbers; the CSV keeps every metric', () => {
  const d = (s: number) => `${s}s`;
  assert.equal(formatSummaryValue('train_runtime', 5012.4, d), '5012.4s');
  assert.equal(formatSummaryValue('train_samples_per_second', 3.192, d), '3.192/s');
  assert.equal(formatSummaryValue('total_flos', 1.2e18, d), '1.20e+18');
  assert.equal(formatSummaryValue('epoch', 1, d), '1');
  assert.equal(formatSummaryValue('epoch', null, d), '–');

  const table = new MetricsTable();
  for (const line of [TRAIN_LINE, EVAL_LINE, SUMMARY_LINE]) table.add(pointFromMetrics(line)!);
  const header = metricsToCsv(table).split('\r\n')[0].split(',');
  for (const name of Object.keys({ ...TRAIN_LINE, ...EVAL_LINE, ...SUMMARY_LINE })) {
    if (name === 'max_steps') continue;
    assert.ok(header.includes(name), `${name} missing from the CSV header`);
  }
});
