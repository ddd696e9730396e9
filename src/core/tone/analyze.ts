import { combineMechanisms, EmpathyEvidence, NamedFeeling, scoreEmpathy } from './empathy';
import type { LanguageCounts } from './language';
import {
  lexicon,
  Lexicon,
  Mechanism,
  phraseIds,
  PhraseKind,
  TrieNode,
  WORD_ACRONYM,
  WORD_COGNITION,
  WORD_COMMAND,
  WORD_CONDITION,
  WORD_DISCOURSE,
  WORD_ENGLISH,
  WORD_FOREIGN,
  WORD_PHRASE_START,
  WORD_PLEASE,
  WORD_QUESTION_AUX,
  WORD_SOFT,
  WORD_SUBJECT_FOLLOWER,
  WORD_SUBJECT_PRONOUN,
} from './lexicon';
import { findPhrases, masked } from './match';
import type { PromptReading } from './prompt';
import { fleschKincaidGrade, gradeToScore, syllables } from './readability';
import { Vocabulary } from './vocab';
import { FLAG_ALL_CAPS, FLAG_CONTRACTION_TAIL, FLAG_PAUSE_AFTER, scanWords, tokenStrings, WordTable } from './words';


/** The tone axes, each in [0, 1], higher = better for a chosen response. */
export const TONE_AXES = ['empathy', 'politeness', 'simplicity', 'nonPrescriptive', 'plainLanguage', 'respect'] as const;
export type ToneAxis = (typeof TONE_AXES)[number];
export type ToneScores = Record<ToneAxis, number> & { tone: number };

export const AXIS_LABELS: Record<ToneAxis | 'tone', string> = {
  empathy: 'empathy',
  politeness: 'politeness',
  simplicity: 'simplicity',
  nonPrescriptive: 'non-prescriptive',
  plainLanguage: 'plain language',
  respect: 'respect',
  tone: 'tone',
};

/**
 * How much each axis counts in the overall tone (sums to 1). The axes of how the reader is
 * treated (empathy, politeness, respect) weigh most; readability counts, but a short reply is
 * not kinder for being short.
 */
export const AXIS_WEIGHTS: Record<ToneAxis, number> = {
  empathy: 0.22,
  politeness: 0.18,
  simplicity: 0.1,
  nonPrescriptive: 0.15,
  plainLanguage: 0.1,
  respect: 0.25,
};

/** A place in a response: `seg` is the turn index, offsets are into that turn's text. */
export interface ToneSpan {
  seg: number;
  start: number;
  end: number;
}

export type MatchKind = Exclude<PhraseKind, 'block' | 'emotion' | 'cue'> | 'command' | 'stacked' | 'shouting' | 'negative-opener' | 'curt';

/** One piece of evidence found in a response. */
export interface ToneMatch extends ToneSpan {
  axis: ToneAxis;
  kind: MatchKind;
  category: string;
  /** Signed effect on the axis before scaling: positive raises it, negative lowers it. */
  weight: number;
  /** Plain alternative (jargon). */
  plain?: string;
  /** Empathy: the EPITOME mechanism, and the graded strength of this piece of evidence (see empathy.ts). */
  mechanism?: Mechanism;
  strength?: number;
}

/** The empathy axis in its three mechanisms (each in [0, 1]; see empathy.ts). */
export interface EmpathyMechanisms {
  reactions: number;
  interpretations: number;
  explorations: number;
  /** Ids of the feeling families the response names (emotions.json), and of those the prompt expressed too (only with a prompt). */
  names: string[];
  echoes: string[];
}

