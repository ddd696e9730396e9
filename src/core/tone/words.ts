import { CodeUnits } from '../codeUnits';
import { Vocabulary, WORD_SPELLED } from './vocab';

/** A local copy of the flag bit, read once per word (an imported binding can cost a property read each time). */
const SPELLED = WORD_SPELLED;

/** FNV-1a start value (the same as the vocabulary's). */
const HASH_START = 0x811c9dc5 | 0;

/**
 * Splits response text into word tokens and sentences in one pass, keeping the offset of every
 * token in its source string so findings can point at the exact words.
 *
 * Tokens are interned lower-case words (ids in a `Vocabulary`), curly apostrophes straightened,
 * and contractions expanded ("don't" → "do" "not", "you're" → "you" "are"): both tokens keep the
 * span of the written word, so lexicon patterns are written once in their long form and match
 * either way.
 */

export interface SentenceSpan {
  seg: number;
  start: number;
  end: number;
  /** Token range [firstToken, endToken). */
  firstToken: number;
  endToken: number;
  /** Written words (a contraction counts once); `firstWord` indexes `surface`. */
  words: number;
  firstWord: number;
  question: boolean;
  /** The sentence ends with `!` (alone or in a run). */
  exclaim: boolean;
}

export interface WordTable {
  /** Number of tokens. */
  n: number;
  /** Token ids (see `Vocabulary.word`). */
  tokens: Int32Array;
  start: Int32Array;
  end: Int32Array;
  sentence: Int32Array;
  /** Bit flags per token, see FLAG_*. */
  flags: Uint8Array;
  /** Ids of the written words, in order (for syllable counts). */
  surface: Int32Array;
  surfaceCount: number;
  sentences: SentenceSpan[];
  /** Runs of two or more `!` (or `?!`), as shouting evidence. */
  bangs: { seg: number; start: number; end: number }[];
}

/** The token opens its sentence. */
export const FLAG_SENTENCE_START = 1;
/** The written word is all capitals (two letters or more). */
export const FLAG_ALL_CAPS = 2;
/** The token is the second half of an expanded contraction. */
export const FLAG_CONTRACTION_TAIL = 4;
/** The token is inside quotation marks ("…", “…”, '…', ‘…’): quoted or mentioned, not said to the reader. */
export const FLAG_QUOTED = 8;
/** A clause break follows the written word: a comma, semicolon, colon or dash. */
export const FLAG_PAUSE_AFTER = 16;

const PRONOUN_IS = new Set(['it', 'that', 'there', 'here', 'what', 'who', 'he', 'she', 'where', 'how', 'this', 'everything', 'nothing', 'something']);
const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'st', 'vs', 'etc', 'e', 'i', 'g', 'approx', 'no', 'jr', 'sr', 'prof']);

function hasDigit(u: Uint16Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (u[k] >= 48 && u[k] <= 57) return true;
  return false;
}

/** Per ASCII code unit, 1 for a letter or digit. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? 1 : 0;

function isWordCode(c: number): boolean {
  if (c < 128) return ASCII_WORD[c] === 1;
  // Letters beyond ASCII (é, ß, ...), excluding general punctuation, spaces and surrogates (emoji).
  return c >= 0xc0 && !(c >= 0x2000 && c <= 0x206f) && c !== 0x3000 && !(c >= 0xd800 && c <= 0xdfff) && c !== 0xfeff && c !== 0xd7 && c !== 0xf7;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Expands a contraction into its long form, or returns undefined. `word` is lower case with straight apostrophes. */
export function expandContraction(word: string): string[] | undefined {
  if (word === 'cannot') return ['can', 'not'];
  const q = word.indexOf("'");
  if (q <= 0) return undefined;
  const tail = word.slice(q);
  const stem = word.slice(0, q);
  if (tail === "'t" && stem.endsWith('n')) {
    const base = stem.slice(0, -1);
    if (base === 'ca') return ['can', 'not'];
    if (base === 'wo') return ['will', 'not'];
    if (base === 'sha') return ['shall', 'not'];
    if (base === 'ai') return ['is', 'not'];
    return base ? [base, 'not'] : undefined;
  }
  switch (tail) {
    case "'re":
      return [stem, 'are'];
    case "'ve":
      return [stem, 'have'];
    case "'ll":
      return [stem, 'will'];
    case "'d":
      return [stem, 'would'];
    case "'m":
      return [stem, 'am'];
    case "'s":
      if (stem === 'let') return ['let', 'us'];
      return PRONOUN_IS.has(stem) ? [stem, 'is'] : undefined;
    default:
      return undefined;
  }
}

