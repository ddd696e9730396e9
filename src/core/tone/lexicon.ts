import { COMMON_ENGLISH_WORDS, COMMON_FOREIGN_WORDS } from './language';
import emotionsData from './lexicons/emotions.json';
import empathyData from './lexicons/empathy.json';
import jargonData from './lexicons/jargon.json';
import politenessData from './lexicons/politeness.json';
import prescriptiveData from './lexicons/prescriptive.json';
import respectData from './lexicons/respect.json';
import spellingData from './lexicons/spelling.json';
import { IdSet, Vocabulary, WORD_SPELLED } from './vocab';
import { newTable, scanWords, WordTable } from './words';
import { tries, TrieNode } from './trie';

/**
 * What a lexicon phrase is evidence of. Positive kinds raise a score, the others lower one;
 * `emotion` names a feeling (see emotions.json), `cue` is a prompt phrase that may show distress,
 * and `block` is a phrase that looks like another kind but is not ("I'm sorry, but I can't").
 */
export type PhraseKind = 'block' | 'emotion' | 'empathy' | 'softener' | 'gratitude' | 'blame' | 'prescriptive' | 'respect' | 'jargon' | 'cue';

/** The three empathy mechanisms of the EPITOME framework. */
export type Mechanism = 'reactions' | 'interpretations' | 'explorations';
export const MECHANISMS: readonly Mechanism[] = ['reactions', 'interpretations', 'explorations'];

/** How a prompt must frame a cue for it to count as the person's distress (see emotions.json). */
export type CueFrame = 'state' | 'self' | 'event' | 'evaluative' | 'first' | 'brief' | 'wish';

export interface LexiconEntry {
  kind: PhraseKind;
  /** KIND_BIT[kind], set when the entry is put in a trie. */
  bit?: number;
  /** Finer grouping shown in messages (e.g. `sarcasm`, `obligation`, `acknowledge`). */
  category: string;
  weight: number;
  /** Plain-language alternative (jargon only). */
  plain?: string;
  /** `ANCHOR_START`: the phrase must open its sentence (after discourse words); `ANCHOR_END`: it must close it. */
  anchor?: number;
  /** Empathy phrases: the mechanism they show. */
  mechanism?: Mechanism;
  /** Emotion words and cues: the family (index into `Lexicon.families`, from 1) and the intensity (1–3). */
  family?: number;
  intensity?: number;
  /** Cues: the frame the prompt must give them; `verb`: the word may follow its subject directly ("I panic"). */
  frame?: CueFrame;
  verb?: boolean;
  /** Blocks: a bit mask of the kinds (KIND_BIT) whose matches starting inside the block are dropped. */
  blocks?: number;
  /** Not counted in a sentence that ends with '!' (mock-enthusiastic openers, sincere when exclaimed). */
  unlessExclaimed?: boolean;
  /** Not counted in a reply that has warmth of its own (empathy, a softener or thanks): "Oh wonderful, ...", "Like I said, ...". */
  unlessWarm?: boolean;
  /** Counted only beside a second sign of the same kind (another put-down, or another such cue): an ironic cue ("always works out brilliantly", "Yes, because ...") that can be sincere alone. */
  paired?: boolean;
  /** Prescriptive phrases: the weight kept, as a directive, in steps the person asked for ("First, you need to ..."; see prescriptive.json `steps`). */
  stepWeight?: number;
  /** Prescriptive phrases: right after a modal or "to" (WORD_CHAIN) the phrase continues one already counted ("you should make sure") or states a purpose ("to make sure"). */
  chains?: boolean;
}

/** Bit of each kind in match bookkeeping and in `LexiconEntry.blocks`. Blocks come first: they are settled before the kinds they silence. */
export const KIND_BIT: Record<PhraseKind, number> = { block: 0, emotion: 1, empathy: 2, softener: 3, gratitude: 4, blame: 5, prescriptive: 6, respect: 7, jargon: 8, cue: 9 };
export const KIND_COUNT = 10;

/** An emotion family of emotions.json. */
export interface EmotionFamily {
  id: string;
  label: string;
  /** A negative feeling: in a prompt, distress. */
  distress: boolean;
  /** Counts in a prompt when someone else feels it ("she is terrified"). */
  thirdPerson: boolean;
  /** Its mild words (intensity 1: "I got confused") are the state of someone asking a question: alone they are not distress. */
  mildIsAsking?: boolean;
}

/** Pattern anchors: a leading `^` or a trailing `$` word in a pattern. */
export const ANCHOR_START = 1;
export const ANCHOR_END = 2;