export interface ToneAnalysis {
  scores: ToneScores;
  /** What the empathy score is made of. */
  empathy: EmpathyMechanisms;
  /** Written words and sentences. */
  words: number;
  sentences: number;
  /** Flesch–Kincaid grade of the whole response. */
  grade: number;
  matches: ToneMatch[];
  /** The sentence with the highest reading grade (where simplicity suffers most). */
  hardest?: ToneSpan & { grade: number; words: number };
  /** The first sentence (where an acknowledgement belongs). */
  opening?: ToneSpan;
  /** Over the first LANGUAGE_SAMPLE_TOKENS tokens: how many are common English words, how many common words of another language (see language.ts). */
  language: LanguageCounts;
  /**
   * Normalised words that open sentences (up to four words each; the first four and the last
   * two sentences) and, prefixed with `$`, the response's last three words: the candidates for
   * shortcut phrases. Kept short on purpose: they are stored per record.
   */
  openers: string[];
}

/** Phrases the tone rules never flag (from the config's `allow`), compiled to token ids. */
export interface AllowList {
  phrases: Map<number, number[][]>;
  generation: number;
}

const allowCache = new WeakMap<readonly string[], AllowList>();

function compileAllowList(vocab: Vocabulary, allow: readonly string[]): AllowList {
  let compiled = allowCache.get(allow);
  // Ids of words outside the lexicon change when the vocabulary is trimmed: recompile then.
  if (!compiled || compiled.generation !== vocab.generation) {
    compiled = { phrases: new Map(), generation: vocab.generation };
    for (const phrase of allow) {
      const tokens = phraseIds(vocab, phrase);
      if (!tokens.length) continue;
      const list = compiled.phrases.get(tokens[0]) ?? [];
      list.push(tokens);
      compiled.phrases.set(tokens[0], list);
    }
    allowCache.set(allow, compiled);
  }
  return compiled;
}

const clamp = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

function allowedMask(t: WordTable, allow: AllowList | undefined): Uint8Array | undefined {
  if (!allow || allow.phrases.size === 0) return undefined;
  let mask: Uint8Array | undefined;
  for (let i = 0; i < t.n; i++) {
    const list = allow.phrases.get(t.tokens[i]);
    if (!list) continue;
    for (const toks of list) {
      if (i + toks.length > t.n) continue;
      let ok = true;
      for (let k = 1; k < toks.length && ok; k++) ok = t.tokens[i + k] === toks[k];
      if (!ok) continue;
      mask ??= new Uint8Array(t.n);
      for (let k = 0; k < toks.length; k++) mask[i + k] = 1;
    }
  }
  return mask;
}

function kindAxis(kind: PhraseKind): ToneAxis {
  switch (kind) {
    case 'empathy':
      return 'empathy';
    case 'softener':
    case 'gratitude':
    case 'blame':
      return 'politeness';
    case 'prescriptive':
      return 'nonPrescriptive';
    case 'jargon':
      return 'plainLanguage';
    default:
      return 'respect';
  }
}

/** A match over tokens [from, toInclusive], built in one literal (no spread: this runs per sentence). */
function spanMatch(t: WordTable, from: number, toInclusive: number, axis: ToneAxis, kind: MatchKind, category: string, weight: number): ToneMatch {
  return { seg: t.sentences[t.sentence[from]].seg, start: t.start[from], end: t.end[toInclusive], axis, kind, category, weight };
}

