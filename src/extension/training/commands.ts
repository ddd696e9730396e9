import * as path from 'path';
import * as vscode from 'vscode';
import { isBlank } from '../../core/jsonl';
import { isPreferenceFormat } from '../../core/formats';
import { PhiReport } from '../../core/phi';
import { TrainerClient, TrainerError } from '../../core/trainer/client';
import { sendsTokenInClear } from '../../core/trainer/hosts';
import { CreateJobRequest, FineTuningJob, withProjectLength } from '../../core/trainer/protocol';
import { DEFAULT_CONFIG } from '../../core/config';
import { Finding } from '../../core/findings';
import { FormatOverrides } from '../formatOverrides';
import { Logger } from '../logger';
import { ProjectConfigs } from '../projectConfig';
import { confirmationText, DialogText, phiWarningText } from './confirmation';
import { LossPanels } from './lossPanel';
import { CheckResult, formatLabel, fullCheck, scanDocument } from './preflight';
import { hostOf, TrainerProfile } from './profiles';
import { readTrainerProfiles } from './settings';
import { TrainerTokens } from './tokens';
import { pickValidationSet } from './validationPick';

/**
 * Answers to the dialogs, for the integration tests. Honoured only when the extension runs in
 * test mode (`ExtensionMode.Test`, i.e. launched with `--extensionTestsPath`); in a normal window
 * the argument is ignored and every dialog is shown. Nothing a workspace can set reaches this.
 */
export interface TrainTestAnswers {
  /** The profile to use instead of the quick pick. */
  profile?: string;
  /** Answer to "has unsaved changes": true saves and continues. */
  saveChanges?: boolean;
  /** Answer to the PHI warning (of either file): true continues. */
  continueWithPhi?: boolean;
  /** The validation set's path instead of the pick; left out or null: none. */
  validation?: string | null;
  /** Answer to the final confirmation: true uploads. */
  confirm?: boolean;
}

/** `phi` is the dataset's scan, `validationPhi` the validation set's. */
export type TrainResult =
  | { outcome: 'started'; jobId: string; trainerUrl: string; confirmation: DialogText; phi: PhiReport; validationPhi?: PhiReport }
  | { outcome: 'stopped'; reason: string; confirmation?: DialogText; phi?: PhiReport; validationPhi?: PhiReport };

export interface TrainingDeps {
  log: Logger;
  /** The project settings (.dialoguecurator.json) and format overrides the pre-upload check uses. */
  configs: ProjectConfigs;
  overrides: FormatOverrides;
  tokens: TrainerTokens;
  panels: LossPanels;
  /** True in the extension's test mode: the only case where dialog answers are accepted. */
  testMode: boolean;
}

const stopped = (reason: string, extra: { confirmation?: DialogText; phi?: PhiReport; validationPhi?: PhiReport } = {}): TrainResult => ({
  outcome: 'stopped',
  reason,
  ...extra,
});

/** Training sends data and a token to another machine: never from a workspace not yet trusted. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage('Training on a remote trainer is not available in Restricted Mode. Trust this workspace to use it.', 'Manage Workspace Trust')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

/** The profile to use: the only one, the named one (tests), or the person's pick. */
export async function pickProfile(log: Logger, title: string, named?: string): Promise<TrainerProfile | undefined> {
  const { profiles, problems } = readTrainerProfiles();
  for (const p of problems) log.warn(`Skipped a trainer profile: ${p}`);
  if (named !== undefined) {
    const profile = profiles.find((p) => p.name === named);
    if (!profile) throw new Error(`no trainer profile named "${named}" (have: ${profiles.map((p) => p.name).join(', ') || 'none'})`);
    return profile;
  }
  if (profiles.length === 0) {
    const detail = problems.length ? ` ${problems.length} profile(s) were skipped: ${problems[0]}` : '';
    const choice = await vscode.window.showWarningMessage(
      `No trainer is configured. Add one to "dialogueCurator.trainers" in your user settings.${detail}`,
      'Open Settings',
    );
    if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'dialogueCurator.trainers');
    return undefined;
  }
  if (profiles.length === 1) return profiles[0];
  const picked = await vscode.window.showQuickPick(
    profiles.map((p) => ({ label: p.name, description: hostOf(p.url), detail: p.model ? `model ${p.model}` : undefined, profile: p })),
    { title, placeHolder: 'Choose a trainer' },
  );
  return picked?.profile;
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function showTrainerError(err: unknown, what: string): Promise<void> {
  const unauthorized = err instanceof TrainerError && err.kind === 'unauthorized';
  const actions = unauthorized ? ['Set Trainer Token'] : [];
  const choice = await vscode.window.showErrorMessage(`${what}: ${describeError(err)}`, ...actions);
  if (choice === 'Set Trainer Token') void vscode.commands.executeCommand('dialogueCurator.setTrainerToken');
}

