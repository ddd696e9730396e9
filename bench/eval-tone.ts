/**
 * `npm run eval:tone`: measures the tone model against the labelled evaluation set in
 * test/fixtures/tone-eval (see its README). Everything is the product's own engine: the findings
 * come from `checkText` with the real record and dataset rules (and `lintRejected` on, so both
 * sides of each pair are linted), and the scores from `analyzeRecord`, the record analysis those
 * rules share: each response is scored as the product scores it, with the prompt's reading
 * (`readPrompt` over the user turns) and cut as the product cuts it (`responsePrefix`), so
 * prompt-aware readings (naming the feeling the person expressed, taking up their words, sarcasm
 * that hands their words back, a short answer to a short question) move the rankings too.
 * Prints, for one split:
 *   - per tone rule, precision and recall over every response of the split (tp/fp/fn);
 *   - per axis, how often the chosen response outscores the rejected one on the pair's axis
 *     ("ranked right") and how often they tie; the same on the overall tone score over all pairs
 *     and over the sarcastic, curt and dismissive pairs;
 *   - the share of chosen responses with a tone warning (the false-alarm rate), per class;
 *   - per false-alarm class, how many `quiet` expectations the engine broke.
 * Options: --split test|dev|holdout|blind|all (default test; all = dev and test), --json (one JSON
 * object; not for holdout or blind), --details (every missed and false finding, by pair; not for holdout or blind), --write-budget (evaluate the test split and record its
 * figures in test/fixtures/tone-eval/budget.json, which test/unit/toneEval.test.ts holds the
 * engine to). Tune on dev; test is for measuring.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_CONFIG } from '../src/core/config';
import { datasetRules, KNOWN_RULE_IDS, recordRules } from '../src/core/curation';
import { analyzeRecord } from '../src/core/curation/recordAnalysis';
import { checkText } from '../src/core/engine';
import { Finding } from '../src/core/findings';
import { classifyRecord } from '../src/core/formats';
import { TONE_AXES, ToneAxis, ToneScores } from '../src/core/tone/analyze';

export const EVAL_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'tone-eval');
export const BUDGET_FILE = path.join(EVAL_DIR, 'budget.json');

/** dev: tune on it, read its details. holdout: dev pairs by another hand, for a tuner to see
 * whether a change carries over to pairs it never read (figures only, never details; read as
 * figures by many rounds, so no longer blind). blind: pairs by yet another hand that no tuner sees
 * in any form (the lead reads its figures after a round). test: measuring only. */
export type SplitName = 'dev' | 'holdout' | 'blind' | 'test';
/** The splits whose pairs the report never shows (figures only). */
const FIGURES_ONLY: readonly SplitName[] = ['holdout', 'blind'];
export type Split = SplitName | 'all';
export type PairAxis = ToneAxis | 'overall';

/** Every tone rule code a label may name (`tone-language` included: it must stay quiet on this English set). */
export const TONE_RULE_CODES: readonly string[] = KNOWN_RULE_IDS.filter((id) => id.startsWith('tone-'));
/** The rules a reader can judge from the text, which the per-rule table reports (not the notes that a rule skipped or cut a response). */
export const JUDGED_RULE_CODES: readonly string[] = TONE_RULE_CODES.filter((id) => id !== 'tone-language' && id !== 'tone-truncated');

/** The classes the set must cover (see the README); the `fa-` ones are false-alarm checks on the chosen side. */
export const CLASSES = [
  'acknowledgement-only',
  'kind-vs-sarcastic',
  'kind-vs-curt',
  'kind-vs-dismissive',
  'plain-vs-jargon',
  'simple-vs-complex',
  'gentle-vs-prescriptive',
  'polite-vs-rude',
  'fa-acronyms',
  'fa-reassurance',
  'fa-gentle-instruction',
  'fa-short-answer',
  'fa-sad-subject',
  'fa-phrase-grammar',
  'fa-careful-refusal',
] as const;
export type PairClass = (typeof CLASSES)[number];
export const FALSE_ALARM_CLASSES: readonly PairClass[] = CLASSES.filter((c) => c.startsWith('fa-'));
/** The overall tone is also reported on these classes alone: the rejected side is unkind in a way any reader sees. */
export const UNKIND_CLASSES: readonly PairClass[] = ['kind-vs-sarcastic', 'kind-vs-curt', 'kind-vs-dismissive'];