export function newTable(capacity: number): WordTable {
  return {
    n: 0,
    tokens: new Int32Array(capacity),
    start: new Int32Array(capacity),
    end: new Int32Array(capacity),
    sentence: new Int32Array(capacity),
    flags: new Uint8Array(capacity),
    surface: new Int32Array(capacity),
    surfaceCount: 0,
    sentences: [],
    bangs: [],
  };
}

/**
 * Scans one or more strings (the turns of a response) into a single table. `reuse` is a table
 * whose buffers may be recycled (the analyser keeps one so 100k records do not allocate 100k
 * sets of arrays); the returned table may be it. `inPlace: false` reads every turn from a
 * lower-case copy, the long way (tests compare the two).
 */
export function scanWords(vocab: Vocabulary, segments: readonly string[], reuse?: WordTable, inPlace = true): WordTable {
  let capacity = 1;
  for (const s of segments) capacity += s.length;
  let t: WordTable;
  if (reuse && reuse.tokens.length >= capacity) {
    t = reuse;
    t.n = 0;
    t.surfaceCount = 0;
    t.sentences = [];
    t.bangs = [];
  } else t = newTable(Math.max(capacity, reuse ? reuse.tokens.length * 2 : 0));
  const codes = wordCodes.length >= capacity ? wordCodes : (wordCodes = new Uint16Array(capacity));
  for (let s = 0; s < segments.length; s++) {
    const n = t.n;
    const surfaceCount = t.surfaceCount;
    const sentenceCount = t.sentences.length;
    const bangCount = t.bangs.length;
    const text = segments[s];
    const units = turnUnits.of(text);
    if (inPlace && scanSegment(vocab, text, units, s, t, codes, true)) continue;
    // A character that lower-casing changes (É, Σ, İ): start the segment again with a lower-case copy.
    t.n = n;
    t.surfaceCount = surfaceCount;
    t.sentences.length = sentenceCount;
    t.bangs.length = bangCount;
    scanSegment(vocab, text, units, s, t, codes, false);
  }
  return t;
}

/** The code units of the turn being scanned (see CodeUnits). */
const turnUnits = new CodeUnits();

/** The characters of the word being read, lower case (grown to the longest text scanned; reused, scans never nest). */
let wordCodes = new Uint16Array(1024);

/** The token strings of [from, to) joined by spaces (`tokenStrings(...).join(' ')`, without the array). */
export function tokenText(vocab: Vocabulary, t: WordTable, from: number, to: number): string {
  if (from >= to) return '';
  let text = vocab.word(t.tokens[from]);
  for (let i = from + 1; i < to; i++) text += ` ${vocab.word(t.tokens[i])}`;
  return text;
}

/** The token strings of a table (for tests and phrase display). */
export function tokenStrings(vocab: Vocabulary, t: WordTable, from = 0, to = t.n): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(vocab.word(t.tokens[i]));
  return out;
}

/** Per UTF-16 code unit at or above 0x80: 0 not known yet, 1 its own lower case, 2 not. */
const lowerCaseKnown = new Uint8Array(0x10000);

/** Whether lower-casing leaves the code unit `c` (at or above 0x80) as it is; surrogates count as unchanged (see foldsToLowerCase). */
function ownLowerCase(c: number): boolean {
  let known = lowerCaseKnown[c];
  if (known === 0) {
    const ch = String.fromCharCode(c);
    known = lowerCaseKnown[c] = (c >= 0xd800 && c <= 0xdfff) || ch.toLowerCase() === ch ? 1 : 2;
  }
  return known === 1;
}

/**
 * Whether lower-casing `text` only maps A–Z to a–z (true for most text, accents included:
 * "é" is already lower case). Code units of surrogate pairs count as unchanged: they are never
 * part of a word, and lower-casing keeps astral characters astral, so offsets still line up.
 * (The scanner decides the same while it reads, see scanSegment.)
 */
export function foldsToLowerCase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 && !ownLowerCase(c)) return false;
  }
  return true;
}

