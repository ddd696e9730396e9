import { MetricsTable } from './table';

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The table as CSV: `step`, then `time` (ISO 8601, when known), then one column per metric in
 * the display order. Missing values are empty cells; numbers keep full precision. CRLF line
 * ends, as RFC 4180 and spreadsheet programs expect.
 */
export function metricsToCsv(table: MetricsTable): string {
  const names = table.names();
  const points = table.points();
  const withTime = points.some((p) => p.time !== undefined);
  const header = ['step', ...(withTime ? ['time'] : []), ...names];
  const lines = [header.map(field).join(',')];
  for (const p of points) {
    const cells = [String(p.step)];
    if (withTime) cells.push(p.time === undefined ? '' : new Date(p.time * 1000).toISOString());
    for (const n of names) {
      const v = p.values[n];
      cells.push(v === undefined || v === null ? '' : String(v));
    }
    lines.push(cells.map(field).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
