/**
 * Sarcasm read from its structure instead of from listed phrases (issue 11). People who write
 * sarcasm rarely reuse each other's words, but they reuse its shapes:
 *
 * - praise or agreement followed, in the same sentence or the next, by a bad outcome ("Brilliant
 *   idea, that should land her back in hospital", "Sure, skip it. What could go wrong? ... worse");
 * - a question the speaker answers at once, curtly ("Will he listen? Of course not.");
 * - the person's own words handed back as a short question or exclamation ("Too tired to cook?",
 *   "Once a week!"), first person turned into second ("I forgot my tablet" → "Forgot your tablet?");
 * - exclaimed praise of what a person in distress has just reported ("Wonderful, another fall!");
 * - mock emphasis: an intensifier or praise marked up as stressed ("that must have been *so* hard").
 *
 * Dismissal has shapes too: a sweeping generalisation ("Everyone forgets names at 74."), deference
 * to someone else's word ("Your husband's right."), both paired, and a tautology ("If the doctors
 * say she's ready, she's ready."), a sign on its own.
 *
 * Each shape can be sincere on its own (a reflective question, "Is it your fault? No."), so each is
 * reported as a `paired` cue: analyze.ts counts it only beside another put-down, or beside a second
 * cue in a reply that acknowledges no feeling. One pass over the sentences; each looks at itself and
 * the next, so the work is linear in the words.
 */
import type { Lexicon } from './lexicon';
import * as lexiconFlags from './lexicon';
import { negatedBefore, phraseAt } from './match';
import { promptPair, promptWord, PromptReading } from './prompt';
import * as wordFlags from './words';
import type { WordTable } from './words';
import { type IdSet, WordSet } from './vocab';

// Local copies of the flag bits: read in loops over every word, where an imported binding costs a property read each time.
const { WORD_DISCOURSE, WORD_ENGLISH, WORD_FRAME_LINK, WORD_HYPOTHETICAL, WORD_INTENSIFIER, WORD_NEGATOR, WORD_QUESTION_AUX, WORD_SUBJECT_PRONOUN } = lexiconFlags;
const WORD_YOU_BIT = lexiconFlags.WORD_YOU;
const { FLAG_PAUSE_AFTER, FLAG_QUOTED } = wordFlags;

/** Bits of `lex.irony.signals`: the words that may open each shape. */
const SIGNAL_SORRY = 1;
const SIGNAL_SURE = 2;
const SIGNAL_LATE = 4;
const SIGNAL_PRAISE = 8;
const SIGNAL_LAUGHTER = 16;
const SIGNAL_TRY = 32;
const SIGNAL_ASIDE = 64;

/** Per sentence, the SIGNAL_* bits of its words (a scratch reused between calls). */
let sentenceSignals = new Uint8Array(64);

const STAR = 42;
const UNDERSCORE = 95;

function isFirstPerson(lex: Lexicon, id: number): boolean {
  return id < lex.irony.person.length && lex.irony.person[id] !== 0;
}

/** Emoji read as signs: 🙄 😒 (contempt, a sign alone), 🙃 👏 💅 🤦 the laughing faces 😂 🤣 (like written laughter), a thumbs-up 👍 and a slight smile 🙂 (ironic cues that need a second sign), 😢 😞 😔 💔 🥺 🫂 🤗 ❤ (caring). */
const CONTEMPT_EMOJI = ['\u{1F644}', '\u{1F612}'];
const IRONIC_EMOJI = ['\u{1F643}', '\u{1F44F}', '\u{1F485}', '\u{1F926}', '\u{1F602}', '\u{1F923}', '\u{1F44D}', '\u{1F642}'];
const CARING_EMOJI = ['\u{1F622}', '\u{1F61E}', '\u{1F614}', '\u{1F494}', '\u{1F97A}', '\u{1FAC2}', '\u{1F917}', '\u{2764}'];
const SIGN_EMOJI = new RegExp([...CONTEMPT_EMOJI, ...IRONIC_EMOJI, ...CARING_EMOJI].join('|'), 'gu');

/** The last token of segment `seg` that starts before `offset` (the word an emoji follows), else the segment's first token; -1 if it has none. */
function tokenBefore(t: WordTable, seg: number, offset: number): number {
  let found = -1;
  for (const sent of t.sentences) {
    if (sent.seg !== seg) continue;
    for (let k = sent.firstToken; k < sent.endToken; k++) {
      if (found < 0 || t.start[k] < offset) found = k;
      else return found;
    }
  }
  return found;
}

/** Longest sentence (written words) read as words handed back, and as a curt answer. */
const ECHO_WORDS = 8;
const ANSWER_WORDS = 4;

/** The first token of [from, to) in `set`, not negated and not quoted; -1 if none. */
function firstOf(lex: Lexicon, t: WordTable, set: IdSet, from: number, to: number): number {
  for (let k = from; k < to; k++) if (set.has(t.tokens[k]) && !(t.flags[k] & FLAG_QUOTED) && !negatedBefore(lex.vocab, t, k)) return k;
  return -1;
}

/** A bad outcome in [from, to) that the person did not name themselves (answering "will it get worse?" with "it may get worse" is sincere). */
function outcomeIn(lex: Lexicon, t: WordTable, from: number, to: number, prompt: PromptReading | undefined): number {
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (!lex.irony.outcomes.has(id) || t.flags[k] & FLAG_QUOTED || negatedBefore(lex.vocab, t, k)) continue;
    if (prompt && promptWord(prompt.stamp, id)) continue;
    return k;
  }
  return -1;
}

/** Praise anywhere in the sentence (only looked for when its `signal` bits have SIGNAL_PRAISE), or agreement opening it ("Sure, ...", "Oh yes, ..."). */
function praiseAt(lex: Lexicon, t: WordTable, from: number, to: number, signal: number): number {
  const praise = signal & SIGNAL_PRAISE ? firstOf(lex, t, lex.irony.praise, from, to) : -1;
  if (praise >= 0) return praise;
  let k = from;
  while (k < to && lex.vocab.flags[t.tokens[k]] & WORD_DISCOURSE && !lex.irony.agreement.has(t.tokens[k])) k++;
  return k < to && lex.irony.agreement.has(t.tokens[k]) && !(t.flags[k] & FLAG_QUOTED) ? k : -1;
}