/** What kind of order a sentence opens with, if any ("reassure": a negative opener that comforts, "don't worry"). */
function imperativeKind(t: WordTable, lex: Lexicon, sentence: number): 'bare' | 'soft' | 'negative' | 'reassure' | undefined {
  const s = t.sentences[sentence];
  if (s.question) return undefined;
  const flags = lex.vocab.flags;
  let i = s.firstToken;
  while (i < s.endToken && flags[t.tokens[i]] & WORD_DISCOURSE) i++;
  if (i >= s.endToken) return undefined;
  for (const neg of lex.negativeOpeners.tokens) {
    let ok = i + neg.length <= s.endToken;
    for (let k = 0; k < neg.length && ok; k++) ok = t.tokens[i + k] === neg[k];
    // "Don't worry, this is common." comforts; a bare "Don't be scared." (a few words, nothing more) is still an order.
    if (ok) return s.words >= REASSURANCE_WORDS && startsWith(t, lex.negativeOpeners.reassurances, i + neg.length, s.endToken) ? 'reassure' : 'negative';
  }
  const first = flags[t.tokens[i]];
  // "do you mean ..." without its "?" is a question, not an order.
  if (first & WORD_QUESTION_AUX && i + 1 < s.endToken && flags[t.tokens[i + 1]] & WORD_SUBJECT_PRONOUN && lex.vocab.word(t.tokens[i + 1]) !== 'it' && lex.vocab.word(t.tokens[i + 1]) !== 'this' && lex.vocab.word(t.tokens[i + 1]) !== 'that') return undefined;
  if (!(first & WORD_COMMAND)) return undefined;
  if (i + 1 >= s.endToken || flags[t.tokens[i + 1]] & WORD_SUBJECT_FOLLOWER) return undefined;
  if (first & WORD_SOFT) return 'soft';
  // "Tell me the dates", "let me know", "show me which one": an invitation to share, not an order.
  if (lex.vocab.word(t.tokens[i + 1]) === 'me' && INVITING_VERBS.has(lex.vocab.word(t.tokens[i]))) return 'soft';
  // "please", or a condition or a reason ("Tell the nurse if it gets worse"), makes an order a piece of advice.
  for (let k = s.firstToken; k < s.endToken; k++) if (flags[t.tokens[k]] & (WORD_PLEASE | WORD_CONDITION)) return 'soft';
  return 'bare';
}

/** Imperative kinds as small codes (a byte per sentence, in a reused buffer). */
const ORDER_NONE = 0;
const ORDER_REASSURE = 4;
const ORDER_CODES = { none: ORDER_NONE, bare: 1, soft: 2, negative: 3, reassure: ORDER_REASSURE } as const;
const ORDER_KINDS = [undefined, 'bare', 'soft', 'negative', 'reassure'] as const;
let kindBytes = new Uint8Array(256);
function kindScratch(n: number): Uint8Array {
  if (kindBytes.length < n) kindBytes = new Uint8Array(Math.max(n, 2 * kindBytes.length));
  return kindBytes;
}

/** The ids of the emotion families in a bit mask (one frozen list per mask: most responses share a few). */
const familyLists = new Map<number, readonly string[]>();
export function familyIds(mask: number): string[] {
  let list = familyLists.get(mask);
  if (!list) familyLists.set(mask, (list = Object.freeze(lexicon().families.filter((_, k) => k > 0 && mask & (1 << k)).map((f) => f.id))));
  return list as string[];
}

/** A zeroed byte per sentence, reused between analyses (they never nest). */
let sentenceBytes = new Uint8Array(256);
function sentenceScratch(n: number): Uint8Array {
  if (sentenceBytes.length < n) sentenceBytes = new Uint8Array(Math.max(n, 2 * sentenceBytes.length));
  sentenceBytes.fill(0, 0, n);
  return sentenceBytes;
}

/** Words a reassuring negative opener needs ("Don't worry, that's normal." has five), so it is more than a bare order. */
const REASSURANCE_WORDS = 5;

/** Verbs that, followed by "me", invite the person to share rather than order them about. */
const INVITING_VERBS = new Set(['tell', 'show', 'send', 'ask', 'give', 'let', 'text', 'email', 'call', 'message', 'ring', 'phone']);

/** Whether a phrase of `root` starts at token `at` (before `end`). */
function startsWith(t: WordTable, root: TrieNode, at: number, end: number): boolean {
  let node: TrieNode | undefined = root;
  for (let k = at; k < end && node; k++) {
    node = node.next.get(t.tokens[k]);
    if (node?.entries) return true;
  }
  return false;
}

/** Question and relative words that make "you have to ..." part of a clause about something else ("what you have to say"). */
const CLAUSE_OPENERS = new Set(['what', 'whatever', 'whether', 'anything', 'everything', 'something']);

