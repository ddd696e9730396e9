/**
 * Shouting: emphatic capitals of ordinary words, alone ("this is VERY important") or in runs
 * ("DO NOT DO THAT"), and repeated exclamation marks. Initialisms and acronyms (COPD, LGBTQ,
 * DNACPR) are not shouting.
 */
import { ToneMatch, spanMatch } from './axes';
import { Lexicon, WORD_ACRONYM, WORD_COMMAND, WORD_ENGLISH } from './lexicon';
import { masked } from './match';
import { Vocabulary } from './vocab';
import { FLAG_ALL_CAPS, FLAG_CONTRACTION_TAIL, FLAG_PAUSE_AFTER, WordTable } from './words';

/**
 * Adds a `shouting` match (respect) for each run of capitals that shouts and for each run of
 * `!`; returns how many tokens the shouting runs cover (a reply that is all shouting is worse
 * than one shouted word in a long answer).
 */
export function findShouting(lex: Lexicon, words: WordTable, mask: Uint8Array | undefined, matches: ToneMatch[]): number {
  const vocab = lex.vocab;
  let tokens = 0;
  const shout = lex.shouting;
  for (let i = 0; i < words.n; ) {
    if (!(words.flags[i] & FLAG_ALL_CAPS)) {
      i++;
      continue;
    }
    let j = i;
    while (j < words.n && words.flags[j] & FLAG_ALL_CAPS) j++;
    // Within the run, the written words that are not initialisms.
    const alone = j - i === 1 || (j - i === 2 && (words.flags[i + 1] & FLAG_CONTRACTION_TAIL) !== 0);
    let written = 0;
    let longest = 0;
    let firstShout = -1;
    let lastShout = -1;
    for (let k = i; k < j; k++) {
      if (words.flags[k] & FLAG_CONTRACTION_TAIL) continue;
      if (isInitialism(vocab, words, k, alone)) continue;
      written++;
      longest = Math.max(longest, words.end[k] - words.start[k]);
      if (firstShout < 0) firstShout = k;
      lastShout = k;
    }
    if ((written >= shout.minRunWords || (written >= 1 && longest >= shout.minLetters)) && !masked(mask, i, j)) {
      matches.push(spanMatch(words, firstShout, lastShout, 'respect', 'shouting', 'shouting', -shout.weight));
      tokens += j - i;
    }
    i = j;
  }
  for (const b of words.bangs) matches.push({ seg: b.seg, start: b.start, end: b.end, axis: 'respect', kind: 'shouting', category: 'shouting', weight: -shout.weight });
  return tokens;
}

/** Letters up to which an all-capitals word standing alone is read as an initialism (LGBTQ, BACP), unless it is a common word. */
const INITIALISM_LETTERS = 5;

/** An all-capitals word that is not shouting: a listed acronym, a short word that is not common English, or a long one with almost no vowels (DNACPR). */
function isInitialism(vocab: Vocabulary, t: WordTable, i: number, alone: boolean): boolean {
  const id = t.tokens[i];
  const f = vocab.flags[id];
  if (f & WORD_ACRONYM) return true;
  const word = vocab.word(id);
  if (t.flags[i] & FLAG_CONTRACTION_TAIL) return vowelShare(word) < 0.2;
  // A short word that is no English word, set off by a pause from the capitals beside it, is an initialism in a list ("her GP, CAMHS or speech therapist").
  if (!alone && word.length <= INITIALISM_LETTERS && !(f & (WORD_ENGLISH | WORD_COMMAND)) && !EMPHASIS_WORDS.has(word) && pausedFromRun(t, i)) return true;
  if (!alone) return vowelShare(word) < 0.2;
  if (word.length <= INITIALISM_LETTERS) return !(f & (WORD_ENGLISH | WORD_COMMAND)) && !EMPHASIS_WORDS.has(word);
  return vowelShare(word) < 0.25;
}

/** Whether every all-capitals word beside token `i` is set off from it by a pause ("GP, CAMHS"). */
function pausedFromRun(t: WordTable, i: number): boolean {
  if (i > 0 && t.flags[i - 1] & FLAG_ALL_CAPS && !(t.flags[i - 1] & FLAG_PAUSE_AFTER)) return false;
  if (i + 1 < t.n && t.flags[i + 1] & FLAG_ALL_CAPS && !(t.flags[i] & FLAG_PAUSE_AFTER)) return false;
  return true;
}

/** Short words written in capitals for emphasis ("this is VERY important", "do NOT stop"). */
const EMPHASIS_WORDS = new Set(['very', 'never', 'must', 'now', 'stop', 'not', 'always', 'really', 'only', 'ever', 'sure', 'want', 'dont', 'cant', 'wont', 'yes', 'no', 'why', 'what', 'how', 'hate', 'love', 'need', 'ask', 'call', 'wait', 'again', 'right', 'wrong', 'bad', 'good', 'less', 'most', 'least', 'every', 'each', 'whole', 'once', 'twice', 'done', 'shut', 'up', 'omg', 'wtf']);

function vowelShare(word: string): number {
  let vowels = 0;
  let letters = 0;
  for (let k = 0; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c < 97 || c > 122) continue;
    letters++;
    if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121) vowels++;
  }
  return letters ? vowels / letters : 1;
}
