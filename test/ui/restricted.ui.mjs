// Restricted Mode (Workspace Trust) in a real window. The folder opens untrusted: the training
// commands are missing from the command palette and from the editor title of a dataset, and
// invoking the train command anyway (a keybinding runs it past the palette) ends at the runtime
// guard's message with nothing sent to the trainer; checking datasets still works (the manifest
// declares `untrustedWorkspaces: limited`). Trusting the folder brings the commands back, and the
// same keybinding then reaches the upload confirmation, which is declined: the stub trainer sees
// no request at any point.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { UI_TIMEOUT_MS, explorerItem, openFromExplorer, openProblemsPanel, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Restricted Mode: training commands hidden and refused, datasets still checked; trusting the folder restores them';
export const fixture = 'test/fixtures/training';
export const workspaceTrust = true;
export const timeoutMs = 180_000;

const opts = { timeout: UI_TIMEOUT_MS };
const TRAIN_KEY = 'ctrl+alt+shift+t';
const TRAIN_KEY_PRESS = 'Control+Alt+Shift+T';

/** Palette titles of the commands the manifest keeps out of untrusted windows. */
function trustOnlyCommands(root) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const titles = manifest.contributes.commands
    .filter((c) => /\bisWorkspaceTrusted\b/.test(c.enablement ?? ''))
    .map((c) => ({ id: c.command, title: `${c.category}: ${c.title}` }));
  if (!titles.some((c) => c.id === 'dialogueCurator.trainOnRemote')) {
    throw new Error(`package.json no longer gates dialogueCurator.trainOnRemote on isWorkspaceTrusted (gated: ${titles.map((c) => c.id).join(', ') || 'none'})`);
  }
  return titles;
}

/** A trainer stand-in on 127.0.0.1 that answers 503 and remembers every request it got. */
async function startStubTrainer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'stub trainer: nothing should reach it', code: 'stub' } }));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  const merged = Array.isArray(value) || current === undefined ? value : { ...current, ...value };
  fs.writeFileSync(file, JSON.stringify(merged, null, 2));
}

/**
 * The command palette's entries for `filter`, read once `mustList` is among them (a palette opened
 * before the commands are known never refreshes, so it is reopened until then). Leaves it open.
 */
async function paletteEntries(page, filter, mustList) {
  const input = page.locator('.quick-input-widget input');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', ...opts });
    await input.fill(`>${filter}`);
    try {
      await rows.filter({ hasText: mustList }).first().waitFor({ state: 'visible', timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
      break;
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      await page.keyboard.press('Escape');
    }
  }
  return (await rows.allInnerTexts()).map((t) => t.split('\n')[0].trim());
}

async function closePalette(page) {
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', ...opts });
}

/** Labels of the editor title actions of the active editor group. */
async function editorTitleActions(page) {
  return page
    .locator('.editor-group-container.active .editor-actions .action-label')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('title') ?? ''));
}

function assertNoRequests(stub, when) {
  if (stub.requests.length) throw new Error(`the trainer was contacted ${when}: ${stub.requests.join(', ')}`);
}