/** The longest run of tokens in [from, to) whose neighbours stand side by side in the prompt: [start, length]. */
function echoedRun(t: WordTable, from: number, to: number, stamp: number): [number, number] {
  let best = 0;
  let bestStart = from;
  let run = 1;
  for (let k = from + 1; k < to; k++) {
    const a = t.tokens[k - 1];
    const b = t.tokens[k];
    if (promptPair(stamp, a, b)) run++;
    else run = 1;
    if (run > best) {
      best = run;
      bestStart = k - run + 1;
    }
  }
  return best >= 2 ? [bestStart, best] : [from, 0];
}

/** Whether [from, from + length) holds a word that carries content (not only "you are", "it is"). */
function hasContentWord(lex: Lexicon, t: WordTable, from: number, length: number): boolean {
  for (let k = from; k < from + length; k++) {
    const w = lex.vocab.word(t.tokens[k]);
    if (w.length >= 4 && !(lex.vocab.flags[t.tokens[k]] & WORD_NEGATOR) && !isFirstPerson(lex, t.tokens[k]) && w !== 'your' && w !== 'have' && w !== 'been') return true;
  }
  return false;
}

/**
 * Whether [from, to) hands words back as a fragment rather than asking about them: a clarifying
 * question opens with a question word or an auxiliary ("Do you mean ...?", "What do you mean by
 * ...?"), and the speaker's own "I" or "me" makes it the speaker's sentence.
 */
function isFragment(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  if (lex.vocab.flags[t.tokens[from]] & WORD_QUESTION_AUX || lex.irony.questionWords.has(t.tokens[from])) return false;
  for (let k = from; k < to; k++) if (isFirstPerson(lex, t.tokens[k])) return false;
  return true;
}

/**
 * The person's figure handed back flat, as a verbless statement that says nothing more ("Three
 * weeks of crying every single day.", "86 and falling in bathrooms.", "Right. 84."): a number the
 * prompt has and no other (a table row holds several), no "you", no "I", no auxiliary or modal (what informs or reflects has a verb: "Four
 * hours a night is not enough for anyone", "You've had three weeks of this"), no subject pronoun.
 */
function figureHandedBack(lex: Lexicon, t: WordTable, from: number, to: number, stamp: number): boolean {
  let echoed = false;
  let numbers = 0;
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    const flags = lex.vocab.flags[id];
    if (flags & (WORD_YOU_BIT | WORD_QUESTION_AUX | WORD_SUBJECT_PRONOUN) || isFirstPerson(lex, id)) return false;
    const first = lex.vocab.word(id).charCodeAt(0);
    // "one" is as often a determiner ("one click of a pen") as a figure.
    if (!(lex.irony.numbers.has(id) || (first >= 48 && first <= 57)) || id === lex.irony.marks.one) continue;
    // One figure: a row of a table or a list of doses holds several.
    if (++numbers > 1) return false;
    echoed = promptWord(stamp, id);
  }
  return echoed;
}
/** Longest statement read as a figure handed back (written words). */
const FIGURE_WORDS = 9;

/** Whether [from, to) holds "only", "just" or "barely" right before a number ("only five a day", "just 2 hours"). */
function minimisedCount(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  for (let k = from; k + 1 < to; k++) {
    if (!lex.irony.minimisers.has(t.tokens[k])) continue;
    const next = lex.vocab.word(t.tokens[k + 1]);
    if (lex.irony.numbers.has(t.tokens[k + 1]) || (next.charCodeAt(0) >= 48 && next.charCodeAt(0) <= 57)) return true;
  }
  return false;
}

/**
 * A clause said twice, the second time after a comma or "so", as the last word on the matter ("If
 * the doctors say she's ready, she's ready.", "Your wife says you're fine, so you're fine.").
 */
function tautology(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  for (let p = from; p < to - 2; p++) {
    if (!(t.flags[p] & FLAG_PAUSE_AFTER)) continue;
    let tail = p + 1;
    if (lex.irony.thenWords.has(t.tokens[tail])) tail++;
    const length = to - tail;
    if (length < 2 || length > 5 || p + 1 - length < from) continue;
    let same = true;
    for (let k = 0; k < length && same; k++) same = t.tokens[tail + k] === t.tokens[p + 1 - length + k];
    if (same) return true;
  }
  return false;
}

/**
 * A short whole sentence that sweeps the person's case into everyone's ("Everyone forgets names at
 * 74.", "Old people see things.", "Not every surgery has a hoist.", "Period pain is normal."): no
 * "you" in it, a group or everyone as the subject, or the matter called normal and nothing more.
 */
function generalises(lex: Lexicon, t: WordTable, from: number, to: number, words: number): boolean {
  if (words > 7) return false;
  const vocab = lex.vocab;
  for (let k = from; k < to; k++) if (vocab.flags[t.tokens[k]] & WORD_YOU_BIT) return false;
  const first = t.tokens[from];
  if (lex.irony.groups.has(first)) return true;
  if (vocab.word(first) === 'old' && from + 1 < to && lex.irony.groups.has(t.tokens[from + 1])) return true;
  if (vocab.flags[first] & WORD_NEGATOR && from + 1 < to && vocab.word(t.tokens[from + 1]) === 'every') return true;
  // "<something> is normal." and nothing else.
  return words <= 5 && to - from >= 3 && lex.irony.normal.has(t.tokens[to - 1]) && BE.has(vocab.word(t.tokens[to - 2]));
}
const BE = new Set(['is', 'are']);
const HEDGES = new Set(['probably', 'definitely', 'quite', 'totally', 'absolutely']);

