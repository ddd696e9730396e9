import { FormatId } from './formats';

export type JsonPath = (string | number)[];

/** One turn of a dialogue, with where its text lives in the record. */
export interface Turn {
  role: string;
  content: string;
  /** Path of the JSON string that holds the text. */
  path: JsonPath;
  /** Offset of `content` inside that decoded string (non-zero for HH transcripts). */
  offset: number;
}

/** The parts a preference pair is compared and judged by, whatever the format. */
export interface PreferenceParts {
  /** The prompt or conversation before the responses (for implicit formats: the shared beginning). */
  context: Turn[];
  chosen: Turn[];
  rejected: Turn[];
  /**
   * True when a message of the record was left out for being malformed where the schemas require
   * text or content parts (not an object, or no `content` string or list: a `text` key instead,
   * `content: null`): the turns then have a gap, and their order is not the conversation's.
   */
  malformed?: true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Text of a message's content: a string, or the text parts of a content list. */
export function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const texts = content.filter(isObject).map((p) => (typeof p.text === 'string' ? p.text : '')).filter((t) => t);
    return texts.join('\n');
  }
  return undefined;
}

/** The turns of a message list; a malformed message (see PreferenceParts.malformed) is left out and noted in `seen`. */
function messageTurns(list: unknown, base: JsonPath, seen: { malformed: boolean }): Turn[] {
  if (!Array.isArray(list)) return [];
  const turns: Turn[] = [];
  list.forEach((m, i) => {
    if (!isObject(m)) {
      seen.malformed = true;
      return;
    }
    const role = typeof m.role === 'string' ? m.role : 'unknown';
    if (typeof m.content === 'string') turns.push({ role, content: m.content, path: [...base, i, 'content'], offset: 0 });
    else if (Array.isArray(m.content)) {
      m.content.forEach((part, j) => {
        if (isObject(part) && typeof part.text === 'string') turns.push({ role, content: part.text, path: [...base, i, 'content', j, 'text'], offset: 0 });
      });
    } else seen.malformed = true;
  });
  return turns;
}

const HH_TURN = /\n\n(Human|Assistant):/g;

/** Splits an HH-RLHF transcript into turns, keeping offsets into the string. */
export function splitTranscript(text: string, path: JsonPath): Turn[] {
  const marks: { role: string; at: number; textStart: number }[] = [];
  const lead = /^(Human|Assistant):/.exec(text);
  if (lead) marks.push({ role: lead[1], at: 0, textStart: lead[0].length });
  HH_TURN.lastIndex = 0;
  for (let m = HH_TURN.exec(text); m; m = HH_TURN.exec(text)) marks.push({ role: m[1], at: m.index, textStart: m.index + m[0].length });
  const turns: Turn[] = [];
  if (marks.length === 0) return text ? [{ role: 'assistant', content: text, path, offset: 0 }] : [];
  marks.forEach((mark, k) => {
    const end = k + 1 < marks.length ? marks[k + 1].at : text.length;
    let start = mark.textStart;
    if (text[start] === ' ') start++;
    turns.push({ role: mark.role === 'Human' ? 'user' : 'assistant', content: text.slice(start, end), path, offset: start });
  });
  return turns;
}

/** True when a text prompt is an HH-style transcript ("Human: …\n\nAssistant: …"). */
export function isTranscript(text: string): boolean {
  return HH_PROMPT.test(text);
}

const HH_PROMPT = /^\s*Human:/;

/**
 * The turns of a text prompt: one user turn, or the turns of an HH-style transcript (a dialogue
 * converted to prompt/chosen/rejected keeps its earlier turns in the prompt, ending with the
 * "Assistant:" cue, which is no turn of its own). Read this way the prompt is judged as the same
 * dialogue is in a format with messages: only the user's turns are the user's words.
 */
function promptTurns(prompt: string): Turn[] {
  if (!isTranscript(prompt)) return [{ role: 'user', content: prompt, path: ['prompt'], offset: 0 }];
  const lead = prompt.length - prompt.trimStart().length;
  const turns = splitTranscript(prompt.slice(lead), ['prompt']).map((t) => ({ ...t, offset: t.offset + lead }));
  const last = turns[turns.length - 1];
  if (last && last.role === 'assistant' && last.content.trim() === '') turns.pop();
  return turns;
}

function sameTurn(a: Turn, b: Turn): boolean {
  return a.role === b.role && a.content === b.content;
}

