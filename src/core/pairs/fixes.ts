import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { FormatId } from '../formats';

/** The top-level keys that hold the preferred and the other response, per format. */
export const SIDE_KEYS: Record<FormatId, { chosen: string; rejected?: string }> = {
  'trl-standard': { chosen: 'chosen', rejected: 'rejected' },
  'trl-conversational': { chosen: 'chosen', rejected: 'rejected' },
  'trl-implicit': { chosen: 'chosen', rejected: 'rejected' },
  'hh-rlhf': { chosen: 'chosen', rejected: 'rejected' },
  'openai-preference': { chosen: 'preferred_output', rejected: 'non_preferred_output' },
  'chat-messages': { chosen: 'messages' },
};

/**
 * The quick fix "Swap chosen and rejected": returns the line with the raw JSON values of the two
 * top-level fields exchanged (everything else, including formatting, unchanged), or undefined
 * when the line no longer has both fields.
 */
export function swapFields(lineText: string, fields: readonly [string, string]): string | undefined {
  const root = parseTree(lineText, [], { disallowComments: true });
  if (!root || root.type !== 'object') return undefined;
  const a = findNodeAtLocation(root, [fields[0]]);
  const b = findNodeAtLocation(root, [fields[1]]);
  if (!a || !b) return undefined;
  const [first, second] = a.offset < b.offset ? [a, b] : [b, a];
  const firstText = lineText.slice(first.offset, first.offset + first.length);
  const secondText = lineText.slice(second.offset, second.offset + second.length);
  return (
    lineText.slice(0, first.offset) +
    secondText +
    lineText.slice(first.offset + first.length, second.offset) +
    firstText +
    lineText.slice(second.offset + second.length)
  );
}
