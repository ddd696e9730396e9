// The tone model against the labelled evaluation set (test/fixtures/tone-eval): the set keeps its
// shape, and the test split's figures never get worse than the recorded budget.
//
// Updating the budget: when a change to the tone model improves the figures (or trades one figure
// for a better one, knowingly), run `npm run eval:tone -- --write-budget`, read the printed
// report, and commit test/fixtures/tone-eval/budget.json with the change, saying in the commit
// which figures moved and why. Tune on the dev split (`npm run eval:tone -- --split dev
// --details`); the test split is for measuring, so its pairs never steer a lexicon entry.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { Budget, BUDGET_FILE, budgetFigures, budgetRegressions, CLASSES, evaluate, evaluatePair, EvalPair, loadPairs, TONE_RULE_CODES } from '../../bench/eval-tone';
import { TONE_AXES } from '../../src/core/tone/analyze';

const dev = loadPairs('dev');
const testSplit = loadPairs('test');
const all = [...dev, ...testSplit];
/** Every pair of every split (the figures-only splits are checked for shape and ids, never printed). */
const everySplit = [...all, ...loadPairs('holdout'), ...loadPairs('blind')];

/** The smallest number of pairs per class (the two the set was built around need more). */
const MIN_PER_CLASS: Record<string, number> = { 'acknowledgement-only': 40, 'kind-vs-sarcastic': 30 };

test('the evaluation set: at least 300 pairs, every class in both splits, a quarter multi-turn', () => {
  assert.ok(all.length >= 300, `only ${all.length} pairs`);
  for (const cls of CLASSES) {
    const inDev = dev.filter((p) => p.class === cls).length;
    const inTest = testSplit.filter((p) => p.class === cls).length;
    assert.ok(inDev > 0 && inTest > 0, `${cls}: ${inDev} dev, ${inTest} test`);
    assert.ok(inDev + inTest >= (MIN_PER_CLASS[cls] ?? 12), `${cls}: only ${inDev + inTest} pairs`);
  }
  assert.deepEqual(all.filter((p) => !(CLASSES as readonly string[]).includes(p.class)).map((p) => p.id), [], 'pairs of unknown classes');
  const multiTurn = all.filter((p) => Array.isArray(p.prompt)).length;
  assert.ok(multiTurn >= all.length / 4, `only ${multiTurn} multi-turn pairs`);
});

test('the evaluation set: records are well formed and labelled with real tone rule codes', () => {
  const axes: readonly string[] = [...TONE_AXES, 'overall'];
  const problems: string[] = [];
  for (const p of everySplit) {
    if (!p.id || !p.topic || !p.chosen.trim() || !p.rejected.trim()) problems.push(`${p.id}: empty field`);
    if (!axes.includes(p.axis)) problems.push(`${p.id}: axis ${p.axis}`);
    if (Array.isArray(p.prompt)) {
      const roles = p.prompt.map((m) => m.role).join(',');
      if (!/^user(,assistant,user)*$/.test(roles)) problems.push(`${p.id}: prompt roles ${roles}`);
    } else if (typeof p.prompt !== 'string' || !p.prompt.trim()) problems.push(`${p.id}: prompt`);
    for (const side of ['chosen', 'rejected'] as const) {
      const { fire, quiet } = p.expect[side];
      for (const code of [...fire, ...quiet]) if (!TONE_RULE_CODES.includes(code)) problems.push(`${p.id} ${side}: ${code} is not a tone rule`);
      for (const code of fire) if (quiet.includes(code)) problems.push(`${p.id} ${side}: ${code} both fires and stays quiet`);
    }
  }
  assert.deepEqual(problems, []);
});

test('no two pairs of any split share an id; dev and test share no (prompt, chosen) text', () => {
  const ids = everySplit.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  const key = (p: EvalPair) => JSON.stringify([p.prompt, p.chosen]);
  const devKeys = new Set(dev.map(key));
  assert.deepEqual(testSplit.filter((p) => devKeys.has(key(p))).map((p) => p.id), []);
});

test('findings are attributed to the response they are about, in both record shapes', () => {
  const base: Omit<EvalPair, 'prompt' | 'chosen' | 'rejected'> = { id: 'probe', class: 'kind-vs-dismissive', axis: 'respect', topic: 'elder care', split: 'test', expect: { chosen: { fire: [], quiet: [] }, rejected: { fire: [], quiet: [] } } };
  const chosen = "That sounds really worrying, and it makes sense you feel shaken. A falls clinic can look at her balance, and it may help to ask her GP for a check.";
  const rejected = 'Calm down, it is nothing. STOP FUSSING!!';
  const prompts: EvalPair['prompt'][] = [
    "Mum fell again and I'm so worried.",
    [
      { role: 'user', content: 'My mum is 88.' },
      { role: 'assistant', content: 'How can I help?' },
      { role: 'user', content: "She fell again and I'm so worried." },
    ],
  ];
  for (const prompt of prompts) {
    const r = evaluatePair({ ...base, prompt, chosen, rejected });
    assert.deepEqual([...r.chosen.codes], [], 'the kind response gets nothing');
    assert.ok(r.rejected.codes.has('tone-respect') && r.rejected.warned, `rejected: ${[...r.rejected.codes]}`);
    assert.ok(r.chosen.scores.tone > r.rejected.scores.tone);
  }
});

test('the test split keeps the budget: precision, recall and ranking only rise; ties, warnings and quiet violations only fall', () => {
  const budget = JSON.parse(fs.readFileSync(BUDGET_FILE, 'utf8')) as Budget;
  assert.equal(budget.split, 'test');
  const report = evaluate('test', testSplit);
  const figures = budgetFigures(report);
  const unbudgeted = [...Object.keys(figures.mayOnlyRise).filter((k) => !(k in budget.mayOnlyRise)), ...Object.keys(figures.mayOnlyFall).filter((k) => !(k in budget.mayOnlyFall))];
  assert.deepEqual(unbudgeted, [], 'figures missing from budget.json: run npm run eval:tone -- --write-budget');
  assert.deepEqual(budgetRegressions(report, budget), [], 'the tone model got worse on the evaluation set (see the comment at the top of this file)');
  // The comparison itself can fail: a budget a hair above today's precision is a regression.
  const stricter = { ...budget, mayOnlyRise: { ...budget.mayOnlyRise, 'precision tone-respect': (figures.mayOnlyRise['precision tone-respect'] ?? 0) + 0.01 } };
  assert.equal(budgetRegressions(report, stricter).length, 1);
});
