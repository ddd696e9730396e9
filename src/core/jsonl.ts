import { Finding } from './findings';
import { locateJsonError } from './jsonSyntax';

/** One physical line of a JSONL file, without its line break. */
export interface SourceLine {
  /** 0-based line number. */
  line: number;
  text: string;
}

/**
 * Splits a whole file's text the way VS Code does: `\r\n`, `\n` and a lone `\r` end a line;
 * a leading byte order mark is not part of the first line (VS Code strips it too), so columns
 * agree between the editor and the CLI. A missing final newline changes nothing.
 */
export function splitLines(text: string, atStart = true): string[] {
  // A byte order mark opens a file, not a line further down (see textChunks).
  if (atStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      lines.push(text.slice(start, i));
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  // A final newline does not start a further (empty) record line.
  if (start < text.length || lines.length === 0) lines.push(text.slice(start));
  return lines;
}

/**
 * `text` cut into pieces of about `size` characters (at least), each ending just after a line
 * break except the last: `splitLines` of the first piece and `splitLines(piece, false)` of the
 * others, one after the other, give `splitLines(text)`. Empty pieces are left out, except when the
 * text is empty. Lets a large document cross to another process a piece at a time.
 */
export function* textChunks(text: string, size: number): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = start + size;
    if (end >= text.length) end = text.length;
    else {
      // Past the next line break (a CRLF counts as one).
      while (end < text.length) {
        const c = text.charCodeAt(end++);
        if (c === 10) break;
        if (c === 13) {
          if (text.charCodeAt(end) === 10) end++;
          break;
        }
      }
    }
    yield text.slice(start, end);
    start = end;
  }
  if (!text.length) yield text;
}

export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

export type ParsedLine =
  | { kind: 'blank' }
  | { kind: 'invalid'; finding: Finding }
  | { kind: 'value'; value: unknown };

/** Parses one JSONL line. Findings are placed on line 0; the caller moves them. */
export function parseLine(text: string): ParsedLine {
  if (isBlank(text)) return { kind: 'blank' };
  try {
    return { kind: 'value', value: JSON.parse(text) };
  } catch {
    const problem = locateJsonError(text) ?? { offset: 0, length: text.length, message: 'This line is not valid JSON' };
    const column = Math.min(problem.offset, text.length);
    return {
      kind: 'invalid',
      finding: {
        line: 0,
        column,
        endLine: 0,
        endColumn: Math.min(text.length, column + Math.max(problem.length, 0)),
        severity: 'error',
        code: 'json-syntax',
        message: `Invalid JSON: ${problem.message}`,
      },
    };
  }
}

/** Type name as a data author says it. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function notObjectFinding(text: string, value: unknown): Finding {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return {
    line: 0,
    column: start,
    endLine: 0,
    endColumn: end,
    severity: 'error',
    code: 'record-not-object',
    message: `Each line must be a JSON object (a record with fields), found ${jsonTypeName(value)}`,
  };
}
