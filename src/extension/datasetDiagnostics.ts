import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CheckSettings, CheckSummary, DatasetModel } from '../core/engine';
import { FindingsQuery, PortableSettings } from '../node/curationProtocol';
import { CurationHost } from './curationHost';
import { countBySeverity, Finding, LineSplice, Severity, shiftFindings, trimSplice } from '../core/findings';
import { FormatId } from '../core/formats';
import { addCounts, findingsToList } from '../core/shownFindings';
import { isEvaluationFile } from '../core/trainer/evaluation';
import { problemFinding } from '../node/project';
import { toDiagnostic } from './diagnosticConvert';
import { FormatOverrides } from './formatOverrides';
import { Logger } from './logger';
import { ProjectConfigs } from './projectConfig';
import { RuleDocLinks } from './ruleDocs';
import { readSettings } from './settings';

/** Lines processed between two yields to the event loop during a first full check. */
const SLICE = 2000;
const TYPE_DELAY_MS = 60;

export function isDataset(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'jsonl';
}

/** What the rest of the extension can learn about a checked document. */
export interface DocumentReport {
  uri: vscode.Uri;
  format: FormatId | undefined;
  formatSource: 'detected' | 'config' | 'override';
  records: number;
  /**
   * The findings the extension holds: the config problems, the syntax and schema findings, and
   * the curation findings VS Code can list (the worker keeps the rest; see `complete`).
   */
  findings: Finding[];
  /** Every finding, by severity, listed or not. */
  counts: Record<Severity, number>;
  /** Whether `findings` holds every finding (false when the curation rules found more than VS Code lists). */
  complete: boolean;
  /** True while the first full check of a large file is still running. */
  checking: boolean;
}

class TrackedDocument {
  /** Syntax and schema only: kept current as the user types, on this thread. */
  structural: DatasetModel;
  /** Whether the curation rules run for this document (its mirror lives in the worker). */
  curated: boolean;
  /** Bumped for every full check requested; a result that is not the latest is dropped. */
  fullRequest = 0;
  /** The request whose result was published last (equal to `fullRequest` when none is running). */
  fullDone = 0;
  /** Line edits made since the running full check was requested. */
  editsSinceRequest: LineSplice[] = [];
  structuralFindings: Finding[] = [];
  /** The curation findings VS Code can list, from the last full check, carried over later edits. */
  curationFindings: Finding[] = [];
  /** All curation findings of the last full check (listed or kept in the worker), by severity, and their number. */
  curationCounts: Record<Severity, number> = countBySeverity([]);
  curationTotal = 0;
  problems: Finding[] = [];
  summary: CheckSummary | undefined;
  formatSource: DocumentReport['formatSource'] = 'detected';
  typeTimer: ReturnType<typeof setTimeout> | undefined;
  checking = false;
  disposed = false;

  constructor(readonly doc: vscode.TextDocument, settings: CheckSettings, problems: string[], curated: boolean) {
    this.structural = new DatasetModel({ ...settings, recordRules: [], datasetRules: [] });
    this.curated = curated;
    this.problems = problems.map(problemFinding);
    this.structural.setLines(readLines(doc));
  }
}

function readLines(doc: vscode.TextDocument): string[] {
  const lines = new Array<string>(doc.lineCount);
  for (let i = 0; i < doc.lineCount; i++) lines[i] = doc.lineAt(i).text;
  return lines;
}

