// The first thing a user sees: a dataset with broken lines opened from the Explorer gets red
// squiggles, and the Problems panel lists the findings. Its screenshot is the README's.
import fs from 'node:fs';
import path from 'node:path';
import { openFromExplorer, openProblemsPanel, runCommand, UI_TIMEOUT_MS, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Problems panel lists the findings of a dataset opened from the Explorer; the language status gives its format, records and problems and leads to them';

export default async function problemsPanel(ui) {
  const { page } = ui;
  await ui.openWorkbench();
  await openFromExplorer(page, 'broken-lines.jsonl');

  // The extension activates on the jsonl language and decorates the bad lines.
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  const panel = await openProblemsPanel(page);
  // broken-lines.jsonl has two lines that are not JSON and two that are not objects.
  const rows = panel.locator('.monaco-list-row');
  const expected = [
    { code: 'json-syntax', at: '[Ln 2, Col 31]' },
    { code: 'record-not-object', at: '[Ln 3, Col 1]' },
    { code: 'record-not-object', at: '[Ln 6, Col 1]' },
  ];
  for (const { code, at } of expected) {
    const row = rows.filter({ hasText: code }).filter({ hasText: at });
    await row.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    ui.log(`problem row visible: ${code} ${at}`);
  }
  const fileRow = rows.filter({ hasText: 'broken-lines.jsonl' });
  if (!(await fileRow.first().isVisible())) throw new Error('the Problems panel does not name broken-lines.jsonl');
  const count = await panel.locator('.monaco-list-row .marker-message-details, .monaco-list-row .marker-source').count();
  ui.log(`${await rows.count()} rows in the Problems panel (${count} detail cells)`);

  const shot = await ui.screenshot('problems');
  const docImage = path.join(ui.root, 'docs', 'images', 'problems.png');
  fs.mkdirSync(path.dirname(docImage), { recursive: true });
  fs.copyFileSync(shot, docImage);
  ui.log(`copied to ${path.relative(ui.root, docImage)}`);

  // The language status item beside the language mode: format and records as its label, the
  // problems as its detail, a Show Problems link; pinned, it sits in the status bar itself.
  const panelHidden = () => panel.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  await runCommand(page, 'View: Hide Panel');
  await panelHidden();
  const status = await waitForDatasetStatus(page, /7 records/);
  ui.log(`language status: ${status}`);
  if (!status.includes('TRL preference (standard) · 7 records')) throw new Error(`the status names the format and records: ${status}`);
  if (!/4 errors/.test(status)) throw new Error(`the status counts the 4 errors: ${status}`);

  const indicator = page.locator('.statusbar-item#status\\.languageStatus').first();
  const entry = page.locator('.hover-language-status', { hasText: '7 records' }).first();
  await indicator.hover();
  await entry.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await entry.getByText('Show Problems').click();
  await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  ui.log('Show Problems in the language status opened the Problems panel');

  await runCommand(page, 'View: Hide Panel');
  await panelHidden();
  await page.mouse.move(0, 0);
  await indicator.hover();
  await entry.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await entry.getByRole('button', { name: 'Add to Status Bar' }).click();
  const pinned = page.locator('.statusbar-item', { hasText: 'TRL preference (standard) · 7 records' }).first();
  await pinned.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await pinned.click();
  await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  ui.log('pinned to the status bar, a click on it opens the Problems panel');
}
