// Long responses stay usable: a record whose responses are over 100 KB each (a few edits apart)
// is diffed word by word and shown in full; a record with two unrelated 100 KB responses falls
// back to a coarser highlight instead of freezing. Times are printed, not asserted (hang guards
// only): the diff budget itself is measured in test/unit/compareDiff.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { UI_TIMEOUT_MS, activeWebview, openFromExplorer, runCommand, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Compare panel shows and diffs 100 KB responses without freezing';
export const fixture = 'test/fixtures/compare';

const opts = { timeout: UI_TIMEOUT_MS };

function prose(words, seed) {
  const vocab = ['the', 'answer', 'should', 'explain', 'each', 'step', 'kindly', 'and', 'clearly', 'so', 'readers', 'follow', 'it', 'today'];
  let x = seed;
  const out = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(vocab[x % vocab.length]);
    if (i % 19 === 18) out.push('\n');
  }
  return out.join(' ');
}

function writeLargeDataset(folder) {
  const base = prose(19000, 3);
  const edited = base.slice(0, 20000) + ' MARKER-INSERTED ' + base.slice(20000, 90000) + ' MARKER-TAIL';
  const records = [
    { prompt: 'Write a very long answer.', chosen: base, rejected: edited },
    { prompt: 'Write another very long answer.', chosen: prose(19000, 11), rejected: prose(19000, 77) },
  ];
  fs.writeFileSync(path.join(folder, 'large.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return { chosenLength: base.length };
}

export default async function large(ui) {
  const { page } = ui;
  const { chosenLength } = writeLargeDataset(ui.workspace);
  if (chosenLength < 100_000) throw new Error(`the generated response is only ${chosenLength} characters`);
  await ui.openWorkbench();
  await openFromExplorer(page, 'large.jsonl');
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await waitForDatasetStatus(page, /\d+ records?/);

  let started = Date.now();
  await runCommand(page, 'Dialogue Curator: Compare Chosen and Rejected');
  const panel = activeWebview(page);
  await panel.locator('.column-rejected .chg', { hasText: 'MARKER-INSERTED' }).waitFor({ state: 'visible', ...opts });
  ui.log(`record 1 (2 × ${Math.round(chosenLength / 1024)} KB, a few edits): shown with word highlights ${Date.now() - started} ms after the command`);
  const shownLength = await panel.locator('.column-chosen .bubble .text').evaluate((n) => n.textContent.length);
  if (shownLength !== chosenLength) throw new Error(`the chosen column shows ${shownLength} of ${chosenLength} characters`);
  const highlights = await panel.locator('.column-rejected .chg').allInnerTexts();
  if (!highlights.some((h) => h.includes('MARKER-TAIL'))) throw new Error(`rejected highlights: ${JSON.stringify(highlights.map((h) => h.slice(0, 40)))}`);

  started = Date.now();
  await panel.locator('vscode-button#next').click();
  await panel.locator('.position', { hasText: 'Record 2 of 2' }).waitFor({ state: 'visible', ...opts });
  const note = await panel.locator('.diff-note').innerText();
  ui.log(`record 2 (two unrelated 100 KB responses): shown ${Date.now() - started} ms after Next — "${note}"`);
  if (!/too much to compare/.test(note)) throw new Error(`no fallback note: ${note}`);

  // Still responsive: going back is quick (the diff of record 1 is memoised or re-done within budget).
  started = Date.now();
  await panel.locator('vscode-button#previous').click();
  await panel.locator('.position', { hasText: 'Record 1 of 2' }).waitFor({ state: 'visible', timeout: 10_000 });
  ui.log(`back to record 1 in ${Date.now() - started} ms`);
  await ui.screenshot('compare-large');
}
