import { COMMON_ENGLISH_WORDS, COMMON_FOREIGN_WORDS } from './language';
import cuesData from './lexicons/cues.json';
import empathyData from './lexicons/empathy.json';
import jargonData from './lexicons/jargon.json';
import politenessData from './lexicons/politeness.json';
import prescriptiveData from './lexicons/prescriptive.json';
import respectData from './lexicons/respect.json';
import { Vocabulary } from './vocab';
import { newTable, scanWords, WordTable } from './words';

/** What a lexicon phrase is evidence of. Positive kinds raise a score, the others lower one. */
export type PhraseKind = 'empathy' | 'softener' | 'gratitude' | 'blame' | 'prescriptive' | 'respect' | 'jargon' | 'cue';

export interface LexiconEntry {
  kind: PhraseKind;
  /** Finer grouping shown in messages (e.g. `sarcasm`, `obligation`, `acknowledge`). */
  category: string;
  weight: number;
  /** Plain-language alternative (jargon only). */
  plain?: string;
  /** `ANCHOR_START`: the phrase must open its sentence (after discourse words); `ANCHOR_END`: it must close it. */
  anchor?: number;
}

/** Pattern anchors: a leading `^` or a trailing `$` word in a pattern. */
export const ANCHOR_START = 1;
export const ANCHOR_END = 2;

/** A word trie: each node maps the next token to a child; `entries` end at this node. */
export interface TrieNode {
  next: Map<number, TrieNode>;
  entries?: LexiconEntry[];
}

export interface ShoutingSettings {
  weight: number;
  minLetters: number;
  minRunWords: number;
}

/** Bits in `Vocabulary.flags` that the lexicon sets on word ids. */
export const WORD_COMMAND = 1;
export const WORD_SOFT = 2;
export const WORD_DISCOURSE = 4;
export const WORD_ACRONYM = 8;
export const WORD_SUBJECT_FOLLOWER = 16;
export const WORD_NEGATOR = 32;
export const WORD_PLEASE = 64;
export const WORD_CONDITION = 128;
/** One of the commonest English words (see language.ts). */
export const WORD_ENGLISH = 256;
/** One of the commonest words of a language often mixed into datasets (Spanish, French, German…). */
export const WORD_FOREIGN = 512;

/** Words after a sentence's first word that show it is a noun subject, not an order ("Rest is ..."). */
const SUBJECT_FOLLOWERS = ['is', 'are', 'was', 'were', 'can', 'could', 'will', 'would', 'may', 'might', 'should', 'has', 'have', 'had', 'helps', 'matters', 'does', 'seems', 'sounds', 'makes', 'means', 'of', 'and', 'or'];
const NEGATORS = ['not', 'never', 'no'];

/** All lexicons compiled into tries over interned word ids. */
export interface Lexicon {
  vocab: Vocabulary;
  /** Buffers the analyser recycles between responses (analyses are synchronous, never nested). */
  scratch: WordTable;
  /** Every response phrase, as a trie of tokens. */
  phrases: TrieNode;
  /** Prompt phrases that show distress (for the empathy rule). */
  cues: TrieNode;
  shouting: ShoutingSettings;
  stacked: { minRun: number; weight: number };
  negativeOpeners: { tokens: number[][]; weight: number };
}

/**
 * Expands a pattern into the phrases it stands for. Syntax: words separated by spaces;
 * `{a|b c}` offers alternatives (each may be several words); a `?` after a word or a group makes
 * it optional. `it is {so|very}? {hard|sad}` → "it is so hard", "it is hard", ...
 */
export function expandPattern(pattern: string): string[] {
  const parts: string[][] = [];
  const re = /\{([^}]*)\}(\?)?|([^\s{}]+)/g;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m[1] !== undefined) {
      const alternatives = m[1].split('|').map((a) => a.trim());
      parts.push(m[2] ? [...alternatives, ''] : alternatives);
    } else {
      const word = m[3];
      parts.push(word.endsWith('?') && word.length > 1 ? [word.slice(0, -1), ''] : [word]);
    }
  }
  let out = [''];
  for (const alternatives of parts) {
    const next: string[] = [];
    for (const prefix of out) for (const a of alternatives) next.push(a ? (prefix ? `${prefix} ${a}` : a) : prefix);
    out = next;
  }
  return [...new Set(out.filter((p) => p.length > 0))];
}

export function newTrie(): TrieNode {
  return { next: new Map() };
}

/** Token ids of a phrase, normalised like response text. */
export function phraseIds(vocab: Vocabulary, phrase: string): number[] {
  const t = scanWords(vocab, [phrase]);
  return Array.from(t.tokens.subarray(0, t.n));
}

