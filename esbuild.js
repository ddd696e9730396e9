// One build script for every bundle: the extension, the CLI (which also runs the trainer
// server), the integration-test suites and each webview (browser bundles).
// Usage: node esbuild.js [--watch] [--production]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `✘ [ERROR] message` + `file:line:col:` shape that VS Code's
 * `$esbuild-watch` problem matcher understands, and marks the start and end of each build. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const { asciiOutputPlugin } = require('./scripts/ascii-output');

const pkg = require('./package.json');

/**
 * Where the rule pages are published (SARIF's helpUri): the package's repository when it names
 * one on a forge with /blob/ links, else none (the help text travels inside the SARIF anyway).
 */
function rulesUrl(p) {
  const url = typeof p.repository === 'string' ? p.repository : p.repository?.url;
  if (!url) return null;
  const web = url.replace(/^git\+/, '').replace(/\.git$/, '');
  return /^https:\/\//.test(web) ? `${web}/blob/main/docs/rules/` : null;
}

const common = {
  bundle: true,
  define: { __VERSION__: JSON.stringify(pkg.version), __RULES_URL__: JSON.stringify(rulesUrl(pkg)) },
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin],
};

/** Node bundles: CommonJS, `vscode` provided by the host. */
const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension' },
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
  { in: 'src/node/checkWorker.ts', out: 'checkWorker' },
  { in: 'src/node/curationWorker.ts', out: 'curationWorker' },
  // The trainer server (in the CLI bundle) validates each job's uploads on this worker.
  { in: 'src/server/prepareWorker.ts', out: 'prepareWorker' },
];

/** Integration suites run inside the extension host (mocha is bundled in). */
const testEntries = [
  { in: 'test/integration/index.ts', out: 'test/integration/index' },
  { in: 'test/electron.ts', out: 'test/electron' },
];

/** Each folder under webview/ with an index.ts is a panel bundle. */
function webviewEntries() {
  const root = path.join(__dirname, 'webview');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'index.ts')))
    .map((d) => ({ in: `webview/${d.name}/index.ts`, out: `webview/${d.name}` }));
}

function existing(entries) {
  return entries.filter((e) => fs.existsSync(path.join(__dirname, e.in)));
}

async function main() {
  // A production build starts from an empty dist/ so no stale source maps end up in the .vsix.
  if (production) fs.rmSync(path.join(__dirname, 'dist'), { recursive: true, force: true });
  const contexts = [];
  for (const e of existing([...nodeEntries, ...testEntries])) {
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: { [e.out]: e.in },
        outdir: 'dist',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['vscode'],
        // jsonc-parser's UMD entry hides its modules behind a dynamic require: take the ESM one.
        mainFields: ['module', 'main'],
        banner: e.banner ? { js: e.banner } : undefined,
        metafile: true,
        plugins: [...common.plugins, asciiOutputPlugin],
      }),
    );
  }
  const web = webviewEntries();
  if (web.length) {
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: Object.fromEntries(web.map((e) => [e.out, e.in])),
        outdir: 'dist',
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        loader: { '.css': 'css' },
      }),
    );
  }
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  let failed = false;
  for (const c of contexts) {
    try {
      await c.rebuild();
    } catch {
      failed = true;
    }
    await c.dispose();
  }
  if (failed) process.exit(1);
  const cli = path.join(__dirname, 'dist', 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
