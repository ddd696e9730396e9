/**
 * Round nineteen's experiment (issue 11): word weights learned from dev's empathy pairs, measured by
 * k-fold cross-validation on dev. Sentences the chosen side has and the rejected side lacks count as
 * acknowledgement; shared sentences and the rejected side's sentences as advice. A smoothed log-odds
 * weight per lower-cased word; a reply scores the mean of its sentences' mean positive weights.
 * Usage: npx tsx bench/learn-acknowledgement.ts [k] [minSupport]
 */
import { evaluatePair, loadPairs, type EvalPair } from './eval-tone';

const sentences = (s: string): string[] => s.split(/(?<=[.!?])\s+|\n+/).map((x) => x.trim().toLowerCase()).filter(Boolean);
const words = (s: string): string[] => s.match(/[a-z']+/g) ?? [];

function learn(pairs: EvalPair[], minSupport: number): Map<string, number> {
  const pos = new Map<string, number>(), neg = new Map<string, number>();
  let np = 0, nn = 0;
  const count = (m: Map<string, number>, s: string): number => {
    const ws = new Set(words(s));
    for (const w of ws) m.set(w, (m.get(w) ?? 0) + 1);
    return 1;
  };
  for (const p of pairs) {
    const c = sentences(p.chosen), r = new Set(sentences(p.rejected));
    for (const s of c) (r.has(s) ? (nn += count(neg, s)) : (np += count(pos, s)));
    for (const s of r) nn += count(neg, s);
  }
  const table = new Map<string, number>();
  for (const [w, a] of pos) {
    const b = neg.get(w) ?? 0;
    if (a + b < minSupport) continue;
    const lo = Math.log((a + 1) / (np + 2)) - Math.log((b + 1) / (nn + 2));
    if (lo > 0.5) table.set(w, lo);
  }
  return table;
}

function score(table: Map<string, number>, reply: string): number {
  let total = 0;
  const ss = sentences(reply);
  for (const s of ss) {
    const ws = words(s);
    if (!ws.length) continue;
    let sum = 0;
    for (const w of ws) sum += table.get(w) ?? 0;
    total += sum / ws.length;
  }
  return ss.length ? total / ss.length : 0;
}

const k = Number(process.argv[2] ?? 5), minSupport = Number(process.argv[3] ?? 3), margin = Number(process.argv[4] ?? 0);
const dev = loadPairs('dev');
const results = dev.map((p) => ({ p, r: evaluatePair(p) }));
const train = (i: number) => results.filter((_, j) => j % k !== i && results[j].p.axis === 'empathy').map((x) => x.p);
let right = 0, wrong = 0, still = 0, ties = 0, lifted = 0;
for (let i = 0; i < k; i++) {
  const table = learn(train(i), minSupport);
  for (let j = i; j < results.length; j += k) {
    const { p, r } = results[j];
    const c = score(table, p.chosen), x = score(table, p.rejected);
    if (p.axis === 'empathy' && r.chosen.scores.empathy === r.rejected.scores.empathy) {
      ties++;
      if (c > x + margin) right++; else if (c + margin < x) wrong++; else still++;
    }
    if (x > c) lifted++;
  }
}
console.log(`k=${k} minSupport=${minSupport} margin=${margin}: dev empathy ties ${ties}: right ${right}, wrong ${wrong}, still tied ${still}; pairs (any axis) where the rejected side scores higher on the learned layer: ${lifted}/${results.length}`);
