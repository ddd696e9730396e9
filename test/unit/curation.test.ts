import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import configSchema from '../../schemas/dialoguecurator.schema.json';
import { DEFAULT_CONFIG, parseConfig } from '../../src/core/config';
import { datasetRules, hoverMarkdown, KNOWN_RULE_IDS, recordHoverInfo, recordRules, RULE_DOCS } from '../../src/core/curation';
import { checkText } from '../../src/core/engine';
import { tokenizer } from '../../src/core/tokens/tokenizer';
import { cli } from './helpers/cli';

test('every rule has an id, severity, message and a doc (why, example, fix)', () => {
  assert.ok(RULE_DOCS.length >= 20);
  const ids = new Set<string>();
  for (const d of RULE_DOCS) {
    assert.ok(!ids.has(d.id), `duplicate ${d.id}`);
    ids.add(d.id);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(d.severity), d.id);
    assert.ok(d.title && d.message && d.doc.why && d.doc.example && d.doc.fix, d.id);
  }
});

test('the config schema lists exactly the known rule ids; unknown ids become config findings', () => {
  const inSchema = Object.keys((configSchema as { properties: { rules: { properties: Record<string, unknown> } } }).properties.rules.properties).sort();
  assert.deepEqual(inSchema, [...KNOWN_RULE_IDS].sort(), 'regenerate schemas/dialoguecurator.schema.json rules.properties from the rule docs');
  const text = '{\n  "rules": {\n    "tone-jargon": "off",\n    "tone-jargn": "warning"\n  }\n}';
  const { findings, config } = parseConfig(text);
  assert.equal(findings.length, 1);
  assert.equal(findings[0].code, 'config');
  assert.match(findings[0].message, /Unknown field "tone-jargn" in rules/);
  assert.equal(findings[0].line, 3);
  assert.equal(config.rules['tone-jargon']?.severity, 'off');
});

test('severities and thresholds from the config apply to curation findings', () => {
  const line = JSON.stringify({ prompt: 'Why?', chosen: 'She has hypertension, so the nurse checks it.', rejected: 'Dunno.' });
  const codes = (config = DEFAULT_CONFIG) => checkText(line, { recordRules, datasetRules, config }).findings.map((f) => `${f.code}:${f.severity}`);
  assert.ok(codes().includes('tone-jargon:info'));
  assert.ok(!codes({ ...DEFAULT_CONFIG, rules: { 'tone-jargon': { severity: 'off' } } }).some((c) => c.startsWith('tone-jargon')));
  assert.ok(codes({ ...DEFAULT_CONFIG, rules: { 'tone-jargon': { severity: 'error' } } }).includes('tone-jargon:error'));
  // A threshold below the response's plain-language score silences the rule.
  assert.ok(!codes({ ...DEFAULT_CONFIG, rules: { 'tone-jargon': { threshold: 0.1 } } }).some((c) => c.startsWith('tone-jargon')));
  assert.ok(!codes({ ...DEFAULT_CONFIG, allow: ['hypertension'] }).some((c) => c.startsWith('tone-jargon')));
});

test('hover info: token counts per field with the configured encoding, tone per side with the weakest axis', () => {
  const record = { prompt: 'My mum is scared of falling.', chosen: 'That sounds frightening for her. A grab rail and good lighting can help.', rejected: 'Install rails. Obviously.' };
  const info = recordHoverInfo(record, 'trl-standard', DEFAULT_CONFIG)!;
  assert.deepEqual(
    info.tokens.map((t) => [t.field, t.tokens]),
    [
      ['prompt', tokenizer('o200k_base').count(record.prompt)],
      ['chosen', tokenizer('o200k_base').count(record.chosen)],
      ['rejected', tokenizer('o200k_base').count(record.rejected)],
    ],
  );
  for (const side of info.sides) {
    const axes = ['empathy', 'politeness', 'simplicity', 'nonPrescriptive', 'plainLanguage', 'respect'] as const;
    assert.equal(side.scores[side.weakest], Math.min(...axes.map((a) => side.scores[a])));
  }
  // The rejected reply is curt (three words, a bare order): politeness is its weakest axis.
  assert.equal(info.sides[1].weakest, 'politeness');
  assert.ok(info.sides[0].scores.tone > info.sides[1].scores.tone);
  const md = hoverMarkdown(info);
  assert.match(md, /Weakest in rejected: \*\*politeness\*\*/);
  assert.ok(!md.includes('Obviously'), 'no dataset text in the hover');
  const cl = recordHoverInfo(record, 'trl-standard', { ...DEFAULT_CONFIG, encoding: 'cl100k_base' })!;
  assert.equal(cl.tokens[1].tokens, tokenizer('cl100k_base').count(record.chosen));
  const openai = recordHoverInfo({ input: { messages: [{ role: 'user', content: 'Hi' }] }, preferred_output: [{ role: 'assistant', content: 'Hello!' }], non_preferred_output: [{ role: 'assistant', content: 'What.' }] }, 'openai-preference', DEFAULT_CONFIG)!;
  assert.deepEqual(openai.tokens.map((t) => t.field), ['input.messages', 'preferred_output', 'non_preferred_output']);
  assert.equal(recordHoverInfo({ nothing: 1 }, undefined, DEFAULT_CONFIG), undefined);
});

const fixtures = path.join(__dirname, '..', 'fixtures', 'tone');