function splitText(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keeps a diagnostics collection in step with the open JSONL documents: a full check on open
 * (in slices, with a progress notification for big files), an incremental structural check on
 * every edit, the curation rules on save (or on type, per `dialogueCurator.lint.run`).
 */
export class DatasetDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('dialogue-curator');
  private readonly docs = new Map<string, TrackedDocument>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly updated = new vscode.EventEmitter<DocumentReport>();
  /** Fires after a document's diagnostics were published. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly log: Logger,
    private readonly configs: ProjectConfigs,
    private readonly overrides: FormatOverrides,
    private readonly curation: CurationHost,
    private readonly ruleDocs: RuleDocLinks,
  ) {
    vscode.workspace.onDidOpenTextDocument((d) => this.open(d), this, this.disposables);
    vscode.workspace.onDidCloseTextDocument((d) => this.close(d), this, this.disposables);
    vscode.workspace.onDidChangeTextDocument((e) => this.change(e), this, this.disposables);
    vscode.workspace.onDidSaveTextDocument((d) => this.saved(d), this, this.disposables);
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (e.affectsConfiguration('dialogueCurator')) this.recheckAll('settings changed');
      },
      this,
      this.disposables,
    );
    configs.onDidChange(() => this.recheckAll('.dialoguecurator.json changed'), this, this.disposables);
    overrides.onDidChange(() => this.recheckAll('format override changed'), this, this.disposables);
    this.disposables.push(this.collection, this.updated);
    for (const d of vscode.workspace.textDocuments) this.open(d);
  }

  report(uri: vscode.Uri): DocumentReport | undefined {
    const t = this.docs.get(uri.toString());
    if (!t) return undefined;
    const summary = t.summary;
    const own = [...t.problems, ...t.structuralFindings];
    return {
      uri,
      format: summary?.format,
      formatSource: t.formatSource,
      records: summary?.records ?? 0,
      findings: [...own, ...t.curationFindings],
      counts: addCounts(countBySeverity(own), t.curationCounts),
      complete: t.curationTotal === t.curationFindings.length,
      checking: t.checking,
    };
  }

  /** Every finding on one line, the curation findings the Problems panel does not list included. */
  async findingsOnLine(uri: vscode.Uri, line: number): Promise<Finding[]> {
    const t = this.docs.get(uri.toString());
    if (!t) return [];
    const own = [...t.problems, ...t.structuralFindings].filter((f) => f.line === line);
    return [...own, ...(await this.queryCuration(t, { kind: 'line', line }, (f) => f.line === line)).findings];
  }

  /** Every line with a finding, listed or not. */
  async problemLines(uri: vscode.Uri): Promise<Set<number>> {
    const t = this.docs.get(uri.toString());
    if (!t) return new Set();
    const lines = new Set([...t.problems, ...t.structuralFindings].map((f) => f.line));
    const curation = await this.queryCuration(t, { kind: 'lines' }, () => true);
    for (const l of curation.lines) lines.add(l);
    return lines;
  }

  /** Every curation finding with one code, listed or not. */
  async curationFindingsWithCode(uri: vscode.Uri, code: string): Promise<Finding[]> {
    const t = this.docs.get(uri.toString());
    if (!t) return [];
    return (await this.queryCuration(t, { kind: 'code', code }, (f) => f.code === code)).findings;
  }

  /**
   * The curation findings a query asks for: from the listed ones when they are all of them,
   * otherwise from the worker (and from the listed ones if the worker cannot answer).
   */
  private async queryCuration(t: TrackedDocument, query: FindingsQuery, keep: (f: Finding) => boolean): Promise<{ findings: Finding[]; lines: number[] }> {
    const local = () => {
      const findings = t.curationFindings.filter(keep);
      return { findings, lines: [...new Set(findings.map((f) => f.line))] };
    };
    // While a check runs the worker answers only after it: the listed findings serve meanwhile.
    if (!t.curated || t.curationTotal === t.curationFindings.length || t.fullRequest !== t.fullDone) return local();
    try {
      return await this.curation.query(t.doc.uri.toString(), query);
    } catch (err) {
      this.log.warn(`Curation findings of ${path.basename(t.doc.uri.path)} from the listed ones only: ${(err as Error).message}`);
      return local();
    }
  }

  /** The up-to-date model of an open dataset (structural state; cheap to query). */
  model(uri: vscode.Uri): DatasetModel | undefined {
    return this.docs.get(uri.toString())?.structural;
  }

  private settingsFor(doc: vscode.TextDocument): { settings: CheckSettings; problems: string[]; source: DocumentReport['formatSource'] } {
    const { settings, problems } = this.configs.settingsFor(doc.uri);
    const override = this.overrides.get(doc.uri);
    let source: DocumentReport['formatSource'] = settings.format ? 'config' : 'detected';
    if (override) {
      settings.format = override;
      source = 'override';
    }
    return { settings, problems, source };
  }

  private open(doc: vscode.TextDocument): void {
    if (!isDataset(doc) || this.docs.has(doc.uri.toString())) return;
    if (!readSettings(doc.uri)['validation.enable']) return;
    try {
      const { settings, problems, source } = this.settingsFor(doc);
      // A training job's evaluation holds two models' answers, not a preference to curate: the
      // curation rules would call a worse tuned answer an "inverted pair". The compare panel
      // shows both sides' scores instead.
      const evaluation = doc.uri.scheme === 'file' && isEvaluationFile(doc.uri.fsPath, fs.existsSync);
      const curated = readSettings(doc.uri)['lint.run'] !== 'off' && !evaluation;
      if (evaluation) this.log.info(`${path.basename(doc.uri.fsPath)} is a training job's evaluation (base and tuned answers): schema checks only, no curation rules`);
      const t = new TrackedDocument(doc, settings, problems, curated);
      t.formatSource = source;
      const key = doc.uri.toString();
      this.docs.set(key, t);
      if (curated) {
        const portable: PortableSettings = { config: settings.config!, format: settings.format, customSchema: settings.customSchema };
        this.curation.open(key, () => doc.getText(), portable);
      }
      void this.firstCheck(t);
    } catch (err) {
      this.log.error(`Cannot check ${doc.uri.toString()}: ${(err as Error).message}`);
    }
  }

  private close(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const t = this.docs.get(key);
    if (!t) return;
    t.disposed = true;
    if (t.typeTimer) clearTimeout(t.typeTimer);
    this.docs.delete(key);
    this.curation.close(key);
    this.collection.delete(doc.uri);
  }

  /**
   * The structural check runs here in slices, yielding between them (progress for big files);
   * the full check with the curation rules runs meanwhile in the worker.
   */
  private async firstCheck(t: TrackedDocument): Promise<void> {
    const threshold = readSettings(t.doc.uri)['progress.lineThreshold'];
    const full = this.runFull(t);
    const run = async (progress?: vscode.Progress<{ message?: string; increment?: number }>) => {
      t.checking = true;
      const started = Date.now();
      const model = t.structural;
      const total = model.lineCount;
      let done = 0;
      const step = async (work: (from: number, to: number) => void) => {
        for (let i = 0; i < model.lineCount; i += SLICE) {
          work(i, i + SLICE);
          done += SLICE;
          progress?.report({ increment: (SLICE / Math.max(1, total)) * 50, message: `${Math.min(Math.round(done / 2), total).toLocaleString()} of ${total.toLocaleString()} lines` });
          await yieldToLoop();
          if (t.disposed) return false;
        }
        return true;
      };
      if (!(await step((a, b) => model.parseRange(a, b)))) return;
      model.updateFormat();
      if (!(await step((a, b) => model.checkRange(a, b)))) return;
      t.checking = false;
      this.runStructural(t);
      this.log.info(`Checked ${path.basename(t.doc.uri.path)}: ${t.summary?.records ?? 0} records, syntax and schema in ${Date.now() - started} ms`);
      if (t.curated && total >= threshold) {
        progress?.report({ message: 'curation rules…' });
        await full;
      }
    };
    try {
      if (t.structural.lineCount >= threshold) {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Dialogue Curator: checking ${path.basename(t.doc.uri.path)}` },
          (progress) => run(progress),
        );
      } else {
        await run();
      }
    } catch (err) {
      t.checking = false;
      this.log.error(`Check of ${t.doc.uri.toString()} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  private change(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const t = this.docs.get(key);
    if (!t || e.contentChanges.length === 0) return;
    let resync = false;
    for (const c of e.contentChanges) {
      const start = c.range.start.line;
      const end = c.range.end.line;
      const first = t.structural.lineText(start) ?? '';
      const last = t.structural.lineText(end) ?? '';
      const newLines = splitText(first.slice(0, c.range.start.character) + c.text + last.slice(c.range.end.character));
      if (t.curationFindings.length || t.fullRequest !== t.fullDone) {
        const oldLines: string[] = [];
        for (let l = start; l <= end; l++) oldLines.push(t.structural.lineText(l) ?? '');
        this.noteEdit(t, trimSplice(start, oldLines, newLines));
      }
      t.structural.splice(start, end - start + 1, newLines);
      if (t.curated) this.curation.splice(key, start, end - start + 1, newLines);
    }
    if (t.structural.lineCount !== e.document.lineCount) {
      // Should not happen; if it does, trust the document over the replayed edits.
      this.log.warn(`Resynchronising ${key} after an edit`);
      t.structural.setLines(readLines(e.document));
      resync = true;
    }
    if (resync && t.curated) {
      const { settings } = this.settingsFor(t.doc);
      this.curation.open(key, () => t.doc.getText(), { config: settings.config!, format: settings.format, customSchema: settings.customSchema });
    }
    if (t.typeTimer) clearTimeout(t.typeTimer);
    t.typeTimer = setTimeout(() => {
      t.typeTimer = undefined;
      if (t.disposed || t.checking) return;
      if (readSettings(t.doc.uri)['lint.run'] === 'onType') void this.runFull(t);
      this.runStructural(t);
    }, TYPE_DELAY_MS);
  }

  /**
   * Keeps the curation findings (from the last full check) on their records while lines are
   * added or removed, and remembers the edit for a check still running in the worker.
   */
  private noteEdit(t: TrackedDocument, splice: LineSplice): void {
    if (splice.removed === 0 && splice.added === 0) return;
    this.setCuration(t, shiftFindings(t.curationFindings, splice));
    if (t.fullRequest !== t.fullDone) t.editsSinceRequest.push(splice);
  }

  /** Replaces the listed curation findings after an edit; the ones it dropped leave the counts. */
  private setCuration(t: TrackedDocument, findings: Finding[]): void {
    const before = countBySeverity(t.curationFindings);
    const after = countBySeverity(findings);
    for (const s of Object.keys(before) as Severity[]) t.curationCounts[s] -= before[s] - after[s];
    t.curationTotal -= t.curationFindings.length - findings.length;
    t.curationFindings = findings;
  }

  private saved(doc: vscode.TextDocument): void {
    const t = this.docs.get(doc.uri.toString());
    if (!t) return;
    void this.runFull(t);
    if (!t.checking) this.runStructural(t);
  }

  private runStructural(t: TrackedDocument): void {
    const summary = t.structural.summary();
    t.structuralFindings = summary.findings;
    t.summary = { ...summary, findings: [] };
    this.publish(t);
  }

  /** Asks the worker for the full check; publishes its curation findings if still current. */
  private async runFull(t: TrackedDocument): Promise<void> {
    if (!t.curated) return;
    const request = ++t.fullRequest;
    // Edits made while the worker checks are replayed on its findings when they arrive.
    t.editsSinceRequest = [];
    try {
      const result = await this.curation.check(t.doc.uri.toString());
      if (t.disposed || request !== t.fullRequest) return;
      t.fullDone = request;
      t.curationFindings = result.listed;
      t.curationCounts = { ...result.counts };
      t.curationTotal = result.total;
      for (const splice of t.editsSinceRequest) this.setCuration(t, shiftFindings(t.curationFindings, splice));
      t.editsSinceRequest = [];
      this.log.debug(`Curation rules on ${path.basename(t.doc.uri.path)}: ${result.total} findings (${t.curationFindings.length} listed) in ${Math.round(result.ms)} ms`);
      if (!t.checking) this.publish(t);
    } catch (err) {
      // Nothing is waiting for the edits any more.
      if (request === t.fullRequest) {
        t.fullDone = request;
        t.editsSinceRequest = [];
      }
      if (!t.disposed) this.log.error(`Curation check of ${t.doc.uri.toString()} failed: ${(err as Error).message}`);
    }
  }

  /** The findings of the curation rules for a document, as last published. */
  curationFindings(uri: vscode.Uri): readonly Finding[] {
    return this.docs.get(uri.toString())?.curationFindings ?? [];
  }

  private publish(t: TrackedDocument): void {
    const uri = t.doc.uri;
    const held = [...t.problems, ...t.structuralFindings, ...t.curationFindings];
    // The structural findings are all here; the curation findings past the limit are in the worker.
    const total = held.length + t.curationTotal - t.curationFindings.length;
    this.collection.set(
      uri,
      findingsToList(held, total).map((f) => toDiagnostic(f, uri, (code) => this.ruleDocs.target(code))),
    );
    const report = this.report(uri);
    if (report) this.updated.fire(report);
  }

  /** Re-reads settings and config for every open dataset and checks it again from scratch. */
  recheckAll(reason: string): void {
    this.log.info(`Re-checking open datasets: ${reason}`);
    for (const [key, t] of [...this.docs]) {
      t.disposed = true;
      if (t.typeTimer) clearTimeout(t.typeTimer);
      this.docs.delete(key);
      this.curation.close(key);
      this.collection.delete(t.doc.uri);
      if (!t.doc.isClosed) this.open(t.doc);
    }
  }

  dispose(): void {
    for (const t of this.docs.values()) {
      t.disposed = true;
      if (t.typeTimer) clearTimeout(t.typeTimer);
    }
    for (const d of this.disposables) d.dispose();
  }
}
