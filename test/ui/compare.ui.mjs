// The compare panel as a data author uses it: open a dataset, run the command, read the two
// responses with their differences highlighted, move between records (buttons and keys), swap
// the pair and undo it from the editor, edit a response in the panel, and get the panel back
// after a window reload. Its screenshot is the README's.
import fs from 'node:fs';
import path from 'node:path';
import { UI_TIMEOUT_MS, activeWebview, openFromExplorer, reloadWindow, runCommand, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Compare panel: two columns with highlighted changes, navigation, swap, undo, edit, reload';
export const fixture = 'test/fixtures/compare';
export const timeoutMs = 180_000;

const opts = { timeout: UI_TIMEOUT_MS };

/**
 * The command palette lists an extension's commands only once the extension host has registered
 * its contributions, and a palette opened before that does not refresh: wait for the dataset's
 * language status ("… records"), which says so once the extension has checked the open dataset.
 */
async function extensionReady(page) {
  await waitForDatasetStatus(page, /\d+ records?/);
}

/** The text Monaco shows for the editor's visible lines (spaces normalised). */
async function editorText(page) {
  const text = await page.locator('.editor-group-container.active .monaco-editor .view-lines, .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

async function waitForEditorText(page, predicate, what) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = await editorText(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`the editor never showed ${what}; it shows:\n${last}`);
}

async function goToLine(page, line) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', ...opts });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
}

async function expectText(locator, expected, what) {
  await locator.filter({ hasText: expected }).first().waitFor({ state: 'visible', ...opts }).catch(async () => {
    const actual = (await locator.allInnerTexts()).join(' | ');
    throw new Error(`${what}: expected "${expected}", found "${actual}"`);
  });
}

/** The highlighted (changed) runs of a column, trimmed. */
async function changes(panel, side) {
  return (await panel.locator(`.column-${side} .chg`).allInnerTexts()).map((t) => t.trim());
}

async function assertChanges(panel, side, expected) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let got = [];
  while (Date.now() < deadline) {
    got = await changes(panel, side);
    if (JSON.stringify(got) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${side} column highlights ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

export default async function compare(ui) {
  const { page } = ui;
  // A non-dataset file to open over the panel (hiding it without moving it to another dataset).
  fs.writeFileSync(path.join(ui.workspace, 'notes.txt'), 'Review notes\n');
  await ui.openWorkbench();
  await openFromExplorer(page, 'trl-standard.jsonl');
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', ...opts });

  // 1. The command opens the panel beside the editor on the record under the cursor.
  await goToLine(page, 2);
  await extensionReady(page);
  await runCommand(page, 'Dialogue Curator: Compare Chosen and Rejected');
  const panel = activeWebview(page);
  const position = panel.locator('.position');
  await expectText(position, 'Record 2 of 4', 'header');
  await expectText(panel.locator('.format'), 'TRL preference (standard)', 'format');
  await expectText(panel.locator('.line-link'), 'line 2', 'line link');
  await expectText(panel.locator('.conversation .bubble'), 'What is the capital of France?', 'prompt bubble');
  await expectText(panel.locator('.column-chosen .bubble'), 'The capital of France is Paris.', 'chosen column');
  await expectText(panel.locator('.column-rejected .bubble'), 'The capital of France is Lyon.', 'rejected column');
  await assertChanges(panel, 'chosen', ['Paris']);
  await assertChanges(panel, 'rejected', ['Lyon']);
  for (const side of ['chosen', 'rejected']) {
    await expectText(panel.locator(`.column-${side} .metric.tokens`), /^\d+ tokens$/, `${side} token count`);
    await expectText(panel.locator(`.column-${side} .metric.overall`), /^tone \d+$/, `${side} overall tone`);
    await expectText(panel.locator(`.column-${side} .metric.tone`), /^empathy \d+$/, `${side} empathy score`);
  }
  ui.log('record 2: both columns shown, "Paris" / "Lyon" highlighted, token counts and tone scores per column');

  // 2. It follows the cursor in the editor.
  await goToLine(page, 1);
  await expectText(position, 'Record 1 of 4', 'header after moving the cursor');
  await expectText(panel.locator('.column-rejected .bubble'), 'Open Settings and reset it. Obviously.', 'rejected column of record 1');
  const firstChosen = await changes(panel, 'chosen');
  if (!firstChosen.some((c) => c.includes("I'm sorry you're locked out"))) throw new Error(`record 1: chosen highlights ${JSON.stringify(firstChosen)}`);
  ui.log('follows the cursor to record 1');

  // 3. Next record with the button, then with the panel's keyboard shortcuts.
  await panel.locator('vscode-button#next').click();
  await expectText(position, 'Record 2 of 4', 'header after Next');
  await panel.locator('.position').click();
  await page.keyboard.press('Alt+ArrowDown');
  await expectText(position, 'Record 3 of 4', 'header after Alt+Down (the blank line is skipped)');
  await expectText(panel.locator('.legend'), 'identical', 'identical responses');
  await page.keyboard.press('Alt+ArrowUp');
  await expectText(position, 'Record 2 of 4', 'header after Alt+Up');
  // Records 3 (identical responses) and 4 (broken JSON) have findings: "next with problems"
  // visits them in turn, then wraps round to the top and says so.
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await expectText(position, 'Record 3 of 4', 'header after Alt+Shift+Down');
  await expectText(panel.locator('.finding'), 'pair-identical', 'the finding of record 3');
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await expectText(position, 'Record 4 of 4', 'header after the second Alt+Shift+Down');
  await expectText(panel.locator('.problem'), 'not valid JSON', 'the broken record explains itself');
  await page.keyboard.press('Alt+Shift+ArrowDown');
  await expectText(position, 'Record 3 of 4', 'header after wrapping round');
  await expectText(panel.locator('#notice'), 'continued from the top', 'the wrap-round notice');
  await panel.locator('vscode-button#previous').click();
  await expectText(position, 'Record 2 of 4', 'header after going back');
  ui.log('next / previous / next with problems by button and Alt+Down / Alt+Up / Alt+Shift+Down');

  // 4. Swap: the document changes, the panel shows the swapped pair.
  const before = await editorText(page);
  if (!before.includes('"chosen": "The capital of France is Paris."')) throw new Error(`unexpected editor text before the swap:\n${before}`);
  await panel.locator('vscode-button#swap').click();
  await waitForEditorText(page, (t) => t.includes('"chosen": "The capital of France is Lyon.", "rejected": "The capital of France is Paris."'), 'the swapped pair');
  await assertChanges(panel, 'chosen', ['Lyon']);
  ui.log('swap changed line 2 of the document');

  // 5. Undo in the editor restores the line, and the panel follows.
  await goToLine(page, 2);
  await page.keyboard.press('Control+Z');
  await waitForEditorText(page, (t) => t.includes('"chosen": "The capital of France is Paris.", "rejected": "The capital of France is Lyon."'), 'the original pair after undo');
  await assertChanges(panel, 'chosen', ['Paris']);
  ui.log('Ctrl+Z restored the line');

  // 6. Edit a response in the panel and apply it.
  await panel.locator('vscode-button#edit-rejected').click();
  const area = panel.locator('.column-rejected vscode-textarea textarea');
  await area.waitFor({ state: 'visible', ...opts });
  await area.fill('The capital of France is Marseille.');
  await panel.locator('.column-rejected vscode-button', { hasText: 'Apply' }).click();
  await waitForEditorText(page, (t) => t.includes('"rejected": "The capital of France is Marseille."'), 'the edited response');
  await assertChanges(panel, 'rejected', ['Marseille']);
  await goToLine(page, 2);
  await page.keyboard.press('Control+Z');
  await waitForEditorText(page, (t) => t.includes('"rejected": "The capital of France is Lyon."'), 'the response after undoing the edit');
  ui.log('edit applied from the panel and undone in the editor');

  // 7. A draft survives hiding the panel (another editor in its group) and showing it again.
  await panel.locator('vscode-button#edit-chosen').click();
  await panel.locator('.column-chosen vscode-textarea textarea').fill('A draft that must survive.');
  // Quick Open opens into the active group: make sure that is the panel's, whatever had focus.
  await page.locator('.tabs-container .tab.active', { hasText: 'Compare: trl-standard.jsonl' }).click();
  // The webview can take focus back just after the click and close Quick Open again (seen under
  // load): open it again until it stays and takes the file name.
  const quickOpen = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Control+P');
      await quickOpen.waitFor({ state: 'visible', timeout: 10_000 });
      await quickOpen.fill('notes.txt', { timeout: 5_000 });
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes.txt' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      ui.log(`Quick Open closed before it took the file name (attempt ${attempt}); again`);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: 'notes.txt' }).waitFor({ state: 'visible', ...opts });
  const panelTab = page.locator('.tabs-container .tab', { hasText: 'Compare: trl-standard.jsonl' });
  if (await panelTab.evaluate((t) => t.classList.contains('active'))) throw new Error('notes.txt did not open in the panel\'s group');
  await panelTab.click();
  const draft = activeWebview(page).locator('.column-chosen vscode-textarea textarea');
  await draft.waitFor({ state: 'visible', ...opts });
  if ((await draft.inputValue()) !== 'A draft that must survive.') throw new Error(`the draft came back as ${JSON.stringify(await draft.inputValue())}`);
  await activeWebview(page).locator('.column-chosen vscode-button', { hasText: 'Cancel' }).click();
  await activeWebview(page).locator('vscode-button#edit-chosen').waitFor({ state: 'visible', ...opts });
  ui.log('a draft survived hiding and showing the panel');

  // 8. After a window reload the serializer brings the panel back, still connected: it shows the
  // record under the restored cursor and follows it again.
  await reloadWindow(page);
  // The workbench restores its editors but may bring back another tab of the group in front
  // (the editor state saved before the reload decides): bring the restored panel forward.
  const restoredTab = page.locator('.tabs-container .tab', { hasText: 'Compare: trl-standard.jsonl' });
  await restoredTab.waitFor({ state: 'visible', ...opts });
  if (!(await restoredTab.evaluate((t) => t.classList.contains('active')))) await restoredTab.click();
  await activeWebview(page).locator('.position', { hasText: /Record \d of 4/ }).waitFor({ state: 'visible', ...opts });
  await goToLine(page, 2);
  await expectText(activeWebview(page).locator('.position'), 'Record 2 of 4', 'header after a reload');
  await assertChanges(activeWebview(page), 'chosen', ['Paris']);
  ui.log('panel restored after a window reload and follows the cursor');

  // 9. It follows the active editor to another dataset: a conversation with a collapsed system message.
  await openFromExplorer(page, 'trl-conversational.jsonl');
  const view = activeWebview(page);
  await expectText(view.locator('.format'), 'TRL preference (conversational)', 'format of the second file');
  await view.locator('vscode-collapsible.system').waitFor({ state: 'visible', ...opts });
  if (await view.locator('vscode-collapsible.system').getAttribute('open') !== null) throw new Error('the system message is not collapsed');
  await expectText(view.locator('.conversation .bubble'), 'Explain photosynthesis simply.', 'user bubble');
  await ui.screenshot('compare');
  const docImage = path.join(ui.root, 'docs', 'images', 'compare.png');
  fs.mkdirSync(path.dirname(docImage), { recursive: true });
  fs.copyFileSync(path.join(ui.root, 'test-results', 'screenshots', 'compare.png'), docImage);
  ui.log(`followed the active editor; screenshot copied to ${path.relative(ui.root, docImage)}`);
}
