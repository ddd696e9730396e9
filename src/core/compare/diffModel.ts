import { diffLines, diffWordsWithSpace } from 'diff';

/** A run of one side's text: shared with the other side, or only on this side. */
export interface DiffSegment {
  text: string;
  changed: boolean;
}

/** How fine the highlighting is: words, whole lines, or one block (the texts differ too much). */
export type DiffGranularity = 'words' | 'lines' | 'block' | 'identical';

export interface ResponseDiff {
  granularity: DiffGranularity;
  /** The chosen text cut into segments; joined they give the chosen text back exactly. */
  chosen: DiffSegment[];
  /** The rejected text cut into segments; joined they give the rejected text back exactly. */
  rejected: DiffSegment[];
  /** Why the diff is coarser than words, for the reader. */
  note?: string;
}

export interface DiffBudget {
  /** Milliseconds the word diff may take before it gives up. */
  wordTimeoutMs: number;
  /** Milliseconds the line diff (the fallback) may take before it gives up. */
  lineTimeoutMs: number;
  /** Above this many characters in the differing middle, words are not tried at all. */
  maxWordChars: number;
  /** Above this many characters in the differing middle, lines are not tried either. */
  maxLineChars: number;
}

/** Enough for any ordinary pair. The library checks its clock between steps, so a step can overrun: a
 * 100 KB pair of unrelated texts costs about 0.2 s in all before it falls back to blocks. */
export const DEFAULT_DIFF_BUDGET: DiffBudget = { wordTimeoutMs: 60, lineTimeoutMs: 30, maxWordChars: 400_000, maxLineChars: 4_000_000 };

function push(out: DiffSegment[], text: string, changed: boolean): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.changed === changed) last.text += text;
  else out.push({ text, changed });
}

/** Shared prefix and suffix lengths; cheap, and it makes a diff of small edits in long texts small. */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** Moves a cut point off the inside of a word: toward the start of the text, or toward its end. */
function backToBoundary(text: string, at: number, towardStart: boolean): number {
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);
  if (towardStart) {
    while (at > 0 && isWord(text[at - 1]) && isWord(text[at])) at--;
  } else {
    while (at < text.length && isWord(text[at - 1]) && isWord(text[at])) at++;
  }
  return at;
}

type Change = { value: string; added: boolean; removed: boolean };

function fromChanges(changes: Change[], chosen: DiffSegment[], rejected: DiffSegment[]): void {
  for (const c of changes) {
    if (c.removed) push(chosen, c.value, true);
    else if (c.added) push(rejected, c.value, true);
    else {
      push(chosen, c.value, false);
      push(rejected, c.value, false);
    }
  }
}

/**
 * A lone space between two changed words reads as part of the change ("be glad", not "be" and
 * "glad"): such gaps are folded into their neighbours. Only display runs change, never the text.
 */
function foldWhitespaceGaps(segments: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const gap = !s.changed && /^[^\S\n]+$/.test(s.text) && segments[i - 1]?.changed && segments[i + 1]?.changed;
    push(out, s.text, gap ? true : s.changed);
  }
  return out;
}

/**
 * Word-level diff of two responses, with a bounded cost: the shared beginning and end are cut off
 * first, the middle is diffed word by word under a time budget, then line by line, and when even
 * that is too slow the middles are marked changed as whole blocks. The segments always rebuild
 * both texts exactly, whatever granularity was reached.
 */
export function diffResponses(chosenText: string, rejectedText: string, budget: DiffBudget = DEFAULT_DIFF_BUDGET): ResponseDiff {
  if (chosenText === rejectedText) {
    const same = chosenText ? [{ text: chosenText, changed: false }] : [];
    return { granularity: 'identical', chosen: same, rejected: same.map((s) => ({ ...s })) };
  }
  const ends = commonEnds(chosenText, rejectedText);
  // Cut at word boundaries so "walk"/"walked" is one changed word, not "walk" + "ed".
  let prefix = backToBoundary(chosenText, ends.prefix, true);
  prefix = Math.min(prefix, backToBoundary(rejectedText, ends.prefix, true));
  let suffix = Math.min(ends.suffix, chosenText.length - prefix, rejectedText.length - prefix);
  const cEnd = backToBoundary(chosenText, chosenText.length - suffix, false);
  const rEnd = backToBoundary(rejectedText, rejectedText.length - suffix, false);
  suffix = Math.min(chosenText.length - cEnd, rejectedText.length - rEnd);

  const chosenMiddle = chosenText.slice(prefix, chosenText.length - suffix);
  const rejectedMiddle = rejectedText.slice(prefix, rejectedText.length - suffix);
  const head = chosenText.slice(0, prefix);
  const tail = chosenText.slice(chosenText.length - suffix);

  const chosen: DiffSegment[] = [];
  const rejected: DiffSegment[] = [];
  push(chosen, head, false);
  push(rejected, head, false);

  let granularity: DiffGranularity = 'words';
  let note: string | undefined;
  let changes: Change[] | undefined;
  const size = chosenMiddle.length + rejectedMiddle.length;
  // Whitespace runs are tokens too, so shared runs are equal on both sides and the segments
  // rebuild each text exactly (diffWords would report the new side's spacing for both).
  if (size <= budget.maxWordChars && budget.wordTimeoutMs > 0) {
    changes = diffWordsWithSpace(chosenMiddle, rejectedMiddle, { timeout: budget.wordTimeoutMs });
  }
  if (!changes && size <= budget.maxLineChars && budget.lineTimeoutMs > 0) {
    granularity = 'lines';
    note = 'The responses differ too much to compare word by word; changed lines are highlighted.';
    changes = diffLines(chosenMiddle, rejectedMiddle, { timeout: budget.lineTimeoutMs });
  }
  if (changes) {
    const c: DiffSegment[] = [];
    const r: DiffSegment[] = [];
    fromChanges(changes, c, r);
    for (const s of foldWhitespaceGaps(c)) push(chosen, s.text, s.changed);
    for (const s of foldWhitespaceGaps(r)) push(rejected, s.text, s.changed);
  }
  else {
    granularity = 'block';
    note = 'The responses differ too much to compare in detail; the differing parts are highlighted as a whole.';
    push(chosen, chosenMiddle, true);
    push(rejected, rejectedMiddle, true);
  }
  push(chosen, tail, false);
  push(rejected, tail, false);
  return note ? { granularity, chosen, rejected, note } : { granularity, chosen, rejected };
}

/**
 * Cuts one side's segments (over the text of all its turns joined by `separator`) into the
 * segments of each turn, so every chat bubble gets its own highlighted text.
 */
export function segmentsPerTurn(segments: readonly DiffSegment[], turnLengths: readonly number[], separator: string): DiffSegment[][] {
  const bounds: { start: number; end: number }[] = [];
  let at = 0;
  for (const len of turnLengths) {
    bounds.push({ start: at, end: at + len });
    at += len + separator.length;
  }
  const out: DiffSegment[][] = bounds.map(() => []);
  let segStart = 0;
  let turn = 0;
  for (const seg of segments) {
    const segEnd = segStart + seg.text.length;
    while (turn < bounds.length && bounds[turn].end < segStart) turn++;
    for (let t = turn; t < bounds.length && bounds[t].start < segEnd; t++) {
      const from = Math.max(segStart, bounds[t].start);
      const to = Math.min(segEnd, bounds[t].end);
      if (to > from) push(out[t], seg.text.slice(from - segStart, to - segStart), seg.changed);
    }
    segStart = segEnd;
  }
  return out;
}
