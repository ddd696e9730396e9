/**
 * Reads the user's side of a prompt for what the person feels: the emotion words of
 * emotions.json, taken only in a frame that says the person (or someone close to them) feels
 * this now. "I'm so scared", "it breaks my heart", "my dog died" are distress; "lost track",
 * "a guilty pleasure", "hurt someone", "you make me angry", "should I be annoyed?", a news item
 * in quotation marks to summarise, or "create mass panic" are not. People also say it without
 * our feeling words, and often without "I": "Can't stop picturing it.", "Up three times a night
 * with her.", "Is it my fault?", "Not great tbh." (emotions.json `firstPerson`), a participle after
 * its clause ("I came out shaking"), a loss told of someone named earlier ("she passed last
 * week"). One pass over the words plus a short look back from each cue.
 */
import { findPhrases, phraseAt } from './match';
import {
  lexicon,
  LexiconEntry,
  WORD_CAUSATIVE,
  WORD_CUE_START,
  WORD_CAUSER,
  WORD_COORDINATOR,
  WORD_ENGLISH,
  WORD_FRAME_LINK,
  WORD_HYPOTHETICAL,
  WORD_INTENSIFIER,
  WORD_NEGATOR,
  WORD_QUESTION_AUX,
  WORD_OTHER,
  WORD_POSSESSIVE,
  WORD_RELATION,
  WORD_RELATIVE,
  WORD_SELF,
  WORD_TASK,
  WORD_YOU,
} from './lexicon';
import { Vocabulary } from './vocab';
import { FLAG_QUOTED, FLAG_SENTENCE_START, scanWords, WordTable } from './words';

/** One feeling the prompt expresses. */
export interface PromptFeeling {
  /** Family index (see `lexicon().families`). */
  family: number;
  intensity: number;
}

/** Whose feeling a cue names: the person's own, someone close to them, or an event in their life (undefined: not the person's feeling). */
type Who = 'self' | 'other' | 'event' | 'answer' | undefined;

export interface PromptReading {
  /** The prompt shows distress: a negative feeling in a first-person (or close-other) frame. */
  distress: boolean;
  /** Bit mask of the families expressed (bit = family index). */
  families: number;
  /** The strongest intensity of a distress feeling (0 when none). */
  intensity: number;
  feelings: PromptFeeling[];
  /** Written words of the last user turn, whether it asks a question, and whether it asks for a brief answer ("in one word", "yes or no"). */
  lastTurnWords: number;
  lastTurnQuestion: boolean;
  asksBrief: boolean;
  /** The last user turn asks how to do something or for advice ("How do I ...?", "any tips?"): steps in the reply answer it (prescriptive.json `steps`). */
  asksSteps: boolean;
  /** The last user turn ends on a question put to the assistant ("Can you ...?", "Do you know ...?"): a bare "No." answers it as a refusal. */
  asksAssistant: boolean;
  /** Content words of the user turns: `stampedWord(stamp, id)`, valid while `generation` is the vocabulary's (see wordStamps). */
  stamp: number;
  generation: number;
}

/**
 * The content words of the latest prompt read, as a stamp per word id instead of a set per
 * prompt (nothing allocated per record). A reading's words are the ids stamped with its stamp; a
 * later reading restamps its own words, so only the latest reading answers fully. The record
 * analysis reads the prompt and scores both responses straight after, so it is always the latest.
 */
let wordStamps = new Int32Array(1 << 12);
let stampNow = 0;

/**
 * The pairs of adjacent words of the latest prompt read (first person turned into second: "my
 * tablet" is kept as "your tablet"), to find the person's own words handed back in a reply, and
 * every word of it. Kept like `wordStamps`: an open-addressing table of pairs and a stamp per word
 * id, written with the reading's stamp, so nothing is cleared or allocated per prompt.
 */
let pairFirst = new Int32Array(1 << 12);
let pairSecond = new Int32Array(1 << 12);
let pairStamps = new Int32Array(1 << 12);
let anyWordStamps = new Int32Array(1 << 12);
/** The words the person wrote as their own, outside quotation marks ("aphasia they call it", not "has 'dysphagia'"): a stamp per word id like `anyWordStamps`. */
let ownWordStamps = new Int32Array(1 << 12);

