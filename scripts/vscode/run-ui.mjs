// `npm run test:ui`: UI tests against the packaged extension in the browser-hosted VS Code.
//
// Packages the .vsix once (vsce runs the production build), then for each UI test file
// test/ui/*.ui.mjs: a fresh code-server with the .vsix installed in an empty extensions folder,
// a fresh copy of the test's fixture folder, a fresh browser context. Prints
// `N passed, N failed` and exits non-zero if any test failed or none ran.
//
// A UI test file exports:
//   export default async function (ui) { ... }   // required; throws to fail
//   export const title = 'what it shows';         // optional, defaults to the file name
//   export const fixture = 'test/fixtures/...';   // optional folder to open, relative to the
//                                                 // repository (default: the integration workspace)
//   export const workspaceName = 'datasets';      // optional name of the opened folder
//   export const timeoutMs = 120000;              // optional hard limit for this test
//   export const workspaceTrust = true;           // optional: Workspace Trust on, so the folder
//                                                 // opens untrusted (Restricted Mode); default off
//   export const skip = 'why';                    // optional: a reason not to run here (printed,
//                                                 // counted as skipped, never as passed)
// where `ui` is { page, server, workspace, root, openWorkbench(), screenshot(name), log(msg) };
// helpers for common steps are in test/ui/workbench.mjs.
//
// Usage: node scripts/vscode/run-ui.mjs [substring-of-file-name ... | path/to/x.ui.mjs ...]
//   DC_VSIX=path     use this .vsix instead of packaging one
//   DC_HEADED=1      show the browser (needs a display)
//   DC_KEEP_TEMP=1   keep profiles and workspace copies
//   DC_UI_RETRIES=N  runs of a failed test file from a fresh profile (default 1; 0 = none)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { waitForWorkbench } from '../../test/ui/workbench.mjs';
import { launchChromium, startCodeServer, workbenchUrl } from './codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const uiDir = path.join(root, 'test', 'ui');
const resultsDir = path.join(root, 'test-results');
const screenshotsDir = path.join(resultsDir, 'screenshots');
const logDir = path.join(resultsDir, 'logs');
const defaultFixture = 'test/fixtures/integration/workspace';
const keepTemp = process.env.DC_KEEP_TEMP === '1';
const DEFAULT_TIMEOUT_MS = 120_000;

