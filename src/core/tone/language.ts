/**
 * Whether a response is written in English: the tone rules' lexicons are English, so on other
 * languages they find nothing to praise and misread what they do match. Decided on the beginning
 * of the response (bounded work whatever its length) from two signals: letters of other scripts,
 * and the share of the commonest English words, which make up a third to a half of any English
 * text and almost none of a French, Spanish or German one. The words are counted by the tone
 * scanner as it reads (the lexicon flags the word lists below; see analyzeTone's `language`).
 */

/** Characters read: enough for a few dozen words. */
const SAMPLE_CHARS = 600;
/** Fewer words than this: too short to tell (an English reply of a few words stays English). */
const MIN_WORDS = 8;
/** Below this share of common English words, the text is not English. */
const MIN_ENGLISH_SHARE = 0.12;

// Function words and the commonest verbs of English; words that are also common in the
// neighbouring languages (a, in, die, de, no, son, et…) are left out so they do not count twice.
export const COMMON_ENGLISH_WORDS: readonly string[] = (
  'the and to of you your is are was were be been it its that this these those for with on at by from as if or but not ' +
    'can will would should could do does did have has had i me my we our us they them their he him his she her what how ' +
    'when why which who there here about just also very so than then more some any all help sorry thank thanks please ' +
  'know feel think want need get make take go going like really one out up into over after before because while'
).split(' ');

// The same for the languages a dataset is most often mixed with (Spanish, French, German, Italian,
// Portuguese, Dutch): English jargon has few common English words but none of these either.
export const COMMON_FOREIGN_WORDS: readonly string[] = (
  'el la los las que es y en por con para una un lo se del al como pero muy esta está estás puede tu su sus usted ' +
    'le les des est et pour vous je une pas ce il elle qui dans sur avec au aux du sont être avez êtes nous votre ' +
    'der das und ist nicht ich sie ein eine zu mit sich auf für du dass wenn auch sehr kann ihr ihre wir ' +
    'il che di è non per sono si con della questo molto anche sei hai ' +
    'o os não você uma um com para muito também está ' +
  'het een en van je niet om voor zijn dat met ook heel kan jij wij'
)
  .split(' ')
  .filter((w) => !COMMON_ENGLISH_WORDS.includes(w));

export type LanguageGuess = { english: true } | { english: false; reason: string };

/** Counts the tone scanner takes as it reads a response (see analyzeTone): words, common English ones, common ones of another language. */
export interface LanguageCounts {
  words: number;
  english: number;
  foreign: number;
}

const LETTER = /\p{L}/gu;
const LATIN = /\p{Script=Latin}/u;
const NON_ASCII = /[^\x00-\x7f]/;

const ENGLISH: LanguageGuess = Object.freeze({ english: true });

/** `counts`: the tone scanner's, for the same text (`analyzeTone(...).language`). */
export function guessEnglish(text: string, counts: LanguageCounts): LanguageGuess {
  // Plainly English by the counts: nothing more to read.
  if (counts.words >= MIN_WORDS && counts.english >= 0.25 * counts.words) return ENGLISH;
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  // Most responses are plain ASCII: no other script to count.
  if (NON_ASCII.test(sample)) {
    let letters = 0;
    let latin = 0;
    for (const m of sample.matchAll(LETTER)) {
      letters++;
      if (LATIN.test(m[0])) latin++;
    }
    if (letters >= 10 && latin / letters < 0.5) return { english: false, reason: 'mostly letters of another script' };
  }
  const { words, english: common, foreign: other } = counts;
  if (words < MIN_WORDS) return ENGLISH;
  const share = common / words;
  const otherShare = other / words;
  // Few English words and more of another language's: not English. (English jargon has neither.)
  if (share < MIN_ENGLISH_SHARE && otherShare > share && otherShare >= 0.1) {
    return { english: false, reason: `${Math.round(otherShare * 100)}% of its words are common words of another language, ${Math.round(share * 100)}% English ones` };
  }
  return ENGLISH;
}

