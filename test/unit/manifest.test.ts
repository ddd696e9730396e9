import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));

function sources(dir: string): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .map((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.readFileSync(path.join(dir, e.name), 'utf8') : ''))
    .join('\n');
}
const extensionSource = sources('src/extension');

test('every contributed command has the Dialogue Curator category and is registered in the extension', () => {
  for (const c of pkg.contributes.commands) {
    assert.equal(c.category, 'Dialogue Curator', c.command);
    assert.match(c.command, /^dialogueCurator\.[a-z][A-Za-z]+$/, c.command);
    assert.ok(extensionSource.includes(`'${c.command}'`), `${c.command} is never registered`);
  }
});

test('every setting has a markdownDescription and is read by a typed settings reader', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { markdownDescription?: string; scope?: string }>;
  for (const [key, schema] of Object.entries(props)) {
    assert.ok(schema.markdownDescription && schema.markdownDescription.length > 20, `${key} needs a markdownDescription`);
    const short = key.replace(/^dialogueCurator\./, '');
    assert.ok(extensionSource.includes(`'${short}'`) || extensionSource.includes(`'${key}'`), `${key} is not read anywhere in src/extension`);
  }
});

test('activation is narrow and the bundles the manifest names are the ones esbuild builds', () => {
  assert.ok(!pkg.activationEvents.includes('*'), 'no eager activation');
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.bin['dialogue-curator'], './dist/cli.js');
  const build = fs.readFileSync('esbuild.js', 'utf8');
  assert.ok(build.includes("out: 'extension'") && build.includes("out: 'cli'"));
});

test('the grammar, schemas and JSON validation the manifest points at exist', () => {
  for (const g of pkg.contributes.grammars) assert.ok(fs.existsSync(g.path), g.path);
  for (const v of pkg.contributes.jsonValidation) assert.ok(fs.existsSync(v.url), v.url);
  const jsonl = pkg.contributes.languages.find((l: { id: string }) => l.id === 'jsonl');
  assert.deepEqual([...jsonl.extensions].sort(), ['.jsonl', '.ndjson']);
});

test('security-relevant contributions: trainers are machine-scoped, training needs a trusted workspace', () => {
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['dialogueCurator.trainers'].scope, 'machine', 'a cloned repository must not redirect uploads');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  const training = pkg.contributes.commands.filter((c: { command: string }) => /train|Token|Runs/i.test(c.command));
  assert.ok(training.length >= 3);
  for (const c of training) assert.match(c.enablement ?? '', /isWorkspaceTrusted/, `${c.command} must be disabled in Restricted Mode`);
  for (const [menu, items] of Object.entries(pkg.contributes.menus) as [string, { command: string; when?: string }[]][]) {
    for (const item of items) {
      if (training.some((c: { command: string }) => c.command === item.command)) assert.match(item.when ?? '', /isWorkspaceTrusted/, `${item.command} in ${menu}`);
    }
  }
  assert.ok(/isTrusted/.test(extensionSource), 'a runtime Workspace Trust check backs the when clauses');
});

test('the walkthrough steps point at existing media and commands', () => {
  const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  for (const w of pkg.contributes.walkthroughs) {
    for (const step of w.steps) {
      assert.ok(fs.existsSync(step.media.markdown), step.media.markdown);
      for (const m of String(step.description).matchAll(/\(command:(dialogueCurator\.[A-Za-z]+)/g)) assert.ok(commands.has(m[1]), m[1]);
    }
  }
});
