// .dialoguecurator.json in the editor: it opens as JSON with comments, VS Code's own JSON
// validation checks it against our schema, and the README's example validates clean.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAllWithoutSaving, EXTENSION_ID, workspaceRoot } from './helpers';

/** The ```jsonc block of the README's `.dialoguecurator.json` section. */
function readmeExample(extensionPath: string): string {
  const readme = fs.readFileSync(path.join(extensionPath, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## `.dialoguecurator.json`'));
  const m = /```jsonc\n([\s\S]*?)\n```/.exec(section);
  assert.ok(m, 'the README has a jsonc example of .dialoguecurator.json');
  return m[1];
}

function diagnosticsChanged(uri: vscode.Uri, accept: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = vscode.languages.getDiagnostics(uri);
      if (!accept(ds)) return false;
      subscription.dispose();
      clearTimeout(timer);
      resolve(ds);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out waiting for ${what}: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.message))}`));
    }, 30_000);
    check();
  });
}

suite('The project file .dialoguecurator.json', () => {
  const dirs: string[] = [];
  suiteTeardown(async () => {
    await closeAllWithoutSaving();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test("opens as JSON with comments; the README's example validates clean against the schema, a wrong value does not", async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const write = (folder: string, text: string) => {
      const dir = path.join(workspaceRoot().fsPath, folder);
      fs.mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      const file = path.join(dir, '.dialoguecurator.json');
      fs.writeFileSync(file, text);
      return vscode.Uri.file(file);
    };
    const example = write('config-readme', readmeExample(ext.extensionPath));
    // The same example with one bad severity: VS Code's validator must report exactly that.
    const broken = write('config-broken', readmeExample(ext.extensionPath).replace('"schema": "warning"', '"schema": "loud"'));

    const exampleDoc = await vscode.workspace.openTextDocument(example);
    await vscode.window.showTextDocument(exampleDoc);
    assert.strictEqual(exampleDoc.languageId, 'jsonc', 'comments are allowed in it');
    const brokenDoc = await vscode.workspace.openTextDocument(broken);
    await vscode.window.showTextDocument(brokenDoc);
    // The JSON server has validated the broken copy (opened after the example) against our schema.
    const reported = await diagnosticsChanged(broken, (ds) => ds.length > 0, 'the schema error in the broken copy');
    assert.strictEqual(reported.length, 1, reported.map((d) => d.message).join(' | '));
    assert.strictEqual(brokenDoc.getText(reported[0].range), '"loud"');
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(example).map((d) => d.message),
      [],
      'the README example (comments, trailing comments) has no problems',
    );
  });
});
