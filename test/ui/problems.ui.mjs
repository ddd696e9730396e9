// The first thing a user sees: a dataset with broken lines opened from the Explorer gets red
// squiggles, and the Problems panel lists the findings. Its screenshot is the README's.
import fs from 'node:fs';
import path from 'node:path';
import { openFromExplorer, openProblemsPanel, UI_TIMEOUT_MS } from './workbench.mjs';

export const title = 'Problems panel lists the findings of a dataset opened from the Explorer';

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
}
