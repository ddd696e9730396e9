// The compare panel takes its colours from the theme: in light, dark and both high-contrast
// themes, the text, and the words highlighted as changed on each side, keep a readable
// contrast (WCAG AA, 4.5:1) against what is behind them. Screenshots of each theme are saved.
import { UI_TIMEOUT_MS, activeWebview, openFromExplorer, runCommand, waitForDatasetStatus } from './workbench.mjs';

export const title = 'Compare panel reads well in light, dark and high-contrast themes';
export const fixture = 'test/fixtures/compare';
export const timeoutMs = 180_000;

const opts = { timeout: UI_TIMEOUT_MS };
const THEMES = [
  { name: 'Dark Modern', bodyClass: 'vscode-dark' },
  { name: 'Dark High Contrast', bodyClass: 'vscode-high-contrast' },
  { name: 'Light High Contrast', bodyClass: 'vscode-high-contrast-light' },
  { name: 'Light Modern', bodyClass: 'vscode-light' },
];

/** Contrast ratios measured inside the webview for body text and both kinds of highlight. */
function measure(root) {
  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(',').map((x) => parseFloat(x));
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  /** The colour actually behind an element: its own and its ancestors' backgrounds composited. */
  const backdrop = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    let colour = [255, 255, 255, 1];
    const html = getComputedStyle(document.documentElement).backgroundColor;
    if (parse(html)[3] > 0) colour = over(parse(html), colour);
    for (const layer of layers.reverse()) if (layer[3] > 0) colour = over(layer, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (el) => {
    const bg = backdrop(el);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
  };
  const pick = (sel) => root.querySelector(sel);
  const out = {};
  for (const [label, sel] of [
    ['text', '.column-chosen .response, .column-chosen'],
    ['chosen highlight', '.column-chosen .chg'],
    ['rejected highlight', '.column-rejected .chg'],
  ]) {
    const el = pick(sel);
    out[label] = el ? contrast(el) : null;
  }
  out.bodyClass = document.body.className;
  return out;
}

export default async function themes(ui) {
  const { page } = ui;
  await ui.openWorkbench();
  await openFromExplorer(page, 'trl-standard.jsonl');
  await waitForDatasetStatus(page, /\d+ records?/);
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(':2');
  await page.keyboard.press('Enter');
  await runCommand(page, 'Dialogue Curator: Compare Chosen and Rejected');
  const panel = activeWebview(page);
  await panel.locator('.column-chosen .chg').first().waitFor({ state: 'visible', ...opts });
  await panel.locator('.column-rejected .chg').first().waitFor({ state: 'visible', ...opts });

  for (const theme of THEMES) {
    // The installed-theme picker; click its exact row (the palette also offers marketplace browsing).
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', ...opts });
    await input.fill('>Preferences: Color Theme');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click();
    await page.locator('.quick-input-widget input[placeholder*="Color Theme"]').waitFor({ state: 'visible', ...opts });
    await input.fill(theme.name);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme.name }).first().waitFor({ state: 'visible', ...opts });
    await page.keyboard.press('Enter');
    // The webview's body carries the theme kind once the new colours reached it.
    await panel.locator(`body.${theme.bodyClass}`).waitFor({ state: 'attached', ...opts });
    const result = await panel.locator('body').evaluate(measure);
    ui.log(`${theme.name}: ${JSON.stringify(result)}`);
    for (const key of ['text', 'chosen highlight', 'rejected highlight']) {
      if (result[key] === null) throw new Error(`${theme.name}: no element for ${key}`);
      if (result[key] < 4.5) throw new Error(`${theme.name}: ${key} contrast ${result[key]}:1 is below 4.5:1`);
    }
    await ui.screenshot(`compare-${theme.name.toLowerCase().replace(/\s+/g, '-')}`);
  }
}