function pairSlot(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77);
  // The high bits folded in: the low bits of the products alone follow the word ids' low bits, and ids met together are often close, so their pairs fell in runs of slots.
  h ^= h >>> 15;
  return h & (pairStamps.length - 1);
}

function addPair(stamp: number, a: number, b: number): void {
  let k = pairSlot(a, b);
  while (pairStamps[k] === stamp) {
    if (pairFirst[k] === a && pairSecond[k] === b) return;
    k = (k + 1) & (pairStamps.length - 1);
  }
  pairStamps[k] = stamp;
  pairFirst[k] = a;
  pairSecond[k] = b;
}

/** Whether words `a` `b` (response ids, second person as written) stand side by side in the prompt read with this stamp (the caller checks the reading is fresh). */
export function promptPair(stamp: number, a: number, b: number): boolean {
  for (let k = pairSlot(a, b); pairStamps[k] === stamp; k = (k + 1) & (pairStamps.length - 1)) if (pairFirst[k] === a && pairSecond[k] === b) return true;
  return false;
}

/** Whether the word id is any word of the prompt read with this stamp (the caller checks the reading is fresh). */
export function promptWord(stamp: number, id: number): boolean {
  return id < anyWordStamps.length && anyWordStamps[id] === stamp;
}

/** Whether the word id is a word the person wrote outside quotation marks in the prompt read with this stamp (the caller checks the reading is fresh). */
export function promptOwnWord(stamp: number, id: number): boolean {
  return id < ownWordStamps.length && ownWordStamps[id] === stamp;
}

/** Whether the word id is a content word of the prompt read with this stamp (the caller checks once that the reading's ids are still valid: its generation is the vocabulary's). */
export function stampedWord(stamp: number, id: number): boolean {
  return id < wordStamps.length && wordStamps[id] === stamp;
}

/** A request for a brief answer: a short reply to it is what was asked for, not curt. */
const BRIEF = /\b(?:in (?:one|a|two|three) (?:words?|sentences?|lines?)|one[- ]word|one[- ]line|one sentence|a single (?:word|sentence)|yes or no|briefly|short answer|quick answer|just (?:the|a) (?:name|number|word|answer)|finish (?:this|the|my)|complete (?:this|the|my))\b/i;

/** How far back from a cue a frame may start (tokens). */
const FRAME_REACH = 7;
/** How far back from an event an owner ("my", "Mum") may stand. */
const EVENT_REACH = 6;

/** Words that may carry on a feeling said with its subject left out ("Worried about after.", "Scared and alone.", "Exhausted all the time."): prepositions, conjunctions and words of time. */
const CLAUSE_GOES_ON = new Set(['about', 'of', 'for', 'that', 'to', 'when', 'after', 'because', 'since', 'at', 'with', 'and', 'but', 'all', 'today', 'tonight', 'lately', 'again', 'now', 'rn', 'honestly', 'tbh', 'ngl', 'every', 'most', 'by', 'in', 'out', 'over', 'inside']);
/** What may follow a wish to withdraw ("I just want to hide in my room", "... to disappear for a while"): a preposition, a conjunction, a word of time. Anything else is its object: "I want to hide a camera", "hide capital gains". */
const WISH_GOES_ON = new Set(['in', 'from', 'away', 'under', 'for', 'forever', 'somewhere', 'until', 'till', 'when', 'because', 'into', 'inside', 'at', 'on', 'out', 'up', 'alone', 'now', 'today', 'tonight', 'sometimes', 'tbh', 'honestly']);
/** What a feeling said alone may be weighed against ("Nervous but excited.", "Tired but okay."). */
const MIXED_WITH = new Set(['okay', 'ok', 'fine', 'alright', 'good', 'well', 'excited', 'relieved', 'happy', 'hopeful', 'grateful', 'proud', 'positive', 'managing', 'coping', 'getting']);
/** Words that may follow a brief understatement ("Not great tbh.", "It's been a lot lately."): its clause ends there. Not "at", "with", "for", "to": "not great at maths", "not good for him". */
const BRIEF_GOES_ON = new Set(['tbh', 'honestly', 'ngl', 'lately', 'recently', 'today', 'tonight', 'now', 'rn', 'atm', 'mate', 'tho', 'though', 'really', 'either', 'anymore', 'these', 'this', 'if', 'since', 'because', 'cos', 'so']);
/** Between a subject and what follows: "I came out shaking", "I'm sitting in the corridor shaking": words that make the participle someone else's, or the subject matter of a question or a story ("I read about babies crying", "I watched him crying", "how do I stop crying"). */
const PARTICIPLE_BLOCKS = new Set(['about', 'that', 'why', 'how', 'when', 'whether', 'if', 'like', 'see', 'saw', 'seen', 'seeing', 'watch', 'watched', 'watching', 'hear', 'heard', 'hearing', 'read', 'him', 'her', 'them', 'people', 'someone', 'somebody', 'anyone', 'everyone', 'who', 'what', 'film', 'movie', 'video', 'story', 'book', 'character']);
/** `continuation` found no "can't stop" (-1 is a real answer: before a sentence opening the text). */
const NO_CONTINUATION = -2;
/** How far back from a participle its subject may stand ("I'm sitting in the hospital corridor shaking"). */
const PARTICIPLE_REACH = 10;

