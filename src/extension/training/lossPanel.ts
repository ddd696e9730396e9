import * as path from 'path';
import * as vscode from 'vscode';
import { metricsToCsv } from '../../core/metrics';
import { TrainerClient } from '../../core/trainer/client';
import { isTerminalStatus } from '../../core/trainer/protocol';
import { LOSS_VIEW_TYPE, parsePanelState, parseToHost, ToHost, ToPanel } from '../../../webview/loss/messages';
import { Logger } from '../logger';
import { panelHtml } from '../webviewHtml';
import { hostOf, tokenKeyOf, TrainerProfile } from './profiles';
import { DownloadOutcome, downloadTrainedModel, DownloadTestAnswers } from './download';
import { JobSession } from './session';
import { readTrainerProfiles } from './settings';
import { TrainerTokens } from './tokens';

/** What a panel reported it drew last (integration tests read it through a test-only command). */
export type RenderedReport = Extract<ToHost, { type: 'rendered' }>;

export interface PanelSnapshot {
  jobId: string;
  trainerUrl: string;
  status: string | undefined;
  connection: string;
  connectionDetail: string | undefined;
  /** While reconnecting: consecutive failed attempts. */
  attempt: number | undefined;
  points: number;
  /** Result files of a succeeded job (what "Download Trained Model…" fetches). */
  resultFiles: number;
  rendered: RenderedReport | undefined;
}

