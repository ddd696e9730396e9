import { analysisFor } from '../curation/recordAnalysis';
import { RecordInput, RecordRule, RuleContext } from '../engine';
import { Finding } from '../findings';
import { Turn } from '../parts';

/**
 * What the dataset rules know about each record. Kept to a few numbers and two short strings
 * per record, because the CLI holds them for every record of files of a gigabyte or more.
 */
export interface RecordFacts {
  /** Hash of the whole record's dialogue (prompt, chosen, rejected, roles included). */
  h: number;
  /** Hash of the prompt (context turns); absent when there is none. */
  p?: number;
  /** Written words in the chosen and rejected responses. */
  cw?: number;
  rw?: number;
  /** Shortcut-phrase candidates of each side, joined by "\n" (see ToneAnalysis.openers). */
  so?: string;
  ro?: string;
  /** Length of the line, for ranges that cover it. */
  len: number;
}

/** A 53-bit hash (two 32-bit FNV-style hashes), so collisions in a million records are negligible. */
export function hash53(s: string): number {
  let h1 = 0x811c9dc5 | 0;
  let h2 = 0x9747b28c | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

function turnsKey(turns: readonly Turn[]): string {
  let s = '';
  for (const t of turns) s += `${t.role}\u0002${t.content}\u0003`;
  return s;
}

export function readFacts(facts: Readonly<Record<string, unknown>>): RecordFacts | undefined {
  return typeof facts.h === 'number' ? (facts as unknown as RecordFacts) : undefined;
}

/** Stores each record's facts for the dataset rules; reports nothing itself. */
export const datasetFactsRule: RecordRule = {
  id: 'dataset-facts',
  check(record: RecordInput, ctx: RuleContext): Finding[] {
    const f = record.facts as Partial<RecordFacts>;
    f.len = record.text.length;
    const a = analysisFor(record.value, record.format, ctx.config);
    if (!a) {
      f.h = hash53(record.text.trim());
      return [];
    }
    const prompt = turnsKey(a.parts.context);
    f.h = hash53(`${prompt}\u0001${turnsKey(a.parts.chosen)}\u0001${turnsKey(a.parts.rejected)}`);
    if (a.parts.context.length) f.p = hash53(prompt);
    f.cw = a.chosen.tone.words;
    if (a.chosen.tone.openers.length) f.so = a.chosen.tone.openers.join('\n');
    if (a.rejected) {
      f.rw = a.rejected.tone.words;
      if (a.rejected.tone.openers.length) f.ro = a.rejected.tone.openers.join('\n');
    }
    return [];
  },
};
