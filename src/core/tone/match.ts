import { ANCHOR_END, ANCHOR_START, KIND_BIT, KIND_COUNT, LexiconEntry, PhraseKind, WORD_DISCOURSE, WORD_NEGATOR } from './lexicon';
import { NO_NODE, NODE_CLASSES, NODE_ENTRIES, TrieNode, tries } from './trie';
import { Vocabulary } from './vocab';
import { FLAG_PAUSE_AFTER, FLAG_QUOTED, WordTable } from './words';

/** Kinds whose matches lower a score: a "not"/"never" shortly before cancels them ("you are not overreacting", "not that you should"). */
const NEGATIVE_KINDS = (1 << KIND_BIT.blame) | (1 << KIND_BIT.prescriptive) | (1 << KIND_BIT.respect);
/** Kinds that do not match quoted words: a quoted swear word or a suggested "I'm so sorry" is mentioned, not said to the reader. (A quoted order or a quoted card line is still the response's content.) */
const UNQUOTED_KINDS = (1 << KIND_BIT.respect) | (1 << KIND_BIT.empathy) | (1 << KIND_BIT.emotion);
/** How many words back a negator still cancels a negative phrase (within its clause). */
const NEGATOR_REACH = 3;

/** Whether tokens [from, to) open their sentence (discourse words aside) or close it, as the anchor asks. */
function anchored(vocab: Vocabulary, t: WordTable, anchor: number, from: number, to: number): boolean {
  const s = t.sentences[t.sentence[from]];
  if (anchor & ANCHOR_END && to !== s.endToken) return false;
  if (anchor & ANCHOR_START) {
    // An opening interjection of a word or two set off by a comma ("Oh no, I'm sorry", "Aw, ...") does not move the start.
    let k = s.firstToken;
    if (from >= k + 1 && t.flags[k] & FLAG_PAUSE_AFTER) k++;
    else if (from >= k + 2 && t.flags[k + 1] & FLAG_PAUSE_AFTER && !(t.flags[k] & FLAG_PAUSE_AFTER)) k += 2;
    for (; k < from; k++) if (!(vocab.flags[t.tokens[k]] & WORD_DISCOURSE)) return false;
  }
  return true;
}

/** A negator within NEGATOR_REACH words before `at`, in the same sentence and clause. */
export function negatedBefore(vocab: Vocabulary, t: WordTable, at: number): boolean {
  const sentence = t.sentence[at];
  for (let k = at - 1; k >= 0 && k >= at - NEGATOR_REACH && t.sentence[k] === sentence; k--) {
    if (t.flags[k] & FLAG_PAUSE_AFTER) return false;
    if (vocab.flags[t.tokens[k]] & WORD_NEGATOR) return true;
  }
  return false;
}

/** The entries of the shortest phrase of `root` that starts at token `at` (and ends by `end`), if any. */
export function phraseAt(t: WordTable, root: TrieNode, at: number, end: number): LexiconEntry[] | undefined {
  let node = root;
  for (let k = at; k < end; k++) {
    node = tries.child(node, t.tokens[k]);
    if (node === NO_NODE) return undefined;
    if (tries.has(node, NODE_ENTRIES)) return tries.entries[node];
  }
  return undefined;
}

/** Whether any of the words [from, to) is marked in `mask`. */
export function masked(mask: Uint8Array | undefined, from: number, to: number): boolean {
  if (!mask) return false;
  for (let k = from; k < to; k++) if (mask[k]) return true;
  return false;
}

// The walk's state, kept between calls (matching runs once per text and never nests): no closures or arrays per text.
const coveredUntil = new Int32Array(KIND_COUNT);
const bestEnd = new Int32Array(KIND_COUNT);
const bestEntry: (LexiconEntry | undefined)[] = new Array(KIND_COUNT);
let found = 0;
let start = 0;
let sentence = 0;
let vocabNow: Vocabulary;
let table: WordTable;

function record(entries: LexiconEntry[], j: number): void {
  // Indexed loops here and in walk: the lists are frozen (TrieStore.shareEntries), and a for-of over them allocated an iterator result per entry.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.anchor !== 0 && !anchored(vocabNow, table, e.anchor!, start, j)) continue;
    const k = e.bit!;
    if (found & (1 << k) && bestEnd[k] >= j) continue;
    bestEnd[k] = j;
    bestEntry[k] = e;
    found |= 1 << k;
  }
}

