import * as vscode from 'vscode';
import { registerCompare } from './compare';
import { registerCurationFeatures } from './curationFeatures';
import { CurationHost } from './curationHost';
import { DatasetDiagnostics } from './datasetDiagnostics';
import { registerFormatCommand } from './formatCommand';
import { FormatOverrides } from './formatOverrides';
import { createLogger, Logger } from './logger';
import { ProjectConfigs } from './projectConfig';
import { RuleDocLinks } from './ruleDocs';
import { registerStatusBar } from './statusBar';
import { registerTraining } from './training';

/** What the extension hands to other extensions and to its integration tests. */
export interface DialogueCuratorApi {
  diagnostics: DatasetDiagnostics;
}

export function activate(context: vscode.ExtensionContext): DialogueCuratorApi {
  const channel = vscode.window.createOutputChannel('Dialogue Curator', { log: true });
  context.subscriptions.push(channel);
  const log: Logger = createLogger(channel);
  try {
    const configs = new ProjectConfigs(log);
    const overrides = new FormatOverrides(context.workspaceState);
    const curation = CurationHost.forExtension(context, log);
    const ruleDocs = new RuleDocLinks(context.extensionUri);
    const diagnostics = new DatasetDiagnostics(log, configs, overrides, curation, ruleDocs);
    context.subscriptions.push(
      curation,
      configs,
      overrides,
      diagnostics,
      registerStatusBar(diagnostics),
      registerFormatCommand(overrides, diagnostics),
      registerCurationFeatures(diagnostics, configs, ruleDocs),
      registerTraining(context, log, configs, overrides),
      registerCompare(context, diagnostics, configs, log),
      vscode.commands.registerCommand('dialogueCurator.showLog', () => log.show()),
      vscode.commands.registerCommand('dialogueCurator.showRuleDocumentation', (code?: unknown) => ruleDocs.show(code)),
      vscode.commands.registerCommand('dialogueCurator.recheck', () => diagnostics.recheckAll('requested by the user')),
    );
    log.info(`Dialogue Curator ${context.extension.packageJSON.version as string} activated`);
    return { diagnostics };
  } catch (err) {
    const message = `Dialogue Curator could not start: ${(err as Error).message}`;
    log.error(err as Error);
    void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
      if (choice) log.show();
    });
    throw err;
  }
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
