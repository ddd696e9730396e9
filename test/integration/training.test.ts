// Remote training in a real VS Code, against a real `dialogue-curator serve --backend tiny` on
// 127.0.0.1 (a PyTorch DPO run on CPU) started by this suite with a token.
//
// The modal dialogs are answered through the commands' second argument (`TrainTestAnswers`),
// which the extension honours only in test mode (ExtensionMode.Test); the panel's drawing is
// observed through `dialogueCurator.test.trainingPanels`, a command registered only in test mode.
import * as assert from 'assert';
import * as cp from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatSize } from '../../src/extension/training/confirmation';
import { closeAllWithoutSaving, EXTENSION_ID } from './helpers';

/** Resolves with the first value `probe` gives that `accept` takes; for states no event reports. */
async function pollUntil<T>(probe: () => Thenable<T>, accept: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const PROFILE = 'Local tiny trainer';
/** The profile's evalPrompts: sent with each job as eval_prompts. */
const EVAL_PROMPT = 'How can I help my mum sleep better?';
const STEPS = 30;
const CHARTS = ['loss', 'accuracies', 'margins', 'rewards', 'logps', 'learning_rate', 'grad_norm'];

interface Trainer {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/**
 * Starts the reference trainer in its own process group; resolves with the URL it prints. A
 * restart passes the port and token of the one before.
 */
function startTrainer(extensionPath: string, dataDir: string, port = 0, token = crypto.randomBytes(24).toString('hex')): Promise<Trainer> {
  const child = cp.spawn(
    process.execPath,
    [path.join(extensionPath, 'dist', 'cli.js'), 'serve', '--backend', 'tiny', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir],
    {
      // ELECTRON_RUN_AS_NODE: under the Electron test runner, process.execPath is Electron.
      env: { ...process.env, DIALOGUE_CURATOR_TOKEN: token, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    process.kill(-child.pid, 'SIGTERM');
    const killer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the trainer did not print its URL within 30 s. stderr:\n${stderr}`));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && /^https?:\/\//.test(line)) {
        clearTimeout(timer);
        resolve({ url: line.trim(), token, stop });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the trainer exited (${code}) before listening. stderr:\n${stderr}`));
    });
  });
}

type TrainResult =
  | { outcome: 'started'; jobId: string; trainerUrl: string; confirmation: { message: string; detail: string }; phi: { total: number }; validationPhi?: { total: number } }
  | {
      outcome: 'stopped';
      reason: string;
      confirmation?: { message: string; detail: string };
      phi?: { total: number; counts: Record<string, number> };
      validationPhi?: { total: number; counts: Record<string, number> };
    };

interface PanelSnapshot {
  jobId: string;
  status: string | undefined;
  connection: string;
  connectionDetail: string | undefined;
  attempt: number | undefined;
  points: number;
  resultFiles: number;
  rendered: { points: number; charts: string[]; chartSeries: string[][]; series: string[]; summary: string[] } | undefined;
}

