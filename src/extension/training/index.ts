import * as vscode from 'vscode';
import { FormatOverrides } from '../formatOverrides';
import { Logger } from '../logger';
import { ProjectConfigs } from '../projectConfig';
import { setTrainerToken, showTrainingRuns, trainOnRemote, TrainingDeps } from './commands';
import { DownloadTestAnswers } from './download';
import { LossPanels } from './lossPanel';
import { TrainerTokens } from './tokens';

/**
 * Remote training: the train, token and runs commands and the loss panels (restored after a
 * reload). In test mode only, more commands serve the integration tests (what the panels drew;
 * the CSV export without its save dialog; opening a panel as a restore does; its Retry action; its
 * download with the folder given);
 * they are not contributed and do not exist in a normal window.
 */
export function registerTraining(context: vscode.ExtensionContext, log: Logger, configs: ProjectConfigs, overrides: FormatOverrides): vscode.Disposable {
  const tokens = new TrainerTokens(context.secrets);
  const panels = new LossPanels(context.extensionUri, tokens, log);
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const deps: TrainingDeps = { log, configs, overrides, tokens, panels, testMode };
  const disposables: vscode.Disposable[] = [
    panels,
    vscode.commands.registerCommand('dialogueCurator.trainOnRemote', (uri?: unknown, answers?: unknown) => trainOnRemote(deps, uri, answers)),
    vscode.commands.registerCommand('dialogueCurator.setTrainerToken', (answers?: unknown) => setTrainerToken(deps, answers)),
    vscode.commands.registerCommand('dialogueCurator.showTrainingRuns', (answers?: unknown) => showTrainingRuns(deps, answers)),
  ];
  if (testMode) {
    disposables.push(
      vscode.commands.registerCommand('dialogueCurator.test.trainingPanels', (jobId?: string, minPoints?: number, timeoutMs?: number) =>
        jobId === undefined
          ? panels.snapshots()
          : panels.waitForRender(jobId, (r) => r.points >= (minPoints ?? 1), timeoutMs ?? 60_000),
      ),
      vscode.commands.registerCommand('dialogueCurator.test.exportTrainingCsv', (jobId: string, fsPath: string) =>
        panels.exportCsvTo(jobId, vscode.Uri.file(fsPath)),
      ),
      vscode.commands.registerCommand('dialogueCurator.test.openTrainingPanel', (profileName: string, jobId: string) => panels.open(profileName, jobId)),
      vscode.commands.registerCommand('dialogueCurator.test.retryTrainingPanel', (jobId: string) => panels.retry(jobId)),
      vscode.commands.registerCommand('dialogueCurator.test.downloadResults', (jobId: string, answers: DownloadTestAnswers) => panels.downloadResults(jobId, answers)),
    );
  }
  return vscode.Disposable.from(...disposables);
}