/** The dataset to train on: the argument (editor title, explorer), the active jsonl editor, or a pick. */
async function resolveDataset(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.languageId === 'jsonl') return active.uri;
  const picked = await vscode.window.showOpenDialog({
    title: 'Choose a Dataset to Train On',
    canSelectMany: false,
    filters: { 'JSON Lines': ['jsonl', 'ndjson'] },
  });
  return picked?.[0];
}

export async function trainOnRemote(deps: TrainingDeps, arg?: unknown, answersArg?: unknown): Promise<TrainResult> {
  const answers: TrainTestAnswers = deps.testMode && typeof answersArg === 'object' && answersArg !== null ? (answersArg as TrainTestAnswers) : {};
  if (!requireTrust()) return stopped('restricted mode');
  const uri = await resolveDataset(arg);
  if (!uri) return stopped('no dataset chosen');
  const profile = await pickProfile(deps.log, 'Train on Remote Trainer', answers.profile);
  if (!profile) return stopped('no trainer chosen');
  const host = hostOf(profile.url);
  const fileName = path.basename(uri.path);

  // The optional validation set; a test run names it (or leaves it out: none) instead of the pick.
  const answered = deps.testMode && typeof answersArg === 'object' && answersArg !== null;
  const validationUri = answered ? (answers.validation ? vscode.Uri.file(answers.validation) : null) : await pickValidationSet(uri);
  if (validationUri === undefined) return stopped('no validation set choice');

  // 1-2. The same checks for the dataset and the validation set, before anything is sent.
  const training = await checkBeforeUpload(deps, uri, host, answers, 'dataset');
  if ('reason' in training) return stopped(training.reason, { phi: training.phi });
  const { check, phi } = training;
  let validation: CheckedFile | undefined;
  if (validationUri) {
    const checked = await checkBeforeUpload(deps, validationUri, host, answers, 'validation set');
    if ('reason' in checked) return stopped(`validation set: ${checked.reason}`, { phi, validationPhi: checked.phi });
    validation = checked;
  }
  const validationPhi = validation?.phi;
  const pathOf = (u: vscode.Uri) => (u.scheme === 'file' ? u.fsPath : u.toString());

  // 3. The confirmation naming the host, each file, its record count and size.
  const token = await deps.tokens.get(profile.url);
  const bytes = (await vscode.workspace.fs.stat(uri)).size;
  const validationBytes = validation ? (await vscode.workspace.fs.stat(validation.uri)).size : 0;
  // The project's maxLength goes to the trainer as max_length unless the profile sets one.
  const hyperparameters = withProjectLength(profile.hyperparameters ?? {}, deps.configs.configFor(uri)?.config.maxLength, DEFAULT_CONFIG.maxLength);
  const confirmation = confirmationText({
    trainerName: profile.name,
    host,
    fileName,
    filePath: pathOf(uri),
    records: check.records,
    bytes,
    formatLabel: formatLabel(check.format),
    model: profile.model,
    hyperparameters,
    peft: profile.peft,
    phi,
    ...(validation
      ? {
          validation: {
            fileName: validation.fileName,
            filePath: pathOf(validation.uri),
            records: validation.check.records,
            bytes: validationBytes,
            formatLabel: formatLabel(validation.check.format),
            phi: validation.phi,
          },
        }
      : {}),
    tokenInClear: Boolean(token) && sendsTokenInClear(profile.url),
    hasToken: Boolean(token),
  });
  const yes = 'Upload and Train';
  const answer =
    answers.confirm !== undefined
      ? answers.confirm
        ? yes
        : undefined
      : await vscode.window.showWarningMessage(confirmation.message, { modal: true, detail: confirmation.detail }, yes);
  if (answer !== yes) return stopped('not confirmed', { confirmation, phi, validationPhi });
  deps.log.info(`Confirmed: ${confirmation.message}`);

  // 4. Upload (cancellable), start the job, open the panel.
  const client = new TrainerClient({ baseUrl: profile.url, token });
  // Nothing reaches the trainer before the confirmation; after it, what the trainer would refuse
  // (a missing model, a file over its size limit) is said before anything is sent.
  const refused = await client.refusal([{ name: fileName, bytes }, ...(validation ? [{ name: validation.fileName, bytes: validationBytes }] : [])], { name: profile.model, givenBy: `the trainer's "model" in dialogueCurator.trainers` });
  if (refused) {
    void vscode.window.showErrorMessage(`${refused.charAt(0).toUpperCase()}${refused.slice(1)}. Nothing was uploaded.`);
    return stopped('refused by the trainer', { confirmation, phi, validationPhi });
  }
  let job: FineTuningJob;
  try {
    job = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Uploading ${fileName}${validation ? ` and ${validation.fileName}` : ''} to ${host}`, cancellable: true },
      async (progress, cancel) => {
        const abort = new AbortController();
        const sub = cancel.onCancellationRequested(() => abort.abort());
        try {
          // One bar for both files, in proportion to their sizes.
          const totalBytes = Math.max(1, bytes + validationBytes);
          let reported = 0;
          const upload = (f: { uri: vscode.Uri; doc: vscode.TextDocument; fileName: string }, before: number) =>
            client.uploadFile(f.uri.scheme === 'file' ? f.uri.fsPath : { data: f.doc.getText(), fileName: f.fileName }, {
              signal: abort.signal,
              onProgress: (sent, total) => {
                const done = total > 0 ? before + sent : before + (f === validation ? validationBytes : bytes);
                const percent = Math.min(100, Math.floor((done / totalBytes) * 100));
                if (percent > reported) {
                  progress.report({ increment: percent - reported, message: `${percent}%` });
                  reported = percent;
                }
              },
            });
          const file = await upload(training, 0);
          const validationFile = validation ? await upload(validation, bytes) : undefined;
          progress.report({ message: 'starting the job…' });
          const request: CreateJobRequest = {
            training_file: file.id,
            method: { type: 'dpo', dpo: { hyperparameters, ...(profile.peft ? { peft: profile.peft } : {}) } },
            metadata: { ...(profile.metadata ?? {}), source_file: fileName, ...(validation ? { validation_source_file: validation.fileName } : {}) },
          };
          if (validationFile) request.validation_file = validationFile.id;
          if (profile.model) request.model = profile.model;
          if (profile.evalPrompts) request.eval_prompts = profile.evalPrompts;
          return await client.createJob(request, { signal: abort.signal });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    if (err instanceof TrainerError && err.kind === 'aborted') {
      void vscode.window.showInformationMessage(`Upload of ${fileName} cancelled: nothing was started.`);
      return stopped('upload cancelled', { confirmation, phi, validationPhi });
    }
    deps.log.error(`Training ${fileName} on ${host}: ${describeError(err)}`);
    await showTrainerError(err, `Could not start training on ${host}`);
    return stopped(describeError(err), { confirmation, phi, validationPhi });
  }
  deps.log.info(`Started job ${job.id} on ${host} (${job.status})${validation ? `, evaluating on ${validation.fileName}` : ''}`);
  await deps.panels.show(profile, job.id);
  return { outcome: 'started', jobId: job.id, trainerUrl: profile.url, confirmation, phi, ...(validationPhi ? { validationPhi } : {}) };
}

interface CheckedFile {
  uri: vscode.Uri;
  doc: vscode.TextDocument;
  fileName: string;
  check: CheckResult;
  phi: PhiReport;
}

/**
 * What a file must pass before it may leave the machine, the same for the dataset and its
 * validation set: saved, not empty, no errors in the full check with the project's settings, a
 * preference format, and the personal health information scan (with its warning). Each stop
 * has been explained to the person; `reason` says which for the caller.
 */
async function checkBeforeUpload(
  deps: TrainingDeps,
  uri: vscode.Uri,
  host: string,
  answers: TrainTestAnswers,
  role: 'dataset' | 'validation set',
): Promise<CheckedFile | { reason: string; phi?: PhiReport }> {
  const fileName = path.basename(uri.path);
  const label = role === 'dataset' ? fileName : `The validation set ${fileName}`;
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty) {
    const save = 'Save and Continue';
    const choice =
      answers.saveChanges !== undefined
        ? answers.saveChanges
          ? save
          : undefined
        : await vscode.window.showWarningMessage(`${fileName} has unsaved changes.`, { modal: true, detail: 'The file on disk is what gets checked and uploaded.' }, save);
    if (choice !== save || !(await doc.save())) return { reason: 'unsaved changes' };
  }
  let hasRecord = false;
  for (let i = 0; i < doc.lineCount && !hasRecord; i++) hasRecord = !isBlank(doc.lineAt(i).text);
  if (!hasRecord) {
    void vscode.window.showErrorMessage(`${label} has no records to train on.`);
    return { reason: 'empty file' };
  }

  // The full check of the saved file with the project's settings: errors stop here.
  let check: CheckResult;
  try {
    check = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Dialogue Curator: checking ${fileName} before training`, cancellable: true },
      async (_p, cancel) => {
        const abort = new AbortController();
        const sub = cancel.onCancellationRequested(() => abort.abort());
        try {
          return await fullCheck(doc, deps.configs, deps.overrides, abort.signal);
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    if ((err as Error).name === 'AbortError') return { reason: 'check cancelled' };
    deps.log.error(`Checking ${fileName} before training: ${describeError(err)}`);
    void vscode.window.showErrorMessage(`Could not check ${fileName} before training: ${describeError(err)}`);
    return { reason: `check failed: ${describeError(err)}` };
  }
  if (check.configErrors) {
    const { path: configPath, errors } = check.configErrors;
    const n = errors.length;
    void vscode.window
      .showErrorMessage(
        `${path.basename(configPath)} has ${n} error${n === 1 ? '' : 's'} (first on line ${errors[0].line + 1}: ${errors[0].message}): fix the project's settings before training ${fileName}.`,
        'Open Config',
      )
      .then((choice) => {
        if (choice) void showLine(vscode.Uri.file(configPath), errors[0].line);
      });
    return { reason: `${n} config errors` };
  }
  if (check.errors.length > 0) {
    const errors = check.errors;
    const n = errors.length;
    const first = errors[0];
    deps.log.info(`Not training ${fileName}: ${n} error(s) with the project's settings, first on line ${first.line + 1}: ${first.message} [${first.code}]`);
    void vscode.window
      .showErrorMessage(
        `${label} has ${n} error${n === 1 ? '' : 's'} (first on line ${first.line + 1}: ${first.message}). Fix ${n === 1 ? 'it' : 'them'} before training.`,
        'Show Errors',
        'Open Problems',
      )
      .then((choice) => {
        // The editor may not show them all (lint.run off): the list comes from this check.
        if (choice === 'Show Errors') void showErrors(uri, errors);
        else if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    return { reason: `${n} errors` };
  }
  if (!isPreferenceFormat(check.format)) {
    void vscode.window.showErrorMessage(`${label} is not a preference dataset (${formatLabel(check.format)}): DPO training needs chosen and rejected responses.`);
    return { reason: 'not a preference dataset' };
  }

  // The personal health information scan.
  const phi = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Dialogue Curator: scanning ${fileName} for personal health information`, cancellable: true },
    (_p, cancel) => scanDocument(doc, cancel),
  );
  if (!phi) return { reason: 'scan cancelled' };
  deps.log.info(`PHI scan of ${fileName}: ${phi.total} finding(s) on ${phi.lines} line(s)`);
  if (phi.total > 0) {
    const warning = phiWarningText(fileName, host, phi);
    let choice: string | undefined;
    if (answers.continueWithPhi !== undefined) choice = answers.continueWithPhi ? 'Continue…' : undefined;
    else choice = await vscode.window.showWarningMessage(warning.message, { modal: true, detail: warning.detail }, 'Continue…', 'Show Examples');
    if (choice === 'Show Examples') {
      await showPhiExamples(uri, phi);
      return { reason: 'reviewing PHI examples', phi };
    }
    if (choice !== 'Continue…') return { reason: 'PHI warning declined', phi };
  }
  return { uri, doc, fileName, check, phi };

}

async function showLine(uri: vscode.Uri, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri);
  const position = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
}

async function showErrors(uri: vscode.Uri, errors: Finding[]): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    errors.slice(0, 1000).map((f) => ({ label: `Line ${f.line + 1}`, description: f.code, detail: f.message, line: f.line })),
    { title: `Errors in ${path.basename(uri.path)} (checked with the project's settings)`, placeHolder: 'Go to a line', matchOnDetail: true },
  );
  if (picked) await showLine(uri, picked.line);
}

async function showPhiExamples(uri: vscode.Uri, phi: PhiReport): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    phi.examples.map((e) => ({ label: `Line ${e.line + 1}`, description: e.masked, detail: e.field, line: e.line })),
    { title: 'Possible personal health information', placeHolder: 'Go to a line' },
  );
  if (picked) await showLine(uri, picked.line);
}

export interface RunsTestAnswers {
  profile?: string;
  jobId?: string;
}

/** Lists the trainer's jobs and opens (re-attaches) the loss panel of the chosen one. */
export async function showTrainingRuns(deps: TrainingDeps, answersArg?: unknown): Promise<string | undefined> {
  const answers: RunsTestAnswers = deps.testMode && typeof answersArg === 'object' && answersArg !== null ? (answersArg as RunsTestAnswers) : {};
  if (!requireTrust()) return undefined;
  const profile = await pickProfile(deps.log, 'Show Training Runs', answers.profile);
  if (!profile) return undefined;
  const host = hostOf(profile.url);
  const client = new TrainerClient({ baseUrl: profile.url, token: await deps.tokens.get(profile.url) });
  let jobs: FineTuningJob[];
  try {
    jobs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Listing jobs on ${host}` }, async () => (await client.listJobs({ limit: 100 })).data);
  } catch (err) {
    await showTrainerError(err, `Could not list the jobs on ${host}`);
    return undefined;
  }
  let jobId = answers.jobId;
  if (jobId === undefined) {
    if (jobs.length === 0) {
      void vscode.window.showInformationMessage(`${profile.name} (${host}) has no training jobs yet.`);
      return undefined;
    }
    const icon: Record<string, string> = { running: '$(sync~spin)', succeeded: '$(pass)', failed: '$(error)', cancelled: '$(circle-slash)', queued: '$(clock)', validating_files: '$(clock)' };
    const picked = await vscode.window.showQuickPick(
      jobs.map((j) => ({
        label: `${icon[j.status] ?? ''} ${j.id}`.trim(),
        description: `${j.status.replace('_', ' ')} · ${j.model}${j.result_files.length ? ' · $(package) trained model to download' : ''}`,
        detail: [
          new Date(j.created_at * 1000).toLocaleString(),
          j.progress ? `step ${j.progress.step}${j.progress.max_steps ? ` of ${j.progress.max_steps}` : ''}` : undefined,
          j.metadata?.source_file,
          j.error?.message,
        ]
          .filter(Boolean)
          .join(' · '),
        id: j.id,
      })),
      { title: `Training runs on ${profile.name} (${host})`, placeHolder: 'Open a run in the loss panel (succeeded runs with a trained model offer its download there)', matchOnDescription: true, matchOnDetail: true },
    );
    jobId = picked?.id;
  }
  if (!jobId) return undefined;
  await deps.panels.show(profile, jobId);
  return jobId;
}

export interface TokenTestAnswers {
  url?: string;
  token?: string;
}

/** Stores (or with an empty entry, removes) the token of a trainer in SecretStorage. */
export async function setTrainerToken(deps: TrainingDeps, answersArg?: unknown): Promise<boolean> {
  const answers: TokenTestAnswers = deps.testMode && typeof answersArg === 'object' && answersArg !== null ? (answersArg as TokenTestAnswers) : {};
  if (!requireTrust()) return false;
  let url = answers.url;
  if (url === undefined) {
    const { profiles } = readTrainerProfiles();
    const items = profiles.map((p) => ({ label: p.name, description: p.url, url: p.url as string | undefined }));
    let picked: (typeof items)[number] | undefined;
    if (items.length === 1) picked = items[0];
    else {
      picked = await vscode.window.showQuickPick([...items, { label: 'Another trainer URL…', description: '', url: undefined }], {
        title: 'Set Trainer Token',
        placeHolder: 'Which trainer is the token for?',
      });
      if (!picked) return false;
    }
    url =
      picked.url ??
      (await vscode.window.showInputBox({
        title: 'Set Trainer Token',
        prompt: 'The trainer URL',
        placeHolder: 'https://gpu-box:8787',
        validateInput: (v) => {
          try {
            const u = new URL(v);
            return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'Use an http:// or https:// URL';
          } catch {
            return 'Not a URL';
          }
        },
      }));
    if (!url) return false;
  }
  const host = hostOf(url);
  const token =
    answers.token ??
    (await vscode.window.showInputBox({
      title: `Token for ${host}`,
      prompt: `The bearer token the trainer at ${host} was started with (DIALOGUE_CURATOR_TOKEN). Leave empty to remove the stored one.`,
      password: true,
      ignoreFocusOut: true,
    }));
  if (token === undefined) return false;
  await deps.tokens.set(url, token.trim() || undefined);
  deps.log.info(token.trim() ? `Stored a trainer token for ${host}` : `Removed the trainer token for ${host}`);
  if (!answers.token) void vscode.window.showInformationMessage(token.trim() ? `Token for ${host} stored in the system keychain.` : `Token for ${host} removed.`);
  return true;
}
