import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  closeAllWithoutSaving,
  codeOf,
  columnOf,
  describeDiagnostic,
  fixtureUri,
  openFixture,
  ourDiagnostics,
  waitForDiagnostics,
} from './helpers';

/** The codes the engine reports for structure; curation rules may add others, ignored here. */
const STRUCTURAL = new Set(['json-syntax', 'record-not-object', 'schema']);

/**
 * A comparable key per structural diagnostic. A `json-syntax` finding is pinned to the column
 * where parsing fails (its end is free, as long as it stays on that line); others to the full
 * range.
 */
function keyOf(d: vscode.Diagnostic): string {
  const { start, end } = d.range;
  if (codeOf(d) === 'json-syntax' && end.line === start.line && end.character >= start.character) {
    return `json-syntax@${start.line}:${start.character}`;
  }
  return `${codeOf(d)}@${start.line}:${start.character}-${end.line}:${end.character}`;
}

function structuralKeys(diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics.filter((d) => STRUCTURAL.has(codeOf(d))).map(keyOf).sort();
}

/** Waits until the structural diagnostics of `uri` are exactly `expected` (in any order). */
function waitForKeys(uri: vscode.Uri, expected: string[], what: string): Promise<vscode.Diagnostic[]> {
  const want = [...expected].sort();
  return waitForDiagnostics(uri, (ds) => JSON.stringify(structuralKeys(ds)) === JSON.stringify(want), `${what}: ${want.join(', ')}`);
}

suite('Diagnostics', () => {
  teardown(closeAllWithoutSaving);

  test('a file with broken lines gets one diagnostic per bad line, at the exact place', async () => {
    const { document } = await openFixture('broken-lines.jsonl');
    const missingComma = columnOf(document.lineAt(1).text, '"rejected"');
    // After an astral-plane emoji: VS Code columns count UTF-16 units, not code points.
    const missingCommaAfterEmoji = columnOf(document.lineAt(6).text, '"rejected"');
    assert.strictEqual(missingCommaAfterEmoji, [...document.lineAt(6).text.slice(0, missingCommaAfterEmoji)].length + 1);

    const diagnostics = await waitForKeys(
      document.uri,
      [
        `json-syntax@1:${missingComma}`,
        'record-not-object@2:0-2:9',
        'record-not-object@5:0-5:11',
        `json-syntax@6:${missingCommaAfterEmoji}`,
      ],
      'the diagnostics of broken-lines.jsonl',
    );
    for (const d of diagnostics.filter((x) => STRUCTURAL.has(codeOf(x)))) {
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error, describeDiagnostic(d));
    }
    const syntax = diagnostics.find((d) => codeOf(d) === 'json-syntax' && d.range.start.line === 1)!;
    assert.match(syntax.message, /,/, `the message should say a ',' was expected: ${syntax.message}`);
    assert.match(syntax.message, /\}/, `the message should say a '}' was expected: ${syntax.message}`);
  });

  test('a conversational record with a user turn in chosen gets a schema diagnostic on the role value', async () => {
    const { document } = await openFixture('conversational.jsonl');
    const line = document.lineAt(1).text;
    const role = columnOf(line, '"user"', columnOf(line, '"chosen"'));
    const diagnostics = await waitForKeys(
      document.uri,
      [`schema@1:${role}-1:${role + '"user"'.length}`],
      'the schema diagnostic of conversational.jsonl',
    );
    const schema = diagnostics.find((d) => codeOf(d) === 'schema')!;
    assert.strictEqual(schema.message, 'chosen[0].role must be "assistant", found "user"');
    assert.strictEqual(schema.severity, vscode.DiagnosticSeverity.Error);
  });

  test('edits update the diagnostics: a fix removes one, inserted and deleted lines move the rest', async () => {
    const editor = await openFixture('broken-lines.jsonl');
    const { document } = editor;
    const uri = document.uri;
    const missingComma = columnOf(document.lineAt(1).text, '"rejected"');
    const afterEmoji = columnOf(document.lineAt(6).text, '"rejected"');
    await waitForKeys(
      uri,
      [`json-syntax@1:${missingComma}`, 'record-not-object@2:0-2:9', 'record-not-object@5:0-5:11', `json-syntax@6:${afterEmoji}`],
      'the diagnostics before editing',
    );

    // Fix line 2 (1-based) by inserting the missing comma after "b".
    const fix = new vscode.WorkspaceEdit();
    fix.insert(uri, new vscode.Position(1, columnOf(document.lineAt(1).text, '"b"') + 3), ',');
    assert.ok(await vscode.workspace.applyEdit(fix), 'the comma edit was not applied');
    assert.strictEqual(JSON.parse(document.lineAt(1).text).rejected, 'c');
    await waitForKeys(
      uri,
      ['record-not-object@2:0-2:9', 'record-not-object@5:0-5:11', `json-syntax@6:${afterEmoji}`],
      'the diagnostics after fixing line 2',
    );

    // A new first line that is not JSON: every other diagnostic moves down one line.
    const insert = new vscode.WorkspaceEdit();
    insert.insert(uri, new vscode.Position(0, 0), 'oops\n');
    assert.ok(await vscode.workspace.applyEdit(insert), 'the line insertion was not applied');
    await waitForKeys(
      uri,
      ['json-syntax@0:0', 'record-not-object@3:0-3:9', 'record-not-object@6:0-6:11', `json-syntax@7:${afterEmoji}`],
      'the diagnostics after inserting a line at the top',
    );

    // Replace a valid record by a number and delete the inserted line in one edit.
    const both = new vscode.WorkspaceEdit();
    both.replace(uri, document.lineAt(5).range, '42');
    both.delete(uri, new vscode.Range(0, 0, 1, 0));
    assert.ok(await vscode.workspace.applyEdit(both), 'the combined edit was not applied');
    await waitForKeys(
      uri,
      ['record-not-object@2:0-2:9', 'record-not-object@4:0-4:2', 'record-not-object@5:0-5:11', `json-syntax@6:${afterEmoji}`],
      'the diagnostics after replacing line 5 and deleting the first line',
    );
  });

  test('closing a document clears its diagnostics', async () => {
    const { document } = await openFixture('conversational.jsonl');
    await waitForDiagnostics(document.uri, (ds) => ds.length > 0, 'diagnostics of conversational.jsonl');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitForDiagnostics(fixtureUri('conversational.jsonl'), (ds) => ds.length === 0, 'no diagnostics after closing');
    assert.deepStrictEqual(ourDiagnostics(document.uri).map(describeDiagnostic), []);
  });
});
