// Training as a data author does it: set the trainer's token, open a dataset, run "Train on
// Remote Trainer…", answer the modal confirmation with a click, and watch the loss panel fill
// from a real `dialogue-curator serve --backend tiny` (PyTorch DPO on CPU) on 127.0.0.1; move
// the smoothing slider; reload the window and get the panel back. Its screenshot is the README's.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addSettings, answerDialog, expectText, setTrainerToken, startTrainer } from './trainer.mjs';
import { UI_TIMEOUT_MS, activeWebview, openFromExplorer, reloadWindow, runCommand, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Training: token, confirmation dialog, live loss panel, smoothing, reload';
export const fixture = 'test/fixtures/training';
export const timeoutMs = 240_000;

const STEPS = 40;
const opts = { timeout: UI_TIMEOUT_MS };

export default async function training(ui) {
  const { page } = ui;
  const token = crypto.randomBytes(24).toString('hex');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-ui-trainer-'));
  const trainer = await startTrainer(ui.root, dataDir, token);
  try {
    // The trainers setting is machine-scoped: in a browser window it lives in the remote
    // machine's settings, which is where a person puts it too (it is ignored in a workspace).
    addSettings(path.join(ui.server.userDataDir, 'Machine', 'settings.json'), {
      'dialogueCurator.trainers': [
        { name: 'Local tiny trainer', url: trainer.url, model: 'tiny-byte-lm', hyperparameters: { max_steps: STEPS, logging_steps: 1, seed: 7, learning_rate: 0.0003 } },
      ],
    });
    await ui.openWorkbench();
    await openFromExplorer(page, 'pairs.jsonl');
    await waitForDatasetStatus(page, /24 records/);

    // 1. The token goes into SecretStorage through a password box.
    await setTrainerToken(page, token);
    ui.log('token stored');

    // 2. Train: an optional validation set is offered first ("No validation set" on top; the
    // held-out file next to the dataset suggested); then the modal names the host, both files,
    // their records and sizes; nothing before "yes".
    await runCommand(page, 'Dialogue Curator: Train on Remote Trainer…');
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'No validation set' }).first().waitFor({ state: 'visible', ...opts });
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'held-out.jsonl' }).first().click();
    ui.log('validation set picked');
    const host = new URL(trainer.url).host;
    const dialogText = await answerDialog(page, 'Upload and Train');
    for (const needed of ['pairs.jsonl', 'held-out.jsonl', host, '24 records', '8 records', 'KB', 'pairs.jsonl: nothing found; held-out.jsonl: nothing found']) {
      if (!dialogText.includes(needed)) throw new Error(`the confirmation does not mention "${needed}":\n${dialogText}`);
    }
    ui.log('confirmation answered');

    // 3. The loss panel fills as the job runs, and ends succeeded with every step.
    const panel = activeWebview(page);
    await panel.locator('.chart[data-chart="loss"] canvas').first().waitFor({ state: 'visible', timeout: 120_000 });
    await expectText(panel.locator('.badge'), 'succeeded', 'job status');
    await expectText(panel.locator('.facts'), `${STEPS} of ${STEPS}`, 'step counter');
    const charts = ['loss', 'accuracies', 'margins', 'rewards', 'logps', 'logits', 'learning_rate', 'grad_norm'];
    for (const chart of charts) {
      await panel.locator(`.chart[data-chart="${chart}"] canvas`).first().waitFor({ state: 'visible', ...opts });
    }
    // Evaluation series share the chart of their training counterpart, named in its legend.
    const inChart = { loss: ['loss', 'eval_loss'], rewards: ['rewards/chosen', 'rewards/rejected', 'eval_rewards/chosen', 'eval_rewards/rejected'] };
    for (const [chart, series] of Object.entries(inChart)) {
      const legend = await panel.locator(`.chart[data-chart="${chart}"] .legend [data-series]`).evaluateAll((items) => items.map((i) => i.dataset.series));
      if (JSON.stringify(legend) !== JSON.stringify(series)) throw new Error(`the ${chart} chart draws ${legend.join(', ')}, expected ${series.join(', ')}`);
    }
    await expectText(panel.locator('.chart[data-chart="loss"] .legend'), 'eval', 'the loss chart legend');
    const evalOnly = await panel.locator('.chart[data-chart^="eval_"]').count();
    if (evalOnly) throw new Error(`${evalOnly} charts of their own for eval_ series`);
    // epoch is a run summary value, listed, not a chart.
    await expectText(panel.locator('.run-summary [data-metric="epoch"]'), 'Epoch', 'run summary');
    const epochRow = await panel.locator('.run-summary [data-metric="epoch"]').innerText();
    if (!/Epoch\s*\d/.test(epochRow)) throw new Error(`the run summary shows "${epochRow}" for epoch`);
    if (await panel.locator('.run-summary canvas, .chart[data-chart="epoch"]').count()) throw new Error('epoch is drawn as a chart');
    await expectText(panel.locator('.log-list li'), 'training finished', 'trainer log');
    await expectText(panel.locator('.log-list li'), 'evaluating on 8 held-out pairs', 'trainer log');
    ui.log(`panel filled: ${charts.length} charts with eval_ series in their training charts, run summary listed, job succeeded`);

    // 4. The smoothing slider redraws with another weight; the panel keeps it (setState) when it
    // is hidden behind another editor and shown again, which reloads the webview.
    await panel.locator('#smoothing').fill('0.9');
    await expectText(panel.locator('.controls output'), '0.90', 'smoothing value');
    await page.locator('.tabs-container .tab', { hasText: 'pairs.jsonl' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'Training' }).click();
    await expectText(activeWebview(page).locator('.controls output'), '0.90', 'smoothing after the panel was hidden and shown');
    await expectText(activeWebview(page).locator('.facts'), `${STEPS} of ${STEPS}`, 'step counter after the panel was shown again');
    ui.log('smoothing kept when the panel was hidden and shown');

    // 5. After a window reload the serializer brings the panel back, replayed from the trainer.
    await reloadWindow(page);
    // Which editor the reload leaves active is the workbench's choice (once in a CI run it was
    // the dataset): bring the restored panel to the front before reading it. Its tab comes back
    // when the serializer has run, which can take as long as reading the badge was given.
    await page.locator('.tabs-container .tab', { hasText: 'Training' }).click({ timeout: 120_000 });
    const restored = activeWebview(page);
    await expectText(restored.locator('.badge'), 'succeeded', 'job status after a reload');
    await expectText(restored.locator('.facts'), `${STEPS} of ${STEPS}`, 'step counter after a reload');
    await restored.locator('.chart[data-chart="logps"] canvas').first().waitFor({ state: 'visible', ...opts });
    ui.log('panel restored after a window reload');

    // The screenshot: the panel with the sidebar out of the way.
    await page.keyboard.press('Control+B');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden', ...opts }).catch(() => {});
    await restored.locator('.chart[data-chart="loss"] canvas').first().waitFor({ state: 'visible', ...opts });
    const shot = await ui.screenshot('training');
    const docImage = path.join(ui.root, 'docs', 'images', 'training.png');
    fs.mkdirSync(path.dirname(docImage), { recursive: true });
    fs.copyFileSync(shot, docImage);
    ui.log(`screenshot copied to ${path.relative(ui.root, docImage)}`);
  } finally {
    await trainer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
