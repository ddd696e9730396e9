// `npm run test:electron`: the integration suites in a downloaded VS Code desktop, for machines
// that can reach VS Code's download server (a laptop, a hosted CI). Where it cannot be
// downloaded, `npm run test:integration` runs the same suites in code-server instead.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..'); // dist/test/electron.js -> repository root
  const suite = path.join(root, 'dist', 'test', 'integration', 'index.js');
  if (!fs.existsSync(suite)) {
    console.error(`${suite} is missing: build first (node esbuild.js)`);
    return 1;
  }
  // The tests edit files: give them a copy of the fixture workspace.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-electron-'));
  fs.cpSync(path.join(root, 'test', 'fixtures', 'integration', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.DC_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`test:electron failed: ${message}`);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|download/i.test(message)) {
      console.error('VS Code could not be downloaded here; run `npm run test:integration` (code-server) instead.');
    }
    return 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
