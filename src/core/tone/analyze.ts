import { allowedTokens } from './allow';
import { clamp, overallTone, spanMatch, ToneAxis, ToneMatch, ToneScores, ToneSpan } from './axes';
import { ABOUT_PERSON, combineMechanisms, EmpathyEvidence, NamedFeeling, scoreEmpathy } from './empathy';
import { dropExplainedJargon } from './jargon';
import type { LanguageCounts } from './language';
import { lexicon, PhraseKind, WORD_COMMAND, WORD_DISCOURSE, WORD_ENGLISH, WORD_PHRASE_START, WORD_YOU } from './lexicon';
import type { Lexicon } from './lexicon';
import { findPhrases, masked } from './match';
import { FADING_CATEGORY, laidOutAsSteps, ORDER_NONE, orderMatches, prescriptiveFactor, REPEAT_FACTOR, sentenceOrders } from './orders';
import { promptOwnWord, promptWord } from './prompt';
import type { PromptReading } from './prompt';
import { gradeToScore, readingLevel } from './readability';
import { findIrony } from './irony';
import { findShouting } from './shouting';
import { languageCounts, shortcutCandidates } from './surface';
import { FLAG_PAUSE_AFTER, FLAG_SENTENCE_START, scanWords } from './words';
import type { WordTable } from './words';

export { AXIS_LABELS, AXIS_WEIGHTS, overallTone, TONE_AXES, weakestAxis } from './axes';
export type { MatchKind, ToneAxis, ToneMatch, ToneScores, ToneSpan } from './axes';

