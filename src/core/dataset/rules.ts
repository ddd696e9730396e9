import { ruleFinding, ruleOff, ruleThreshold } from '../curation/meta';
import { DatasetRule, RecordEntry, RuleContext } from '../engine';
import { Finding, RelatedLocation } from '../findings';
import { readFacts, RecordFacts } from './facts';
import { describePhrase, findShortcuts } from './shortcuts';

/** At most this many other occurrences are attached to one finding. */
const MAX_RELATED = 10;
/** Length bias needs this many pairs with different lengths before it says anything. */
export const MIN_BIAS_PAIRS = 20;

interface Fact {
  line: number;
  f: RecordFacts;
}

function facts(records: readonly RecordEntry[]): Fact[] {
  const out: Fact[] = [];
  for (const r of records) {
    const f = readFacts(r.facts);
    if (f) out.push({ line: r.line, f });
  }
  return out;
}

/** Groups lines by a key, keeping only groups of two or more. */
function groups(list: readonly Fact[], key: (f: RecordFacts) => number | undefined): Fact[][] {
  const first = new Map<number, Fact | Fact[]>();
  for (const x of list) {
    const k = key(x.f);
    if (k === undefined) continue;
    const g = first.get(k);
    if (g === undefined) first.set(k, x);
    else if (Array.isArray(g)) g.push(x);
    else first.set(k, [g, x]);
  }
  const out: Fact[][] = [];
  for (const g of first.values()) if (Array.isArray(g)) out.push(g);
  return out;
}

function lineRange(x: Fact): { column: number; endColumn: number } {
  return { column: 0, endColumn: x.f.len };
}

function related(group: readonly Fact[], except: Fact, message: (x: Fact) => string): RelatedLocation[] {
  return group
    .filter((x) => x !== except)
    .slice(0, MAX_RELATED)
    .map((x) => ({ line: x.line, column: 0, endLine: x.line, endColumn: Math.min(x.f.len, 1), message: message(x) }));
}

function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, MAX_RELATED).map((l) => String(l + 1));
  return lines.length > MAX_RELATED ? `${shown.join(', ')} and ${lines.length - MAX_RELATED} more` : shown.join(', ');
}

/** Duplicate records (every later copy points at the first) and prompts shared by different records. */
export const duplicatesRule: DatasetRule = {
  id: 'dataset-duplicates',
  check(records: readonly RecordEntry[], ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const list = facts(records);
    if (!ruleOff(ctx.config, 'dataset-duplicate-record')) {
      for (const g of groups(list, (f) => f.h)) {
        const [keep, ...copies] = g;
        for (const x of copies) {
          const others = g.filter((y) => y !== keep && y !== x).map((y) => y.line);
          out.push({
            ...ruleFinding('dataset-duplicate-record', lineRange(x), { first: keep.line + 1, others: others.length ? ` (copies also on lines ${lineList(others)})` : '' }, { line: x.line, data: { fix: 'remove-line', keepLine: keep.line } }),
            related: related(g, x, (y) => (y === keep ? 'First occurrence (kept)' : 'Another copy')),
          });
        }
      }
    }
    if (!ruleOff(ctx.config, 'dataset-duplicate-prompt')) {
      for (const g of groups(list, (f) => f.p)) {
        // The same prompt in copies of one record is a duplicate record, reported above.
        if (new Set(g.map((x) => x.f.h)).size < 2) continue;
        const lines = g.map((x) => x.line);
        for (const x of g) {
          out.push({
            ...ruleFinding('dataset-duplicate-prompt', { column: 0, endColumn: Math.min(1, x.f.len) }, { count: g.length, lines: lineList(lines) }, { line: x.line }),
            related: related(g, x, () => 'Same prompt'),
          });
        }
      }
    }
    return out;
  },
};

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface LengthBias {
  /** Pairs whose responses differ in length. */
  pairs: number;
  chosenLonger: number;
  /** Share of those pairs where chosen is longer. */
  share: number;
  chosenMedian: number;
  rejectedMedian: number;
}

