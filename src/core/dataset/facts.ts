import { analysisFor, toneComparable } from '../curation/recordAnalysis';
import { RecordInput, RecordRule, RuleContext } from '../engine';
import { Finding } from '../findings';
import { FormatId } from '../formats';
import { extractParts, PreferenceParts, Turn } from '../parts';

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
  /**
   * Chosen's overall tone minus rejected's, when both responses are English text that differ
   * (what `pair-inverted` compares); absent otherwise.
   */
  tg?: number;
  /** 1 when the pair rule reported this record as `pair-inverted` (set by that rule). */
  iv?: 1;
  /** Length of the line, for ranges that cover it. */
  len: number;
}

/**
 * A 53-bit hash (two 32-bit FNV-style hashes), so collisions in a million records are negligible.
 * Fed piece by piece, it hashes the pieces' concatenation without building it.
 */
class Hash53 {
  private h1 = 0x811c9dc5 | 0;
  private h2 = 0x9747b28c | 0;

  add(s: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** Each turn as `role \u0002 content \u0003`. */
  addTurns(turns: readonly Turn[]): this {
    for (const t of turns) this.add(t.role).add('\u0002').add(t.content).add('\u0003');
    return this;
  }

  get value(): number {
    return (this.h1 >>> 0) * 0x200000 + ((this.h2 >>> 0) & 0x1fffff);
  }
}

export function hash53(s: string): number {
  return new Hash53().add(s).value;
}

/** The keys duplicate detection compares: the prompt (context turns) and the whole dialogue. */
export function dialogueHashes(parts: PreferenceParts): { prompt: number; record: number } {
  const hash = new Hash53().addTurns(parts.context);
  const prompt = hash.value;
  return { prompt, record: hash.add('\u0001').addTurns(parts.chosen).add('\u0001').addTurns(parts.rejected).value };
}

/**
 * Whether the format's reading of a record lost a response: a side it should have is missing, of
 * the wrong type or empty of messages with text. Two such records can read as the same dialogue
 * while their lines differ (`"chosen": 123` and `"chosen": {"a": 1}`, or a record of another
 * format), so duplicate detection compares their text instead.
 */
function lostResponse(parts: PreferenceParts, format: FormatId | undefined): boolean {
  return parts.chosen.length === 0 || (format !== 'chat-messages' && parts.rejected.length === 0);
}

/**
 * The key `dataset-duplicate-record` compares: the dialogue's hash (so formatting, key order and
 * escapes do not matter), or the trimmed line's when the format cannot read the record or its
 * reading lost a response.
 */
export function recordKey(text: string, parts: PreferenceParts | undefined, format: FormatId | undefined): number {
  return parts && !lostResponse(parts, format) ? dialogueHashes(parts).record : hash53(text.trim());
}

/** Whether two JSONL lines hold the same record as `dataset-duplicate-record` sees it (see recordKey). */
export function sameRecord(a: string, b: string, format: FormatId | undefined): boolean {
  if (a.trim() === b.trim()) return true;
  try {
    return recordKey(a, extractParts(format, JSON.parse(a)), format) === recordKey(b, extractParts(format, JSON.parse(b)), format);
  } catch {
    return false;
  }
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
    const { prompt, record: h } = dialogueHashes(a.parts);
    // As recordKey, without hashing the dialogue twice.
    f.h = lostResponse(a.parts, record.format) ? hash53(record.text.trim()) : h;
    if (a.parts.context.length) f.p = prompt;
    f.cw = a.chosen.tone.words;
    if (a.chosen.tone.openers.length) f.so = a.chosen.tone.openers.join('\n');
    if (a.rejected) {
      f.rw = a.rejected.tone.words;
      if (a.rejected.tone.openers.length) f.ro = a.rejected.tone.openers.join('\n');
      if (toneComparable(a)) f.tg = a.chosen.tone.scores.tone - a.rejected.tone.scores.tone;
    }
    return [];
  },
};