/**
 * The weight an obligation phrase keeps once grammar is read: none when a condition or a question
 * word opens it ("if you need to", "what you have to say") or a verb of knowing follows it
 * ("you have to admire"), half in a sentence that opens with a condition ("If you're going to do
 * that, you'll need to ...").
 */
function prescriptiveFactor(vocab: Vocabulary, t: WordTable, from: number, to: number): number {
  const s = t.sentences[t.sentence[from]];
  if (to < s.endToken && vocab.flags[t.tokens[to]] & WORD_COGNITION) return 0;
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
const REPEAT_FACTOR = 0.6;
const REPEATS_FADE = new Set(['directive']);

/** Respect categories that also cool the empathy axis (a put-down is the opposite of acknowledgement), with what each costs it. */
const COLD_CATEGORIES: Record<string, number> = { dismissive: 0.2, callous: 0.2, minimising: 0.15, sarcasm: 0.15, condescension: 0.1, insult: 0.15, shrug: 0.1, profanity: 0.05 };

/** Letters up to which an all-capitals word standing alone is read as an initialism (LGBTQ, BACP), unless it is a common word. */
const INITIALISM_LETTERS = 5;

/** An all-capitals word that is not shouting: a listed acronym, a short word that is not common English, or a long one with almost no vowels (DNACPR). */
function isInitialism(vocab: Vocabulary, t: WordTable, i: number, alone: boolean): boolean {
  const id = t.tokens[i];
  const f = vocab.flags[id];
  if (f & WORD_ACRONYM) return true;
  const word = vocab.word(id);
  if (!alone || t.flags[i] & FLAG_CONTRACTION_TAIL) return vowelShare(word) < 0.2;
  if (word.length <= INITIALISM_LETTERS) return !(f & (WORD_ENGLISH | WORD_COMMAND)) && !EMPHASIS_WORDS.has(word);
  return vowelShare(word) < 0.25;
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

/** Whether the turn continues the prompt's own text ("...such kindness and dignity."): a completion, not a curt reply. */
function continuesPrompt(text: string): boolean {
  const head = text.trimStart();
  return head.startsWith('...') || head.startsWith('\u2026');
}

/**
 * Scores one response (its turns as separate strings) on every tone axis and collects the
 * evidence with exact offsets. Runs in one pass over the words plus one lookup per word.
 * `prompt` (the user turns read by `readPrompt`) lets the empathy axis credit naming the feeling
 * the person expressed and taking up their words, and tells whether a short reply is curt.
 */
export function analyzeTone(segments: readonly string[], allow?: readonly string[], prompt?: PromptReading): ToneAnalysis {
  const lex = lexicon();
  const vocab = lex.vocab;
  vocab.trim();
  const words = (lex.scratch = scanWords(vocab, segments, lex.scratch));
  const matches: ToneMatch[] = [];
  const mask = allow?.length ? allowedMask(words, compileAllowList(vocab, allow)) : undefined;
  const surfaceCount = words.surfaceCount;
  const sentenceCount = words.sentences.length;

  if (surfaceCount === 0) {
    const zero: ToneScores = { empathy: 0, politeness: 0, simplicity: 0, nonPrescriptive: 0, plainLanguage: 0, respect: 0, tone: 0 };
    return { scores: zero, empathy: { reactions: 0, interpretations: 0, explorations: 0, names: [], echoes: [] }, words: 0, sentences: 0, grade: 0, matches, openers: [], language: { words: 0, english: 0, foreign: 0 } };
  }

  // Tokens inside put-downs: a reply that is nothing but a put-down ("Old people sleep.") is worse than one aside in a long answer.
  let disrespectTokens = 0;
  const evidence: EmpathyEvidence[] = [];
  const evidenceMatch: ToneMatch[] = [];
  const feelings: NamedFeeling[] = [];
  const repeats = new Map<string, number>();
  let refusal = false;
  // Matches that count only in a reply without warmth (decided once every phrase is known); rare, so allocated only when met.
  let conditional: ToneMatch[] | undefined;
  let conditionalTokens: Map<ToneMatch, number> | undefined;
  // Sentences that give orders or put the person down (they name feelings to dismiss them, not to acknowledge them).
  const ordering = sentenceScratch(sentenceCount);
  findPhrases(vocab, words, lex.phrases, mask, (entry, from, to) => {
    const kind = entry.kind;
    if (kind === 'emotion') {
      feelings.push({ from, to, family: entry.family ?? 0, intensity: entry.intensity ?? 1 });
      return;
    }
    if (kind === 'block' || kind === 'cue') return;
    if (kind === 'softener' && entry.category === 'refusal') {
      refusal = true;
      return;
    }
    let weight = entry.weight;
    if (kind === 'prescriptive') {
      weight *= prescriptiveFactor(vocab, words, from, to);
      if (weight === 0) return;
      if (REPEATS_FADE.has(entry.category)) {
        const seen = repeats.get(entry.category) ?? 0;
        weight *= REPEAT_FACTOR ** seen;
        repeats.set(entry.category, seen + 1);
      }
    }
    if (kind === 'respect') disrespectTokens += to - from;
    if (kind === 'respect' || kind === 'prescriptive' || kind === 'blame') ordering[words.sentence[from]] = 1;
    const positive = kind === 'empathy' || kind === 'softener' || kind === 'gratitude';
    const m: ToneMatch = {
      seg: words.sentences[words.sentence[from]].seg,
      start: words.start[from],
      end: words.end[to - 1],
      axis: kindAxis(kind),
      kind,
      category: entry.category,
      weight: positive ? weight : -weight,
      plain: entry.plain,
    };
    if (kind === 'empathy' && entry.mechanism) {
      m.mechanism = entry.mechanism;
      evidence.push({ from, to, mechanism: entry.mechanism, weight, category: entry.category });
      evidenceMatch.push(m);
    }
    if (entry.unlessWarm) {
      (conditional ??= []).push(m);
      (conditionalTokens ??= new Map()).set(m, to - from);
    }
    matches.push(m);
  }, WORD_PHRASE_START);

  // Put-downs that are sincere in a warm reply ("Oh wonderful, congratulations to her.", "Like I said, you're doing well").
  if (conditional) {
    const warmReply = matches.some((m) => m.weight > 0 && m.kind !== 'respect');
    if (warmReply) {
      for (const m of conditional) {
        const k = matches.indexOf(m);
        if (k >= 0) matches.splice(k, 1);
        disrespectTokens -= conditionalTokens?.get(m) ?? 0;
        for (let s = 0; s < sentenceCount; s++) if (words.sentences[s].seg === m.seg && words.sentences[s].start <= m.start && m.start < words.sentences[s].end) ordering[s] = 0;
      }
    }
  }

  // A jargon term explained in the same response ("palliative care is comfort care", "dysphagia means ...", "confusion, called delirium") is plain enough.
  if (matches.some((m) => m.kind === 'jargon')) {
    const lowerText = segments.join('\n').toLowerCase();
    for (let k = matches.length - 1; k >= 0; k--) {
      const m = matches[k];
      if (m.kind !== 'jargon') continue;
      if ((m.plain && lowerText.includes(m.plain.toLowerCase())) || explainedInPlace(segments[m.seg], m.start, m.end)) matches.splice(k, 1);
    }
  }

  // Orders: bare commands (politeness), negative openers, and runs of imperative sentences.
  const kinds = kindScratch(sentenceCount);
  for (let s = 0; s < sentenceCount; s++) {
    kinds[s] = ORDER_CODES[imperativeKind(words, lex, s) ?? 'none'];
    if (kinds[s] !== ORDER_NONE && kinds[s] !== ORDER_REASSURE) ordering[s] = 1;
  }
  const isOrder = (s: number) => ordering[s] === 1;
  const empathy = scoreEmpathy(words, evidence, feelings, isOrder, prompt);
  for (let k = 0; k < evidenceMatch.length; k++) evidenceMatch[k].strength = empathy.strengths[k];
  for (let k = 0; k < empathy.extra.length; k++) {
    const e = empathy.extra[k];
    const m = spanMatch(words, e.from, e.to - 1, 'empathy', 'empathy', e.category, e.weight);
    m.mechanism = e.mechanism;
    m.strength = empathy.strengths[evidence.length + k];
    matches.push(m);
  }
  const warm = evidence.length + empathy.extra.length > 0;

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
    const kind = ORDER_KINDS[kinds[s]];
    if (!kind || kind === 'reassure') {
      closeRun(s - 1);
      continue;
    }
    if (run === 0) runStart = s;
    run++;
    const sent = words.sentences[s];
    const first = sent.firstToken;
    if (masked(mask, first, first + 1)) continue;
    if (kind === 'negative') {
      matches.push(spanMatch(words, first, Math.min(first + 1, sent.endToken - 1), 'nonPrescriptive', 'negative-opener', 'negative-order', -lex.negativeOpeners.weight));
    }
    if (kind === 'bare' || kind === 'negative') {
      bare++;
      let k = first;
      while (k < sent.endToken - 1 && vocab.flags[words.tokens[k]] & WORD_DISCOURSE) k++;
      matches.push(spanMatch(words, k, k, 'politeness', 'command', 'bare-command', -1));
    }
  }
  closeRun(sentenceCount - 1);

  // Shouting: emphatic capitals of ordinary words (alone or in runs; initialisms are not shouting) and repeated exclamation marks.
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
      disrespectTokens += j - i;
    }
    i = j;
  }
  for (const b of words.bangs) matches.push({ seg: b.seg, start: b.start, end: b.end, axis: 'respect', kind: 'shouting', category: 'shouting', weight: -shout.weight });

  // A reply of a handful of words with no warmth in it reads as curt to someone asking for help. A question hands the turn back
  // (a clarifying question is not curt), a completion continues the prompt's text, a refusal is meant to be short; a short answer
  // to a short question that shows no distress fits the question.
  const last = words.sentences[sentenceCount - 1];
  let curtLimit = CURT_WORDS;
  if (prompt?.asksBrief) curtLimit = 0;
  else if (prompt?.distress) curtLimit = CURT_WORDS_DISTRESS;
  else if (prompt && prompt.lastTurnQuestion && prompt.lastTurnWords <= SHORT_QUESTION_WORDS) curtLimit = SHORT_ANSWER_WORDS;
  // A put-down is reported as one (tone-respect); calling it curt as well would say the same thing twice.
  const putDown = matches.some((m) => m.kind === 'respect' && PUT_DOWNS.has(m.category));
  if (surfaceCount < curtLimit && !putDown && !matches.some((m) => m.weight > 0) && !last.question && !refusal && !continuesPrompt(segments[0])) {
    const a = words.sentences[0];
    if (!masked(mask, 0, words.n)) matches.push({ seg: a.seg, start: a.start, end: a.seg === last.seg ? last.end : a.end, axis: 'politeness', kind: 'curt', category: 'curt-reply', weight: -CURT_PENALTY });
  }

  // Readability over the whole response, and the hardest sentence.
  let totalSyllables = 0;
  let hardest: ToneAnalysis['hardest'];
  let longestSentence = 0;
  for (const sent of words.sentences) {
    let syl = 0;
    for (let k = 0; k < sent.words; k++) syl += wordSyllables(vocab, words.surface[sent.firstWord + k]);
    totalSyllables += syl;
    longestSentence = Math.max(longestSentence, sent.words);
    const g = fleschKincaidGrade(sent.words, 1, syl);
    if (!hardest || g > hardest.grade) hardest = { seg: sent.seg, start: sent.start, end: sent.end, grade: g, words: sent.words };
  }
  const grade = fleschKincaidGrade(surfaceCount, Math.max(1, sentenceCount), totalSyllables);

  // Scores.
  let softeners = 0;
  let gratitude = 0;
  let blame = 0;
  let prescriptive = 0;
  let jargon = 0;
  let disrespect = 0;
  let cold = 0;
  let curt = 0;
  let exclaimed = 0;
  for (const sent of words.sentences) if (sent.exclaim) exclaimed++;
  for (const m of matches) {
    switch (m.kind) {
      case 'softener':
        softeners++;
        break;
      case 'gratitude':
        gratitude++;
        break;
      case 'blame':
        blame -= m.weight;
        break;
      case 'prescriptive':
      case 'stacked':
      case 'negative-opener':
        prescriptive -= m.weight;
        break;
      case 'jargon':
        jargon++;
        break;
      case 'curt':
        curt -= m.weight;
        break;
      case 'respect':
      case 'shouting':
        disrespect -= m.weight;
        cold += COLD_CATEGORIES[m.category] ?? 0;
        break;
      default:
        break;
    }
  }
  // Bare orders weigh less in a reply that also acknowledges the person (an instruction wrapped in empathy and a reason).
  const orderCost = ((warm ? 0.35 : 0.6) * bare) / Math.max(1, sentenceCount);
  // Exclamation after exclamation ("Sure! Happy to help! You'll be fine!") reads as breezy, not careful.
  const breezy = exclaimed >= 2 && exclaimed * 2 >= sentenceCount ? BREEZY_COST * Math.min(3, exclaimed - 1) : 0;
  // A short reply with no courtesy at all gives the person little: a little less polite the shorter it is (graded; curt replies pay CURT_PENALTY besides).
  const positive = matches.some((m) => m.weight > 0);
  const terse = positive || refusal || last.question ? 0 : TERSE_COST * Math.max(0, TERSE_WORDS - surfaceCount) / TERSE_WORDS;
  const scores: ToneScores = {
    empathy: clamp(0.2 + 0.8 * combineMechanisms(empathy) - cold),
    politeness: clamp(0.8 + Math.min(0.2, 0.1 * softeners + 0.1 * gratitude + (warm ? 0.05 : 0)) - orderCost - blame - curt - breezy - terse),
    simplicity: surfaceCount < 8 ? 1 : clamp(gradeToScore(grade) * (longestSentence > 40 ? 0.85 : 1)),
    nonPrescriptive: clamp(1 - prescriptive),
    plainLanguage: clamp(1 - (8 * jargon) / Math.max(surfaceCount, 20)),
    // Each put-down costs its weight, scaled up by the share of the reply it takes (up to twice).
    respect: clamp(1 - disrespect * (1 + Math.min(1, disrespectTokens / words.n))),
    tone: 0,
  };
  scores.tone = overallTone(scores);

  const first = words.sentences[0];
  return {
    scores,
    empathy: { reactions: empathy.reactions, interpretations: empathy.interpretations, explorations: empathy.explorations, names: familyIds(empathy.named), echoes: familyIds(empathy.echoed) },
    words: surfaceCount,
    sentences: sentenceCount,
    grade,
    matches,
    hardest,
    opening: first ? { seg: first.seg, start: first.start, end: first.end } : undefined,
    openers: shortcutCandidates(vocab, words),
    language: languageCounts(vocab, words),
  };
}

