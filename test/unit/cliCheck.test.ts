import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { cli } from './helpers/cli';
import { jsonFindingText, textLine } from '../../src/cli/output';
import { Finding } from '../../src/core/findings';

function workspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const good = '{"prompt": "How do I help my mother bathe?", "chosen": "That can feel daunting. A shower chair helps.", "rejected": "Use a chair."}';

test('text output: path:line:column severity code message; exit 1 on errors', async () => {
  const dir = workspace({ 'data/a.jsonl': `${good}\n{"prompt": "x" "chosen": "y"}\n[1]\n`, 'data/b.ndjson': `${good}\n`, 'data/notes.txt': 'ignored' });
  const r = await cli(['check', 'data'], dir);
  assert.equal(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.includes(`${path.join('data', 'a.jsonl')}:2:16 error json-syntax Invalid JSON: Expected ',' or '}' after a property value, found '"'`), r.stdout);
  assert.ok(lines.some((l) => l.startsWith(`${path.join('data', 'a.jsonl')}:3:1 error record-not-object`)), r.stdout);
  assert.ok(!r.stdout.includes('b.ndjson:'), 'the clean file has no findings');
  assert.match(r.stderr, /a\.jsonl: 3 records, TRL preference \(standard\)/);
});

test('text output: a line break, an escape sequence or a bidi override quoted from the data is written as its escape, one finding a line', async () => {
  const dir = workspace({ 'q.jsonl': '{"prompt": "My mum fell.", "chosen": "Calm\\ndown.\\u001b[2J \\u202e", "rejected": "Falls happen."}\n' });
  const r = await cli(['check', 'q.jsonl'], dir);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, r.stdout);
  assert.match(lines[0], /^q\.jsonl:1:\d+ warning tone-politeness "Calm\\ndown\.\\u001b\[2J/);
  assert.doesNotMatch(r.stdout, /[\u001b\r\u202e]/);
});

test('json output has the documented shape with 1-based positions; exit 0 when clean', async () => {
  const dir = workspace({ 'ok.jsonl': `${good}\n${good}\n`, 'bad.jsonl': '{"prompt": "a", "chosen": [], "rejected": "c"}\n' });
  const clean = await cli(['check', '--format', 'json', 'ok.jsonl'], dir);
  assert.equal(clean.code, 0);
  const parsed = JSON.parse(clean.stdout);
  assert.equal(parsed.files[0].path, 'ok.jsonl');
  assert.equal(parsed.files[0].format, 'trl-standard');
  assert.equal(parsed.files[0].records, 2);
  const bad = JSON.parse((await cli(['check', '--format', 'json', 'bad.jsonl'], dir)).stdout);
  const f = bad.files[0].findings.find((x: { code: string }) => x.code === 'schema');
  assert.deepEqual(f, { line: 1, column: 27, endLine: 1, endColumn: 29, severity: 'error', code: 'schema', message: 'chosen must be a string, found a list', field: 'chosen' });
});

test('sarif output is SARIF 2.1.0 with rule ids, levels and regions', async () => {
  const dir = workspace({ 'bad.jsonl': '{"prompt": "a", "chosen": [], "rejected": "c"}\n' });
  const r = await cli(['check', '--format', 'sarif', 'bad.jsonl'], dir);
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'schema');
  assert.equal(result.level, 'error');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 1, startColumn: 27, endLine: 1, endColumn: 29 });
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'bad.jsonl');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  assert.ok(sarif.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === 'schema'));
  // A file outside the working folder: a file URI of its own, not relative to %SRCROOT%.
  const elsewhere = workspace({});
  const outside = JSON.parse((await cli(['check', '--format', 'sarif', path.join(dir, 'bad.jsonl')], elsewhere)).stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(outside, { uri: pathToFileURL(path.join(dir, 'bad.jsonl')).href });
});

test('--rules-url links each SARIF rule to its page there; a URL that is not http(s) is a usage error', async () => {
  const dir = workspace({ 'bad.jsonl': '{"prompt": "a", "chosen": [], "rejected": "c"}\n' });
  const r = await cli(['check', '--format', 'sarif', '--rules-url', 'https://git.example.org/team/curator/blob/v1/docs/rules', 'bad.jsonl'], dir);
  assert.equal(r.code, 1);
  const rule = JSON.parse(r.stdout).runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'schema');
  assert.equal(rule.helpUri, 'https://git.example.org/team/curator/blob/v1/docs/rules/schema.md');
  for (const bad of ['docs/rules/', 'file:///tmp/rules/']) {
    const u = await cli(['check', '--format', 'sarif', '--rules-url', bad, 'bad.jsonl'], dir);
    assert.equal(u.code, 2, bad);
    assert.match(u.stderr, /--rules-url needs an absolute http\(s\) URL/);
  }
  assert.equal((await cli(['check', '--rules-url'], dir)).code, 2);
});

