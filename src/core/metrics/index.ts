export { metricsToCsv } from './csv';
export { estimateRemainingSeconds, formatDuration } from './eta';
export type { StepTime } from './eta';
export { emaSmooth } from './smoothing';
export { compareMetricNames, MetricsTable, pointFromMetrics } from './table';
export type { MetricsPoint } from './table';
