/** The dataset formats Dialogue Curator knows, how to recognise them and how to read them. */
export type FormatId = 'trl-standard' | 'trl-conversational' | 'trl-implicit' | 'openai-preference' | 'hh-rlhf' | 'chat-messages';

export const FORMAT_IDS: readonly FormatId[] = ['trl-standard', 'trl-conversational', 'trl-implicit', 'openai-preference', 'hh-rlhf', 'chat-messages'];

export const FORMAT_LABELS: Record<FormatId, string> = {
  'trl-standard': 'TRL preference (standard)',
  'trl-conversational': 'TRL preference (conversational)',
  'trl-implicit': 'TRL preference (implicit prompt)',
  'openai-preference': 'OpenAI preference',
  'hh-rlhf': 'Anthropic HH-RLHF',
  'chat-messages': 'Chat messages',
};

export function isFormatId(value: unknown): value is FormatId {
  return typeof value === 'string' && (FORMAT_IDS as readonly string[]).includes(value);
}

/** True for formats whose records are preference pairs (everything but plain chat records). */
export function isPreferenceFormat(format: FormatId | undefined): boolean {
  return format !== undefined && format !== 'chat-messages';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HH_MARKER = /(^|\n\n)Human:/;

/** The format one record looks like, from its keys and value shapes (not from validity). */
export function classifyRecord(value: unknown): FormatId | undefined {
  if (!isObject(value)) return undefined;
  if ('preferred_output' in value || 'non_preferred_output' in value || ('input' in value && isObject(value.input) && 'messages' in value.input)) {
    return 'openai-preference';
  }
  const hasPair = 'chosen' in value || 'rejected' in value;
  if (!hasPair) return 'messages' in value ? 'chat-messages' : undefined;
  if ('prompt' in value) return Array.isArray(value.prompt) ? 'trl-conversational' : 'trl-standard';
  const sample = typeof value.chosen === 'string' ? value.chosen : typeof value.rejected === 'string' ? value.rejected : undefined;
  if (sample !== undefined && HH_MARKER.test(sample)) return 'hh-rlhf';
  return 'trl-implicit';
}

/**
 * Detects a file's format by majority over the records seen (callers pass a sample, e.g. the
 * first 200 records). `undefined` when no record looks like any known format.
 */
export class FormatVote {
  private counts = new Map<FormatId, number>();
  private total = 0;

  add(value: unknown): void {
    const f = classifyRecord(value);
    if (!f) return;
    this.total++;
    this.counts.set(f, (this.counts.get(f) ?? 0) + 1);
  }

  remove(value: unknown): void {
    const f = classifyRecord(value);
    if (!f) return;
    const c = this.counts.get(f) ?? 0;
    if (c <= 0) return;
    this.total--;
    if (c === 1) this.counts.delete(f);
    else this.counts.set(f, c - 1);
  }

  get winner(): FormatId | undefined {
    let best: FormatId | undefined;
    let bestCount = 0;
    for (const id of FORMAT_IDS) {
      const c = this.counts.get(id) ?? 0;
      if (c > bestCount) {
        best = id;
        bestCount = c;
      }
    }
    return best;
  }

  get votes(): number {
    return this.total;
  }
}

export function detectFormat(values: Iterable<unknown>): FormatId | undefined {
  const vote = new FormatVote();
  for (const v of values) vote.add(v);
  return vote.winner;
}
