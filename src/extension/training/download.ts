import * as fs from 'fs';
import * as vscode from 'vscode';
import { TrainerClient, TrainerError } from '../../core/trainer/client';
import { DownloadedResults, downloadResults, resultsFolderIn } from '../../core/trainer/results';
import { Logger } from '../logger';

/**
 * Answers to the dialogs of "Download Trained Model…", for the integration tests. Honoured only in
 * the extension's test mode (see `TrainTestAnswers`).
 */
export interface DownloadTestAnswers {
  /** The folder picked instead of the dialog. */
  folder?: string;
  /** Open the evaluation in the compare panel afterwards (the notification's action). */
  openEvaluation?: boolean;
}

export type DownloadOutcome =
  | { outcome: 'downloaded'; dir: string; weights: DownloadedResults['weights']; files: string[]; evaluation?: string; trainingLog?: string; tracking?: string }
  | { outcome: 'stopped'; reason: string };

function mb(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function describeWeights(weights: DownloadedResults['weights']): string {
  return weights === 'adapter' ? 'LoRA adapter' : weights === 'model' ? 'trained model' : 'results';
}

/**
 * "Download Trained Model…": asks for a folder, downloads the job's result files with a
 * cancellable progress notification (an interrupted download resumes when the same folder is
 * picked again), unpacks them, and offers to open the base-vs-tuned evaluation in the compare
 * panel.
 */
export async function downloadTrainedModel(
  client: TrainerClient,
  jobId: string,
  log: Logger,
  answers: DownloadTestAnswers = {},
): Promise<DownloadOutcome> {
  let job;
  try {
    job = await client.getJob(jobId);
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not read job ${jobId}: ${(err as Error).message}`);
    return { outcome: 'stopped', reason: (err as Error).message };
  }
  if (job.status !== 'succeeded' || job.result_files.length === 0) {
    const reason = job.status !== 'succeeded' ? `job ${jobId} has ${job.status === 'running' ? 'not finished yet' : job.status}: it has no trained model` : `job ${jobId} has no result files on its trainer`;
    void vscode.window.showWarningMessage(`Nothing to download: ${reason}.`);
    return { outcome: 'stopped', reason };
  }

  let picked = answers.folder;
  if (picked === undefined) {
    const chosen = await vscode.window.showOpenDialog({
      title: `Download the Trained Model of ${jobId}`,
      openLabel: 'Download Here',
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!chosen?.length) return { outcome: 'stopped', reason: 'no folder chosen' };
    picked = chosen[0].fsPath;
  }
  const dir = resultsFolderIn(picked, jobId);

  let results: DownloadedResults;
  try {
    results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Downloading the results of ${jobId}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let shown = 0;
        return downloadResults(client, job, dir, {
          signal: abort.signal,
          onProgress: (p) => {
            // Each file takes an equal share of the bar; within it, its bytes.
            const done = ((p.index + (p.total ? p.received / p.total : 1)) / p.count) * 100;
            progress.report({ increment: Math.max(0, done - shown), message: `${p.file.filename} (${p.index + 1} of ${p.count}): ${mb(p.received)} of ${mb(p.total)}` });
            shown = Math.max(shown, done);
          },
        });
      },
    );
  } catch (err) {
    if (err instanceof TrainerError && err.kind === 'aborted') {
      log.info(`Job ${jobId}: download cancelled; picking ${dir} again resumes it`);
      void vscode.window.showInformationMessage(`Download cancelled. Choose the same folder again to resume it.`);
      return { outcome: 'stopped', reason: 'cancelled' };
    }
    log.error(`Job ${jobId}: download into ${dir} failed: ${(err as Error).message}`);
    void vscode.window.showErrorMessage(`Could not download the results of ${jobId}: ${(err as Error).message}`);
    return { outcome: 'stopped', reason: (err as Error).message };
  }

  const names = results.files.map((f) => f.filename);
  log.info(`Job ${jobId}: ${names.length} result file(s) downloaded into ${dir} (${describeWeights(results.weights)})`);
  const outcome: DownloadOutcome = { outcome: 'downloaded', dir, weights: results.weights, files: names };
  if (results.evaluation) outcome.evaluation = results.evaluation;
  if (results.trainingLog) outcome.trainingLog = results.trainingLog;
  if (results.tracking) outcome.tracking = results.tracking;

  const actions = [...(results.evaluation ? ['Compare Base and Tuned'] : []), 'Open Folder'];
  const message = `The ${describeWeights(results.weights)} of ${jobId} is in ${dir}${results.evaluation ? '. Its evaluation answers the held-out prompts with the base and the tuned model.' : '.'}`;
  if (answers.openEvaluation !== undefined || answers.folder !== undefined) {
    // Test mode: no notification to wait on.
    if (answers.openEvaluation && results.evaluation) await openEvaluation(results.evaluation);
    return outcome;
  }
  void vscode.window.showInformationMessage(message, ...actions).then(async (choice) => {
    if (choice === 'Compare Base and Tuned' && results.evaluation) await openEvaluation(results.evaluation);
    if (choice === 'Open Folder') await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir), { forceNewWindow: true });
  });
  return outcome;
}

/** Opens an evaluation file beside the compare panel, on its first record (tuned vs base). */
export async function openEvaluation(file: string): Promise<void> {
  if (!fs.existsSync(file)) return;
  const uri = vscode.Uri.file(file);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('dialogueCurator.compare', uri, 0);
}
