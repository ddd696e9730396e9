// Shared helpers for the integration suites: they run inside a real VS Code extension host.
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dialogue-curator.dialogue-curator';
export const DIAGNOSTIC_SOURCE = 'Dialogue Curator';

/** The copied fixture workspace the runner opened (test/fixtures/integration/workspace). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The integration tests need a workspace folder: run them through npm run test:integration');
  return folder.uri;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), name);
}

/**
 * Opens a fixture in an editor the way a click in the Explorer does (`vscode.open`). Unlike
 * `workspace.openTextDocument`, this holds no extra reference to the document, so closing the
 * editor closes the document at once (the API keeps documents it opened alive for minutes).
 */
export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const uri = fixtureUri(name);
  const isOurs = (e: vscode.TextEditor | undefined): e is vscode.TextEditor => e?.document.uri.toString() === uri.toString();
  let subscription: vscode.Disposable | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Listen before opening, so the editor change cannot be missed.
  const shown = new Promise<vscode.TextEditor>((resolve, reject) => {
    subscription = vscode.window.onDidChangeActiveTextEditor((e) => {
      if (isOurs(e)) resolve(e);
    });
    timer = setTimeout(() => reject(new Error(`${name} did not become the active editor within 10 s`)), 10_000);
  });
  try {
    await vscode.commands.executeCommand('vscode.open', uri);
    const active = vscode.window.activeTextEditor;
    return isOurs(active) ? active : await shown;
  } finally {
    subscription?.dispose();
    clearTimeout(timer);
  }
}

/** Our diagnostics for a document (other extensions may publish theirs). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

export function codeOf(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return String(code);
}

/** `code@line:col-line:col`, 0-based, for readable comparisons and failure messages. */
export function describeDiagnostic(d: vscode.Diagnostic): string {
  const r = d.range;
  return `${codeOf(d)}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${JSON.stringify(d.message)}`;
}

/**
 * Resolves with our diagnostics for `uri` as soon as `accept` returns true for them: at once if
 * they already qualify, else on the next `onDidChangeDiagnostics` event that makes them qualify.
 * Rejects after `timeoutMs` with the diagnostics as they were, so a failure says what was seen.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    // Subscribe before the first look, so a change between the two cannot be missed.
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      // All sources, so a wrong `source` shows up here instead of looking like no diagnostics.
      const now = vscode.languages.getDiagnostics(uri).map((d) => `[${d.source ?? 'no source'}] ${describeDiagnostic(d)}`);
      reject(
        new Error(
          `Timed out after ${timeoutMs} ms waiting for ${what} in ${path.basename(uri.path)}.\n` +
            `Diagnostics now (${now.length}):\n  ${now.join('\n  ') || '(none)'}`,
        ),
      );
    }, timeoutMs);
    function check(): void {
      const current = ourDiagnostics(uri);
      if (accept(current)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(current);
      }
    }
    check();
  });
}

/** Resolves when `condition()` holds, checked every 50 ms; only for states VS Code raises no
 * event for (such as an extension becoming active). */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Reverts every modified document and closes all editors, so the next test starts clean and
 * no "save changes?" dialog can block the run. */
export async function closeAllWithoutSaving(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    // Only the tests' own files: VS Code writes user settings (a configuration update) through a
    // document of its own that is dirty for a moment; showing it races with VS Code itself
    // ("another editor opened in the meantime"), and it is not ours to revert.
    if (!doc.isDirty || doc.isClosed || !ownedByTests(doc.uri)) continue;
    for (let attempt = 1; ; attempt++) {
      try {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
        break;
      } catch (err) {
        // Another editor opening at the same moment makes showTextDocument fail; try again.
        if (attempt >= 3 || !doc.isDirty || doc.isClosed) {
          if (doc.isDirty && !doc.isClosed) throw err;
          break;
        }
      }
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Untitled documents and files, but not VS Code's own settings files (its user data folder). */
function ownedByTests(uri: vscode.Uri): boolean {
  if (uri.scheme === 'untitled') return true;
  return uri.scheme === 'file' && !/[\\/]User[\\/]/.test(uri.fsPath);
}

/** The text of a fixture line, so expected columns are computed from the data, not typed in. */
export function lineText(doc: vscode.TextDocument, line: number): string {
  return doc.lineAt(line).text;
}

/** The column of `needle` in a line (UTF-16 units, like VS Code positions); fails if absent. */
export function columnOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`fixture changed: ${JSON.stringify(needle)} not found in ${JSON.stringify(text)}`);
  return i;
}
