// Helpers for UI tests: what a person does in the browser-hosted VS Code, as playwright calls.
// Each UI test file (test/ui/*.ui.mjs) gets a fresh code-server, workspace copy and browser
// context from scripts/vscode/run-ui.mjs; these helpers act on the page it hands over.

/** Generous but finite: the first workbench load on a busy 2-core machine takes a few seconds. */
export const UI_TIMEOUT_MS = 30_000;

/** Waits until the workbench shows the Explorer with the opened folder's files. */
export async function waitForWorkbench(page) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** The Explorer row of a file or folder at the top level of the workspace. */
export function explorerItem(page, name) {
  return page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true });
}

/** Clicks a file in the Explorer and waits until its editor tab is the active one. */
export async function openFromExplorer(page, name) {
  await explorerItem(page, name).click();
  await page
    .locator('.tabs-container .tab.active', { hasText: name })
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Runs a command by its title from the command palette (F1), as a person would. */
export async function runCommand(page, title) {
  // A palette opened before the extension registered its commands shows "No matching commands"
  // and never refreshes: close it and open it again until the command is listed.
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(5_000, Math.max(1, deadline - Date.now())) });
      break;
    } catch (e) {
      if (Date.now() >= deadline) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns its locator once it is visible. */
export async function openProblemsPanel(page) {
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return panel;
}

/**
 * The content frame of the active webview panel: webviews are nested iframes
 * (`iframe.webview.ready` -> `#active-frame`).
 */
export function activeWebview(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * Waits until the dataset's language status (the `{}` item beside the language mode; its hover
 * lists the extension's status) says `text`, e.g. /24 records/, and returns that hover's text.
 * The extension has checked the open dataset by then. A pinned item shows in the status bar.
 */
export async function waitForDatasetStatus(page, text, timeout = UI_TIMEOUT_MS) {
  const pinned = page.locator('.statusbar-item', { hasText: text }).first();
  const indicator = page.locator('.statusbar-item#status\\.languageStatus').first();
  const entry = page.locator('.hover-language-status', { hasText: text }).first();
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await pinned.isVisible()) return (await pinned.innerText()).trim();
    if (await indicator.isVisible()) {
      await indicator.hover();
      try {
        await entry.waitFor({ state: 'visible', timeout: 1_500 });
        const shown = (await entry.innerText()).replace(/\s+/g, ' ').trim();
        // Leave the hover closed for whatever the test does next.
        await page.mouse.move(0, 0);
        await page.keyboard.press('Escape');
        await entry.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
        return shown;
      } catch {
        await page.mouse.move(0, 0);
      }
    }
    if (Date.now() >= deadline) throw new Error(`the dataset status never said ${text}`);
    await page.waitForTimeout(500);
  }
}

/**
 * Reloads the window as a person does, with "Developer: Reload Window": the workbench saves its
 * editors (webview panels among them) before it reloads, which a bare page reload leaves to the
 * browser's unload (in CI runs a panel was sometimes not brought back after `page.reload()`: its
 * tab was not in the state the workbench had saved). Resolves when the reloaded workbench shows.
 */
export async function reloadWindow(page) {
  const reloaded = page.waitForEvent('load', { timeout: UI_TIMEOUT_MS });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}
