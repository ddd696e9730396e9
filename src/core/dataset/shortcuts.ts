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

/** The distinct n-gram hashes of one response, in the order they first occur. */
function distinctGrams(openers: string): number[] {
  const seen: number[] = [];
  forEachGram(openers, (h) => {
    if (!seen.includes(h)) seen.push(h);
  });
  return seen;
}

/**
 * Per n-gram hash, how many responses of one side use it (once per response). It also keeps the
 * hashes whose count is at least `hotBound`, so that finding the frequent ones does not walk
 * every n-gram of the file (a million for 100k varied records) after each edit.
 */
class SideCounts {
  readonly counts = new Map<number, number>();
  total = 0;
  private hot = new Set<number>();
  private hotBound = Infinity;

  add(openers: string | undefined): void {
    if (openers === undefined) return;
    this.total++;
    for (const h of distinctGrams(openers)) {
      const c = (this.counts.get(h) ?? 0) + 1;
      this.counts.set(h, c);
      if (c >= this.hotBound) this.hot.add(h);
    }
  }

  remove(openers: string | undefined): void {
    if (openers === undefined) return;
    this.total--;
    for (const h of distinctGrams(openers)) {
      const c = (this.counts.get(h) ?? 0) - 1;
      if (c <= 0) this.counts.delete(h);
      else this.counts.set(h, c);
      if (c < this.hotBound) this.hot.delete(h);
    }
  }

  /**
   * Calls `fn` for every hash used by at least `need` responses, in first-use order. The hot set
   * is rebuilt (one walk over all counts) only when `need` falls below its bound or rises far
   * above it: one edit moves `need` by a fraction of one.
   */
  forEachAtLeast(need: number, fn: (hash: number, count: number) => void): void {
    if (need < this.hotBound || need > 2 * this.hotBound + 8) {
      this.hotBound = Math.max(1, Math.floor(need * 0.75));
      this.hot.clear();
      for (const [h, c] of this.counts) if (c >= this.hotBound) this.hot.add(h);
    }
    for (const h of this.hot) {
      const c = this.counts.get(h) ?? 0;
      if (c >= need) fn(h, c);
    }
  }
}

/** A record's two candidate strings (see ShortcutInput). */
export type ShortcutSides = Pick<ShortcutInput, 'so' | 'ro'>;

/** Scratch space a caller of `ShortcutIndex.search` may keep per record and side (e.g. the last finding built). */
export type ShortcutMemo = { chosen?: unknown; rejected?: unknown };

interface Indexed<K> {
  key: K;
  input: ShortcutSides;
  /** The reported phrase each side uses (its hash, 0 for none), valid for `generation`. */
  chosen: number;
  rejected: number;
  generation: number;
  memo: ShortcutMemo;
}

/**
 * The shortcut-phrase search kept up to date as records come and go: `add` and `remove` adjust
 * the counts, and `search` finds the phrases from the counts alone (each record's own n-grams are
 * only read again when the set of reported phrases changes). Keys identify records between `add`
 * and `remove` and carry their line. The index keeps its records in line order, so it needs the
 * lines of the records present to be current when one is added (they may all shift later, as
 * long as their order holds: see DatasetAccumulator).
 */
export class ShortcutIndex<K extends { readonly line: number }> {
  private chosen = new SideCounts();
  private rejected = new SideCounts();
  private records = new Map<K, Indexed<K>>();
  /** The records in line order. */
  private ordered: Indexed<K>[] = [];
  /** Words of each candidate hash, found once. */
  private texts = new Map<number, { text: string; closer: boolean }>();
  /** The reported phrases (hash → side) the cached per-record uses were computed for. */
  private reported = new Map<number, Side>();
  private generation = 0;

  add(key: K, input: ShortcutSides): void {
    if (this.records.has(key)) this.remove(key);
    const r: Indexed<K> = { key, input, chosen: 0, rejected: 0, generation: -1, memo: {} };
    this.records.set(key, r);
    const list = this.ordered;
    if (!list.length || list[list.length - 1].key.line < key.line) list.push(r);
    else list.splice(this.position(key.line), 0, r);
    this.chosen.add(input.so);
    this.rejected.add(input.ro);
  }

  remove(key: K): void {
    const r = this.records.get(key);
    if (!r) return;
    this.records.delete(key);
    const list = this.ordered;
    let at = this.position(key.line);
    if (list[at] !== r) at = list.indexOf(r);
    list.splice(at, 1);
    this.chosen.remove(r.input.so);
    this.rejected.remove(r.input.ro);
  }

  /** The first position whose record's line is at least `line`. */
  private position(line: number): number {
    const list = this.ordered;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].key.line < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get size(): number {
    return this.records.size;
  }

  /** The phrases and the records that use them. */
  result(options: ShortcutOptions): ShortcutResult {
    const occurrences: ShortcutResult['occurrences'] = [];
    const phrases = this.search(options, (key, side, phrase) => occurrences.push({ line: key.line, side, phrase }));
    return { phrases, occurrences };
  }