export interface Message {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

export interface Expectation {
  /** Codes a careful reader says should fire on this response. */
  fire: string[];
  /** Codes that must not fire (the ones a naive tool might fire wrongly). Unlabelled codes count as "should not fire" too. */
  quiet: string[];
}

export interface EvalPair {
  id: string;
  class: PairClass;
  axis: PairAxis;
  topic: string;
  prompt: string | Message[];
  chosen: string;
  rejected: string;
  expect: { chosen: Expectation; rejected: Expectation };
  note?: string;
  /** Which file the pair came from. */
  split: SplitName;
}

type Side = 'chosen' | 'rejected';
const SIDES: readonly Side[] = ['chosen', 'rejected'];

/** Reads one split (or both) of the evaluation set. */
export function loadPairs(split: Split, dir = EVAL_DIR): EvalPair[] {
  const names: SplitName[] = split === 'all' ? ['dev', 'test'] : [split];
  return names.flatMap((name) =>
    fs
      .readFileSync(path.join(dir, `${name}.jsonl`), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => ({ ...(JSON.parse(line) as Omit<EvalPair, 'split'>), split: name })),
  );
}

/** The pair as a TRL record: standard for a text prompt, conversational for a list of messages. */
export function trlRecord(pair: Pick<EvalPair, 'prompt' | 'chosen' | 'rejected'>): object {
  if (typeof pair.prompt === 'string') return { prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected };
  return { prompt: pair.prompt, chosen: [{ role: 'assistant', content: pair.chosen }], rejected: [{ role: 'assistant', content: pair.rejected }] };
}

export interface SideResult {
  /** Tone codes the engine reported on this response. */
  codes: Set<string>;
  /** Whether any of them is a warning (the severity a user sees as a problem). */
  warned: boolean;
  scores: ToneScores;
}

export interface PairResult {
  pair: EvalPair;
  chosen: SideResult;
  rejected: SideResult;
}

const LINT_BOTH_SIDES = { ...DEFAULT_CONFIG, lintRejected: true };

/** Which response a finding is about: its field (`chosen`, `rejected[0].content`), else the side its message names. */
function sideOf(f: Finding): Side | undefined {
  for (const side of SIDES) if (f.field === side || f.field?.startsWith(`${side}[`) || f.field?.startsWith(`${side}.`)) return side;
  for (const side of SIDES) if (f.message.includes(`the ${side} response`)) return side;
  return undefined;
}

/**
 * Runs the engine on one pair: a one-record TRL file through `checkText`, and the product's record
 * analysis (`analyzeRecord`: each response scored with the prompt's reading) for the scores.
 */
export function evaluatePair(pair: EvalPair): PairResult {
  const record = trlRecord(pair);
  const { findings } = checkText(`${JSON.stringify(record)}\n`, { recordRules, datasetRules, config: LINT_BOTH_SIDES });
  const analysis = analyzeRecord(record, classifyRecord(record), LINT_BOTH_SIDES);
  if (!analysis?.rejected) throw new Error(`${pair.id}: the record analysis cannot read the pair`);
  const sides = { chosen: analysis.chosen, rejected: analysis.rejected };
  const result = (side: Side): SideResult => ({ codes: new Set(), warned: false, scores: sides[side].tone.scores });
  const out: PairResult = { pair, chosen: result('chosen'), rejected: result('rejected') };
  for (const f of findings) {
    if (!f.code.startsWith('tone-')) continue;
    const side = sideOf(f);
    if (!side) throw new Error(`${pair.id}: cannot tell which response ${f.code} is about (${f.field ?? 'no field'}: ${f.message})`);
    out[side].codes.add(f.code);
    if (f.severity === 'warning') out[side].warned = true;
  }
  return out;
}

export interface RuleFigures {
  tp: number;
  fp: number;
  fn: number;
  /** tp / (tp + fp); null when the rule never fired. */
  precision: number | null;
  /** tp / (tp + fn); null when no response should fire it. */
  recall: number | null;
}

export interface RankFigures {
  pairs: number;
  /** Share of pairs where chosen scores strictly higher than rejected. */
  rankedRight: number | null;
  /** Share of pairs where the two scores are equal. */
  ties: number | null;
}

export interface WarnFigures {
  pairs: number;
  warned: number;
  share: number | null;
}

export interface QuietFigures {
  expectations: number;
  violated: number;
  /** `id side code` of each violation. */
  violations: string[];
}

export interface Mismatch {
  id: string;
  side: Side;
  code: string;
  kind: 'missed' | 'false' | 'false (quiet)';
}

export interface EvalReport {
  split: Split;
  pairs: number;
  responses: number;
  rules: Record<string, RuleFigures>;
  /** Pairs grouped by their `axis` label, each compared on that axis (`overall` on the tone score). */
  axes: Record<string, RankFigures>;
  /** The overall tone score: over all pairs (`all`) and over each unkind class. */
  overall: Record<string, RankFigures>;
  warned: { all: WarnFigures; byClass: Record<string, WarnFigures> };
  quiet: Record<string, QuietFigures>;
  /** Findings of tone-language (the set is English: any is a false alarm). */
  languageNotes: number;
  mismatches: Mismatch[];
  milliseconds: number;
}

const ratio = (a: number, b: number): number | null => (b ? a / b : null);
/** Scores are floats from the same code on different text: equal means equal to within rounding noise. */
const TIE = 1e-9;

function rank(results: readonly PairResult[], score: (s: ToneScores) => number): RankFigures {
  let right = 0;
  let ties = 0;
  for (const r of results) {
    const d = score(r.chosen.scores) - score(r.rejected.scores);
    if (Math.abs(d) <= TIE) ties++;
    else if (d > 0) right++;
  }
  return { pairs: results.length, rankedRight: ratio(right, results.length), ties: ratio(ties, results.length) };
}

function warnedShare(results: readonly PairResult[]): WarnFigures {
  const warned = results.filter((r) => r.chosen.warned).length;
  return { pairs: results.length, warned, share: ratio(warned, results.length) };
}

/** Evaluates a split of the set (or the given pairs) and gathers every figure. */
export function evaluate(split: Split = 'test', pairs: EvalPair[] = loadPairs(split)): EvalReport {
  const started = performance.now();
  const results = pairs.map(evaluatePair);

  const rules: Record<string, RuleFigures> = {};
  const mismatches: Mismatch[] = [];
  for (const code of JUDGED_RULE_CODES) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      for (const side of SIDES) {
        const want = r.pair.expect[side].fire.includes(code);
        const got = r[side].codes.has(code);
        if (want && got) tp++;
        else if (got) {
          fp++;
          mismatches.push({ id: r.pair.id, side, code, kind: r.pair.expect[side].quiet.includes(code) ? 'false (quiet)' : 'false' });
        } else if (want) {
          fn++;
          mismatches.push({ id: r.pair.id, side, code, kind: 'missed' });
        }
      }
    }
    rules[code] = { tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
  }
  let languageNotes = 0;
  for (const r of results) for (const side of SIDES) if (r[side].codes.has('tone-language')) languageNotes++;