/** Deference to someone else's word in place of the person's worry: "Your husband's right", "Your mum's probably right", "The doctors are right." */
function defers(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  const vocab = lex.vocab;
  for (let k = from + 2; k < to; k++) {
    if (t.tokens[k] !== lex.irony.marks.right) continue;
    if (k + 1 < to && (vocab.word(t.tokens[k + 1]) === 'to' || vocab.word(t.tokens[k + 1]) === 'that' || vocab.word(t.tokens[k + 1]) === 'now')) return false;
    let j = k - 1;
    if (j > from && HEDGES.has(vocab.word(t.tokens[j]))) j--;
    const w = vocab.word(t.tokens[j]);
    // "Your husband's right": the possessive-looking 's is "is" after a noun.
    if (w.endsWith("'s")) return lex.irony.others.has(vocab.id(w.slice(0, -2)));
    return BE.has(w) && j - 1 >= from && lex.irony.others.has(t.tokens[j - 1]);
  }
  return false;
}

/** Whether [from, to) is praise alone, with at most interjections and intensifiers around it. */
function onlyPraise(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  let praise = 0;
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (lex.irony.praise.has(id)) praise++;
    else if (!(lex.irony.interjections.has(id) || lex.vocab.flags[id] & (WORD_INTENSIFIER | WORD_DISCOURSE))) return false;
  }
  return praise > 0;
}

/** Whether most content words of [from, to) (two or more, or one after an opening interjection: `exclaimed`) are the prompt's ("Forgot a tablet?" after "I forgot my blood pressure tablet"). */
function echoedContent(lex: Lexicon, t: WordTable, from: number, to: number, stamp: number, exclaimed = false): boolean {
  let content = 0;
  let echoed = 0;
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (lex.vocab.flags[id] & (WORD_ENGLISH | WORD_FRAME_LINK | WORD_DISCOURSE) || lex.vocab.word(id).length < 3 || isFirstPerson(lex, id)) continue;
    content++;
    if (promptWord(stamp, id)) echoed++;
  }
  // An interjection and one word of theirs is enough ("Aw, the hair.").
  return (echoed >= 2 || (exclaimed && echoed === 1)) && 2 * echoed >= content;
}

/**
 * Whether [from, to) judges the person's doing in a few evaluative words and nothing else: "Real
 * mature.", "Such dedication.", "Top effort there.", "Good job, really.", "... really helpful."
 * An evaluation needs a doing or an intensifier beside it ("Nice one." and "Great question!" are
 * not read).
 */
function evaluatesDoing(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  if (to - from > 5 || to <= from) return false;
  const irony = lex.irony;
  let evaluative = 0;
  let rest = 0;
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (irony.praise.has(id) || irony.evaluations.has(id)) evaluative++;
    else if (irony.deeds.has(id) || lex.vocab.flags[id] & WORD_INTENSIFIER) rest++;
    else if (!(irony.exclamations.has(id) || lex.vocab.flags[id] & WORD_DISCOURSE || FILLERS.has(lex.vocab.word(id)))) return false;
  }
  return evaluative > 1 || (evaluative > 0 && rest > 0);
}
const FILLERS = new Set(['there', 'you', 'u', 'mate', 'then', 'really', 'honestly', 'seriously', 'truly', 'indeed', 'only', 'hey', 'tbh', 'ngl', 'fr', 'are', 'is', 'was', 'were', 'that', 'it', 'this', 'yaar', 'bro', 'man', 'lah']);

/**
 * A deadpan verdict in two words, or the same said twice: "How dramatic.", "Very brave.", "Very
 * relaxed, very continental." "Very" or "how" (not "so": "So proud.", "So glad.") and one word that is no word for hardship
 * ("How awful." and "So hard." are sympathy), no validation ("Very normal.", "Very understandable.")
 * and not "true" or "much". A statement (the caller reads no questions). Sincere at times ("How
 * lovely."), so a cue that needs a second sign; exclaimed ("How lovely!") it is delight, not deadpan.
 */
function deadpanVerdict(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  const length = to - from;
  if (length !== 2 && length !== 4) return false;
  for (let k = from; k < to; k += 2) {
    const opener = t.tokens[k];
    if (!VERDICT_OPENERS.has(lex.vocab.word(opener))) return false;
    if (length === 4 && (t.tokens[k] !== t.tokens[from] || (k === from && !(t.flags[k + 1] & FLAG_PAUSE_AFTER)))) return false;
    const id = t.tokens[k + 1];
    const word = lex.vocab.word(id);
    if (word.length < 4 || VERDICT_SINCERE.has(word) || lex.hardship.has(id) || lex.validation.words.has(id) || lex.irony.normal.has(id) || lex.irony.difficulty.has(id)) return false;
  }
  return true;
}
const VERDICT_OPENERS = new Set(['very', 'how']);

/**
 * A verdict of a few words with "that" tagged on after a pause ("Olympic standard, that is.", "Very
 * healthy tradition, that."): the verdict said twice over, deadpan. No "you", no auxiliary and no
 * hardship word in the verdict ("You did well, that is all", "Horrible way to live, that." are not read).
 */
function verdictTag(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  let tag = to - 1;
  if (tag > from && BE_PAST.has(lex.vocab, t.tokens[tag])) tag--;
  if (tag - from < 1 || tag - from > 4 || !THAT.has(lex.vocab, t.tokens[tag]) || !(t.flags[tag - 1] & FLAG_PAUSE_AFTER)) return false;
  // A hardship word makes it sympathy ("Horrible way to live, that.").
  for (let k = from; k < tag; k++) if (lex.vocab.flags[t.tokens[k]] & (WORD_YOU_BIT | WORD_QUESTION_AUX) || lex.hardship.has(t.tokens[k])) return false;
  return true;
}
const BE_PAST = new WordSet(['is', 'was']);
const THAT = new WordSet(['that']);
const VERDICT_SINCERE = new Set(['true', 'much', 'many', 'well', 'often', 'sorry', 'soon', 'quickly', 'slowly', 'carefully', 'gently', 'important', 'understandable', 'common', 'normal', 'likely', 'possible', 'real', 'valid']);

