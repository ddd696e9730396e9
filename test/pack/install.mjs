// The CLI as a CI job gets it: `npm pack` (which builds dist/ by its prepack script), then
// `npm install -g` of the tarball into an empty prefix, then `dialogue-curator` from that prefix's
// bin on datasets in a temporary folder, outside this checkout. The package has no runtime
// dependencies (everything is bundled), so the install needs no registry.
// Prints `N passed, N failed`; exits non-zero on failure. Run with `npm run test:pack`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let passed = 0;
let failed = 0;

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options, env: { ...process.env, npm_config_update_notifier: 'false', ...options.env } });
  if (r.error) throw r.error;
  return r;
}

function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`[pack] ✓ ${name}`);
  } catch (e) {
    failed++;
    console.error(`[pack] ✗ ${name}: ${e.message}`);
  }
}

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

try {
  const packed = run(npm, ['pack', '--pack-destination', tmp, '--json'], { cwd: root });
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
  const tarball = path.join(tmp, info.filename);
  const names = info.files.map((f) => f.path);

  check('the tarball holds the CLI, its workers, the trainer scripts and the rule pages, and nothing else', () => {
    for (const needed of ['package.json', 'README.md', 'dist/cli.js', 'dist/checkWorker.js', 'dist/curationWorker.js', 'dist/prepareWorker.js', 'trainer/trl_dpo.py', 'trainer/requirements.txt', 'trainer/accelerate/multi-cpu.yaml', 'docs/rules/pair-inverted.md']) {
      expect(names.includes(needed), `${needed} missing from ${info.filename}`);
    }
    const stray = names.filter((n) => /^(src|test|node_modules|bench|webview|scripts)\//.test(n) || n.includes('.venv') || n.endsWith('.map'));
    expect(stray.length === 0, `unexpected files: ${stray.slice(0, 10).join(', ')}`);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies ?? {}).length === 0, 'runtime dependencies: the bundles should carry everything');
  });

  const prefix = path.join(tmp, 'prefix');
  const installed = run(npm, ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', tarball], { cwd: tmp });
  if (installed.status !== 0) throw new Error(`npm install -g failed:\n${installed.stderr}`);
  const bin = path.join(prefix, 'bin', 'dialogue-curator');
  const work = path.join(tmp, 'project');
  fs.mkdirSync(work);
  const good = '{"prompt": "How do I help my mother bathe?", "chosen": "That can feel daunting, and it is kind of you to help. A shower chair makes it safer.", "rejected": "Use a chair."}';
  fs.writeFileSync(path.join(work, 'data.jsonl'), `${good}\n{"prompt": "x" "chosen": "y"}\n`);
  const cli = (args, input) => run(bin, args, { cwd: work, input });

  check('dialogue-curator --version and --help', () => {
    const v = cli(['--version']);
    expect(v.status === 0 && v.stdout.trim() === info.version, `--version printed ${JSON.stringify(v.stdout)} (${v.status})`);
    const h = cli(['--help']);
    expect(h.status === 0 && /check/.test(h.stdout) && /serve/.test(h.stdout), h.stdout + h.stderr);
  });

  check('check finds the syntax error at its place and exits 1', () => {
    const r = cli(['check', 'data.jsonl']);
    expect(r.status === 1, `exit ${r.status}: ${r.stderr}`);
    expect(/^data\.jsonl:2:16 error json-syntax /m.test(r.stdout), r.stdout);
  });

  check('check - reads standard input', () => {
    const r = cli(['check', '-', '--stdin-filename', 'piped.jsonl'], `${good}\n[1]\n`);
    expect(r.status === 1 && /^piped\.jsonl:2:1 error record-not-object/m.test(r.stdout), `${r.status}\n${r.stdout}${r.stderr}`);
  });

  check('check --format sarif carries each rule with its help', () => {
    const r = cli(['check', '--format', 'sarif', 'data.jsonl']);
    const sarif = JSON.parse(r.stdout);
    const rule = sarif.runs[0].tool.driver.rules.find((x) => x.id === 'json-syntax');
    expect(rule?.shortDescription?.text === 'Line is not valid JSON' && /## How to fix it/.test(rule.help.markdown), JSON.stringify(rule));
  });

  check('serve finds its trainer scripts inside the installed package', () => {
    const r = cli(['serve', '--help']);
    expect(r.status === 0 && /--backend/.test(r.stdout), r.stdout + r.stderr);
    const trainerDir = path.join(prefix, 'lib', 'node_modules', info.name, 'trainer');
    expect(fs.existsSync(path.join(trainerDir, 'trl_dpo.py')) && fs.existsSync(path.join(trainerDir, 'tiny_dpo.py')), `no trainer scripts in ${trainerDir}`);
  });
} catch (e) {
  failed++;
  console.error(`[pack] ${e.message}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
