/**
 * Edits to a project's `.dialoguecurator.json` that keep its comments and layout: switching a
 * rule off, allowing a phrase. Each returns the text edits to make in the file as it is now, or
 * the whole text of a new file when there is none yet; no edit when nothing would change.
 */
import { applyEdits, Edit, FormattingOptions, modify, parse, ParseError } from 'jsonc-parser';

export type ConfigChange = { kind: 'edits'; edits: Edit[] } | { kind: 'create'; text: string } | { kind: 'none'; reason: string } | { kind: 'invalid'; reason: string };

function formattingFor(text: string): FormattingOptions {
  const indent = /\n([ \t]+)"/.exec(text)?.[1];
  return {
    insertSpaces: !indent?.startsWith('\t'),
    tabSize: indent && !indent.startsWith('\t') ? indent.length : 2,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

function parsed(text: string): { value: Record<string, unknown> } | { error: string } {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) return { error: 'the file has JSON errors: fix them first' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the file does not hold a JSON object' };
  return { value: value as Record<string, unknown> };
}

/** `rules.<id>: "off"`, replacing whatever setting the rule had (a threshold goes with it). */
export function disableRuleChange(current: string | undefined, id: string): ConfigChange {
  if (current === undefined || !current.trim()) return { kind: 'create', text: `${JSON.stringify({ rules: { [id]: 'off' } }, null, 2)}\n` };
  const p = parsed(current);
  if ('error' in p) return { kind: 'invalid', reason: p.error };
  const rules = p.value.rules;
  const setting = typeof rules === 'object' && rules !== null ? (rules as Record<string, unknown>)[id] : undefined;
  if (setting === 'off' || (typeof setting === 'object' && setting !== null && (setting as { severity?: unknown }).severity === 'off')) {
    return { kind: 'none', reason: `${id} is already off` };
  }
  return { kind: 'edits', edits: modify(current, ['rules', id], 'off', { formattingOptions: formattingFor(current) }) };
}

/** Adds `phrase` to `allow` (the phrases the tone rules never flag), unless it is there already. */
export function allowPhraseChange(current: string | undefined, phrase: string): ConfigChange {
  const wanted = phrase.trim();
  if (!wanted) return { kind: 'none', reason: 'no phrase' };
  if (current === undefined || !current.trim()) return { kind: 'create', text: `${JSON.stringify({ allow: [wanted] }, null, 2)}\n` };
  const p = parsed(current);
  if ('error' in p) return { kind: 'invalid', reason: p.error };
  const allow = Array.isArray(p.value.allow) ? p.value.allow : undefined;
  if (allow?.some((a) => typeof a === 'string' && a.trim().toLowerCase() === wanted.toLowerCase())) return { kind: 'none', reason: `"${wanted}" is already allowed` };
  const path = allow ? ['allow', allow.length] : ['allow'];
  const value = allow ? wanted : [wanted];
  return { kind: 'edits', edits: modify(current, path, value, { formattingOptions: formattingFor(current), isArrayInsertion: Boolean(allow) }) };
}

/** The file's text after a change (for tests and for writing a file that is not open). */
export function applyConfigChange(current: string | undefined, change: ConfigChange): string | undefined {
  if (change.kind === 'create') return change.text;
  if (change.kind === 'edits') return applyEdits(current ?? '', change.edits);
  return undefined;
}