/** The empathy axis in its three mechanisms (each in [0, 1]; see empathy.ts). */
export interface EmpathyMechanisms {
  reactions: number;
  interpretations: number;
  explorations: number;
  /** Ids of the feeling families the response names (emotions.json), and of those the prompt expressed too (only with a prompt). */
  names: string[];
  echoes: string[];
  /**
   * How much of the empathy score the weak layer of attention to the person adds (attention.ts; it
   * is inside the three mechanisms above too). It tells apart replies the evidence ties; the rules
   * that compare the score with a threshold read `evidenced`, the score without it.
   */
  attention: number;
  evidenced: number;
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
  /** Over the first LANGUAGE_SAMPLE_TOKENS tokens (surface.ts): how many are common English words, how many common words of another language (see language.ts). */
  language: LanguageCounts;
  /**
   * Normalised words that open sentences (up to four words each; the first four and the last
   * two sentences) and, prefixed with `$`, the response's last three words: the candidates for
   * shortcut phrases. Kept short on purpose: they are stored per record.
   */
  openers: string[];
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

/** Respect categories that also cool the empathy axis (a put-down is the opposite of acknowledgement), with what each costs it. */
const COLD_CATEGORIES: Record<string, number> = { dismissive: 0.2, callous: 0.2, minimising: 0.15, sarcasm: 0.15, condescension: 0.1, insult: 0.15, shrug: 0.1, profanity: 0.05 };

/** A put-down with its token range; `paired` marks the ironic cues that need a second sign, `inverts` the mock praise, thanks or sympathy whose sentence's kind words are not kindness. */
interface PutDown {
  match: ToneMatch;
  from: number;
  to: number;
  paired: boolean;
  inverts: boolean;
  /** A cue so faint that alone it costs nothing in a reply with any empathy evidence (irony.ts: praise said flat to someone in distress). */
  faint?: boolean;
}

function hasPutDown(matches: readonly ToneMatch[]): boolean {
  for (const m of matches) if (m.kind === 'respect' && PUT_DOWNS.has(m.category)) return true;
  return false;
}

/**
 * Irony is read from two signs, not one: an ironic cue that can be sincere alone ("that always
 * works wonders", "Yes, because ...", "isn't it?") counts only beside another put-down, or beside a
 * second such cue in a reply that acknowledges no feeling (mock praise followed by a put-down).
 * Drops the others, and the put-downs that a warm reply already dropped (`unlessWarm`), from
 * `putDowns`; returns the tokens dropped.
 */
function settlePutDowns(putDowns: PutDown[], matches: ToneMatch[], ordering: Uint8Array, sentenceOf: Int32Array): number {
  let pairedCount = 0;
  let others = 0;
  for (let k = putDowns.length - 1; k >= 0; k--) {
    const p = putDowns[k];
    if (!matches.includes(p.match)) putDowns.splice(k, 1);
    else if (p.paired) pairedCount++;
    else others++;
  }
  if (!pairedCount || others) return 0;
  // Two of them read as irony in a cold reply; beside an acknowledgement of the person's feelings they are sincere ("It's a lot, isn't it? ... Good for you for asking").
  // An acknowledgement with an ironic cue inside it ("that must have been *so* hard") is mock sympathy, not warmth.
  if (pairedCount >= 2 && !matches.some((m) => m.kind === 'empathy' && !putDowns.some((p) => p.paired && overlaps(p.match, m)))) return 0;
  let dropped = 0;
  for (let k = putDowns.length - 1; k >= 0; k--) {
    const p = putDowns[k];
    if (!p.paired) continue;
    matches.splice(matches.indexOf(p.match), 1);
    dropped += p.to - p.from;
    ordering[sentenceOf[p.from]] = 0;
    putDowns.splice(k, 1);
  }
  return dropped;
}

/** A put-down that is one interjection, or two ("Oh wow, ...", "Ah man."), opening its sentence and standing alone or set off by a comma ("Oof.", "Wow, ...", "Damn, ..."). */
function loneInterjection(lex: Lexicon, words: WordTable, from: number, to: number): boolean {
  if (to - from > 2 || to <= from || !(words.flags[from] & FLAG_SENTENCE_START)) return false;
  for (let k = from; k < to; k++) if (!lex.irony.exclamations.has(words.tokens[k]) || (k < to - 1 && words.flags[k] & FLAG_PAUSE_AFTER)) return false;
  return (words.flags[to - 1] & FLAG_PAUSE_AFTER) !== 0 || to === words.sentences[words.sentence[from]].endToken;
}

/** Drops from `matches` the put-downs of `list` that `settled` says are sincere; returns their tokens. */
function dropSettled(list: readonly { match: ToneMatch; tokens: number; sentence: number }[], matches: ToneMatch[], settled: (c: { sentence: number }) => boolean): number {
  let tokens = 0;
  for (const c of list) {
    const k = matches.indexOf(c.match);
    if (k < 0 || !settled(c)) continue;
    matches.splice(k, 1);
    tokens += c.tokens;
  }
  return tokens;
}

/** Whether sentence `s` or the next holds an acknowledgement (a reaction or an interpretation, listed or read from its shape). */
function acknowledgedNear(words: WordTable, evidence: readonly EmpathyEvidence[], extra: readonly EmpathyEvidence[], s: number): boolean {
  for (const list of [evidence, extra]) {
    for (const e of list) {
      const at = words.sentence[e.from];
      if ((at === s || at === s + 1) && e.mechanism !== 'explorations') return true;
    }
  }
  return false;
}

/** The empathy category of pity and sorrow for the person ("I'm sorry", "you poor thing"). */
const SYMPATHY = 'sympathy';

/** A zeroed byte per sentence for the sentences that carry sarcasm (allocated when a reply has any). */
let mockingBytes = new Uint8Array(64);

/**
 * Sarcasm takes back the kindness it borrows: a reader takes ironic praise or sympathy for its
 * opposite ("Good on ya, mate, really nailing it.", "You've seen the stairs, so you'd know best.").
 * In each sentence that carries mock praise, thanks or sympathy (`sarcastic`: those put-downs
 * before they were settled; `counted`: those that still count), the empathy evidence, softeners
 * and thanks are dropped from `matches` and the evidence lists, and the caller reads no
 * acknowledgement from the sentence's shape. A lone cue can be sincere, so it takes nothing back
 * beside an acknowledgement in a sentence without a cue ("Such dedication. She's so lucky to have
 * you."). Words that are at once the cue and the sympathy ("Oh you poor thing") are read by what the
 * person told: meant for someone in distress, mock for someone who shows none; words that are at
 * once the cue and other kindness ("delighted to hear") the other way round (delight at good news
 * is meant, at someone's distress it is mock). With no prompt they stay sincere. Returns the marks
 * per sentence (non-zero: its kindness taken back), or undefined.
 */
function takeBackKindness(words: WordTable, sarcastic: readonly PutDown[], counted: readonly PutDown[], evidence: EmpathyEvidence[], evidenceMatch: ToneMatch[], matches: ToneMatch[], prompt: PromptReading | undefined): Uint8Array | undefined {
  const n = words.sentences.length;
  if (mockingBytes.length < n) mockingBytes = new Uint8Array(Math.max(n, 2 * mockingBytes.length));
  const marks = mockingBytes;
  marks.fill(0, 0, n);
  // 2: sarcasm that counts; 1: a lone cue; 3: only lone cues whose own words are the sympathy ("you poor thing").
  const fits = !prompt || prompt.distress;
  let lone = false;
  for (const p of sarcastic) {
    const s = words.sentence[p.from];
    if (counted.includes(p)) {
      marks[s] = 2;
      continue;
    }
    const doubled = evidence.find((e) => e.from < p.to && p.from < e.to);
    // Other kindness (delight, praise) fits someone who told of no distress ("delighted to hear the scan was clear").
    if (doubled && doubled.category !== SYMPATHY && !(prompt && prompt.distress)) continue;
    lone = true;
    if (marks[s] === 0) marks[s] = doubled && doubled.category === SYMPATHY ? 3 : 1;
    else if (marks[s] === 3 && !doubled) marks[s] = 1;
  }
  // A lone cue beside an acknowledgement said elsewhere is sincere ("Such dedication. She's so lucky to have you.").
  const sincere = lone && evidence.some((e) => e.mechanism !== 'explorations' && marks[words.sentence[e.from]] === 0);
  for (let s = 0; s < n; s++) {
    if (marks[s] === 1 && sincere) marks[s] = 0;
    // Words that are at once a cue and the kindness are read by what the person told: sympathy for someone in distress is meant
    // ("You poor thing, what a night."), the same words to someone who shows none are mock ("Oh you poor thing, having to read a label.").
    else if (marks[s] === 3) marks[s] = sincere || fits ? 0 : 1;
  }
  let any = false;
  for (let s = 0; s < n && !any; s++) any = marks[s] !== 0;
  if (!any) return undefined;
  for (let k = evidence.length - 1; k >= 0; k--) {
    if (!marks[words.sentence[evidence[k].from]]) continue;
    matches.splice(matches.indexOf(evidenceMatch[k]), 1);
    evidence.splice(k, 1);
    evidenceMatch.splice(k, 1);
  }
  for (let k = matches.length - 1; k >= 0; k--) {
    const m = matches[k];
    if (m.kind !== 'softener' && m.kind !== 'gratitude') continue;
    const s = sentenceAt(words, m);
    if (s >= 0 && marks[s]) matches.splice(k, 1);
  }
  return marks;
}

/** The sentence a match starts in (-1 if none). */
function sentenceAt(words: WordTable, m: ToneSpan): number {
  const list = words.sentences;
  for (let s = 0; s < list.length; s++) if (list[s].seg === m.seg && list[s].start <= m.start && m.start < list[s].end) return s;
  return -1;
}

function overlaps(a: ToneMatch, b: ToneMatch): boolean {
  return a.seg === b.seg && a.start < b.end && b.start < a.end;
}

/** Whether the turn continues the prompt's own text ("...such kindness and dignity."): a completion, not a curt reply. */
function continuesPrompt(text: string): boolean {
  // An opening quotation mark may come first ("'...calm and comfortable'").
  const head = text.trimStart().replace(/^["'\u2018\u201c]/, '');
  return head.startsWith('...') || head.startsWith('\u2026');
}

/** Whether every word of tokens [from, to) is a word the person wrote as their own (not in quotation marks: "my dad has 'dysphagia'" asks about the term) in the prompt read with this stamp. */
function promptTerm(stamp: number, words: WordTable, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!promptOwnWord(stamp, words.tokens[k])) return false;
  return true;
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
  const mask = allowedTokens(vocab, words, allow);
  const surfaceCount = words.surfaceCount;
  const sentenceCount = words.sentences.length;

  if (surfaceCount === 0) {
    const zero: ToneScores = { empathy: 0, politeness: 0, simplicity: 0, nonPrescriptive: 0, plainLanguage: 0, respect: 0, tone: 0 };
    return { scores: zero, empathy: { reactions: 0, interpretations: 0, explorations: 0, names: [], echoes: [], attention: 0, evidenced: 0 }, words: 0, sentences: 0, grade: 0, matches, openers: [], language: { words: 0, english: 0, foreign: 0 } };
  }

  // Tokens inside put-downs: a reply that is nothing but a put-down ("Old people sleep.") is worse than one aside in a long answer.
  let disrespectTokens = 0;
  const evidence: EmpathyEvidence[] = [];
  const evidenceMatch: ToneMatch[] = [];
  const feelings: NamedFeeling[] = [];
  // Mild directives met so far (each repeat counts less).
  let directives = 0;
  let refusal = false;
  // Matches that count only in a reply without warmth (decided once every phrase is known); rare, so allocated only when met.
  let conditional: { match: ToneMatch; tokens: number; sentence: number }[] | undefined;
  // Put-downs with their token ranges (rare: allocated when met); `paired` marks the ironic cues that need a second sign.
  let putDowns: PutDown[] | undefined;
  // Put-downs that are a lone interjection ("Oof.", "Wow, ...", "Damn, ..."): a reaction, mocking or cold only when no acknowledgement follows it.
  let loneCue = false;
  // The first token of that lone cue (-1 when there is none).
  let loneFrom = -1;
  // Whether that lone cue is a faint one, which any empathy evidence settles.
  let loneFaint = false;
  // That lone cue's match and tokens (kept aside when settling drops it).
  let loneMatch: { match: ToneMatch; tokens: number } | undefined;
  let interjected: { match: ToneMatch; tokens: number; sentence: number }[] | undefined;
  // Sentences that give orders or put the person down (they name feelings to dismiss them, not to acknowledge them).
  const ordering = sentenceScratch(sentenceCount);
  // The person asked how to do something and the reply is laid out as steps: its imperatives answer the request.
  const steps = prompt?.asksSteps === true && laidOutAsSteps(words, lex, segments);
  const promptStamp = prompt && prompt.generation === vocab.generation ? prompt.stamp : 0;
  findPhrases(vocab, words, lex.phrases, mask, (entry, from, to) => {
    const kind = entry.kind;
    if (kind === 'emotion') {
      feelings.push({ from, family: entry.family ?? 0, intensity: entry.intensity ?? 1 });
      return;
    }
    if (kind === 'block' || kind === 'cue') return;
    // A term the person used themselves ("aphasia they call it", "my oncologist said no"; not one they quote to ask about it) is their word, not jargon to them.
    if (kind === 'jargon' && promptStamp && promptTerm(promptStamp, words, from, to)) return;
    // "the palliative care team", "the oncology nurse line": the name of a team or a service the person can ask for by it.
    if (kind === 'jargon' && to < words.n && words.sentence[to] === words.sentence[from] && lex.services.has(words.tokens[to])) return;
    if (kind === 'softener' && entry.category === 'refusal') {
      refusal = true;
      return;
    }
    let weight = entry.weight;
    let category = entry.category;
    // "Perhaps he's practising for something": a hedge on a guess about someone else softens nothing asked of the reader (see softensForReader).
    if (kind === 'softener' && to - from === 1 && HEDGES.has(vocab.word(words.tokens[from])) && !softensForReader(vocab, words, to)) category = SPECULATION;
    if (kind === 'prescriptive') {
      // "First, you need to fill a pan": in steps the person asked for, a requirement describes a step.
      if (steps && entry.stepWeight) {
        weight = entry.stepWeight;
        category = FADING_CATEGORY;
      }
      weight *= prescriptiveFactor(vocab, words, entry, from, to);
      if (weight === 0) return;
      if (category === FADING_CATEGORY) weight *= REPEAT_FACTOR ** directives++;
    }
    if (kind === 'respect') disrespectTokens += to - from;
    // 1: the sentence puts the person down or opens on an order; 2: it only advises (a prescriptive phrase or blame inside it).
    if (kind === 'respect') ordering[words.sentence[from]] = 1;
    else if ((kind === 'prescriptive' || kind === 'blame') && ordering[words.sentence[from]] === 0) ordering[words.sentence[from]] = 2;
    const positive = kind === 'empathy' || kind === 'softener' || kind === 'gratitude';
    const m: ToneMatch = {
      seg: words.sentences[words.sentence[from]].seg,
      start: words.start[from],
      end: words.end[to - 1],
      axis: kindAxis(kind),
      kind,
      category,
      weight: positive ? weight : -weight,
      plain: entry.plain,
    };
    if (kind === 'empathy' && entry.mechanism) {
      m.mechanism = entry.mechanism;
      evidence.push({ from, to, mechanism: entry.mechanism, weight, category });
      evidenceMatch.push(m);
    }
    // A lone interjection put-down ("Oof.", "Wow, ...", "Damn, ...") is a reaction: cold or mocking only in a reply with no warmth in it ("Oof. That's a heavy one.").
    let reaction = false;
    if (entry.unlessWarm) (conditional ??= []).push({ match: m, tokens: to - from, sentence: words.sentence[from] });
    else if (kind === 'respect' && (reaction = loneInterjection(lex, words, from, to))) (interjected ??= []).push({ match: m, tokens: to - from, sentence: words.sentence[from] });
    // Listed sarcasm inverts the kind words beside it; an interjection ("Wow, ...") is a reaction whose sense its sentence decides.
    if (kind === 'respect') (putDowns ??= []).push({ match: m, from, to, paired: entry.paired === true, inverts: category === 'sarcasm' && !reaction });
    matches.push(m);
  }, WORD_PHRASE_START);

  // Sarcasm from its structure (praise before a bad outcome, a question answered curtly, the person's words handed back): each a cue that needs a second sign.
  findIrony(lex, words, segments, prompt, (from, to, category, paired, inverts, faint) => {
    if (masked(mask, from, to) || putDowns?.some((p) => p.from < to && from < p.to)) return;
    const m = spanMatch(words, from, to - 1, 'respect', 'respect', category, -IRONY_WEIGHT);
    disrespectTokens += to - from;
    ordering[words.sentence[from]] = 1;
    (putDowns ??= []).push({ match: m, from, to, paired, inverts, faint });
    matches.push(m);
  }, (k) => {
    // A caring emoji ("Oh no 😢", "that's so hard 💔"): the speaker's reaction, faint evidence graded like any other.
    if (masked(mask, k, k + 1) || evidence.some((e) => e.from <= k && k < e.to)) return;
    const m = spanMatch(words, k, k, 'empathy', 'empathy', 'caring-emoji', CARING_EMOJI_WEIGHT);
    m.mechanism = 'reactions';
    evidence.push({ from: k, to: k + 1, mechanism: 'reactions', weight: CARING_EMOJI_WEIGHT, category: 'caring-emoji' });
    evidenceMatch.push(m);
    matches.push(m);
  });

  // Put-downs that are sincere in a warm reply ("Oh wonderful, congratulations to her.", "Like I said, you're doing well").
  // A blunt word about a death needs real sympathy beside it: a bare "Sorry." or thanks do not make "He's dead, he won't mind" kind.
  if (conditional) {
    const warmReply = matches.some((m) => m.weight > 0 && m.kind !== 'respect');
    const sympathy = warmReply && matches.some((m) => m.kind === 'empathy' && m.weight >= SYMPATHY_WEIGHT);
    let kept = 0;
    for (const c of conditional) {
      if (!warmReply || (c.match.category === 'callous' && !sympathy)) {
        conditional[kept++] = c;
        continue;
      }
      const k = matches.indexOf(c.match);
      if (k >= 0) matches.splice(k, 1);
      disrespectTokens -= c.tokens;
      ordering[c.sentence] = 0;
    }
    conditional.length = kept;
    if (!kept) conditional = undefined;
  }

  // Sentences whose kind words sarcasm takes back (see takeBackKindness).
  let mocking: Uint8Array | undefined;
  if (putDowns) {
    // A lone ironic cue is dropped as a finding; whether it still costs a little is decided once the reply's warmth is known.
    loneCue = putDowns.length === 1 && putDowns[0].paired;
    if (loneCue) loneFrom = putDowns[0].from;
    loneFaint = loneCue && putDowns[0].faint === true;
    if (loneCue) loneMatch = { match: putDowns[0].match, tokens: putDowns[0].to - putDowns[0].from };
    const sarcastic = putDowns.filter((p) => p.inverts && matches.includes(p.match));
    disrespectTokens -= settlePutDowns(putDowns, matches, ordering, words.sentence);
    if (sarcastic.length) mocking = takeBackKindness(words, sarcastic, putDowns, evidence, evidenceMatch, matches, prompt);
    // A phrase read as a put-down ("What a shock." said of a child who likes chips) is not also sympathy.
    for (let k = evidence.length - 1; k >= 0; k--) {
      const e = evidence[k];
      if (!putDowns.some((p) => p.from < e.to && e.from < p.to)) continue;
      matches.splice(matches.indexOf(evidenceMatch[k]), 1);
      evidence.splice(k, 1);
      evidenceMatch.splice(k, 1);
    }
  }

  // A jargon term explained in the same response ("palliative care is comfort care", "dysphagia means ...", "confusion, called delirium") is plain enough.
  dropExplainedJargon(segments, matches);

  // Orders: bare commands (politeness), negative openers, and runs of imperative sentences.
  const kinds = sentenceOrders(words, lex, steps, ordering);
  // A comfort formula said as an imperative ("Take heart.", "Be strong.", "Don't feel bad, ...", "Take care of yourself.") comforts; it orders nothing.
  for (const e of evidence) {
    const s = words.sentence[e.from];
    let first = words.sentences[s].firstToken;
    while (first < e.from && vocab.flags[words.tokens[first]] & WORD_DISCOURSE) first++;
    if (first === e.from && e.mechanism === 'reactions') kinds[s] = ORDER_NONE;
  }
  // A completion's first sentence finishes the prompt's own sentence ("...calm, comfortable and full of dignity"): not an order.
  if (sentenceCount && continuesPrompt(segments[0])) kinds[0] = ORDER_NONE;
  // A sentence that carries sarcasm is read like one that puts the person down: its shape earns no acknowledgement ("you've seen the stairs, so you'd know best").
  const isOrder = mocking ? (s: number) => ordering[s] !== 0 || mocking[s] !== 0 : (s: number) => ordering[s] !== 0;
  const empathy = scoreEmpathy(words, evidence, feelings, isOrder, prompt, (s) => ordering[s] === 2);
  for (let k = 0; k < evidenceMatch.length; k++) evidenceMatch[k].strength = empathy.strengths[k];
  for (let k = 0; k < empathy.extra.length; k++) {
    const e = empathy.extra[k];
    const m = spanMatch(words, e.from, e.to - 1, 'empathy', 'empathy', e.category, e.weight);
    m.mechanism = e.mechanism;
    m.strength = empathy.strengths[evidence.length + k];
    matches.push(m);
  }
  // The weak reading of a sentence about the person (empathy.ts aboutPerson) moves the empathy score only: it is no warmth that softens orders or settles a put-down.
  const shaped = empathy.extra.some((e) => e.category === ABOUT_PERSON) ? empathy.extra.filter((e) => e.category !== ABOUT_PERSON) : empathy.extra;
  const warm = evidence.length + shaped.length > 0;
  // Warmth read from a sentence's shape settles the put-downs that count only in a cold reply too ("Stay positive if you can, but bad days are allowed.");
  // an interjection followed, in its sentence or the next, by an acknowledgement is the speaker's reaction to the news ("Oof. That's a heavy one.", "Damn, that's hard.").
  // An acknowledgement read from a sentence's shape that a lone ironic cue closes, in the same sentence ("honestly tho you're getting more life experience than everyone else so who even needs gcses right 😂"),
  // is the irony's set-up, not warmth that makes the cue sincere; one that follows the cue explains it ("An hour ago, and you're still sitting in the car park.").
  const acknowledges = evidence.some((e) => e.mechanism !== 'explorations') || shaped.some((e) => e.mechanism !== 'explorations' && !(loneFrom > e.from && words.sentence[e.from] === words.sentence[loneFrom]));
  if (conditional && shaped.some((e) => e.mechanism !== 'explorations')) disrespectTokens -= dropSettled(conditional, matches, () => true);
  if (interjected) disrespectTokens -= dropSettled(interjected, matches, (c) => acknowledgedNear(words, evidence, shaped, c.sentence));

  const bare = orderMatches(words, lex, kinds, mask, matches);

  // Shouting: emphatic capitals of ordinary words and repeated exclamation marks.
  disrespectTokens += findShouting(lex, words, mask, matches);

  // A reply of a handful of words with no warmth in it reads as curt to someone asking for help. A question hands the turn back
  // (a clarifying question is not curt), a completion continues the prompt's text, a refusal is meant to be short; a short answer
  // to a short question that shows no distress fits the question.
  const last = words.sentences[sentenceCount - 1];
  let curtLimit = CURT_WORDS;
  if (prompt?.asksBrief) curtLimit = 0;
  else if (prompt?.distress) curtLimit = CURT_WORDS_DISTRESS;
  // A bare "No." to a question put to the assistant ("Can you give me her address?") is a refusal, and a refusal is meant to be short.
  else if (prompt?.asksAssistant && surfaceCount === 1 && BARE_REFUSALS.has(vocab.word(words.tokens[0]))) curtLimit = 0;
  else if (prompt && prompt.lastTurnQuestion && prompt.lastTurnWords <= SHORT_QUESTION_WORDS) curtLimit = SHORT_ANSWER_WORDS;
  // Whether the reply has any warmth or courtesy: asked only of short replies (the curt and terse steps).
  const positive = (surfaceCount < curtLimit || surfaceCount < TERSE_WORDS) && matches.some((m) => m.weight > 0);
  // A put-down is reported as one (tone-respect); calling it curt as well would say the same thing twice.
  if (surfaceCount < curtLimit && !positive && !last.question && !refusal && !hasPutDown(matches) && !continuesPrompt(segments[0])) {
    const a = words.sentences[0];
    if (!masked(mask, 0, words.n)) matches.push({ seg: a.seg, start: a.start, end: a.seg === last.seg ? last.end : a.end, axis: 'politeness', kind: 'curt', category: 'curt-reply', weight: -CURT_PENALTY });
  }

  // A reply to someone in distress, or to someone who told their situation and asks how to handle it, that shows no empathy of any
  // mechanism, and how many words of its own it gives (see ABSENCE_COST).
  const unmet = prompt !== undefined && seeksHelp(prompt) && !refusal && evidence.length + empathy.extra.length === 0;
  const given = unmet ? wordsGiven(vocab, words, promptStamp) : 0;
  // A lone ironic cue in such a reply that gives almost nothing has its second sign in what the reply withholds (see LONE_KEPT_WORDS);
  // a reply that ends on a question hands the turn back ("A scary clown?" asks what is meant), as in the curt reading above. Read after
  // that one: the put-down rests on the reply's shortness, so a reply too short to meet the person is curt as well.
  const loneKept = unmet && loneMatch !== undefined && given < LONE_KEPT_WORDS && !last.question && !matches.includes(loneMatch.match);
  if (loneKept) {
    matches.push(loneMatch!.match);
    disrespectTokens += loneMatch!.tokens;
  }

  // Readability over the whole response, and the hardest sentence.
  const { grade, hardest, longestSentence } = readingLevel(vocab, words);

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
        if (m.category !== SPECULATION) softeners++;
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
  const terse = positive || refusal || last.question ? 0 : TERSE_COST * Math.max(0, TERSE_WORDS - surfaceCount) / TERSE_WORDS;
  const scores: ToneScores = {
    empathy: 0,
    politeness: clamp(0.8 + Math.min(0.2, 0.1 * softeners + 0.1 * gratitude + (warm ? 0.05 : 0)) - orderCost - blame - curt - breezy - terse),
    simplicity: surfaceCount < 8 ? 1 : clamp(gradeToScore(grade) * (longestSentence > 40 ? 0.85 : 1)),
    nonPrescriptive: clamp(1 - prescriptive),
    plainLanguage: clamp(1 - (8 * jargon) / Math.max(surfaceCount, 20)),
    // Each put-down costs its weight, scaled up by the share of the reply it takes (up to twice). A lone ironic cue in a reply that acknowledges nothing costs a little, below the rule's threshold.
    respect: clamp(1 - disrespect * (1 + Math.min(1, disrespectTokens / words.n)) - (loneCue && !loneKept && !acknowledges && !(loneFaint && evidence.length + empathy.extra.length > 0) ? LONE_CUE_COST : 0)),
    tone: 0,
  };
  // The weak layer of attention joins each mechanism as one more piece of evidence would, in a reply that puts no one down (a sarcastic "you" earns no attention);
  // the score without it is what the rules compare with their thresholds.
  const attention = scores.respect < 1 ? NO_ATTENTION : empathy.attention;
  const mechanisms = { reactions: joinAttention(empathy.reactions, attention.reactions), interpretations: joinAttention(empathy.interpretations, attention.interpretations), explorations: joinAttention(empathy.explorations, attention.explorations) };
  const evidenced = clamp(0.2 + 0.8 * combineMechanisms(empathy) - cold);
  scores.empathy = clamp(0.2 + 0.8 * combineMechanisms(mechanisms) - cold);
  scores.tone = overallTone(scores);

  // What the reply does for a person in distress, set against what it says (see ABSENCE_COST).
  if (unmet && !asksWh(vocab, words)) scores.tone = clamp(scores.tone - ABSENCE_COST * Math.max(0, 1 - given / ABSENCE_WORDS));

  const first = words.sentences[0];
  return {
    scores,
    empathy: { reactions: mechanisms.reactions, interpretations: mechanisms.interpretations, explorations: mechanisms.explorations, names: familyIds(empathy.named), echoes: familyIds(empathy.echoed), attention: scores.empathy - evidenced, evidenced },
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

const NO_ATTENTION = Object.freeze({ reactions: 0, interpretations: 0, explorations: 0 });

/** A mechanism's evidence and its share of the attention layer, combined as two pieces of evidence are (1 − (1 − a)(1 − b)). */
function joinAttention(evidence: number, attention: number): number {
  return attention ? 1 - (1 - evidence) * (1 - attention) : evidence;
}

/** The empathy score as the evidence gives it, without the attention layer: what the rules compare with a threshold (the layer breaks ties; it adds or removes no warning). */
export function evidencedEmpathy(tone: Pick<ToneAnalysis, 'empathy'>): number {
  return tone.empathy.evidenced;
}

/**
 * The content words a reply adds to what the person said: words outside the commonest English
 * words (language.ts: function words and the commonest verbs) and the discourse markers, of three
 * letters or more, that are not the person's own words in the prompt read with `stamp` (0: no
 * prompt, every such word counts). Information, a step or a reason each bring new words; a reply
 * that hands the person's words back, or says little, brings few.
 */
function wordsGiven(vocab: Lexicon['vocab'], words: WordTable, stamp: number): number {
  let given = 0;
  for (let k = 0; k < words.n; k++) {
    const id = words.tokens[k];
    if (vocab.flags[id] & (WORD_ENGLISH | WORD_DISCOURSE) || vocab.word(id).length < 3 || (stamp && promptWord(stamp, id))) continue;
    given++;
  }
  return given;
}

/**
 * A reply to someone who asks for help with their own situation (`seeksHelp`: in distress, or
 * having told it and asked how to handle it) that acknowledges nothing, asks nothing about them (no
 * empathy evidence of any mechanism, listed or read from its shape, and no question opening with a
 * question word: "Which medicine is it?") and gives little (few content words of its own,
 * `wordsGiven`) does nothing for the person, whatever its courtesy: sarcasm in a voice the
 * lexicons have not met ("Perhaps he could bat with one hand. His mother would love to hear about
 * it eventually.") and a bare shrug both look so, and a kind answer is either warm or informative.
 * The overall tone (only; no axis, so no rule fires on it) loses up to ABSENCE_COST, in proportion
 * as the reply gives fewer than ABSENCE_WORDS words of its own. Not when the person asked for a
 * brief answer, and not for a refusal (meant to be short). A kind reply is not made kinder for
 * being longer: past ABSENCE_WORDS, length counts for nothing.
 */
const ABSENCE_COST = 0.2;
const ABSENCE_WORDS = 30;
/**
 * The rule of two (fourth round) reads irony from two signs; in a reply to someone who asks for help
 * (`seeksHelp`) that shows no empathy of any mechanism and adds fewer than this many content words of its own
 * (`wordsGiven`: "Wild idea. Maybe he will grow out of it.", "Very brave. Good luck."), what the
 * reply withholds is the second sign, and a lone ironic cue counts as a put-down (a tone-respect
 * finding) instead of costing LONE_CUE_COST. Kept low on purpose: a reply of ten own words that
 * informs, one that meets the person in any way, one that ends on a question and a refusal or a
 * disagreement (politeness.json `refusal`) keep the rule of two.
 */
const LONE_KEPT_WORDS = 10;
/**
 * "Perhaps", "maybe" and "possibly" soften what is asked of the reader ("Maybe try a smaller cup",
 * "Perhaps you could ask her GP", "talk to her when you're both calm, perhaps tomorrow"). Opening a
 * sentence (after discourse words), one counts as courtesy only when "you", "your", "we", "I" or a
 * verb of command follows within HEDGE_REACH words; inside or closing a sentence it always does. A
 * hedge on a guess about someone else ("Perhaps he's practising for something.", "Maybe one more
 * aunty can join the committee?") is kept as a match of category SPECULATION, which
 * still tells a short reply from a curt one but earns no courtesy on the politeness axis: sarcasm
 * borrows such hedges, and a kind reply does not need them to be polite.
 */
function softensForReader(vocab: Lexicon['vocab'], words: WordTable, k: number): boolean {
  const sentence = words.sentences[words.sentence[k - 1]];
  const end = sentence.endToken;
  if (k >= end) return true;
  // Inside a sentence, after its opening, the hedge qualifies the suggestion around it ("take short trips first, perhaps with a friend").
  let first = sentence.firstToken;
  while (first < k - 1 && vocab.flags[words.tokens[first]] & WORD_DISCOURSE) first++;
  if (first < k - 1) return true;
  for (let j = k; j < Math.min(end, k + HEDGE_REACH); j++) {
    const id = words.tokens[j];
    if (vocab.flags[id] & (WORD_YOU | WORD_COMMAND) || READER_SIDE.has(vocab.word(id))) return true;
  }
  return false;
}
const HEDGES = new Set(['perhaps', 'maybe', 'possibly']);
const HEDGE_REACH = 3;
const READER_SIDE = new Set(['you', 'your', 'u', 'ur', 'we', 'i']);
/** The category of a hedge on a guess about someone else (see softensForReader). */
const SPECULATION = 'speculation';
/**
 * Whether the person asks for help with their own situation: they show distress, or they told it
 * at some length (a last turn of more than SHORT_QUESTION_WORDS words) and ask how to handle it
 * (prompt.ts `asksSteps`: "How do I ...?", "What should I do?"); not when they asked for a brief
 * answer. A short question ("How do you spell it?") is fairly answered in a few words.
 */
function seeksHelp(prompt: PromptReading): boolean {
  return !prompt.asksBrief && (prompt.distress || (prompt.asksSteps && prompt.lastTurnWords > SHORT_QUESTION_WORDS));
}

/** Whether the reply asks a question that opens with a question word ("Which medicine is it?", "How old is she?"): it asks about the person's situation. */
function asksWh(vocab: Lexicon['vocab'], words: WordTable): boolean {
  for (const sent of words.sentences) {
    if (!sent.question) continue;
    let k = sent.firstToken;
    while (k < sent.endToken && vocab.flags[words.tokens[k]] & WORD_DISCOURSE) k++;
    if (k < sent.endToken && WH.has(vocab.word(words.tokens[k]))) return true;
  }
  return false;
}
const WH = new Set(['what', 'which', 'how', 'when', 'where', 'who', 'whose']);

/** The least weight of an empathy phrase that makes a blunt word about a death plain fact (a bare "sorry" is a softener, and weighs nothing here). */
const SYMPATHY_WEIGHT = 0.3;
/** The weight of a caring emoji as evidence of an emotional reaction (a lexicon's "support" weight). */
const CARING_EMOJI_WEIGHT = 0.3;
/** What a lone ironic cue costs on respect in a reply that acknowledges nothing: a faint sign, never a finding on its own. */
const LONE_CUE_COST = 0.12;
/** What a structural sarcasm cue costs on respect once it counts (the weight of the lexicon's sarcasm groups). */
const IRONY_WEIGHT = 0.35;
/** A one-word refusal. */
const BARE_REFUSALS = new Set(['no', 'nope', 'nah']);
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

