/**
 * Orders and prescriptive grammar: what kind of order each sentence opens with (a bare command, a
 * softened one, a negative order, a reassurance such as "don't worry", or a step the person asked
 * for), the matches orders produce (bare commands, negative openers, runs of orders), and the
 * weight an obligation phrase keeps once its grammar is read.
 */
import { spanMatch, ToneMatch } from './axes';
import {
  Lexicon,
  LexiconEntry,
  WORD_CHAIN,
  WORD_COGNITION,
  WORD_COMMAND,
  WORD_CONDITION,
  WORD_DISCOURSE,
  WORD_PLEASE,
  WORD_QUESTION_AUX,
  WORD_SOFT,
  WORD_SUBJECT_FOLLOWER,
  WORD_SUBJECT_PRONOUN,
} from './lexicon';
import { masked, phraseAt } from './match';
import { Vocabulary, WordSet } from './vocab';
import { FLAG_PAUSE_AFTER, WordTable } from './words';

/** Imperative kinds as small codes (a byte per sentence, in a reused buffer). */
export const ORDER_NONE = 0;
const ORDER_BARE = 1;
const ORDER_SOFT = 2;
const ORDER_NEGATIVE = 3;
const ORDER_REASSURE = 4;
/** An imperative in steps the person asked for: a step, not an order (it still names no feeling to acknowledge it). */
const ORDER_STEP = 5;
let kindBytes = new Uint8Array(256);
function kindScratch(n: number): Uint8Array {
  if (kindBytes.length < n) kindBytes = new Uint8Array(Math.max(n, 2 * kindBytes.length));
  return kindBytes;
}

/**
 * The kind of order each sentence opens with (a reused buffer, valid until the next call), and
 * `ordering[s] = 1` for each sentence that gives one. With `steps` (the person asked how to do
 * something and the reply is laid out as steps), every order is a step.
 */
export function sentenceOrders(words: WordTable, lex: Lexicon, steps: boolean, ordering: Uint8Array): Uint8Array {
  const sentenceCount = words.sentences.length;
  const kinds = kindScratch(sentenceCount);
  for (let s = 0; s < sentenceCount; s++) {
    kinds[s] = imperativeKind(words, lex, s);
    if (kinds[s] !== ORDER_NONE && kinds[s] !== ORDER_REASSURE) {
      ordering[s] = 1;
      if (steps) kinds[s] = ORDER_STEP;
    }
  }
  return kinds;
}

/**
 * Adds the matches of the orders in `kinds` (from sentenceOrders): a bare command (politeness)
 * per bare or negative order, a negative opener, and a run of `stacked.minRun` orders or more;
 * returns how many bare commands there are.
 */
export function orderMatches(words: WordTable, lex: Lexicon, kinds: Uint8Array, mask: Uint8Array | undefined, matches: ToneMatch[]): number {
  const vocab = lex.vocab;
  const sentenceCount = words.sentences.length;
  let bare = 0;
  let run = 0;
  let runStart = 0;
  const closeRun = (endSentence: number) => {
    if (run >= lex.stacked.minRun) {
      const a = words.sentences[runStart];
      const b = words.sentences[endSentence];
      const from = a.firstToken;
      const to = b.endToken - 1;
      if (!masked(mask, from, to + 1) && a.seg === b.seg) {
        matches.push({ seg: a.seg, start: a.start, end: b.end, axis: 'nonPrescriptive', kind: 'stacked', category: 'stacked-imperatives', weight: -lex.stacked.weight });
      }
    }
    run = 0;
  };
  for (let s = 0; s < sentenceCount; s++) {
    const kind = kinds[s];
    if (kind === ORDER_NONE || kind === ORDER_REASSURE || kind === ORDER_STEP) {
      closeRun(s - 1);
      continue;
    }
    if (run === 0) runStart = s;
    run++;
    const sent = words.sentences[s];
    const first = sent.firstToken;
    if (masked(mask, first, first + 1)) continue;
    if (kind === ORDER_NEGATIVE) {
      matches.push(spanMatch(words, first, Math.min(first + 1, sent.endToken - 1), 'nonPrescriptive', 'negative-opener', 'negative-order', -lex.negativeOpeners.weight));
    }
    if (kind === ORDER_BARE || kind === ORDER_NEGATIVE) {
      bare++;
      let k = first;
      while (k < sent.endToken - 1 && vocab.flags[words.tokens[k]] & WORD_DISCOURSE) k++;
      matches.push(spanMatch(words, k, k, 'politeness', 'command', 'bare-command', -1));
    }
  }
  closeRun(sentenceCount - 1);
  return bare;
}

