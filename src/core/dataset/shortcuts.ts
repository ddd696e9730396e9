import type { Side } from '../curation/recordAnalysis';

/** What the shortcut search needs of each record: its line and its two sides' candidates. */
export interface ShortcutInput {
  line: number;
  /** Candidates of the chosen and rejected responses, "\n"-joined (see ToneAnalysis.openers). */
  so?: string;
  ro?: string;
}

export interface ShortcutPhrase {
  /** The words, lower case; `position` says whether they open a sentence or end the response. */
  phrase: string;
  position: 'opens' | 'ends';
  /** The side the phrase marks. */
  side: Side;
  /** Responses of that side that use it, and of the other side. */
  count: number;
  otherCount: number;
  sideTotal: number;
  otherTotal: number;
  share: number;
  otherShare: number;
}

export interface ShortcutOptions {
  /** Minimum share of one side's responses that use the phrase. */
  threshold: number;
  /** The other side may use it in at most this share (default: a quarter of the threshold). */
  otherMax?: number;
  /** Minimum number of responses using it. */
  minCount?: number;
  /** Minimum responses per side before the search runs at all. */
  minResponses?: number;
  /** At most this many phrases are reported. */
  limit?: number;
}

export interface ShortcutResult {
  phrases: ShortcutPhrase[];
  /** Per record line, the reported phrases it uses (index into `phrases`), chosen side then rejected. */
  occurrences: { line: number; side: Side; phrase: number }[];
}

const FNV = 0x01000193;

/**
 * Calls `fn` with the hash and the text range of every candidate word n-gram in an openers
 * string: 2-, 3- and 4-word beginnings of each sentence opener, and the last 2 and 3 words of the
 * response (closers start with `$`, and their hashes include it).
 */
function forEachGram(openers: string, fn: (hash: number, from: number, to: number, closer: boolean) => void): void {
  let lineStart = 0;
  while (lineStart < openers.length) {
    let lineEnd = openers.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = openers.length;
    if (openers.charCodeAt(lineStart) === 36 /* $ */) {
      const body = lineStart + 1;
      const space = openers.indexOf(' ', body);
      if (space > 0 && space < lineEnd) {
        fn(hashRange(openers, body, lineEnd, true), body, lineEnd, true);
        const second = openers.indexOf(' ', space + 1);
        if (second > 0 && second < lineEnd) fn(hashRange(openers, space + 1, lineEnd, true), space + 1, lineEnd, true);
      }
    } else {
      let h = 0x811c9dc5 | 0;
      let words = 1;
      for (let i = lineStart; i < lineEnd; i++) {
        const c = openers.charCodeAt(i);
        if (c === 32) {
          if (words >= 2) fn(h, lineStart, i, false);
          words++;
        }
        h = Math.imul(h ^ c, FNV);
      }
      if (words >= 2) fn(h, lineStart, lineEnd, false);
    }
    lineStart = lineEnd + 1;
  }
}

function hashRange(s: string, from: number, to: number, closer: boolean): number {
  let h = closer ? Math.imul((0x811c9dc5 | 0) ^ 36, FNV) : 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV);
  return h;
}

/** Counts, per hash, how many responses of a side use the n-gram (once per response). */
function countSide(records: readonly ShortcutInput[], key: 'so' | 'ro'): { counts: Map<number, number>; total: number } {
  const counts = new Map<number, number>();
  let total = 0;
  const seen: number[] = [];
  for (const r of records) {
    const openers = r[key];
    if (openers === undefined) continue;
    total++;
    seen.length = 0;
    forEachGram(openers, (h) => {
      if (seen.includes(h)) return;
      seen.push(h);
      counts.set(h, (counts.get(h) ?? 0) + 1);
    });
  }
  return { counts, total };
}

/**
 * Finds word n-grams that a large share of one side's responses use (at the start of a
 * sentence, or at the end of the response) while the other side almost never does.
 */
