/**
 * What a response shows on its surface, stored per record for the dataset-level checks: the words
 * that open its sentences and close it (candidates for shortcut phrases), and a count of common
 * English and foreign words at its beginning (for the language guess).
 */
import type { LanguageCounts } from './language';
import { WORD_ENGLISH, WORD_FOREIGN } from './lexicon';
import { Vocabulary } from './vocab';
import { tokenText, WordTable } from './words';

/** Tokens read for the language guess: the beginning says it, and the work stays bounded. */
const LANGUAGE_SAMPLE_TOKENS = 120;

export function languageCounts(vocab: Vocabulary, t: WordTable): LanguageCounts {
  const n = Math.min(t.n, LANGUAGE_SAMPLE_TOKENS);
  let english = 0;
  let foreign = 0;
  for (let i = 0; i < n; i++) {
    const f = vocab.flags[t.tokens[i]];
    if (f & WORD_ENGLISH) english++;
    else if (f & WORD_FOREIGN) foreign++;
  }
  return { words: n, english, foreign };
}

/** Words kept from the start of a sentence, and from the end of the response. */
const OPENER_WORDS = 4;
const CLOSER_WORDS = 3;

/**
 * Normalised words that open sentences (up to four words each; the first four and the last two
 * sentences) and, prefixed with `$`, the response's last three words.
 */
export function shortcutCandidates(vocab: Vocabulary, t: WordTable): string[] {
  const out: string[] = [];
  const n = t.sentences.length;
  for (let s = 0; s < n; s++) {
    if (s >= 4 && s < n - 2) continue;
    const sent = t.sentences[s];
    const end = Math.min(sent.endToken, sent.firstToken + OPENER_WORDS);
    if (end - sent.firstToken < 2) continue;
    out.push(tokenText(vocab, t, sent.firstToken, end));
  }
  if (t.n >= 2) out.push(`$${tokenText(vocab, t, Math.max(0, t.n - CLOSER_WORDS), t.n)}`);
  return out;
}
