import * as vscode from 'vscode';
import { countBySeverity } from '../core/findings';
import { FORMAT_LABELS } from '../core/formats';
import { DatasetDiagnostics, DocumentReport, isDataset } from './datasetDiagnostics';

/** "TRL preference (conversational) · 999 records · 3 errors": the active dataset at a glance. */
export function registerStatusBar(diagnostics: DatasetDiagnostics): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('dialogueCurator.status', vscode.StatusBarAlignment.Left, 100);
  item.name = 'Dialogue Curator';
  item.command = 'workbench.actions.view.problems';
  const disposables: vscode.Disposable[] = [item];

  const render = () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isDataset(editor.document)) {
      item.hide();
      return;
    }
    const report = diagnostics.report(editor.document.uri);
    if (!report) {
      item.hide();
      return;
    }
    item.text = statusText(report);
    const counts = countBySeverity(report.findings);
    item.tooltip = new vscode.MarkdownString(
      [
        `**Dialogue Curator**`,
        '',
        `Format: ${report.format ? FORMAT_LABELS[report.format] : 'not recognised'} (${report.formatSource === 'detected' ? 'detected from the records' : report.formatSource === 'config' ? 'from .dialoguecurator.json' : 'chosen for this file'})`,
        '',
        `Records: ${report.records.toLocaleString()}`,
        '',
        `Problems: ${counts.error} errors, ${counts.warning} warnings, ${counts.info + counts.hint} notes`,
        '',
        'Click to open the Problems panel.',
      ].join('\n'),
    );
    item.backgroundColor = counts.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };

  vscode.window.onDidChangeActiveTextEditor(render, undefined, disposables);
  diagnostics.onDidUpdate(
    (r) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === r.uri.toString()) render();
    },
    undefined,
    disposables,
  );
  render();
  return vscode.Disposable.from(...disposables);
}

export function statusText(report: DocumentReport): string {
  const counts = countBySeverity(report.findings);
  const problems = report.findings.length;
  const format = report.format ? FORMAT_LABELS[report.format] : 'Unknown format';
  const icon = report.checking ? '$(sync~spin)' : counts.error ? '$(error)' : counts.warning ? '$(warning)' : '$(pass)';
  const records = `${report.records.toLocaleString()} record${report.records === 1 ? '' : 's'}`;
  const tail = report.checking ? 'checking…' : problems === 0 ? 'no problems' : `${problems.toLocaleString()} problem${problems === 1 ? '' : 's'}`;
  return `${icon} ${format} · ${records} · ${tail}`;
}
