/**
 * Empathy in three mechanisms, after the EPITOME framework (Sharma et al., 2020): emotional
 * reactions, interpretations and explorations. Each lexicon match starts from its group's weight
 * (the strength of its usual form) and is graded by what surrounds it: an intensifier ("so
 * sorry"), words addressed to the reader, a feeling named in the same sentence (more when it is
 * the feeling the prompt expressed), words taken from the prompt, a place near the start (an
 * acknowledgement belongs before the advice) and how specific the sentence is. Matches of one
 * mechanism combine as 1 − Π(1 − wᵢ): each adds, none reaches 1 alone. Two sentence-level rules
 * find what phrase lists cannot: a question to the reader about their feelings is an
 * exploration, and a feeling named in a statement to the reader ("that guilt is getting in the
 * way of what you need") an interpretation.
 */
import { lexicon, Mechanism, MECHANISMS, WORD_AMBIGUOUS_FEELING, WORD_CONDITION, WORD_FRAME_LINK, WORD_INTENSIFIER, WORD_NEGATOR, WORD_SITUATIONAL, WORD_YOU } from './lexicon';
import { PromptReading, promptHasWord } from './prompt';
import { WordTable } from './words';

/** A feeling word found in a response: token range, family, intensity. */
export interface NamedFeeling {
  from: number;
  to: number;
  family: number;
  intensity: number;
}

/** One piece of empathy evidence before grading: token range, mechanism, base weight, category. */
export interface EmpathyEvidence {
  from: number;
  to: number;
  mechanism: Mechanism;
  weight: number;
  category: string;
}

export interface MechanismScores {
  reactions: number;
  interpretations: number;
  explorations: number;
}

export interface EmpathyResult extends MechanismScores {
  /** The graded strength of each piece of evidence, in order. */
  strengths: number[];
  /** Bit mask of the feeling families the response names (outside orders and negations). */
  named: number;
  /** Bit mask of the named families that the prompt expressed too. */
  echoed: number;
  /** Sentence-level evidence found by the two rules (added to the caller's list). */
  extra: EmpathyEvidence[];
}

/** Grading steps (see the module comment). */
const INTENSIFIED = 0.05;
const ADDRESSED = 0.04;
const NAMES_FEELING = 0.06;
const NAMES_ACUTE = 0.02;
const ECHOES_FAMILY = 0.05;
const ECHOES_WORDS = 0.03;
const EARLY = 0.02;
const SPECIFIC_PER_WORD = 0.01;
const SPECIFIC_MAX = 0.04;
const MAX_STRENGTH = 0.75;
/** Evidence this strong or stronger gets the full grading bonus; fainter evidence a share of it. */
const FULL_BONUS_WEIGHT = 0.3;
/** This many questions or more make a response a list of questions, whose explorations do not count: they are asked of someone else, or they gather facts. */
const LISTED_QUESTIONS = 3;
/** Weights of the two sentence-level rules. */
const QUESTION_EXPLORATION = 0.36;
const NAMED_INTERPRETATION = 0.25;

/** Words that put a feeling word in a feeling frame ("to feel judged", "feeling mortified", "being frightened"). */
const FEELING_FRAMES = new Set(['feel', 'feeling', 'feels', 'felt', 'being']);

/** Words that ask about the person's inner state in a question ("are you coping?"). */
const STATE_WORDS = new Set(['feel', 'feeling', 'feelings', 'coping', 'cope', 'holding', 'managing', 'doing', 'sleeping', 'finding', 'worrying', 'bearing']);

let rows = new Uint8Array(1024);
const NONE: EmpathyResult = Object.freeze({ reactions: 0, interpretations: 0, explorations: 0, strengths: [], named: 0, echoed: 0, extra: [] }) as EmpathyResult;