/**
 * Scans one segment into `t`. With `fold`, the text is read in place with A–Z folded to a–z
 * (nearly all text needs no more), and the scan gives up, returning false, at the first
 * character that lower-casing would change (as `foldsToLowerCase` would find it): the caller
 * undoes what was added and scans again without `fold`, from a lower-case copy. That copy keeps
 * offsets unless a rare character changes length; then words go the slow way. Every character
 * is read once here, by the word loop or the loop between words.
 */
function scanSegment(vocab: Vocabulary, text: string, u: Uint16Array, seg: number, t: WordTable, codes: Uint16Array, fold: boolean): boolean {
  let lower: string | undefined;
  if (!fold) {
    const lowerAll = text.toLowerCase();
    lower = lowerAll.length === text.length ? lowerAll : undefined;
  }
  const len = text.length;
  const { tokens, start, end, sentence, flags, surface, sentences } = t;
  let n = t.n;
  let words = t.surfaceCount;
  // The open sentence (sentStart < 0: none open).
  let sentStart = -1;
  let sentFirstToken = 0;
  let sentFirstWord = 0;
  let sentWords = 0;
  let lastWordEnd = 0;
  // Inside quotation marks: 0 no, QUOTE_DOUBLE or QUOTE_SINGLE (reset at a line break, so one stray mark cannot hide a whole turn).
  let quote = 0;

  let i = 0;
  while (i < len) {
    const c = u[i];
    if (!isWordCode(c)) {
      if (c === 46 || c === 33 || c === 63) {
        // . ! ? — a run of them ends the sentence (unless it is an abbreviation followed by more text).
        let j = i + 1;
        let bangs = c === 33 ? 1 : 0;
        let question = c === 63;
        while (j < len) {
          const d = u[j];
          if (d === 33) bangs++;
          else if (d === 63) question = true;
          else if (d !== 46) break;
          j++;
        }
        if (bangs >= 2 || (bangs >= 1 && question)) t.bangs.push({ seg, start: i, end: j });
        if (c === 46 && j === i + 1 && words > 0 && lastWordEnd === i && isAbbreviationStop(u, len, i, vocab.word(surface[words - 1]), sentWords > 1 ? vocab.word(surface[words - 2]) : '')) {
          i = j;
          continue;
        }
        // Closing quotes or brackets belong to the sentence.
        while (j < len) {
          const d = u[j];
          if (d !== 34 && d !== 0x201d && d !== 41 && d !== 0x2019 && d !== 39) break;
          if (d !== 41) quote = quoteAfter(quote, d, u, len, j);
          j++;
        }
        if (sentStart >= 0) sentences.push({ seg, start: sentStart, end: j, firstToken: sentFirstToken, endToken: n, words: sentWords, firstWord: sentFirstWord, question, exclaim: bangs > 0 });
        sentStart = -1;
        i = j;
        continue;
      }
      if (c >= 0x80 && fold && !ownLowerCase(c)) return false;
      if ((c === 10 || c === 13) && sentStart >= 0) {
        sentences.push({ seg, start: sentStart, end: lastWordEnd, firstToken: sentFirstToken, endToken: n, words: sentWords, firstWord: sentFirstWord, question: false, exclaim: false });
        sentStart = -1;
      }
      // Spaces (most of what is read here) need none of these tests.
      if (c !== 32) {
        if (c === 10 || c === 13) quote = 0;
        else if (c === 34 || c === 39 || (c >= 0x2018 && c <= 0x201d)) quote = quoteAfter(quote, c, u, len, i);
        else if ((c === 44 || c === 59 || c === 58 || c === 0x2013 || c === 0x2014) && sentStart >= 0 && n > sentFirstToken) flags[n - 1] |= FLAG_PAUSE_AFTER;
      }
      i++;
      continue;
    }

    // A word: letters and digits, with inner apostrophes and hyphens, and decimal points.
    let j = i;
    let hasApostrophe = false;
    let upper = 0;
    let letters = 0;
    let hash = HASH_START;
    while (j < len) {
      let d = u[j];
      if (d >= 97 && d <= 122) letters++;
      else if (d >= 65 && d <= 90) {
        upper++;
        letters++;
        d += 32;
      } else if (d >= 0x80 && fold && !ownLowerCase(d)) return false;
      else if (d === 0x2bc) hasApostrophe = true;
      else if (!isWordCode(d)) {
        if (j > i && j + 1 < len && isWordCode(u[j + 1])) {
          if (d === 39 || d === 0x2019 || d === 0xb4 || d === 0x60 || d === 0x2bc) hasApostrophe = true;
          else if (!(d === 45 || (d === 46 && isDigit(u[j - 1]) && isDigit(u[j + 1])))) break;
        } else break;
      }
      // `d` is the lower-case character now (read from the copy when not folding).
      if (!fold && lower !== undefined) d = lower.charCodeAt(j);
      codes[j - i] = d;
      hash = Math.imul(hash ^ d, 0x01000193);
      j++;
    }
    if (sentStart < 0) {
      sentStart = i;
      sentFirstToken = n;
      sentFirstWord = words;
      sentWords = 0;
    }
    let f = sentWords === 0 ? FLAG_SENTENCE_START : 0;
    if (quote) f |= FLAG_QUOTED;
    // Capitals with digits are codes (B12, A1C, a chunk of base64), not shouting; checked only
    // for the rare all-capitals word.
    if (letters >= 2 && upper === letters && !hasDigit(u, i, j)) f |= FLAG_ALL_CAPS;
    const sIndex = sentences.length;
    let surfaceId: number;
    // Lower-casing changed the text's length: the word is read as a string, the long way.
    const byString = !fold && lower === undefined;
    if (byString) surfaceId = vocab.id(wordString(text, lower, i, j, hasApostrophe));
    else {
      if (hasApostrophe) hash = straightenApostrophes(codes, j - i);
      surfaceId = vocab.find(codes, j - i, hash);
      if (surfaceId < 0) surfaceId = vocab.add(wordString(text, lower, i, j, hasApostrophe), hash);
    }
    surface[words++] = surfaceId;
    sentWords++;
    // "your not alone", "your doing so well": "your" written for "you're" reads as "you are" (the two tokens share the written word's span).
    const mixed = vocab.yourAsYouAre;
    if (mixed && n > sentFirstToken && tokens[n - 1] === mixed.your && mixed.before.has(surfaceId)) {
      tokens[n - 1] = mixed.you;
      tokens[n] = mixed.are;
      start[n] = start[n - 1];
      end[n] = end[n - 1];
      sentence[n] = sentence[n - 1];
      flags[n] = (flags[n - 1] & (FLAG_ALL_CAPS | FLAG_QUOTED)) | FLAG_CONTRACTION_TAIL;
      n++;
    }
    // "im", "dont", "u", "ur": a contraction written without its apostrophe, or a texting form, reads as the words it stands for.
    const spelled = vocab.flags[surfaceId] & SPELLED && !hasApostrophe ? vocab.spellings.get(surfaceId) : undefined;
    const expanded = !spelled && (hasApostrophe || byString || (j - i === 6 && isCannot(u, i))) ? longForm(vocab, surfaceId) : undefined;
    if (spelled && spelled.length === 1) {
      tokens[n] = spelled[0];
      start[n] = i;
      end[n] = j;
      sentence[n] = sIndex;
      flags[n] = f;
      n++;
    } else if (spelled || expanded) {
      const first = spelled ? spelled[0] : expanded![0];
      const second = spelled ? spelled[1] : expanded![1];
      tokens[n] = first;
      tokens[n + 1] = second;
      start[n] = start[n + 1] = i;
      end[n] = end[n + 1] = j;
      sentence[n] = sentence[n + 1] = sIndex;
      flags[n] = f;
      flags[n + 1] = (f & (FLAG_ALL_CAPS | FLAG_QUOTED)) | FLAG_CONTRACTION_TAIL;
      n += 2;
    } else {
      tokens[n] = surfaceId;
      start[n] = i;
      end[n] = j;
      sentence[n] = sIndex;
      flags[n] = f;
      n++;
    }
    lastWordEnd = j;
    i = j;
  }
  if (sentStart >= 0) sentences.push({ seg, start: sentStart, end: lastWordEnd, firstToken: sentFirstToken, endToken: n, words: sentWords, firstWord: sentFirstWord, question: false, exclaim: false });
  t.n = n;
  t.surfaceCount = words;
  return true;
}