/**
 * Token index just before a "can't stop" that carries a state on ("I can't stop crying", "I am not
 * able to stop shaking", "couldn't stop"), when token `k` is its "stop" (`first - 1` when it opens
 * the sentence: "Can't stop crying."); NO_CONTINUATION otherwise. Not stopping is going on: the
 * state after it is the subject's now.
 */
function continuation(vocab: Vocabulary, t: WordTable, k: number, first: number): number {
  if (k < first || vocab.word(t.tokens[k]) !== 'stop') return NO_CONTINUATION;
  let j = k - 1;
  // "not able to stop", "can not seem to stop"
  if (j >= first && vocab.word(t.tokens[j]) === 'to') {
    j--;
    if (j >= first && (vocab.word(t.tokens[j]) === 'able' || vocab.word(t.tokens[j]) === 'seem')) j--;
    else return NO_CONTINUATION;
  }
  if (j < first || !(vocab.flags[t.tokens[j]] & WORD_NEGATOR)) return NO_CONTINUATION;
  j--;
  // The auxiliary before "not" ("can", "could", "am", "do"): part of the same verb, not a modal of doubt.
  if (j >= first) {
    const w = vocab.word(t.tokens[j]);
    if (w === 'can' || w === 'could' || w === 'am' || w === 'do' || w === 'did' || w === 'just' || w === 'literally') j--;
  }
  return j;
}

/**
 * Whether the words before token `from` make the person the subject of what starts there: "I"
 * or "we" with linking words or modifiers between ("I am really not coping"), the sentence's start
 * with the subject left out ("Can't stop picturing it.", "Up three times a night with her."), or
 * "and"/"but" after a clause whose subject is "I" or is left out ("I work nights and can't
 * sleep"). Another subject ("she can't settle"), a modal or a condition ("if I can't cope") and a
 * negation before it ("I don't feel like I'm failing") say it is not the person's state now.
 */
function firstPersonBefore(vocab: Vocabulary, t: WordTable, from: number): boolean {
  const flags = vocab.flags;
  const tokens = t.tokens;
  const first = t.sentences[t.sentence[from]].firstToken;
  let k = from - 1;
  while (k >= first && flags[tokens[k]] & (WORD_FRAME_LINK | WORD_INTENSIFIER) && !(flags[tokens[k]] & (WORD_SELF | WORD_NEGATOR | WORD_COORDINATOR))) k--;
  if (k < first) return true;
  let f = flags[tokens[k]];
  if (f & WORD_COORDINATOR) {
    for (k--; k >= first && k >= from - FRAME_REACH - 4; k--) {
      f = flags[tokens[k]];
      if (f & WORD_SELF) break;
      if (f & (WORD_OTHER | WORD_YOU | WORD_RELATION | WORD_HYPOTHETICAL | WORD_RELATIVE | WORD_TASK)) return false;
    }
    if (k < first) return true;
    if (!(f & WORD_SELF)) return false;
  }
  if (!(f & WORD_SELF)) return false;
  return !(k > first && flags[tokens[k - 1]] & WORD_HYPOTHETICAL);
}

/**
 * Whether the phrase ending before token `to` closes its clause: nothing follows in the sentence, or
 * a conjunction, an intensifier or one of `goesOn` ("Not great tbh.", "I just want to hide in my
 * room"; not "not great at maths", "hide the money").
 */
