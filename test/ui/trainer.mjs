// Helpers for the UI tests that train: the reference trainer server, the machine settings that
// point at it, the workbench's modal dialog, and waiting for a text in a webview.
import fs from 'node:fs';
import path from 'node:path';
import { startServe } from '../../scripts/serve-process.mjs';
import { runCommand, UI_TIMEOUT_MS } from './workbench.mjs';

const opts = { timeout: UI_TIMEOUT_MS };

/** The reference trainer in its own process group; resolves with its URL and a stop function. */
export async function startTrainer(root, dataDir, token, { backend = 'tiny', env = {} } = {}) {
  return startServe(root, { backend, dataDir, env: { ...env, DIALOGUE_CURATOR_TOKEN: token } });
}

/** Merges settings into a settings.json of the code-server profile. */
export function addSettings(file, settings) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2));
}

export async function expectText(locator, expected, what) {
  await locator.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout: 120_000 }).catch(async () => {
    const actual = (await locator.allInnerTexts().catch(() => [])).join(' | ');
    throw new Error(`${what}: expected "${expected}", found "${actual}"`);
  });
}

/** Clicks a button of the workbench's modal dialog and returns the dialog's text. */
export async function answerDialog(page, button) {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', ...opts });
  const text = await dialog.innerText();
  await dialog.locator('.monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden', ...opts });
  return text;
}

/** "Set Trainer Token": the token goes into SecretStorage through a password box. */
export async function setTrainerToken(page, token) {
  await runCommand(page, 'Dialogue Curator: Set Trainer Token');
  const input = page.locator('.quick-input-widget input[type="password"]');
  await input.waitFor({ state: 'visible', ...opts });
  await input.fill(token);
  await page.keyboard.press('Enter');
  await page.locator('.notifications-toasts', { hasText: 'stored' }).first().waitFor({ state: 'visible', ...opts });
}
