import { ANCHOR_END, ANCHOR_START, lexicon, Lexicon, LexiconEntry, phraseIds, PhraseKind, TrieNode, WORD_ACRONYM, WORD_COMMAND, WORD_DISCOURSE, WORD_NEGATOR, WORD_CONDITION, WORD_PLEASE, WORD_SOFT, WORD_SUBJECT_FOLLOWER, WORD_ENGLISH, WORD_FOREIGN } from './lexicon';
import type { LanguageCounts } from './language';
import { fleschKincaidGrade, gradeToScore, syllables } from './readability';
import { Vocabulary } from './vocab';
import { FLAG_ALL_CAPS, FLAG_CONTRACTION_TAIL, scanWords, tokenStrings, WordTable } from './words';

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

/** How much each axis counts in the overall tone (sums to 1). */
export const AXIS_WEIGHTS: Record<ToneAxis, number> = {
  empathy: 0.2,
  politeness: 0.15,
  simplicity: 0.15,
  nonPrescriptive: 0.15,
  plainLanguage: 0.15,
  respect: 0.2,
};

/** A place in a response: `seg` is the turn index, offsets are into that turn's text. */
export interface ToneSpan {
  seg: number;
  start: number;
  end: number;
}

export type MatchKind = PhraseKind | 'command' | 'stacked' | 'shouting' | 'negative-opener' | 'curt';

/** One piece of evidence found in a response. */
export interface ToneMatch extends ToneSpan {
  axis: ToneAxis;
  kind: MatchKind;
  category: string;
  /** Signed effect on the axis before scaling: positive raises it, negative lowers it. */
  weight: number;
  /** Plain alternative (jargon). */
  plain?: string;
}

