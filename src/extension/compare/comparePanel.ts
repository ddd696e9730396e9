import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LineEdit, swapEdits, turnEdits } from '../../core/compare/edits';
import { COMPARE_VIEW_TYPE, NavigateTarget, parseToHost, PanelState, ToHost, ToPanel } from '../../core/compare/messages';
import { curationMetrics, MetricsProvider } from '../../core/compare/metrics';
import { buildRecordView, DiffMemo, MetricsMemo } from '../../core/compare/recordView';
import { CuratorConfig } from '../../core/config';
import { EVALUATION_SIDES, isEvaluationFile, SideNames } from '../../core/trainer/evaluation';
import { DatasetDiagnostics, isDataset } from '../datasetDiagnostics';
import { Logger } from '../logger';
import { DatasetSources } from './datasetSource';
import { panelHtml, webviewOptions, webviewRoot } from '../webviewHtml';

/** A downloaded evaluation file shows the tuned and the base model's answers, not chosen and rejected. */
function evaluationSides(uri: vscode.Uri): SideNames | undefined {
  return uri.scheme === 'file' && isEvaluationFile(uri.fsPath, fs.existsSync) ? EVALUATION_SIDES : undefined;
}

/** Typing in the record re-renders the panel after this pause. */
const RENDER_DELAY_MS = 120;
const VISIBLE_CONTEXT = 'dialogueCurator.compareVisible';

interface Target {
  uri: vscode.Uri;
  line: number;
}

/**
 * The one compare panel of a window: shows the record under the cursor of the active JSONL
 * editor (or the one it was pointed at), follows the cursor and edits, and applies swaps and
 * edits from the panel as workspace edits, so they can be undone like typing.
 */
