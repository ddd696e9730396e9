// `npm start`: the whole product on one machine, for a newcomer.
//   1. installs missing prerequisites (Debian packages as root, Node 24 + code-server in a tools
//      folder) or says exactly what to run;
//   2. builds and packages the extension;
//   3. starts the reference trainer on loopback with a fresh token: the engine a GPU user gets (the
//      `trl` backend: TRL's DPOTrainer under accelerate, from trainer/.venv, which
//      `npm run setup:trainer` makes) on a tiny model made here (trainer/make_tiny_model.py,
//      cached); only when that environment cannot be made, the lightweight `tiny` backend;
//   4. starts VS Code in the browser (code-server) with the extension installed, a fresh copy of
//      the sample workspace and a trainer profile pointing at the local trainer;
//   5. prints the URL to open. Ctrl+C stops everything it started and removes its temp files.
//
// Options: --port N (code-server port, default a free one), --no-trainer, --keep-temp,
// --tiny-backend (the lightweight demo backend instead of TRL).
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe } from './serve-process.mjs';
import { assertToolsInstalled, startCodeServer, workbenchUrl } from './vscode/codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const say = (msg) => console.log(`[start] ${msg}`);
const fail = (msg) => {
  console.error(`[start] ${msg}`);
  process.exit(1);
};

const isRoot = process.getuid?.() === 0;
const PYTHON = '/usr/bin/python3';

function ensurePrerequisites() {
  // Node 24 + code-server (and chromium/libkrb5-dev, as root): the test rig's installer.
  try {
    assertToolsInstalled();
  } catch {
    say('installing VS Code (code-server) and Node 24 into the tools folder; the first time takes a minute or two');
    const r = spawnSync('bash', [path.join(root, 'scripts/vscode/install-tools.sh')], { stdio: 'inherit' });
    if (r.status !== 0) fail('could not install code-server; see the message above for the command to run');
  }
}

/**
 * The trainer's engine: TRL in trainer/.venv (made or updated by setup:trainer, seconds when
 * up to date) with a tiny local model; the tiny backend when that cannot be set up here.
 */