/** "dysphagia means ...", "called delirium", "NBM stands for ...", "X (a ...)": the term is explained where it stands. */
function explainedInPlace(text: string, start: number, end: number): boolean {
  const after = text.slice(end, end + 24).toLowerCase();
  if (/^\s*(?:means|is when|is what|is a |is an |is the |stands for|refers to|describes|\(|,? or |: |— |- )/.test(after)) return true;
  // "sudden confusion, called delirium": a description, then its name ("This is called sundowning" names it without describing it).
  const before = text.slice(Math.max(0, start - 32), start).toLowerCase();
  if (!before.includes('call') && !before.includes('known')) return false;
  const m = /([a-z]+),?\s+(?:called|known as|nurses call|doctors call)\s*['"\u2018\u201c]?$/.exec(before);
  return m !== null && !/^(?:is|are|was|were|this|that|it|be|been)$/.test(m[1]);
}

/** Tokens read for the language guess: the beginning says it, and the work stays bounded. */
const LANGUAGE_SAMPLE_TOKENS = 120;

function languageCounts(vocab: Vocabulary, t: WordTable): LanguageCounts {
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

/** Responses shorter than this many words, with no empathy, softener or thanks, count as curt (politeness). */
export const CURT_WORDS = 6;
/** The same when the prompt shows distress: a few words do not meet someone who is struggling. */
const CURT_WORDS_DISTRESS = 9;
/** A short question (this many words or fewer, no distress) is fairly answered in a few words... */
const SHORT_QUESTION_WORDS = 15;
/** ...of at least this many. */
const SHORT_ANSWER_WORDS = 3;
/** Put-downs that the respect rule reports in a short reply instead of calling it curt as well (a shrug or a condescending "Obviously." is also curt). */
const PUT_DOWNS = new Set(['dismissive', 'sarcasm', 'insult', 'profanity', 'callous']);
/** Replies shorter than this, with no courtesy, lose up to TERSE_COST of politeness in proportion. */
const TERSE_WORDS = 25;
const TERSE_COST = 0.12;
/** What each exclamation beyond the first costs politeness in a reply that exclaims in most of its sentences. */
const BREEZY_COST = 0.05;
/** What a curt reply costs on politeness: enough to fall below the politeness rule's threshold on its own. */
const CURT_PENALTY = 0.4;
const OPENER_WORDS = 4;
const CLOSER_WORDS = 3;

function wordSyllables(vocab: Vocabulary, id: number): number {
  let n = vocab.syllables[id];
  if (n === 0) vocab.syllables[id] = n = Math.min(255, syllables(vocab.word(id)));
  return n;
}

function shortcutCandidates(vocab: Vocabulary, t: WordTable): string[] {
  const out: string[] = [];
  const n = t.sentences.length;
  for (let s = 0; s < n; s++) {
    if (s >= 4 && s < n - 2) continue;
    const sent = t.sentences[s];
    const end = Math.min(sent.endToken, sent.firstToken + OPENER_WORDS);
    if (end - sent.firstToken < 2) continue;
    out.push(tokenStrings(vocab, t, sent.firstToken, end).join(' '));
  }
  if (t.n >= 2) out.push(`$${tokenStrings(vocab, t, Math.max(0, t.n - CLOSER_WORDS), t.n).join(' ')}`);
  return out;
}

/**
 * The overall tone: mostly the weighted mean of the axes, plus a weakest-link term so that one
 * severe problem (an insult, a wall of orders) pulls the whole response down. Empathy stays out
 * of the weakest link (plain informative answers carry no empathy markers and are not bad), and
 * readability enters it at half strength: a long sentence is not as bad as a put-down or a wall
 * of jargon, and a short sarcastic reply must not win on being easy to read.
 */
export function overallTone(s: Record<ToneAxis, number>): number {
  let mean = 0;
  for (const axis of TONE_AXES) mean += AXIS_WEIGHTS[axis] * s[axis];
  const weakest = Math.min(s.politeness, s.nonPrescriptive, s.respect, s.plainLanguage, 0.5 + 0.5 * s.simplicity);
  return clamp(0.7 * mean + 0.3 * weakest);
}

/** The axis with the lowest score (ties go to the axis listed first). */
export function weakestAxis(scores: ToneScores): ToneAxis {
  let best: ToneAxis = TONE_AXES[0];
  for (const axis of TONE_AXES) if (scores[axis] < scores[best]) best = axis;
  return best;
}
