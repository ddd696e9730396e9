import * as path from 'path';
import * as vscode from 'vscode';
import { validationCandidates } from './validationFiles';

type Item = vscode.QuickPickItem & { choice: 'none' | 'browse' | vscode.Uri };

/**
 * Asks for an optional validation set: none (the first item, so Enter skips it), a JSONL file
 * next to the dataset whose name says it is held out, or any file. Undefined when dismissed.
 */
export async function pickValidationSet(dataset: vscode.Uri): Promise<vscode.Uri | null | undefined> {
  const folder = dataset.with({ path: path.posix.dirname(dataset.path) });
  const datasetName = path.basename(dataset.path);
  let siblings: string[] = [];
  try {
    siblings = (await vscode.workspace.fs.readDirectory(folder)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
  } catch {
    // An unreadable folder only means no suggestions.
  }
  const items: Item[] = [
    { label: '$(circle-slash) No validation set', detail: 'Train only: the loss panel shows training metrics', choice: 'none' },
    ...validationCandidates(datasetName, siblings).map(
      (name): Item => ({ label: `$(file) ${name}`, description: 'in the same folder', choice: vscode.Uri.joinPath(folder, name) }),
    ),
    { label: '$(folder-opened) Choose File…', detail: 'Held-out preference pairs, checked like the dataset before upload', choice: 'browse' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Validation Set for ${datasetName} (optional)`,
    placeHolder: 'Evaluate on held-out pairs while training? Their eval_ metrics appear in the loss panel',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.choice === 'none') return null;
  if (picked.choice !== 'browse') return picked.choice;
  const chosen = await vscode.window.showOpenDialog({
    title: 'Choose a Validation Set',
    defaultUri: folder,
    canSelectMany: false,
    filters: { 'JSON Lines': ['jsonl', 'ndjson'] },
  });
  return chosen?.[0];
}
