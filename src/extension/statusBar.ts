import * as vscode from 'vscode';
import { datasetStatus } from '../core/datasetStatus';
import { DatasetDiagnostics, isDataset } from './datasetDiagnostics';

/**
 * The active dataset at a glance, as a language status item (VS Code's place for per-language
 * status, beside the language mode; a user can pin it to the status bar): the format and record
 * count, the problems as its detail, and a "Show Problems" link to the Problems panel.
 */
export function registerStatusBar(diagnostics: DatasetDiagnostics): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('dialogueCurator.dataset', { language: 'jsonl' });
  item.name = 'Dialogue Curator';
  item.command = { title: 'Show Problems', command: 'workbench.actions.view.problems', tooltip: 'Open the Problems panel' };
  const disposables: vscode.Disposable[] = [item];

  const render = () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isDataset(editor.document)) return;
    const report = diagnostics.report(editor.document.uri);
    if (!report) {
      item.text = 'Dialogue Curator';
      item.detail = 'checking…';
      item.busy = true;
      item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    const status = datasetStatus(report);
    item.text = status.label;
    item.detail = status.detail;
    item.busy = report.checking;
    item.severity = status.severity === 'error' ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    item.accessibilityInformation = { label: status.accessibilityLabel };
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