suite('Training on a remote trainer', function () {
  // The first job pays for Python importing PyTorch.
  this.timeout(180_000);
  let trainer: Trainer;
  let dataDir: string;
  let fixtures: vscode.Uri;

  const fixture = (name: string) => vscode.Uri.joinPath(fixtures, name);
  const train = (name: string, answers: Record<string, unknown>) =>
    vscode.commands.executeCommand<TrainResult>('dialogueCurator.trainOnRemote', fixture(name), { profile: PROFILE, ...answers });

  async function uploadedFiles(): Promise<unknown[]> {
    const res = await fetch(`${trainer.url}/v1/files`, { headers: { authorization: `Bearer ${trainer.token}` } });
    assert.strictEqual(res.status, 200);
    return ((await res.json()) as { data: unknown[] }).data;
  }

  suiteSetup(async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    fixtures = vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', 'training');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-trainer-'));
    trainer = await startTrainer(ext.extensionPath, dataDir);
    await vscode.workspace
      .getConfiguration('dialogueCurator')
      .update(
        'trainers',
        [{ name: PROFILE, url: trainer.url, model: 'tiny-byte-lm', hyperparameters: { max_steps: STEPS, logging_steps: 1, seed: 7, learning_rate: 0.001 }, evalPrompts: [EVAL_PROMPT] }],
        vscode.ConfigurationTarget.Global,
      );
    assert.strictEqual(await vscode.commands.executeCommand('dialogueCurator.setTrainerToken', { url: trainer.url, token: trainer.token }), true);
  });

  suiteTeardown(async () => {
    await closeAllWithoutSaving();
    await vscode.workspace.getConfiguration('dialogueCurator').update('trainers', undefined, vscode.ConfigurationTarget.Global);
    await trainer?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a dataset with an error is not uploaded', async () => {
    const result = await train('invalid.jsonl', { confirm: true });
    assert.strictEqual(result.outcome, 'stopped');
    assert.strictEqual(result.reason, '1 errors');
    assert.strictEqual(result.confirmation, undefined, 'the confirmation must not even be asked');
    assert.deepStrictEqual(await uploadedFiles(), []);
  });

  test('a record the trainer cannot use stops the upload even when the project turned its rule off', async () => {
    const dir = path.join(dataDir, 'untrainable');
    fs.mkdirSync(dir, { recursive: true });
    // The project silences pair-identical, but DPO still cannot learn from identical responses: the trainer would refuse the file.
    fs.writeFileSync(path.join(dir, '.dialoguecurator.json'), JSON.stringify({ rules: { 'pair-identical': 'off' } }));
    const lines = fs.readFileSync(fixture('pairs.jsonl').fsPath, 'utf8').trimEnd().split('\n');
    const first = JSON.parse(lines[0]);
    lines.push(JSON.stringify({ ...first, prompt: `${String(first.prompt)} Again?`, rejected: first.chosen }));
    fs.writeFileSync(path.join(dir, 'pairs.jsonl'), `${lines.join('\n')}\n`);
    const result = await vscode.commands.executeCommand<TrainResult>('dialogueCurator.trainOnRemote', vscode.Uri.file(path.join(dir, 'pairs.jsonl')), { profile: PROFILE, confirm: true });
    assert.strictEqual(result.outcome, 'stopped', JSON.stringify(result));
    assert.strictEqual(result.reason, '1 errors');
    assert.strictEqual(result.confirmation, undefined, 'the confirmation must not even be asked');
    assert.deepStrictEqual(await uploadedFiles(), []);
  });

  /**
   * A project folder outside the workspace: a copy of pairs.jsonl (plus a repeat of its first
   * record when asked) and a config making `dataset-duplicate-record` (a curation rule, a warning
   * by default) an error.
   */
  function strictProject(name: string, repeatFirst: boolean): vscode.Uri {
    const dir = path.join(dataDir, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.dialoguecurator.json'), JSON.stringify({ rules: { 'dataset-duplicate-record': 'error' } }));
    const lines = fs.readFileSync(fixture('pairs.jsonl').fsPath, 'utf8').trimEnd().split('\n');
    if (repeatFirst) lines.push(lines[0]);
    fs.writeFileSync(path.join(dir, 'pairs.jsonl'), `${lines.join('\n')}\n`);
    return vscode.Uri.file(path.join(dir, 'pairs.jsonl'));
  }

  test("with lint.run off, the check before upload still runs the curation rules with the project's severities", async () => {
    const settings = vscode.workspace.getConfiguration('dialogueCurator');
    await settings.update('lint.run', 'off', vscode.ConfigurationTarget.Global);
    try {
      const uri = strictProject('lint-off', true);
      const result = await vscode.commands.executeCommand<TrainResult>('dialogueCurator.trainOnRemote', uri, { profile: PROFILE, confirm: false });
      assert.strictEqual(result.outcome, 'stopped');
      assert.strictEqual(result.reason, '1 errors', JSON.stringify(result));
      assert.strictEqual(result.confirmation, undefined, 'the confirmation must not even be asked');
      assert.deepStrictEqual(await uploadedFiles(), []);
    } finally {
      await settings.update('lint.run', undefined, vscode.ConfigurationTarget.Global);
      await closeAllWithoutSaving();
    }
  });

  test('"Save and Continue": the check sees the saved text, not the findings from before the save', async () => {
    const uri = strictProject('save-first', false);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    try {
      // Unsaved: the first record once more at the end.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(doc.lineCount - 1, 0), `${doc.lineAt(0).text}\n`);
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(doc.isDirty);
      const result = await vscode.commands.executeCommand<TrainResult>('dialogueCurator.trainOnRemote', uri, { profile: PROFILE, saveChanges: true, confirm: false });
      assert.ok(!doc.isDirty, 'the file was saved');
      assert.strictEqual(result.outcome, 'stopped');
      assert.strictEqual(result.reason, '1 errors', JSON.stringify(result));
      assert.deepStrictEqual(await uploadedFiles(), []);
    } finally {
      await closeAllWithoutSaving();
    }
  });

  test('personal health information is reported; declining the warning uploads nothing', async () => {
    const result = await train('with-phi.jsonl', { continueWithPhi: false, confirm: true });
    assert.strictEqual(result.outcome, 'stopped');
    assert.strictEqual(result.reason, 'PHI warning declined');
    assert.ok(result.outcome === 'stopped' && result.phi);
    assert.strictEqual(result.phi.counts.email, 1);
    assert.strictEqual(result.phi.counts.mrn, 1);
    assert.strictEqual(result.phi.counts.dateOfBirth, 1);
    assert.deepStrictEqual(await uploadedFiles(), []);
  });

  test('the confirmation names host, file, record count and size; without a yes nothing is uploaded', async () => {
    const result = await train('pairs.jsonl', { confirm: false });
    assert.strictEqual(result.outcome, 'stopped');
    assert.strictEqual(result.reason, 'not confirmed');
    const host = new URL(trainer.url).host;
    const bytes = fs.statSync(fixture('pairs.jsonl').fsPath).size;
    assert.ok(result.confirmation);
    assert.strictEqual(result.confirmation.message, `Upload pairs.jsonl (24 records, ${formatSize(bytes)}) to ${host} and start training?`);
    assert.match(result.confirmation.detail, new RegExp(`^File: .*pairs\\.jsonl$`, 'm'));
    assert.match(result.confirmation.detail, /^Personal health information scan: nothing found$/m);
    assert.deepStrictEqual(await uploadedFiles(), []);
  });

  let jobId: string;

  test('confirmed: the file is uploaded, the job starts and the loss panel fills with points', async () => {
    const result = await train('pairs.jsonl', { confirm: true });
    assert.strictEqual(result.outcome, 'started', JSON.stringify(result));
    jobId = result.jobId;
    assert.strictEqual((await uploadedFiles()).length, 1);
    // The profile's evalPrompts went with the job (the trainer keeps them in the job's folder).
    const prompts = fs.readFileSync(path.join(dataDir, 'jobs', jobId, 'eval_prompts.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepStrictEqual(prompts, [{ prompt: EVAL_PROMPT }]);
    const snapshot = await vscode.commands.executeCommand<PanelSnapshot>('dialogueCurator.test.trainingPanels', jobId, STEPS, 150_000);
    assert.ok(snapshot.rendered);
    assert.strictEqual(snapshot.rendered.points, STEPS);
    assert.strictEqual(snapshot.points, STEPS);
    for (const chart of CHARTS) assert.ok(snapshot.rendered.charts.includes(chart), `chart ${chart} missing: ${snapshot.rendered.charts.join(', ')}`);
    for (const name of ['loss', 'rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins', 'logps/chosen', 'logps/rejected']) {
      assert.ok(snapshot.rendered.series.includes(name), `series ${name} missing`);
    }

    // The panel's CSV export (the save dialog aside): one row per step, the real losses.
    const csvPath = path.join(dataDir, 'metrics.csv');
    assert.strictEqual(await vscode.commands.executeCommand('dialogueCurator.test.exportTrainingCsv', jobId, csvPath), STEPS);
    const [header, ...rows] = fs.readFileSync(csvPath, 'utf8').trimEnd().split('\r\n');
    const columns = header.split(',');
    assert.deepStrictEqual(columns.slice(0, 3), ['step', 'time', 'loss']);
    assert.deepStrictEqual(rows.map((r) => Number(r.split(',')[0])), Array.from({ length: STEPS }, (_, i) => i + 1));
    const losses = rows.map((r) => Number(r.split(',')[2]));
    assert.ok(Math.abs(losses[0] - Math.LN2) < 0.01, `first loss ${losses[0]} should be ln 2`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(losses.slice(-5)) < 0.5 * mean(losses.slice(0, 5)), `the loss did not fall: ${losses.join(', ')}`);
  });

  test('Show Training Runs re-attaches to the job after its panel was closed: every step once', async () => {
    assert.ok(jobId, 'needs the job of the previous test');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const before = await vscode.commands.executeCommand<PanelSnapshot[]>('dialogueCurator.test.trainingPanels');
    assert.deepStrictEqual(before, [], 'closing the panel ends its session');
    const opened = await vscode.commands.executeCommand<string>('dialogueCurator.showTrainingRuns', { profile: PROFILE, jobId });
    assert.strictEqual(opened, jobId);
    const snapshot = await vscode.commands.executeCommand<PanelSnapshot>('dialogueCurator.test.trainingPanels', jobId, STEPS, 60_000);
    assert.strictEqual(snapshot.points, STEPS);
    assert.strictEqual(snapshot.rendered?.points, STEPS);
  });

  test('Download Trained Model…: the model and the training log land in the picked folder; a busy folder gets a job subfolder', async () => {
    assert.ok(jobId, 'needs the job of an earlier test');
    const opened = await vscode.commands.executeCommand<string>('dialogueCurator.showTrainingRuns', { profile: PROFILE, jobId });
    assert.strictEqual(opened, jobId);
    const snapshot = await pollUntil(
      async () => (await vscode.commands.executeCommand<PanelSnapshot[]>('dialogueCurator.test.trainingPanels')).find((p) => p.jobId === jobId),
      (p) => p?.status === 'succeeded' && p.resultFiles > 0,
      'the panel to know the job succeeded with result files',
    );
    assert.strictEqual(snapshot?.resultFiles, 2, 'the model archive and the training log');

    const picked = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-download-'));
    try {
      type Outcome = { outcome: string; dir: string; weights?: string; files: string[]; trainingLog?: string; evaluation?: string };
      const first = await vscode.commands.executeCommand<Outcome>('dialogueCurator.test.downloadResults', jobId, { folder: picked });
      assert.strictEqual(first.outcome, 'downloaded', JSON.stringify(first));
      assert.strictEqual(first.dir, picked, 'an empty folder takes the results itself');
      assert.strictEqual(first.weights, 'model');
      assert.deepStrictEqual(fs.readdirSync(picked).sort(), ['policy.pt', 'training-log.jsonl']);
      const events = fs.readFileSync(path.join(picked, 'training-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; data?: { step?: number } });
      const steps = events.filter((e) => e.type === 'metrics').map((e) => e.data?.step);
      assert.deepStrictEqual(steps, Array.from({ length: STEPS }, (_, i) => i + 1), 'every logged step, once');
      assert.ok(fs.statSync(path.join(picked, 'policy.pt')).size > 1000, 'the trained weights');

      const second = await vscode.commands.executeCommand<Outcome>('dialogueCurator.test.downloadResults', jobId, { folder: picked });
      assert.strictEqual(second.outcome, 'downloaded', JSON.stringify(second));
      assert.strictEqual(second.dir, path.join(picked, jobId), 'nothing is overwritten: a subfolder named after the job');
      assert.deepStrictEqual(fs.readdirSync(second.dir).sort(), ['policy.pt', 'training-log.jsonl']);
      assert.deepStrictEqual(fs.readFileSync(path.join(second.dir, 'policy.pt')), fs.readFileSync(path.join(picked, 'policy.pt')));
    } finally {
      fs.rmSync(picked, { recursive: true, force: true });
    }
  });

  test('a panel opened while its trainer is down keeps trying, shows the attempts, and fills once the trainer is back', async () => {
    assert.ok(jobId, 'needs the job of an earlier test');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const { port } = new URL(trainer.url);
    const token = trainer.token;
    // Let the job end first: a trainer stopped mid-job marks it failed.
    const jobStatus = async () => {
      const res = await fetch(`${trainer.url}/v1/fine_tuning/jobs/${jobId}`, { headers: { authorization: `Bearer ${token}` } });
      return ((await res.json()) as { status: string }).status;
    };
    assert.strictEqual(await pollUntil(jobStatus, (s) => s !== 'running', 'the job to end', 60_000), 'succeeded');
    await trainer.stop();
    // As after a window reload while the trainer restarts: the panel attaches to the job directly.
    await vscode.commands.executeCommand('dialogueCurator.test.openTrainingPanel', PROFILE, jobId);
    const panels = () => vscode.commands.executeCommand<PanelSnapshot[]>('dialogueCurator.test.trainingPanels');
    const waiting = await pollUntil(panels, (ps) => ps.some((p) => p.jobId === jobId && p.connection === 'reconnecting' && (p.attempt ?? 0) >= 2), 'a second failed attempt');
    const panel = waiting.find((p) => p.jobId === jobId)!;
    assert.match(panel.connectionDetail ?? '', /cannot reach the trainer/);
    assert.strictEqual(panel.points, 0);

    trainer = await startTrainer(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, dataDir, Number(port), token);
    assert.strictEqual(trainer.url, `http://127.0.0.1:${port}`);
    // Retry Now instead of waiting out the backoff (which doubles up to 15 s).
    await vscode.commands.executeCommand('dialogueCurator.test.retryTrainingPanel', jobId);
    const snapshot = await vscode.commands.executeCommand<PanelSnapshot>('dialogueCurator.test.trainingPanels', jobId, STEPS, 60_000);
    assert.strictEqual(snapshot.points, STEPS);
    assert.strictEqual(snapshot.rendered?.points, STEPS);
    const ended = await pollUntil(panels, (ps) => ps.some((p) => p.jobId === jobId && p.connection === 'ended'), 'the session to end');
    assert.strictEqual(ended.find((p) => p.jobId === jobId)!.status, 'succeeded');
  });

  test('a validation set goes through the same checks as the dataset: an error or a declined PHI warning uploads nothing', async () => {
    const before = (await uploadedFiles()).length;
    const invalid = await train('pairs.jsonl', { validation: fixture('invalid.jsonl').fsPath, confirm: true });
    assert.strictEqual(invalid.outcome, 'stopped');
    assert.strictEqual(invalid.reason, 'validation set: 1 errors');
    assert.strictEqual(invalid.confirmation, undefined);
    const phi = await train('pairs.jsonl', { validation: fixture('with-phi.jsonl').fsPath, continueWithPhi: false, confirm: true });
    assert.strictEqual(phi.outcome, 'stopped');
    assert.strictEqual(phi.reason, 'validation set: PHI warning declined');
    assert.ok(phi.outcome === 'stopped' && phi.validationPhi);
    assert.strictEqual(phi.validationPhi.counts.email, 1);
    assert.strictEqual(phi.phi?.total, 0, "the dataset's own scan found nothing");
    assert.strictEqual((await uploadedFiles()).length, before);
  });

  test('with a validation set: the confirmation names both files, both are uploaded, and eval_ charts fill the panel', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const before = (await uploadedFiles()).length;
    const result = await train('pairs.jsonl', { validation: fixture('held-out.jsonl').fsPath, confirm: true });
    assert.strictEqual(result.outcome, 'started', JSON.stringify(result));
    const host = new URL(trainer.url).host;
    const size = (name: string) => formatSize(fs.statSync(fixture(name).fsPath).size);
    assert.strictEqual(
      result.confirmation.message,
      `Upload pairs.jsonl (24 records, ${size('pairs.jsonl')}) and the validation set held-out.jsonl (8 records, ${size('held-out.jsonl')}) to ${host} and start training?`,
    );
    assert.match(result.confirmation.detail, /^Validation set: .*held-out\.jsonl$/m);
    assert.strictEqual((await uploadedFiles()).length, before + 2);
    const job = (await (await fetch(`${trainer.url}/v1/fine_tuning/jobs/${result.jobId}`, { headers: { authorization: `Bearer ${trainer.token}` } })).json()) as {
      validation_file: string | null;
    };
    assert.match(job.validation_file ?? '', /^file-/);
    // Steps 1..STEPS plus the evaluation before training (step 0).
    const snapshot = await vscode.commands.executeCommand<PanelSnapshot>('dialogueCurator.test.trainingPanels', result.jobId, STEPS + 1, 150_000);
    assert.ok(snapshot.rendered);
    for (const chart of CHARTS) assert.ok(snapshot.rendered.charts.includes(chart), `chart ${chart} missing: ${snapshot.rendered.charts.join(', ')}`);
    // Each evaluation series is drawn in the chart of its training counterpart; epoch is a summary value, not a chart.
    const seriesOf = (id: string) => snapshot.rendered!.chartSeries[snapshot.rendered!.charts.indexOf(id)];
    assert.deepStrictEqual(seriesOf('loss'), ['loss', 'eval_loss']);
    assert.deepStrictEqual(seriesOf('rewards'), ['rewards/chosen', 'rewards/rejected', 'eval_rewards/chosen', 'eval_rewards/rejected']);
    assert.ok(!snapshot.rendered.charts.some((c) => c.startsWith('eval_') || c === 'epoch'), snapshot.rendered.charts.join(', '));
    assert.ok(snapshot.rendered.summary.includes('epoch'), snapshot.rendered.summary.join(', '));
    for (const name of ['eval_loss', 'eval_rewards/chosen', 'eval_rewards/rejected', 'eval_rewards/accuracies', 'eval_rewards/margins', 'eval_logps/chosen', 'eval_logps/rejected']) {
      assert.ok(snapshot.rendered.series.includes(name), `series ${name} missing`);
    }
    const csvPath = path.join(dataDir, 'metrics-eval.csv');
    await vscode.commands.executeCommand('dialogueCurator.test.exportTrainingCsv', result.jobId, csvPath);
    const [header, ...rows] = fs.readFileSync(csvPath, 'utf8').trimEnd().split('\r\n');
    const evalColumn = header.split(',').indexOf('eval_loss');
    assert.ok(evalColumn > 0, header);
    const evalLosses = rows.map((r) => r.split(',')[evalColumn]).filter((v) => v !== '').map(Number);
    assert.ok(evalLosses.length >= 3, `eval_loss values: ${evalLosses.join(', ')}`);
    assert.ok(Math.abs(evalLosses[0] - Math.LN2) < 0.01, `first eval_loss ${evalLosses[0]} should be ln 2`);
    assert.ok(evalLosses.every(Number.isFinite));
  });
});
