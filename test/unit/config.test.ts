import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyRuleSettings, findMapping, parseConfig } from '../../src/core/config';
import { Finding } from '../../src/core/findings';
import { settingsForFile, loadConfigFile } from '../../src/node/project';

test('a valid config is read with defaults for what it leaves out', () => {
  const { config, findings } = parseConfig('{"schemas": [{"fileMatch": ["*.hh.jsonl"], "format": "hh-rlhf"}], "maxLength": 2048}');
  assert.deepEqual(findings, []);
  assert.equal(config.maxLength, 2048);
  assert.equal(config.encoding, 'o200k_base');
  assert.equal(findMapping(config, 'data/train.hh.jsonl')?.format, 'hh-rlhf');
  assert.equal(findMapping(config, 'data/train.jsonl'), undefined);
});

test('unknown keys and bad values are findings at their place; the valid rest still applies', () => {
  const text = '{\n  "maxLenght": 10,\n  "encoding": "utf8",\n  "rules": {"tone-empathy": "loud"},\n  "lintRejected": true\n}';
  const { config, findings } = parseConfig(text);
  const at = (f: Finding) => `${f.line}:${f.column} ${f.message}`;
  assert.deepEqual(findings.map(at).sort(), [
    '1:2 Unknown field "maxLenght" in the configuration',
    '2:14 encoding must be one of "o200k_base", "cl100k_base", found "utf8"',
    '3:28 rules["tone-empathy"] must be "error", "warning", "info", "hint", "off" or an object { "severity", "threshold" }, found "loud"',
  ].sort());
  assert.equal(config.lintRejected, true);
  assert.equal(config.encoding, 'o200k_base');
});

test('rule settings: thresholds outside 0..1 and bad severities inside an object are findings at the value', () => {
  const text = '{"rules": {"tone-empathy": {"threshold": 5}, "tone-respect": {"severity": "loud", "threshold": 0.5}, "pair-inverted": {"threshold": 0.2}}}';
  const { config, findings } = parseConfig(text);
  assert.deepEqual(
    findings.map((f) => [text.slice(f.column, f.endColumn), f.message]),
    [
      ['5', 'rules["tone-empathy"].threshold must be a number from 0 to 1 (scores, shares and similarities are all in that range), found 5'],
      ['"loud"', 'rules["tone-respect"].severity must be one of "error", "warning", "info", "hint", "off", found "loud"'],
    ],
  );
  // The valid parts still apply; the bad threshold falls back to the rule's default.
  assert.equal(config.rules['tone-empathy'].threshold, undefined);
  assert.equal(config.rules['tone-respect'].threshold, 0.5);
  assert.equal(config.rules['pair-inverted'].threshold, 0.2);
});

test('syntax errors in the config are reported, comments are allowed', () => {
  const { findings } = parseConfig('{\n // comment\n "maxLength": 5,,\n}');
  assert.ok(findings.some((f) => f.code === 'config-syntax' && f.line === 2));
});

test('glob mappings: file names, paths relative to the config, exclusions', () => {
  const { config } = parseConfig(
    JSON.stringify({ schemas: [{ fileMatch: ['data/**/*.jsonl', '!data/raw/**'], url: './s.json' }, { fileMatch: ['*.ndjson'], format: 'chat-messages' }] }),
  );
  assert.equal(findMapping(config, 'data/a/b.jsonl')?.url, './s.json');
  assert.equal(findMapping(config, 'data/raw/b.jsonl'), undefined);
  assert.equal(findMapping(config, 'deep/x.ndjson')?.format, 'chat-messages');
});

test('rule settings turn findings off or change their severity', () => {
  const { config } = parseConfig('{"rules": {"schema": "warning", "json-syntax": "off"}}');
  const f = (code: string): Finding => ({ line: 0, column: 0, endLine: 0, endColumn: 1, severity: 'error', code, message: code });
  assert.deepEqual(applyRuleSettings([f('schema'), f('json-syntax'), f('other')], config).map((x) => `${x.code}:${x.severity}`), ['schema:warning', 'other:error']);
});

test('custom schema files: resolved relative to the config, missing or broken ones explained', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-config-'));
  fs.writeFileSync(path.join(dir, 'good.schema.json'), JSON.stringify({ type: 'object', required: ['x'] }));
  fs.writeFileSync(path.join(dir, 'broken.schema.json'), '{"type": ');
  fs.writeFileSync(path.join(dir, 'invalid.schema.json'), JSON.stringify({ type: 'object', properties: { a: { type: 'nonsense' } } }));
  fs.writeFileSync(
    path.join(dir, '.dialoguecurator.json'),
    JSON.stringify({
      schemas: [
        { fileMatch: ['good.jsonl'], url: './good.schema.json' },
        { fileMatch: ['broken.jsonl'], url: 'broken.schema.json' },
        { fileMatch: ['missing.jsonl'], url: 'nope.schema.json' },
        { fileMatch: ['remote.jsonl'], url: 'https://example.com/s.json' },
        { fileMatch: ['invalid.jsonl'], url: 'invalid.schema.json' },
      ],
    }),
  );
  const loaded = loadConfigFile(path.join(dir, '.dialoguecurator.json'));
  const good = settingsForFile(path.join(dir, 'good.jsonl'), loaded);
  assert.deepEqual(good.problems, []);
  assert.ok(good.settings.customSchema);
  assert.match(settingsForFile(path.join(dir, 'broken.jsonl'), loaded).problems[0], /not valid JSON/);
  assert.match(settingsForFile(path.join(dir, 'missing.jsonl'), loaded).problems[0], /Cannot read the schema file .*ENOENT/);
  assert.match(settingsForFile(path.join(dir, 'remote.jsonl'), loaded).problems[0], /Only local schema files/);
  assert.match(settingsForFile(path.join(dir, 'invalid.jsonl'), loaded).problems[0], /cannot be used/);
  fs.rmSync(dir, { recursive: true });
});
