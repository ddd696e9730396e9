/**
 * Interns lower-case words as small integer ids so the tone scanner can look words up without
 * cutting a string out of the text for every word (the scan runs over every response of
 * 100k-record files). Ids below `pinned` belong to the lexicons and never change; the others are
 * a cache that is dropped when it grows past a bound, between two analyses.
 */

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

/** How `lookup` reads its text: a whole word, a slice of lower-cased text, a slice to fold A–Z in. */
const WHOLE = 0;
const SLICE = 1;
const FOLDED = 2;

export class Vocabulary {
  private words: string[] = [];
  private hashes: number[] = [];
  private slots = new Int32Array(1 << 16);
  private mask = (1 << 16) - 1;
  private pinned = 0;
  /** Changes whenever cached ids are dropped, so holders of non-lexicon ids can tell. */
  generation = 0;
  /** Per-id bit flags that the lexicon assigns (command verb, acronym, ...). */
  flags = new Uint8Array(1 << 12);
  /** Per-id syllable counts, 0 until computed. */
  syllables = new Uint8Array(1 << 12);

  get size(): number {
    return this.words.length;
  }

  word(id: number): string {
    return this.words[id];
  }

  /** The id of a word given as a string (already lower case and normalised). */
  id(word: string): number {
    return this.lookup(word, 0, word.length, hashString(word), WHOLE);
  }

  /** The id of `lower[from, to)`; `hash` must be the hash of exactly those characters. */
  idOfSlice(lower: string, from: number, to: number, hash: number): number {
    return this.lookup(lower, from, to, hash, SLICE);
  }

  /**
   * The id of `text[from, to)` with A–Z read as a–z, for text whose other characters are their
   * own lower case (see `foldsToLowerCase`); `hash` is the hash of the folded characters. Saves
   * lower-casing whole responses, which is slow for strings with any non-Latin-1 character.
   */
  idOfAsciiFolded(text: string, from: number, to: number, hash: number): number {
    return this.lookup(text, from, to, hash, FOLDED);
  }

  private lookup(text: string, from: number, to: number, hash: number, mode: number): number {
    const len = to - from;
    let slot = hash & this.mask;
    for (;;) {
      const v = this.slots[slot];
      if (v === 0) break;
      const id = v - 1;
      if (this.hashes[id] === hash) {
        const w = this.words[id];
        if (w.length === len) {
          let k = 0;
          if (mode === FOLDED) {
            for (; k < len; k++) {
              let c = text.charCodeAt(from + k);
              if (c >= 65 && c <= 90) c += 32;
              if (w.charCodeAt(k) !== c) break;
            }
          } else while (k < len && w.charCodeAt(k) === text.charCodeAt(from + k)) k++;
          if (k === len) return id;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    const id = this.words.length;
    this.words.push(mode === WHOLE ? text : mode === SLICE ? text.slice(from, to) : text.slice(from, to).toLowerCase());
    this.hashes.push(hash);
    this.slots[slot] = id + 1;
    if (id >= this.flags.length) {
      const grow = (a: Uint8Array) => {
        const b = new Uint8Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.flags = grow(this.flags);
      this.syllables = grow(this.syllables);
    }
    if (this.words.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return id;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < this.words.length; id++) {
      let slot = this.hashes[id] & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
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
    this.flags.fill(0, this.pinned);
    this.syllables.fill(0, this.pinned);
    this.rehash(this.slots.length);
    this.generation++;
  }
}