test('CLI score --format json: one object per record with every axis', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-score-'));
  fs.writeFileSync(path.join(dir, 'd.jsonl'), `${fs.readFileSync(path.join(fixtures, 'standard.jsonl'), 'utf8').split('\n').slice(0, 3).join('\n')}\n\n{bad\n`);
  const r = await cli(['score', '--format', 'json', 'd.jsonl'], dir);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((x) => x.line), [1, 2, 3, 5]);
  for (const row of rows.slice(0, 3)) {
    assert.deepEqual(Object.keys(row.chosen).sort(), ['empathy', 'nonPrescriptive', 'plainLanguage', 'politeness', 'respect', 'simplicity', 'tone']);
    assert.ok(row.chosen.tone > row.rejected.tone, `line ${row.line}`);
    // The empathy breakdown names the attention layer's share of the score beside the three mechanisms.
    assert.deepEqual(Object.keys(row.empathyMechanisms.chosen).sort(), ['attention', 'echoes', 'explorations', 'interpretations', 'names', 'reactions', 'score']);
  }
  assert.match(rows[3].error, /Invalid JSON/);
  // An empty response scores null, not zeros; a record in another layout than the file's is an error, not zeros.
  fs.writeFileSync(
    path.join(dir, 'e.jsonl'),
    `${JSON.stringify({ prompt: 'Hi, my dad is unwell.', chosen: 'I am sorry to hear that. How can I help today?', rejected: '  ' })}\n${JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] })}\n`,
  );
  const mixed = (await cli(['score', '--format', 'json', 'e.jsonl'], dir)).stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(mixed[0].rejected, null);
  assert.ok(mixed[0].chosen.tone > 0);
  assert.deepEqual(mixed[1], { line: 2, error: 'This record is laid out as Chat messages, but the file is TRL preference (standard)' });
  const bad = await cli(['score', '--format', 'xml', 'd.jsonl'], dir);
  assert.equal(bad.code, 2);
  assert.equal((await cli(['score', 'missing.jsonl'], dir)).code, 2);
});

test('CLI stats: records, format, token percentiles, mean scores, chosen-better share, length bias, shortcuts', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-stats-'));
  const lines = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({ prompt: `How can I help my mum with task ${i}?`, chosen: `I'm so sorry this is hard. Option ${i} can help, and her care team can suggest more ideas ${i}.`, rejected: `Do task ${i}.` }),
  );
  fs.writeFileSync(path.join(dir, 'd.jsonl'), `${lines.join('\n')}\n`);
  const json = await cli(['stats', '--format', 'json', 'd.jsonl'], dir);
  assert.equal(json.code, 0, json.stderr);
  const s = JSON.parse(json.stdout).files[0];
  assert.equal(s.records, 30);
  assert.equal(s.format, 'trl-standard');
  assert.equal(s.tokens.rejected.count, 30);
  assert.ok(s.tokens.chosen.p50 > s.tokens.rejected.p50 && s.tokens.chosen.p99 >= s.tokens.chosen.p90);
  assert.ok(s.meanScores.chosen.tone > s.meanScores.rejected.tone);
  assert.equal(s.chosenBetter, 1);
  assert.equal(s.lengthBias.share, 1);
  assert.ok(s.shortcuts.some((p: { phrase: string; side: string }) => p.phrase === 'i am so sorry' && p.side === 'chosen'));
  const text = await cli(['stats', 'd.jsonl'], dir);
  assert.match(text.stdout, /records: 30/);
  assert.match(text.stdout, /format: TRL preference \(standard\)/);
  assert.match(text.stdout, /chosen outscores rejected: 100% of 30 pairs/);
  assert.match(text.stdout, /"i am so sorry" \(opening a sentence\): chosen 30\/30/);
});

test('stats counts the pairs the tone note of check counts: identical and non-English sides are not compared', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-stats-pairs-'));
  const lines = Array.from({ length: 24 }, (_, i) =>
    JSON.stringify({ prompt: `How do I keep my dad's pills in order, week ${i}?`, chosen: `A weekly pill box helps, week ${i}.`, rejected: `Obviously just buy a pill box, week ${i}. Not hard.` }),
  );
  // The same text on both sides, and a pair in Spanish: neither can be compared on tone.
  lines.push(JSON.stringify({ prompt: 'How do I keep his pills in order?', chosen: 'Use a weekly pill box.', rejected: 'Use a weekly pill box.' }));
  lines.push(JSON.stringify({ prompt: '¿Cómo organizo sus pastillas?', chosen: 'Un pastillero semanal ayuda mucho, y la farmacia puede prepararlo cada semana.', rejected: 'Compra un pastillero, no es tan difícil de entender para nadie.' }));
  fs.writeFileSync(path.join(dir, 'd.jsonl'), `${lines.join('\n')}\n`);
  const stats = JSON.parse((await cli(['stats', '--format', 'json', 'd.jsonl'], dir)).stdout).files[0];
  assert.equal(stats.records, 26);
  assert.equal(stats.pairs, 24);
  // check's tone note names its pair count when it fires; with the threshold at 1 it always does.
  fs.writeFileSync(path.join(dir, '.dialoguecurator.json'), JSON.stringify({ rules: { 'dataset-tone-unseparated': { threshold: 1 } } }));
  const check = JSON.parse((await cli(['check', '--format', 'json', 'd.jsonl'], dir)).stdout).files[0];
  const note = check.findings.find((f: { code: string }) => f.code === 'dataset-tone-unseparated');
  assert.ok(note, 'the tone note');
  assert.match(note.message, / of 24 pairs/);
});
