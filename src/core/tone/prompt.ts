/**
 * Reads the user's side of a prompt for what the person feels: the emotion words of
 * emotions.json, taken only in a frame that says the person (or someone close to them) feels
 * this now. "I'm so scared", "it breaks my heart", "my dog died" are distress; "lost track",
 * "a guilty pleasure", "hurt someone", "you make me angry", "should I be annoyed?", a news item
 * in quotation marks to summarise, or "create mass panic" are not. One pass over the words plus a
 * short look back from each cue.
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
type Who = 'self' | 'other' | 'event' | undefined;

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

function pairSlot(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) & (pairStamps.length - 1);
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

/** The frame of a state word at tokens [from, to): whose feeling it is, or undefined when it is not one. */
function stateFrame(vocab: Vocabulary, t: WordTable, entry: LexiconEntry, from: number, to: number): Who {
  const flags = vocab.flags;
  const tokens = t.tokens;
  const s = t.sentences[t.sentence[from]];
  const first = s.firstToken;
  const other = entry.category !== 'clinical' && thirdPerson(entry) ? 'other' : undefined;
  // "Exhausted." as a whole sentence answers "how are you feeling?" ("Hurt me please" is a verb with an object, not one).
  if ((from === first || (from === first + 1 && flags[tokens[first]] & WORD_INTENSIFIER)) && !s.question) {
    let rest = true;
    for (let k = to; k < s.endToken && rest; k++) rest = (flags[tokens[k]] & (WORD_FRAME_LINK | WORD_INTENSIFIER)) !== 0;
    if (rest) return 'self';
  }
  let linked = false;
  // A verb may follow its subject ("I cried") or be joined to an earlier verb ("I went into the bathroom and cried"); after anything else ("mass panic", "the fear") it is a noun.
  let coordinated = false;
  if (entry.verb && from > first) {
    const before = flags[tokens[from - 1]];
    if (before & WORD_COORDINATOR) coordinated = true;
    else if (!(before & (WORD_SELF | WORD_OTHER | WORD_FRAME_LINK))) return undefined;
  }
  for (let k = from - 1; k >= first && k >= from - FRAME_REACH; k--) {
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
    return undefined;
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
  }
  return false;
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
        who = eventOwned(vocab, t, from) ? 'event' : undefined;
        break;
      case 'evaluative':
        who = evaluativeOwned(vocab, t, from) ? 'self' : undefined;
        break;
      default:
        who = stateFrame(vocab, t, entry, from, to);
    }
    if (!who) return;
    let intensity = entry.intensity ?? 1;
    // "so scared", "really worried": one step stronger.
    if (from > 0 && t.sentence[from - 1] === t.sentence[from] && vocab.flags[t.tokens[from - 1]] & WORD_INTENSIFIER) intensity = Math.min(3, intensity + 1);
    feelings.push({ family: entry.family ?? 0, intensity });
  }, WORD_CUE_START);
  let families = 0;
  let intensity = 0;
  for (const f of feelings) {
    families |= 1 << f.family;
    if (lex.families[f.family]?.distress) intensity = Math.max(intensity, f.intensity);
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
