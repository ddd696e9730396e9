import { documentedRule, ruleDocMarkdown } from '../core/ruleDocs';
import { Finding } from '../core/findings';
import { FormatId } from '../core/formats';

export interface ReportedFile {
  /** Path as shown to the user (relative to the working directory when inside it). */
  path: string;
  format: FormatId | undefined;
  records: number;
  findings: Finding[];
}

/** `path:line:column severity code message`, 1-based; related lines appended for dataset findings. */
export function textLine(path: string, f: Finding): string {
  const related = f.related?.length ? ` (see line${f.related.length > 1 ? 's' : ''} ${f.related.map((r) => r.line + 1).join(', ')})` : '';
  return `${path}:${f.line + 1}:${f.column + 1} ${f.severity} ${f.code} ${f.message}${related}`;
}

export function jsonFinding(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    line: f.line + 1,
    column: f.column + 1,
    endLine: f.endLine + 1,
    endColumn: f.endColumn + 1,
    severity: f.severity === 'hint' ? 'info' : f.severity,
    code: f.code,
    message: f.message,
    field: f.field ?? null,
  };
  if (f.related?.length) out.related = f.related.map((r) => ({ line: r.line + 1, column: r.column + 1, message: r.message }));
  return out;
}

export function jsonReport(files: ReportedFile[]): string {
  return JSON.stringify({
    files: files.map((file) => ({ path: file.path, format: file.format ?? null, records: file.records, findings: file.findings.map(jsonFinding) })),
  });
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** SARIF 2.1.0, as code-scanning services ingest it. Paths are relative URIs against the repository root. */
export function sarifReport(files: ReportedFile[], version: string, rulesUrl?: string): string {
  const ruleIds = [...new Set(files.flatMap((f) => f.findings.map((x) => x.code)))].sort();
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
  return JSON.stringify(
    {
      version: '2.1.0',
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      runs: [
        {
          tool: {
            driver: {
              name: 'Dialogue Curator',
              version,
              rules: ruleIds.map(rule),
            },
          },
          columnKind: 'utf16CodeUnits',
          results: files.flatMap((file) =>
            file.findings.map((f) => ({
              ruleId: f.code,
              ruleIndex: ruleIds.indexOf(f.code),
              level: SARIF_LEVEL[f.severity],
              message: { text: f.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: uri(file.path), uriBaseId: '%SRCROOT%' }, region: region(f) } }],
              ...(f.related?.length
                ? {
                    relatedLocations: f.related.map((r, i) => ({
                      id: i + 1,
                      message: { text: r.message },
                      physicalLocation: { artifactLocation: { uri: uri(file.path), uriBaseId: '%SRCROOT%' }, region: region(r) },
                    })),
                  }
                : {}),
            })),
          ),
        },
      ],
    },
    null,
    2,
  );
}
