import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { swapEdits } from '../core/compare/edits';
import { hoverMarkdown, recordHoverInfo } from '../core/curation';
import { ruleDoc } from '../core/curation';
import { allowPhraseChange, ConfigChange, disableRuleChange } from '../core/configEdits';
import { CONFIG_FILE_NAME } from '../core/config';
import { sameRecord } from '../core/dataset/facts';
import { Finding } from '../core/findings';
import { DatasetDiagnostics } from './datasetDiagnostics';
import { codeValue, DIAGNOSTIC_SOURCE, toRange } from './diagnosticConvert';
import { RuleDocLinks } from './ruleDocs';
import { ProjectConfigs } from './projectConfig';

const SELECTOR: vscode.DocumentSelector = { language: 'jsonl' };

/** The finding behind a diagnostic VS Code hands back (it passes copies, so match by place and code). */
function findingFor(findings: readonly Finding[], d: vscode.Diagnostic): Finding | undefined {
  return findings.find(
    (f) => f.code === codeValue(d) && f.line === d.range.start.line && f.column === d.range.start.character && f.endColumn === d.range.end.character && f.message === d.message,
  );
}

/** Hover on a record: token counts per field, tone scores per side, the weakest axis named. */
export class RecordHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly diagnostics: DatasetDiagnostics,
    private readonly configs: ProjectConfigs,
  ) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const report = this.diagnostics.report(doc.uri);
    const model = this.diagnostics.model(doc.uri);
    if (!report || !model) return undefined;
    const value = model.value(position.line);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const config = this.configs.settingsFor(doc.uri).settings.config;
    if (!config) return undefined;
    const info = recordHoverInfo(value, report.format, config);
    if (!info) return undefined;
    // hoverMarkdown holds numbers and labels only, never dataset text.
    const md = new vscode.MarkdownString(hoverMarkdown(info));
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, doc.lineAt(position.line).range);
  }
}

