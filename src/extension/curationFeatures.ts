import * as vscode from 'vscode';
import { swapEdits } from '../core/compare/edits';
import { hoverMarkdown, recordHoverInfo } from '../core/curation';
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
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const report = this.diagnostics.report(doc.uri);
    if (!report) return [];
    const actions: vscode.CodeAction[] = [];
    const documented = new Set<string>();
    for (const d of context.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const f = findingFor(report.findings, d);
      const action = f?.data ? this.fixFor(doc, f, report.format) : undefined;
      if (action) {
        action.diagnostics = [d];
        actions.push(action);
      }
      // After the fixes: one link to each rule's page.
      const code = codeValue(d);
      if (code && !documented.has(code) && this.ruleDocs.target(code)) {
        documented.add(code);
        const show = new vscode.CodeAction(`Show documentation for rule ${code}`, vscode.CodeActionKind.QuickFix);
        show.command = { command: 'dialogueCurator.showRuleDocumentation', title: show.title, arguments: [code] };
        show.diagnostics = [d];
        actions.push(show);
      }
    }
    // Fixes first, documentation links last, whatever order the diagnostics came in.
    return [...actions.filter((a) => a.edit), ...actions.filter((a) => !a.edit)];
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

/** Hover, quick fixes and a link from each curation diagnostic to its rule's documentation. */
export function registerCurationFeatures(diagnostics: DatasetDiagnostics, configs: ProjectConfigs, ruleDocs: RuleDocLinks): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(SELECTOR, new RecordHoverProvider(diagnostics, configs)),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new CurationCodeActions(diagnostics, ruleDocs), CurationCodeActions.metadata),
  );
}