/** Splits two full dialogues into their shared beginning and the differing rest. */
function splitShared(chosen: Turn[], rejected: Turn[]): PreferenceParts {
  let k = 0;
  while (k < chosen.length - 1 && k < rejected.length - 1 && sameTurn(chosen[k], rejected[k])) k++;
  return { context: chosen.slice(0, k), chosen: chosen.slice(k), rejected: rejected.slice(k) };
}

/** Splits two plain strings at their shared prefix (implicit-prompt standard records). */
function splitSharedText(chosen: string, rejected: string): PreferenceParts {
  let k = 0;
  const max = Math.min(chosen.length, rejected.length);
  while (k < max && chosen[k] === rejected[k]) k++;
  if (k === max) {
    // One text is the start of the other (or they are the same): the shared part runs into the
    // responses, so the prompt ends at its last line break if it has one.
    const lineEnd = chosen.lastIndexOf('\n', k - 1);
    if (lineEnd >= 0) k = lineEnd + 1;
  }
  // Back up to a word boundary so that a response is not cut inside a word.
  while (k > 0 && !/\s/.test(chosen[k - 1])) k--;
  const context: Turn[] = k > 0 ? [{ role: 'user', content: chosen.slice(0, k), path: ['chosen'], offset: 0 }] : [];
  return {
    context,
    chosen: [{ role: 'assistant', content: chosen.slice(k), path: ['chosen'], offset: k }],
    rejected: [{ role: 'assistant', content: rejected.slice(k), path: ['rejected'], offset: k }],
  };
}

/**
 * Reads the context, chosen and rejected turns of a record in the given format. Tolerant: a
 * record that breaks its schema yields what can be read (the schema check reports the rest).
 */
export function extractParts(format: FormatId | undefined, value: unknown): PreferenceParts | undefined {
  if (!isObject(value)) return undefined;
  const seen = { malformed: false };
  const parts = readParts(format, value, seen);
  if (parts && seen.malformed) parts.malformed = true;
  return parts;
}

function readParts(format: FormatId | undefined, value: Record<string, unknown>, seen: { malformed: boolean }): PreferenceParts | undefined {
  switch (format) {
    case 'trl-standard': {
      const context: Turn[] = typeof value.prompt === 'string' ? promptTurns(value.prompt) : [];
      return {
        context,
        chosen: typeof value.chosen === 'string' ? [{ role: 'assistant', content: value.chosen, path: ['chosen'], offset: 0 }] : [],
        rejected: typeof value.rejected === 'string' ? [{ role: 'assistant', content: value.rejected, path: ['rejected'], offset: 0 }] : [],
      };
    }
    case 'trl-conversational':
      return { context: messageTurns(value.prompt, ['prompt'], seen), chosen: messageTurns(value.chosen, ['chosen'], seen), rejected: messageTurns(value.rejected, ['rejected'], seen) };
    case 'trl-implicit':
      if (typeof value.chosen === 'string' && typeof value.rejected === 'string') return splitSharedText(value.chosen, value.rejected);
      return splitShared(messageTurns(value.chosen, ['chosen'], seen), messageTurns(value.rejected, ['rejected'], seen));
    case 'openai-preference': {
      const input = isObject(value.input) ? value.input : {};
      return {
        context: messageTurns(input.messages, ['input', 'messages'], seen),
        chosen: messageTurns(value.preferred_output, ['preferred_output'], seen),
        rejected: messageTurns(value.non_preferred_output, ['non_preferred_output'], seen),
      };
    }
    case 'hh-rlhf': {
      const chosen = typeof value.chosen === 'string' ? splitTranscript(value.chosen, ['chosen']) : [];
      const rejected = typeof value.rejected === 'string' ? splitTranscript(value.rejected, ['rejected']) : [];
      return splitShared(chosen, rejected);
    }
    case 'chat-messages': {
      const turns = messageTurns(value.messages, ['messages'], seen);
      // A chat record's last assistant turn is its "response"; there is no rejected side.
      let last = turns.length - 1;
      while (last >= 0 && turns[last].role !== 'assistant') last--;
      if (last < 0) return { context: turns, chosen: [], rejected: [] };
      return { context: turns.slice(0, last), chosen: turns.slice(last), rejected: [] };
    }
    default:
      return undefined;
  }
}

/** Joins response turns into the text judged for tone. */
export function responseText(turns: Turn[]): string {
  return turns.map((t) => t.content).join('\n\n');
}

/** `chosen[0].content` style display of a path. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || 'record';
}