test('usage and I/O problems exit 2 with a message and no stack trace', async () => {
  const dir = workspace({});
  for (const args of [['check'], ['check', '--format', 'xml', 'x'], ['check', '--nope', 'x'], ['check', 'missing.jsonl'], ['frobnicate']]) {
    const r = await cli(args, dir);
    assert.equal(r.code, 2, args.join(' '));
    assert.ok(r.stderr.length > 0);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const r = await cli(['check', '--config', 'none.json', '.'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read the config file none\.json: ENOENT/);
});

test('the nearest .dialoguecurator.json applies: format override, custom schema and its own problems', async () => {
  const dir = workspace({
    '.dialoguecurator.json': JSON.stringify({ schemas: [{ fileMatch: ['custom/*.jsonl'], url: 'rec.schema.json' }, { fileMatch: ['*.chat.jsonl'], format: 'chat-messages' }], bogus: 1 }),
    'rec.schema.json': JSON.stringify({ type: 'object', required: ['id'] }),
    'custom/a.jsonl': '{"id": 1}\n{"name": 2}\n',
    'x.chat.jsonl': `${good}\n`,
  });
  const r = await cli(['check', '--format', 'json', '.'], dir);
  const files = JSON.parse(r.stdout).files as { path: string; format: string; findings: { line: number; message: string; code: string }[] }[];
  const custom = files.find((f) => f.path === path.join('custom', 'a.jsonl'))!;
  assert.deepEqual(custom.findings.map((f) => [f.line, f.message]), [[2, 'The record is missing the required field "id"']]);
  const chat = files.find((f) => f.path === 'x.chat.jsonl')!;
  assert.equal(chat.format, 'chat-messages');
  // The record is a TRL one in a file mapped to chat messages: its first schema error says so.
  assert.ok(chat.findings.some((f) => /^The record is missing the required field "messages" \(this record is in the TRL preference \(standard\) format, the file in .*: keep one format per file\)$/.test(f.message)), JSON.stringify(chat.findings));
  const config = files.find((f) => f.path === '.dialoguecurator.json')!;
  assert.deepEqual(config.findings.map((f) => f.message), ['Unknown field "bogus" in the configuration']);
  assert.equal(r.code, 1);
});

test('invalid UTF-8, NUL bytes, CRLF and a BOM are handled in files', async () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${good}\r\n`), Buffer.from('{"prompt": "a\u0000", "chosen": "b", "rejected": "c"}\r\n'), Buffer.from('{"prompt": "'), Buffer.from([0xc3, 0x28]), Buffer.from('", "chosen": "b", "rejected": "b"}')]);
  const dir = workspace({ 'mixed.jsonl': bytes });
  const r = await cli(['check', '--format', 'json', 'mixed.jsonl'], dir);
  const findings = JSON.parse(r.stdout).files[0].findings as { line: number; column: number; code: string }[];
  // Line 3 is still checked past its bad byte: its two responses are the same. (Tone findings
  // on the one-letter answers are left out: they follow the tone model, not the bytes.)
  const kept = findings.filter((f) => !f.code.startsWith('tone-'));
  assert.deepEqual(kept.map((f) => [f.line, f.column, f.code]), [[2, 14, 'json-syntax'], [3, 13, 'invalid-utf8'], [3, 33, 'pair-identical']]);
});

test('check - reads standard input: the same findings as the file, named <stdin> or --stdin-filename, configured for that name', async () => {
  const text = `${good}\n{"prompt": "x" "chosen": "y"}\n`;
  const dir = workspace({ 'data/a.jsonl': text, 'strict/.dialoguecurator.json': '{"rules": {"json-syntax": "warning"}}' });
  const fromFile = await cli(['check', '--format', 'json', 'data/a.jsonl'], dir);
  const fromStdin = await cli(['check', '--format', 'json', '-'], dir, text);
  assert.equal(fromStdin.code, 1);
  const a = JSON.parse(fromFile.stdout).files[0];
  const b = JSON.parse(fromStdin.stdout).files[0];
  assert.equal(b.path, '<stdin>');
  assert.deepEqual(b.findings, a.findings);
  assert.equal(b.records, 2);
  // Named into a folder whose .dialoguecurator.json turns the syntax error into a warning.
  const named = await cli(['check', '-', '--stdin-filename', 'strict/in.jsonl'], dir, text);
  assert.equal(named.code, 0, named.stdout + named.stderr);
  assert.match(named.stdout, new RegExp(`^${path.join('strict', 'in.jsonl').replace(/\\/g, '\\\\')}:2:16 warning json-syntax`, 'm'));
  // Files and standard input together; the temporary copy is gone afterwards.
  const both = await cli(['check', 'data/a.jsonl', '-'], dir, `${good}\n`);
  assert.match(both.stderr, /in 2 files/);
  assert.ok(!fs.readdirSync(os.tmpdir()).some((n) => n.startsWith('dialogue-curator-stdin-') && fs.existsSync(path.join(os.tmpdir(), n, 'stdin.jsonl')) && fs.statSync(path.join(os.tmpdir(), n)).mtimeMs > Date.now() - 5000));
  assert.equal((await cli(['check', '-', '-'], dir, '')).code, 2);
  assert.equal((await cli(['check', 'data/a.jsonl', '--stdin-filename', 'x.jsonl'], dir)).code, 2);
});

test('the $dialogue-curator problem matcher reads every line check prints', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'dialogue-curator');
  const re = new RegExp(matcher.pattern.regexp);
  const dir = workspace({ 'data/a.jsonl': `${good}\n{"prompt": "x" "chosen": "y"}\n{"prompt": "Help?", "chosen": "Stop whining. Deal with it.", "rejected": "I am sorry, that sounds hard."}\n` });
  const r = await cli(['check', 'data'], dir);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.length >= 2, r.stdout);
  for (const line of lines) {
    const m = re.exec(line);
    assert.ok(m, `not matched: ${line}`);
    const g = matcher.pattern;
    assert.equal(m[g.file], path.join('data', 'a.jsonl'));
    assert.ok(Number(m[g.line]) >= 1 && Number(m[g.column]) >= 1);
    assert.match(m[g.severity], /^(error|warning|info|hint)$/);
    assert.ok(line.endsWith(m[g.message]) && m[g.message].length > 5, line);
  }
  const syntax = lines.map((l) => re.exec(l)!).find((m) => m[matcher.pattern.code] === 'json-syntax');
  assert.deepEqual([syntax?.[2], syntax?.[3], syntax?.[4]], ['2', '16', 'error']);
});

test('a folder without datasets is a usage problem; an empty file and an unknown format are said in the summary', async () => {
  const dir = workspace({ 'docs/readme.md': '# notes', 'empty.jsonl': '', 'other.jsonl': '{"foo": 1}\n' });
  const none = await cli(['check', 'docs'], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no \.jsonl or \.ndjson files in docs/);
  const r = await cli(['check', 'empty.jsonl', 'other.jsonl'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^empty\.jsonl: no records$/m);
  assert.match(r.stderr, /^other\.jsonl: 1 record, format not recognised \(no schema was checked/m);
});

test('text output names each related line once', () => {
  const f = { line: 4, column: 0, endLine: 4, endColumn: 1, severity: 'info' as const, code: 'dataset-shortcut', message: 'm', related: [1, 1, 2, 2, 9].map((line) => ({ line, column: 0, endLine: line, endColumn: 1, message: 'Uses it' })) };
  assert.equal(textLine('d.jsonl', f), 'd.jsonl:5:1 info dataset-shortcut m (see lines 2, 3, 10)');
});

test('a finding written for the JSON report is the JSON of its documented object, whatever its text holds', () => {
  const tricky = 'He said "stop"\\ \n\u2028 \u{1F600} \ud800 </script>';
  const findings: Finding[] = [
    { line: 0, column: 0, endLine: 0, endColumn: 5, severity: 'hint', code: 'tone-empathy', message: tricky },
    { line: 9, column: 3, endLine: 11, endColumn: 1, severity: 'error', code: 'schema', message: 'm', field: 'chosen' },
    { line: 4, column: 0, endLine: 4, endColumn: 2, severity: 'warning', code: 'dataset-duplicate-record', message: 'dup', field: tricky, related: [{ line: 1, column: 0, endLine: 1, endColumn: 2, message: tricky }, { line: 7, column: 2, endLine: 7, endColumn: 3, message: 'Another copy' }] },
    { line: 2, column: 1, endLine: 2, endColumn: 1, severity: 'info', code: 'x', message: '', related: [] },
  ];
  for (const f of findings) {
    const expected = JSON.stringify({
      line: f.line + 1,
      column: f.column + 1,
      endLine: f.endLine + 1,
      endColumn: f.endColumn + 1,
      severity: f.severity === 'hint' ? 'info' : f.severity,
      code: f.code,
      message: f.message,
      field: f.field ?? null,
      ...(f.related?.length ? { related: f.related.map((r) => ({ line: r.line + 1, column: r.column + 1, message: r.message })) } : {}),
    });
    assert.equal(jsonFindingText(f), expected);
    assert.deepEqual(JSON.parse(jsonFindingText(f)), JSON.parse(expected));
  }
});
