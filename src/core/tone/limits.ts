/**
 * How much text the tone analysis reads. Its word tables take about 25 bytes per character, so a
 * record with a response of tens of megabytes would hold gigabytes; a tone judgement needs far
 * less than that. Past TONE_MAX_CHARS characters (UTF-16 code units, over all the turns of a
 * response) the analysis reads the response's beginning, cut at a word boundary, and the prompt's
 * end (what the person said last is what the reply answers). The `tone-truncated` finding says so.
 */

/** Characters of a response, and of a prompt's user turns, that the tone analysis reads at most. */
export const TONE_MAX_CHARS = 200_000;

/** How far back from the limit a cut looks for a space or line break before it cuts inside a word (a run without spaces). */
const BOUNDARY_REACH = 1000;

/** The part of a text the tone analysis read, when it could not read all of it. */
export interface ReadPart {
  /** Characters read, and the text's length (all turns together). */
  chars: number;
  length: number;
  /** Index of the turn the cut falls in (turns after it, for a response, or before it, for a prompt, were not read). */
  turn: number;
}

export interface Bounded {
  /** The turns as read (the cut turn shortened, the turns past the cut left out). */
  segments: readonly string[];
  /** Undefined when every turn was read whole. */
  read?: ReadPart;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Where to cut `text` to keep at most `max` characters of its beginning: after the last space before `max` (nearby), else at `max` (never inside a surrogate pair). */
function headCut(text: string, max: number): number {
  for (let k = max; k > 0 && k > max - BOUNDARY_REACH; k--) if (isSpace(text.charCodeAt(k))) return k;
  const c = text.charCodeAt(max - 1);
  return c >= 0xd800 && c <= 0xdbff ? max - 1 : max;
}

/** Where to cut `text` to keep at most `max` characters of its end: at the first space after `length - max` (nearby), else there (never inside a surrogate pair). */
function tailCut(text: string, max: number): number {
  const from = text.length - max;
  for (let k = from; k < text.length && k < from + BOUNDARY_REACH; k++) if (isSpace(text.charCodeAt(k))) return k + 1;
  const c = text.charCodeAt(from);
  return c >= 0xdc00 && c <= 0xdfff ? from + 1 : from;
}

function lengthOf(turns: readonly string[]): number {
  let n = 0;
  for (const t of turns) n += t.length;
  return n;
}

/** The beginning of a response's turns that the tone analysis reads: at most `max` characters in all. */
export function responsePrefix(turns: readonly string[], max = TONE_MAX_CHARS): Bounded {
  const length = lengthOf(turns);
  if (length <= max) return { segments: turns };
  const segments: string[] = [];
  let chars = 0;
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i];
    if (chars + t.length <= max) {
      segments.push(t);
      chars += t.length;
      continue;
    }
    const kept = t.slice(0, headCut(t, max - chars));
    segments.push(kept);
    return { segments, read: { chars: chars + kept.length, length, turn: i } };
  }
  return { segments };
}

/** The end of a prompt's user turns that the tone analysis reads: at most `max` characters in all (the last turns whole, the turn before them cut). */
export function promptSuffix(turns: readonly string[], max = TONE_MAX_CHARS): Bounded {
  const length = lengthOf(turns);
  if (length <= max) return { segments: turns };
  let chars = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i];
    if (chars + t.length <= max) {
      chars += t.length;
      continue;
    }
    const kept = t.slice(tailCut(t, max - chars));
    return { segments: [kept, ...turns.slice(i + 1)], read: { chars: chars + kept.length, length, turn: i } };
  }
  return { segments: turns };
}