/** Praise, an evaluation or thanks in [from, to) followed by a word that says it came late ("Nice of you to finally ...", "Thanks, only took you a month"): the token after it, or -1. */
function praisedLate(lex: Lexicon, t: WordTable, from: number, to: number): number {
  const irony = lex.irony;
  let praised = false;
  for (let k = from; k < to; k++) {
    const id = t.tokens[k];
    if (irony.praise.has(id) || irony.evaluations.has(id) || irony.thanks.has(id)) praised = true;
    else if (praised && (irony.lateness.has(id) || (id === irony.marks.took && k + 1 < to && t.tokens[k + 1] === irony.marks.you)) && !negatedBefore(lex.vocab, t, k)) return k + 1;
  }
  return -1;
}

/**
 * "I'm sorry you find tablets this confusing": an apology for the person's own understanding is a
 * put-down. "sorry (that) you find/found/are finding <something> this/that <hard word>"; returns the
 * end of the cue, or -1. Not "sorry you find this hard" (this is the object there).
 */
function sorryYouFind(lex: Lexicon, t: WordTable, from: number, to: number): number {
  const marks = lex.irony.marks;
  for (let k = from; k < to; k++) {
    if (t.tokens[k] !== marks.sorry) continue;
    let j = k + 1;
    if (j < to && marks.deictic.has(t.tokens[j])) j++;
    if (j >= to || t.tokens[j] !== marks.you) return -1;
    j++;
    if (j < to && BE.has(lex.vocab.word(t.tokens[j]))) j++;
    if (j >= to || !FIND.has(lex.vocab.word(t.tokens[j]))) return -1;
    for (let d = j + 2; d < Math.min(to - 1, j + 6); d++) {
      if (marks.deictic.has(t.tokens[d]) && lex.irony.difficulty.has(t.tokens[d + 1])) return d + 2;
    }
    return -1;
  }
  return -1;
}
/** Asides set off by commas that talk down or shrug ("..., you know.", "Have you tried, I don't know, ...", "..., I suppose, ..."): [first word, rest]. */
const ASIDES: readonly (readonly string[])[] = [['you', 'know'], ['i', 'do', 'not', 'know'], ['i', 'dunno'], ['i', 'suppose'], ['i', 'guess']];
const REPEATED = new Set(['cool', 'ok', 'okay', 'alright', 'fine', 'whatever', 'yes', 'yeah', 'yah', 'ya', 'haan', 'ji', 'achha', 'k']);
const FIND = new Set(['find', 'found', 'finding']);

/**
 * An aside set off by a comma: "you know", "I don't know", "I suppose" after a pause, closing a
 * statement or followed by another pause ("Or, you know, you could just ..."). Its first token, or -1.
 */
function asideIn(lex: Lexicon, t: WordTable, from: number, to: number, question: boolean): number {
  const vocab = lex.vocab;
  for (let k = from + 1; k + 1 < to; k++) {
    if (!(t.flags[k - 1] & FLAG_PAUSE_AFTER)) continue;
    for (const words of ASIDES) {
      const end = k + words.length;
      if (end > to) continue;
      let same = true;
      for (let w = 0; w < words.length && same; w++) same = vocab.word(t.tokens[k + w]) === words[w];
      if (!same) continue;
      if ((end === to && !question) || (end < to && t.flags[end - 1] & FLAG_PAUSE_AFTER)) return k;
    }
  }
  return -1;
}

/** A question that calls the task hard with "that" or "so" before it ("Is it really that hard to remember?"): the start of the cue, or -1. */
function hardQuestion(lex: Lexicon, t: WordTable, from: number, to: number): number {
  const marks = lex.irony.marks;
  for (let k = from; k + 2 < to; k++) {
    const id = t.tokens[k];
    if ((id === marks.so || marks.deictic.has(id)) && lex.irony.difficulty.has(t.tokens[k + 1]) && TO_FOR.has(lex.vocab.word(t.tokens[k + 2]))) return k;
  }
  return -1;
}
const TO_FOR = new Set(['to', 'for']);

/** ", right?" closing a question that is a statement (no question word or auxiliary opening it): a tag asking for agreement. */
function tagQuestion(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  const last = to - 1;
  if (last - from < 2 || lex.vocab.word(t.tokens[last]) !== 'right' || !(t.flags[last - 1] & FLAG_PAUSE_AFTER)) return false;
  return !(lex.vocab.flags[t.tokens[from]] & WORD_QUESTION_AUX || lex.irony.questionWords.has(t.tokens[from]));
}

/** "What do you reckon?", "Hmm, what do you think?" as the whole question: the person's question handed back to them. */
function thrownBack(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  let k = from;
  while (k < to && (lex.irony.exclamations.has(t.tokens[k]) || lex.vocab.flags[t.tokens[k]] & WORD_DISCOURSE || lex.vocab.word(t.tokens[k]) === 'hmm')) k++;
  if (to - k !== 4) return false;
  const w = (j: number) => lex.vocab.word(t.tokens[k + j]);
  return w(0) === 'what' && w(1) === 'do' && w(2) === 'you' && RECKON.has(w(3));
}
const RECKON = new Set(['reckon', 'think']);

/**
 * A question offering the obvious as a remedy: "tried" or "try" then "just" or "simply" ("Have you
 * tried just asking him to stop?"). The token of "tried", or -1. "Have you tried a pill organiser?"
 * is a suggestion and not read.
 */
function obviousRemedy(lex: Lexicon, t: WordTable, from: number, to: number): number {
  for (let k = from; k + 1 < to; k++) {
    if (!lex.irony.trying.has(t.tokens[k])) continue;
    const next = lex.vocab.word(t.tokens[k + 1]);
    if (next === 'just' || next === 'simply') return k;
  }
  return -1;
}

/** Whether the reply speaks of death or loss anywhere (laughter beside it is callous). */
function speaksOfLoss(lex: Lexicon, t: WordTable): boolean {
  for (let k = 0; k < t.n; k++) if (lex.irony.loss.has(t.tokens[k])) return true;
  return false;
}

