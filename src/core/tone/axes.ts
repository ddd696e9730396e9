/**
 * The tone axes and what an analysis reports on them: scores, the spans of evidence, and the
 * overall tone that weighs the axes together.
 */
import type { Mechanism, PhraseKind } from './lexicon';
import type { WordTable } from './words';

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

export const clamp = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);

/** A match over tokens [from, toInclusive], built in one literal (no spread: this runs per sentence). */
export function spanMatch(t: WordTable, from: number, toInclusive: number, axis: ToneAxis, kind: MatchKind, category: string, weight: number): ToneMatch {
  return { seg: t.sentences[t.sentence[from]].seg, start: t.start[from], end: t.end[toInclusive], axis, kind, category, weight };
}

/**
 * The overall tone: mostly the weighted mean of the axes, plus a weakest-link term so that one
 * severe problem (an insult, a wall of orders) pulls the whole response down. Empathy stays out
 * of the weakest link (plain informative answers carry no empathy markers and are not bad), and
 * readability enters it at half strength: a long sentence is not as bad as a put-down or a wall
 * of jargon. Readability counts in both only as far as the text is hard to read (see `readable`):
 * a kind answer in ordinary adult prose is not less kind than a short sarcastic reply for being
 * longer, so a short reply must not win on being easy to read. In the mean, the warmth axes
 * (empathy, politeness) count at most as much as respect (see WARMTH_AXES).
 */
export function overallTone(s: Record<ToneAxis, number>): number {
  const read = readable(s.simplicity);
  // Beyond that, ease of reading is worth only a trace: it tells apart two replies that are otherwise equal.
  const simplicity = (1 - EASE_SHARE) * read + EASE_SHARE * s.simplicity;
  let mean = 0;
  for (const axis of TONE_AXES) mean += AXIS_WEIGHTS[axis] * (axis === 'simplicity' ? simplicity : WARMTH_AXES[axis] && s[axis] > s.respect ? s.respect : s[axis]);
  const weakest = Math.min(s.politeness, s.nonPrescriptive, s.respect, s.plainLanguage, 0.5 + 0.5 * read);
  return clamp(0.7 * mean + 0.3 * weakest);
}

/**
 * The simplicity axis as the overall tone counts it: full at READABLE_SIMPLICITY and above, falling
 * in proportion below it to 0 for the hardest text. The axis itself grades every step from easy
 * (grade 6) to hard (grade 16) and ranks two texts by how easy they are; the overall tone asks
 * only whether the reader is put to work, and text up to about grade 11 (the axis at 0.5) is
 * ordinary adult prose that any reader of a health answer gets through.
 */
export function readable(simplicity: number): number {
  return simplicity >= READABLE_SIMPLICITY ? 1 : simplicity / READABLE_SIMPLICITY;
}

/** The simplicity score at and above which the overall tone counts a text as readable: grade 11 on the axis's scale. */
export const READABLE_SIMPLICITY = 0.5;
/** The share of the simplicity weight that the axis keeps as it is, so that the easier of two otherwise equal replies still scores higher. */
const EASE_SHARE = 0.02;

/**
 * The axes of surface warmth (thanks, softeners, sympathy words), which count in the overall tone
 * at most as much as respect: "Oh great, thank you SO much for sharing" is not made kind by its
 * thanks, and a detected put-down outweighs the courtesy around it. A reply with no put-down
 * (respect 1) is not affected.
 */
const WARMTH_AXES: Partial<Record<ToneAxis, true>> = { empathy: true, politeness: true };

/** The axis with the lowest score (ties go to the axis listed first). */
export function weakestAxis(scores: ToneScores): ToneAxis {
  let best: ToneAxis = TONE_AXES[0];
  for (const axis of TONE_AXES) if (scores[axis] < scores[best]) best = axis;
  return best;
}