  const axes: Record<string, RankFigures> = {};
  for (const axis of [...TONE_AXES, 'overall'] as const) {
    const labelled = results.filter((r) => r.pair.axis === axis);
    if (labelled.length) axes[axis] = rank(labelled, (s) => s[axis === 'overall' ? 'tone' : axis]);
  }
  const overall: Record<string, RankFigures> = { all: rank(results, (s) => s.tone) };
  for (const cls of UNKIND_CLASSES) {
    const of = results.filter((r) => r.pair.class === cls);
    if (of.length) overall[cls] = rank(of, (s) => s.tone);
  }

  const byClass: Record<string, WarnFigures> = {};
  const quiet: Record<string, QuietFigures> = {};
  for (const cls of CLASSES) {
    const of = results.filter((r) => r.pair.class === cls);
    if (!of.length) continue;
    byClass[cls] = warnedShare(of);
    if (!FALSE_ALARM_CLASSES.includes(cls)) continue;
    const q: QuietFigures = { expectations: 0, violated: 0, violations: [] };
    for (const r of of) {
      for (const side of SIDES) {
        for (const code of r.pair.expect[side].quiet) {
          q.expectations++;
          if (r[side].codes.has(code)) {
            q.violated++;
            q.violations.push(`${r.pair.id} ${side} ${code}`);
          }
        }
      }
    }
    quiet[cls] = q;
  }