/** "I'm sure he appreciated that", "I'm sure the nurses love hearing it", "I'm sure they'll be thrilled": delight the speaker is sure of, a cue (sincere at times). The end of the cue, or -1. */
function mockCertainty(lex: Lexicon, t: WordTable, from: number, to: number): number {
  const marks = lex.irony.marks;
  for (let k = from + 1; k + 1 < to; k++) {
    if (t.tokens[k] !== marks.am) continue;
    let j = k + 1;
    if (j < to && lex.vocab.flags[t.tokens[j]] & WORD_INTENSIFIER) j++;
    if (j >= to || t.tokens[j] !== marks.sure) return -1;
    // "I'm sure you'll do brilliantly", "I'm sure she'll do brilliantly" encourage: praise counts only of a thing or a doing ("I'm sure that'll go down beautifully").
    const encourages = j + 1 < to && PERSONS.has(lex.vocab.word(t.tokens[j + 1]));
    for (let d = j + 2; d < Math.min(to, j + PRAISE_REACH); d++) {
      if (!encourages && lex.irony.praise.has(t.tokens[d]) && !negatedBefore(lex.vocab, t, d)) return d + 1;
      if (d >= j + 7 || !lex.irony.delight.has(t.tokens[d]) || negatedBefore(lex.vocab, t, d)) continue;
      // "I'm sure he appreciated having you there": delight in the person is sincere.
      const after = d + 1 < to ? lex.vocab.word(t.tokens[d + 1]) : '';
      const then = d + 2 < to ? lex.vocab.word(t.tokens[d + 2]) : '';
      return (after === 'having' && (then === 'you' || then === 'your')) || after === 'you' || after === 'your' ? -1 : d + 1;
    }
    return -1;
  }
  return -1;
}

/**
 * A sentence opening "Sounds like ..." or "Sounds as if ..." (after a subject of a few words that is
 * not "you") that praises ("Sounds like she's managing beautifully.", "Your mother-in-law sounds like
 * a real medical pioneer.") and holds no "you" after it: an impression of
 * someone else or of a thing (sincere at times: "Sounds like a lovely party", so a cue that needs a
 * second sign). "Sounds like you handled it brilliantly" speaks to the person and is not read.
 */
function praisingImpression(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  let k = from;
  while (k < to && lex.vocab.flags[t.tokens[k]] & WORD_DISCOURSE) k++;
  // A subject of a few words may come first ("Your mother-in-law sounds like ..."), but not the person ("You sound like a wonderful son").
  const subject = k;
  while (k < to && k - subject < IMPRESSION_SUBJECT && !SOUNDS.has(lex.vocab, t.tokens[k])) {
    if (t.tokens[k] === lex.irony.marks.you) return false;
    k++;
  }
  if (k + 1 >= to || !SOUNDS.has(lex.vocab, t.tokens[k]) || !AS_LIKE.has(lex.vocab, t.tokens[k + 1])) return false;
  for (let j = k + 2; j < to; j++) if (lex.vocab.flags[t.tokens[j]] & WORD_YOU_BIT) return false;
  if (firstOf(lex, t, lex.irony.praise, k + 2, to) >= 0) return true;
  // "a real medical pioneer", "the real expert": "real" before a word that is no hardship ("a real worry" is sympathy).
  for (let j = k + 2; j + 1 < to; j++) {
    if (!REAL.has(lex.vocab, t.tokens[j]) || lex.hardship.has(t.tokens[j + 1])) continue;
    if (j + 2 >= to || !lex.hardship.has(t.tokens[j + 2])) return true;
  }
  return false;
}
const IMPRESSION_SUBJECT = 4;
const SOUNDS = new WordSet(['sounds', 'sound', 'seems', 'looks']);
const AS_LIKE = new WordSet(['like', 'as']);
const REAL = new WordSet(['real']);

/** How far after "I'm sure" praise of what will happen is read (a subject of a few words, a verb, "just"). */
const PRAISE_REACH = 11;
const PERSONS = new Set(['you', 'your', 'he', 'she', 'they', 'we', 'his', 'her', 'their', 'our', 'i']);

/**
 * The first word of praise (`irony.praise`) or of admiration (`irony.admired`: saint, hero, legend ...)
 * in statement [from, to), not negated or quoted, in a sentence with no modal or condition
 * (emotions.json `frames.hypothetical`: "can be wonderful", "would be great if"): its token, or -1.
 */
function incongruousPraise(lex: Lexicon, t: WordTable, from: number, to: number): number {
  for (let k = from; k < to; k++) if (lex.vocab.flags[t.tokens[k]] & WORD_HYPOTHETICAL) return -1;
  const praise = firstOf(lex, t, lex.irony.praise, from, to);
  return praise >= 0 ? praise : firstOf(lex, t, lex.irony.admired, from, to);
}

/** A copular tautology as the last word on a matter: "The rules are the rules.", "A fall is a fall." (a short whole sentence). */
function copularTautology(lex: Lexicon, t: WordTable, from: number, to: number): boolean {
  const length = to - from;
  if (length < 3 || length > 7 || length % 2 === 0) return false;
  const half = (length - 1) / 2;
  if (!BE.has(lex.vocab.word(t.tokens[from + half]))) return false;
  for (let k = 0; k < half; k++) if (t.tokens[from + k] !== t.tokens[from + half + 1 + k]) return false;
  return true;
}

/** Collapses runs of three or more of a letter to one and to two ("suuure" → "sure", "sooo" → "so" / "soo"). */
function collapsedForms(word: string): [string, string] {
  return [word.replace(/(.)\1{2,}/g, '$1'), word.replace(/(.)\1{2,}/g, '$1$1')];
}

/** The words whose drawn-out spelling mocks ("suuure", "riiight", "greaaat", "sooo helpful"), as strings (built once per lexicon). */
let drawnOut: { lex: Lexicon; praise: Set<string>; stress: Set<string> } | undefined;
function drawnOutWords(lex: Lexicon): { praise: Set<string>; stress: Set<string> } {
  if (drawnOut?.lex !== lex) {
    const praise = new Set<string>(['wow', 'ok', 'okay', 'thanks', 'obviously', 'clearly', 'right', 'cool']);
    for (const set of [lex.irony.praise, lex.irony.evaluations, lex.irony.agreement]) for (const id of set) praise.add(lex.vocab.word(id));
    drawnOut = { lex, praise, stress: new Set(['so', 'soo', 'very', 'really', 'super', 'totally', 'such']) };
  }
  return drawnOut;
}

