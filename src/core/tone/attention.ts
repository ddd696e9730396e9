/**
 * Attention to the person: a general, graded and deliberately weak layer of empathy evidence,
 * read from any sentence that no listed phrase and no sentence rule of empathy.ts credited. It
 * exists to tell apart two replies that the real evidence ties (most often a plain answer and the
 * same answer with an acknowledgement in words no reading knows): a clause that neither instructs
 * nor informs but is about the reader ("You saw your son held down by four people and you drew a
 * line."), a question about their own experience, the speaker's stance towards them ("I hope you
 * get a proper night's sleep").
 *
 * It is small by construction: a clause adds at most SENTENCE_MAX to its mechanism, the three
 * mechanisms together at most ATTENTION_MAX (at most 0.048 of the empathy score), so it never
 * outweighs a listed or shaped piece of evidence (the faintest weighs 0.12, 0.096 of the score);
 * and the tone-empathy rule reads the score without it (analyze.ts `evidenced`), so it adds or
 * removes no warning by itself. Clauses combine as 1 − Π(1 − wᵢ), each weighted by its length (up
 * to FULL_WORDS tokens), so more acknowledgement scores a little more and adding a clause never
 * lowers the layer.
 */
import type { MechanismScores } from './empathy';
import { lexicon, WORD_AMBIGUOUS_FEELING, WORD_CONDITION, WORD_NEGATOR, WORD_RELATION, WORD_YOU } from './lexicon';
import { stampedWord } from './prompt';
import { FLAG_PAUSE_AFTER, FLAG_QUOTED, WordTable } from './words';

/** A sentence's weight: the base of a sentence about the reader, and what each sign of attention adds. */
const BASE = 0.012;
const FEELING = 0.012;
const ECHO = 0.006;
const STANCE = 0.008;
/** At most this much per clause, and for the three mechanisms together over the reply. */
export const SENTENCE_MAX = 0.03;
export const ATTENTION_MAX = 0.06;
/** This many questions or more make a list written for someone else (empathy.ts LISTED_QUESTIONS). */
const LISTED_QUESTIONS = 3;
/** A sentence this long (in tokens) or longer counts in full; a shorter one in proportion. */
const FULL_WORDS = 10;
/** Prompt words a sentence takes up to count as echoing what the person said. */
const ECHO_WORDS = 2;

/** Modal verbs and their kin: a clause with one advises, guesses or informs ("you could record", "it may help", "maybe try ...", "it's probably stress", "let yourself rest", "you're allowed to park there"). */
const MODALS = ['can', 'could', 'may', 'might', 'should', 'would', 'will', 'shall', 'must', 'need', 'needs', 'ought', 'cannot', 'maybe', 'perhaps', 'probably', 'let', 'lets', 'allowed', 'able'];
/** Before "to": an obligation, said or denied ("you have to", "you don't have to do it by phone"), is advice ("had to" tells what the person went through). */
const OBLIGED = ['have', 'has', 'got', 'supposed', 'going'];
/** Words before "you" in formulas that hand something over or thank ("here you go", "there you go", "thank you"): no sentence about the reader. */
const HANDING = ['thank', 'here', 'there', 'see'];
/** Words that generalise or inform: what people often do is information, not about the reader ("It's common", "is worth asking", "it's called"). */
const GENERAL = ['often', 'usually', 'commonly', 'typically', 'generally', 'tend', 'tends', 'sometimes', 'common', 'normally', 'worth', 'called', 'known', 'helps'];
/** A quantifier before a group ("many people", "most families", "lots of ...") generalises too. */
const QUANTIFIERS = ['many', 'most', 'some', 'lots', 'plenty', 'other', 'all', 'few'];
const GROUPS = ['people', 'families', 'folk', 'folks', 'carers', 'caregivers', 'parents', 'patients', 'of'];
/** Words that open a new clause after a pause ("..., and you ...", "...; it's you ..."). */
const CLAUSE_STARTS = ['and', 'but', 'so', 'yet', 'while', 'because', 'though', 'although', 'it', 'you', 'i', 'he', 'she', 'they', 'we', 'that', 'this', 'there', 'now', 'which', 'then'];
/** In a question, words that suggest, offer or check a step rather than ask about the person ("Have you tried ...?", "Would you like ...?", "Have you called the GP?"). */
const SUGGESTING = ['tried', 'try', 'considered', 'consider', 'thought', 'want', 'like', 'checked', 'asked', 'called', 'spoken', 'talked', 'contacted', 'seen'];
/** After "I": verbs of perceiving and feeling, the speaker's stance towards the reader ("I can only imagine", "I hear you", "I admire how you ..."), and the words that may come between. */
const STANCE_VERBS = ['imagine', 'hear', 'see', 'sense', 'feel', 'admire', 'respect', 'wish', 'hope', 'understand', 'know', 'get'];
const STANCE_BETWEEN = ['can', 'could', 'only', 'really', 'truly', 'just', 'do', 'so', 'completely', 'totally'];

