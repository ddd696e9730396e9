import { CuratorConfig } from '../config';
import { FormatId, FORMAT_LABELS } from '../formats';
import { formatPath, Turn } from '../parts';
import { AXIS_LABELS, EmpathyMechanisms, familyIds, TONE_AXES, ToneAxis, ToneScores, weakestAxis } from '../tone/analyze';
import { tokenizer } from '../tokens/tokenizer';
import { formatNumber } from './meta';
import { analyzeRecord, joinTurns, Side } from './recordAnalysis';

export interface FieldTokens {
  /** `prompt`, `chosen`, `rejected` (or the format's own names: `input.messages`, `preferred_output`). */
  field: string;
  role: 'prompt' | Side;
  tokens: number;
}

export interface SideHover {
  side: Side;
  scores: ToneScores;
  weakest: ToneAxis;
  /** The weakest axis as a reader says it ("plain language"). */
  weakestLabel: string;
  words: number;
  /** Flesch–Kincaid grade. */
  grade: number;
  /** The empathy score in its three EPITOME mechanisms, and the feelings the response names. */
  empathy: EmpathyMechanisms;
}

/** What a hover on a record shows: token counts per field and tone per side. */
export interface RecordHoverInfo {
  format: FormatId;
  encoding: CuratorConfig['encoding'];
  maxLength: number;
  tokens: FieldTokens[];
  sides: SideHover[];
  /** Feeling families the prompt expresses (ids of emotions.json), and whether that is distress. */
  promptFeelings: string[];
  distress: boolean;
}

function fieldName(turns: readonly Turn[], fallback: string): string {
  const path = turns[0]?.path;
  if (!path) return fallback;
  // Messages live at e.g. ["input", "messages", 0, "content"]: name the list, not the message.
  const end = path.findIndex((seg) => typeof seg === 'number');
  return formatPath(end > 0 ? path.slice(0, end) : path.slice(0, 1));
}

/**
 * Hover information for one parsed record (exact token counts with the configured encoding,
 * tone scores with the weakest axis). Undefined when the format cannot be read.
 */
export function recordHoverInfo(value: unknown, format: FormatId | undefined, config: CuratorConfig): RecordHoverInfo | undefined {
  if (!format) return undefined;
  const a = analyzeRecord(value, format, config);
  if (!a) return undefined;
  const tok = tokenizer(config.encoding);
  const tokens: FieldTokens[] = [];
  if (a.parts.context.length) tokens.push({ field: format === 'hh-rlhf' || format === 'trl-implicit' ? 'prompt (shared beginning)' : fieldName(a.parts.context, 'prompt'), role: 'prompt', tokens: tok.count(a.promptText) });
  const sides = a.rejected ? [a.chosen, a.rejected] : [a.chosen];
  for (const s of sides) tokens.push({ field: fieldName(s.turns, s.side), role: s.side, tokens: tok.count(joinTurns(s.turns)) });
  return {
    format,
    encoding: config.encoding,
    maxLength: config.maxLength,
    tokens,
    sides: sides.map((s) => {
      const weakest = weakestAxis(s.tone.scores);
      return { side: s.side, scores: s.tone.scores, weakest, weakestLabel: AXIS_LABELS[weakest], words: s.tone.words, grade: s.tone.grade, empathy: s.tone.empathy };
    }),
    promptFeelings: familyIds(a.prompt.families),
    distress: a.distress,
  };
}

/** A mechanism score as a reader says it: none, weak or strong (EPITOME's three levels). */
export function mechanismLevel(score: number): 'none' | 'weak' | 'strong' {
  return score < 0.05 ? 'none' : score < STRONG_MECHANISM ? 'weak' : 'strong';
}
/** A mechanism at or above this score shows a strong form (a specific, addressed acknowledgement rather than a bare "I understand"). */
const STRONG_MECHANISM = 0.45;

/** The attention layer's share of the empathy score from which the hover names it (below, it rounds to nothing). */
const ATTENTION_SHOWN = 0.005;

const MECHANISM_LABELS = { reactions: 'emotional reactions', interpretations: 'interpretations', explorations: 'explorations' } as const;

/** One line on a side's empathy: each mechanism's level, and the feelings it names (and whether they are the prompt's). */
export function empathyLine(side: SideHover): string {
  const parts = (Object.keys(MECHANISM_LABELS) as (keyof typeof MECHANISM_LABELS)[]).map((k) => `${MECHANISM_LABELS[k]} ${mechanismLevel(side.empathy[k])} (${formatNumber(side.empathy[k])})`);
  const names = side.empathy.names.length ? `; names ${side.empathy.names.map((n) => (side.empathy.echoes.includes(n) ? `${n} (as the prompt does)` : n)).join(', ')}` : '';
  // The weak reading of attention to the person is inside the mechanisms; said apart, so a reader sees how little of the score it is.
  const attention = side.empathy.attention >= ATTENTION_SHOWN ? `; of the score, ${formatNumber(side.empathy.attention)} from attention to the person (breaks ties only)` : '';
  return `Empathy in ${side.side}: ${parts.join(', ')}${names}${attention}.`;
}

/** The hover as Markdown (a table per side), for editors that show Markdown hovers. */
export function hoverMarkdown(info: RecordHoverInfo): string {
  const lines: string[] = [];
  const prompt = info.tokens.find((t) => t.role === 'prompt')?.tokens ?? 0;
  lines.push(`**Dialogue Curator** — ${FORMAT_LABELS[info.format]}`, '');
  lines.push(`Tokens (${info.encoding}, maxLength ${info.maxLength}):`, '');
  for (const t of info.tokens) {
    const total = t.role === 'prompt' ? '' : ` (prompt + response ${prompt + t.tokens}${prompt + t.tokens > info.maxLength ? ', over maxLength' : ''})`;
    lines.push(`- \`${t.field}\`: ${t.tokens}${total}`);
  }
  lines.push('');
  const header = `| | ${info.sides.map((s) => s.side).join(' | ')} |`;
  lines.push(header, `|---|${info.sides.map(() => '---:').join('|')}|`);
  for (const axis of ['tone', ...TONE_AXES] as const) {
    const label = axis === 'tone' ? '**tone**' : AXIS_LABELS[axis];
    lines.push(`| ${label} | ${info.sides.map((s) => (axis === 'tone' ? `**${formatNumber(s.scores.tone)}**` : formatNumber(s.scores[axis]))).join(' | ')} |`);
  }
  lines.push('');
  for (const s of info.sides) lines.push(`Weakest in ${s.side}: **${s.weakestLabel}** (${formatNumber(s.scores[s.weakest])}); ${s.words} words, reading grade ${formatNumber(s.grade)}.`, '');
  if (info.promptFeelings.length) lines.push(`The prompt expresses ${info.promptFeelings.join(', ')}${info.distress ? ' (distress: an acknowledgement is expected)' : ''}.`, '');
  for (const s of info.sides) lines.push(empathyLine(s), '');
  return lines.join('\n').trimEnd();
}