/** Quick fixes carried by curation findings: swap the pair, replace jargon, remove a duplicate. */
export class CurationCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(
    private readonly diagnostics: DatasetDiagnostics,
    private readonly ruleDocs: RuleDocLinks,
    private readonly configs: ProjectConfigs,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const report = this.diagnostics.report(doc.uri);
    if (!report) return [];
    // Fixes first, then the project's settings, documentation links last.
    const fixes: vscode.CodeAction[] = [];
    const settings: vscode.CodeAction[] = [];
    const docs: vscode.CodeAction[] = [];
    // Once per rule and per phrase, whatever number of diagnostics share them.
    const rules = new Set<string>();
    const phrases = new Set<string>();
    let project: ProjectFile | undefined | null = null;
    const projectFile = () => (project === null ? (project = this.projectFile(doc.uri)) : project);
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const f = findingFor(report.findings, d);
      const fix = f?.data ? this.fixFor(doc, f, report.format) : undefined;
      if (fix) fixes.push(Object.assign(fix, { diagnostics: [d] }));
      const code = codeValue(d);
      if (!code) continue;
      const firstOfRule = !rules.has(code);
      rules.add(code);
      const file = firstOfRule && ruleDoc(code) ? projectFile() : undefined;
      const off = file && configAction(file, `Disable rule ${code} in ${CONFIG_FILE_NAME}`, disableRuleChange(file.text, code));
      if (off) settings.push(Object.assign(off, { diagnostics: [d] }));
      const phrase = f?.data && typeof f.data.phrase === 'string' && code.startsWith('tone-') ? f.data.phrase : undefined;
      if (phrase && phrase.length <= 80 && !phrases.has(phrase)) {
        phrases.add(phrase);
        const allowFile = projectFile();
        const allow = allowFile && configAction(allowFile, `Allow "${phrase}" in ${CONFIG_FILE_NAME} (tone rules skip it)`, allowPhraseChange(allowFile.text, phrase));
        if (allow) settings.push(Object.assign(allow, { diagnostics: [d] }));
      }
      if (firstOfRule && this.ruleDocs.target(code)) {
        const show = new vscode.CodeAction(`Show documentation for rule ${code}`, vscode.CodeActionKind.QuickFix);
        show.command = { command: 'dialogueCurator.showRuleDocumentation', title: show.title, arguments: [code] };
        show.diagnostics = [d];
        docs.push(show);
      }
    }
    return [...fixes, ...settings, ...docs];
  }

  /**
   * The project's .dialoguecurator.json for a dataset: the one that governs it, or a new one at the
   * workspace folder's root; its text as open in an editor or on disk (undefined: not there yet).
   */
  private projectFile(docUri: vscode.Uri): ProjectFile | undefined {
    if (docUri.scheme !== 'file') return undefined;
    const governing = this.configs.configFor(docUri)?.path;
    const folder = vscode.workspace.getWorkspaceFolder(docUri)?.uri.fsPath ?? path.dirname(docUri.fsPath);
    const uri = vscode.Uri.file(governing ?? path.join(folder, CONFIG_FILE_NAME));
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : fs.existsSync(uri.fsPath) ? fs.readFileSync(uri.fsPath, 'utf8') : undefined;
    return { uri, open, text };
  }

  private fixFor(doc: vscode.TextDocument, f: Finding, format: Parameters<typeof swapEdits>[1]): vscode.CodeAction | undefined {
    const data = f.data!;
    if (f.line >= doc.lineCount) return undefined;
    const line = doc.lineAt(f.line);
    switch (data.fix) {
      case 'swap': {
        const result = swapEdits(line.text, format);
        if (!result.ok) return undefined;
        const action = new vscode.CodeAction('Swap chosen and rejected', vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        for (const e of result.edits) {
          action.edit.replace(doc.uri, new vscode.Range(f.line, e.offset, f.line, e.offset + e.length), e.text);
        }
        action.isPreferred = true;
        return action;
      }
      case 'replace': {
        const range = toRange(f);
        const term = typeof data.term === 'string' ? data.term : undefined;
        // The finding is from the last save: offer the fix only while the words are still there.
        if (!term || doc.getText(range) !== term || typeof data.newText !== 'string') return undefined;
        const action = new vscode.CodeAction(`Replace "${term}" with "${String(data.replacement)}"`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, range, data.newText);
        action.isPreferred = true;
        return action;
      }
      case 'remove-line': {
        const keep = typeof data.keepLine === 'number' ? data.keepLine : -1;
        if (keep < 0 || keep >= doc.lineCount || keep === f.line) return undefined;
        // Offer the removal only while the first copy still holds the same record: never delete the only copy.
        if (!sameRecord(doc.lineAt(keep).text, line.text, format)) return undefined;
        const action = new vscode.CodeAction(`Remove this duplicate record (the first copy is on line ${keep + 1})`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.delete(doc.uri, line.rangeIncludingLineBreak);
        return action;
      }
      default:
        return undefined;
    }
  }
}

interface ProjectFile {
  uri: vscode.Uri;
  /** The file's editor document, when it is open. */
  open: vscode.TextDocument | undefined;
  text: string | undefined;
}

/**
 * A code action that makes `change` to the project file, keeping its comments. The edit is an
 * ordinary workspace edit (undoable); the file is then saved so the new setting applies.
 */
function configAction(file: ProjectFile, title: string, change: ConfigChange): vscode.CodeAction | undefined {
  if (change.kind === 'none' || change.kind === 'invalid') return undefined;
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  if (change.kind === 'create') {
    action.edit.createFile(file.uri, { contents: Buffer.from(change.text, 'utf8'), ignoreIfExists: true });
  } else {
    const at = (offset: number) => (file.open ? file.open.positionAt(offset) : positionIn(file.text ?? '', offset));
    for (const e of change.edits) action.edit.replace(file.uri, new vscode.Range(at(e.offset), at(e.offset + e.length)), e.content);
    action.command = { command: 'dialogueCurator.saveProjectConfig', title: 'Save', arguments: [file.uri] };
  }
  return action;
}

/** A 0-based line and column of an offset in a text that is not open in an editor. */
function positionIn(text: string, offset: number): vscode.Position {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return new vscode.Position(line, offset - start);
}

/**
 * `source.fixAll.dialogueCurator` (e.g. in `editor.codeActionsOnSave`): the fixes that cannot
 * change what a dataset teaches — removing the later copies of records that are exact duplicates
 * of an earlier one. Swaps and rewordings stay one-by-one decisions.
 */
export class CurationFixAll implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.SourceFixAll.append('dialogueCurator');
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [CurationFixAll.kind] };

  constructor(private readonly diagnostics: DatasetDiagnostics) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (context.only && !context.only.contains(CurationFixAll.kind) && !CurationFixAll.kind.contains(context.only)) return [];
    const report = this.diagnostics.report(doc.uri);
    if (!report) return [];
    const version = doc.version;
    // Every duplicate, also those past what the Problems panel lists.
    const duplicates = await this.diagnostics.curationFindingsWithCode(doc.uri, 'dataset-duplicate-record');
    if (doc.version !== version) return [];
    const lines = new Set<number>();
    for (const f of duplicates) {
      if (f.data?.fix !== 'remove-line') continue;
      const keep = typeof f.data.keepLine === 'number' ? f.data.keepLine : -1;
      if (keep < 0 || keep >= doc.lineCount || f.line >= doc.lineCount || keep === f.line || lines.has(keep)) continue;
      if (!sameRecord(doc.lineAt(keep).text, doc.lineAt(f.line).text, report.format)) continue;
      lines.add(f.line);
    }
    if (!lines.size) return [];
    const action = new vscode.CodeAction(`Remove ${lines.size} duplicate record${lines.size === 1 ? '' : 's'}`, CurationFixAll.kind);
    action.edit = new vscode.WorkspaceEdit();
    for (const line of [...lines].sort((a, b) => b - a)) action.edit.delete(doc.uri, doc.lineAt(line).rangeIncludingLineBreak);
    return [action];
  }
}

/** Hover, quick fixes and a link from each curation diagnostic to its rule's documentation. */
export function registerCurationFeatures(diagnostics: DatasetDiagnostics, configs: ProjectConfigs, ruleDocs: RuleDocLinks): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(SELECTOR, new RecordHoverProvider(diagnostics, configs)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new CurationCodeActions(diagnostics, ruleDocs, configs), CurationCodeActions.metadata),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new CurationFixAll(diagnostics), CurationFixAll.metadata),
    // After a "Disable rule" or "Allow" edit: saved, so the project's new setting applies at once.
    vscode.commands.registerCommand('dialogueCurator.saveProjectConfig', async (uri: unknown) => {
      if (!(uri instanceof vscode.Uri) || path.basename(uri.fsPath) !== CONFIG_FILE_NAME) return false;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return doc ? doc.save() : false;
    }),
  );
}