/** What kind of order a sentence opens with (ORDER_*; ORDER_REASSURE: a negative opener that comforts, "don't worry"). */
function imperativeKind(t: WordTable, lex: Lexicon, sentence: number): number {
  const s = t.sentences[sentence];
  if (s.question) return ORDER_NONE;
  const flags = lex.vocab.flags;
  let i = s.firstToken;
  while (i < s.endToken && flags[t.tokens[i]] & WORD_DISCOURSE) i++;
  if (i >= s.endToken) return ORDER_NONE;
  for (const neg of lex.negativeOpeners.tokens) {
    let ok = i + neg.length <= s.endToken;
    for (let k = 0; k < neg.length && ok; k++) ok = t.tokens[i + k] === neg[k];
    // "Don't worry, this is common." comforts; a bare "Don't be scared." (a few words, nothing more) is still an order.
    if (ok) return s.words >= REASSURANCE_WORDS && phraseAt(t, lex.negativeOpeners.reassurances, i + neg.length, s.endToken) ? ORDER_REASSURE : ORDER_NEGATIVE;
  }
  const first = flags[t.tokens[i]];
  // "do you mean ..." without its "?" is a question, not an order.
  if (first & WORD_QUESTION_AUX && i + 1 < s.endToken && flags[t.tokens[i + 1]] & WORD_SUBJECT_PRONOUN) return ORDER_NONE;
  if (!(first & WORD_COMMAND)) return ORDER_NONE;
  if (i + 1 >= s.endToken || flags[t.tokens[i + 1]] & WORD_SUBJECT_FOLLOWER) return ORDER_NONE;
  if (first & WORD_SOFT) return ORDER_SOFT;
  // "Tell me the dates", "let me know", "show me which one": an invitation to share, not an order.
  if (lex.vocab.word(t.tokens[i + 1]) === 'me' && INVITING_VERBS.has(lex.vocab.word(t.tokens[i]))) return ORDER_SOFT;
  // "please", or a condition or a reason ("Tell the nurse if it gets worse"), makes an order a piece of advice.
  for (let k = s.firstToken; k < s.endToken; k++) if (flags[t.tokens[k]] & (WORD_PLEASE | WORD_CONDITION)) return ORDER_SOFT;
  // Doings offered as a choice ("Read to him, or just sit with him"): the person picks one, so it is an option, not an order.
  if (offersChoice(t, lex, i + 1, s.endToken)) return ORDER_SOFT;
  return ORDER_BARE;
}

/**
 * Whether [from, to) goes on to another doing after "or" ("..., or just sit with him", "... or ring
 * the nurse"): "or", at most one word that keeps the choice light (CHOICE_ADVERBS), then a verb of
 * command used as one (not a noun before a verb, as the opening word is tested). "Or I'll ring",
 * "or else", "or you'll fall" are threats, and "or two" a count: none of them is an option.
 */
function offersChoice(t: WordTable, lex: Lexicon, from: number, to: number): boolean {
  const vocab = lex.vocab;
  for (let k = from; k + 1 < to; k++) {
    if (!OR.has(vocab, t.tokens[k])) continue;
    let v = k + 1;
    if (CHOICE_ADVERBS.has(vocab, t.tokens[v]) && v + 1 < to) v++;
    if (vocab.flags[t.tokens[v]] & WORD_COMMAND && !(v + 1 < to && vocab.flags[t.tokens[v + 1]] & WORD_SUBJECT_FOLLOWER)) return true;
  }
  return false;
}

/** Words between "or" and the doing it offers that keep it an option ("or just sit", "or simply ask"). */
const CHOICE_ADVERBS = new WordSet(['just', 'simply', 'even', 'maybe', 'perhaps']);
const OR = new WordSet(['or']);