/**
 * A word drawn out in mock emphasis at token k ("suuure", "riiight", "sooo helpful"); the end of
 * the cue or -1. Not a drawn-out intensifier before anything else ("sooo sorry" is sincere).
 */
function drawnOutAt(lex: Lexicon, t: WordTable, k: number): number {
  const id = t.tokens[k];
  if (lex.vocab.length(id) < 4 || !lex.vocab.hasRunOfThree(id)) return -1;
  const forms = collapsedForms(lex.vocab.word(id));
  const words = drawnOutWords(lex);
  if (words.praise.has(forms[0]) || words.praise.has(forms[1])) return k + 1;
  if ((words.stress.has(forms[0]) || words.stress.has(forms[1])) && k + 1 < t.n && t.sentence[k + 1] === t.sentence[k]) {
    const next = t.tokens[k + 1];
    if (lex.irony.praise.has(next) || lex.irony.evaluations.has(next)) return k + 2;
  }
  return -1;
}

/**
 * Reports each structural sarcasm cue of a response as a token range [from, to). `prompt`, when it
 * is the latest reading (its words are needed for echoes), enables the shapes that hand the
 * person's words back.
 */
export function findIrony(lex: Lexicon, t: WordTable, segments: readonly string[], prompt: PromptReading | undefined, report: (from: number, to: number, category: string, paired: boolean, inverts: boolean, faint?: boolean) => void, caring?: (token: number) => void): void {
  const sentences = t.sentences;
  // Mock praise, thanks, delight or sympathy says the opposite of its words (`inverts`: the kind words of its sentence are not kindness);
  // the other signs (words handed back, laughter, an answered question, scare quotes, an emoji, the failure told next) mock without turning words round.
  const onCue = (from: number, to: number) => report(from, to, 'sarcasm', true, true);
  const onSign = (from: number, to: number) => report(from, to, 'sarcasm', true, false);
  // Dismissal by its shapes: a sweeping generalisation or deference to someone else's word (paired), a tautology (a sign alone).
  for (let s = 0; s < sentences.length; s++) {
    const sent = sentences[s];
    if (sent.question || sent.firstToken >= sent.endToken) continue;
    if (tautology(lex, t, sent.firstToken, sent.endToken)) report(sent.firstToken, sent.endToken, 'dismissive', false, false);
    else if (generalises(lex, t, sent.firstToken, sent.endToken, sent.words) || defers(lex, t, sent.firstToken, sent.endToken)) report(sent.firstToken, sent.endToken, 'dismissive', true, false);
  }
  const irony = lex.irony;
  const signals = irony.signals;
  if (sentenceSignals.length < sentences.length) sentenceSignals = new Uint8Array(Math.max(sentences.length, 2 * sentenceSignals.length));
  const signalled = sentenceSignals;
  signalled.fill(0, 0, sentences.length);
  let loss = -1;
  const lexiconSize = lex.vocab.lexiconSize;
  for (let k = 0; k < t.n; k++) {
    const id = t.tokens[k];
    const signal = id < signals.length ? signals[id] : 0;
    signalled[t.sentence[k]] |= signal;
    // Laughter: callous beside death or loss ("Lots of people died, haha."), a cue that needs a second sign elsewhere (banter is friendly).
    if (signal & SIGNAL_LAUGHTER) {
      if (loss < 0) loss = speaksOfLoss(lex, t) ? 1 : 0;
      report(k, k + 1, loss ? 'callous' : 'sarcasm', loss === 0, false);
      continue;
    }
    // Mock emphasis spelt out: a word of praise or agreement drawn out ("suuure", "riiight", "sooo helpful"); read only for words no lexicon knows.
    if (id >= lexiconSize) {
      const end = drawnOutAt(lex, t, k);
      if (end >= 0) {
        onCue(k, end);
        continue;
      }
    }
    // "Next time try not forgetting": "try not" before a gerund names the failure it mocks ("try not to worry" is sincere).
    if (signal & SIGNAL_TRY && k + 2 < t.n && t.tokens[k + 1] === irony.marks.not && t.sentence[k + 2] === t.sentence[k] && lex.vocab.word(t.tokens[k + 2]).endsWith('ing')) {
      onSign(k, k + 3);
      continue;
    }
    // Scare quotes: a word or two of the person's, quoted after a possessive ('your "research"', 'his "back pain"', 'so-called') or after an opening
    // interjection ('Ah, "some sites".'). Not after "the" or "of": there quotation marks name a term ('the "torsion wrench"', 'the meaning of "whore"').
    if (t.flags[k] & FLAG_QUOTED && k > 0 && !(t.flags[k - 1] & FLAG_QUOTED) && t.sentence[k - 1] === t.sentence[k]) {
      const before = t.tokens[k - 1];
      let end = k + 1;
      while (end < t.n && end - k <= 3 && t.flags[end] & FLAG_QUOTED && t.sentence[end] === t.sentence[k]) end++;
      const possessive = irony.marks.possessives.has(before) || before === irony.marks.soCalled || lex.vocab.word(before).endsWith("'s");
      const exclaimed = irony.interjections.has(before) && k - 1 === sentences[t.sentence[k]].firstToken && (t.flags[k - 1] & FLAG_PAUSE_AFTER) !== 0;
      if (end - k <= 3 && (possessive || exclaimed)) onSign(k - 1, end);
      continue;
    }
    // Mock emphasis: an intensifier or a word of praise marked up as stressed ("that must have been *so* hard", "_such_ a great idea").
    // (SIGNAL_PRAISE marks praise and evaluations: most words are neither, without a set lookup.)
    if (!(lex.vocab.flags[id] & WORD_INTENSIFIER || (signal & SIGNAL_PRAISE && irony.praise.has(id)))) continue;
    const text = segments[sentences[t.sentence[k]].seg];
    const before = text.charCodeAt(t.start[k] - 1);
    const after = text.charCodeAt(t.end[k]);
    if ((before === STAR && after === STAR) || (before === UNDERSCORE && after === UNDERSCORE)) onCue(k, k + 1);
  }
  // Emoji that say what the words do not, in any voice: an eye roll (or an unamused face) is contempt, a sign alone;
  // an upside-down face, applause, nails or a facepalm are ironic only beside a second sign ("Stop it today, what could happen 🙃", but "Well done 👏").
  // A sad face, a broken heart, a hug or a heart is the speaker's reaction (`caring`; a put-down on the same word settles it: "boo hoo 😢").
  for (let seg = 0; seg < segments.length; seg++) {
    const text = segments[seg];
    SIGN_EMOJI.lastIndex = 0;
    for (let m = SIGN_EMOJI.exec(text); m; m = SIGN_EMOJI.exec(text)) {
      const k = tokenBefore(t, seg, m.index);
      if (k < 0) continue;
      if (!CARING_EMOJI.includes(m[0])) report(k, k + 1, 'sarcasm', !CONTEMPT_EMOJI.includes(m[0]), false);
      else caring?.(k);
    }
  }
  const fresh = prompt && prompt.generation === lex.vocab.generation ? prompt : undefined;
  for (let s = 0; s < sentences.length; s++) {
    const sent = sentences[s];
    const next = s + 1 < sentences.length && sentences[s + 1].seg === sent.seg ? sentences[s + 1] : undefined;
    const from = sent.firstToken;
    const to = sent.endToken;
    if (from >= to) continue;

    // Praise or agreement, then a bad outcome in the sentence or the next.
    const praise = praiseAt(lex, t, from, to, signalled[s]);
    if (praise >= 0 && !sent.question) {
      const outcome = outcomeIn(lex, t, praise + 1, to, fresh);
      if (outcome >= 0) {
        onCue(praise, outcome + 1);
        continue;
      }
      if (next && outcomeIn(lex, t, next.firstToken, next.endToken, fresh) >= 0) {
        onCue(praise, to);
        continue;
      }
    }

    // Praise as a whole sentence ("Marvellous.", "Oh, impressive.") or praise of what was just agreed to ("Sure, that will go perfectly.").
    if (praise >= 0 && !sent.question && (onlyPraise(lex, t, from, to) || (lex.irony.agreement.has(t.tokens[praise]) && firstOf(lex, t, lex.irony.praise, praise + 1, to) >= 0))) {
      onCue(from, to);
      // The failure it praises, told next, is a second sign ("Bravo. You forgot it again.").
      const failure = next ? firstOf(lex, t, lex.irony.failures, next.firstToken, next.endToken) : -1;
      if (failure >= 0) onSign(failure, failure + 1);
      continue;
    }
    // A word of agreement or praise said over and over ("Sure, sure.", "Cool cool cool.", "Good good, ..."), or two of them ("Very good, very good, ...").
    if (from + 1 < to && t.tokens[from] === t.tokens[from + 1] && (irony.agreement.has(t.tokens[from]) || irony.praise.has(t.tokens[from]) || irony.evaluations.has(t.tokens[from]) || REPEATED.has(lex.vocab.word(t.tokens[from])))) {
      onCue(from, from + 2);
      continue;
    }
    if (from + 3 < to && t.tokens[from] === t.tokens[from + 2] && t.tokens[from + 1] === t.tokens[from + 3] && (irony.praise.has(t.tokens[from + 1]) || irony.evaluations.has(t.tokens[from + 1]) || irony.agreement.has(t.tokens[from + 1]))) {
      onCue(from, from + 4);
      continue;
    }
    // An aside set off by commas, in the middle or closing a statement ("It grows back, you know.", "Have you tried, I don't know, getting out of bed?").
    const aside = signalled[s] & SIGNAL_ASIDE ? asideIn(lex, t, from, to, sent.question) : -1;
    if (aside >= 0) {
      report(aside, aside + 2, 'condescension', true, false);
      continue;
    }

    const signal = signalled[s];
    if (!sent.question) {
      // An apology for the person's own understanding ("I'm sorry you find tablets this confusing."): a put-down, and no sympathy.
      const sorry = signal & SIGNAL_SORRY ? sorryYouFind(lex, t, from, to) : -1;
      if (sorry >= 0) {
        report(from, sorry, 'sarcasm', false, true);
        continue;
      }
      // The person's doing judged in a few words: the whole sentence, its opening clause or its closing one ("Real mature.", "Thanks for that, really helpful.").
      // A second sign beside it: the failure it praises told next ("Such dedication. Three missed appointments."), or thanks before it in the sentence.
      if (signal & SIGNAL_PRAISE) {
        if (evaluatesDoing(lex, t, from, to)) {
          onCue(from, to);
          const failure = next ? firstOf(lex, t, lex.irony.failures, next.firstToken, next.endToken) : -1;
          if (failure >= 0) onSign(failure, failure + 1);
          continue;
        }
        let open = from;
        while (open < to - 1 && !(t.flags[open] & FLAG_PAUSE_AFTER)) open++;
        if (open < to - 1 && evaluatesDoing(lex, t, from, open + 1)) {
          onCue(from, open + 1);
          continue;
        }
        let close = to - 1;
        while (close > from && !(t.flags[close - 1] & FLAG_PAUSE_AFTER)) close--;
        // A clause of praise alone closing a flat statement ("Cutting out sugar, brilliant."; exclaimed it is delight: "You got the appointment, brilliant!").
        // No `continue`: the opening clause may be the person's words handed back, a second sign (read below).
        if (close > from && !sent.exclaim && to - close <= 2 && onlyPraise(lex, t, close, to)) onCue(close, to);
        else if (close > from && evaluatesDoing(lex, t, close, to)) {
          onCue(close, to);
          const thanks = firstOf(lex, t, lex.irony.thanks, from, close);
          if (thanks >= 0) onCue(thanks, thanks + 1);
          continue;
        }
      }
      const certain = signal & SIGNAL_SURE ? mockCertainty(lex, t, from, to) : -1;
      if (certain >= 0) {
        onCue(from, certain);
        continue;
      }
      // "Sounds like she's managing beautifully": praise offered as an interpretation of someone else, or of a thing.
      if (signal & SIGNAL_PRAISE && praisingImpression(lex, t, from, to)) {
        onCue(from, to);
        continue;
      }
      if (!sent.exclaim && (deadpanVerdict(lex, t, from, to) || verdictTag(lex, t, from, to))) {
        onCue(from, to);
        continue;
      }
      if (copularTautology(lex, t, from, to)) {
        report(from, to, 'dismissive', true, false);
        continue;
      }
      // Praise or thanks for something that came late ("Nice of you to finally show up.", "Cheers, only took you a month.").
      const late = signal & SIGNAL_LATE ? praisedLate(lex, t, from, to) : -1;
      if (late >= 0) {
        onCue(from, late);
        continue;
      }
    } else {
      // "Is it really that hard to remember one tablet?"
      const hard = hardQuestion(lex, t, from, to);
      if (hard >= 0) {
        report(from, to, 'condescension', true, false);
        continue;
      }
      // A tag question after a statement ("Upset is just part of the package, right?"), the question thrown back ("Hmm, what do you reckon?"),
      // the person's figure made little of ("Only 11?"): each sincere at times (a check, a coaching question), so each needs a second sign.
      if (tagQuestion(lex, t, from, to) || thrownBack(lex, t, from, to) || (sent.words <= ANSWER_WORDS - 1 && minimisedCount(lex, t, from, to))) {
        report(from, to, 'condescension', true, false);
        continue;
      }
      // "Have you tried just asking him to stop?": the obvious offered as a remedy.
      const obvious = signal & SIGNAL_TRY ? obviousRemedy(lex, t, from, to) : -1;
      if (obvious >= 0) {
        report(obvious, obvious + 2, 'condescension', true, false);
        continue;
      }
    }

    // Praise that makes little of what it praises: "Congratulations, only five a day!", "Well done, just two hours late."
    if (praise >= 0 && lex.irony.praise.has(t.tokens[praise]) && minimisedCount(lex, t, praise + 1, to)) {
      onCue(from, to);
      continue;
    }

    // A question the speaker answers at once, curtly.
    if (sent.question && next && !next.question && next.words <= ANSWER_WORDS && next.firstToken < next.endToken) {
      if (phraseAt(t, lex.irony.answers, next.firstToken, next.endToken)) {
        onSign(next.firstToken, next.endToken);
        s++;
        continue;
      }
    }

    if (!fresh) continue;
    // The reply opens on the person's words in quotation marks, a sentence of their own ("'Literally trained for this.' Well, ..."): handed back.
    if (s === 0 && sent.words >= 3 && t.flags[from] & FLAG_QUOTED && t.flags[to - 1] & FLAG_QUOTED) {
      const [start, length] = echoedRun(t, from, to, fresh.stamp);
      if (length >= 3 && hasContentWord(lex, t, start, length)) {
        onSign(from, to);
        continue;
      }
    }
    // The person's own words handed back in a short question, exclamation or interjection ("Oh, once a month.").
    if ((sent.question || sent.exclaim || lex.irony.interjections.has(t.tokens[from])) && sent.words <= ECHO_WORDS && isFragment(lex, t, from, to)) {
      const [start, length] = echoedRun(t, from, to, fresh.stamp);
      if ((length >= 3 || (length >= 2 && sent.words <= ANSWER_WORDS)) && 2 * length >= to - from && hasContentWord(lex, t, start, length)) {
        onSign(from, to);
        continue;
      }
      if (echoedContent(lex, t, from, to, fresh.stamp, sent.words <= 3 && lex.irony.interjections.has(t.tokens[from]))) {
        onSign(from, to);
        continue;
      }
    }
    // Opening the reply, or after a word or two ("Right. 84.", "Yoga. For twelve years of ICU."): a figure told later informs ("... Three weeks of calling takes persistence.").
    if (!sent.question && sent.words <= FIGURE_WORDS && (s === 0 || (s === 1 && sentences[0].words <= 2)) && figureHandedBack(lex, t, from, to, fresh.stamp)) {
      onSign(from, to);
      continue;
    }
    // The same as the opening clause of a longer sentence ("Eleven times, gosh, ...").
    let clauseEnd = from;
    while (clauseEnd < to && !(t.flags[clauseEnd] & FLAG_PAUSE_AFTER)) clauseEnd++;
    if (clauseEnd < to - 1 && clauseEnd - from < ANSWER_WORDS && isFragment(lex, t, from, clauseEnd + 1)) {
      const [start, length] = echoedRun(t, from, clauseEnd + 1, fresh.stamp);
      if (length === clauseEnd + 1 - from && hasContentWord(lex, t, start, length)) {
        onSign(from, clauseEnd + 1);
        continue;
      }
    }
    // Exclaimed praise of what a person in distress reported.
    if (fresh.distress && sent.exclaim && praise >= 0 && lex.irony.praise.has(t.tokens[praise])) {
      const [start, length] = echoedRun(t, from, to, fresh.stamp);
      if (length >= 2 && hasContentWord(lex, t, start, length)) {
        onCue(from, to);
        continue;
      }
    }
    // Praise or admiration said flat to a person in distress, whatever it praises ("What a saint.", "Sounds like a real asset to the
    // community.", "A truly inspiring plan."): incongruous unless the reply meets the distress, so a cue that needs a second sign in a
    // reply that acknowledges nothing. Not in a question, and not beside a modal ("A festa can be wonderful", "it would be brilliant if ...").
    // It takes back no kindness (praise of the person is how affirmation sounds too: "You're doing a great job"), and alone it costs
    // nothing in a reply with any empathy evidence (`faint`).
    const incongruous = fresh.distress && !sent.question ? incongruousPraise(lex, t, from, to) : -1;
    if (incongruous >= 0) report(incongruous, incongruous + 1, 'sarcasm', true, false, true);
  }
}