/** One loss panel showing one job's session. */
class LossPanel implements vscode.Disposable {
  rendered: RenderedReport | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedReport>();
  readonly onDidRender = this.renderedEmitter.event;
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly session: JobSession,
    bundle: vscode.Uri,
    private readonly log: Logger,
    /** A client with the trainer's current token (it may have been set since the panel opened). */
    private readonly makeClient: () => Promise<TrainerClient>,
    onDispose: () => void,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [bundle] };
    panel.title = `Training ${session.jobId}`;
    panel.webview.html = this.html(panel.webview, bundle);
    panel.webview.onDidReceiveMessage((m) => this.receive(m), this, this.disposables);
    panel.onDidDispose(
      () => {
        this.dispose();
        onDispose();
      },
      this,
      this.disposables,
    );
    session.setListener({
      job: (job) => {
        this.post({ type: 'job', job });
        panel.title = `Training ${job.id} · ${job.status.replace('_', ' ')}`;
      },
      points: (points) => this.post({ type: 'points', points }),
      log: (entries) => this.post({ type: 'log', entries }),
      connection: (connection) => this.post({ type: 'connection', ...connection }),
    });
    void session.start();
  }

  private html(webview: vscode.Webview, bundle: vscode.Uri): string {
    return panelHtml(webview, bundle, { bundle: 'loss', title: 'DPO training', body: '<div id="root"></div>' });
  }

  private post(message: ToPanel): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /** Everything the session has so far: after the webview (re)loaded. */
  private sendAll(): void {
    const s = this.session;
    if (s.jobView) this.post({ type: 'job', job: s.jobView });
    this.post({ type: 'points', points: s.table.points(), reset: true });
    this.post({ type: 'log', entries: s.logs, reset: true });
    this.post({ type: 'connection', ...s.connectionView });
  }

  private receive(raw: unknown): void {
    let message: ToHost;
    try {
      message = parseToHost(raw);
    } catch (err) {
      this.log.warn(`Loss panel sent an unexpected message: ${(err as Error).message}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.sendAll();
        break;
      case 'cancel':
        void this.cancel();
        break;
      case 'exportCsv':
        void this.exportCsv();
        break;
      case 'retry':
        void this.retry();
        break;
      case 'downloadResults':
        void this.downloadResults();
        break;
      case 'rendered':
        this.rendered = message;
        this.renderedEmitter.fire(message);
        break;
    }
  }

  private async cancel(): Promise<void> {
    const job = this.session.jobView;
    if (job && isTerminalStatus(job.status)) return;
    const host = hostOf(this.session.trainerUrl);
    const choice = await vscode.window.showWarningMessage(
      `Cancel training job ${this.session.jobId} on ${host}?`,
      { modal: true, detail: 'The trainer stops the job and its processes. Metrics logged so far stay available.' },
      'Cancel Job',
    );
    if (choice !== 'Cancel Job') return;
    try {
      const result = await this.session.cancel();
      this.log.info(`Job ${result.id} on ${host}: ${result.status}`);
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not cancel job ${this.session.jobId}: ${(err as Error).message}`);
    }
  }

  /** Retry now: with the token as it is stored now, so a token set after a refusal is used. */
  async retry(): Promise<void> {
    let client: TrainerClient | undefined;
    try {
      client = await this.makeClient();
    } catch (err) {
      this.log.warn(`Retrying job ${this.session.jobId} with the old connection: ${(err as Error).message}`);
    }
    if (this.disposed) return;
    this.log.info(`Job ${this.session.jobId}: retrying now`);
    this.session.retryNow(client);
  }

  /** "Download Trained Model…" (the answers only in test mode, from `LossPanels.downloadResults`). */
  async downloadResults(answers?: DownloadTestAnswers): Promise<DownloadOutcome> {
    return downloadTrainedModel(await this.makeClient(), this.session.jobId, this.log, answers);
  }

  private async exportCsv(): Promise<void> {
    if (this.session.table.size === 0) {
      void vscode.window.showInformationMessage('There are no metrics to export yet.');
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${this.session.jobId}-metrics.csv`;
    const target = await vscode.window.showSaveDialog({
      title: 'Export Training Metrics',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { 'CSV files': ['csv'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    await writeCsv(target, this.session);
    void vscode.window.showInformationMessage(`Exported ${this.session.table.size} steps to ${path.basename(target.fsPath)}.`);
  }

  snapshot(): PanelSnapshot {
    return {
      jobId: this.session.jobId,
      trainerUrl: this.session.trainerUrl,
      status: this.session.jobView?.status,
      connection: this.session.connection,
      connectionDetail: this.session.connectionDetail,
      attempt: this.session.connectionView.attempt,
      points: this.session.table.size,
      resultFiles: this.session.jobView?.resultFiles ?? 0,
      rendered: this.rendered,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.stop();
    this.renderedEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export async function writeCsv(target: vscode.Uri, session: JobSession): Promise<void> {
  await vscode.workspace.fs.writeFile(target, Buffer.from(metricsToCsv(session.table), 'utf8'));
}

/** All loss panels, one per job; restores them after a window reload. */
export class LossPanels implements vscode.Disposable {
  private readonly panels = new Map<string, LossPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires whenever any panel reports what it drew. */
  private readonly rendered = new vscode.EventEmitter<void>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tokens: TrainerTokens,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      this.rendered,
      vscode.window.registerWebviewPanelSerializer(LOSS_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.restore(panel, state),
      }),
    );
  }

  /** Shows the job's panel, creating it (and its session) when there is none. */
  async show(profile: TrainerProfile, jobId: string): Promise<void> {
    const key = panelKey(profile.url, jobId);
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(LOSS_VIEW_TYPE, `Training ${jobId}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [this.bundle()],
    });
    await this.attach(panel, profile, jobId);
  }

  private bundle(): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
  }

  private async attach(panel: vscode.WebviewPanel, profile: TrainerProfile, jobId: string): Promise<void> {
    const makeClient = async () => new TrainerClient({ baseUrl: profile.url, token: await this.tokens.get(profile.url) });
    const client = await makeClient();
    const session = new JobSession({
      client,
      trainerName: profile.name,
      jobId,
      onProblem: (m) => this.log.warn(m),
    });
    const key = panelKey(profile.url, jobId);
    this.panels.get(key)?.panel.dispose();
    const loss = new LossPanel(panel, session, this.bundle(), this.log, makeClient, () => this.panels.delete(key));
    loss.onDidRender(() => this.rendered.fire());
    this.panels.set(key, loss);
  }

  /**
   * After a reload VS Code hands back the panel and the state the webview saved. It is only
   * reconnected to a trainer that is still configured in the user's settings: the webview's
   * state alone never decides where a token is sent.
   */
  private async restore(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    let state;
    try {
      state = parsePanelState(raw);
    } catch (err) {
      this.log.warn(`Closing a loss panel that cannot be restored: ${(err as Error).message}`);
      panel.dispose();
      return;
    }
    const profile = readTrainerProfiles().profiles.find((p) => sameTrainer(p.url, state.trainerUrl));
    if (!profile) {
      this.log.warn(`Closing the loss panel of job ${state.jobId}: ${state.trainerUrl} is no longer in dialogueCurator.trainers`);
      panel.dispose();
      void vscode.window.showWarningMessage(
        `The training panel of job ${state.jobId} was closed: its trainer (${hostOf(state.trainerUrl)}) is no longer configured.`,
      );
      return;
    }
    await this.attach(panel, profile, state.jobId);
  }

  /**
   * Opens the job's panel without asking the trainer for its job list first — what a restore
   * after a reload does (tests: a trainer that is down cannot list its jobs).
   */
  async open(profileName: string, jobId: string): Promise<void> {
    const profile = readTrainerProfiles().profiles.find((p) => p.name === profileName);
    if (!profile) throw new Error(`no trainer profile named "${profileName}"`);
    await this.show(profile, jobId);
  }

  /** The panel's Retry (Now) action, as if clicked (tests). */
  async retry(jobId: string): Promise<void> {
    const panel = [...this.panels.values()].find((p) => p.session.jobId === jobId);
    if (!panel) throw new Error(`no open panel shows job ${jobId}`);
    await panel.retry();
  }

  /** The panel's "Download Trained Model…", with the folder given instead of picked (tests). */
  async downloadResults(jobId: string, answers: DownloadTestAnswers): Promise<DownloadOutcome> {
    const panel = [...this.panels.values()].find((p) => p.session.jobId === jobId);
    if (!panel) throw new Error(`no open panel shows job ${jobId}`);
    return panel.downloadResults(answers);
  }

  /** Writes the metrics of the job's open panel as CSV, without the save dialog (tests). */
  async exportCsvTo(jobId: string, target: vscode.Uri): Promise<number> {
    const panel = [...this.panels.values()].find((p) => p.session.jobId === jobId);
    if (!panel) throw new Error(`no open panel shows job ${jobId}`);
    await writeCsv(target, panel.session);
    return panel.session.table.size;
  }

  snapshots(): PanelSnapshot[] {
    return [...this.panels.values()].map((p) => p.snapshot());
  }

  /** Resolves with the first panel of `jobId` whose drawn charts satisfy `accept`. */
  waitForRender(jobId: string, accept: (r: RenderedReport) => boolean, timeoutMs: number): Promise<PanelSnapshot> {
    const matching = () => this.snapshots().find((p) => p.jobId === jobId && p.rendered !== undefined && accept(p.rendered));
    return new Promise((resolve, reject) => {
      const done = matching();
      if (done) return resolve(done);
      const subscription = this.rendered.event(() => {
        const found = matching();
        if (!found) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve(found);
      });
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`No panel of job ${jobId} drew the expected charts within ${timeoutMs} ms: ${JSON.stringify(this.snapshots())}`));
      }, timeoutMs);
    });
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.panels.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function panelKey(url: string, jobId: string): string {
  return `${tokenKeyOf(url)}#${jobId}`;
}

function sameTrainer(a: string, b: string): boolean {
  try {
    return tokenKeyOf(a) === tokenKeyOf(b);
  } catch {
    return false;
  }
}