export function scoreEmpathy(t: WordTable, evidence: EmpathyEvidence[], feelings: readonly NamedFeeling[], imperative: (sentence: number) => boolean, prompt?: PromptReading): EmpathyResult {
  const lex = lexicon();
  const vocab = lex.vocab;
  const flags = vocab.flags;
  const sentenceCount = t.sentences.length;
  // Per sentence: addressed to the reader, the strongest feeling named there (as family, intensity), whether it carries evidence already.
  if (!evidence.length && !feelings.length && !t.sentences.some((x) => x.question)) return NONE;
  // Per-sentence facts, in one reused buffer (analyses never nest): seven rows of `sentenceCount` bytes; the word-level ones
  // (addressed, conditional, echoing the prompt) are read only for the sentences that need them.
  if (rows.length < 8 * sentenceCount) rows = new Uint8Array(Math.max(8 * sentenceCount, 2 * rows.length));
  rows.fill(0, 0, 8 * sentenceCount);
  const addressed = rows.subarray(0, sentenceCount);
  const namedFamily = rows.subarray(sentenceCount, 2 * sentenceCount);
  const namedIntensity = rows.subarray(2 * sentenceCount, 3 * sentenceCount);
  const hasEvidence = rows.subarray(3 * sentenceCount, 4 * sentenceCount);
  // A feeling named in a feeling frame ("to feel judged", "feeling mortified is ...", "being frightened of ...").
  const framedFeeling = rows.subarray(4 * sentenceCount, 5 * sentenceCount);
  const conditional = rows.subarray(5 * sentenceCount, 6 * sentenceCount);
  const echoesWords = rows.subarray(6 * sentenceCount, 7 * sentenceCount);
  // A feeling of the person named (not only a situation described as "exhausting"): what the sentence-level rules need.
  const namedPerson = rows.subarray(7 * sentenceCount, 8 * sentenceCount);
  const promptFresh = prompt && prompt.generation === vocab.generation ? prompt : undefined;
  // addressed[s]: 0 not read yet, 2 read and not addressed to the reader, 3 addressed.
  const readSentence = (s: number) => {
    if (addressed[s] & 2) return;
    addressed[s] = 2;
    const sent = t.sentences[s];
    for (let i = sent.firstToken; i < sent.endToken; i++) {
      const f = flags[t.tokens[i]];
      if (f & WORD_YOU) addressed[s] = 3;
      if (f & WORD_CONDITION) conditional[s] = 1;
      if (promptFresh && promptHasWord(promptFresh, t.tokens[i])) echoesWords[s] = 1;
    }
  };
  let named = 0;
  let echoed = 0;
  for (const feeling of feelings) {
    const s = t.sentence[feeling.from];
    if (!lex.families[feeling.family]?.distress) continue;
    // "don't worry", "no need to be scared", "Don't be scared." name a feeling to wave it away.
    const negated = feeling.from > 0 && t.sentence[feeling.from - 1] === s && negatorNear(t, feeling.from);
    if (negated || imperative(s)) continue;
    // "sit down", "low blood sugar": an ambiguous word names a feeling only after a linking word ("you must feel low", "so down").
    if (flags[t.tokens[feeling.from]] & WORD_AMBIGUOUS_FEELING && !(feeling.from > 0 && t.sentence[feeling.from - 1] === s && flags[t.tokens[feeling.from - 1]] & WORD_FRAME_LINK)) continue;
    named |= 1 << feeling.family;
    if (!(flags[t.tokens[feeling.from]] & WORD_SITUATIONAL)) namedPerson[s] = 1;
    if (feeling.from > 0 && t.sentence[feeling.from - 1] === s && FEELING_FRAMES.has(vocab.word(t.tokens[feeling.from - 1]))) framedFeeling[s] = 1;
    if (promptFresh && promptFresh.families & (1 << feeling.family)) echoed |= 1 << feeling.family;
    if (feeling.intensity > namedIntensity[s] || (promptFresh && promptFresh.families & (1 << feeling.family))) {
      namedFamily[s] = feeling.family;
      namedIntensity[s] = Math.max(namedIntensity[s], feeling.intensity);
    }
  }
  for (const e of evidence) hasEvidence[t.sentence[e.from]] = 1;

  // The sentence-level rules.
  const extra: EmpathyEvidence[] = [];
  for (let s = 0; s < sentenceCount; s++) {
    if (hasEvidence[s] || imperative(s)) continue;
    if (!t.sentences[s].question && !namedPerson[s]) continue;
    readSentence(s);
    if (addressed[s] !== 3 && !framedFeeling[s]) continue;
    const sent = t.sentences[s];
    if (sent.question && addressed[s] === 3) {
      let asksState = namedPerson[s] > 0;
      for (let k = sent.firstToken; k < sent.endToken && !asksState; k++) asksState = STATE_WORDS.has(vocab.word(t.tokens[k]));
      if (asksState) extra.push({ from: sent.firstToken, to: sent.endToken, mechanism: 'explorations', weight: QUESTION_EXPLORATION, category: 'exploration' });
    } else if (namedPerson[s] && !conditional[s] && !sent.question) {
      extra.push({ from: sent.firstToken, to: sent.endToken, mechanism: 'interpretations', weight: NAMED_INTERPRETATION, category: 'names-feeling' });
    }
  }

  const remaining: Record<Mechanism, number> = { reactions: 1, interpretations: 1, explorations: 1 };
  const strengths: number[] = [];
  // Categories already graded (few per response: a short list beats a Set).
  const seenCategory: string[] = [];
  const grade = (e: EmpathyEvidence, listed: boolean) => {
    const s = t.sentence[e.from];
    const sent = t.sentences[s];
    // Faint evidence in a sentence that names the feeling ("feeling torn is very common") interprets it.
    const base = e.weight < NAMED_INTERPRETATION && namedPerson[s] ? NAMED_INTERPRETATION : e.weight;
    let bonus = 0;
    let intensified = false;
    for (let k = Math.max(sent.firstToken, e.from - 1); k < e.to && !intensified; k++) intensified = (flags[t.tokens[k]] & WORD_INTENSIFIER) !== 0;
    if (intensified) bonus += INTENSIFIED;
    readSentence(s);
    if (addressed[s] === 3) bonus += ADDRESSED;
    if (namedFamily[s]) {
      bonus += NAMES_FEELING;
      if (namedIntensity[s] >= 3) bonus += NAMES_ACUTE;
      if (promptFresh && promptFresh.families & (1 << namedFamily[s])) bonus += ECHOES_FAMILY;
    }
    if (echoesWords[s]) bonus += ECHOES_WORDS;
    if (s < 2) bonus += EARLY;
    const extraWords = sent.endToken - sent.firstToken - (e.to - e.from);
    if (extraWords > 0) bonus += Math.min(SPECIFIC_MAX, SPECIFIC_PER_WORD * extraWords);
    // Faint evidence ("sadly") gains in proportion: grading tells strong forms apart, it does not make a faint one count.
    let w = Math.min(MAX_STRENGTH, base + bonus * Math.min(1, base / FULL_BONUS_WEIGHT));
    // A category said again ("I'm so sorry ... I'm sorry") adds a third of what it would alone.
    if (seenCategory.includes(e.category)) w /= 3;
    else seenCategory.push(e.category);
    if (listed && e.mechanism === 'explorations') w = 0;
    strengths.push(w);
    remaining[e.mechanism] *= 1 - w;
  };
  // A response made of questions ("Here are three: How have you been sleeping? ...") is a list written for someone else, not questions to the reader.
  let questions = 0;
  for (const sent of t.sentences) if (sent.question) questions++;
  const listed = questions >= LISTED_QUESTIONS;
  for (const e of evidence) grade(e, listed);
  for (const e of extra) grade(e, listed);
  return { reactions: 1 - remaining.reactions, interpretations: 1 - remaining.interpretations, explorations: 1 - remaining.explorations, strengths, named, echoed, extra };
}

/** The three mechanisms combined: each adds to the others, none reaches 1 alone. */
export function combineMechanisms(m: MechanismScores): number {
  let rest = 1;
  for (const k of MECHANISMS) rest *= 1 - m[k];
  return 1 - rest;
}

function negatorNear(t: WordTable, at: number): boolean {
  const vocab = lexicon().vocab;
  const s = t.sentence[at];
  for (let k = at - 1; k >= 0 && k >= at - 4 && t.sentence[k] === s; k--) {
    const w = vocab.word(t.tokens[k]);
    if (vocab.flags[t.tokens[k]] & WORD_NEGATOR || w === 'without') return true;
  }
  return false;
}
