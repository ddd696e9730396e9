/**
 * Interns lower-case words as small integer ids so the tone scanner can look words up without
 * cutting a string out of the text for every word (the scan runs over every response of
 * 100k-record files). Ids below `pinned` belong to the lexicons and never change; the others are
 * a cache that is dropped when it grows past a bound, between two analyses.
 */
import { grown } from '../typedArrays';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The FNV-1a start value; each character code `c` folds in as `h = Math.imul(h ^ c, 0x01000193)`. */
export const HASH_START = FNV_OFFSET;

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const MAX_WORDS = 400_000;

/**
 * A set of word ids that answers `has` from a byte per id: the tone rules ask their word sets
 * about word after word, and `Set.has` of a number costs a hash probe each time. Built once from
 * lexicon ids (small numbers), never changed.
 */
export class IdSet implements Iterable<number> {
  private readonly members: ReadonlySet<number>;
  private readonly bytes: Uint8Array;

  constructor(ids: Iterable<number>) {
    this.members = new Set(ids);
    let end = 0;
    for (const id of this.members) end = Math.max(end, id + 1);
    this.bytes = new Uint8Array(end);
    for (const id of this.members) this.bytes[id] = 1;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.bytes.length && this.bytes[id] === 1;
  }

  get size(): number {
    return this.members.size;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.members[Symbol.iterator]();
  }
}

/**
 * A fixed set of words that the tone rules ask about word ids: a lexicon word (its id is pinned)
 * is answered from a byte per id, any other from its string (the ids of the words met while
 * reading change when the vocabulary drops them, see `Vocabulary.trim`). Asking `words.has(vocab.word(id))`
 * cost a string hash lookup for every word, and the tone rules ask ~150 times a record.
 */
export class WordSet {
  private readonly words: ReadonlySet<string>;
  private vocab: Vocabulary | undefined;
  /** Per pinned id of `vocab`, 1 for a member (made on the first question after the lexicon is pinned). */
  private pinned = new Uint8Array(0);

  constructor(words: Iterable<string>) {
    this.words = new Set(words);
  }

  /** Whether word `id` of `vocab` is in the set. */
  has(vocab: Vocabulary, id: number): boolean {
    if (vocab !== this.vocab || this.pinned.length !== vocab.lexiconSize) this.bind(vocab);
    return id < this.pinned.length ? this.pinned[id] === 1 : this.words.has(vocab.word(id));
  }

  private bind(vocab: Vocabulary): void {
    this.vocab = vocab;
    this.pinned = new Uint8Array(vocab.lexiconSize);
    for (const w of this.words) {
      const id = vocab.known(w);
      if (id >= 0 && id < this.pinned.length) this.pinned[id] = 1;
    }
  }
}

/** The flag bit (the highest; the lexicon's own bits are below it) of a word with an entry in `Vocabulary.spellings`. */
export const WORD_SPELLED = 1 << 31;

/** Slots of the open-addressing table at first (it doubles when half full): small enough to stay in cache. */
const INITIAL_SLOTS = 1 << 12;

