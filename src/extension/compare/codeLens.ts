import * as vscode from 'vscode';
import { isBlank } from '../../core/jsonl';
import { readCompareSettings } from './settings';

/** Above this many lines a lens per record costs more than it helps; the command still works. */
const MAX_LENS_LINES = 20_000;

/** "Compare" above each record, when `dialogueCurator.compare.codeLens` is on. */
export function registerCompareCodeLens(): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc, token) {
      if (!readCompareSettings(doc.uri)['compare.codeLens'] || doc.lineCount > MAX_LENS_LINES) return [];
      const lenses: vscode.CodeLens[] = [];
      for (let i = 0; i < doc.lineCount && !token.isCancellationRequested; i++) {
        if (isBlank(doc.lineAt(i).text)) continue;
        lenses.push(
          new vscode.CodeLens(new vscode.Range(i, 0, i, 0), {
            title: 'Compare',
            tooltip: 'Compare the chosen and rejected responses of this record side by side',
            command: 'dialogueCurator.compare',
            arguments: [doc.uri, i],
          }),
        );
      }
      return lenses;
    },
  };
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider({ language: 'jsonl' }, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dialogueCurator.compare.codeLens')) changed.fire();
    }),
  );
}