export interface ToneAnalysis {
  scores: ToneScores;
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

/** Kinds whose matches lower a score: a preceding "not"/"never" cancels them ("you are not overreacting"). */
const NEGATIVE_KINDS = new Set<PhraseKind>(['blame', 'prescriptive', 'respect']);

const KIND_BITS: Record<PhraseKind, number> = { empathy: 0, softener: 1, gratitude: 2, blame: 3, prescriptive: 4, respect: 5, jargon: 6, cue: 7 };
const KIND_COUNT = 8;

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

function masked(mask: Uint8Array | undefined, from: number, to: number): boolean {
  if (!mask) return false;
  for (let k = from; k < to; k++) if (mask[k]) return true;
  return false;
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

/** Whether tokens [from, to) open their sentence (discourse words aside) or close it, as the anchor asks. */
function anchored(vocab: Vocabulary, t: WordTable, anchor: number, from: number, to: number): boolean {
  const s = t.sentences[t.sentence[from]];
  if (anchor & ANCHOR_END && to !== s.endToken) return false;
  if (anchor & ANCHOR_START) for (let k = s.firstToken; k < from; k++) if (!(vocab.flags[t.tokens[k]] & WORD_DISCOURSE)) return false;
  return true;
}

/**
 * Finds lexicon phrases in a word table by walking the trie from each token: the longest phrase
 * of each kind wins at a position, and a kind's matches never overlap.
 */
function findPhrases(vocab: Vocabulary, t: WordTable, root: TrieNode, mask: Uint8Array | undefined, onMatch: (entry: LexiconEntry, from: number, to: number) => void): void {
  const coveredUntil = new Int32Array(KIND_COUNT);
  const bestEnd = new Int32Array(KIND_COUNT);
  const bestEntry: (LexiconEntry | undefined)[] = new Array(KIND_COUNT);
  const tokens = t.tokens;
  const n = t.n;
  for (let i = 0; i < n; i++) {
    let node = root.next.get(tokens[i]);
    if (!node) continue;
    let found = 0;
    const sentence = t.sentence[i];
    for (let j = i + 1; ; j++) {
      if (node.entries) {
        for (const e of node.entries) {
          if (e.anchor && !anchored(vocab, t, e.anchor, i, j)) continue;
          const k = KIND_BITS[e.kind];
          bestEnd[k] = j;
          bestEntry[k] = e;
          found |= 1 << k;
        }
      }
      if (j >= n || t.sentence[j] !== sentence) break;
      const child: TrieNode | undefined = node.next.get(tokens[j]);
      if (!child) break;
      node = child;
    }
    if (!found) continue;
    for (let k = 0; k < KIND_COUNT; k++) {
      if (!(found & (1 << k))) continue;
      const entry = bestEntry[k]!;
      const end = bestEnd[k];
      if (coveredUntil[k] > i) continue;
      if (masked(mask, i, end)) continue;
      if (NEGATIVE_KINDS.has(entry.kind) && i > 0 && vocab.flags[tokens[i - 1]] & WORD_NEGATOR && t.sentence[i - 1] === sentence) continue;
      coveredUntil[k] = end;
      onMatch(entry, i, end);
    }
  }
}


/** True when the prompt shows distress, so the response is expected to acknowledge feelings. */
export function hasDistressCue(segments: readonly string[]): boolean {
  const lex = lexicon();
  lex.vocab.trim();
  const t = (lex.scratch = scanWords(lex.vocab, segments, lex.scratch));
  let found = false;
  findPhrases(lex.vocab, t, lex.cues, undefined, () => {
    found = true;
  });
  return found;
}

/** What kind of order a sentence opens with, if any. */
function imperativeKind(t: WordTable, lex: Lexicon, sentence: number): 'bare' | 'soft' | 'negative' | undefined {
  const s = t.sentences[sentence];
  if (s.question) return undefined;
  const flags = lex.vocab.flags;
  let i = s.firstToken;
  while (i < s.endToken && flags[t.tokens[i]] & WORD_DISCOURSE) i++;
  if (i >= s.endToken) return undefined;
  for (const neg of lex.negativeOpeners.tokens) {
    let ok = i + neg.length <= s.endToken;
    for (let k = 0; k < neg.length && ok; k++) ok = t.tokens[i + k] === neg[k];
    if (ok) return 'negative';
  }
  const first = flags[t.tokens[i]];
  if (!(first & WORD_COMMAND)) return undefined;
  if (i + 1 >= s.endToken || flags[t.tokens[i + 1]] & WORD_SUBJECT_FOLLOWER) return undefined;
  if (first & WORD_SOFT) return 'soft';
  // "please", or a condition ("Tell the nurse if it gets worse"), makes an order a piece of advice.
  for (let k = s.firstToken; k < s.endToken; k++) if (flags[t.tokens[k]] & (WORD_PLEASE | WORD_CONDITION)) return 'soft';
  return 'bare';
}

/**
 * Scores one response (its turns as separate strings) on every tone axis and collects the
 * evidence with exact offsets. Runs in one pass over the words plus one lookup per word.
 */
export function analyzeTone(segments: readonly string[], allow?: readonly string[]): ToneAnalysis {
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
    return { scores: zero, words: 0, sentences: 0, grade: 0, matches, openers: [], language: { words: 0, english: 0, foreign: 0 } };
  }

  // Tokens inside put-downs: a reply that is nothing but a put-down ("Old people sleep.") is worse than one aside in a long answer.
  let disrespectTokens = 0;
  findPhrases(vocab, words, lex.phrases, mask, (entry, from, to) => {
    const kind = entry.kind;
    if (kind === 'respect') disrespectTokens += to - from;
    const positive = kind === 'empathy' || kind === 'softener' || kind === 'gratitude';
    matches.push({
      seg: words.sentences[words.sentence[from]].seg,
      start: words.start[from],
      end: words.end[to - 1],
      axis: kindAxis(kind),
      kind,
      category: entry.category,
      weight: positive ? entry.weight : -entry.weight,
      plain: entry.plain,
    });
  });

  // A jargon term explained in the same response ("palliative care is comfort care") is plain enough.
  if (matches.some((m) => m.kind === 'jargon')) {
    const lowerText = segments.join('\n').toLowerCase();
    for (let k = matches.length - 1; k >= 0; k--) {
      const plain = matches[k].plain;
      if (matches[k].kind === 'jargon' && plain && lowerText.includes(plain.toLowerCase())) matches.splice(k, 1);
    }
  }

  // Orders: bare commands (politeness), negative openers, and runs of imperative sentences.
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
    const kind = imperativeKind(words, lex, s);
    if (!kind) {
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

  // Shouting: runs of capitalised words that are not acronyms, and repeated exclamation marks.
  const shout = lex.shouting;
  for (let i = 0; i < words.n; ) {
    if (!(words.flags[i] & FLAG_ALL_CAPS) || vocab.flags[words.tokens[i]] & WORD_ACRONYM) {
      i++;
      continue;
    }
    let j = i;
    let longest = 0;
    let written = 0;
    while (j < words.n && words.flags[j] & FLAG_ALL_CAPS && !(vocab.flags[words.tokens[j]] & WORD_ACRONYM)) {
      if (!(words.flags[j] & FLAG_CONTRACTION_TAIL)) {
        written++;
        longest = Math.max(longest, words.end[j] - words.start[j]);
      }
      j++;
    }
    if ((written >= shout.minRunWords || longest >= shout.minLetters) && !masked(mask, i, j)) {
      matches.push(spanMatch(words, i, j - 1, 'respect', 'shouting', 'shouting', -shout.weight));
      disrespectTokens += j - i;
    }
    i = j;
  }
  for (const b of words.bangs) matches.push({ seg: b.seg, start: b.start, end: b.end, axis: 'respect', kind: 'shouting', category: 'shouting', weight: -shout.weight });

  // A reply of a handful of words with no warmth in it reads as curt to someone asking for help.
  if (surfaceCount < CURT_WORDS && !matches.some((m) => m.weight > 0)) {
    const a = words.sentences[0];
    const b = words.sentences[sentenceCount - 1];
    if (!masked(mask, 0, words.n)) matches.push({ seg: a.seg, start: a.start, end: a.seg === b.seg ? b.end : a.end, axis: 'politeness', kind: 'curt', category: 'curt-reply', weight: -CURT_PENALTY });
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
  const empathyGain = new Map<string, number>();
  let softeners = 0;
  let gratitude = 0;
  let blame = 0;
  let prescriptive = 0;
  let jargon = 0;
  let disrespect = 0;
  let dismissive = 0;
  let curt = 0;
  for (const m of matches) {
    switch (m.kind) {
      case 'empathy':
        empathyGain.set(m.category, (empathyGain.get(m.category) ?? 0) + (empathyGain.has(m.category) ? m.weight / 3 : m.weight));
        break;
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
        if (m.category === 'dismissive') dismissive++;
        break;
      default:
        break;
    }
  }
  let gain = 0;
  for (const g of empathyGain.values()) gain += g;
  const scores: ToneScores = {
    empathy: clamp(0.2 + gain - 0.2 * dismissive),
    politeness: clamp(0.8 + Math.min(0.2, 0.1 * softeners + 0.1 * gratitude) - (0.6 * bare) / Math.max(1, sentenceCount) - blame - curt),
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
 * of the weakest link: plain informative answers carry no empathy markers and are not bad.
 */
export function overallTone(s: Record<ToneAxis, number>): number {
  let mean = 0;
  let weakest = 1;
  for (const axis of TONE_AXES) {
    mean += AXIS_WEIGHTS[axis] * s[axis];
    if (axis !== 'empathy' && s[axis] < weakest) weakest = s[axis];
  }
  return clamp(0.7 * mean + 0.3 * weakest);
}

/** The axis with the lowest score (ties go to the axis listed first). */
export function weakestAxis(scores: ToneScores): ToneAxis {
  let best: ToneAxis = TONE_AXES[0];
  for (const axis of TONE_AXES) if (scores[axis] < scores[best]) best = axis;
  return best;
}
