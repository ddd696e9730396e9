import { syllable } from 'syllable';
import type { ToneSpan } from './axes';
import type { Vocabulary } from './vocab';
import type { WordTable } from './words';

/** Syllables in one lower-case word (callers memoise: see `Vocabulary.syllables`). */
export function syllables(word: string): number {
  if (/^\d/.test(word)) return Math.max(1, Math.min(4, word.length));
  // A run of letters longer than any English word (a pasted checksum, a key, a base64 blob) is not sounded out: it reads like a code.
  if (word.length > LONGEST_WORD) return CODE_SYLLABLES;
  if (word.length <= 3) return 1;
  return Math.max(1, syllable(word));
}

/** Letters in the longest words a reader meets ("antidisestablishmentarianism" has 28); a longer run is a code, not a word. */
const LONGEST_WORD = 30;
/** What such a code counts for: a long word, not hundreds of syllables. */
const CODE_SYLLABLES = 4;

/** Flesch–Kincaid grade level from word, sentence and syllable counts. */
export function fleschKincaidGrade(words: number, sentences: number, syllableCount: number): number {
  if (words === 0 || sentences === 0) return 0;
  return 0.39 * (words / sentences) + 11.8 * (syllableCount / words) - 15.59;
}

/** Grade at or below which text counts as fully simple, and at or above which as not simple at all. */
export const EASY_GRADE = 6;
export const HARD_GRADE = 16;

/** Maps a reading grade to a [0, 1] simplicity score (1 = easy to read). */
export function gradeToScore(grade: number): number {
  if (grade <= EASY_GRADE) return 1;
  if (grade >= HARD_GRADE) return 0;
  return 1 - (grade - EASY_GRADE) / (HARD_GRADE - EASY_GRADE);
}

export interface ReadingLevel {
  /** Flesch–Kincaid grade of the whole text. */
  grade: number;
  /** The sentence with the highest grade. */
  hardest?: ToneSpan & { grade: number; words: number };
  /** Written words of the longest sentence. */
  longestSentence: number;
}

/** The reading level of a scanned text: its grade, and the sentence that is hardest to read. */
export function readingLevel(vocab: Vocabulary, words: WordTable): ReadingLevel {
  let totalSyllables = 0;
  // The hardest sentence so far (the first of equal grades), made into a span once at the end.
  let hardestAt = -1;
  let hardestGrade = 0;
  let longestSentence = 0;
  const sentences = words.sentences;
  for (let s = 0; s < sentences.length; s++) {
    const sent = sentences[s];
    let syl = 0;
    for (let k = 0; k < sent.words; k++) syl += wordSyllables(vocab, words.surface[sent.firstWord + k]);
    totalSyllables += syl;
    longestSentence = Math.max(longestSentence, sent.words);
    const g = fleschKincaidGrade(sent.words, 1, syl);
    if (hardestAt < 0 || g > hardestGrade) {
      hardestAt = s;
      hardestGrade = g;
    }
  }
  const h = hardestAt < 0 ? undefined : sentences[hardestAt];
  const hardest = h && { seg: h.seg, start: h.start, end: h.end, grade: hardestGrade, words: h.words };
  const grade = fleschKincaidGrade(words.surfaceCount, Math.max(1, words.sentences.length), totalSyllables);
  return { grade, hardest, longestSentence };

}

function wordSyllables(vocab: Vocabulary, id: number): number {
  let n = vocab.syllables[id];
  if (n === 0) vocab.syllables[id] = n = Math.min(255, syllables(vocab.word(id)));
  return n;
}
