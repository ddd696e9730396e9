import * as vscode from 'vscode';
import { FORMAT_IDS, FORMAT_LABELS, FormatId } from '../core/formats';
import { DatasetDiagnostics, isDataset } from './datasetDiagnostics';
import { FormatOverrides } from './formatOverrides';

/** "Select Dataset Format…": overrides detection for the active file (or goes back to auto). */
export function registerFormatCommand(overrides: FormatOverrides, diagnostics: DatasetDiagnostics): vscode.Disposable {
  return vscode.commands.registerCommand('dialogueCurator.selectFormat', async (uri?: vscode.Uri) => {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    const doc = target && vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (!target || (doc && !isDataset(doc))) {
      void vscode.window.showInformationMessage('Open a JSONL dataset first to choose its format.');
      return;
    }
    const current = overrides.get(target);
    const detected = diagnostics.report(target)?.format;
    type Item = vscode.QuickPickItem & { format: FormatId | undefined };
    const items: Item[] = [
      { label: 'Detect automatically', description: detected && !current ? `currently ${FORMAT_LABELS[detected]}` : undefined, format: undefined },
      ...FORMAT_IDS.map((f) => ({ label: FORMAT_LABELS[f], description: f === current ? 'selected' : f, format: f })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Dataset format for this file', placeHolder: 'Records are validated against the schema of this format' });
    if (!pick) return;
    await overrides.set(target, pick.format);
  });
}
