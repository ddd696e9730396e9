import type { Side } from '../curation/recordAnalysis';
import { grown } from '../typedArrays';
import { ChunkStore, ChunkStores, memoryChunks } from './chunks';
import { HashCounts, slotOf } from './hashCounts';

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
export function forEachGram(openers: string, fn: (hash: number, from: number, to: number, closer: boolean) => void): void {
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
 * A response's distinct n-gram hashes, in first-use order, kept as a string of two characters a
 * hash (its high and low 16 bits): the smallest thing V8 holds a few numbers in (a typed array is
 * an object and a buffer; the candidate text itself is five times longer). Empty for none.
 */
type GramKey = string;

function gramKey(openers: string | undefined): GramKey {
  if (openers === undefined) return '';
  let key = '';
  for (const h of distinctGrams(openers)) key += String.fromCharCode(h >>> 16, h & 0xffff);
  return key;
}

/** The hash at position `i` of a GramKey. */
function gramAt(key: GramKey, i: number): number {
  return ((key.charCodeAt(2 * i) << 16) | key.charCodeAt(2 * i + 1)) | 0;
}

/**
 * Per n-gram hash, how many responses of one side use it (once per response). It also keeps the
 * hashes whose count is at least `hotBound`, so that finding the frequent ones does not walk
 * every n-gram of the file (a million for 100k varied records) after each edit.
 */
class SideCounts implements CountSource {
  private readonly counts = new HashCounts();
  total = 0;
  private hot = new Set<number>();
  private hotBound = Infinity;

  /** Counts a response in (`key` undefined: the side has no candidates); `reached` hears of each hash whose count became `at`. */
  add(key: GramKey | undefined, at: number, reached: (hash: number, index: number) => void): void {
    if (key === undefined) return;
    this.total++;
    for (let i = 0; i < key.length / 2; i++) {
      const h = gramAt(key, i);
      const c = this.counts.add(h, 1);
      if (c >= this.hotBound) this.hot.add(h);
      if (c === at) reached(h, i);
    }
  }

  count(hash: number): number {
    return this.counts.get(hash);
  }

  /** Counts a response out; `fell` hears of each hash whose count fell below `at`. */
  remove(key: GramKey | undefined, at: number, fell: (hash: number) => void): void {
    if (key === undefined) return;
    this.total--;
    for (let i = 0; i < key.length / 2; i++) {
      const h = gramAt(key, i);
      const c = this.counts.add(h, -1);
      if (c < this.hotBound) this.hot.delete(h);
      if (c === at - 1) fell(h);
    }
  }

  /**
   * Calls `fn` for every hash used by at least `need` responses. The hot set is rebuilt (one walk
   * over all counts) only when `need` falls below its bound or rises far above it: one edit moves
   * `need` by a fraction of one.
   */
  forEachAtLeast(need: number, fn: (hash: number, count: number) => void): void {
    if (need < this.hotBound || need > 2 * this.hotBound + 8) {
      const bound = Math.max(1, Math.floor(need * 0.75));
      this.hotBound = bound;
      this.hot.clear();
      this.counts.forEach((h, c) => {
        if (c >= bound) this.hot.add(h);
      });
    }
    for (const h of this.hot) {
      const c = this.counts.get(h);
      if (c >= need) fn(h, c);
    }
  }
}

/** Responses of a side that must use an n-gram before its words are kept (no phrase needs fewer: see neededCount). */
const TEXT_COUNT = 2;

/** A record's two candidate strings (see ShortcutInput). */
export type ShortcutSides = Pick<ShortcutInput, 'so' | 'ro'>;

/** Scratch space a caller of `ShortcutIndex.search` may keep per record and side (e.g. the last finding built). */
export type ShortcutMemo = { chosen?: unknown; rejected?: unknown };

interface Indexed<K> {
  key: K;
  /** Each side's distinct n-gram hashes (undefined: no candidates on that side). */
  chosenGrams: GramKey | undefined;
  rejectedGrams: GramKey | undefined;
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
  /**
   * The words of every n-gram that two responses of a side or more use (a phrase needs more:
   * see neededCount), taken from the response whose use made it two: the candidate texts
   * themselves are not kept (a record's n-grams are kept as hashes).
   */
  private texts = new Map<number, GramText>();
  /** The reported phrases (hash to side) the cached per-record uses were computed for. */
  private reported = new Map<number, Side>();
  private generation = 0;

  add(key: K, input: ShortcutSides): void {
    if (this.records.has(key)) this.remove(key);
    const chosenGrams = input.so === undefined ? undefined : gramKey(input.so);
    const rejectedGrams = input.ro === undefined ? undefined : gramKey(input.ro);
    const r: Indexed<K> = { key, chosenGrams, rejectedGrams, chosen: 0, rejected: 0, generation: -1, memo: {} };
    this.records.set(key, r);
    const list = this.ordered;
    if (!list.length || list[list.length - 1].key.line < key.line) list.push(r);
    else list.splice(this.position(key.line), 0, r);
    this.chosen.add(chosenGrams, TEXT_COUNT, (h) => this.keepText(h, input.so!));
    this.rejected.add(rejectedGrams, TEXT_COUNT, (h) => this.keepText(h, input.ro!));
  }

  remove(key: K): void {
    const r = this.records.get(key);
    if (!r) return;
    this.records.delete(key);
    const list = this.ordered;
    let at = this.position(key.line);
    if (list[at] !== r) at = list.indexOf(r);
    list.splice(at, 1);
    const fell = (h: number) => {
      if (this.chosen.count(h) < TEXT_COUNT && this.rejected.count(h) < TEXT_COUNT) this.texts.delete(h);
    };
    this.chosen.remove(r.chosenGrams, TEXT_COUNT, fell);
    this.rejected.remove(r.rejectedGrams, TEXT_COUNT, fell);
  }

  /** A record's n-grams as the index holds them (equal for records whose candidates are equal). */
  grams(key: K): string {
    const r = this.records.get(key);
    return r ? `${r.chosenGrams ?? '-'}\u0000${r.rejectedGrams ?? '-'}` : '';
  }

  /** Keeps the words of n-gram `hash`, found in `openers`. */
  private keepText(hash: number, openers: string): void {
    if (this.texts.has(hash)) return;
    forEachGram(openers, (h, from, to, closer) => {
      if (h === hash && !this.texts.has(hash)) this.texts.set(hash, { text: openers.slice(from, to), closer });
    });
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
    const found = this.phrases(options);
    this.forEachUse(found, (key, side, phrase, phrases, memo) => {
      visit(key, side, phrase, phrases, memo);
      return false;
    });
    return found.phrases;
  }

  /** Visits the uses of the phrases `found` record by record in line order (chosen side first), until `visit` returns true. */
  forEachUse(found: ReportedPhrases, visit: (key: K, side: Side, phrase: number, phrases: readonly ShortcutPhrase[], memo: ShortcutMemo) => boolean): void {
    if (!found.phrases.length) return;
    let stop = false;
    const until = (key: K, side: Side, phrase: number, phrases: readonly ShortcutPhrase[], memo: ShortcutMemo) => {
      if (!stop) stop = visit(key, side, phrase, phrases, memo);
    };
    for (const r of this.ordered) {
      this.visitUses(r, found, until);
      if (stop) return;
    }
  }

  /**
   * The phrases without visiting the records, and whether the set of reported phrases (which
   * phrase marks which side) is the one of the last call: when it is, every record's uses are
   * what they were, and only records added since need `uses`.
   */
  phrases(options: ShortcutOptions): ReportedPhrases {
    const chosen = this.chosen;
    const rejected = this.rejected;
    if (tooFewResponses(options, chosen, rejected)) return this.noPhrases();

    const candidates = findCandidates(options, chosen, rejected);
    if (!candidates.size) return this.noPhrases();

    const phrases = selectPhrases(candidates, (h) => this.texts.get(h), chosen.total, rejected.total, options.limit ?? 10);

    // Which phrase each record uses depends only on the set of reported phrases: recompute the
    // records' uses when that set changed, otherwise keep them.
    const index = new Map(phrases.map((p, i) => [p.hash, i]));
    const reportedPhrases = phrases.map(({ hash: _hash, ...p }): ShortcutPhrase => p);
    const same = this.sameReported(phrases);
    if (!same) {
      this.generation++;
      this.reported = new Map(phrases.map((p) => [p.hash, p.side]));
    }
    return { phrases: reportedPhrases, index, same };
  }

  /** Visits one record's uses of the phrases `found` (its chosen side first); nothing for a record not in the index. */
  uses(key: K, found: ReportedPhrases, visit: (key: K, side: Side, phrase: number, phrases: readonly ShortcutPhrase[], memo: ShortcutMemo) => void): void {
    const r = this.records.get(key);
    if (r) this.visitUses(r, found, visit);
  }

  private visitUses(r: Indexed<K>, found: ReportedPhrases, visit: (key: K, side: Side, phrase: number, phrases: readonly ShortcutPhrase[], memo: ShortcutMemo) => void): void {
    if (!found.phrases.length) return;
    if (r.generation !== this.generation) {
      r.chosen = this.firstReported(r.chosenGrams, 'chosen');
      r.rejected = this.firstReported(r.rejectedGrams, 'rejected');
      r.generation = this.generation;
    }
    if (r.chosen) visit(r.key, 'chosen', found.index.get(r.chosen)!, found.phrases, r.memo);
    if (r.rejected) visit(r.key, 'rejected', found.index.get(r.rejected)!, found.phrases, r.memo);
  }

  private noPhrases(): ReportedPhrases {
    const same = !this.reported.size;
    if (!same) {
      this.reported = new Map();
      this.generation++;
    }
    return { phrases: [], index: new Map(), same };
  }

  private sameReported(phrases: readonly { hash: number; side: Side }[]): boolean {
    if (phrases.length !== this.reported.size) return false;
    return phrases.every((p) => this.reported.get(p.hash) === p.side);
  }

  /** The first n-gram of a response that is a reported phrase of its side (0 when none). */
  private firstReported(grams: GramKey | undefined, side: Side): number {
    if (!grams) return 0;
    for (let i = 0; i < grams.length / 2; i++) {
      const h = gramAt(grams, i);
      if (this.reported.get(h) === side) return h;
    }
    return 0;
  }
}

/** What ShortcutIndex.phrases found: the phrases, each reported hash's index among them, and whether the reported set is unchanged. */
export interface ReportedPhrases {
  phrases: ShortcutPhrase[];
  index: Map<number, number>;
  same: boolean;
}

/** Phrases that pass the counts, by hash, with the side they mark and their counts on each side. */
type Candidates = Map<number, { side: Side; count: number; other: number }>;

/** How often one side's responses use each n-gram (each response counted once). */
interface CountSource {
  /** Responses of the side with candidates. */
  readonly total: number;
  count(hash: number): number;
  /** Calls `fn` for every hash used by at least `need` responses (and maybe some others). */
  forEachAtLeast(need: number, fn: (hash: number, count: number) => void): void;
}

function tooFewResponses(options: ShortcutOptions, chosen: { total: number }, rejected: { total: number }): boolean {
  const minResponses = options.minResponses ?? 20;
  return chosen.total < minResponses || rejected.total < minResponses;
}

/** The minimum count of a phrase of a side with `total` responses (count / total >= threshold, with the same rounding). */
function neededCount(options: ShortcutOptions, total: number): number {
  return Math.max(options.minCount ?? 5, TEXT_COUNT, Math.ceil(options.threshold * total - 1e-9));
}

/** The n-grams that a share of one side uses and the other side (almost) never, by hash. */
function findCandidates(options: ShortcutOptions, chosen: CountSource, rejected: CountSource): Candidates {
  const minCount = options.minCount ?? 5;
  const otherMax = options.otherMax ?? options.threshold / 4;
  const candidates: Candidates = new Map();
  const consider = (mine: CountSource, theirs: CountSource, side: Side) => {
    mine.forEachAtLeast(neededCount(options, mine.total), (h, count) => {
      if (count < minCount || count / mine.total < options.threshold) return;
      const other = theirs.count(h);
      if (other / theirs.total > otherMax) return;
      candidates.set(h, { side, count, other });
    });
  };
  consider(chosen, rejected, 'chosen');
  consider(rejected, chosen, 'rejected');
  return candidates;
}

/** A candidate n-gram's words, and whether it ends the response. */
interface GramText {
  text: string;
  closer: boolean;
}

/**
 * The phrases to report among the candidates (those whose words are known), with their hashes:
 * a shorter phrase mostly found inside a longer one of the same side is dropped, the rest ranked
 * by share, the first `limit` kept.
 */
function selectPhrases(candidates: Candidates, textOf: (hash: number) => GramText | undefined, chosenTotal: number, rejectedTotal: number, limit: number): (ShortcutPhrase & { hash: number })[] {
  let phrases: (ShortcutPhrase & { hash: number })[] = [];
  for (const [hash, c] of candidates) {
    const t = textOf(hash);
    if (!t) continue;
    const sideTotal = c.side === 'chosen' ? chosenTotal : rejectedTotal;
    const otherTotal = c.side === 'chosen' ? rejectedTotal : chosenTotal;
    phrases.push({
      hash,
      phrase: t.text,
      position: t.closer ? 'ends' : 'opens',
      side: c.side,
      count: c.count,
      otherCount: c.other,
      sideTotal,
      otherTotal,
      share: c.count / sideTotal,
      otherShare: c.other / otherTotal,
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
  return kept.sort((a, b) => b.share - a.share || b.count - a.count || a.phrase.localeCompare(b.phrase) || byPosition(a, b)).slice(0, limit);
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

/**
 * The most distinct n-grams one response gives (see forEachGram and ToneAnalysis.openers): three
 * for each opener of the first four and the last two sentences, two for the closer.
 */
export const MAX_GRAMS_PER_RESPONSE = 20;

/**
 * Misra–Gries counters by n-gram hash, in the order they were made (as a Map keeps its keys):
 * positions in two typed arrays, found through a small open-addressing index. A `Map<number,
 * number>` boxed the hashes outside V8's small-integer range, and each of the ~15 n-grams of
 * every response cost a lookup and a store there.
 */
class GramCounters {
  private hashes = new Int32Array(64);
  private values = new Int32Array(64);
  /** Per slot the position of a counter + 1 (0: empty); at most a quarter full. */
  private index = new Int32Array(256);
  size = 0;

  /** Adds one to the counter of `hash`; false when it has none. */
  increment(hash: number): boolean {
    const at = this.find(hash);
    if (at < 0) return false;
    this.values[at]++;
    return true;
  }

  /** The counter of `hash` (0 when it has none). */
  value(hash: number): number {
    const at = this.find(hash);
    return at < 0 ? 0 : this.values[at];
  }

  /** Makes a counter of 1 for `hash` (which has none), after the others. */
  add(hash: number): void {
    if (this.size === this.hashes.length) {
      this.hashes = grown(this.hashes, this.size + 1);
      this.values = grown(this.values, this.size + 1);
    }
    this.hashes[this.size] = hash;
    this.values[this.size] = 1;
    this.size++;
    if (this.size * 4 > this.index.length) {
      this.index = new Int32Array(this.index.length * 2);
      this.reindex(0);
    } else this.reindex(this.size - 1);
  }

  /** Takes one from every counter; those that reach zero are dropped (`dropped` hears of each), the others keep their order. */
  decrementAll(dropped: (hash: number) => void): void {
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      if (this.values[i] > 1) {
        this.hashes[kept] = this.hashes[i];
        this.values[kept++] = this.values[i] - 1;
      } else dropped(this.hashes[i]);
    }
    this.size = kept;
    this.index.fill(0);
    this.reindex(0);
  }

  /** The hashes with a counter, oldest first. */
  *keys(): IterableIterator<number> {
    for (let i = 0; i < this.size; i++) yield this.hashes[i];
  }

  /** Puts the counters from position `from` on into the index. */
  private reindex(from: number): void {
    const index = this.index;
    const mask = index.length - 1;
    for (let i = from; i < this.size; i++) {
      let slot = slotOf(this.hashes[i], mask);
      while (index[slot] !== 0) slot = (slot + 1) & mask;
      index[slot] = i + 1;
    }
  }

  /** The position of the counter of `hash`, or -1. */
  private find(hash: number): number {
    const index = this.index;
    const mask = index.length - 1;
    for (let slot = slotOf(hash, mask); ; slot = (slot + 1) & mask) {
      const at = index[slot];
      if (at === 0) return -1;
      if (this.hashes[at - 1] === hash) return at - 1;
    }
  }
}

/** Hashes per pool chunk (256 KB). */
const CHUNK = 1 << 16;

/**
 * One side's shortcut candidates for every record of a streamed check, without their strings:
 * each record's distinct n-gram hashes (in first-use order) in a pool of fixed-size chunks (a
 * record's hashes stay in one chunk), which grows a chunk at a time instead of by doubling: a
 * doubled array is up to half empty, and growing it holds the old and the new copy at once, at
 * the end of a gigabyte file when the pool is largest. Which n-grams are frequent is followed
 * with Misra–Gries counters, as many as make every n-gram that `threshold` of the side's
 * responses use stay among them to the end; their words are kept while they are counted. Exact
 * counts come from the pool at the end, for those n-grams only.
 */
class GramColumn {
  /** The chunk being filled (chunk number `store.count`); the full ones are in the store. */
  private current: Int32Array = new Int32Array(CHUNK);
  /** Hashes used in each stored chunk. */
  private chunkEnds: number[] = [];
  /** Hashes used in the current chunk. */
  private used = 0;
  /** Where each record's hashes start (chunk × CHUNK + offset), and how many it has. */
  private starts = new Int32Array(1 << 10);
  private counts = new Uint8Array(1 << 10);
  private rows = 0;
  /** Responses with candidates. */
  total = 0;
  private counters = new GramCounters();
  readonly texts = new Map<number, GramText>();
  /** How often every counter went down by one: an n-gram without a counter was used at most this often. */
  decrements = 0;
  private readonly capacity: number;

  constructor(
    threshold: number,
    private readonly store: ChunkStore,
  ) {
    // Each response adds at most MAX_GRAMS_PER_RESPONSE to the n responses' counts, so there are
    // at most n × MAX / (capacity + 1) < threshold × n decrements.
    this.capacity = threshold > 0 ? Math.ceil(MAX_GRAMS_PER_RESPONSE / threshold) + 1 : Infinity;
  }

  add(openers: string | undefined): void {
    if (this.rows + 1 > this.starts.length) {
      this.starts = grown(this.starts, this.rows + 1);
      this.counts = grown(this.counts, this.rows + 1);
    }
    const row = this.rows++;
    if (this.used + MAX_GRAMS_PER_RESPONSE > CHUNK) {
      this.chunkEnds.push(this.used);
      this.current = this.store.put(this.current);
      this.used = 0;
    }
    const chunk = this.current;
    const from = this.used;
    this.starts[row] = this.store.count * CHUNK + from;
    if (openers !== undefined) {
      this.total++;
      forEachGram(openers, (h, start, end, closer) => {
        // More than the tone analysis gives (a test holds it to the bound) would void the
        // counters' guarantee: the extra n-grams are left out rather than the check failing.
        if (this.used - from >= MAX_GRAMS_PER_RESPONSE) return;
        for (let k = from; k < this.used; k++) if (chunk[k] === h) return;
        chunk[this.used++] = h;
        this.count(h, openers, start, end, closer);
      });
    }
    this.counts[row] = this.used - from;
  }

  private count(h: number, openers: string, start: number, end: number, closer: boolean): void {
    const counters = this.counters;
    if (counters.increment(h)) return;
    if (counters.size < this.capacity) {
      counters.add(h);
      this.texts.set(h, { text: openers.slice(start, end), closer });
    } else {
      this.decrements++;
      counters.decrementAll((k) => this.texts.delete(k));
    }
  }

  /** Chunk `k` (read in order: a stored chunk is valid until the next is read). */
  private chunk(k: number): Int32Array {
    return k === this.store.count ? this.current : this.store.get(k);
  }

  /** The n-grams with a counter: every one used by more than `decrements` responses is among them. */
  counted(): Iterable<number> {
    return this.counters.keys();
  }

  /** Exact counts of the given hashes (each response counted once). */
  exactCounts(hashes: ReadonlySet<number>): Map<number, number> {
    // Tallied in counters that start at 1 (typed arrays: no Set and Map lookups for each of the pool's n-grams).
    const tally = new GramCounters();
    for (const h of hashes) tally.add(h);
    for (let i = 0; i <= this.store.count; i++) {
      const chunk = this.chunk(i);
      const end = i < this.chunkEnds.length ? this.chunkEnds[i] : this.used;
      for (let k = 0; k < end; k++) tally.increment(chunk[k]);
    }
    const out = new Map<number, number>();
    for (const h of hashes) {
      const uses = tally.value(h) - 1;
      if (uses > 0) out.set(h, uses);
    }
    return out;
  }

  /** Record `row`'s first n-gram that `wanted` accepts, 0 when none (rows read in order: see `chunk`). */
  first(row: number, wanted: (hash: number) => boolean): number {
    const start = this.starts[row];
    const chunk = this.chunk(Math.floor(start / CHUNK));
    const from = start % CHUNK;
    for (let k = from; k < from + this.counts[row]; k++) if (wanted(chunk[k])) return chunk[k];
    return 0;
  }

  /** Records added. */
  get size(): number {
    return this.rows;
  }

  /** Bytes held in memory (the pool's chunks and the per-record columns' capacity). */
  get bytes(): number {
    return this.store.bytes + this.current.byteLength + this.starts.byteLength + this.counts.byteLength;
  }

  dispose(): void {
    this.store.dispose();
  }
}

/**
 * Whether a hash is one of `hashes` (a few reported phrases), asked of every n-gram of every
 * record: a bit per low 10 bits of the hash turns nearly all away before the list is searched.
 */
function hashTest(hashes: readonly number[]): (hash: number) => boolean {
  const bits = new Uint8Array(1024);
  for (const h of hashes) bits[h & 1023] = 1;
  return (h) => bits[h & 1023] === 1 && hashes.includes(h);
}

/**
 * The shortcut search over a streamed file's records, kept compact (see GramColumn): records are
 * added in line order by row, and `search` gives the same phrases and uses as ShortcutIndex.search
 * on the same records. It needs the threshold it will be searched with from the start.
 */
export class ShortcutColumns {
  private chosen: GramColumn;
  private rejected: GramColumn;

  /** `stores` makes the store of each side's full pool chunks (in memory unless given). */
  constructor(threshold: number, stores: ChunkStores = memoryChunks) {
    this.chosen = new GramColumn(threshold, stores());
    this.rejected = new GramColumn(threshold, stores());
  }

  /** Lets go of the pools' stores (temporary files). */
  dispose(): void {
    this.chosen.dispose();
    this.rejected.dispose();
  }

  add(input: ShortcutSides): void {
    this.chosen.add(input.so);
    this.rejected.add(input.ro);
  }

  get bytes(): number {
    return this.chosen.bytes + this.rejected.bytes;
  }

  /** As ShortcutIndex.search, with records named by row (the order they were added in). */
  search(options: ShortcutOptions, visit: (row: number, side: Side, phrase: number, phrases: readonly ShortcutPhrase[]) => void): ShortcutPhrase[] {
    const columns = { chosen: this.chosen, rejected: this.rejected };
    if (tooFewResponses(options, this.chosen, this.rejected)) return [];
    for (const column of [this.chosen, this.rejected]) {
      if (column.decrements >= neededCount(options, column.total)) throw new Error('the shortcut search was given another threshold than its columns were made for');
    }
    const counted = new Set([...this.chosen.counted(), ...this.rejected.counted()]);
    const exact = { chosen: this.chosen.exactCounts(counted), rejected: this.rejected.exactCounts(counted) };
    const source = (side: Side): CountSource => ({
      total: columns[side].total,
      count: (h) => exact[side].get(h) ?? 0,
      forEachAtLeast(need, fn) {
        for (const h of columns[side].counted()) {
          const c = exact[side].get(h) ?? 0;
          if (c >= need) fn(h, c);
        }
      },
    });
    const candidates = findCandidates(options, source('chosen'), source('rejected'));
    if (!candidates.size) return [];
    const phrases = selectPhrases(candidates, (h) => (candidates.get(h)!.side === 'chosen' ? this.chosen : this.rejected).texts.get(h), this.chosen.total, this.rejected.total, options.limit ?? 10);
    const index = new Map(phrases.map((p, i) => [p.hash, i]));
    const reported = phrases.map(({ hash: _hash, ...p }): ShortcutPhrase => p);
    const chosenPhrase = hashTest(phrases.filter((p) => p.side === 'chosen').map((p) => p.hash));
    const rejectedPhrase = hashTest(phrases.filter((p) => p.side === 'rejected').map((p) => p.hash));
    const rows = this.chosen.size;
    for (let row = 0; row < rows; row++) {
      const c = this.chosen.first(row, chosenPhrase);
      if (c) visit(row, 'chosen', index.get(c)!, reported);
      const r = this.rejected.first(row, rejectedPhrase);
      if (r) visit(row, 'rejected', index.get(r)!, reported);
    }
    return reported;
  }
}