const MODAL = 1;
const OBLIGING = 2;
const HANDS = 4;
const GENERALISES = 8;
const QUANTIFIER = 16;
const GROUP = 32;
const CLAUSE_START = 64;
const SUGGESTS = 128;
const STANCE_VERB = 256;
const BETWEEN = 512;

const JUDGES = 1024;
const HARDSHIP = 2048;

/**
 * The word classes above by word id (with the lexicon's judgements and words for hardship), and the
 * ids read by themselves. Built once over the lexicon's pinned ids, which never change; a listed
 * word outside the lexicons ("folks", "although") has an id that the vocabulary may drop and give
 * to another word, so it is looked up by its text (`late`).
 */
interface AttentionWords {
  classes: Uint16Array;
  late: ReadonlyMap<string, number>;
  you: number;
  yourself: number;
  to: number;
  i: number;
}
let words: AttentionWords | undefined;

function attentionWords(): AttentionWords {
  const lex = lexicon();
  const vocab = lex.vocab;
  if (words && words.classes.length === vocab.lexiconSize) return words;
  const classes = new Uint16Array(vocab.lexiconSize);
  const late = new Map<string, number>();
  const mark = (id: number, bit: number) => {
    if (id >= 0 && id < classes.length) classes[id] |= bit;
  };
  const lists = [[MODALS, MODAL], [OBLIGED, OBLIGING], [HANDING, HANDS], [GENERAL, GENERALISES], [QUANTIFIERS, QUANTIFIER], [GROUPS, GROUP], [CLAUSE_STARTS, CLAUSE_START], [SUGGESTING, SUGGESTS], [STANCE_VERBS, STANCE_VERB], [STANCE_BETWEEN, BETWEEN]] as const;
  for (const [list, bit] of lists) {
    for (const w of list) {
      const id = vocab.known(w);
      if (id >= 0 && id < classes.length) mark(id, bit);
      else late.set(w, (late.get(w) ?? 0) | bit);
    }
  }
  for (const id of lex.judgements.words) mark(id, JUDGES);
  for (const id of lex.judgements.own) mark(id, JUDGES);
  for (const id of lex.hardship) mark(id, HARDSHIP);
  return (words = { classes, late, you: vocab.known('you'), yourself: vocab.known('yourself'), to: vocab.known('to'), i: vocab.known('i') });
}

export interface AttentionInput {
  /** Sentences to leave out: credited by the real evidence, orders, mocking. */
  skip: (sentence: number) => boolean;
  /** Per token, 1 where a feeling word (any family) starts. */
  feeling: Uint8Array;
  /** The prompt's stamp when its reading is fresh, else 0. */
  stamp: number;
}

