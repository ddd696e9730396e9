// The newcomer's first minutes, as a test: `npm start` the way a person would, wait for the URL,
// open it in headless Chromium, see the sample dataset's diagnostics, press Ctrl+C, and check
// that nothing it started is left running and its temp folder is gone.
// Prints `N passed, N failed`; exits non-zero on failure. Run with `npm run test:start`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../scripts/vscode/codeServer.mjs';
import { openProblemsPanel, UI_TIMEOUT_MS, waitForWorkbench } from '../ui/workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const START_TIMEOUT_MS = 6 * 60_000;

/** All live descendants of a process (by parent pid), read from /proc. */
function descendants(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, parent] of parents) {
      if (found.has(parent) && !found.has(child)) {
        found.add(child);
        grew = true;
      }
    }
  }
  found.delete(pid);
  return [...found];
}

function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function run() {
  const npm = spawn('npm', ['start'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
  let output = '';
  npm.stdout.setEncoding('utf8');
  npm.stderr.setEncoding('utf8');
  npm.stdout.on('data', (d) => (output += d));
  npm.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => npm.once('exit', (code, signal) => resolve(code ?? signal)));
  let browser;
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start printed no URL within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const poll = setInterval(() => {
        const m = /Open this URL in a browser:\s*\n\s*(http\S+)/.exec(output);
        if (m) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(m[1]);
        }
      }, 200);
      void exited.then((code) => {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`npm start exited (${code}) before printing a URL`));
      });
    });
    console.log(`[start-test] npm start is serving ${url}`);
    const workspace = new URL(url).searchParams.get('folder');
    const tempDir = path.dirname(workspace);
    if (!fs.existsSync(path.join(workspace, 'datasets', 'problems'))) throw new Error(`the sample workspace is missing at ${workspace}`);
    const trainerUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (!trainerUrl) throw new Error('npm start did not report the trainer URL');
    const health = await fetch(`${trainerUrl}/v1/fine_tuning/jobs`);
    if (health.status !== 401) throw new Error(`the trainer should refuse requests without its token, got ${health.status}`);

    // The engine a GPU user gets: TRL under accelerate on the tiny model npm start made. A short
    // run through the CLI with the sample's held-out set brings the model and its evaluation home.
    const engine = /trainer \(TRL's DPOTrainer under accelerate, model (\S+)\) listening/.exec(output);
    if (!engine) throw new Error(`npm start did not serve the trl backend:\n${output.split('\n').filter((l) => l.startsWith('[start]')).join('\n')}`);
    if (!fs.existsSync(path.join(engine[1], 'config.json'))) throw new Error(`no model at ${engine[1]}`);
    const results = path.join(tempDir, 'newcomer-results');
    const healthy = path.join(workspace, 'datasets', 'healthy');
    const train = spawnSync(
      process.execPath,
      [path.join(root, 'dist', 'cli.js'), 'train', '--yes', path.join(healthy, 'trl-standard.jsonl'), '--trainer', trainerUrl, '--model', engine[1],
        '--validation', path.join(healthy, 'trl-standard-held-out.jsonl'), '--max-steps', '6', '--batch-size', '4', '--option', 'logging_steps=1',
        '--option', 'max_new_tokens=8', '--output', results],
      { encoding: 'utf8', env: { ...process.env, DIALOGUE_CURATOR_TOKEN: fs.readFileSync(path.join(tempDir, 'trainer-token'), 'utf8').trim() }, timeout: 300_000 },
    );
    if (train.status !== 0) throw new Error(`train against npm start's trainer failed (${train.status}):\n${train.stderr.slice(-3000)}`);
    for (const f of ['model.safetensors', 'evaluation.jsonl', 'training-log.jsonl']) {
      if (!fs.existsSync(path.join(results, f))) throw new Error(`the results lack ${f}: ${fs.readdirSync(results).join(', ')}`);
    }
    console.log('[start-test] the trl backend trained the tiny model; the model and its evaluation came back');

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await waitForWorkbench(page);
    // Quick Open the sample with deliberate problems, as a newcomer following the README would.
    await page.keyboard.press('Control+P');
    await page.keyboard.type('trl-standard-with-problems.jsonl');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const panel = await openProblemsPanel(page);
    await panel.locator('.monaco-list-row', { hasText: 'json-syntax' }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    fs.mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, 'npm-start.png') });
    await browser.close();
    browser = undefined;

    // Ctrl+C in a terminal signals the whole foreground process group.
    const started = descendants(npm.pid);
    process.kill(-npm.pid, 'SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000))]);
    if (code === 'timeout') throw new Error('npm start did not stop within 30 s of Ctrl+C');
    await new Promise((r) => setTimeout(r, 500));
    const left = started.filter(alive);
    if (left.length) throw new Error(`processes left behind after Ctrl+C: ${left.join(', ')}`);
    if (fs.existsSync(tempDir)) throw new Error(`temp folder left behind: ${tempDir}`);
    console.log(`[start-test] stopped cleanly (${started.length} processes ended, temp folder removed)`);
  } finally {
    await browser?.close().catch(() => {});
    try {
      process.kill(-npm.pid, 'SIGKILL');
    } catch {
      // already stopped
    }
  }
}

run().then(
  () => {
    console.log('1 passed, 0 failed');
  },
  (e) => {
    console.error(`[start-test] FAILED: ${e.stack ?? e}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