/** Words a reassuring negative opener needs ("Don't worry, that's normal." has five), so it is more than a bare order. */
const REASSURANCE_WORDS = 5;

/** Verbs that, followed by "me", invite the person to share rather than order them about. */
const INVITING_VERBS = new Set(['tell', 'show', 'send', 'ask', 'give', 'let', 'text', 'email', 'call', 'message', 'ring', 'phone']);

/**
 * Whether a response is laid out as steps (see prescriptive.json `steps`): a sentence opening with
 * a first-step marker and another with a later one ("First, ... Then ..."), an introduction to a
 * list ("Here are a few tips:"), or two or more bulleted or numbered lines.
 */
export function laidOutAsSteps(t: WordTable, lex: Lexicon, segments: readonly string[]): boolean {
  let first = false;
  let later = false;
  let items = 0;
  for (const s of t.sentences) {
    let at = s.firstToken;
    let entries = phraseAt(t, lex.steps.openers, at, s.endToken);
    // "So first, ...", "And then ...".
    if (!entries && lex.vocab.flags[t.tokens[at]] & WORD_DISCOURSE) entries = phraseAt(t, lex.steps.openers, ++at, s.endToken);
    const opener = entries?.[0].category;
    if (opener === 'list') return true;
    if (opener === 'first') first = true;
    else if (opener === 'later') later = true;
    if (first && later) return true;
    if (listItem(segments[s.seg], s.start) && ++items >= 2) return true;
  }
  return false;
}

/** Whether the sentence starting at `start` opens a bulleted or numbered line ("- Boil ...", "2. Add ..."). */
function listItem(text: string, start: number): boolean {
  let k = start - 1;
  while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
  if (k < 0) return false;
  const c = text.charCodeAt(k);
  if (c === 45 || c === 42 || c === 0x2022) k--;
  else if (c === 46 || c === 41) {
    let digits = 0;
    for (k--; k >= 0 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57; k--) digits++;
    if (digits === 0 || digits > 2) return false;
  } else return false;
  while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
  return k < 0 || text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13;
}

/** Question and relative words that make "you have to ..." part of a clause about something else ("what you have to say"); "nothing" denies the obligation ("there's nothing else you have to do"). */
const CLAUSE_OPENERS = new Set(['what', 'whatever', 'whether', 'anything', 'everything', 'something', 'nothing']);

/**
 * The weight an obligation phrase keeps once grammar is read: none when a condition or a question
 * word opens it ("if you need to", "what you have to say"), a verb of knowing follows it ("you
 * have to admire") or, for a phrase that `chains`, a modal or "to" comes right before it ("you
 * should make sure" is one directive, "to make sure" a purpose); half in a sentence that opens
 * with a condition ("If you're going to do that, you'll need to ...").
 */
export function prescriptiveFactor(vocab: Vocabulary, t: WordTable, entry: LexiconEntry, from: number, to: number): number {
  const s = t.sentences[t.sentence[from]];
  if (to < s.endToken && vocab.flags[t.tokens[to]] & WORD_COGNITION) return 0;
  if (entry.chains) {
    let before = from - 1;
    if (before > s.firstToken && vocab.flags[t.tokens[before]] & WORD_DISCOURSE) before--;
    if (before >= s.firstToken && vocab.flags[t.tokens[before]] & WORD_CHAIN) return 0;
  }
  for (let k = from - 1; k >= s.firstToken && k >= from - 2; k--) {
    if (t.flags[k] & FLAG_PAUSE_AFTER) break;
    const w = t.tokens[k];
    if (vocab.flags[w] & WORD_CONDITION || CLAUSE_OPENERS.has(vocab.word(w))) return 0;
  }
  let first = s.firstToken;
  while (first < from && vocab.flags[t.tokens[first]] & WORD_DISCOURSE) first++;
  return first < from && vocab.flags[t.tokens[first]] & WORD_CONDITION ? 0.5 : 1;
}

/** How much a repeated mild directive ("you should") still counts: the first in full, then this share of the one before. Obligations ("you must") count in full each time. */
export const REPEAT_FACTOR = 0.6;
/** The category whose repeats fade; an obligation with a `stepWeight` counts as one in steps the person asked for. */
export const FADING_CATEGORY = 'directive';
