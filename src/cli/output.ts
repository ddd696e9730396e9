import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { documentedRule, ruleDocMarkdown } from '../core/ruleDocs';
import { Finding } from '../core/findings';
import { FormatId } from '../core/formats';
import type { FindingSequence } from '../node/findingStore';

export interface ReportedFile {
  /** Path as shown to the user (relative to the working directory when inside it). */
  path: string;
  format: FormatId | undefined;
  records: number;
  /** In report order. */
  findings: FindingSequence;
}

/**
 * Control characters (C0, DEL, C1) and the bidirectional overrides and isolates, which a message
 * may quote from the dataset and a path may hold.
 */
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal or a log read line by line: a line break quoted from the data would split a
 * finding over two lines (and a problem matcher would read the second as garbage), an escape
 * sequence would move the cursor or recolour the terminal, a bidi override would reorder what is
 * shown. Each is written as its escape (`\n`, `\r`, `\t`, `\u001b`…), as in the JSON source.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** `path:line:column severity code message`, 1-based; related lines appended for dataset findings. */
export function textLine(path: string, f: Finding): string {
  // A line named twice (a phrase used in both responses of a record) is listed once.
  const lines = f.related?.length ? [...new Set(f.related.map((r) => r.line + 1))] : [];
  const related = lines.length ? ` (see line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})` : '';
  return `${terminalSafe(path)}:${f.line + 1}:${f.column + 1} ${f.severity} ${f.code} ${terminalSafe(f.message)}${related}`;
}

/**
 * A finding as the JSON report writes it: what `JSON.stringify` makes of
 * `{line, column, endLine, endColumn, severity, code, message, field, related?}` (1-based
 * positions, hints as info, a missing field as null), written directly: a report of a million
 * duplicate records spent most of its time building and stringifying those objects.
 */
export function jsonFindingText(f: Finding): string {
  const severity = f.severity === 'hint' ? 'info' : f.severity;
  let out = `{"line":${f.line + 1},"column":${f.column + 1},"endLine":${f.endLine + 1},"endColumn":${f.endColumn + 1},"severity":"${severity}","code":${JSON.stringify(f.code)},"message":${JSON.stringify(f.message)},"field":${f.field === undefined ? 'null' : JSON.stringify(f.field)}`;
  if (f.related?.length) {
    out += ',"related":[';
    for (let i = 0; i < f.related.length; i++) {
      const r = f.related[i];
      out += `${i ? ',' : ''}{"line":${r.line + 1},"column":${r.column + 1},"message":${JSON.stringify(r.message)}}`;
    }
    out += ']';
  }
  return `${out}}`;
}

/**
 * The JSON report in pieces (one finding per piece), so that a report of millions of findings is
 * written out as it is made instead of being built as one string first.
 */
export function* jsonReportChunks(files: readonly ReportedFile[]): Generator<string> {
  yield '{"files":[';
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    yield `${i ? ',' : ''}{"path":${JSON.stringify(file.path)},"format":${JSON.stringify(file.format ?? null)},"records":${file.records},"findings":[`;
    let first = true;
    for (const f of file.findings) {
      yield `${first ? '' : ','}${jsonFindingText(f)}`;
      first = false;
    }
    yield ']}';
  }
  yield ']}';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** JSON of `value` as JSON.stringify(value, null, 2) writes it when nested `depth` levels deep. */
function indented(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * SARIF 2.1.0, as code-scanning services ingest it, in pieces (one result per piece; see
 * jsonReportChunks). Paths are relative URIs against the repository root.
 */
export function* sarifReportChunks(files: readonly ReportedFile[], version: string, rulesUrl?: string): Generator<string> {
  const ids = new Set<string>();
  for (const f of files) for (const x of f.findings) ids.add(x.code);
  const ruleIds = [...ids].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rule = (id: string) => {
    const doc = documentedRule(id);
    if (!doc) return { id, name: id, shortDescription: { text: id } };
    return {
      id,
      name: doc.title,
      shortDescription: { text: doc.title },
      fullDescription: { text: doc.doc.why },
      help: { text: `${doc.doc.why}\n\nExample: ${doc.doc.example}\n\nHow to fix it: ${doc.doc.fix}`, markdown: ruleDocMarkdown(doc) },
      ...(rulesUrl ? { helpUri: `${rulesUrl}${id}.md` } : {}),
      defaultConfiguration: { level: SARIF_LEVEL[doc.severity] },
    };
  };
  const region = (f: { line: number; column: number; endLine: number; endColumn: number }) => ({
    startLine: f.line + 1,
    startColumn: f.column + 1,
    endLine: f.endLine + 1,
    endColumn: f.endColumn + 1,
  });
  const uri = (p: string) => p.split('\\').join('/').split('/').map(encodeURIComponent).join('/');
  const tool = { driver: { name: 'Dialogue Curator', version, rules: ruleIds.map(rule) } };
  yield `{\n  "version": "2.1.0",\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "runs": [\n    {\n      "tool": ${indented(tool, 3)},\n      "columnKind": "utf16CodeUnits",\n      "results": [`;
  let first = true;
  for (const file of files) {
    // A path outside the working folder is absolute: a file URI of its own, not one relative to %SRCROOT%.
    const location = path.isAbsolute(file.path) ? { uri: pathToFileURL(file.path).href } : { uri: uri(file.path), uriBaseId: '%SRCROOT%' };
    for (const f of file.findings) {
      const result = {
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: location, region: region(f) } }],
        ...(f.related?.length
          ? {
              relatedLocations: f.related.map((r, i) => ({
                id: i + 1,
                message: { text: r.message },
                physicalLocation: { artifactLocation: location, region: region(r) },
              })),
            }
          : {}),
      };
      yield `${first ? '' : ','}\n        ${indented(result, 4)}`;
      first = false;
    }
  }
  yield `${first ? ']' : '\n      ]'}\n    }\n  ]\n}`;
}

export function sarifReport(files: ReportedFile[], version: string, rulesUrl?: string): string {
  return [...sarifReportChunks(files, version, rulesUrl)].join('');
}
