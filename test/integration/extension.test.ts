import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllWithoutSaving, EXTENSION_ID, openFixture, waitUntil } from './helpers';

suite('Extension', () => {
  teardown(closeAllWithoutSaving);

  test('is loaded from the development folder', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among the loaded extensions`);
    assert.strictEqual(ext.packageJSON.displayName, 'Dialogue Curator');
  });

  test('opens .jsonl files as jsonl and activates for them', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const editor = await openFixture('broken-lines.jsonl');
    assert.strictEqual(editor.document.languageId, 'jsonl');
    // Activation must come from onLanguage:jsonl, not from this test. If it never happens,
    // activating by hand surfaces the activation error, if there is one.
    await waitUntil(() => ext.isActive, 'the extension is active after opening a jsonl file').catch(async (e: Error) => {
      await ext.activate();
      throw e;
    });
  });
});