function clauseEnds(vocab: Vocabulary, t: WordTable, to: number, goesOn: ReadonlySet<string>): boolean {
  if (to >= t.n || t.sentence[to] !== t.sentence[to - 1]) return true;
  return (vocab.flags[t.tokens[to]] & (WORD_COORDINATOR | WORD_INTENSIFIER)) !== 0 || goesOn.has(vocab.word(t.tokens[to]));
}

/** Whether the user turn holding token `at` asks for a piece of work ("Not great. Could you help me write an email to the school?"): an understatement beside it is small talk before the task, not what the turn is about. */
function turnAsksForWork(vocab: Vocabulary, t: WordTable, at: number): boolean {
  const seg = t.sentences[t.sentence[at]].seg;
  for (let k = at + 1; k < t.n && t.sentences[t.sentence[k]].seg === seg; k++) if (vocab.flags[t.tokens[k]] & WORD_TASK) return true;
  for (let k = at - 1; k >= 0 && t.sentences[t.sentence[k]].seg === seg; k--) if (vocab.flags[t.tokens[k]] & WORD_TASK) return true;
  return false;
}

/** The frame of a state word at tokens [from, to): whose feeling it is, or undefined when it is not one. */
function stateFrame(vocab: Vocabulary, t: WordTable, entry: LexiconEntry, from: number, to: number): Who {
  const flags = vocab.flags;
  const tokens = t.tokens;
  const s = t.sentences[t.sentence[from]];
  const first = s.firstToken;
  const other = entry.category !== 'clinical' && thirdPerson(entry) ? 'other' : undefined;
  const lastWord = vocab.word(tokens[to - 1]);
  // A participle or a past form: "I came out shaking", "cried in the loo"; a base form at a sentence's start is more often an order ("Cry if you need to").
  // Not a clinical word ("fighting", "struggling"): "the terrorists fighting", "it keeps fighting me" are someone else's doing.
  const participle = entry.category !== 'clinical' && (lastWord.endsWith('ing') || lastWord.endsWith('ed') || lastWord === 'tears');
  // "Exhausted." as a whole sentence answers "how are you feeling?" ("Hurt me please" is a verb with an object, not one); so do
  // "Honestly scared.", "Feeling so useless.", "Worried about after.": a feeling opening a statement with its subject left out, when
  // what follows carries it on ("Worried about after", "Scared and alone"; not "Upset stomach", "Lost the keys").
  if (!s.question) {
    let lead = true;
    for (let k = first; k < from && lead; k++) lead = (flags[tokens[k]] & (WORD_FRAME_LINK | WORD_INTENSIFIER)) !== 0 && !(flags[tokens[k]] & WORD_NEGATOR);
    if (lead && (from === first || (from === first + 1 && flags[tokens[first]] & WORD_INTENSIFIER))) {
      let rest = true;
      for (let k = to; k < s.endToken && rest; k++) rest = (flags[tokens[k]] & (WORD_FRAME_LINK | WORD_INTENSIFIER)) !== 0;
      // The feeling is the whole answer ("Confused.", "Exhausted."): said on its own, it is what the person is now.
      if (rest) return 'answer';
    }
    if (lead && (!entry.verb || participle)) {
      const next = to < s.endToken ? tokens[to] : -1;
      // "Nervous but excited.", "Tired but okay.": a feeling weighed against a good one in the same breath is not distress.
      if (next >= 0 && vocab.word(next) === 'but' && to + 1 < s.endToken && MIXED_WITH.has(vocab.word(tokens[to + 1]))) return undefined;
      if (next < 0 || flags[next] & (WORD_FRAME_LINK | WORD_INTENSIFIER | WORD_COORDINATOR) || CLAUSE_GOES_ON.has(vocab.word(next))) return 'self';
    }
  }
  let linked = false;
  // "I can't stop crying", "I am not able to stop shaking": the state goes on; read the frame from before "can't stop".
  let start = from;
  const before = continuation(vocab, t, from - 1, first);
  if (before !== NO_CONTINUATION) {
    if (before < first) return 'self';
    start = before + 1;
    linked = true;
  }
  // A verb may follow its subject ("I cried") or be joined to an earlier verb ("I went into the bathroom and cried"); after anything else ("mass panic", "the fear") it is a noun.
  let coordinated = false;
  if (entry.verb && start > first && start === from) {
    const prev = flags[tokens[from - 1]];
    if (prev & WORD_COORDINATOR) coordinated = true;
    else if (!(prev & (WORD_SELF | WORD_OTHER | WORD_FRAME_LINK))) return participle ? participleSubject(vocab, t, from - 1, first) : undefined;
  }
  for (let k = start - 1; k >= first && k >= start - FRAME_REACH; k--) {
    const f = flags[tokens[k]];
    if (f & (WORD_NEGATOR | WORD_CAUSATIVE)) return undefined;
    if (f & (WORD_SELF | WORD_OTHER)) {
      // "should I be annoyed?", "if I were sad": hypothetical.
      if (k > first && flags[tokens[k - 1]] & WORD_HYPOTHETICAL) return undefined;
      if (!linked && !entry.verb) return undefined;
      if (coordinated && k === from - 2) return undefined;
      return f & WORD_SELF ? 'self' : other;
    }
    // "makes me anxious", "left me shaking": the person's feeling, unless "you" caused it ("you make me so angry").
    if (f & WORD_CAUSER && k + 1 < from && vocab.word(tokens[k + 1]) === 'me') return k > first && flags[tokens[k - 1]] & WORD_YOU ? undefined : 'self';
    if (f & WORD_HYPOTHETICAL) return undefined;
    if (vocab.word(tokens[k]) === 'me') continue;
    if (f & WORD_FRAME_LINK) {
      linked = true;
      continue;
    }
    // "Mum is terrified", "my wife is worried": someone close to the person.
    if ((linked || (entry.verb && !coordinated)) && (f & WORD_RELATION || (k > first && flags[tokens[k - 1]] & WORD_POSSESSIVE && !(f & WORD_RELATIVE)))) return other;
    // A verb coordinated with an earlier one ("I went into the bathroom and cried").
    if (coordinated) continue;
    return participle ? participleSubject(vocab, t, k, first) : undefined;
  }
  return undefined;
}

