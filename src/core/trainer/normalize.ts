/**
 * Turns a preference dataset in any supported layout into explicit prompt/chosen/rejected pairs
 * for a training backend: TRL standard, TRL conversational, implicit prompt (TRL), OpenAI
 * preference and Anthropic HH-RLHF. Conversational layouts stay conversational so a chat model's
 * template can be applied by TRL; `pairToText` renders them for a byte-level model.
 */

export interface ChatMessage {
  role: string;
  content: string;
}

export type PreferenceLayout = 'standard' | 'conversational' | 'implicit' | 'openai' | 'hh-rlhf';

export interface NormalizedPair {
  prompt: string | ChatMessage[];
  chosen: string | ChatMessage[];
  rejected: string | ChatMessage[];
}

export interface LineError {
  /** 1-based line number in the uploaded file. */
  line: number;
  message: string;
}

export interface NormalizeResult {
  layout: PreferenceLayout | null;
  pairs: NormalizedPair[];
  errors: LineError[];
}

const MAX_ERRORS = 50;

export function normalizePreferenceJsonl(text: string): NormalizeResult {
  const result: NormalizeResult = { layout: null, pairs: [], errors: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && result.errors.length < MAX_ERRORS; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      result.errors.push({ line, message: `not valid JSON (${(err as Error).message})` });
      continue;
    }
    try {
      const { layout, pair } = normalizeRecord(value);
      if (result.layout === null) result.layout = layout;
      else if (layout !== result.layout) {
        throw new Error(`${article(layout)} ${layout} record in a file whose first record is ${result.layout}`);
      }
      result.pairs.push(pair);
    } catch (err) {
      result.errors.push({ line, message: (err as Error).message });
    }
  }
  if (result.errors.length === 0 && result.pairs.length === 0) {
    result.errors.push({ line: 1, message: 'the file contains no records' });
  }
  return result;
}

function article(word: string): string {
  return /^[aeiouh]/i.test(word) && !word.startsWith('hh') ? 'an' : 'a';
}

export function normalizeRecord(value: unknown): { layout: PreferenceLayout; pair: NormalizedPair } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('expected a JSON object per line');
  }
  const o = value as Record<string, unknown>;
  if ('input' in o || 'preferred_output' in o || 'non_preferred_output' in o) return fromOpenAi(o);
  if (!('chosen' in o) || !('rejected' in o)) {
    throw new Error('missing "chosen" and "rejected" (expected TRL, OpenAI preference or HH-RLHF fields)');
  }
  const { chosen, rejected } = o;
  if ('prompt' in o && o.prompt !== undefined) {
    const { prompt } = o;
    if (typeof prompt === 'string') {
      return {
        layout: 'standard',
        pair: { prompt, chosen: textField(chosen, 'chosen'), rejected: textField(rejected, 'rejected') },
      };
    }
    return {
      layout: 'conversational',
      pair: {
        prompt: messages(prompt, 'prompt'),
        chosen: completion(chosen, 'chosen'),
        rejected: completion(rejected, 'rejected'),
      },
    };
  }
  if (typeof chosen === 'string' && typeof rejected === 'string') {
    const hh = chosen.startsWith('\n\nHuman:') || chosen.startsWith('Human:');
    const pair = splitImplicitText(chosen, rejected, hh);
    return { layout: hh ? 'hh-rlhf' : 'implicit', pair };
  }
  return { layout: 'implicit', pair: splitImplicitMessages(messages(chosen, 'chosen'), messages(rejected, 'rejected')) };
}

function fromOpenAi(o: Record<string, unknown>): { layout: PreferenceLayout; pair: NormalizedPair } {
  const input = o.input;
  if (typeof input !== 'object' || input === null || !('messages' in input)) {
    throw new Error('"input" must be an object with "messages"');
  }
  return {
    layout: 'openai',
    pair: {
      prompt: messages((input as { messages: unknown }).messages, 'input.messages'),
      chosen: completion(o.preferred_output, 'preferred_output'),
      rejected: completion(o.non_preferred_output, 'non_preferred_output'),
    },
  };
}

function textField(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new Error(`"${name}" must be a string when "prompt" is a string`);
  if (v.trim() === '') throw new Error(`"${name}" is empty`);
  return v;
}

function completion(v: unknown, name: string): ChatMessage[] {
  const msgs = messages(v, name);
  if (!msgs.some((m) => m.role === 'assistant')) throw new Error(`"${name}" has no assistant message`);
  return msgs;
}

function messages(v: unknown, name: string): ChatMessage[] {
  if (!Array.isArray(v) || v.length === 0) throw new Error(`"${name}" must be a non-empty array of messages`);
  return v.map((m, i) => {
    if (typeof m !== 'object' || m === null) throw new Error(`"${name}[${i}]" must be a message object`);
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || role === '') throw new Error(`"${name}[${i}].role" must be a string`);
    return { role, content: contentText(content, `${name}[${i}].content`) };
  });
}

/** Message content is a string or an array of parts of which the text parts count. */
function contentText(v: unknown, name: string): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const texts = v.map((part) =>
      typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    );
    return texts.join('');
  }
  throw new Error(`"${name}" must be a string or an array of text parts`);
}

function splitImplicitText(chosen: string, rejected: string, hh: boolean): NormalizedPair {
  let n = 0;
  const max = Math.min(chosen.length, rejected.length);
  while (n < max && chosen[n] === rejected[n]) n++;
  if (n === chosen.length && n === rejected.length) throw new Error('"chosen" and "rejected" are identical');
  let cut: number;
  if (hh) {
    const marker = '\n\nAssistant:';
    const at = chosen.lastIndexOf(marker, n - marker.length);
    if (at < 0) throw new Error('HH-RLHF record without a shared "Assistant:" turn before the answers');
    cut = at + marker.length;
  } else {
    // Do not split a word both answers happen to start with.
    cut = n;
    while (cut > 0 && !/\s/.test(chosen[cut - 1])) cut--;
  }
  if (cut === 0) throw new Error('no shared prompt: "chosen" and "rejected" have no common beginning');
  return { prompt: chosen.slice(0, cut), chosen: chosen.slice(cut), rejected: rejected.slice(cut) };
}

function splitImplicitMessages(chosen: ChatMessage[], rejected: ChatMessage[]): NormalizedPair {
  let n = 0;
  while (
    n < Math.min(chosen.length, rejected.length) &&
    chosen[n].role === rejected[n].role &&
    chosen[n].content === rejected[n].content
  ) {
    n++;
  }
  if (n === 0) throw new Error('no shared prompt: "chosen" and "rejected" start with different messages');
  if (n === chosen.length || n === rejected.length) {
    throw new Error('"chosen" and "rejected" do not differ after the shared messages');
  }
  return { prompt: chosen.slice(0, n), chosen: chosen.slice(n), rejected: rejected.slice(n) };
}

function renderMessages(msgs: ChatMessage[]): string {
  return msgs.map((m) => `${m.role}: ${m.content}\n`).join('');
}

/** Plain text for a model without a chat template (the tiny byte-level backend). */
export function pairToText(pair: NormalizedPair): { prompt: string; chosen: string; rejected: string } {
  if (typeof pair.prompt === 'string') {
    return { prompt: pair.prompt, chosen: String(pair.chosen), rejected: String(pair.rejected) };
  }
  const completionText = (c: string | ChatMessage[]) =>
    typeof c === 'string' ? c : c.map((m) => m.content).join('\n');
  return {
    prompt: `${renderMessages(pair.prompt)}assistant: `,
    chosen: completionText(pair.chosen),
    rejected: completionText(pair.rejected),
  };
}