export type { TrieNode };

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
/** Second person: you, your, yours, yourself. */
export const WORD_YOU = 1024;
/** Intensifiers (so, really, truly ...). */
export const WORD_INTENSIFIER = 2048;
/** Words that may stand between a subject and a feeling in a prompt frame ("I am really quite ..."). */
export const WORD_FRAME_LINK = 4096;
/** Subjects of a first-person frame (I, we). */
export const WORD_SELF = 8192;
/** Subjects of a third-person frame (she, he, they). */
export const WORD_OTHER = 16384;
/** Verbs through which something causes a feeling in the object ("makes me", "left me"). */
export const WORD_CAUSER = 32768;
/** Modals and conditions that make a feeling hypothetical ("should I be annoyed?", "if I were sad"). */
export const WORD_HYPOTHETICAL = 65536;
/** Possessives that tie an event to the person (my, our). */
export const WORD_POSSESSIVE = 131072;
/** Relatives named without a possessive ("Mum", "Dad"). */
export const WORD_RELATION = 262144;
/** Relative pronouns that move an event to someone else ("my friend whose baby died"). */
export const WORD_RELATIVE = 524288;
/** Verbs of knowing and judging: after an obligation modal they make it epistemic ("you have to admire", "you must know that"). */
export const WORD_COGNITION = 1 << 20;
/** Auxiliaries that open yes/no questions ("do you mean ..."). */
export const WORD_QUESTION_AUX = 1 << 21;
/** Subject pronouns after a question auxiliary ("do you mean ..." is a question without its "?"). */
export const WORD_SUBJECT_PRONOUN = 1 << 22;
/** Verbs that cause a feeling in others ("create mass panic"): a feeling after them is not the person's. */
export const WORD_CAUSATIVE = 1 << 24;
/** Words that join a second verb to the first ("I went out and cried"). */
export const WORD_COORDINATOR = 1 << 25;
/** Feeling words that name a feeling in a response only after a linking word (emotions.json `ambiguous`). */
export const WORD_AMBIGUOUS_FEELING = 1 << 26;
/** Feeling words that describe a situation ("exhausting", "frightening"): they name a feeling for an acknowledgement, but are not one. */
export const WORD_SITUATIONAL = 1 << 29;
/** Words that start a phrase of the response trie, and of the prompt cue trie (set once the tries are built). */
export const WORD_PHRASE_START = 1 << 27;
export const WORD_CUE_START = 1 << 28;
/** Modals and "to": a prescriptive phrase that `chains`, right after one, is the verb of a phrase already counted ("you should make sure") or of a purpose clause ("to make sure"). */
export const WORD_CHAIN = 1 << 30;
/** Verbs that ask for work on a text ("summarise", "proofread"): a quotation they introduce is material, not the person's words. */
export const WORD_TASK = 1 << 23;

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
  /** Prompt phrases that may show distress, each with the frame it needs (see prompt.ts). */
  cues: TrieNode;
  /** Emotion families (index 0 unused: family 0 means none). */
  families: EmotionFamily[];
  shouting: ShoutingSettings;
  stacked: { minRun: number; weight: number };
  negativeOpeners: { tokens: number[][]; weight: number; reassurances: TrieNode };
  /** Requests for steps in a prompt, and the sentence openers that lay a response out as steps (see prescriptive.json `steps`). */
  steps: StepLexicon;
  /** Word classes for sarcasm read from structure (respect.json `irony`, irony.ts). */
  irony: IronyLexicon;
  /** Single words for how hard a situation is (empathy.json `hardship`, the situational feeling words and their derived forms). */
  hardship: IdSet;
  /** The hardship phrases of more than one word ("big change", "lot to take in", "running on fumes"), by their last word's id: the ids of each, in order. */
  hardshipPhrases: Map<number, number[][]>;
  /** The last words of those phrases that hold no single word for hardship ("fumes", "change"; not "in" of "lot to take in", whose "lot" is one): what tells a sentence may hold one. */
  hardshipEnds: IdSet;
  /** Validation from a sentence's shape (empathy.json `validation`): words that call something acceptable, and words for a feeling or a way of reacting. */
  validation: { words: IdSet; referents: IdSet };
  /** Words of a person's inner life for the reading of a sentence about the person (empathy.json `personal`; see empathy.ts `aboutPerson`). */
  personal: { words: IdSet; ofPersons: IdSet; lengths: IdSet; stretches: IdSet; supports: IdSet; loads: IdSet; persons: IdSet; notAfter: IdSet; informs: IdSet };
  /** Words by which people judge themselves, for the reading of a judgement denied (empathy.json `judgements`; see empathy.ts `deniesJudgement`). */
  judgements: { words: IdSet; qualities: IdSet; persons: IdSet; own: IdSet };
  /** Nouns after which a jargon term names a team or a service (jargon.json `services`): "the palliative care team". */
  services: IdSet;
}