export default async function restrictedMode(ui) {
  const { page } = ui;
  const gated = trustOnlyCommands(ui.root);
  const stub = await startStubTrainer();
  try {
    // A configured trainer (machine settings, where a person puts it) and a keybinding for the
    // train command: keybindings run a command without asking the palette, so the runtime
    // guard is what stands between an untrusted folder and an upload.
    writeJson(path.join(ui.server.userDataDir, 'Machine', 'settings.json'), {
      'dialogueCurator.trainers': [{ name: 'Stub trainer', url: stub.url, model: 'stub-model' }],
    });
    writeJson(path.join(ui.server.userDataDir, 'User', 'keybindings.json'), [{ key: TRAIN_KEY, command: 'dialogueCurator.trainOnRemote' }]);

    await ui.openWorkbench();
    const restrictedItem = page.locator('.statusbar-item', { hasText: 'Restricted Mode' });
    const banner = page.locator('.part.banner', { hasText: 'Restricted Mode' });
    await restrictedItem.first().waitFor({ state: 'visible', ...opts });
    await banner.first().waitFor({ state: 'visible', ...opts });
    ui.log('the window is in Restricted Mode (status bar item and banner)');

    // 1. Checking still works: the broken line is underlined and listed in the Problems panel.
    await openFromExplorer(page, 'invalid.jsonl');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'visible', ...opts });
    const problems = await openProblemsPanel(page);
    await problems.locator('.monaco-list-row', { hasText: 'json-syntax' }).filter({ hasText: '[Ln 3, Col 189]' }).first().waitFor({ state: 'visible', ...opts });
    ui.log('invalid.jsonl: json-syntax on line 3 in the Problems panel');

    // 2. No training in the editor title of a dataset, while the compare action is there.
    await openFromExplorer(page, 'pairs.jsonl');
    await waitForDatasetStatus(page, /24 records/);
    await page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Compare Chosen and Rejected"]').waitFor({ state: 'visible', ...opts });
    const restrictedTitle = await editorTitleActions(page);
    if (restrictedTitle.some((label) => label.startsWith('Train on Remote Trainer'))) {
      throw new Error(`the editor title offers training in Restricted Mode: ${restrictedTitle.join(' | ')}`);
    }
    ui.log(`editor title: ${restrictedTitle.join(' | ')}`);

    // 3. The palette lists the extension's other commands but none of the gated ones.
    const restrictedPalette = await paletteEntries(page, 'Dialogue Curator', 'Dialogue Curator: Check Open Datasets Again');
    const leaked = gated.filter((c) => restrictedPalette.includes(c.title));
    if (leaked.length) throw new Error(`the palette lists ${leaked.map((c) => c.title).join(', ')} in Restricted Mode`);
    ui.log(`palette in Restricted Mode: ${restrictedPalette.join(' | ')}`);
    await ui.screenshot('restricted-mode');
    await closePalette(page);

    // 4. Invoked anyway: the guard's message, no dialog, nothing sent.
    await explorerItem(page, 'pairs.jsonl').click();
    await page.keyboard.press(TRAIN_KEY_PRESS);
    const guard = page.locator('.notifications-toasts .notification-list-item', { hasText: 'not available in Restricted Mode' });
    await guard.first().waitFor({ state: 'visible', ...opts });
    if (await page.locator('.monaco-dialog-box').isVisible()) throw new Error('a dialog opened in Restricted Mode');
    assertNoRequests(stub, 'in Restricted Mode');
    ui.log('the train command, run by its keybinding, stopped at the Restricted Mode message');
    await guard.first().locator('.codicon-notifications-clear').first().click({ timeout: 5_000 }).catch(() => {});

    // 5. Trust the folder from the status bar item's editor.
    await restrictedItem.first().click();
    const trustEditor = page.locator('.workspace-trust-editor');
    await trustEditor.waitFor({ state: 'visible', ...opts });
    await trustEditor.locator('.monaco-button', { hasText: /^Trust$/ }).first().click();
    await restrictedItem.first().waitFor({ state: 'hidden', ...opts });
    await banner.first().waitFor({ state: 'hidden', ...opts });
    await page.locator('.workspace-trust-editor:not(.untrusted)').waitFor({ state: 'visible', ...opts });
    await page.locator('a.action-label[aria-label^="Close Modal Editor"]').first().click();
    await trustEditor.waitFor({ state: 'hidden', ...opts });
    ui.log('folder trusted');

    // 6. The commands are back in the palette and the editor title.
    const trustedPalette = await paletteEntries(page, 'Dialogue Curator', gated[0].title);
    const missing = gated.filter((c) => !trustedPalette.includes(c.title));
    if (missing.length) throw new Error(`after trusting, the palette still lacks ${missing.map((c) => c.title).join(', ')}: ${trustedPalette.join(' | ')}`);
    await closePalette(page);
    await page.locator('.tabs-container .tab', { hasText: 'pairs.jsonl' }).click();
    await page.locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Train on Remote Trainer"]').waitFor({ state: 'visible', ...opts });
    ui.log(`trusted: palette ${trustedPalette.join(' | ')}; editor title: ${(await editorTitleActions(page)).join(' | ')}`);

    // 7. The same keybinding now reaches the confirmation; declining it sends nothing either.
    await page.keyboard.press(TRAIN_KEY_PRESS);
    // An optional validation set is offered first: take "No validation set".
    const pick = page.locator('.quick-input-widget');
    await pick.locator('.quick-input-list .monaco-list-row', { hasText: 'No validation set' }).first().click({ timeout: 60_000 });
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await dialog.innerText();
    for (const needed of ['pairs.jsonl', new URL(stub.url).host, '24 records']) {
      if (!text.includes(needed)) throw new Error(`the confirmation does not mention "${needed}":\n${text}`);
    }
    await ui.screenshot('restricted-mode-trusted');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await dialog.waitFor({ state: 'hidden', ...opts });
    assertNoRequests(stub, 'after the confirmation was declined');
    ui.log('trusted: the keybinding reached the confirmation; declined, nothing was uploaded');
  } finally {
    await stub.stop();
  }
}