export class Vocabulary {
  private words: string[] = [];
  private hashes: number[] = [];
  /** Per slot two numbers: the id + 1 (0: empty) and the word's hash, side by side so a probe reads one place. */
  private slots = new Int32Array(2 * INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  /** Every word's characters, one after the other (`charStart[id]` on): compared without reading the strings. */
  private chars = new Uint16Array(1 << 14);
  private charStart = new Int32Array(1 << 12);
  private charsUsed = 0;
  private pinned = 0;
  /** Changes whenever cached ids are dropped, so holders of non-lexicon ids can tell. */
  generation = 0;
  /** Per-id bit flags that the lexicon assigns (command verb, acronym, ...). */
  flags = new Uint32Array(1 << 12);
  /** Per-id syllable counts, 0 until computed. */
  syllables = new Uint8Array(1 << 12);
  /** Informal spellings read as their standard words ("im" → "i am", "u" → "you"): lexicon ids, set once before `pin`. */
  readonly spellings = new Map<number, readonly number[]>();
  /** The long forms of the contractions met so far, by the written word's id: the ids of its two words, or null when it is none (filled by the scanner, see words.ts `longForm`; dropped with the cached words). */
  readonly longForms = new Map<number, readonly number[] | null>();
  /** "your" written for "you're": the ids of "your", "you", "are", and of the words after which "your" reads as "you are" ("your not alone"). */
  yourAsYouAre: { your: number; you: number; are: number; before: IdSet } | undefined;

  get size(): number {
    return this.words.length;
  }

  /** How many ids belong to the lexicons (the ids below it); the others are words met while reading. */
  get lexiconSize(): number {
    return this.pinned;
  }

  word(id: number): string {
    return this.words[id];
  }

  /** The length of word `id` (read without its string). */
  length(id: number): number {
    return this.charStart[id + 1] - this.charStart[id];
  }

  /** Whether word `id` has a character three times in a row ("suuure", "sooo"). */
  hasRunOfThree(id: number): boolean {
    const chars = this.chars;
    const end = this.charStart[id + 1];
    for (let k = this.charStart[id] + 2; k < end; k++) if (chars[k] === chars[k - 1] && chars[k] === chars[k - 2]) return true;
    return false;
  }

  /** The id of a word given as a string (lower case and normalised) if it has one, else -1 (nothing is added). */
  known(word: string): number {
    return this.slots[2 * this.slotOf(word, hashString(word))] - 1;
  }

  /** The id of a word given as a string (already lower case and normalised). */
  id(word: string): number {
    const hash = hashString(word);
    const slot = this.slotOf(word, hash);
    const v = this.slots[2 * slot];
    return v === 0 ? this.insert(slot, word, hash) : v - 1;
  }

  /** The slot that holds `word` (whose hash is `hash`), or the empty slot where it would go. */
  private slotOf(word: string, hash: number): number {
    const len = word.length;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[2 * slot];
      if (v === 0) return slot;
      if (this.slots[2 * slot + 1] !== hash) continue;
      const w = this.words[v - 1];
      if (w.length === len && w === word) return slot;
    }
  }

  /**
   * The id of the word whose characters are `codes[0, len)` (lower case, normalised), or -1 when
   * it is not known yet; `hash` must be their hash. The scanner fills `codes` as it reads a word,
   * so looking it up reads no string at all.
   */
  find(codes: Uint16Array, len: number, hash: number): number {
    const chars = this.chars;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[2 * slot];
      if (v === 0) return -1;
      if (this.slots[2 * slot + 1] !== hash) continue;
      const id = v - 1;
      const from = this.charStart[id];
      if (this.charStart[id + 1] - from !== len) continue;
      let k = 0;
      while (k < len && chars[from + k] === codes[k]) k++;
      if (k === len) return id;
    }
  }

  /** Adds a word that `find` did not find (`word` holds the same characters, `hash` their hash). */
  add(word: string, hash: number): number {
    let slot = hash & this.mask;
    while (this.slots[2 * slot] !== 0) slot = (slot + 1) & this.mask;
    return this.insert(slot, word, hash);
  }

  private insert(slot: number, word: string, hash: number): number {
    const id = this.words.length;
    this.words.push(word);
    this.hashes.push(hash);
    this.slots[2 * slot] = id + 1;
    this.slots[2 * slot + 1] = hash;
    if (id + 2 > this.charStart.length) this.charStart = grown(this.charStart, id + 2);
    if (this.charsUsed + word.length > this.chars.length) this.chars = grown(this.chars, this.charsUsed + word.length);
    for (let k = 0; k < word.length; k++) this.chars[this.charsUsed + k] = word.charCodeAt(k);
    this.charStart[id] = this.charsUsed;
    this.charsUsed += word.length;
    this.charStart[id + 1] = this.charsUsed;
    if (id >= this.flags.length) {
      this.flags = grown(this.flags, id + 1);
      this.syllables = grown(this.syllables, id + 1);
    }
    if (this.words.length * 2 > this.mask + 1) this.rehash(2 * (this.mask + 1));
    return id;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
    for (let id = 0; id < this.words.length; id++) {
      const hash = this.hashes[id];
      let slot = hash & this.mask;
      while (this.slots[2 * slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[2 * slot] = id + 1;
      this.slots[2 * slot + 1] = hash;
    }
  }

  /** Makes every current id permanent (called once the lexicons are loaded). */
  pin(): void {
    this.pinned = this.words.length;
  }

  /** Forgets the cached (non-lexicon) words once there are too many. Only call between analyses. */
  trim(): void {
    if (this.words.length < MAX_WORDS) return;
    this.words.length = this.pinned;
    this.hashes.length = this.pinned;
    this.charsUsed = this.charStart[this.pinned];
    this.flags.fill(0, this.pinned);
    this.syllables.fill(0, this.pinned);
    this.longForms.clear();
    this.rehash(this.mask + 1);
    this.generation++;
  }
}