export interface IronyLexicon {
  praise: IdSet;
  agreement: IdSet;
  /** Dismissal: subjects that sweep the person into a group, words that call a matter normal, people whose word is deferred to, and "so"/"then" before a repeated clause. */
  groups: IdSet;
  normal: IdSet;
  others: IdSet;
  thenWords: IdSet;
  /** Words that make little of a number ("only", "just"), and number words. */
  minimisers: IdSet;
  numbers: IdSet;
  /** Interjections that open a mock exclamation ("Oh, ...", "Wow, ..."). */
  interjections: IdSet;
  /** Interjections of any kind ("oof", "wow", "damn"): one alone, read as a put-down, is a reaction when an acknowledgement follows it. */
  exclamations: IdSet;
  /** Laughter ("haha", "lol"), and words of death and loss beside which it is callous. */
  laughter: IdSet;
  loss: IdSet;
  /** Evaluative words and the person's doings they judge ("Real mature.", "Such dedication.", "Top effort."), words that say it came late, and words that call a task hard. */
  evaluations: IdSet;
  deeds: IdSet;
  /** Nouns that admire a person ("What a saint.", "What a hero."): an exclamation of them praises, it is no reaction to a hardship. */
  admired: IdSet;
  lateness: IdSet;
  difficulty: IdSet;
  /** What a mocking evaluation is followed by ("Such dedication. Three missed appointments."): the person's failures; and the words of delight that "I'm sure ..." mocks. */
  failures: IdSet;
  delight: IdSet;
  /** "thanks", "cheers", "ta"; "sorry"; "find"; "took"; "try"; "not"; "this", "that"; "so-called" (ids, -1 when absent). */
  thanks: IdSet;
  /** "try", "tried", "trying": before "not" and a gerund, the failure it mocks. */
  trying: IdSet;
  /** Per word id, the SIGNAL_* bits of irony.ts: which shapes a sentence holding the word may show (read once per word, so that the shapes are read only where they may be). */
  signals: Uint8Array;
  marks: { sorry: number; find: number; took: number; tryWord: number; not: number; you: number; so: number; called: number; am: number; sure: number; one: number; right: number; soCalled: number; deictic: IdSet; possessives: IdSet };
  /** Bad outcomes, the verbs in all their forms. */
  outcomes: IdSet;
  /** A speaker's curt answer to their own question ("No.", "Of course not.", "Who knew."). */
  answers: TrieNode;
  /** Words that open a wh-question. */
  questionWords: IdSet;
  /** First-person words mapped to the second person ("my" → "your"), by id (0: not first person): the person's words as a reply hands them back. */
  person: Int32Array;
}

/** Forms of an English verb stem: -s/-es, -ed, -ing (with a final e dropped or a final consonant doubled), -ure. Forms that are not words cost an id and nothing else. */
export function verbForms(stem: string): string[] {
  const out = [stem, `${stem}s`, `${stem}es`];
  const base = stem.endsWith('e') ? stem.slice(0, -1) : stem;
  out.push(`${base}ed`, `${base}ing`, `${base}ure`);
  const last = stem[stem.length - 1];
  if (stem.length <= 5 && /[aeiou][bdfglmnprt]$/.test(stem) && !/[aeiou]{2}.$/.test(stem)) out.push(`${stem}${last}ed`, `${stem}${last}ing`);
  return out;
}

function compileIrony(vocab: Vocabulary): IronyLexicon {
  const data = respectData.irony;
  const ids = (words: readonly string[]) => new IdSet(words.map((w) => vocab.id(w)));
  const answers = newTrie();
  const answer: LexiconEntry = { kind: 'block', category: 'answer', weight: 0 };
  for (const phrase of data.answers) addPhrase(vocab, answers, phrase, answer);
  const pairs = [['i', 'you'], ['me', 'you'], ['my', 'your'], ['mine', 'yours'], ['myself', 'yourself'], ['am', 'are'], ['we', 'you'], ['us', 'you'], ['our', 'your'], ['ourselves', 'yourselves']].map(([first, second]) => [vocab.id(first), vocab.id(second)]);
  const person = new Int32Array(Math.max(...pairs.map(([first]) => first)) + 1);
  for (const [first, second] of pairs) person[first] = second;
  const irony: IronyLexicon = { groups: ids(data.groups), normal: ids(data.normal), others: ids([...data.others, ...emotionsData.frames.relations]), thenWords: ids(['so', 'then']), minimisers: ids(['only', 'just', 'barely', 'merely']), numbers: ids(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'once', 'twice', 'half']), praise: ids(data.praise), questionWords: ids(['what', 'why', 'how', 'who', 'which', 'where', 'when', 'whose']), interjections: ids(data.interjections), exclamations: ids([...data.interjections, ...data.exclamations]), laughter: ids(data.laughter), loss: ids(data.loss), evaluations: ids(data.evaluations), deeds: ids(data.deeds), admired: ids(data.admired), lateness: ids(data.lateness), difficulty: ids(data.difficulty), failures: ids([...data.failures.flatMap(verbForms), 'forgot', 'forgotten', 'lost']), delight: ids(data.delight), trying: ids(['try', 'tried', 'trying']), thanks: ids(['thanks', 'thank', 'cheers', 'ta', 'thx', 'ty']), marks: { sorry: vocab.id('sorry'), find: vocab.id('find'), took: vocab.id('took'), tryWord: vocab.id('try'), not: vocab.id('not'), you: vocab.id('you'), so: vocab.id('so'), called: vocab.id('called'), am: vocab.id('am'), sure: vocab.id('sure'), one: vocab.id('one'), right: vocab.id('right'), soCalled: vocab.id('so-called'), deictic: ids(['this', 'that']), possessives: ids(['your', 'his', 'her', 'their', 'ur']) }, agreement: ids(data.agreement), outcomes: ids([...data.outcomes, ...data.outcomeVerbs.flatMap(verbForms)]), answers, person, signals: new Uint8Array(0) };
  // Which words may open which shapes (bits as irony.ts reads them: SIGNAL_*).
  const bits: [Iterable<number>, number][] = [
    [[irony.marks.sorry], 1],
    [[irony.marks.sure], 2],
    [[...irony.lateness, irony.marks.took], 4],
    [[...irony.praise, ...irony.evaluations], 8],
    [irony.laughter, 16],
    [irony.trying, 32],
    [ids(['know', 'dunno', 'suppose', 'guess']), 64],
  ];
  let size = 0;
  for (const [words] of bits) for (const id of words) size = Math.max(size, id + 1);
  irony.signals = new Uint8Array(size);
  for (const [words, bit] of bits) for (const id of words) irony.signals[id] |= bit;
  return irony;
}