/**
 * A participle after the rest of its clause ("I came out shaking", "I'm sitting in the hospital
 * corridor shaking", "I end up in tears in the kitchen"): the person's state when the clause's
 * subject, looking back from token `k`, is "I" and nothing between makes it someone else's or
 * the subject matter of a question or a story.
 */
function participleSubject(vocab: Vocabulary, t: WordTable, k: number, first: number): Who {
  const flags = vocab.flags;
  for (let j = k; j >= first && j > k - PARTICIPLE_REACH; j--) {
    const f = flags[t.tokens[j]];
    if (f & WORD_SELF) return j > first && flags[t.tokens[j - 1]] & WORD_HYPOTHETICAL ? undefined : 'self';
    if (f & (WORD_OTHER | WORD_YOU | WORD_RELATIVE | WORD_TASK | WORD_NEGATOR | WORD_HYPOTHETICAL | WORD_CAUSATIVE | WORD_RELATION | WORD_POSSESSIVE)) return undefined;
    if (PARTICIPLE_BLOCKS.has(vocab.word(t.tokens[j]))) return undefined;
  }
  return undefined;
}

function thirdPerson(entry: LexiconEntry): boolean {
  return lexicon().families[entry.family ?? 0]?.thirdPerson ?? false;
}

/**
 * An event ("died", "is in a hospice") counts when "my"/"our" or a relative's name stands shortly
 * before it in the sentence, and the sentence does not ask for a piece of writing about it ("Write
 * a eulogy for my grandmother, who died last week" is a task; "My mum died and I need to write a
 * eulogy" is not).
 */
function eventOwned(vocab: Vocabulary, t: WordTable, from: number): boolean {
  const flags = vocab.flags;
  const first = t.sentences[t.sentence[from]].firstToken;
  for (let k = first; k < from; k++) if (flags[t.tokens[k]] & WORD_TASK) return false;
  for (let k = from - 1; k >= first && k >= from - EVENT_REACH; k--) {
    const f = flags[t.tokens[k]];
    if (f & WORD_RELATIVE) return false;
    if (f & (WORD_POSSESSIVE | WORD_RELATION)) return true;
    // "My mum was ill for years. She passed last week.": a pronoun right before the event, for someone the person has named as theirs earlier.
    if (f & WORD_OTHER && k >= from - PRONOUN_REACH) return namedEarlier(vocab, t, k);
  }
  return false;
}