  /**
   * The phrases; `visit` is called for each use by a record, in line order (chosen side first),
   * with the index of the phrase in `phrases` (the list that is returned) and the record's memo.
   */
  search(options: ShortcutOptions, visit: (key: K, side: Side, phrase: number, phrases: readonly ShortcutPhrase[], memo: ShortcutMemo) => void): ShortcutPhrase[] {
    const minCount = options.minCount ?? 5;
    const minResponses = options.minResponses ?? 20;
    const otherMax = options.otherMax ?? options.threshold / 4;
    const limit = options.limit ?? 10;
    const chosen = this.chosen;
    const rejected = this.rejected;
    if (chosen.total < minResponses || rejected.total < minResponses) return this.noPhrases();

    // Candidates by hash, with the side they mark.
    const candidates = new Map<number, { side: Side; count: number; other: number }>();
    const consider = (mine: SideCounts, theirs: SideCounts, side: Side) => {
      // count / total >= threshold, written as a bound on the count (with the same rounding).
      const need = Math.max(minCount, Math.ceil(options.threshold * mine.total - 1e-9));
      mine.forEachAtLeast(need, (h, count) => {
        if (count < minCount || count / mine.total < options.threshold) return;
        const other = theirs.counts.get(h) ?? 0;
        if (other / theirs.total > otherMax) return;
        candidates.set(h, { side, count, other });
      });
    };
    consider(chosen, rejected, 'chosen');
    consider(rejected, chosen, 'rejected');
    if (!candidates.size) return this.noPhrases();

    // Their words: frequent by definition, so found within the first records.
    for (const h of this.texts.keys()) if (!candidates.has(h)) this.texts.delete(h);
    if (this.texts.size < candidates.size) {
      for (const { input } of this.ordered) {
        for (const openers of [input.so, input.ro]) {
          if (!openers) continue;
          forEachGram(openers, (h, from, to, closer) => {
            if (candidates.has(h) && !this.texts.has(h)) this.texts.set(h, { text: openers.slice(from, to), closer });
          });
        }
        if (this.texts.size === candidates.size) break;
      }
    }

    let phrases: (ShortcutPhrase & { hash: number })[] = [];
    for (const [hash, c] of candidates) {
      const t = this.texts.get(hash);
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
    phrases.sort((a, b) => b.phrase.length - a.phrase.length || byPosition(a, b) || a.hash - b.hash);
    const kept: typeof phrases = [];
    for (const p of phrases) {
      const covered = kept.some(
        (k) => k.side === p.side && k.position === p.position && k.count >= 0.9 * p.count && (p.position === 'opens' ? k.phrase.startsWith(`${p.phrase} `) : k.phrase.endsWith(` ${p.phrase}`)),
      );
      if (!covered) kept.push(p);
    }
    phrases = kept.sort((a, b) => b.share - a.share || b.count - a.count || a.phrase.localeCompare(b.phrase) || byPosition(a, b)).slice(0, limit);

    // Which phrase each record uses depends only on the set of reported phrases: recompute the
    // records' uses when that set changed, otherwise keep them.
    const index = new Map(phrases.map((p, i) => [p.hash, i]));
    const reportedPhrases = phrases.map(({ hash: _hash, ...p }): ShortcutPhrase => p);
    if (!this.sameReported(phrases)) {
      this.generation++;
      this.reported = new Map(phrases.map((p) => [p.hash, p.side]));
    }
    for (const r of this.ordered) {
      if (r.generation !== this.generation) {
        r.chosen = this.firstReported(r.input.so, 'chosen');
        r.rejected = this.firstReported(r.input.ro, 'rejected');
        r.generation = this.generation;
      }
      if (r.chosen) visit(r.key, 'chosen', index.get(r.chosen)!, reportedPhrases, r.memo);
      if (r.rejected) visit(r.key, 'rejected', index.get(r.rejected)!, reportedPhrases, r.memo);
    }
    return reportedPhrases;
  }

  private noPhrases(): ShortcutPhrase[] {
    if (this.reported.size) {
      this.reported = new Map();
      this.generation++;
    }
    return [];
  }

  private sameReported(phrases: readonly { hash: number; side: Side }[]): boolean {
    if (phrases.length !== this.reported.size) return false;
    return phrases.every((p) => this.reported.get(p.hash) === p.side);
  }

  /** The first n-gram of a response that is a reported phrase of its side (0 when none). */
  private firstReported(openers: string | undefined, side: Side): number {
    if (!openers) return 0;
    let found = 0;
    forEachGram(openers, (h) => {
      if (found === 0 && this.reported.get(h) === side) found = h;
    });
    return found;
  }
}

/** Phrases opening a sentence before phrases ending the response (only decides exact ties). */
function byPosition(a: Pick<ShortcutPhrase, 'position'>, b: Pick<ShortcutPhrase, 'position'>): number {
  return a.position === b.position ? 0 : a.position === 'opens' ? -1 : 1;
}

/**
 * Finds word n-grams that a large share of one side's responses use (at the start of a
 * sentence, or at the end of the response) while the other side almost never does.
 */
export function findShortcuts(records: readonly ShortcutInput[], options: ShortcutOptions): ShortcutResult {
  const index = new ShortcutIndex<ShortcutInput>();
  for (const r of records) index.add(r, r);
  return index.result(options);
}

/** How a phrase is shown: `"i am so sorry"` (opens a sentence) / `"hope this helps"` (ends a response). */
export function describePhrase(p: Pick<ShortcutPhrase, 'phrase' | 'position'>): string {
  return `"${p.phrase}" (${p.position === 'opens' ? 'opening a sentence' : 'ending the response'})`;
}