export interface StepLexicon {
  requests: TrieNode;
  /** Sentence openers; each entry's category says which: `first` and `later` sequence markers, or a `list` introduction ("Here are a few tips"). */
  openers: TrieNode;
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

/** Word classes compiled to tries of their members (phrases of one or more words), by name. */
export type WordClasses = ReadonlyMap<string, TrieNode>;

/** Compiles word classes (`{hardship: ['hard', 'a lot to take in', ...]}`) into member tries. */
export function compileClasses(vocab: Vocabulary, classes: Readonly<Record<string, readonly string[]>>): Map<string, TrieNode> {
  const out = new Map<string, TrieNode>();
  const member: LexiconEntry = { kind: 'block', category: 'member', weight: 0 };
  for (const [name, words] of Object.entries(classes)) {
    const trie = newTrie();
    for (const w of words) for (const phrase of expandPattern(w)) addPhrase(vocab, trie, phrase, member);
    out.set(name, trie);
  }
  return out;
}

/** A new trie root in the lexicon's store (`tries`). */
export function newTrie(): TrieNode {
  return tries.newNode();
}

/** Shaped entries by their source entry: a group's phrases share one entry object, so they share its shaped copy too (one copy per node held ~20 MB). */
const shapedOf = new WeakMap<LexiconEntry, LexiconEntry>();

/** An entry with every field present in one order (one object shape for the matcher), and its kind's bit. */
function shaped(e: LexiconEntry): LexiconEntry {
  let out = shapedOf.get(e);
  if (!out) shapedOf.set(e, (out = shapedCopy(e)));
  return out;
}

function shapedCopy(e: LexiconEntry): LexiconEntry {
  return {
    kind: e.kind,
    bit: KIND_BIT[e.kind],
    category: e.category,
    weight: e.weight,
    plain: e.plain,
    anchor: e.anchor ?? 0,
    mechanism: e.mechanism,
    family: e.family,
    intensity: e.intensity,
    frame: e.frame,
    verb: e.verb ?? false,
    blocks: e.blocks ?? 0,
    unlessExclaimed: e.unlessExclaimed ?? false,
    unlessWarm: e.unlessWarm ?? false,
    paired: e.paired ?? false,
    stepWeight: e.stepWeight ?? 0,
    chains: e.chains ?? false,
  };
}

/** Plain lower-case words, which the scanner reads as one token each (the lexicons are thousands of phrases of them). */
const PLAIN_WORD = /^[a-z0-9][a-z0-9-]*$/;

/** Token ids of a phrase, normalised like response text. */
export function phraseIds(vocab: Vocabulary, phrase: string): number[] {
  const words = phrase.trim().split(/\s+/);
  if (words.every((w) => PLAIN_WORD.test(w) && w !== 'cannot' && !w.endsWith('-'))) return words.filter((w) => w).map((w) => vocab.id(w));
  const t = scanWords(vocab, [phrase]);
  return Array.from(t.tokens.subarray(0, t.n));
}

/** A pattern parsed into parts, each a list of alternatives, each alternative a list of steps (a token id, or a class name). */
type PatternParts = (number | string)[][][];

/** Parses a pattern (see expandPattern) without expanding it: the trie is built by walking the alternatives. */
function parsePattern(vocab: Vocabulary, pattern: string, cache: Map<string, (number | string)[]>): PatternParts {
  const steps = (text: string): (number | string)[] => {
    let out = cache.get(text);
    if (!out) {
      out = [];
      for (const piece of text.split(/(@[a-z]+)/)) {
        if (piece.startsWith('@')) out.push(piece.slice(1));
        else if (piece.trim()) out.push(...phraseIds(vocab, piece));
      }
      cache.set(text, out);
    }
    return out;
  };
  const parts: PatternParts = [];
  const re = /\{([^}]*)\}(\?)?|([^\s{}]+)/g;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m[1] !== undefined) {
      const alternatives = m[1].split('|').map((a) => steps(a.trim()));
      if (m[2]) alternatives.push([]);
      parts.push(alternatives);
    } else {
      const word = m[3];
      parts.push(word.endsWith('?') && word.length > 1 ? [steps(word.slice(0, -1)), []] : [steps(word)]);
    }
  }
  return parts;
}