/** Whether the sentence dates the event at `to` years back ("He died two years ago", "in 2015"): background to a question, not a loss the person is in now (what they feel about it now is read on its own: "... and I still cry every day"). */
function longAgo(vocab: Vocabulary, t: WordTable, to: number): boolean {
  const end = t.sentences[t.sentence[to - 1]].endToken;
  for (let k = to; k + 1 < end; k++) {
    const w = vocab.word(t.tokens[k]);
    if ((w === 'years' || w === 'decades') && vocab.word(t.tokens[k + 1]) === 'ago') return true;
  }
  return false;
}

/** How far before an event its pronoun subject may stand ("she died", "he has just been diagnosed"). */
const PRONOUN_REACH = 3;

/** Whether the user turns before token `at` name someone as the person's ("my wife had surgery, she's in ICU", "My boy had a seizure. ... I thought he was dying"), and none of that text asks for a piece of work. */
function namedEarlier(vocab: Vocabulary, t: WordTable, at: number): boolean {
  let named = false;
  for (let k = at - 1; k >= 0; k--) {
    const f = vocab.flags[t.tokens[k]];
    if (f & WORD_TASK) return false;
    if (f & (WORD_POSSESSIVE | WORD_RELATION)) named = true;
  }
  return named;
}

/** Evaluative adjectives ("it sounds scary", "I have read scary things") count in a sentence about the person or with "it/this/that" as its subject. */
function evaluativeOwned(vocab: Vocabulary, t: WordTable, from: number): boolean {
  const s = t.sentences[t.sentence[from]];
  for (let k = s.firstToken; k < s.endToken; k++) {
    if (vocab.flags[t.tokens[k]] & (WORD_SELF | WORD_POSSESSIVE)) return true;
    const w = vocab.word(t.tokens[k]);
    if (w === 'me' || (k === s.firstToken && (w === 'it' || w === 'this' || w === 'that'))) return true;
  }
  return false;
}

/**
 * Whether the quotation holding token `at` is material for a task ("Summarise this news item:
 * '...'", "Proofread this obituary: '...'"): the sentence that opens it asks for one. A quotation
 * opened without a task ("Sure: 'I'm terrified ...'", "she said 'I feel so alone'") still speaks
 * of feelings; one that opens its turn is taken as material.
 */
function quotedForTask(vocab: Vocabulary, t: WordTable, at: number): boolean {
  let k = at;
  const seg = t.sentences[t.sentence[at]].seg;
  while (k >= 0 && t.flags[k] & FLAG_QUOTED && t.sentences[t.sentence[k]].seg === seg) k--;
  if (k < 0 || t.sentences[t.sentence[k]].seg !== seg) return true;
  const s = t.sentences[t.sentence[k]];
  for (let i = s.firstToken; i <= k; i++) if (vocab.flags[t.tokens[i]] & WORD_TASK) return true;
  return false;
}

/**
 * Reads the user turns of a prompt (each a string): the feelings they express, whether that is
 * distress, and what the last turn asks.
 */
