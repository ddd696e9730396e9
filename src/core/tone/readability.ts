import { syllable } from 'syllable';

/** Syllables in one lower-case word (callers memoise: see `Vocabulary.syllables`). */
export function syllables(word: string): number {
  if (/^\d/.test(word)) return Math.max(1, Math.min(4, word.length));
  if (word.length <= 3) return 1;
  return Math.max(1, syllable(word));
}

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