/** Adds every phrase of a parsed pattern to the trie (prefixes shared, so the work is the size of the trie, not of the expansion). */
function addParts(root: TrieNode, node: TrieNode, parts: PatternParts, at: number, entry: LexiconEntry, classes: WordClasses | undefined): void {
  if (at === parts.length) {
    if (node !== root) addEntry(node, entry);
    return;
  }
  for (const alternative of parts[at]) {
    let n = node;
    for (const step of alternative) n = typeof step === 'number' ? child(n, step) : classChild(n, step, classes);
    addParts(root, n, parts, at + 1, entry, classes);
  }
}

function child(node: TrieNode, token: number): TrieNode {
  return tries.childOrNew(node, token);
}

function classChild(node: TrieNode, name: string, classes: WordClasses | undefined): TrieNode {
  const members = classes?.get(name);
  if (!members) throw new Error(`unknown word class @${name}`);
  const edges = tries.classList(node);
  let edge = edges.find((c) => c.name === name);
  if (!edge) edges.push((edge = { name, members, node: newTrie() }));
  return edge.node;
}

function addEntry(node: TrieNode, entry: LexiconEntry): void {
  // One phrase, one meaning per kind and anchoring: the first definition wins (files list the stronger groups first).
  const entries = tries.entryList(node);
  if (entries.some((e) => e.kind === entry.kind && (e.anchor ?? 0) === (entry.anchor ?? 0))) return;
  // Blocks match first at a node: they must be settled before the matches they silence.
  if (entry.kind === 'block') entries.unshift(shaped(entry));
  else entries.push(shaped(entry));
}

/** Adds every phrase of a pattern (`{a|b}`, `word?`, `@class`; anchors already split off). */
export function addPattern(vocab: Vocabulary, root: TrieNode, pattern: string, entry: LexiconEntry, classes?: WordClasses, cache = new Map<string, (number | string)[]>()): void {
  addParts(root, root, parsePattern(vocab, pattern, cache), 0, entry, classes);
}

/** Adds one phrase (plain words; the emotion vocabulary and the jargon list). */
function addPhrase(vocab: Vocabulary, root: TrieNode, phrase: string, entry: LexiconEntry): void {
  let node = root;
  for (const t of phraseIds(vocab, phrase)) node = child(node, t);
  if (node !== root) addEntry(node, entry);
}