/** The written word [i, j) of `text` as the vocabulary holds it: lower case (from `lower`, the lower-case copy, when there is one), apostrophes straightened. */
function wordString(text: string, lower: string | undefined, i: number, j: number, hasApostrophe: boolean): string {
  const word = lower !== undefined ? lower.slice(i, j) : text.slice(i, j).toLowerCase();
  // Curly, acute, grave and modifier apostrophes ("I´m", "don`t", typed on many keyboards) read as the straight one.
  return hasApostrophe ? word.replace(/[\u2019\u00b4\u0060\u02bc]/g, "'") : word;
}

/** Straightens the apostrophes of the word in `codes[0, len)` as `wordString` does; returns the word's hash. */
function straightenApostrophes(codes: Uint16Array, len: number): number {
  let hash = HASH_START;
  for (let k = 0; k < len; k++) {
    let d = codes[k];
    if (d === 0x2019 || d === 0xb4 || d === 0x60 || d === 0x2bc) codes[k] = d = 39;
    hash = Math.imul(hash ^ d, 0x01000193);
  }
  return hash;
}

/** The ids of the long form of the written word `id` ("don't" → "do" "not"), or undefined when it is no contraction; read once per word (see `Vocabulary.longForms`). */
function longForm(vocab: Vocabulary, id: number): readonly number[] | undefined {
  let ids = vocab.longForms.get(id);
  if (ids === undefined) {
    const words = expandContraction(vocab.word(id));
    ids = words ? words.map((w) => vocab.id(w)) : null;
    vocab.longForms.set(id, ids);
  }
  return ids ?? undefined;
}

