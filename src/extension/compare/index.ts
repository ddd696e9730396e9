import * as vscode from 'vscode';
import { checkPanelState, COMPARE_VIEW_TYPE, PanelState } from '../../core/compare/messages';
import { DEFAULT_CONFIG } from '../../core/config';
import { DatasetDiagnostics, isDataset } from '../datasetDiagnostics';
import { Logger } from '../logger';
import { ProjectConfigs } from '../projectConfig';
import { registerCompareCodeLens } from './codeLens';
import { CompareController } from './comparePanel';

/** Where the compare command was started from: the palette, a menu (a URI) or a CodeLens (URI and line). */
function commandTarget(arg: unknown, lineArg: unknown): { uri: vscode.Uri; line: number } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (arg instanceof vscode.Uri) {
    const line =
      typeof lineArg === 'number' && Number.isInteger(lineArg) && lineArg >= 0
        ? lineArg
        : editor && editor.document.uri.toString() === arg.toString()
          ? editor.selection.active.line
          : 0;
    return { uri: arg, line };
  }
  if (editor && isDataset(editor.document)) return { uri: editor.document.uri, line: editor.selection.active.line };
  return undefined;
}

/**
 * The compare panel feature: the command (palette, editor menu, editor title, CodeLens), the
 * navigation and swap commands, and the serializer that brings the panel back after a reload.
 */
export function registerCompare(context: vscode.ExtensionContext, diagnostics: DatasetDiagnostics, configs: ProjectConfigs, log: Logger): vscode.Disposable {
  const configFor = (uri: vscode.Uri) => configs.settingsFor(uri).settings.config ?? DEFAULT_CONFIG;
  const controller = new CompareController(context.extensionUri, diagnostics, log, configFor);
  const whenOpen = (run: () => Promise<void>) => () => {
    if (!controller.isOpen) {
      void vscode.window.showInformationMessage('Open the compare panel first: "Dialogue Curator: Compare Chosen and Rejected".');
      return;
    }
    return run();
  };
  return vscode.Disposable.from(
    controller,
    registerCompareCodeLens(),
    vscode.commands.registerCommand('dialogueCurator.compare', async (arg?: unknown, line?: unknown) => {
      const target = commandTarget(arg, line);
      if (!target) {
        void vscode.window.showInformationMessage('Open a JSONL dataset and put the cursor on a record to compare its responses.');
        return;
      }
      await vscode.workspace.openTextDocument(target.uri);
      await controller.open(target.uri, target.line);
    }),
    vscode.commands.registerCommand('dialogueCurator.comparePrevious', whenOpen(() => controller.navigate('previous'))),
    vscode.commands.registerCommand('dialogueCurator.compareNext', whenOpen(() => controller.navigate('next'))),
    vscode.commands.registerCommand('dialogueCurator.compareNextProblem', whenOpen(() => controller.navigate('nextProblem'))),
    vscode.commands.registerCommand('dialogueCurator.compareSwap', whenOpen(() => controller.swapCurrent())),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        let restored: PanelState | undefined;
        try {
          restored = state === undefined || state === null ? undefined : checkPanelState(state, 'state');
        } catch (err) {
          log.warn(`Compare panel: ignoring saved state: ${(err as Error).message}`);
        }
        await controller.restore(panel, restored);
      },
    }),
  );
}
