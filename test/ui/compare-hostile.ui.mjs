// Dataset text is data, never markup: a record whose chosen response is an <img onerror> and
// whose rejected response closes the script tag and opens another is shown literally in the
// compare panel, and none of it runs (each payload would mark the panel's <body>).
import { UI_TIMEOUT_MS, activeWebview, openFromExplorer, runCommand, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Compare panel shows hostile HTML in a dataset as text and runs none of it';
export const fixture = 'test/fixtures/compare';

const opts = { timeout: UI_TIMEOUT_MS };

/**
 * The command palette lists an extension's commands only once the extension host has registered
 * its contributions, and a palette opened before that does not refresh: wait for the extension's
 * status bar item ("… records …"), which appears once it has checked the open dataset.
 */
async function extensionReady(page) {
  await waitForDatasetStatus(page, /\d+ records?/);
}

async function assertInert(ui, panel, label) {
  const state = await panel.locator('body').evaluate((body) => ({
    pwned: body.getAttribute('data-pwned'),
    injected: body.querySelectorAll('#app img, #app svg, #app script, #app style, #app iframe, #app b').length,
    scripts: [...body.ownerDocument.scripts].filter((s) => s.textContent.includes('pwned')).length,
    hidden: getComputedStyle(body).display === 'none',
  }));
  if (state.pwned) throw new Error(`${label}: a payload ran (data-pwned=${state.pwned})`);
  if (state.injected) throw new Error(`${label}: ${state.injected} elements from the dataset text were created`);
  if (state.scripts) throw new Error(`${label}: ${state.scripts} script elements carry the dataset's payload`);
  if (state.hidden) throw new Error(`${label}: a <style> from the dataset took effect`);
  ui.log(`${label}: shown as text, nothing ran`);
}

export default async function hostile(ui) {
  const { page } = ui;
  await ui.openWorkbench();
  await openFromExplorer(page, 'hostile.jsonl');
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await extensionReady(page);
  await runCommand(page, 'Dialogue Curator: Compare Chosen and Rejected');
  const panel = activeWebview(page);
  await panel.locator('.position', { hasText: 'Record 1 of 2' }).waitFor({ state: 'visible', ...opts });

  const chosen = await panel.locator('.column-chosen .bubble .text').innerText();
  const rejected = await panel.locator('.column-rejected .bubble .text').innerText();
  const prompt = await panel.locator('.conversation .bubble .text').innerText();
  const expectChosen = `<img src=x onerror="document.body.setAttribute('data-pwned','img')">`;
  const expectRejected = `Fine.</script><script>document.body.setAttribute('data-pwned','script')</script> done`;
  if (chosen !== expectChosen) throw new Error(`chosen shown as ${JSON.stringify(chosen)}`);
  if (rejected !== expectRejected) throw new Error(`rejected shown as ${JSON.stringify(rejected)}`);
  if (prompt !== 'Render this <b>safely</b> & check.') throw new Error(`prompt shown as ${JSON.stringify(prompt)}`);
  await assertInert(ui, panel, 'record 1 (<img onerror>, </script><script>)');

  // The second record: <svg onload>, a template-literal lookalike and a <style> that would hide everything.
  await panel.locator('vscode-button#next').click();
  await panel.locator('.position', { hasText: 'Record 2 of 2' }).waitFor({ state: 'visible', ...opts });
  await panel.locator('.column-chosen .bubble .text', { hasText: '<svg onload=' }).waitFor({ state: 'visible', ...opts });
  await panel.locator('.column-rejected .bubble .text', { hasText: '<style>body{display:none}</style>' }).waitFor({ state: 'visible', ...opts });
  await assertInert(ui, panel, 'record 2 (<svg onload>, <style>)');

  // Back to the first record: any handler that could have been attached has had its chance.
  await panel.locator('vscode-button#previous').click();
  await panel.locator('.position', { hasText: 'Record 1 of 2' }).waitFor({ state: 'visible', ...opts });
  await assertInert(ui, panel, 'record 1 again');
  await ui.screenshot('compare-hostile');
}