export function findShortcuts(records: readonly ShortcutInput[], options: ShortcutOptions): ShortcutResult {
  const minCount = options.minCount ?? 5;
  const minResponses = options.minResponses ?? 20;
  const otherMax = options.otherMax ?? options.threshold / 4;
  const limit = options.limit ?? 10;
  const chosen = countSide(records, 'so');
  const rejected = countSide(records, 'ro');
  if (chosen.total < minResponses || rejected.total < minResponses) return { phrases: [], occurrences: [] };

  // Candidates by hash, with the side they mark.
  const candidates = new Map<number, { side: Side; count: number; other: number }>();
  const consider = (mine: typeof chosen, theirs: typeof chosen, side: Side) => {
    for (const [h, count] of mine.counts) {
      if (count < minCount || count / mine.total < options.threshold) continue;
      const other = theirs.counts.get(h) ?? 0;
      if (other / theirs.total > otherMax) continue;
      candidates.set(h, { side, count, other });
    }
  };
  consider(chosen, rejected, 'chosen');
  consider(rejected, chosen, 'rejected');
  if (!candidates.size) return { phrases: [], occurrences: [] };

  // Their words: frequent by definition, so found within the first records.
  const texts = new Map<number, { text: string; closer: boolean }>();
  for (const r of records) {
    for (const key of ['so', 'ro'] as const) {
      const openers = r[key];
      if (!openers) continue;
      forEachGram(openers, (h, from, to, closer) => {
        if (candidates.has(h) && !texts.has(h)) texts.set(h, { text: openers.slice(from, to), closer });
      });
    }
    if (texts.size === candidates.size) break;
  }

  let phrases: (ShortcutPhrase & { hash: number })[] = [];
  for (const [hash, c] of candidates) {
    const t = texts.get(hash);
    if (!t) continue;
    const mine = c.side === 'chosen' ? chosen : rejected;
    const theirs = c.side === 'chosen' ? rejected : chosen;
    phrases.push({
      hash,
      phrase: t.text,
      position: t.closer ? 'ends' : 'opens',
      side: c.side,
      count: c.count,
      otherCount: c.other,
      sideTotal: mine.total,
      otherTotal: theirs.total,
      share: c.count / mine.total,
      otherShare: c.other / theirs.total,
    });
  }
  // A shorter phrase that mostly occurs inside a longer reported one adds nothing: keep the longer.
  phrases.sort((a, b) => b.phrase.length - a.phrase.length);
  const kept: typeof phrases = [];
  for (const p of phrases) {
    const covered = kept.some(
      (k) => k.side === p.side && k.position === p.position && k.count >= 0.9 * p.count && (p.position === 'opens' ? k.phrase.startsWith(`${p.phrase} `) : k.phrase.endsWith(` ${p.phrase}`)),
    );
    if (!covered) kept.push(p);
  }
  phrases = kept.sort((a, b) => b.share - a.share || b.count - a.count || a.phrase.localeCompare(b.phrase)).slice(0, limit);

  const index = new Map(phrases.map((p, i) => [p.hash, i]));
  const occurrences: ShortcutResult['occurrences'] = [];
  for (const r of records) {
    for (const key of ['so', 'ro'] as const) {
      const openers = r[key];
      if (!openers) continue;
      const side: Side = key === 'so' ? 'chosen' : 'rejected';
      let found = -1;
      forEachGram(openers, (h) => {
        const i = index.get(h);
        if (found < 0 && i !== undefined && phrases[i].side === side) found = i;
      });
      if (found >= 0) occurrences.push({ line: r.line, side, phrase: found });
    }
  }
  return { phrases: phrases.map(({ hash: _hash, ...p }) => p), occurrences };
}

/** How a phrase is shown: `"i am so sorry"` (opens a sentence) / `"hope this helps"` (ends a response). */
export function describePhrase(p: Pick<ShortcutPhrase, 'phrase' | 'position'>): string {
  return `"${p.phrase}" (${p.position === 'opens' ? 'opening a sentence' : 'ending the response'})`;
}