/** The layer's share per mechanism (each in [0, ATTENTION_MAX]). */
export function readAttention(t: WordTable, input: AttentionInput): MechanismScores {
  const vocab = lexicon().vocab;
  const flags = vocab.flags;
  const { classes: cls, late, you: youId, yourself: yourselfId, to: toId, i: iId } = attentionWords();
  // The late words' ids as they are now (every word of this text has one by now): a few numbers to compare, no text to look up.
  const lateIds: number[] = [];
  for (const [w, bits] of late) {
    const id = vocab.known(w);
    if (id >= 0) lateIds.push(id, bits);
  }
  const classOf = (id: number) => {
    if (id < cls.length) return cls[id];
    for (let j = 0; j < lateIds.length; j += 2) if (lateIds[j] === id) return lateIds[j + 1];
    return 0;
  };
  // Only a sentence with "you", "your" or a relative the person named can be about them.
  const stamp = input.stamp;
  const about = stamp ? WORD_YOU | WORD_RELATION : WORD_YOU;
  const shares = { reactions: 1, interpretations: 1, explorations: 1 };
  const c: Clause = { you: false, yours: false, relation: false, modal: false, general: false, hard: false, suggests: false, echoes: 0, stance: false, condition: false, negated: false, judged: false, quoted: 0 };
  // A response made of questions is a list written for someone else (as empathy.ts reads it): its questions are no attention.
  let questions = 0;
  for (const sent of t.sentences) if (sent.question) questions++;
  const listed = questions >= LISTED_QUESTIONS;
  for (let s = 0; s < t.sentences.length; s++) {
    if (input.skip(s)) continue;
    const sent = t.sentences[s];
    let probe = sent.firstToken;
    while (probe < sent.endToken && !(flags[t.tokens[probe]] & about)) probe++;
    if (probe === sent.endToken) continue;
    // A question is read whole; a statement clause by clause, so that advice in one clause ("..., and a few tricks can make it possible") does not hide what another says of the reader.
    let from = sent.firstToken;
    clear(c);
    let w = 0;
    for (let k = sent.firstToken; k < sent.endToken; k++) {
      const id = t.tokens[k];
      const f = flags[id];
      const classBefore = w;
      w = classOf(id);
      if (t.flags[k] & FLAG_QUOTED) c.quoted++;
      // "you" itself, not only "your" (a third party of theirs: "your coworker has a real gift with words"), nor "thank you", "here you go".
      if (f & WORD_YOU) {
        if (id === yourselfId) c.you = true;
        else if (id !== youId) c.yours = true;
        else if (!(classBefore & HANDS)) c.you = true;
      }
      if (f & WORD_CONDITION) c.condition = true;
      if (f & WORD_NEGATOR) c.negated = true;
      if (w & JUDGES) c.judged = true;
      if (input.feeling[k] || f & WORD_AMBIGUOUS_FEELING || w & HARDSHIP) c.hard = true;
      if (stamp && stampedWord(stamp, id)) {
        c.echoes++;
        if (f & WORD_RELATION) c.relation = true;
      }
      if (w & GENERALISES || (w & GROUP && classBefore & QUANTIFIER)) c.general = true;
      if (w & MODAL || (id === toId && classBefore & OBLIGING && !(k > sent.firstToken + 1 && t.tokens[k - 2] === toId))) c.modal = true;
      else if (w & SUGGESTS) c.suggests = true;
      // "I can only imagine ... you", "I hear you": the speaker's perception or feeling, with the reader in the clause.
      if (id === iId) {
        let j = k + 1;
        while (j < sent.endToken && j < k + 4 && classOf(t.tokens[j]) & BETWEEN) j++;
        if (j < sent.endToken && classOf(t.tokens[j]) & STANCE_VERB) c.stance = true;
      }
      const last = k + 1 === sent.endToken;
      if (sent.question ? !last : !last && !(t.flags[k] & FLAG_PAUSE_AFTER && classOf(t.tokens[k + 1]) & CLAUSE_START)) continue;
      const words = k + 1 - from;
      const share = Math.min(1, words / FULL_WORDS);
      // Quoted words are a script or a mention, not said to the reader.
      if (c.quoted * 2 <= words) {
        if (sent.question) {
          // "When did you last have a day where the phone didn't make your heart drop?": a question about the reader's own experience.
          if (!listed && c.you && !c.modal && !c.suggests) add(shares, 'explorations', weigh(c, false) * share);
        } else if (!c.condition && !c.modal && !c.general && !(c.judged && !c.negated) && (c.you || ((c.yours || c.relation) && c.hard))) {
          // A statement about the reader, or about the person's own in the prompt with a word of feeling or hardship, that neither advises, nor generalises, nor states a case,
          // nor judges them ("You were wrong to stop the tablets"; a judgement denied is an answer to one: "it isn't being a nuisance").
          const stance = c.stance && c.you;
          add(shares, stance ? 'reactions' : 'interpretations', weigh(c, stance) * share);
        }
      }
      from = k + 1;
      clear(c);
    }
  }
  // The three together stay within ATTENTION_MAX (as 1 − Π(1 − m) combines them): scaled down in proportion when more.
  const total = 1 - shares.reactions * shares.interpretations * shares.explorations;
  const scale = total > ATTENTION_MAX ? ATTENTION_MAX / total : 1;
  return { reactions: scale * (1 - shares.reactions), interpretations: scale * (1 - shares.interpretations), explorations: scale * (1 - shares.explorations) };
}

/** What a clause holds, read word by word. */
interface Clause {
  you: boolean;
  yours: boolean;
  relation: boolean;
  modal: boolean;
  general: boolean;
  hard: boolean;
  suggests: boolean;
  echoes: number;
  stance: boolean;
  condition: boolean;
  negated: boolean;
  judged: boolean;
  quoted: number;
}

function clear(c: Clause): void {
  c.you = c.yours = c.relation = c.modal = c.general = c.hard = c.suggests = c.stance = c.condition = c.negated = c.judged = false;
  c.echoes = c.quoted = 0;
}

/** A clause's weight before its length share: the base, a word of feeling or hardship, the person's words taken up, the speaker's stance. */
function weigh(c: Clause, stance: boolean): number {
  return Math.min(SENTENCE_MAX, BASE + (c.hard ? FEELING : 0) + (c.echoes >= ECHO_WORDS ? ECHO : 0) + (stance ? STANCE : 0));
}

/** Adds a clause's weight to its mechanism's share (kept as the product of what is left, 1 − Π(1 − wᵢ)). */
function add(shares: MechanismScores, mechanism: keyof MechanismScores, w: number): void {
  shares[mechanism] *= 1 - w;
}