function prepareEngine() {
  if (!args.includes('--tiny-backend')) {
    say('preparing the training engine (npm run setup:trainer: TRL, transformers, accelerate, peft in trainer/.venv)');
    const setup = spawnSync(process.execPath, [path.join(root, 'scripts', 'setup-trainer.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const python = setup.stdout?.trim().split('\n').pop();
    if (setup.status === 0 && python && fs.existsSync(python)) {
      const model = tinyModel(python);
      if (model) return { backend: 'trl', python, model };
    } else {
      say('the TRL environment could not be set up (see above); starting the lightweight tiny backend instead');
    }
  }
  ensureDebianTorch();
  return { backend: 'tiny', model: 'tiny-byte-transformer' };
}

/** The tiny Llama-style model of make_tiny_model.py, made once and kept in the cache folder. */
function tinyModel(python) {
  const script = path.join(root, 'trainer', 'make_tiny_model.py');
  const hash = crypto.createHash('sha256');
  for (const f of [script, path.join(root, 'trainer', 'tiny_corpus.txt'), path.join(root, 'trainer', 'requirements.txt')]) hash.update(fs.readFileSync(f));
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(cache, 'dialogue-curator', `tiny-model-${hash.digest('hex').slice(0, 12)}`);
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  say(`making a tiny model for the trainer in ${dir} (once; under a minute)`);
  const tmp = `${dir}.tmp-${process.pid}`;
  const made = spawnSync(python, [script, tmp], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, HF_HUB_OFFLINE: '1' } });
  if (made.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    say('could not make the tiny model (see above); starting the lightweight tiny backend instead');
    return undefined;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return dir;
}

function ensureDebianTorch() {
  // PyTorch from Debian for the tiny trainer backend.
  const hasTorch = () => spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (!hasTorch()) {
    const pkgs = ['python3-torch', 'python3-numpy', 'libopenblas0-pthread'];
    if (!isRoot) fail(`the tiny trainer needs PyTorch from Debian. Run as root:\n    apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}\nthen npm start again (or npm start -- --no-trainer).`);
    say(`installing ${pkgs.join(' ')} (about a minute)`);
    let r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
      r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
    if (r.status !== 0 || !hasTorch()) fail(`could not install PyTorch; run: apt-get install -y --no-install-recommends ${pkgs.join(' ')}`);
  }
}

function buildAndPackage(tempDir) {
  say('building and packaging the extension');
  const vsix = path.join(tempDir, 'dialogue-curator.vsix');
  // vsce runs `vscode:prepublish`, the production build of every bundle (the CLI included).
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const pack = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', vsix], {
    cwd: root,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  if (pack.status !== 0) throw new Error(`packaging failed:\n${pack.stdout}${pack.stderr}`);
  return vsix;
}

/** Starts `dialogue-curator serve` in its own process group (its log in the temporary folder). */
function startTrainer(tempDir, token, engine) {
  const log = fs.createWriteStream(path.join(tempDir, 'trainer.log'));
  return startServe(root, { backend: engine.backend, dataDir: path.join(tempDir, 'trainer-data'), env: { DIALOGUE_CURATOR_TOKEN: token, HF_HUB_OFFLINE: '1' }, log });
}

async function main() {
  ensurePrerequisites();
  const engine = args.includes('--no-trainer') ? undefined : prepareEngine();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-curator-start-'));
  const cleanups = [];
  let stopping = false;
  const stopAll = async (code) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`[start] cleanup: ${e.message}`);
      }
    }
    if (!args.includes('--keep-temp')) fs.rmSync(tempDir, { recursive: true, force: true });
    say('stopped');
    process.exit(code);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stopAll(0));

  try {
    const vsix = buildAndPackage(tempDir);
    const workspace = path.join(tempDir, 'sample-workspace');
    fs.cpSync(path.join(root, 'samples', 'workspace'), workspace, { recursive: true });

    const settings = {};
    const env = {};
    if (engine) {
      const token = crypto.randomBytes(24).toString('base64url');
      const trainer = await startTrainer(tempDir, token, engine);
      cleanups.push(async () => {
        await trainer.stop();
      });
      settings['dialogueCurator.trainers'] = [
        engine.backend === 'trl'
          ? {
              name: 'Local trainer (npm start): TRL on a tiny model',
              url: trainer.url,
              model: engine.model,
              hyperparameters: { beta: 0.1, max_steps: 30, learning_rate: 0.002, batch_size: 4, logging_steps: 1, seed: 0, max_new_tokens: 24 },
            }
          : { name: 'Local tiny trainer (npm start)', url: trainer.url, model: 'tiny-byte-transformer', hyperparameters: { beta: 0.1, max_steps: 60, learning_rate: 0.001 } },
      ];
      say(
        engine.backend === 'trl'
          ? `trainer (TRL's DPOTrainer under accelerate, model ${engine.model}) listening on ${trainer.url}`
          : `trainer (tiny PyTorch backend) listening on ${trainer.url}`,
      );
      // The extension host inherits this: the sample profile works without "Set Trainer Token".
      env.DIALOGUE_CURATOR_TOKEN = token;
      fs.writeFileSync(path.join(tempDir, 'trainer-token'), token, { mode: 0o600 });
    }
    Object.assign(process.env, env);
    const port = opt('--port');
    const server = await startCodeServer({
      installVsix: [vsix],
      settings: { ...settings, 'workbench.startupEditor': 'none', 'workbench.welcomePage.walkthroughs.openOnInstall': true },
      bindAddr: `127.0.0.1:${port ?? 0}`,
      keepTemp: args.includes('--keep-temp'),
    });
    cleanups.push(() => server.stop());
    void server.exited.then((code) => {
      if (!stopping) {
        console.error(`[start] code-server exited unexpectedly (${code}); see ${server.logFile}`);
        void stopAll(1);
      }
    });
    const url = workbenchUrl(server, { folder: workspace });
    console.log('');
    console.log(`Dialogue Curator is running. Open this URL in a browser:`);
    console.log(`  ${url}`);
    console.log('');
    console.log('The sample workspace is a fresh copy; the trainer profile points at the local trainer.');
    console.log('Press Ctrl+C to stop everything.');
  } catch (e) {
    console.error(`[start] ${e.message}`);
    await stopAll(1);
  }
}

void main();
