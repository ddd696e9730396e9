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
