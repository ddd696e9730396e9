import { Node } from 'jsonc-parser';
import { FormatId, FORMAT_LABELS } from '../formats';
import { parseLine } from '../jsonl';
import { SIDE_KEYS } from '../pairs/fixes';
import { extractParts, JsonPath, Turn } from '../parts';
import { LineLocator } from '../positions';

/** A replacement inside one line: `length` characters at `offset` become `text`. */
export interface LineEdit {
  offset: number;
  length: number;
  text: string;
}

export type LineEditResult = { ok: true; edits: LineEdit[]; newText: string } | { ok: false; message: string };

export type Side = 'chosen' | 'rejected';

/** Where each side of a pair lives in a record, per format (`undefined`: the format has no such side). */
export function sideKey(format: FormatId | undefined, side: Side): string | undefined {
  return format ? SIDE_KEYS[format][side] : undefined;
}

/** Applies non-overlapping edits to a line. */
export function applyLineEdits(text: string, edits: readonly LineEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.text + out.slice(e.offset + e.length);
  return out;
}

function fail(message: string): LineEditResult {
  return { ok: false, message };
}

function readRecord(lineText: string): { value: Record<string, unknown> } | { message: string } {
  const parsed = parseLine(lineText);
  if (parsed.kind === 'blank') return { message: 'This line is empty: there is no record to change.' };
  if (parsed.kind === 'invalid') return { message: `This line is not valid JSON (${parsed.finding.message}); fix it before editing the pair here.` };
  const v = parsed.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { message: 'This line is not a JSON object, so it has no pair to change.' };
  return { value: v as Record<string, unknown> };
}

/** The value node of a top-level key, refusing keys that occur twice (editing one copy would be a guess). */
function topLevelValue(locator: LineLocator, key: string): Node | { message: string } | undefined {
  const root = locator.node([]);
  if (!root || root.type !== 'object') return { message: 'The record could not be read as a JSON object.' };
  const props = (root.children ?? []).filter((p) => p.children?.[0]?.value === key);
  if (props.length > 1) return { message: `The record has the key "${key}" more than once; remove the duplicate first.` };
  return props[0]?.children?.[1];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Swaps the chosen and rejected values of a record as two replacements of their source text:
 * every other byte of the line (other fields, key order, spacing, escapes) stays as it was.
 */
export function swapEdits(lineText: string, format: FormatId | undefined): LineEditResult {
  const chosenKey = sideKey(format, 'chosen');
  const rejectedKey = sideKey(format, 'rejected');
  if (!chosenKey || !rejectedKey) {
    return fail(format ? `${FORMAT_LABELS[format]} records have no rejected response to swap with.` : 'The dataset format is unknown, so it is unclear what to swap.');
  }
  const record = readRecord(lineText);
  if ('message' in record) return fail(record.message);
  const locator = new LineLocator(lineText);
  const a = topLevelValue(locator, chosenKey);
  const b = topLevelValue(locator, rejectedKey);
  for (const [node, key] of [[a, chosenKey], [b, rejectedKey]] as const) {
    if (node === undefined) return fail(`The record has no "${key}" field to swap.`);
    if ('message' in node) return fail(node.message);
  }
  const na = a as Node;
  const nb = b as Node;
  const edits: LineEdit[] = [
    { offset: na.offset, length: na.length, text: lineText.slice(nb.offset, nb.offset + nb.length) },
    { offset: nb.offset, length: nb.length, text: lineText.slice(na.offset, na.offset + na.length) },
  ].sort((x, y) => x.offset - y.offset);
  const newText = applyLineEdits(lineText, edits);
  const after = readRecord(newText);
  if ('message' in after || !sameJson(after.value[chosenKey], record.value[rejectedKey]) || !sameJson(after.value[rejectedKey], record.value[chosenKey])) {
    return fail('Swapping would not give a clean record; the line was left unchanged.');
  }
  return { ok: true, edits, newText };
}

/** A new text for one response turn, with the text it had when the user started editing. */
export interface TurnChange {
  side: Side;
  /** Index in the side's response turns (as `extractParts` lists them). */
  index: number;
  /** The turn's text as the panel showed it; the change is refused if the record moved on. */
  original: string;
  text: string;
}

/** JSON string contents (without quotes) for a piece of text. */
function encodeStringContent(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

function turnsOf(format: FormatId | undefined, value: unknown, side: Side): Turn[] | undefined {
  const parts = extractParts(format, value);
  return parts ? parts[side] : undefined;
}

/**
 * Replaces the text of response turns. Each change touches only the characters of that turn
 * inside its JSON string (an HH transcript keeps its other turns, escapes elsewhere stay as
 * written), and all changes are applied to the line at once.
 */
export function turnEdits(lineText: string, format: FormatId | undefined, changes: readonly TurnChange[]): LineEditResult {
  if (changes.length === 0) return fail('There is nothing to apply.');
  const record = readRecord(lineText);
  if ('message' in record) return fail(record.message);
  const locator = new LineLocator(lineText);
  const edits: LineEdit[] = [];
  for (const change of changes) {
    const turns = turnsOf(format, record.value, change.side);
    const turn = turns?.[change.index];
    if (!turn) return fail(`The ${change.side} response has no turn ${change.index + 1} any more; review the record again.`);
    if (turn.content !== change.original) return fail(`The ${change.side} response changed in the editor since it was shown; review it again before applying.`);
    if (change.text === change.original) continue;
    const range = locator.stringRange(turn.path as JsonPath, turn.offset, turn.offset + turn.content.length);
    if (!range) return fail(`The text of the ${change.side} response could not be located in the line.`);
    edits.push({ offset: range.column, length: range.endColumn - range.column, text: encodeStringContent(change.text) });
  }
  if (edits.length === 0) return fail('The text is unchanged.');
  edits.sort((x, y) => x.offset - y.offset);
  for (let i = 1; i < edits.length; i++) {
    if (edits[i].offset < edits[i - 1].offset + edits[i - 1].length) return fail('Two changes overlap in the record; apply them one at a time.');
  }
  const newText = applyLineEdits(lineText, edits);
  const after = readRecord(newText);
  if ('message' in after) return fail('The edit would break the record; the line was left unchanged.');
  for (const change of changes) {
    if (change.text === change.original) continue;
    // Where the format splits a side by its shared beginning (HH, implicit prompt) the turn boundaries
    // can move with the edit; the record is still right, so only check what is checkable.
    const turns = turnsOf(format, after.value, change.side);
    if (format !== 'hh-rlhf' && format !== 'trl-implicit' && turns?.[change.index]?.content !== change.text) {
      return fail('The edit did not land where expected; the line was left unchanged.');
    }
  }
  return { ok: true, edits, newText };
}
