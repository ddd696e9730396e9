// serve's check of its backend before it listens: a Python without the packages is refused with
// the fix; the real environment passes with the pinned versions.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { interpreterOfScript, pinnedVersions, preflight } from '../../src/server/preflight';
import { captureIO, REPO, tempDir } from '../fixtures/trainer/harness';

const TRAINER = path.join(REPO, 'trainer');
const VENV_ACCELERATE = path.join(TRAINER, '.venv', 'bin', 'accelerate');
const haveVenv = fs.existsSync(VENV_ACCELERATE);

describe('serve preflight', () => {
  test('pinnedVersions reads name==version lines, skipping comments', () => {
    const pins = pinnedVersions('# c\ntorch==2.13.0\nTRL == 1.16.0  # x\nfoo>=1\n');
    assert.deepEqual([...pins], [['torch', '2.13.0'], ['trl', '1.16.0']]);
  });

  test('the interpreter of an accelerate script is its #! line, or the python beside it', () => {
    const dir = tempDir('dc-preflight-');
    const script = path.join(dir, 'accelerate');
    fs.writeFileSync(script, '#!/usr/bin/python3\nprint(1)\n', { mode: 0o755 });
    assert.equal(interpreterOfScript(script), '/usr/bin/python3');
    fs.writeFileSync(script, '#!/usr/bin/env python3\n', { mode: 0o755 });
    assert.equal(interpreterOfScript(script, { PATH: '/usr/bin' }), '/usr/bin/python3');
    assert.equal(interpreterOfScript(path.join(dir, 'missing')), undefined);
    fs.rmSync(dir, { recursive: true });
  });

  test('a Python that lacks TRL is refused, naming each missing package and the fix', async () => {
    const dir = tempDir('dc-preflight-');
    const bare = path.join(dir, 'python');
    // An interpreter with no site packages at all (-S -E: no site, no environment).
    fs.writeFileSync(bare, `#!/bin/sh\nexec /usr/bin/python3 -S -E "$@"\n`, { mode: 0o755 });
    const result = await preflight({ backend: 'trl', python: bare, launcher: 'accelerate', trainerDir: TRAINER, fix: 'Fix: do this.' });
    assert.equal(result.problems.length, 1, JSON.stringify(result));
    assert.match(result.problems[0], /cannot import torch \(ModuleNotFoundError.*\), transformers .*trl .*Fix: do this\./);
    const missing = await preflight({ backend: 'trl', python: undefined, launcher: 'accelerate (/nowhere)', trainerDir: TRAINER, fix: 'Fix.' });
    assert.match(missing.problems[0], /cannot find accelerate \(\/nowhere\)/);
    fs.rmSync(dir, { recursive: true });
  });

  test('serve --backend trl with an accelerate whose Python lacks the packages does not start', async () => {
    const dir = tempDir('dc-preflight-');
    const accelerate = path.join(dir, 'accelerate');
    fs.writeFileSync(accelerate, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'python'), `#!/bin/sh\nexec /usr/bin/python3 -S -E "$@"\n`, { mode: 0o755 });
    const cli = captureIO();
    const status = await main(['serve', '--backend', 'trl', '--port', '0', '--data-dir', dir, '--accelerate', accelerate], cli.io);
    assert.equal(status, 2);
    assert.equal(cli.stdout(), '', 'no URL: the server did not listen');
    assert.match(cli.stderr(), /cannot import torch/);
    assert.match(cli.stderr(), /npm run setup:trainer/);
    assert.match(cli.stderr(), /not started/);
    fs.rmSync(dir, { recursive: true });
  });

  test('a port in use is said at once, before the backend is checked', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const dir = tempDir('dc-busy-');
    try {
      const cli = captureIO();
      // An interpreter that fails every import: the package check would say so if it ran.
      const status = await main(['serve', '--port', String(port), '--data-dir', dir, '--python', '/bin/false'], cli.io);
      assert.equal(status, 2);
      assert.equal(cli.stdout(), '', 'no URL: the server did not listen');
      assert.match(cli.stderr(), new RegExp(`cannot start: port ${port} is already in use \\(try --port 0\\)`));
      assert.doesNotMatch(cli.stderr(), /checking the|packages/, 'the package check did not run');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the trainer environment passes with the tested versions', { skip: haveVenv ? false : 'trainer/.venv is missing: run `npm run setup:trainer`', timeout: 120_000 }, async () => {
    const result = await preflight({ backend: 'trl', python: interpreterOfScript(VENV_ACCELERATE), launcher: 'accelerate', trainerDir: TRAINER, fix: '' });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.warnings, []);
    const pins = pinnedVersions(fs.readFileSync(path.join(TRAINER, 'requirements.txt'), 'utf8'));
    for (const name of ['torch', 'transformers', 'trl', 'accelerate', 'peft', 'datasets']) {
      assert.equal(result.packages[name]?.split('+')[0], pins.get(name), name);
    }
  });
});