  return {
    split,
    pairs: results.length,
    responses: results.length * 2,
    rules,
    axes,
    overall,
    warned: { all: warnedShare(results), byClass },
    quiet,
    languageNotes,
    mismatches,
    milliseconds: Math.round(performance.now() - started),
  };
}

// ---- The budget: figures that may only improve ----

export interface Budget {
  split: SplitName;
  /** Precision, recall and ranked-right shares: the current value may not fall below these. */
  mayOnlyRise: Record<string, number | null>;
  /** Tie shares, warned shares and quiet violations: the current value may not rise above these. */
  mayOnlyFall: Record<string, number | null>;
}

/** The report's budgeted figures under stable names (`precision tone-empathy`, `ties empathy`, ...). */
export function budgetFigures(report: EvalReport): Omit<Budget, 'split'> {
  const rise: Record<string, number | null> = {};
  const fall: Record<string, number | null> = {};
  for (const [code, r] of Object.entries(report.rules)) {
    rise[`precision ${code}`] = r.precision;
    rise[`recall ${code}`] = r.recall;
  }
  for (const [axis, r] of Object.entries(report.axes)) {
    rise[`ranked right ${axis}`] = r.rankedRight;
    fall[`ties ${axis}`] = r.ties;
  }
  for (const [group, r] of Object.entries(report.overall)) {
    rise[`ranked right tone ${group}`] = r.rankedRight;
    fall[`ties tone ${group}`] = r.ties;
  }
  fall['warned chosen all'] = report.warned.all.share;
  for (const [cls, w] of Object.entries(report.warned.byClass)) fall[`warned chosen ${cls}`] = w.share;
  for (const [cls, q] of Object.entries(report.quiet)) fall[`quiet violations ${cls}`] = q.violated;
  fall['tone-language notes'] = report.languageNotes;
  return { mayOnlyRise: rise, mayOnlyFall: fall };
}

/** Slack for float noise: a figure equal to its budget passes. */
const SLACK = 1e-9;

/** Every budgeted figure that got worse, as a readable line (empty when the report keeps the budget). */
export function budgetRegressions(report: EvalReport, budget: Budget): string[] {
  const now = budgetFigures(report);
  const out: string[] = [];
  const check = (name: string, limit: number | null, value: number | null | undefined, rise: boolean) => {
    if (limit === null) return;
    if (value === null || value === undefined) {
      out.push(`${name}: no longer measured (budget ${fmt(limit)})`);
      return;
    }
    if (rise ? value < limit - SLACK : value > limit + SLACK) out.push(`${name}: ${fmt(value)}, ${rise ? 'below' : 'above'} the budget ${fmt(limit)}`);
  };
  for (const [name, limit] of Object.entries(budget.mayOnlyRise)) check(name, limit, now.mayOnlyRise[name], true);
  for (const [name, limit] of Object.entries(budget.mayOnlyFall)) check(name, limit, now.mayOnlyFall[name], false);
  return out;
}

