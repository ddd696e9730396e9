/**
 * The loss panel: live uPlot charts of a DPO job's metrics (layout in charts.ts), noisy training
 * series smoothed with TensorBoard's debiased EMA (raw points stay visible), evaluation series
 * dashed with their points in the chart of their training counterpart, a run summary of speed
 * and one-off values, the job's status and log, Cancel and CSV export. Everything arrives as
 * messages from the extension; text is only ever set with textContent.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './loss.css';
import { emaSmooth, estimateRemainingSeconds, formatDuration, MetricsTable } from '../../src/core/metrics';
import { ChartSpec, formatSummaryValue, formatValue, layoutFor, SummaryItem } from './charts';
import { jobClock } from './clock';
import { connectionText } from './connection';
import { ConnectionView, JobView, LogEntry, PanelState, parseToPanel, ToHost, ToPanel } from './messages';

interface VsCodeApi {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const DEFAULT_SMOOTHING = 0.6;
const MAX_LOG_ENTRIES = 2000;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

// ---------------------------------------------------------------------------------------------
// DOM helpers

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fact(label: string): { root: HTMLElement; value: HTMLElement } {
  const root = el('span');
  root.append(el('span', 'label', label));
  const value = el('span', 'value', '–');
  root.append(value);
  return { root, value };
}

// ---------------------------------------------------------------------------------------------
// Colours come from the theme; canvas needs concrete values, with an alpha for raw points.

const probe = document.createElement('canvas').getContext('2d');

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function withAlpha(color: string, alpha: number): string {
  if (!probe) return color;
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  const normal = probe.fillStyle; // "#rrggbb" or "rgba(r, g, b, a)"
  if (normal.startsWith('#') && normal.length === 7) {
    const n = parseInt(normal.slice(1), 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const m = /rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(normal);
  return m ? `rgba(${m[1].trim()}, ${m[2].trim()}, ${m[3].trim()}, ${alpha})` : color;
}

function palette(): string[] {
  return [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-yellow', '#cca700'),
  ];
}

// ---------------------------------------------------------------------------------------------
// One chart

function lastValue(values: readonly (number | null)[]): number | null | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return undefined;
}

/** Same charts, same series, drawn the same way: the chart can stay and take new data. */
function sameSpec(a: ChartSpec, b: ChartSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

class Chart {
  readonly root = el('section', 'chart');
  private readonly legendValues: HTMLElement[] = [];
  private readonly plotHost = el('div', 'plot');
  private plot: uPlot | undefined;
  private readonly resize: ResizeObserver;

  constructor(readonly spec: ChartSpec, private readonly colors: string[]) {
    this.root.dataset.chart = spec.id;
    this.root.append(el('h2', undefined, spec.title));
    const legend = el('div', 'legend');
    for (const s of spec.series) {
      const item = el('span');
      item.dataset.series = s.name;
      item.title = s.smoothed ? `${s.name} (smoothed; faint line: raw)` : `${s.name} (raw)`;
      const swatch = el('span', s.eval ? 'swatch eval' : 'swatch');
      swatch.style.borderColor = colors[s.color % colors.length];
      item.append(swatch, document.createTextNode(s.label));
      const value = el('span', 'value', '–');
      this.legendValues.push(value);
      item.append(value);
      legend.append(item);
    }
    if (spec.reference) {
      const ref = el('span', undefined, `dashed: ${spec.reference.label} = ${formatValue(spec.reference.value)}`);
      legend.append(ref);
    }
    this.root.append(legend, this.plotHost);
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.plotHost);
  }

  private size(): { width: number; height: number } {
    const width = Math.max(240, Math.floor(this.plotHost.clientWidth));
    return { width, height: Math.round(Math.min(260, Math.max(180, width * 0.5))) };
  }

  private fit(): void {
    if (this.plot) this.plot.setSize(this.size());
  }

  private create(data: uPlot.AlignedData): void {
    const fg = cssVar('--vscode-foreground', '#ccc');
    const grid = withAlpha(cssVar('--vscode-foreground', '#ccc'), 0.12);
    const series: uPlot.Series[] = [{ label: 'step' }];
    for (const s of this.spec.series) {
      const color = this.colors[s.color % this.colors.length];
      if (s.eval) {
        // Few points (one per evaluation): each one shown, joined by a dashed line.
        series.push({ label: s.name, stroke: color, width: 1.5, dash: [6, 4], spanGaps: true, points: { show: true, size: 7, stroke: color, fill: color } });
      } else if (s.smoothed) {
        series.push({ label: `${s.name} (raw)`, stroke: withAlpha(color, 0.3), width: 1, spanGaps: true, points: { show: false } });
        series.push({ label: s.name, stroke: color, width: 2, spanGaps: true, points: { show: false } });
      } else {
        series.push({ label: s.name, stroke: color, width: 2, spanGaps: true, points: { show: false } });
      }
    }
    const reference = this.spec.reference;
    const axis = (label: string): uPlot.Axis => ({
      label,
      stroke: fg,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      labelSize: 16,
    });
    const opts: uPlot.Options = {
      ...this.size(),
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: {
        x: { time: false },
        y: {
          range: (_u, min, max) => {
            let lo = min;
            let hi = max;
            if (reference) {
              lo = lo === null || lo === undefined ? reference.value : Math.min(lo, reference.value);
              hi = hi === null || hi === undefined ? reference.value : Math.max(hi, reference.value);
            }
            if (lo === null || hi === null || lo === undefined || hi === undefined) return [0, 1];
            const pad = hi === lo ? Math.abs(hi) * 0.1 || 0.1 : (hi - lo) * 0.08;
            return [lo - pad, hi + pad];
          },
        },
      },
      axes: [axis('step'), { ...axis(''), size: 60, values: (_u, ticks) => ticks.map((t) => formatValue(t)) }],
      series,
      hooks: reference
        ? {
            draw: [
              (u) => {
                const y = u.valToPos(reference.value, 'y', true);
                const { left, top, width, height } = u.bbox;
                if (!(y >= top && y <= top + height)) return;
                const ctx = u.ctx;
                ctx.save();
                ctx.strokeStyle = withAlpha(fg, 0.7);
                ctx.lineWidth = devicePixelRatio;
                ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
                ctx.beginPath();
                ctx.moveTo(left, y);
                ctx.lineTo(left + width, y);
                ctx.stroke();
                ctx.setLineDash([]);
                ctx.fillStyle = withAlpha(fg, 0.85);
                ctx.font = `${11 * devicePixelRatio}px ${cssVar('--vscode-font-family', 'sans-serif')}`;
                ctx.textAlign = 'right';
                ctx.textBaseline = 'bottom';
                ctx.fillText(reference.label, left + width - 4 * devicePixelRatio, y - 2 * devicePixelRatio);
                ctx.restore();
              },
            ],
          }
        : {},
    };
    this.plot = new uPlot(opts, data, this.plotHost);
  }

  update(table: MetricsTable, weight: number): void {
    const steps = table.steps();
    const data: (number | null)[][] = [steps];
    this.spec.series.forEach((s, i) => {
      const raw = table.column(s.name);
      const shown = s.smoothed ? emaSmooth(raw, weight) : raw;
      if (s.smoothed) data.push(raw);
      data.push(shown);
      this.legendValues[i].textContent = formatValue(lastValue(shown));
    });
    const aligned = data as unknown as uPlot.AlignedData;
    if (!this.plot) this.create(aligned);
    else this.plot.setData(aligned);
  }

  dispose(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.root.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// The panel

class LossPanel {
  private readonly table = new MetricsTable();
  private readonly logs: LogEntry[] = [];
  private job: JobView | undefined;
  private connection: ConnectionView = { state: 'connecting' };
  private smoothing: number;
  private readonly charts = new Map<string, Chart>();
  private renderQueued = false;
  private lastReport = '';

  private readonly title = el('h1', undefined, 'DPO training');
  private readonly badge = el('span', 'badge', 'connecting');
  private readonly subtitle = el('span', 'subtitle');
  private readonly step = fact('Step');
  private readonly queued = fact('Queued');
  private readonly elapsed = fact('Elapsed');
  private readonly eta = fact('Remaining');
  private readonly latestLoss = fact('Loss');
  private readonly connectionText = el('span', 'connection');
  private readonly retryButton = el('button', 'secondary', 'Retry Now');
  private readonly progressBar = el('div');
  private readonly errorText = el('p', 'error-text');
  private readonly slider = el('input');
  private readonly sliderValue = el('output');
  private readonly cancelButton = el('button', 'secondary', 'Cancel Job');
  private readonly exportButton = el('button', 'secondary', 'Export CSV…');
  private readonly downloadButton = el('button', undefined, 'Download Trained Model…');
  private readonly waiting = el('p', 'waiting', 'Waiting for the first metrics…');
  private readonly chartGrid = el('div', 'charts');
  private readonly summarySection = el('section', 'run-summary');
  private readonly summaryList = el('dl');
  private readonly logList = el('ol', 'log-list');
  private readonly colors = palette();

  constructor(root: HTMLElement, state: Partial<PanelState>) {
    this.smoothing = typeof state.smoothing === 'number' ? state.smoothing : DEFAULT_SMOOTHING;
    const header = el('header', 'job');
    const titleRow = el('div', 'title-row');
    titleRow.append(this.title, this.badge, this.subtitle);
    const facts = el('div', 'facts');
    this.queued.root.title = 'Validation of the dataset and waiting in the trainer\'s queue';
    this.elapsed.root.title = 'Training time, from the start of the job on the trainer';
    this.retryButton.hidden = true;
    this.retryButton.addEventListener('click', () => vscode.postMessage({ type: 'retry' }));
    facts.append(this.step.root, this.queued.root, this.elapsed.root, this.eta.root, this.latestLoss.root, this.connectionText, this.retryButton);
    const progress = el('div', 'progress');
    progress.append(this.progressBar);

    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = '0.99';
    this.slider.step = '0.01';
    this.slider.value = String(this.smoothing);
    this.slider.id = 'smoothing';
    this.slider.setAttribute('aria-label', 'Smoothing');
    this.sliderValue.textContent = this.smoothing.toFixed(2);
    const sliderLabel = el('label', undefined, 'Smoothing');
    sliderLabel.append(this.slider, this.sliderValue);
    this.slider.addEventListener('input', () => {
      this.smoothing = Number(this.slider.value);
      this.sliderValue.textContent = this.smoothing.toFixed(2);
      this.saveState();
      this.queueRender();
    });
    this.cancelButton.addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
    this.exportButton.addEventListener('click', () => vscode.postMessage({ type: 'exportCsv' }));
    this.downloadButton.id = 'download-results';
    this.downloadButton.hidden = true;
    this.downloadButton.title = 'Download the trained model (or adapter), its training log and evaluation into a folder';
    this.downloadButton.addEventListener('click', () => vscode.postMessage({ type: 'downloadResults' }));
    const controls = el('div', 'controls');
    controls.append(sliderLabel, this.exportButton, this.cancelButton, this.downloadButton);

    header.append(titleRow, facts, progress, controls, this.errorText);
    const logSection = el('section', 'log');
    logSection.append(el('h2', undefined, 'Trainer log'), this.logList);
    this.summarySection.hidden = true;
    this.summarySection.append(el('h2', undefined, 'Run summary'), this.summaryList);
    root.append(header, this.waiting, this.summarySection, this.chartGrid, logSection);
    this.renderStatus();
    setInterval(() => this.renderClock(), 1000);
  }

  receive(message: ToPanel): void {
    switch (message.type) {
      case 'job':
        this.job = message.job;
        this.saveState();
        this.renderStatus();
        break;
      case 'points':
        if (message.reset) this.table.clear();
        this.table.addAll(message.points);
        this.queueRender();
        break;
      case 'log':
        if (message.reset) {
          this.logs.length = 0;
          this.logList.replaceChildren();
        }
        this.appendLogs(message.entries);
        break;
      case 'connection':
        this.connection = { state: message.state, detail: message.detail, attempt: message.attempt, retryAt: message.retryAt };
        this.renderStatus();
        break;
    }
  }

  private saveState(): void {
    if (!this.job) return;
    vscode.setState({ trainerUrl: this.job.trainerUrl, jobId: this.job.id, smoothing: this.smoothing });
  }

  private appendLogs(entries: LogEntry[]): void {
    const atBottom = this.logList.scrollTop + this.logList.clientHeight >= this.logList.scrollHeight - 4;
    for (const entry of entries) {
      this.logs.push(entry);
      const li = el('li', entry.level);
      li.append(el('span', 'time', new Date(entry.time * 1000).toLocaleTimeString()), document.createTextNode(entry.message));
      this.logList.append(li);
    }
    while (this.logs.length > MAX_LOG_ENTRIES) {
      this.logs.shift();
      this.logList.firstElementChild?.remove();
    }
    if (atBottom) this.logList.scrollTop = this.logList.scrollHeight;
  }

  private maxSteps(): number | undefined {
    return this.job?.maxSteps;
  }

  private renderStatus(): void {
    const job = this.job;
    if (job) {
      this.title.textContent = `DPO training · ${job.id}`;
      this.subtitle.textContent = `${job.trainerName} (${job.host}) · ${job.model}`;
      this.badge.textContent = job.status.replace('_', ' ');
      this.badge.className = `badge ${job.status}`;
      this.errorText.textContent = job.error ?? '';
      this.cancelButton.disabled = TERMINAL.has(job.status);
      this.downloadButton.hidden = !(job.status === 'succeeded' && (job.resultFiles ?? 0) > 0);
    } else {
      this.cancelButton.disabled = true;
      this.downloadButton.hidden = true;
    }
    this.renderConnection();
    this.renderProgress();
    this.renderClock();
  }

  private renderConnection(): void {
    const state = this.connection.state;
    this.connectionText.textContent = connectionText(this.connection, Date.now());
    this.connectionText.className = `connection ${state}`;
    // Waiting for the next attempt, or stopped by the trainer's answer (e.g. after setting a token).
    this.retryButton.hidden = state !== 'reconnecting' && state !== 'failed';
    this.retryButton.textContent = state === 'failed' ? 'Retry' : 'Retry Now';
  }

  private renderProgress(): void {
    const last = this.table.last();
    const max = this.maxSteps();
    const step = last?.step ?? 0;
    this.step.value.textContent = max ? `${step} of ${max}` : last ? String(step) : '–';
    const done = this.job?.status === 'succeeded';
    this.progressBar.style.width = `${done ? 100 : max ? Math.min(100, (step / max) * 100) : 0}%`;
    const loss = last ? this.table.column('loss').reverse().find((v) => v !== null) : undefined;
    this.latestLoss.value.textContent = formatValue(loss);
    this.exportButton.disabled = this.table.size === 0;
  }

  private renderClock(): void {
    // The countdown to the next attempt moves with the clock.
    if (this.connection.state === 'reconnecting') this.connectionText.textContent = connectionText(this.connection, Date.now());
    const job = this.job;
    if (!job) return;
    const clock = jobClock(job, Date.now() / 1000);
    this.queued.value.textContent = clock.queued === undefined ? '–' : formatDuration(clock.queued);
    this.elapsed.value.textContent = clock.elapsed === undefined ? '–' : formatDuration(clock.elapsed);
    if (TERMINAL.has(job.status)) {
      this.eta.value.textContent = job.status === 'succeeded' ? 'done' : '–';
      return;
    }
    const samples = this.table.points().flatMap((p) => (p.time === undefined ? [] : [{ step: p.step, time: p.time }]));
    const remaining = estimateRemainingSeconds(samples, this.maxSteps());
    if (remaining === undefined) {
      this.eta.value.textContent = '–';
      return;
    }
    // Count down from the last logged step rather than jump at each log.
    const lastTime = samples[samples.length - 1].time;
    const left = Math.max(0, remaining - (Date.now() / 1000 - lastTime));
    this.eta.value.textContent = `about ${formatDuration(left)}`;
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderCharts();
    });
  }

  private renderCharts(): void {
    const names = this.table.names();
    const { charts: specs, summary } = layoutFor(names);
    const wanted = new Set(specs.map((s) => s.id));
    for (const [id, chart] of this.charts) {
      if (!wanted.has(id)) {
        chart.dispose();
        this.charts.delete(id);
      }
    }
    specs.forEach((spec, i) => {
      let chart = this.charts.get(spec.id);
      if (chart && !sameSpec(chart.spec, spec)) {
        chart.dispose();
        chart = undefined;
      }
      if (!chart) {
        chart = new Chart(spec, this.colors);
        this.charts.set(spec.id, chart);
      }
      // Keep the display order even when a chart appears late (eval series).
      const at = this.chartGrid.children[i];
      if (at !== chart.root) this.chartGrid.insertBefore(chart.root, at ?? null);
      chart.update(this.table, this.smoothing);
    });
    this.renderSummary(summary);
    this.waiting.hidden = this.table.size > 0;
    this.renderProgress();
    this.renderClock();
    this.reportRendered(specs, names, summary);
  }

  /** Speed and one-off values as a key/value list: the latest value of each. */
  private renderSummary(items: SummaryItem[]): void {
    this.summarySection.hidden = items.length === 0;
    const rows: HTMLElement[] = [];
    for (const item of items) {
      const row = el('div');
      row.dataset.metric = item.name;
      const term = el('dt', undefined, item.label);
      term.title = item.name;
      row.append(term, el('dd', undefined, formatSummaryValue(item.name, lastValue(this.table.column(item.name)), formatDuration)));
      rows.push(row);
    }
    this.summaryList.replaceChildren(...rows);
  }

  private reportRendered(specs: ChartSpec[], names: string[], summary: SummaryItem[]): void {
    const report: ToHost = {
      type: 'rendered',
      points: this.table.size,
      charts: specs.map((s) => s.id),
      chartSeries: specs.map((s) => s.series.map((x) => x.name)),
      series: names,
      summary: summary.map((s) => s.name),
    };
    const key = JSON.stringify(report);
    if (key === this.lastReport) return;
    this.lastReport = key;
    vscode.postMessage(report);
  }
}

// ---------------------------------------------------------------------------------------------

const root = document.getElementById('root');
if (root) {
  const saved = vscode.getState();
  const panel = new LossPanel(root, typeof saved === 'object' && saved !== null ? (saved as Partial<PanelState>) : {});
  window.addEventListener('message', (event: MessageEvent) => {
    let message: ToPanel;
    try {
      message = parseToPanel(event.data);
    } catch (err) {
      console.error(`Dialogue Curator loss panel: ignored a message: ${(err as Error).message}`);
      return;
    }
    panel.receive(message);
  });
  vscode.postMessage({ type: 'ready' });
}