const QUOTE_DOUBLE = 1;
const QUOTE_SINGLE = 2;

/**
 * The quotation state after the mark `c` at `at`. A straight double quote toggles; curly ones open
 * or close; a single quote (straight or curly) opens only before a word and after a non-word
 * (apostrophes inside words never reach here: the word loop keeps them) and closes an open
 * single quotation.
 */
function quoteAfter(quote: number, c: number, u: Uint16Array, len: number, at: number): number {
  if (c === 34) return quote === QUOTE_DOUBLE ? 0 : quote || QUOTE_DOUBLE;
  if (c === 0x201c) return quote || QUOTE_DOUBLE;
  if (c === 0x201d) return quote === QUOTE_DOUBLE ? 0 : quote;
  if (c === 0x201a || c === 0x201b || c === 0x201e || c === 0x201f) return quote;
  // ' ‘ ’
  if (quote === QUOTE_SINGLE) return 0;
  if (quote) return quote;
  const opens = at + 1 < len && isWordCode(u[at + 1]) && (at === 0 || !isWordCode(u[at - 1]));
  return opens && c !== 0x2019 ? QUOTE_SINGLE : opens && c === 0x2019 && (at === 0 || u[at - 1] === 32) ? QUOTE_SINGLE : 0;
}

const CANNOT = Array.from('cannot', (ch) => ch.charCodeAt(0));

/** "cannot" in any case at `at` (the caller knows the word is six characters long). */
function isCannot(u: Uint16Array, at: number): boolean {
  for (let k = 0; k < 6; k++) if ((u[at + k] | 0x20) !== CANNOT[k]) return false;
  return true;
}

/**
 * A period right after "Dr", "e.g", "etc" that is followed by more of the same sentence. "No." is
 * the number sign before a number or a lower-case word ("No. 5", "no. of doses"); after other words
 * of its sentence it is the word "no" ending it when a capital follows ("Oh no. Ring the GP.", "The
 * answer is no. Ask again."), and after an interjection whatever follows ("oh no. ring the gp").
 * An opening "No." before a capital is still read with what follows ("No. Read the label."), as
 * before. `wordBefore` is the word before `lastWord` in its sentence ('' if it opens the sentence).
 */
function isAbbreviationStop(u: Uint16Array, len: number, dot: number, lastWord: string, wordBefore: string): boolean {
  if (!ABBREVIATIONS.has(lastWord) && lastWord.length !== 1) return false;
  let k = dot + 1;
  while (k < len && u[k] === 32) k++;
  if (k >= len) return false;
  const d = u[k];
  if (lastWord === 'no' && wordBefore) return isDigit(d) || (d >= 97 && d <= 122 && !INTERJECTIONS.has(wordBefore));
  // Followed by a lower-case letter, a digit or (after a title like "Dr.") a name: not a sentence end.
  return (d >= 97 && d <= 122) || isDigit(d) || (lastWord !== 'i' && ABBREVIATIONS.has(lastWord) && d >= 65 && d <= 90);
}
/** Interjections that "no" may follow as a reaction ("Oh no.", "Aw no."). */
const INTERJECTIONS = new Set(['oh', 'ah', 'aw', 'aww', 'ag', 'och', 'awh', 'ahh', 'ohh']);