// ---- Printing ----

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'n/a';
  return Number.isInteger(x) ? String(x) : x.toFixed(3);
}

const pct = (x: number | null): string => (x === null ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)}%`);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')).join('\n');
}

export function formatReport(report: EvalReport, details = false): string {
  const lines: string[] = [];
  lines.push(`Tone evaluation, ${report.split} split: ${report.pairs} pairs, ${report.responses} responses (${report.milliseconds} ms)`);
  lines.push('', 'Rules (over every response; unlabelled counts as "should not fire"):');
  lines.push(
    table([
      ['rule', 'precision', 'recall', 'tp', 'fp', 'fn'],
      ...Object.entries(report.rules).map(([code, r]) => [code, pct(r.precision), pct(r.recall), String(r.tp), String(r.fp), String(r.fn)]),
    ]),
  );
  if (report.languageNotes) lines.push(`tone-language notes on this English set: ${report.languageNotes}`);
  lines.push('', 'Axes (pairs labelled with the axis; chosen vs rejected on that axis, overall = tone score):');
  lines.push(table([['axis', 'pairs', 'ranked right', 'ties'], ...Object.entries(report.axes).map(([a, r]) => [a, String(r.pairs), pct(r.rankedRight), pct(r.ties)])]));
  lines.push('', 'Overall tone score:');
  lines.push(table([['pairs', 'n', 'ranked right', 'ties'], ...Object.entries(report.overall).map(([g, r]) => [g, String(r.pairs), pct(r.rankedRight), pct(r.ties)])]));
  lines.push('', 'Chosen responses with a tone warning (false-alarm rate):');
  lines.push(
    table([
      ['class', 'pairs', 'warned', 'share'],
      ['all', String(report.warned.all.pairs), String(report.warned.all.warned), pct(report.warned.all.share)],
      ...Object.entries(report.warned.byClass).map(([c, w]) => [c, String(w.pairs), String(w.warned), pct(w.share)]),
    ]),
  );
  lines.push('', 'False-alarm classes: quiet expectations violated (both sides):');
  lines.push(
    table([
      ['class', 'expectations', 'violated'],
      ...Object.entries(report.quiet).map(([c, q]) => [c, String(q.expectations), String(q.violated)]),
    ]),
  );
  for (const [cls, q] of Object.entries(report.quiet)) if (q.violations.length) lines.push(`  ${cls}: ${q.violations.join(', ')}`);
  if (details) {
    lines.push('', 'Mismatches (id side code):');
    for (const m of report.mismatches) lines.push(`  ${m.kind.padEnd(13)} ${m.id} ${m.side} ${m.code}`);
  }
  return lines.join('\n');
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (argv.includes('--write-budget')) {
    const report = evaluate('test');
    const budget: Budget = { split: 'test', ...budgetFigures(report) };
    fs.writeFileSync(BUDGET_FILE, `${JSON.stringify(budget, null, 2)}\n`);
    console.log(`${formatReport(report)}\n\nBudget written to ${path.relative(process.cwd(), BUDGET_FILE)}.`);
    return;
  }
  const split = (arg('--split') ?? 'test') as Split;
  if (!['dev', 'holdout', 'blind', 'test', 'all'].includes(split)) throw new Error(`--split must be dev, holdout, blind, test or all, not ${split}`);
  if ((FIGURES_ONLY as readonly string[]).includes(split) && (argv.includes('--details') || argv.includes('--json'))) {
    throw new Error(`the ${split} split prints its figures only: --details and --json would show its pairs to the tuner`);
  }
  const report = evaluate(split);
  if (argv.includes('--json')) console.log(JSON.stringify(report, null, 2));
  else console.log(formatReport(report, argv.includes('--details')));
}

if (require.main === module) main(process.argv.slice(2));
