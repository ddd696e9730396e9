// The optional "Compare" CodeLens: off by default, one per record when the setting is on, and
// it runs the compare command on its record.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { openFixture } from './helpers';

async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

suite('Compare CodeLens', () => {
  const config = () => vscode.workspace.getConfiguration('dialogueCurator');

  teardown(async () => {
    await config().update('compare.codeLens', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('no lenses by default; one "Compare" per record when enabled', async () => {
    const editor = await openFixture('curation.jsonl');
    const uri = editor.document.uri;
    const ours = (ls: vscode.CodeLens[]) => ls.filter((l) => l.command?.command === 'dialogueCurator.compare');
    assert.deepStrictEqual(ours(await lenses(uri)), []);
    await config().update('compare.codeLens', true, vscode.ConfigurationTarget.Global);
    const on = ours(await lenses(uri));
    const records = editor.document.getText().split('\n').filter((l) => l.trim()).length;
    assert.strictEqual(on.length, records);
    assert.deepStrictEqual(on.map((l) => l.range.start.line), [...Array(records).keys()]);
    assert.ok(on.every((l) => /Compare/.test(l.command?.title ?? '')));
  });
});
