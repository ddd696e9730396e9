// The real engine from the editor: a `dialogue-curator serve --backend trl` (TRL's DPOTrainer
// under accelerate, trainer/.venv) trains the tiny model of make_tiny_model.py on the CPU with a
// held-out set; the finished loss panel's "Download Trained Model…" takes a folder from the
// dialog, the model comes home, and "Compare Base and Tuned" opens the evaluation in the compare
// panel: the tuned and the base model's answers side by side, with their tone scores. Its
// screenshot is the README's.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addSettings, answerDialog, expectText, setTrainerToken, startTrainer } from './trainer.mjs';
import { UI_TIMEOUT_MS, activeWebview, openFromExplorer, runCommand, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Real TRL engine: train, download the trained model, compare base and tuned answers';
export const fixture = 'test/fixtures/training';
export const timeoutMs = 600_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = path.join(root, 'trainer', '.venv', 'bin', 'python');
export const skip = fs.existsSync(python) ? '' : 'trainer/.venv is missing: run `npm run setup:trainer`';

const STEPS = 20;
const HELD_OUT = 8;
const opts = { timeout: UI_TIMEOUT_MS };
const TRAINING_TIMEOUT_MS = 300_000;

export default async function trainedModel(ui) {
  const { page } = ui;
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-ui-trl-'));
  const env = { HF_HUB_OFFLINE: '1', OMP_NUM_THREADS: '1' };
  const model = path.join(temp, 'tiny-model');
  const made = spawnSync(python, [path.join(root, 'trainer', 'make_tiny_model.py'), model], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (made.status !== 0) throw new Error(`make_tiny_model.py failed:\n${made.stderr}`);
  ui.log('tiny model made');
  const token = crypto.randomBytes(24).toString('hex');
  const trainer = await startTrainer(root, path.join(temp, 'data'), token, { backend: 'trl', env });
  try {
    addSettings(path.join(ui.server.userDataDir, 'Machine', 'settings.json'), {
      'dialogueCurator.trainers': [
        {
          name: 'Local TRL trainer',
          url: trainer.url,
          model,
          hyperparameters: { max_steps: STEPS, logging_steps: 1, seed: 0, learning_rate: 0.002, batch_size: 4, max_new_tokens: 16 },
        },
      ],
    });
    await ui.openWorkbench();
    await openFromExplorer(page, 'pairs.jsonl');
    await waitForDatasetStatus(page, /24 records/);

    await setTrainerToken(page, token);

    await runCommand(page, 'Dialogue Curator: Train on Remote Trainer…');
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'held-out.jsonl' }).first().click();
    const dialogText = await answerDialog(page, 'Upload and Train');
    if (!dialogText.includes('held-out.jsonl')) throw new Error(`the confirmation does not name the validation set:\n${dialogText}`);
    ui.log('training started on the trl backend');

    // TRL's own metric names fill the panel; the job succeeds with its results listed.
    const panel = activeWebview(page);
    await panel.locator('.chart[data-chart="loss"] canvas').first().waitFor({ state: 'visible', timeout: TRAINING_TIMEOUT_MS });
    await panel.locator('.badge', { hasText: 'succeeded' }).first().waitFor({ state: 'visible', timeout: TRAINING_TIMEOUT_MS }).catch(async (e) => {
      const log = (await panel.locator('.log-list li').allInnerTexts().catch(() => [])).slice(-8).join('\n');
      throw new Error(`the job did not succeed: ${e.message}\ntrainer log:\n${log}`);
    });
    await expectText(panel.locator('.facts'), `${STEPS} of ${STEPS}`, 'step counter');
    const legend = await panel.locator('.chart[data-chart="loss"] .legend [data-series]').evaluateAll((items) => items.map((i) => i.dataset.series));
    if (JSON.stringify(legend) !== JSON.stringify(['loss', 'eval_loss'])) throw new Error(`the loss chart draws ${legend.join(', ')}, expected loss and eval_loss`);
    await expectText(panel.locator('.log-list li'), 'evaluation written', 'trainer log');
    ui.log(`job succeeded: ${STEPS} steps, eval_loss charted, evaluation written`);

    // Download Trained Model…: the folder dialog (VS Code's own, in the browser) takes a path.
    const download = panel.locator('#download-results');
    await download.waitFor({ state: 'visible', ...opts });
    const picked = path.join(temp, 'downloads');
    fs.mkdirSync(picked);
    await download.click();
    const dialog = page.locator('.quick-input-widget');
    const pathBox = dialog.locator('input').first();
    const rows = dialog.locator('.quick-input-list .monaco-list-row');
    await pathBox.waitFor({ state: 'visible', ...opts });
    // The dialog opens on the workspace folder and fills its path and listing once it has read
    // them; typing before that is overwritten. Wait for the listing, then replace the path.
    await waitFor(async () => (await pathBox.inputValue()).endsWith('/datasets/') && (await rows.count()) >= 1, 'the folder dialog to list the workspace folder');
    await pathBox.press('Control+a');
    await page.keyboard.type(`${picked}/`);
    // The path as typed (the dialog's OK takes the box's value; its listing may lag behind).
    await waitFor(async () => (await pathBox.inputValue()) === `${picked}/`, `the folder dialog to show ${picked}/`);
    // The dialog ignores its OK while it is still reading the folder: click until it closes.
    const ok = dialog.locator('.monaco-button', { hasText: 'Download Here' }).first();
    await waitFor(async () => {
      if (!(await dialog.isVisible())) return true;
      await ok.click({ timeout: 5_000 }).catch(() => {});
      return dialog.waitFor({ state: 'hidden', timeout: 3_000 }).then(
        () => true,
        () => false,
      );
    }, 'the folder dialog to accept the folder');
    await waitFor(async () => fs.existsSync(path.join(picked, 'evaluation.jsonl')), `the results in ${picked}`, 120_000);
    // The notification offers the comparison (a toast, or in the notification centre once it hid).
    const action = page.locator('.notification-list-item', { hasText: 'Compare Base and Tuned' }).locator('.monaco-button', { hasText: 'Compare Base and Tuned' }).first();
    const showAction = async () => {
      if (!(await action.isVisible())) await runCommand(page, 'Notifications: Show Notifications');
      await action.waitFor({ state: 'visible', ...opts });
    };
    await showAction();
    const files = fs.readdirSync(picked).sort();
    for (const needed of ['config.json', 'model.safetensors', 'tokenizer.json', 'training-log.jsonl', 'evaluation.jsonl']) {
      if (!files.includes(needed)) throw new Error(`the downloaded folder lacks ${needed}: ${files.join(', ')}`);
    }
    const evaluation = fs.readFileSync(path.join(picked, 'evaluation.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    if (evaluation.length !== HELD_OUT) throw new Error(`the evaluation answers ${evaluation.length} prompts, expected ${HELD_OUT}`);
    // transformers loads what came home.
    const loaded = spawnSync(
      python,
      ['-c', 'import sys; from transformers import AutoModelForCausalLM, AutoTokenizer; m = AutoModelForCausalLM.from_pretrained(sys.argv[1]); AutoTokenizer.from_pretrained(sys.argv[1]); print(sum(p.numel() for p in m.parameters()))', picked],
      { encoding: 'utf8', env: { ...process.env, ...env } },
    );
    if (loaded.status !== 0 || !(Number(loaded.stdout.trim()) > 0)) throw new Error(`transformers could not load the downloaded model:\n${loaded.stderr}`);
    ui.log(`model downloaded (${files.join(', ')}) and loaded back with transformers (${loaded.stdout.trim()} parameters)`);

    // Compare Base and Tuned: the evaluation opens in the compare panel, sides named. The toast
    // may have hidden while transformers loaded the model (a slow machine): shown again if so.
    await showAction();
    await action.click();
    await page.locator('.tabs-container .tab', { hasText: 'evaluation.jsonl' }).first().waitFor({ state: 'visible', ...opts });
    const compare = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await compare.locator('.column-chosen h2', { hasText: 'Tuned' }).first().waitFor({ state: 'visible', ...opts });
    await expectText(compare.locator('.column-rejected h2'), 'Base', 'the base column');
    await expectText(compare.locator('.position'), `Record 1 of ${HELD_OUT}`, 'the record position');
    for (const side of ['chosen', 'rejected']) {
      const chips = await compare.locator(`.column-${side} .metric.tone`).count();
      if (chips === 0) throw new Error(`the ${side === 'chosen' ? 'tuned' : 'base'} column shows no tone scores`);
    }
    if (!(await compare.locator('vscode-button#swap').evaluate((b) => b.disabled === true))) throw new Error('Swap is offered for an evaluation');
    // Two models' answers are not a pair to curate: no "swap?" findings in the columns.
    const findings = await compare.locator('.column-findings').allInnerTexts();
    if (findings.length) throw new Error(`curation findings on the evaluation: ${findings.join(' | ')}`);
    ui.log('evaluation open in the compare panel: Tuned vs Base, tone scores on both sides, no swap, no curation findings');

    const shot = await ui.screenshot('evaluation');
    const docImage = path.join(ui.root, 'docs', 'images', 'evaluation.png');
    fs.copyFileSync(shot, docImage);
    ui.log(`screenshot copied to ${path.relative(ui.root, docImage)}`);
  } finally {
    await trainer.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

async function waitFor(condition, what, timeoutMs = UI_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
