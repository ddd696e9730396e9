// Entry point of the integration suites, loaded by VS Code's extension host as
// `extensionTestsPath` (both under code-server and under @vscode/test-electron). esbuild bundles
// it into dist/test/integration/index.js, so the suites are imported explicitly rather than
// found on disk.
import Mocha from 'mocha';

/** Each suite module registers its tests (with mocha's tdd globals) when it is first imported. */
const suites: Record<string, () => Promise<unknown>> = {
  extension: () => import('./extension.test'),
  diagnostics: () => import('./diagnostics.test'),
  curation: () => import('./curation.test'),
  configFile: () => import('./configFile.test'),
  compareLens: () => import('./compareLens.test'),
  training: () => import('./training.test'),
};

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000 });
  const grep = process.env.DC_TEST_GREP;
  if (grep) mocha.grep(grep);
  // Install suite()/test()/setup()... on the global object before the suites are evaluated; the
  // dynamic imports below stay lazy in the bundle, so they run after this line.
  mocha.suite.emit('pre-require', globalThis, 'dist/test/integration/index.js', mocha);
  for (const load of Object.values(suites)) await load();

  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  // The closing line the runners and CI read.
  console.log(`${stats.passes} passed, ${stats.failures} failed`);
  if (stats.pending) console.log(`${stats.pending} pending`);
  if (stats.failures > 0 || stats.passes === 0) {
    throw new Error(stats.failures > 0 ? `${stats.failures} integration test(s) failed` : 'no integration test ran');
  }
}