export function readPrompt(segments: readonly string[]): PromptReading {
  const lex = lexicon();
  const vocab = lex.vocab;
  vocab.trim();
  const t = (lex.scratch = scanWords(vocab, segments, lex.scratch));
  const feelings: PromptFeeling[] = [];
  findPhrases(vocab, t, lex.cues, undefined, (entry, from, to) => {
    if (t.flags[from] & FLAG_QUOTED && quotedForTask(vocab, t, from)) return;
    let who: Who;
    switch (entry.frame) {
      case 'self':
        who = from > 0 && t.sentence[from - 1] === t.sentence[from] && vocab.flags[t.tokens[from - 1]] & WORD_HYPOTHETICAL ? undefined : 'self';
        break;
      case 'event':
        who = eventOwned(vocab, t, from) && !longAgo(vocab, t, to) ? 'event' : undefined;
        break;
      case 'evaluative':
        who = evaluativeOwned(vocab, t, from) ? 'self' : undefined;
        break;
      case 'first':
        who = firstPersonBefore(vocab, t, from) ? 'self' : undefined;
        break;
      case 'brief':
        who = firstPersonBefore(vocab, t, from) && clauseEnds(vocab, t, to, BRIEF_GOES_ON) && !turnAsksForWork(vocab, t, from) ? 'self' : undefined;
        break;
      case 'wish':
        who = firstPersonBefore(vocab, t, from) && clauseEnds(vocab, t, to, WISH_GOES_ON) ? 'self' : undefined;
        break;
      default:
        who = stateFrame(vocab, t, entry, from, to);
    }
    if (!who) return;
    // "I'm dying for a shower", "dying to see her": a wish, not an event.
    if (to < t.n && t.sentence[to] === t.sentence[to - 1] && vocab.word(t.tokens[to - 1]) === 'dying') {
      const next = vocab.word(t.tokens[to]);
      if (next === 'for' || next === 'to') return;
    }
    let intensity = entry.intensity ?? 1;
    // "so scared", "really worried", a feeling that is the whole sentence ("Confused."): one step stronger.
    if (who === 'answer' || (from > 0 && t.sentence[from - 1] === t.sentence[from] && vocab.flags[t.tokens[from - 1]] & WORD_INTENSIFIER)) intensity = Math.min(3, intensity + 1);
    feelings.push({ family: entry.family ?? 0, intensity });
  }, WORD_CUE_START);
  let families = 0;
  let intensity = 0;
  for (const f of feelings) {
    families |= 1 << f.family;
    const family = lex.families[f.family];
    if (family?.distress && !(family.mildIsAsking && f.intensity === 1)) intensity = Math.max(intensity, f.intensity);
  }
  // The last turn: its words, and whether it ends with a question.
  const lastSeg = segments.length - 1;
  let lastTurnWords = 0;
  let lastTurnQuestion = false;
  let asksSteps = false;
  let asksAssistant = false;
  for (const s of t.sentences) {
    if (s.seg !== lastSeg) continue;
    lastTurnWords += s.words;
    lastTurnQuestion = s.question;
    asksAssistant = s.question && s.firstToken + 1 < s.endToken && (vocab.flags[t.tokens[s.firstToken]] & WORD_QUESTION_AUX) !== 0 && vocab.word(t.tokens[s.firstToken + 1]) === 'you';
    for (let i = s.firstToken; i < s.endToken && !asksSteps; i++) asksSteps = phraseAt(t, lex.steps.requests, i, s.endToken) !== undefined;
  }
  const last = segments[segments.length - 1] ?? '';
  const asksBrief = BRIEF.test(last);
  const stamp = ++stampNow;
  if (wordStamps.length < vocab.size) {
    const grown = new Int32Array(Math.max(vocab.size, 2 * wordStamps.length));
    grown.set(wordStamps);
    wordStamps = grown;
  }
  if (anyWordStamps.length < vocab.size) {
    const grown = new Int32Array(Math.max(vocab.size, 2 * anyWordStamps.length));
    grown.set(anyWordStamps);
    anyWordStamps = grown;
    const own = new Int32Array(grown.length);
    own.set(ownWordStamps);
    ownWordStamps = own;
  }
  // At most half full: a prompt of n words has fewer than n pairs.
  if (pairStamps.length < 2 * t.n) {
    let size = pairStamps.length;
    while (size < 2 * t.n) size *= 2;
    pairFirst = new Int32Array(size);
    pairSecond = new Int32Array(size);
    pairStamps = new Int32Array(size);
  }
  const person = lex.irony.person;
  for (let i = 0; i < t.n; i++) {
    anyWordStamps[t.tokens[i]] = stamp;
    if (!(t.flags[i] & FLAG_QUOTED)) ownWordStamps[t.tokens[i]] = stamp;
    if (i === 0 || t.sentence[i] !== t.sentence[i - 1]) continue;
    const a = t.tokens[i - 1];
    const b = t.tokens[i];
    addPair(stamp, a < person.length && person[a] ? person[a] : a, b < person.length && person[b] ? person[b] : b);
  }
  for (let i = 0; i < t.n; i++) {
    const id = t.tokens[i];
    const f = vocab.flags[id];
    if (f & (WORD_ENGLISH | WORD_FRAME_LINK | WORD_SELF | WORD_OTHER | WORD_YOU) || t.flags[i] & FLAG_SENTENCE_START) continue;
    if (t.end[i] - t.start[i] >= 4) wordStamps[id] = stamp;
  }
  return { distress: intensity > 0, families, intensity, feelings, lastTurnWords, lastTurnQuestion, asksBrief, asksSteps, asksAssistant, stamp, generation: vocab.generation };
}
