// Every rule explains itself: a page per rule generated from the rules data (and kept in sync
// with it), SARIF rule metadata that code-scanning services show, from the same text.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { sarifReport } from '../../src/cli/output';
import { KNOWN_RULE_IDS } from '../../src/core/curation';
import { ALL_RULE_DOCS, configSchemaText, documentedRule, ruleDocFiles, ruleDocMarkdown } from '../../src/core/ruleDocs';

const DOCS = path.join(__dirname, '..', '..', 'docs', 'rules');

test('every rule a config may name has documentation: why, an example, a fix', () => {
  for (const id of KNOWN_RULE_IDS) {
    const doc = documentedRule(id);
    assert.ok(doc, `no documentation for ${id}`);
    for (const part of ['why', 'example', 'fix'] as const) assert.ok(doc.doc[part].trim().length > 10, `${id}: ${part}`);
  }
  assert.equal(new Set(ALL_RULE_DOCS.map((d) => d.id)).size, ALL_RULE_DOCS.length, 'ids are unique');
});

test('docs/rules holds exactly the pages the rules data generates (npm run docs:rules)', () => {
  const want = ruleDocFiles();
  const have = fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort();
  assert.deepEqual(have, [...want.keys()].sort());
  for (const [name, text] of want) assert.equal(fs.readFileSync(path.join(DOCS, name), 'utf8'), text, `${name} is out of date: run npm run docs:rules`);
  // The index links each page.
  for (const doc of ALL_RULE_DOCS) assert.ok(want.get('README.md')!.includes(`](${doc.id}.md)`), doc.id);
});

test('the config schema describes each rule as its documentation does (npm run docs:rules)', () => {
  const file = path.join(__dirname, '..', '..', 'schemas', 'dialoguecurator.schema.json');
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(text, configSchemaText(text), 'schemas/dialoguecurator.schema.json is out of date: run npm run docs:rules');
  assert.match(JSON.parse(text).properties.rules.properties['dataset-tone-unseparated'].description, /^Tone does not separate chosen from rejected \(default: info, threshold 0\.55\)\. The tone rules assume/);
});

test('a rule page: title, default, message shape, why, example, fix and a config snippet', () => {
  const md = ruleDocMarkdown(documentedRule('pair-inverted')!);
  assert.match(md, /^# `pair-inverted`: Rejected response looks better than the chosen one/);
  assert.match(md, /default severity \*\*warning\*\* · default threshold 0\.15/);
  assert.match(md, /> The rejected response scores clearly better on tone than the chosen one \(… vs …/);
  for (const heading of ['## Why it matters', '## Example', '## How to fix it', '## Configure it']) assert.ok(md.includes(heading), heading);
  assert.match(md, /"pair-inverted": \{ "severity": "error", "threshold": 0\.15 \}/);
});

test('SARIF rules carry the title, the reason, markdown help and the default level; helpUri when the pages are published', () => {
  const finding = { line: 0, column: 0, endLine: 0, endColumn: 5, severity: 'warning' as const, code: 'pair-inverted', message: 'm' };
  const unknown = { ...finding, code: 'config-unknown-rule' };
  const files = [{ path: 'data/a.jsonl', format: undefined, records: 1, findings: [finding, unknown] }];
  const plain = JSON.parse(sarifReport(files as never, '1.0.0'));
  const rules = plain.runs[0].tool.driver.rules;
  const inverted = rules.find((r: { id: string }) => r.id === 'pair-inverted');
  assert.equal(inverted.shortDescription.text, 'Rejected response looks better than the chosen one');
  assert.match(inverted.fullDescription.text, /pushes the model towards the worse answer/);
  assert.match(inverted.help.markdown, /## How to fix it/);
  assert.match(inverted.help.text, /How to fix it: Use the quick fix/);
  assert.deepEqual(inverted.defaultConfiguration, { level: 'warning' });
  assert.equal(inverted.helpUri, undefined, 'no published pages known: no link');
  assert.deepEqual(rules.find((r: { id: string }) => r.id === 'config-unknown-rule'), { id: 'config-unknown-rule', name: 'config-unknown-rule', shortDescription: { text: 'config-unknown-rule' } });
  const located = plain.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
  assert.deepEqual(located, { uri: 'data/a.jsonl', uriBaseId: '%SRCROOT%' });
  const linked = JSON.parse(sarifReport(files as never, '1.0.0', 'https://example.org/curator/blob/main/docs/rules/'));
  assert.equal(linked.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'pair-inverted').helpUri, 'https://example.org/curator/blob/main/docs/rules/pair-inverted.md');
});