interface GroupData {
  category: string;
  weight: number;
  phrases: string[];
  mechanism?: string;
  unlessExclaimed?: boolean;
  unlessWarm?: boolean;
  paired?: boolean;
  stepWeight?: number;
  chains?: boolean;
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

function addGroups(vocab: Vocabulary, index: TrieNode, groups: GroupData[], kind: (g: GroupData) => PhraseKind, classes?: WordClasses, extra: Partial<LexiconEntry> = {}): void {
  const cache = new Map<string, (number | string)[]>();
  for (const g of groups) {
    // One entry object per anchoring, shared by the group's phrases.
    const entries: LexiconEntry[] = [];
    const base: LexiconEntry = { kind: kind(g), category: g.category, weight: g.weight, ...extra };
    if (g.mechanism) base.mechanism = g.mechanism as Mechanism;
    if (g.unlessExclaimed) base.unlessExclaimed = true;
    if (g.unlessWarm) base.unlessWarm = true;
    if (g.paired) base.paired = true;
    if (g.stepWeight) base.stepWeight = g.stepWeight;
    if (g.chains) base.chains = true;
    for (const pattern of g.phrases) {
      const { body, anchor } = patternAnchor(pattern);
      const entry = (entries[anchor] ??= anchor ? { ...base, anchor } : base);
      addPattern(vocab, index, body, entry, classes, cache);
    }
  }
}

/**
 * Other forms of a feeling word, by English word formation: a state's noun ("sad" → "sadness",
 * "lonely" → "loneliness", "exhausted" → "exhaustion", "frustrated" → "frustration") names the
 * feeling; the forms that describe what causes it ("stressed" → "stressful", "overwhelmed" →
 * "overwhelming") are situational. Forms that are not words never occur in text, so they cost a
 * trie node and nothing else.
 */
export function feelingForms(word: string): { word: string; situational: boolean }[] {
  const out: { word: string; situational: boolean }[] = [];
  if (word.length < 4) return out;
  const noun = (w: string) => out.push({ word: w, situational: false });
  const cause = (w: string) => out.push({ word: w, situational: true });
  if (word.endsWith('ed') && word.length > 5) {
    // "worried" → "worry", "exhausted" → "exhaust", "frustrated" → "frustrate", "panicked" → "panic".
    const stem = word.endsWith('ied') ? word.slice(0, -3) + 'y' : word.endsWith('icked') ? word.slice(0, -3) : word.endsWith('ated') || word.endsWith('ised') || word.endsWith('ized') ? word.slice(0, -1) : word.slice(0, -2);
    const bare = stem.endsWith('y') ? stem.slice(0, -1) + 'i' : stem.endsWith('e') ? stem.slice(0, -1) : stem;
    cause(`${stem.endsWith('e') ? stem.slice(0, -1) : stem}ing`);
    cause(`${bare}ful`);
    noun(`${word}ness`);
    if (stem.endsWith('ate')) noun(`${stem.slice(0, -1)}ion`);
    else if (stem.endsWith('t')) noun(`${stem}ion`);
    if (stem.endsWith('ss') || stem.endsWith('lm')) noun(stem);
    // "embarrassed" → "embarrassment", "disappointed" → "disappointment".
    if (stem.endsWith('ss') || stem.endsWith('nt')) noun(`${stem}ment`);
  } else if (word.endsWith('ing')) {
    // "grieving", "struggling": the listed participle is the feeling; other forms are listed where they are words.
  } else if (word.endsWith('y') && !word.endsWith('ey')) {
    noun(`${word.slice(0, -1)}iness`);
  } else if (word.endsWith('ous')) {
    noun(`${word}ness`);
  } else if (!word.endsWith('ness') && !word.endsWith('ion') && !word.endsWith('ful')) {
    noun(`${word}ness`);
  }
  return out;
}

/** The comparative and superlative of a short adjective ("hard" → "harder", "hardest"; "scary" → "scariest"; "sad" → "saddest"); none for long ones, which take "more" and "most". */
export function gradedForms(adjective: string): string[] {
  if (adjective.length > 7 || /(ing|ful|ed|ive|ous)$/.test(adjective)) return [];
  const stem = adjective.endsWith('y') ? `${adjective.slice(0, -1)}i` : adjective.endsWith('e') ? adjective.slice(0, -1) : /^[^aeiou]*[aeiou][bdglmnpt]$/.test(adjective) ? adjective + adjective[adjective.length - 1] : adjective;
  return [`${stem}er`, `${stem}est`];
}

interface FamilyData {
  id: string;
  label: string;
  distress: boolean;
  thirdPerson: boolean;
  mildIsAsking?: boolean;
  verbs?: string[];
  [intensity: string]: unknown;
}

/**
 * Adds the emotion vocabulary: every feeling word to the response trie (kind `emotion`) and, with
 * the frame it needs, to the prompt cue trie; returns the families and the `@feeling` class
 * (every distress word, for the empathy patterns).
 */
function addEmotions(vocab: Vocabulary, phrases: TrieNode, cues: TrieNode, derivedSituational: string[]): { families: EmotionFamily[]; feeling: string[] } {
  const families: EmotionFamily[] = [{ id: 'none', label: 'none', distress: false, thirdPerson: false }];
  const feeling: string[] = [];
  const clinical = new Set(emotionsData.clinical);
  const responseSkips = new Set(emotionsData.responseSkips.words);
  const situational = new Set(emotionsData.situational.words);
  for (const f of emotionsData.families as FamilyData[]) {
    const family = families.length;
    families.push({ id: f.id, label: f.label, distress: f.distress, thirdPerson: f.thirdPerson, mildIsAsking: f.mildIsAsking });
    const verbs = new Set(f.verbs ?? []);
    for (const intensity of [3, 2, 1]) {
      for (const pattern of (f[String(intensity)] as string[] | undefined) ?? []) {
        for (const word of expandPattern(pattern)) {
          // Single words and phrases that start with a content word name a feeling in a response; frames such as "at breaking point" are read in prompts only.
          if (!word.includes(' ') || !responseSkips.has(word.slice(0, word.indexOf(' ')))) addPhrase(vocab, phrases, word, { kind: 'emotion', category: f.id, weight: intensity, family, intensity });
          // A word the third-person frame must not take ("my friend is depressed") is marked by a lower-case `clinical` category.
          const entry: LexiconEntry = { kind: 'cue', category: clinical.has(word) ? 'clinical' : f.id, weight: intensity, family, intensity, frame: 'state' };
          if (verbs.has(word)) entry.verb = true;
          // Words for how a situation feels are read in prompts by the evaluative rule ("it sounds scary"), not as a state.
          if (!situational.has(word)) addPhrase(vocab, cues, word, entry);
          if (f.distress) feeling.push(word);
        }
      }
    }
    for (const word of verbs) addPhrase(vocab, cues, word, { kind: 'cue', category: f.id, weight: 2, family, intensity: 2, frame: 'state', verb: true });
  }
  // The listed words' families in other forms ("lonely" → "loneliness", "exhausted" → "exhaustion", "stressed" → "stressful"): a response names a feeling in whatever form it takes.
  const listed = new Set<string>();
  for (const f of emotionsData.families as FamilyData[]) for (const intensity of [3, 2, 1]) for (const p of (f[String(intensity)] as string[] | undefined) ?? []) for (const w of expandPattern(p)) listed.add(w);
  const ambiguous = new Set(emotionsData.ambiguous.words);
  for (let family = 1; family < families.length; family++) {
    const f = (emotionsData.families as FamilyData[])[family - 1];
    if (!f.distress) continue;
    for (const intensity of [3, 2, 1]) {
      for (const pattern of (f[String(intensity)] as string[] | undefined) ?? []) {
        for (const word of expandPattern(pattern)) {
          if (word.includes(' ') || word.includes('-') || ambiguous.has(word)) continue;
          for (const form of feelingForms(word)) {
            if (listed.has(form.word)) continue;
            listed.add(form.word);
            addPhrase(vocab, phrases, form.word, { kind: 'emotion', category: f.id, weight: intensity, family, intensity });
            if (form.situational) derivedSituational.push(form.word);
          }
        }
      }
    }
  }
  const familyIndex = (id: string) => {
    const i = families.findIndex((f) => f.id === id);
    if (i < 1) throw new Error(`unknown emotion family ${id}`);
    return i;
  };
  const addCues = (groups: { family: string; intensity: number; phrases: string[] }[], frame: CueFrame) => {
    for (const g of groups) {
      const entry: LexiconEntry = { kind: 'cue', category: g.family, weight: g.intensity, family: familyIndex(g.family), intensity: g.intensity, frame };
      for (const pattern of g.phrases) for (const phrase of expandPattern(pattern)) addPhrase(vocab, cues, phrase, entry);
    }
  };
  addCues(emotionsData.selfContained, 'self');
  addCues(emotionsData.firstPersonEvents, 'self');
  addCues(emotionsData.firstPerson.groups, 'first');
  addCues(emotionsData.firstPerson.brief, 'brief');
  addCues(emotionsData.firstPerson.wishes, 'wish');
  addCues(emotionsData.events, 'event');
  const ev = emotionsData.evaluative;
  addCues([{ family: ev.family, intensity: ev.intensity, phrases: ev.words }], 'evaluative');
  return { families, feeling };
}

function build(): Lexicon {
  const vocab = new Vocabulary();
  const phrases = newTrie();
  const cues = newTrie();
  const derivedSituational: string[] = [];
  const { families, feeling } = addEmotions(vocab, phrases, cues, derivedSituational);
  const classes = compileClasses(vocab, { ...empathyData.classes, ...respectData.classes, feeling });
  addGroups(vocab, phrases, empathyData.blocks.map((b) => ({ ...b, weight: 0 })), () => 'block', classes, { blocks: 1 << KIND_BIT.empathy });
  addGroups(vocab, phrases, empathyData.groups, () => 'empathy', classes);
  addGroups(vocab, phrases, politenessData.groups, (g) => (g.category === 'blame' ? 'blame' : g.category === 'gratitude' ? 'gratitude' : 'softener'));
  addGroups(vocab, phrases, prescriptiveData.blocks.map((b) => ({ ...b, weight: 0 })), () => 'block', classes, { blocks: 1 << KIND_BIT.prescriptive });
  addGroups(vocab, phrases, respectData.blocks.map((b) => ({ ...b, weight: 0 })), () => 'block', classes, { blocks: (1 << KIND_BIT.respect) | (1 << KIND_BIT.prescriptive) | (1 << KIND_BIT.blame) });
  addGroups(vocab, phrases, prescriptiveData.groups, () => 'prescriptive');
  addGroups(vocab, phrases, respectData.groups, () => 'respect', classes);
  for (const j of jargonData.terms) addPhrase(vocab, phrases, j.term, { kind: 'jargon', category: 'jargon', weight: 1, plain: j.plain });


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
  const frames = emotionsData.frames;
  mark(['you', 'your', 'yours', 'yourself', 'yourselves'], WORD_YOU);
  mark(frames.intensifiers, WORD_INTENSIFIER);
  mark([...frames.linking, ...frames.modifiers], WORD_FRAME_LINK);
  mark(frames.selfSubjects, WORD_SELF);
  mark(frames.otherSubjects, WORD_OTHER);
  mark(frames.causers, WORD_CAUSER);
  mark(frames.hypothetical, WORD_HYPOTHETICAL);
  mark(frames.possessives, WORD_POSSESSIVE);
  mark(frames.relations, WORD_RELATION);
  mark(frames.relativeWords, WORD_RELATIVE);
  mark(prescriptiveData.cognitionVerbs, WORD_COGNITION);
  mark(prescriptiveData.chainWords, WORD_CHAIN);
  mark(frames.taskVerbs, WORD_TASK);
  mark(frames.causatives, WORD_CAUSATIVE);
  mark(frames.coordinators, WORD_COORDINATOR);
  mark(emotionsData.ambiguous.words, WORD_AMBIGUOUS_FEELING);
  mark(emotionsData.situational.words, WORD_SITUATIONAL);
  mark(derivedSituational, WORD_SITUATIONAL);
  mark(['do', 'does', 'did', 'can', 'could', 'will', 'would', 'is', 'are', 'was', 'were', 'have', 'has', 'should', 'shall', 'may', 'might'], WORD_QUESTION_AUX);
  // Not it/this/that: "Do this first", "Make it smaller" are orders.
  mark(['you', 'i', 'we', 'they', 'he', 'she', 'there'], WORD_SUBJECT_PRONOUN);
  const reassurances = newTrie();
  const reassurance: LexiconEntry = { kind: 'softener', category: 'reassurance', weight: 0 };
  for (const pattern of prescriptiveData.negativeOpeners.reassurances) for (const phrase of expandPattern(pattern)) addPhrase(vocab, reassurances, phrase, reassurance);
  const steps = compileSteps(vocab);
  for (const [written, words] of Object.entries(spellingData.words)) {
    const id = vocab.id(written);
    vocab.spellings.set(id, words.split(' ').map((w) => vocab.id(w)));
    vocab.flags[id] |= WORD_SPELLED;
  }
  vocab.yourAsYouAre = { your: vocab.id('your'), you: vocab.id('you'), are: vocab.id('are'), before: new IdSet(spellingData.yourAsYouAre.map((w) => vocab.id(w))) };
  const irony = compileIrony(vocab);
  const hardWords = [...empathyData.classes.hardship, ...emotionsData.situational.words, ...derivedSituational].filter((w) => !w.includes(' '));
  const hardship = new IdSet([...hardWords, ...hardWords.flatMap(gradedForms)].map((w) => vocab.id(w)));
  const hardshipPhrases = new Map<number, number[][]>();
  for (const phrase of empathyData.classes.hardship) {
    if (!phrase.includes(' ')) continue;
    const phraseTokens = phrase.split(' ').map((w) => vocab.id(w));
    const last = phraseTokens[phraseTokens.length - 1];
    hardshipPhrases.set(last, [...(hardshipPhrases.get(last) ?? []), phraseTokens]);
  }
  const hardshipEnds = new IdSet([...hardshipPhrases].filter(([last, list]) => vocab.word(last).length >= 4 && list.some((p) => !p.some((id) => hardship.has(id)))).map(([last]) => last));
  const ids = (words: readonly string[]) => new IdSet(words.map((w) => vocab.id(w)));
  const validation = { words: ids(empathyData.validation.words), referents: ids(empathyData.validation.referents) };
  const personalData = empathyData.personal;
  const personal = { words: ids(personalData.words), ofPersons: ids(personalData.ofPersons), lengths: ids(personalData.lengths), stretches: ids(personalData.stretches), supports: ids(personalData.supports), loads: ids(personalData.loads), persons: ids(personalData.persons), notAfter: ids(personalData.notAfter), informs: ids(personalData.informs) };
  const services = ids(jargonData.services.words);
  const judgements = { words: ids(empathyData.judgements.words), qualities: ids(empathyData.judgements.qualities), persons: ids(empathyData.judgements.persons), own: ids(empathyData.judgements.own) };
  const negativeOpeners = { tokens: prescriptiveData.negativeOpeners.words.map((w) => phraseIds(vocab, w)), weight: prescriptiveData.negativeOpeners.weight, reassurances };
  for (const id of tries.tokensFrom(phrases)) vocab.flags[id] |= WORD_PHRASE_START;
  for (const id of tries.tokensFrom(cues)) vocab.flags[id] |= WORD_CUE_START;
  vocab.pin();
  tries.shareEntries();
  tries.addWideFilters();

  return { vocab, scratch: newTable(4096), phrases, cues, families, shouting: respectData.shouting, stacked: prescriptiveData.stackedImperatives, negativeOpeners, steps, irony, hardship, hardshipPhrases, hardshipEnds, validation, personal, judgements, services };
}

function compileSteps(vocab: Vocabulary): StepLexicon {
  const data = prescriptiveData.steps;
  const trie = (groups: [string, readonly string[]][]) => {
    const root = newTrie();
    for (const [category, patterns] of groups) {
      const entry: LexiconEntry = { kind: 'block', category, weight: 0 };
      for (const pattern of patterns) for (const phrase of expandPattern(pattern)) addPhrase(vocab, root, phrase, entry);
    }
    return root;
  };
  return { requests: trie([['request', data.requests]]), openers: trie([['first', data.first], ['later', data.later], ['list', data.lists]]) };
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