function addPhrase(vocab: Vocabulary, root: TrieNode, phrase: string, entry: LexiconEntry): void {
  const tokens = phraseIds(vocab, phrase);
  if (!tokens.length) return;
  let node = root;
  for (const t of tokens) {
    let child = node.next.get(t);
    if (!child) node.next.set(t, (child = newTrie()));
    node = child;
  }
  // One phrase, one meaning per kind and anchoring: the first definition wins (files list the stronger groups first).
  if (node.entries?.some((e) => e.kind === entry.kind && e.anchor === entry.anchor)) return;
  (node.entries ??= []).push(entry);
}

interface GroupData {
  category: string;
  weight: number;
  phrases: string[];
}

/** Splits a pattern's anchors off: `^ whatever` → `{ body: 'whatever', anchor: ANCHOR_START }`. */
export function patternAnchor(pattern: string): { body: string; anchor: number } {
  let body = pattern.trim();
  let anchor = 0;
  if (body.startsWith('^ ')) {
    anchor |= ANCHOR_START;
    body = body.slice(2);
  }
  if (body.endsWith(' $')) {
    anchor |= ANCHOR_END;
    body = body.slice(0, -2);
  }
  return { body, anchor };
}

function addGroups(vocab: Vocabulary, index: TrieNode, groups: GroupData[], kind: (g: GroupData) => PhraseKind): void {
  for (const g of groups) {
    // One entry object per anchoring, shared by the group's phrases.
    const entries: LexiconEntry[] = [];
    for (const pattern of g.phrases) {
      const { body, anchor } = patternAnchor(pattern);
      const entry = (entries[anchor] ??= anchor ? { kind: kind(g), category: g.category, weight: g.weight, anchor } : { kind: kind(g), category: g.category, weight: g.weight });
      for (const phrase of expandPattern(body)) addPhrase(vocab, index, phrase, entry);
    }
  }
}

function build(): Lexicon {
  const vocab = new Vocabulary();
  const phrases = newTrie();
  addGroups(vocab, phrases, empathyData.groups, () => 'empathy');
  addGroups(vocab, phrases, politenessData.groups, (g) => (g.category === 'blame' ? 'blame' : g.category === 'gratitude' ? 'gratitude' : 'softener'));
  addGroups(vocab, phrases, prescriptiveData.groups, () => 'prescriptive');
  addGroups(vocab, phrases, respectData.groups, () => 'respect');
  for (const j of jargonData.terms) addPhrase(vocab, phrases, j.term, { kind: 'jargon', category: 'jargon', weight: 1, plain: j.plain });

  const cues = newTrie();
  const cueEntry: LexiconEntry = { kind: 'cue', category: 'distress', weight: 1 };
  for (const pattern of cuesData.phrases) for (const phrase of expandPattern(pattern)) addPhrase(vocab, cues, phrase, cueEntry);

  const mark = (words: readonly string[], bit: number) => {
    for (const w of words) vocab.flags[vocab.id(w.toLowerCase())] |= bit;
  };
  mark(politenessData.commandVerbs, WORD_COMMAND);
  mark(politenessData.softVerbs, WORD_SOFT);
  mark(politenessData.discourseWords, WORD_DISCOURSE);
  mark(respectData.acronyms, WORD_ACRONYM);
  mark(SUBJECT_FOLLOWERS, WORD_SUBJECT_FOLLOWER);
  mark(NEGATORS, WORD_NEGATOR);
  mark(['please'], WORD_PLEASE);
  mark(['if', 'when', 'because', 'unless', 'whenever'], WORD_CONDITION);
  mark(COMMON_ENGLISH_WORDS, WORD_ENGLISH);
  mark(COMMON_FOREIGN_WORDS, WORD_FOREIGN);
  const negativeOpeners = { tokens: prescriptiveData.negativeOpeners.words.map((w) => phraseIds(vocab, w)), weight: prescriptiveData.negativeOpeners.weight };
  vocab.pin();

  return { vocab, scratch: newTable(4096), phrases, cues, shouting: respectData.shouting, stacked: prescriptiveData.stackedImperatives, negativeOpeners };
}

let compiled: Lexicon | undefined;

/** The compiled lexicon (built once, on first use; it is immutable afterwards). */
export function lexicon(): Lexicon {
  return (compiled ??= build());
}

/** Every jargon term with its plain alternative (for docs and tests). */
export function jargonTerms(): readonly { term: string; plain: string }[] {
  return jargonData.terms;
}