export class CompareController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private target: Target | undefined;
  private ready = false;
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly memo = new DiffMemo();
  private readonly metricsMemo = new MetricsMemo();
  private metrics: { key: string; provider: MetricsProvider } | undefined;
  private readonly sources: DatasetSources;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly diagnostics: DatasetDiagnostics,
    private readonly log: Logger,
    /** The curation config that applies to a file (token encoding, maxLength, tone allow-list). */
    private readonly configFor: (uri: vscode.Uri) => CuratorConfig,
  ) {
    this.sources = new DatasetSources(diagnostics);
    vscode.window.onDidChangeTextEditorSelection((e) => this.selectionChanged(e), this, this.disposables);
    vscode.window.onDidChangeActiveTextEditor((e) => this.activeEditorChanged(e), this, this.disposables);
    vscode.workspace.onDidChangeTextDocument((e) => this.documentChanged(e), this, this.disposables);
    diagnostics.onDidUpdate((r) => this.targets(r.uri) && this.scheduleRender(), this, this.disposables);
  }

  /** Opens (or reveals) the panel on a record. */
  async open(uri: vscode.Uri, line: number): Promise<void> {
    this.target = { uri, line };
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
      this.attach(panel);
    }
    await this.render();
  }

  /** Takes over a panel restored after a window reload. */
  async restore(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    panel.webview.options = webviewOptions(this.extensionUri);
    if (this.panel) {
      // Only one compare panel per window: a second restored one is closed.
      panel.dispose();
      return;
    }
    this.attach(panel);
    if (state) {
      const uri = vscode.Uri.parse(state.uri, true);
      try {
        await vscode.workspace.openTextDocument(uri);
        this.target = { uri, line: state.line };
      } catch (err) {
        this.log.warn(`Compare panel: cannot reopen ${state.uri}: ${(err as Error).message}`);
      }
    }
    this.target ??= this.fromActiveEditor();
    await this.render();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.onDidReceiveMessage((m) => this.received(m), this, this.panelDisposables);
    panel.onDidChangeViewState(() => this.updateContext(), this, this.panelDisposables);
    panel.onDidDispose(() => this.detach(), this, this.panelDisposables);
    panel.webview.html = panelHtml(panel.webview, webviewRoot(this.extensionUri), { bundle: 'compare', title: 'Compare chosen and rejected', body: '<main id="app" aria-live="polite"></main>' });
    this.updateContext();
  }

  private detach(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.panel = undefined;
    this.ready = false;
    if (this.renderTimer) clearTimeout(this.renderTimer);
    this.updateContext();
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', VISIBLE_CONTEXT, this.panel?.visible ?? false);
  }

  private targets(uri: vscode.Uri): boolean {
    return this.panel !== undefined && this.target?.uri.toString() === uri.toString();
  }

  private fromActiveEditor(): Target | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isDataset(editor.document)) return undefined;
    return { uri: editor.document.uri, line: editor.selection.active.line };
  }

  private selectionChanged(e: vscode.TextEditorSelectionChangeEvent): void {
    if (!this.panel || !isDataset(e.textEditor.document)) return;
    if (e.textEditor !== vscode.window.activeTextEditor) return;
    const line = e.selections[0].active.line;
    const same = this.target && this.target.uri.toString() === e.textEditor.document.uri.toString() && this.target.line === line;
    if (same) return;
    this.target = { uri: e.textEditor.document.uri, line };
    this.scheduleRender(0);
  }

  private activeEditorChanged(editor: vscode.TextEditor | undefined): void {
    if (!this.panel || !editor || !isDataset(editor.document)) return;
    this.target = { uri: editor.document.uri, line: editor.selection.active.line };
    this.scheduleRender(0);
  }

  /** Keeps the target on its record when lines are added or removed above it. */
  private documentChanged(e: vscode.TextDocumentChangeEvent): void {
    if (!this.target || !this.targets(e.document.uri) || e.contentChanges.length === 0) return;
    let line = this.target.line;
    for (const c of e.contentChanges) {
      if (c.range.end.line >= line) continue;
      const added = c.text.split(/\r\n|\r|\n/).length - 1;
      line += added - (c.range.end.line - c.range.start.line);
    }
    this.target = { ...this.target, line: Math.max(0, Math.min(line, e.document.lineCount - 1)) };
    this.scheduleRender();
  }

  private scheduleRender(delay = RENDER_DELAY_MS): void {
    if (!this.panel) return;
    if (this.renderTimer) clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      void this.render();
    }, delay);
  }

  private post(message: ToPanel): void {
    if (!this.panel || !this.ready) return;
    void this.panel.webview.postMessage(message);
  }

  private document(uri: vscode.Uri): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  }

  private async render(): Promise<void> {
    if (!this.panel || !this.ready) return;
    const target = this.target;
    const doc = target && this.document(target.uri);
    if (!target || !doc || doc.isClosed) {
      this.panel.title = 'Compare';
      this.post({ type: 'empty', message: 'Open a JSONL dataset and put the cursor on a record to compare its chosen and rejected responses.' });
      return;
    }
    try {
      const started = Date.now();
      const source = this.sources.source(doc);
      const index = this.sources.index(doc, source);
      const line = index.recordAt(Math.min(target.line, doc.lineCount - 1));
      const fileName = path.basename(doc.uri.path);
      this.panel.title = `Compare: ${fileName}`;
      if (line === undefined) {
        this.post({ type: 'empty', message: `${fileName} has no records yet.` });
        return;
      }
      // Every finding of the record, also the curation findings past what the Problems panel lists.
      const [findings, problemLines] = await Promise.all([this.diagnostics.findingsOnLine(doc.uri, line), this.diagnostics.problemLines(doc.uri)]);
      if (this.target !== target || doc.isClosed) return;
      const view = buildRecordView(
        {
          uri: doc.uri.toString(),
          fileName,
          version: doc.version,
          source,
          index,
          line,
          findings,
          problemLines,
          metrics: this.metricsProvider(doc.uri),
          metricsMemo: this.metricsMemo,
          sides: evaluationSides(doc.uri),
        },
        this.memo,
      );
      const ms = Date.now() - started;
      if (ms > 100) this.log.debug(`Compare panel: record on line ${line + 1} took ${ms} ms (${view.granularity} diff)`);
      this.post({ type: 'show', view });
    } catch (err) {
      this.log.error(`Compare panel could not show line ${target.line + 1}: ${(err as Error).stack ?? String(err)}`);
      this.post({ type: 'notice', level: 'error', message: `Could not show this record: ${(err as Error).message}` });
    }
  }

  /** Tone and token metrics under the file's config; cached metrics are dropped when it changes. */
  private metricsProvider(uri: vscode.Uri): MetricsProvider {
    const config = this.configFor(uri);
    const key = JSON.stringify(config);
    if (this.metrics?.key !== key) {
      this.metricsMemo.clear();
      this.metrics = { key, provider: curationMetrics(config) };
    }
    return this.metrics.provider;
  }

  private received(raw: unknown): void {
    let message: ToHost;
    try {
      message = parseToHost(raw);
    } catch (err) {
      this.log.warn(`Compare panel sent an invalid message (ignored): ${(err as Error).message}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        void this.render();
        return;
      case 'navigate':
        void this.navigate(message.to);
        return;
      case 'reveal':
        void this.reveal(message.line, message.column, message.endLine, message.endColumn);
        return;
      case 'swap':
        void this.swapAt(vscode.Uri.parse(message.uri, true), message.line, message.version);
        return;
      case 'applyEdit':
        void this.applyTurnEdits(vscode.Uri.parse(message.uri, true), message.line, message.changes);
        return;
    }
  }

  /** Moves to another record: the editor's cursor moves too when the file is visible. */
  async navigate(to: NavigateTarget): Promise<void> {
    const target = this.target;
    const doc = target && this.document(target.uri);
    if (!target || !doc) return;
    const source = this.sources.source(doc);
    const index = this.sources.index(doc, source);
    const current = index.recordAt(target.line) ?? 0;
    let line: number | undefined;
    let notice: string | undefined;
    if (to === 'previous') line = index.previous(current);
    else if (to === 'next') line = index.next(current);
    else {
      const problems = await this.diagnostics.problemLines(doc.uri);
      if (this.target !== target) return;
      const found = index.nextWithProblem(current, problems);
      line = found?.line;
      if (found?.wrapped) notice = 'No later record has problems; continued from the top of the file.';
      if (line === undefined) this.post({ type: 'notice', level: 'info', message: 'No other record has problems.' });
    }
    if (line === undefined) return;
    this.target = { uri: target.uri, line };
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    if (editor) {
      const pos = new vscode.Position(line, 0);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    await this.render();
    // After the record: a notice sent before it would be cleared by the new record's page.
    if (notice) this.post({ type: 'notice', level: 'info', message: notice });
  }

  private async reveal(line: number, column = 0, endLine = line, endColumn = column): Promise<void> {
    const target = this.target;
    if (!target) return;
    const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.uri.toString());
    const range = new vscode.Range(line, column, endLine, endColumn);
    await vscode.window.showTextDocument(target.uri, {
      viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One,
      selection: range,
      preserveFocus: false,
    });
  }

  /** Swaps the pair of the record shown (the command, or the panel's button). */
  async swapCurrent(): Promise<void> {
    const target = this.target;
    const doc = target && this.document(target.uri);
    if (!target || !doc) {
      void vscode.window.showInformationMessage('Open the compare panel on a record first.');
      return;
    }
    const line = this.sources.index(doc, this.sources.source(doc)).recordAt(target.line);
    if (line !== undefined) await this.swapAt(doc.uri, line, doc.version);
  }

  private async swapAt(uri: vscode.Uri, line: number, version: number): Promise<void> {
    const doc = this.document(uri);
    if (!doc) return;
    if (doc.version !== version) {
      this.post({ type: 'notice', level: 'warning', message: 'The file changed since this record was shown; check it and swap again.' });
      await this.render();
      return;
    }
    const format = this.sources.source(doc).format;
    const result = swapEdits(doc.lineAt(line).text, format);
    if (!result.ok) {
      this.post({ type: 'notice', level: 'error', message: result.message });
      return;
    }
    if (await this.applyLineEdits(doc, line, result.edits, 'Swap chosen and rejected')) {
      this.post({ type: 'notice', level: 'info', message: 'Swapped chosen and rejected. Undo with Ctrl+Z in the editor.' });
    }
  }

  private async applyTurnEdits(uri: vscode.Uri, line: number, changes: { side: 'chosen' | 'rejected'; index: number; original: string; text: string }[]): Promise<void> {
    const doc = this.document(uri);
    if (!doc || line >= doc.lineCount) {
      this.post({ type: 'notice', level: 'error', message: 'The record is no longer in the file.' });
      return;
    }
    const result = turnEdits(doc.lineAt(line).text, this.sources.source(doc).format, changes);
    if (!result.ok) {
      this.post({ type: 'notice', level: 'error', message: result.message });
      await this.render();
      return;
    }
    if (await this.applyLineEdits(doc, line, result.edits, 'Edit response')) {
      this.post({ type: 'notice', level: 'info', message: 'Applied to the file (not saved yet). Undo with Ctrl+Z in the editor.' });
    }
  }

  /** One workspace edit for the whole change: a single undo step in the editor. */
  private async applyLineEdits(doc: vscode.TextDocument, line: number, edits: LineEdit[], label: string): Promise<boolean> {
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits) edit.replace(doc.uri, new vscode.Range(line, e.offset, line, e.offset + e.length), e.text);
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
    if (!applied) {
      this.post({ type: 'notice', level: 'error', message: `${label} could not be applied (is the file read-only?).` });
      return false;
    }
    this.log.info(`${label}: line ${line + 1} of ${doc.uri.toString()}`);
    await this.render();
    return true;
  }

  dispose(): void {
    this.panel?.dispose();
    this.detach();
    for (const d of this.disposables) d.dispose();
  }
}
