// The curation rules in the editor: findings from the worker on open and save, the hover on a
// record, and the quick fixes (swap, replace jargon, remove a duplicate), each undoable.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { codeOf, describeDiagnostic, EXTENSION_ID, fixtureUri, openFixture, ourDiagnostics, waitForDiagnostics, workspaceRoot } from './helpers';

const FILE = 'curation.jsonl';

async function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
  // The command returns converted copies whose `diagnostics` may be missing: keep ours by edit.
  return actions.filter((a) => a.edit && a.edit.entries().some(([u]) => u.toString() === uri.toString()));
}

function findOne(uri: vscode.Uri, code: string, line: number): vscode.Diagnostic {
  const d = ourDiagnostics(uri).find((x) => codeOf(x) === code && x.range.start.line === line);
  assert.ok(d, `no ${code} on line ${line + 1}: ${ourDiagnostics(uri).map(describeDiagnostic).join('\n')}`);
  return d;
}

suite('Curation in the editor', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('curation findings arrive from the worker at the exact words', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'dataset-duplicate-record'), 'curation findings');
    const inverted = findOne(uri, 'pair-inverted', 0);
    assert.strictEqual(inverted.severity, vscode.DiagnosticSeverity.Warning);
    const jargon = findOne(uri, 'tone-jargon', 1);
    assert.strictEqual(editor.document.getText(jargon.range), 'dyspnea');
    const dismissive = ourDiagnostics(uri).filter((d) => codeOf(d) === 'tone-respect' && d.range.start.line === 0).map((d) => editor.document.getText(d.range));
    assert.deepStrictEqual(dismissive.sort(), ['Deal with it', 'Stop whining', 'make her use it']);
    const duplicate = findOne(uri, 'dataset-duplicate-record', 3);
    assert.strictEqual(duplicate.relatedInformation?.[0].location.range.start.line, 2, 'points at the first copy');
  });

  test("a downloaded evaluation (base and tuned answers) gets schema checks only, no curation findings", async () => {
    // The layout "Download Trained Model…" writes: evaluation.jsonl with training-log.jsonl beside it.
    const inverted = fs.readFileSync(fixtureUri(FILE).fsPath, 'utf8').split('\n')[0];
    const results = path.join(workspaceRoot().fsPath, 'results-of-a-job');
    fs.mkdirSync(results, { recursive: true });
    fs.writeFileSync(path.join(results, 'training-log.jsonl'), '{"object":"fine_tuning.job.event","type":"message"}\n');
    // The same pair, and a broken line: its syntax error shows the file was checked.
    fs.writeFileSync(path.join(results, 'evaluation.jsonl'), `${inverted}\n{"prompt": broken\n`);
    fs.writeFileSync(path.join(results, 'dataset.jsonl'), `${inverted}\n{"prompt": broken\n`);
    try {
      const evaluation = await openFixture('results-of-a-job/evaluation.jsonl');
      await waitForDiagnostics(evaluation.document.uri, (ds) => ds.length > 0, 'the syntax error of the broken line');
      // The same lines under another name are a dataset: the curation rules call the pair inverted.
      const dataset = await openFixture('results-of-a-job/dataset.jsonl');
      await waitForDiagnostics(dataset.document.uri, (ds) => ds.some((d) => codeOf(d) === 'pair-inverted'), 'pair-inverted in the dataset copy');
      const codes = ourDiagnostics(evaluation.document.uri).map(codeOf);
      assert.deepStrictEqual(codes.filter((c) => /^(tone|pair|dataset)-/.test(c)), [], `curation findings on the evaluation: ${codes.join(', ')}`);
      assert.ok(codes.length >= 1, 'the broken line is reported');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      fs.rmSync(results, { recursive: true, force: true });
    }
  });

  test("each finding links to its rule's page; a code action shows the page", async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'pair-inverted'), 'the inverted pair');
    const inverted = findOne(uri, 'pair-inverted', 0);
    assert.ok(typeof inverted.code === 'object', 'the code carries a link');
    const target = (inverted.code as { target: vscode.Uri }).target;
    assert.ok(target.path.endsWith('/docs/rules/pair-inverted.md'), target.toString());
    const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    assert.match(page, /^# `pair-inverted`/);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, inverted.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    const titles = actions.map((a) => a.title);
    const show = actions.find((a) => a.title === 'Show documentation for rule pair-inverted');
    assert.ok(show?.command, `actions: ${titles.join(' | ')}`);
    assert.ok(titles.indexOf('Swap chosen and rejected') < titles.indexOf(show.title), 'the fix comes before the documentation');
    assert.strictEqual(await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? [])), true);
    assert.strictEqual(await vscode.commands.executeCommand('dialogueCurator.showRuleDocumentation', 'no-such-rule'), false);
  });

  test('the project decides: "Disable rule" and "Allow" edit .dialoguecurator.json (comments kept) and the findings go', async () => {
    const project = path.join(workspaceRoot().fsPath, 'project-choices');
    fs.mkdirSync(project, { recursive: true });
    const configFile = path.join(project, '.dialoguecurator.json');
    fs.writeFileSync(configFile, '{\n  // our choices\n  "maxLength": 1024\n}\n');
    fs.copyFileSync(fixtureUri(FILE).fsPath, path.join(project, FILE));
    try {
      const editor = await openFixture(`project-choices/${FILE}`);
      const uri = editor.document.uri;
      await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'tone-respect') && ds.some((d) => codeOf(d) === 'tone-prescriptive'), 'tone findings');
      const actionsFor = async (d: vscode.Diagnostic) =>
        (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      const run = async (action: vscode.CodeAction | undefined) => {
        assert.ok(action?.edit, 'the action is offered with an edit');
        assert.ok(await vscode.workspace.applyEdit(action.edit));
        if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
      };

      // Allow one phrase: that finding goes, the other tone-respect findings stay.
      const dealWithIt = ourDiagnostics(uri).find((d) => codeOf(d) === 'tone-respect' && editor.document.getText(d.range) === 'Deal with it');
      assert.ok(dealWithIt);
      await run((await actionsFor(dealWithIt)).find((a) => a.title === 'Allow "Deal with it" in .dialoguecurator.json (tone rules skip it)'));
      await waitForDiagnostics(uri, (ds) => !ds.some((d) => editor.document.getText(d.range) === 'Deal with it' && codeOf(d) === 'tone-respect') && ds.some((d) => codeOf(d) === 'tone-respect'), 'the allowed phrase unflagged');

      // Disable a rule: all of its findings go.
      const prescriptive = ourDiagnostics(uri).find((d) => codeOf(d) === 'tone-prescriptive')!;
      const titles = (await actionsFor(prescriptive)).map((a) => a.title);
      await run((await actionsFor(prescriptive)).find((a) => a.title === 'Disable rule tone-prescriptive in .dialoguecurator.json'));
      await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'tone-prescriptive'), `no tone-prescriptive (actions were: ${titles.join(' | ')})`);

      const text = fs.readFileSync(configFile, 'utf8');
      assert.match(text, /\/\/ our choices/, 'the comment is kept');
      assert.match(text, /"tone-prescriptive": "off"/);
      assert.match(text, /"allow": \[\s*"Deal with it"\s*\]/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  test('source.fixAll.dialogueCurator removes the later copies of duplicate records, in one undoable edit', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'dataset-duplicate-record'), 'the duplicate record');
    const before = editor.document.getText();
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.dialogueCurator')) ?? [];
    const fixAll = actions.find((a) => a.title === 'Remove 1 duplicate record');
    assert.ok(fixAll?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.strictEqual(editor.document.lineCount, before.split('\n').length - 1);
    assert.strictEqual(editor.document.lineAt(2).text, before.split('\n')[2], 'the first copy stays');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), before);
  });

  test('hovering a record shows its token counts and tone scores', async () => {
    const editor = await openFixture(FILE);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 5));
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    assert.match(text, /token/i);
    assert.match(text, /chosen/i);
    assert.match(text, /empathy/i);
  });

  test('quick fix: swap chosen and rejected, then undo', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'pair-inverted'), 'the inverted pair');
    const before = editor.document.lineAt(0).text;
    const [swap] = await quickFixes(uri, findOne(uri, 'pair-inverted', 0));
    assert.ok(swap?.edit, 'a swap fix is offered');
    assert.strictEqual(swap.title, 'Swap chosen and rejected');
    assert.ok(await vscode.workspace.applyEdit(swap.edit));
    const after = JSON.parse(editor.document.lineAt(0).text);
    const original = JSON.parse(before);
    assert.deepStrictEqual(Object.keys(after), Object.keys(original), 'key order kept');
    assert.strictEqual(after.chosen, original.rejected);
    assert.strictEqual(after.rejected, original.chosen);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.lineAt(0).text, before);
  });

  test('quick fix: replace jargon with the plain word', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'tone-jargon'), 'the jargon finding');
    const [replace] = await quickFixes(uri, findOne(uri, 'tone-jargon', 1));
    assert.ok(replace?.edit);
    assert.strictEqual(replace.title, 'Replace "dyspnea" with "shortness of breath"');
    assert.ok(await vscode.workspace.applyEdit(replace.edit));
    assert.match(editor.document.lineAt(1).text, /he may have shortness of breath, so/);
    // Saving runs the rules again: the jargon finding is gone.
    await editor.document.save();
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'tone-jargon'), 'the jargon finding to clear after save');
    await vscode.commands.executeCommand('undo');
    assert.match(editor.document.lineAt(1).text, /dyspnea/);
    await editor.document.save();
  });

  test('unsaved line inserts and deletes keep curation findings on their records, and fixes act on the right one', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'dataset-duplicate-record'), 'curation findings');
    const inverted = editor.document.lineAt(0).text;
    // Two new records above everything, not saved (lint runs on save): the old findings move down with their records.
    const added = '{"prompt": "Is it safe to nap after lunch?", "chosen": "A short nap after lunch is fine for most people, and it can help you feel rested.", "rejected": "Sure."}';
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), `${added}\n${added.replace('nap', 'rest')}\n`)));
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'pair-inverted' && d.range.start.line === 2), 'the inverted pair to move to line 3');
    assert.strictEqual(editor.document.getText(findOne(uri, 'tone-jargon', 3).range), 'dyspnea');
    const duplicate = findOne(uri, 'dataset-duplicate-record', 5);
    assert.strictEqual(duplicate.relatedInformation?.[0].location.range.start.line, 4, 'the related copy moved too');
    assert.ok(!ourDiagnostics(uri).some((d) => d.range.start.line < 2 && codeOf(d) !== 'dataset-shortcut'), 'nothing stale on the new lines');
    // The swap fix swaps the record it was found on, now on line 3, and nothing else.
    const [swap] = await quickFixes(uri, findOne(uri, 'pair-inverted', 2));
    assert.ok(swap?.edit, 'a swap fix is offered');
    assert.ok(await vscode.workspace.applyEdit(swap.edit));
    assert.strictEqual(JSON.parse(editor.document.lineAt(2).text).rejected, JSON.parse(inverted).chosen);
    assert.strictEqual(editor.document.lineAt(0).text, added);
    // Editing a record drops its stale findings until the next check; the others stay.
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'pair-inverted'), 'the swapped pair to lose its finding');
    assert.ok(ourDiagnostics(uri).some((d) => codeOf(d) === 'tone-jargon' && d.range.start.line === 3));
    // Deleting the two new lines brings everything back up.
    assert.ok(await editor.edit((e) => e.delete(new vscode.Range(0, 0, 2, 0))));
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'tone-jargon' && d.range.start.line === 1), 'the jargon finding back on line 2');
    assert.strictEqual(findOne(uri, 'dataset-duplicate-record', 3).relatedInformation?.[0].location.range.start.line, 2);
  });

  test('past the 1,000 diagnostics VS Code lists: the most severe are listed with a note counting the rest, and every finding stays reachable', async function () {
    this.timeout(60_000);
    const name = 'many-findings.jsonl';
    // 5,201 lines: past the size at which the worker's first check runs on threads too.
    const n = 2600;
    const uniques = Array.from({ length: n }, (_, i) =>
      JSON.stringify({ prompt: `Question ${i}: how can I help my dad sleep better?`, chosen: `A regular bedtime and a quiet, dark room often help (idea ${i}).`, rejected: `Idea ${i}: a dark room.` }),
    );
    // n later copies (a warning each) and one broken line at the end (an error).
    fs.writeFileSync(fixtureUri(name).fsPath, `${[...uniques, ...uniques].join('\n')}\n{"prompt": "broken\n`);
    try {
      const editor = await openFixture(name);
      const uri = editor.document.uri;
      const diagnostics = await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'problems-not-listed'), 'the note for the findings not listed', 30_000);
      assert.strictEqual(diagnostics.length, 1000, 'VS Code lists 1,000: 999 findings and the note');
      assert.ok(diagnostics.some((d) => codeOf(d) === 'json-syntax' && d.range.start.line === 2 * n), 'the error is listed before any warning');
      const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as { diagnostics: import('../../src/extension/datasetDiagnostics').DatasetDiagnostics };
      const report = api.diagnostics.report(uri)!;
      const total = report.counts.error + report.counts.warning + report.counts.info + report.counts.hint;
      assert.ok(report.counts.warning >= n && report.counts.error === 1, JSON.stringify(report.counts));
      assert.strictEqual(report.complete, false);
      const note = diagnostics.find((d) => codeOf(d) === 'problems-not-listed')!;
      assert.match(note.message, new RegExp(`^${(total - 999).toLocaleString('en-US')} more problems are not listed`));
      // The last copies are past what is listed: the editor still knows them.
      assert.ok(!diagnostics.some((d) => d.range.start.line === 2 * n - 1), 'the last copy is not listed');
      const last = await api.diagnostics.findingsOnLine(uri, 2 * n - 1);
      assert.deepStrictEqual(last.map((f) => f.code).filter((c) => c === 'dataset-duplicate-record'), ['dataset-duplicate-record']);
      assert.ok((await api.diagnostics.problemLines(uri)).has(2 * n - 1));
      // An unsaved line on top moves them, listed or not.
      assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), '\n')));
      await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'json-syntax' && d.range.start.line === 2 * n + 1), 'the error to move down');
      assert.deepStrictEqual((await api.diagnostics.findingsOnLine(uri, 2 * n)).map((f) => f.code).filter((c) => c === 'dataset-duplicate-record'), ['dataset-duplicate-record']);
      // Fix-all removes every later copy, listed or not.
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.dialogueCurator')) ?? [];
      assert.ok(actions.some((a) => a.title === `Remove ${n} duplicate records`), `actions: ${actions.map((a) => a.title).join(' | ')}`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(fixtureUri(name).fsPath, { force: true });
    }
  });

  test('editing the first copy of a duplicate withdraws the duplicate finding and its removal fix', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'dataset-duplicate-record'), 'the duplicate');
    const first = editor.document.lineAt(2);
    const record = JSON.parse(first.text);
    record.chosen = `${record.chosen} Edited.`;
    assert.ok(await editor.edit((e) => e.replace(first.range, JSON.stringify(record))));
    // Line 4 is no longer a copy of anything: deleting it would lose the only copy.
    await waitForDiagnostics(uri, (ds) => !ds.some((d) => codeOf(d) === 'dataset-duplicate-record'), 'the duplicate finding to go');
  });

  test('dialogueCurator.lint.run: on save by default, on type, off', async function () {
    this.timeout(60_000);
    const settings = () => vscode.workspace.getConfiguration('dialogueCurator');
    const jargonRecord = '{"prompt": "Why is she so tired?", "chosen": "I am sorry, that sounds hard. Her tiredness may come with hypotension, so her doctor can check her blood pressure.", "rejected": "No idea."}';
    const appendJargon = async (editor: vscode.TextEditor) => {
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      const sep = editor.document.lineAt(editor.document.lineCount - 1).text ? '\n' : '';
      assert.ok(await editor.edit((e) => e.insert(end, `${sep}${jargonRecord}`)));
      return editor.document.lineCount - 1;
    };
    const jargonOn = (uri: vscode.Uri, line: number) => ourDiagnostics(uri).some((d) => codeOf(d) === 'tone-jargon' && d.range.start.line === line);
    // code-server saves after a delay by default: this test is about what happens before a save.
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
    try {
      // On save (default): typing does not run the curation rules, saving does.
      let editor = await openFixture(FILE);
      let uri = editor.document.uri;
      await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'pair-inverted'), 'curation findings on open');
      let line = await appendJargon(editor);
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(!jargonOn(uri, line), `no curation run while typing in onSave mode (line ${line}, dirty ${editor.document.isDirty}): ${ourDiagnostics(uri).map(describeDiagnostic).join('\n')}`);
      await editor.document.save();
      await waitForDiagnostics(uri, () => jargonOn(uri, line), 'the jargon finding after save');
      await vscode.commands.executeCommand('undo');
      await editor.document.save();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

      // On type: the new record is checked without saving.
      await settings().update('lint.run', 'onType', vscode.ConfigurationTarget.Workspace);
      editor = await openFixture(FILE);
      uri = editor.document.uri;
      await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'pair-inverted'), 'curation findings on open (onType)');
      line = await appendJargon(editor);
      await waitForDiagnostics(uri, () => jargonOn(uri, line), 'the jargon finding while typing');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      // Off: syntax and schema only.
      await settings().update('lint.run', 'off', vscode.ConfigurationTarget.Workspace);
      editor = await openFixture('broken-lines.jsonl');
      uri = editor.document.uri;
      await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'json-syntax'), 'structural findings with lint off');
      const curationEditor = await openFixture(FILE);
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepStrictEqual(ourDiagnostics(curationEditor.document.uri).map(describeDiagnostic), [], 'no curation findings with lint off');
    } finally {
      await settings().update('lint.run', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.getConfiguration('files').update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('dialogueCurator.lint.rejected adds tone findings on rejected responses', async () => {
    const settings = () => vscode.workspace.getConfiguration('dialogueCurator');
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'pair-inverted'), 'curation findings');
    const onRejected = () => ourDiagnostics(uri).filter((d) => codeOf(d).startsWith('tone-') && d.range.start.line === 1 && editor.document.getText(d.range).startsWith('Whatever'));
    assert.deepStrictEqual(onRejected(), [], 'no tone findings on rejected by default');
    try {
      await settings().update('lint.rejected', true, vscode.ConfigurationTarget.Workspace);
      // Line 2's rejected response is a one-word shrug: curt and dismissive.
      await waitForDiagnostics(uri, () => onRejected().length > 0, 'tone findings on the rejected response');
      assert.ok(onRejected().some((d) => codeOf(d) === 'tone-politeness' && /rejected response reads as curt/.test(d.message)));
    } finally {
      await settings().update('lint.rejected', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(uri, () => onRejected().length === 0, 'rejected findings to go when the setting is off');
  });

  test('quick fix: remove a duplicate record', async () => {
    const editor = await openFixture(FILE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some((d) => codeOf(d) === 'dataset-duplicate-record'), 'the duplicate');
    const lines = editor.document.lineCount;
    const [remove] = await quickFixes(uri, findOne(uri, 'dataset-duplicate-record', 3));
    assert.ok(remove?.edit);
    assert.match(remove.title, /Remove this duplicate record \(the first copy is on line 3\)/);
    assert.ok(await vscode.workspace.applyEdit(remove.edit));
    assert.strictEqual(editor.document.lineCount, lines - 1);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.lineCount, lines);
  });
});