/** Everything to undo if we are interrupted; each test also cleans up after itself. */
const cleanups = new Set();
async function runCleanups() {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      await fn();
    } catch (e) {
      console.error(`[ui] cleanup: ${e instanceof Error ? e.message : e}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`[ui] ${signal}: stopping`);
    void runCleanups().then(() => process.exit(130));
  });
}

function discoverTests(filters) {
  // A path to a test file runs that file, wherever it is; anything else filters test/ui by name.
  const paths = filters.filter((f) => f.endsWith('.ui.mjs') && fs.existsSync(f));
  if (paths.length === filters.length && paths.length) return paths.map((f) => path.resolve(f));
  const files = fs
    .readdirSync(uiDir)
    .filter((f) => f.endsWith('.ui.mjs'))
    .sort()
    .map((f) => path.join(uiDir, f));
  return filters.length ? files.filter((f) => filters.some((s) => path.basename(f).includes(s))) : files;
}

function packageVsix(outDir) {
  if (process.env.DC_VSIX) return path.resolve(process.env.DC_VSIX);
  const vsix = path.join(outDir, 'dialogue-curator.vsix');
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  console.log('[ui] packaging the extension (vsce, production build)');
  const started = Date.now();
  // No stdin: vsce must never wait on a question; the flags answer the ones it would ask.
  // --no-rewrite-relative-links: with no repository URL, vsce refuses a README whose images are
  // relative (docs/images/problems.png) unless it leaves the links alone.
  const args = ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix];
  const r = spawnSync(process.execPath, [vsce, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0 || !fs.existsSync(vsix)) {
    throw new Error(`vsce package failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  console.log(`[ui] packaged ${path.relative(root, vsix) || vsix} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return vsix;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function runOne(file, { vsix, browser }) {
  const name = path.basename(file, '.ui.mjs');
  const logFile = path.join(logDir, `ui-${name}-code-server.log`);
  let title = name;
  const local = [];
  const cleanup = async () => {
    for (const fn of local.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`[ui] cleanup: ${e instanceof Error ? e.message : e}`);
      }
    }
  };
  cleanups.add(cleanup);
  const started = Date.now();
  let page;

  /** Everything from loading the module to the last assertion, under one time limit. */
  const run = async (mod) => {
    const fixture = path.resolve(root, mod.fixture ?? defaultFixture);
    if (!fs.existsSync(fixture)) throw new Error(`fixture folder ${fixture} does not exist`);
    // The folder's name is what the Explorer and the window title show (and screenshots).
    const workspaceParent = fs.mkdtempSync(path.join(os.tmpdir(), `dc-ui-${name}-`));
    local.push(async () => {
      if (!keepTemp) fs.rmSync(workspaceParent, { recursive: true, force: true });
    });
    const workspace = path.join(workspaceParent, mod.workspaceName ?? 'datasets');
    fs.cpSync(fixture, workspace, { recursive: true });

    fs.rmSync(logFile, { force: true });
    const server = await startCodeServer({ installVsix: [vsix], logFile, keepTemp, workspaceTrust: mod.workspaceTrust === true });
    local.push(() => server.stop());

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    local.push(() => context.close());
    page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[ui]   page error: ${e.message}`));

    const ui = {
      page,
      server,
      workspace,
      root,
      /** Loads the workbench on the workspace copy; resolves when the Explorer lists files. */
      async openWorkbench() {
        await page.goto(workbenchUrl(server, { folder: workspace }));
        await waitForWorkbench(page);
      },
      /** Saves test-results/screenshots/<shot>.png and returns its path. */
      async screenshot(shot) {
        fs.mkdirSync(screenshotsDir, { recursive: true });
        const out = path.join(screenshotsDir, `${shot}.png`);
        await page.screenshot({ path: out });
        console.log(`[ui]   screenshot ${path.relative(root, out)}`);
        return out;
      },
      log: (msg) => console.log(`[ui]   ${msg}`),
    };
    await mod.default(ui);
  };

  try {
    const mod = await import(pathToFileURL(file).href);
    if (typeof mod.default !== 'function') throw new Error(`${path.relative(root, file)} has no default export function`);
    title = mod.title ?? name;
    console.log(`\n[ui] ${title} (${path.relative(root, file)})`);
    if (typeof mod.skip === 'string' && mod.skip) {
      console.log(`[ui] - ${title}: skipped (${mod.skip})`);
      return 'skipped';
    }
    const limit = mod.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    await withTimeout(run(mod), limit, `UI test "${title}"`);
    console.log(`[ui] ✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    console.error(`[ui] ✗ ${title}: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
    if (page) {
      fs.mkdirSync(screenshotsDir, { recursive: true });
      const out = path.join(screenshotsDir, `failed-${name}.png`);
      await page.screenshot({ path: out, timeout: 10_000 }).then(
        () => console.error(`[ui]   screenshot of the failure: ${path.relative(root, out)}`),
        () => {},
      );
    }
    if (fs.existsSync(logFile)) console.error(`[ui]   code-server log: ${path.relative(root, logFile)}`);
    return false;
  } finally {
    await cleanup();
    cleanups.delete(cleanup);
  }
}

async function main() {
  const files = discoverTests(process.argv.slice(2));
  if (!files.length) throw new Error(`no UI tests (test/ui/*.ui.mjs) match ${process.argv.slice(2).join(' ') || '(all)'}`);
  fs.mkdirSync(logDir, { recursive: true });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-ui-vsix-'));
  cleanups.add(async () => fs.rmSync(tmp, { recursive: true, force: true }));
  const vsix = packageVsix(tmp);
  const browser = await launchChromium({ headless: process.env.DC_HEADED !== '1' });
  cleanups.add(() => browser.close());

  // A browser driving a full workbench on a loaded 2-core machine has timing flakes (focus,
  // restore order after a reload). A failed file gets one more run from a fresh profile; a retry
  // that passes is reported by name, so flakiness stays visible instead of hidden.
  const retries = Number(process.env.DC_UI_RETRIES ?? 1);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const flaky = [];
  for (const file of files) {
    let ok = await runOne(file, { vsix, browser });
    if (ok === 'skipped') {
      skipped++;
      continue;
    }
    for (let attempt = 1; !ok && attempt <= retries; attempt++) {
      console.log(`[ui] retrying ${path.relative(root, file)} (attempt ${attempt + 1})`);
      ok = await runOne(file, { vsix, browser });
      if (ok) flaky.push(path.relative(root, file));
    }
    if (ok) passed++;
    else failed++;
  }
  if (flaky.length) console.log(`\n[ui] passed only on retry (flaky): ${flaky.join(', ')}`);
  if (skipped) console.log(`\n[ui] ${skipped} skipped`);
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`[ui] ${e instanceof Error ? e.message : e}`);
  console.log('0 passed, 1 failed');
} finally {
  await runCleanups();
}
process.exit(code);
