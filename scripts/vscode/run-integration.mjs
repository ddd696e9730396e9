// `npm run test:integration`: runs the mocha integration suites (dist/test/integration/index.js)
// inside a real VS Code extension host served by code-server and opened by headless Chromium,
// with this repository loaded as the extension under development.
//
// Needs: `node esbuild.js` (dist/), `bash scripts/vscode/install-tools.sh` (Node 24,
// code-server, Chromium). Exits with the suite's exit code; prints the suite's
// `N passed, N failed` line. Environment:
//   DC_INTEGRATION_TIMEOUT_MS  hard limit for the whole run (default 240000)
//   DC_TEST_GREP               run only tests whose title matches (mocha grep)
//   DC_KEEP_TEMP=1             keep the code-server profile and workspace copy for debugging
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { extensionTestPayload, isNoise, launchChromium, startCodeServer, workbenchUrl } from './codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const suite = path.join(root, 'dist', 'test', 'integration', 'index.js');
const fixtures = path.join(root, 'test', 'fixtures', 'integration', 'workspace');
const timeoutMs = Number(process.env.DC_INTEGRATION_TIMEOUT_MS) || 240_000;
const keepTemp = process.env.DC_KEEP_TEMP === '1';
const logDir = path.join(root, 'test-results', 'logs');
/** Start-up messages of the workbench: kept in the log file, left out of the test output. */
const WORKBENCH_CHATTER =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin extensions cache|\[Service Worker\]|\[AgentHost|Creation of workbench contribution .* took)/;

/** @type {(() => Promise<void>)[]} run in reverse order by cleanup() */
const cleanups = [];
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`[integration] cleanup: ${e instanceof Error ? e.message : e}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`[integration] ${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main() {
  for (const [file, hint] of [
    [suite, 'build first: node esbuild.js'],
    [path.join(root, 'dist', 'extension.js'), 'build first: node esbuild.js'],
    [fixtures, 'the fixture workspace is missing'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(root, file)} not found (${hint})`);
  }

  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-integration-'));
  cleanups.push(async () => {
    if (!keepTemp) fs.rmSync(workspace, { recursive: true, force: true });
  });
  fs.cpSync(fixtures, workspace, { recursive: true });

  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'integration-code-server.log');
  fs.rmSync(logFile, { force: true });
  const server = await startCodeServer({ smokeTestDriver: true, logFile, keepTemp });
  cleanups.push(() => server.stop());

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage();
  currentPage = page;

  // Everything the workbench relays goes to this file; the console gets all but gallery noise.
  const consoleLog = fs.createWriteStream(path.join(logDir, 'integration-workbench.log'));
  cleanups.push(() => new Promise((resolve) => consoleLog.end(resolve)));
  const exitCode = new Promise((resolve) => {
    // The workbench calls these (smoke-test driver): every console call of the workbench and
    // the extension host (mocha's reporter among them), and the suite's exit code.
    void page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (!consoleLog.writableEnded) consoleLog.write(`[${type}] ${text}\n`);
      if (isNoise(text) || WORKBENCH_CHATTER.test(text)) return;
      (type === 'error' ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : text + '\n');
    });
    void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
  });
  page.on('pageerror', (e) => {
    if (!consoleLog.writableEnded) consoleLog.write(`[pageerror] ${e.stack ?? e.message}\n`);
  });
  let finished = false;
  cleanups.push(async () => {
    finished = true;
  });
  void server.exited.then((code) => {
    if (!finished) console.error(`[integration] code-server exited early (${code}); see ${path.relative(root, logFile)}`);
  });

  const url = workbenchUrl(server, {
    folder: workspace,
    payload: extensionTestPayload(server, { extensionDevelopmentPath: root, extensionTestsPath: suite }),
  });
  console.log(`[integration] code-server ${server.url}, workspace ${workspace}`);
  await page.goto(url);

  return exitCode;
}

/** Screenshot of the workbench when the run hangs, to show where it stopped. */
let currentPage;

let code = 1;
let timer;
try {
  // One limit for everything (server start, browser, suite): nothing here may hang CI.
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const running = main();
  running.catch(() => {}); // after a timeout its late failure is no news; before, race reports it
  const result = await Promise.race([running, timedOut]);
  if (result === 'timeout') {
    console.error(
      `[integration] no result after ${timeoutMs / 1000} s (DC_INTEGRATION_TIMEOUT_MS): either a test hangs or ` +
        `the workbench did not run the test payload. Logs: ${path.relative(root, logDir)}/integration-*.log`,
    );
    await currentPage?.screenshot({ path: path.join(logDir, 'integration-timeout.png') }).then(
      () => console.error(`[integration] screenshot: ${path.relative(root, logDir)}/integration-timeout.png`),
      () => {},
    );
    console.log('0 passed, 1 failed');
  } else {
    code = /** @type {number} */ (result);
  }
} catch (e) {
  console.error(`[integration] ${e instanceof Error ? e.message : e}`);
  code = 1;
} finally {
  clearTimeout(timer);
  await cleanup();
}
process.exit(code);
