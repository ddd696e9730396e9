import { CuratorConfig } from '../config';
import type { RecordInput, RecordRule, RuleContext } from '../engine';
import { Finding } from '../findings';
import { FormatId } from '../formats';
import { extractParts, PreferenceParts, Turn } from '../parts';
import { analyzeTone, ToneAnalysis } from '../tone/analyze';
import { guessEnglish, LanguageGuess } from '../tone/language';
import { promptSuffix, ReadPart, responsePrefix } from '../tone/limits';
import { PromptReading, readPrompt } from '../tone/prompt';

export type Side = 'chosen' | 'rejected';

export interface SideAnalysis {
  side: Side;
  turns: Turn[];
  /** The response turns joined as the trainer sees them. */
  text: string;
  tone: ToneAnalysis;
  /** Set when the response is longer than the tone analysis reads (TONE_MAX_CHARS): the part it judged. */
  toneRead?: ReadPart;
  /**
   * Whether the response is English (the tone rules' language). Guessed at once: the guess costs
   * one comparison for nearly every response, and an object literal with a lazy getter cost more
   * to create than that (V8 builds accessor literals in the runtime).
   */
  readonly language: LanguageGuess;
}

/** Everything the record rules share about one record, computed once. */
export interface RecordAnalysis {
  parts: PreferenceParts;
  /** The prompt (context turns) joined. */
  promptText: string;
  chosen: SideAnalysis;
  /** Undefined for formats without a rejected side (chat messages). */
  rejected?: SideAnalysis;
  /** What the user turns of the prompt express (feelings, distress, the last turn's length). */
  prompt: PromptReading;
  /** Set when the user turns are longer than the tone analysis reads: the part it read (`turn` indexes `promptTurns`). */
  promptRead?: ReadPart;
  /** The user turns of the prompt. */
  promptTurns: Turn[];
  /** The prompt shows distress, so acknowledging feelings is expected. */
  distress: boolean;
}

/**
 * Whether a record's two sides can be compared on tone: two different, non-blank English
 * responses (the tone rules read English; identical sides cannot differ). The pairs `stats`
 * counts and the tone note's pairs (RecordFacts.tg) are the same pairs.
 */
export function toneComparable(a: RecordAnalysis): a is RecordAnalysis & { rejected: SideAnalysis } {
  const c = a.chosen;
  const r = a.rejected;
  return r !== undefined && c.text !== r.text && c.text.trim() !== '' && r.text.trim() !== '' && c.language.english && r.language.english;
}

export function joinTurns(turns: readonly Turn[]): string {
  if (turns.length === 1) return turns[0].content;
  return turns.map((t) => t.content).join('\n\n');
}

function side(name: Side, turns: Turn[], allow: readonly string[], prompt: PromptReading): SideAnalysis {
  const text = joinTurns(turns);
  // A response of megabytes is judged on its beginning: the analysis holds memory in proportion to what it reads.
  const { segments, read } = responsePrefix(turns.map((t) => t.content));
  const tone = analyzeTone(segments, allow, prompt);
  return { side: name, turns, text, tone, toneRead: read, language: guessEnglish(text, tone.language) };
}

/**
 * Analyses a parsed record. Pure; `analysisFor` remembers the last one so the several record
 * rules that run on one record share a single analysis.
 */
export function analyzeRecord(value: unknown, format: FormatId | undefined, config: Pick<CuratorConfig, 'allow'>): RecordAnalysis | undefined {
  const parts = extractParts(format, value);
  if (!parts) return undefined;
  const hasRejected = format !== 'chat-messages';
  // The user turns are read first (they are short): the responses are scored against what the person said and felt.
  const promptTurns = parts.context.filter((t) => t.role === 'user');
  const { segments, read } = promptSuffix(promptTurns.map((t) => t.content));
  const prompt = readPrompt(segments);
  return {
    parts,
    promptText: joinTurns(parts.context),
    chosen: side('chosen', parts.chosen, config.allow, prompt),
    rejected: hasRejected ? side('rejected', parts.rejected, config.allow, prompt) : undefined,
    prompt,
    promptRead: read,
    promptTurns,
    distress: prompt.distress,
  };
}

/**
 * The record rules run one after the other on the same record, so remembering the last analysis
 * is enough for them to share it. Only one is kept: a memo per parsed value (a WeakMap) kept every
 * analysis alive as long as an editor model held the parsed records, and its ephemeron entries
 * slowed every garbage collection on big files.
 */
class LastAnalysis {
  private value: object | undefined;
  private format: FormatId | undefined;
  private config: object | undefined;
  private analysis: RecordAnalysis | undefined;

  get(value: Record<string, unknown>, format: FormatId | undefined, config: CuratorConfig): RecordAnalysis | undefined {
    if (this.value !== value || this.format !== format || this.config !== config) {
      // Dropped first, so a throwing analysis never leaves a stale entry behind.
      this.value = undefined;
      this.analysis = analyzeRecord(value, format, config);
      this.value = value;
      this.format = format;
      this.config = config;
    }
    return this.analysis;
  }
}

const last = new LastAnalysis();

export function analysisFor(value: Record<string, unknown>, format: FormatId | undefined, config: CuratorConfig): RecordAnalysis | undefined {
  return last.get(value, format, config);
}

/** A record rule that works on the shared analysis (records no format can read are skipped). */
export function analysisRule(id: string, check: (a: RecordAnalysis, record: RecordInput, ctx: RuleContext, out: Finding[]) => void): RecordRule {
  return {
    id,
    check(record, ctx) {
      const a = analysisFor(record.value, record.format, ctx.config);
      if (!a) return [];
      const out: Finding[] = [];
      check(a, record, ctx, out);
      return out;
    },
  };
}
