import { CuratorConfig } from '../config';
import { recordHoverInfo } from '../curation';
import { FormatId } from '../formats';
import { AXIS_LABELS, TONE_AXES } from '../tone/analyze';
import { ScoreView, SideName } from './messages';

/** Scores and counts shown under a response; each part is optional. */
export interface ColumnMetrics {
  tokens?: number;
  /** What the count means against the config (prompt + response vs maxLength). */
  tokensDetail?: string;
  tone?: ScoreView[];
}

/** Computes tone scores and token counts for both sides of a record. */
export type MetricsProvider = (value: unknown, format: FormatId) => Partial<Record<SideName, ColumnMetrics>> | undefined;

/**
 * Metrics from the curation rules' own analysis (the numbers the hover and the findings use):
 * exact token counts with the configured encoding, the overall tone and each tone axis.
 */
export function curationMetrics(config: CuratorConfig): MetricsProvider {
  return (value, format) => {
    const info = recordHoverInfo(value, format, config);
    if (!info) return undefined;
    const prompt = info.tokens.find((t) => t.role === 'prompt')?.tokens ?? 0;
    const out: Partial<Record<SideName, ColumnMetrics>> = {};
    for (const side of info.sides) {
      const tokens = info.tokens.find((t) => t.role === side.side)?.tokens;
      const total = prompt + (tokens ?? 0);
      const tone: ScoreView[] = [
        { name: AXIS_LABELS.tone, value: side.scores.tone, label: `Overall tone; weakest: ${side.weakestLabel}. ${side.words} words, reading grade ${Math.round(side.grade * 10) / 10}.` },
        ...TONE_AXES.map((axis) => ({ name: AXIS_LABELS[axis], value: side.scores[axis] })),
      ];
      out[side.side] = {
        tokens,
        tokensDetail: `${info.encoding}: prompt ${prompt} + response ${tokens ?? 0} = ${total} of maxLength ${info.maxLength}${total > info.maxLength ? ' (over)' : ''}`,
        tone,
      };
    }
    return out;
  };
}
