import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { recordRules } from '../../src/core/curation';
import { analyzeRecord } from '../../src/core/curation/recordAnalysis';
import { checkText } from '../../src/core/engine';
import { classifyRecord } from '../../src/core/formats';

/**
 * Labelled fixtures written by the team: every record lists in `expect` the codes that must fire
 * on it with the default config; any other code on it is a false positive.
 */
const DIR = path.join(__dirname, '..', 'fixtures', 'tone');
/** The whole labelled set may produce at most this many unexpected findings. */
const FALSE_POSITIVE_BUDGET = 2;
const CURATION = /^(tone|pair|conversation|tokens)-/;

interface Labelled {
  file: string;
  line: number;
  record: Record<string, unknown> & { expect: string[]; note: string };
}

function load(): Labelled[] {
  const out: Labelled[] = [];
  for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).sort()) {
    fs.readFileSync(path.join(DIR, file), 'utf8')
      .split('\n')
      .forEach((l, i) => {
        if (l.trim()) out.push({ file, line: i, record: JSON.parse(l) });
      });
  }
  return out;
}

const all = load();

test('the labelled set has at least 60 pairs, single- and multi-turn, in every format', () => {
  const pairs = all.filter((x) => 'rejected' in x.record || 'non_preferred_output' in x.record);
  assert.ok(pairs.length >= 60, `only ${pairs.length} pairs`);
  const formats = new Set(all.map((x) => classifyRecord(x.record)));
  for (const f of ['trl-standard', 'trl-conversational', 'trl-implicit', 'openai-preference', 'hh-rlhf', 'chat-messages']) assert.ok(formats.has(f as never), `no ${f} fixture`);
  const multiTurn = all.filter((x) => Array.isArray(x.record.prompt) && (x.record.prompt as unknown[]).length > 1);
  assert.ok(multiTurn.length >= 5, 'multi-turn fixtures');
});

test('every tone, pair and conversation rule is exercised: some fixtures must fire it, others must not', () => {
  const expected = new Set(all.flatMap((x) => x.record.expect));
  for (const code of ['tone-empathy', 'tone-politeness', 'tone-simplicity', 'tone-prescriptive', 'tone-jargon', 'tone-respect', 'pair-inverted', 'pair-identical', 'pair-near-identical', 'pair-empty', 'conversation-role-order', 'conversation-prompt-end', 'conversation-response-role']) {
    assert.ok(expected.has(code), `no fixture expects ${code}`);
    assert.ok(all.some((x) => !x.record.expect.includes(code)), `every fixture expects ${code}`);
  }
});

test('labelled fixtures: every expected finding fires, false positives stay within the budget', () => {
  const missing: string[] = [];
  const extra: string[] = [];
  for (const file of new Set(all.map((x) => x.file))) {
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    const { findings } = checkText(text, { recordRules, datasetRules: [] });
    assert.ok(!findings.some((f) => f.code === 'schema'), `${file} has schema errors`);
    for (const x of all.filter((y) => y.file === file)) {
      const got = new Set(findings.filter((f) => f.line === x.line && CURATION.test(f.code)).map((f) => f.code));
      for (const code of x.record.expect) if (!got.has(code)) missing.push(`${file}:${x.line + 1} ${code} (${x.record.note})`);
      for (const code of got) if (!x.record.expect.includes(code)) extra.push(`${file}:${x.line + 1} ${code} (${x.record.note})`);
    }
  }
  assert.deepEqual(missing, [], 'expected findings that did not fire');
  assert.ok(extra.length <= FALSE_POSITIVE_BUDGET, `false positives over budget (${extra.length} > ${FALSE_POSITIVE_BUDGET}):\n${extra.join('\n')}`);
});

test('scores stay in [0, 1] and chosen outscores rejected in the pairs labelled correct', () => {
  let correct = 0;
  let agree = 0;
  for (const x of all) {
    const a = analyzeRecord(x.record, classifyRecord(x.record), DEFAULT_CONFIG);
    assert.ok(a, `${x.file}:${x.line + 1} unreadable`);
    for (const side of [a.chosen, a.rejected]) {
      if (!side) continue;
      for (const [axis, v] of Object.entries(side.tone.scores)) assert.ok(v >= 0 && v <= 1, `${axis} = ${v}`);
    }
    if (!a.rejected || !a.rejected.tone.words || !a.chosen.tone.words || a.chosen.text === a.rejected.text) continue;
    const inverted = x.record.expect.includes('pair-inverted');
    if (inverted) {
      assert.ok(a.rejected.tone.scores.tone > a.chosen.tone.scores.tone, `${x.file}:${x.line + 1} inverted pair not scored inverted`);
      continue;
    }
    correct++;
    if (a.chosen.tone.scores.tone > a.rejected.tone.scores.tone) agree++;
  }
  assert.ok(agree / correct >= 0.9, `chosen outscores rejected in only ${agree}/${correct} correct pairs`);
});

test('rejected responses get no tone findings unless lintRejected is on', () => {
  const text = fs.readFileSync(path.join(DIR, 'standard.jsonl'), 'utf8');
  const off = checkText(text, { recordRules, datasetRules: [] }).findings.filter((f) => f.code.startsWith('tone-') && f.field?.startsWith('rejected'));
  assert.equal(off.length, 0);
  const on = checkText(text, { recordRules, datasetRules: [], config: { ...DEFAULT_CONFIG, lintRejected: true } }).findings.filter((f) => f.code.startsWith('tone-') && f.field?.startsWith('rejected'));
  assert.ok(on.length >= 10, `only ${on.length} findings on rejected responses`);
  assert.ok(on.some((f) => f.code === 'tone-respect') && on.some((f) => f.code === 'tone-jargon') && on.some((f) => f.code === 'tone-prescriptive'));
});