/**
 * Walks the trie from `from`, the tokens [start, at) read: records the entries ending at each node
 * (the longest per kind wins), follows word edges in a loop and class edges (`@feeling`, rare) by
 * recursion.
 */
function walk(from: TrieNode, at: number): void {
  const t = table;
  const store = tries;
  for (let j = at, node = from; node !== NO_NODE; j++) {
    if (store.has(node, NODE_ENTRIES)) record(store.entries[node]!, j);
    if (j >= t.n || t.sentence[j] !== sentence) return;
    if (store.has(node, NODE_CLASSES)) {
      const classes = store.classes[node]!;
      for (let c = 0; c < classes.length; c++) walkMembers(classes[c].members, j, classes[c].node);
    }
    node = store.child(node, t.tokens[j]);
  }
}

/** Reads one member of a word class from token `j`, then goes on in the pattern from `then` (a class may have members of several words). */
function walkMembers(member: TrieNode, j: number, then: TrieNode): void {
  const t = table;
  if (tries.has(member, NODE_ENTRIES)) walk(then, j);
  if (j >= t.n || t.sentence[j] !== sentence) return;
  const child = tries.child(member, t.tokens[j]);
  if (child !== NO_NODE) walkMembers(child, j + 1, then);
}

/**
 * Finds lexicon phrases in a word table by walking the trie from each token: the longest phrase
 * of each kind wins at a position, and a kind's matches never overlap. Blocks ("I'm sorry, but")
 * silence the kinds they name for matches starting inside them. Quoted words are mentioned, not
 * said (see UNQUOTED_KINDS), whether the quotation opens the phrase or closes it on two or more
 * words (one quoted word at the end is a scare quote); negative phrases after a negator do not count
 * either. `startBit`,
 * when given, is the vocabulary flag of the words that start a phrase of this trie (a cheaper
 * test than a map lookup for the many words that start none).
 */
export function findPhrases(vocab: Vocabulary, t: WordTable, root: TrieNode, mask: Uint8Array | undefined, onMatch: (entry: LexiconEntry, from: number, to: number) => void, startBit = 0): void {
  coveredUntil.fill(0);
  vocabNow = vocab;
  table = t;
  const tokens = t.tokens;
  const flags = vocab.flags;
  const n = t.n;
  const store = tries;
  const rootClasses = store.has(root, NODE_CLASSES);
  const row = store.row(root);
  for (let i = 0; i < n; i++) {
    const token = tokens[i];
    if (startBit && !rootClasses && !(flags[token] & startBit)) continue;
    const node = row ? (token < row.length ? row[token] : NO_NODE) : store.child(root, token);
    if (node === NO_NODE && !rootClasses) continue;
    found = 0;
    start = i;
    sentence = t.sentence[i];
    if (rootClasses) walk(root, i);
    else walk(node, i + 1);
    if (!found) continue;
    const quoted = t.flags[i] & FLAG_QUOTED;
    for (let k = 0; k < KIND_COUNT; k++) {
      if (!(found & (1 << k))) continue;
      const entry = bestEntry[k]!;
      const end = bestEnd[k];
      if (coveredUntil[k] > i) continue;
      if (entry.blocks) {
        for (let b = 0; b < KIND_COUNT; b++) if (entry.blocks & (1 << b) && coveredUntil[b] < end) coveredUntil[b] = end;
        coveredUntil[k] = end;
        continue;
      }
      if (masked(mask, i, end)) continue;
      // A phrase that ends on two or more quoted words quotes a saying: "not a sign that it's 'all in your head'" mentions it.
      // (One quoted word is a scare quote, which mocks: 'the "famous" question'.)
      if ((quoted || (end - i >= 2 && t.flags[end - 1] & t.flags[end - 2] & FLAG_QUOTED)) && (1 << k) & UNQUOTED_KINDS) continue;
      if ((1 << k) & NEGATIVE_KINDS && negatedBefore(vocab, t, i)) continue;
      if (entry.unlessExclaimed && t.sentences[sentence].exclaim) continue;
      coveredUntil[k] = end;
      onMatch(entry, i, end);
    }
  }
}

export type { PhraseKind };