/** Length statistics over (chosen words, rejected words) pairs. */
export function lengthBias(pairs: readonly (readonly [number, number])[]): LengthBias {
  let differing = 0;
  let longer = 0;
  const c: number[] = [];
  const r: number[] = [];
  for (const [cw, rw] of pairs) {
    c.push(cw);
    r.push(rw);
    if (cw === rw) continue;
    differing++;
    if (cw > rw) longer++;
  }
  return { pairs: differing, chosenLonger: longer, share: differing ? longer / differing : 0.5, chosenMedian: median(c), rejectedMedian: median(r) };
}

/** Chosen systematically longer (or shorter) than rejected, reported once per file. */
export const lengthBiasRule: DatasetRule = {
  id: 'dataset-length-bias',
  check(records: readonly RecordEntry[], ctx: RuleContext): Finding[] {
    if (ruleOff(ctx.config, 'dataset-length-bias')) return [];
    const list = facts(records).filter((x) => x.f.cw !== undefined && x.f.rw !== undefined && x.f.cw > 0 && x.f.rw > 0);
    if (!list.length) return [];
    const bias = lengthBias(list.map((x) => [x.f.cw!, x.f.rw!] as const));
    if (bias.pairs < MIN_BIAS_PAIRS) return [];
    const threshold = ruleThreshold(ctx.config, 'dataset-length-bias');
    const longer = bias.share >= threshold;
    const shorter = 1 - bias.share >= threshold;
    if (!longer && !shorter) return [];
    const share = longer ? bias.share : 1 - bias.share;
    const first = list[0];
    return [
      ruleFinding(
        'dataset-length-bias',
        { column: 0, endColumn: Math.min(1, first.f.len) },
        { direction: longer ? 'longer' : 'shorter', share: `${Math.round(share * 100)}%`, pairs: bias.pairs, chosenMedian: bias.chosenMedian, rejectedMedian: bias.rejectedMedian },
        { line: first.line, data: { ...bias } },
      ),
    ];
  },
};

/** Phrases that mark one side; once per file, plus an information finding on each record that uses one. */
export const shortcutRule: DatasetRule = {
  id: 'dataset-shortcuts',
  check(records: readonly RecordEntry[], ctx: RuleContext): Finding[] {
    const fileOff = ruleOff(ctx.config, 'dataset-shortcut');
    const recordOff = ruleOff(ctx.config, 'dataset-shortcut-record');
    if (fileOff && recordOff) return [];
    const list = facts(records);
    const inputs = list.map((x) => ({ line: x.line, so: x.f.so, ro: x.f.ro }));
    const result = findShortcuts(inputs, { threshold: ruleThreshold(ctx.config, 'dataset-shortcut') });
    if (!result.phrases.length) return [];
    const out: Finding[] = [];
    const byLine = new Map(list.map((x) => [x.line, x]));
    if (!fileOff) {
      const first = list[0];
      const summary = result.phrases
        .map((p) => `${describePhrase(p)} in ${p.count} of ${p.sideTotal} ${p.side} responses vs ${p.otherCount} ${p.side === 'chosen' ? 'rejected' : 'chosen'}`)
        .join('; ');
      const examples = result.occurrences.slice(0, MAX_RELATED).map((o) => ({
        line: o.line,
        column: 0,
        endLine: o.line,
        endColumn: Math.min(1, byLine.get(o.line)?.f.len ?? 1),
        message: `Uses ${describePhrase(result.phrases[o.phrase])} in ${o.side}`,
      }));
      out.push({
        ...ruleFinding('dataset-shortcut', { column: 0, endColumn: Math.min(1, first.f.len) }, { phrases: summary }, { line: first.line, data: { phrases: result.phrases } }),
        related: examples,
      });
    }
    if (!recordOff) {
      for (const o of result.occurrences) {
        const p = result.phrases[o.phrase];
        const len = byLine.get(o.line)?.f.len ?? 1;
        out.push(
          ruleFinding(
            'dataset-shortcut-record',
            { column: 0, endColumn: Math.min(1, len) },
            { side: o.side, phrase: p.phrase, count: p.count, total: p.sideTotal, other: p.otherCount },
            { line: o.line, data: { phrase: p.phrase, side: o.side } },
          ),
        );
      }
    }
    return out;
  },
};
