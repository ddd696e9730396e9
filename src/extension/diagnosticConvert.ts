import * as vscode from 'vscode';
import { Finding, Severity } from '../core/findings';

export const DIAGNOSTIC_SOURCE = 'Dialogue Curator';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(f: { line: number; column: number; endLine: number; endColumn: number }): vscode.Range {
  return new vscode.Range(f.line, f.column, f.endLine, f.endColumn);
}

/** The code of a diagnostic, plain or with its documentation link. */
export function codeValue(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

/**
 * A finding as a VS Code diagnostic; related places become related information, and a code with
 * documentation links to its page (`docTarget`).
 */
export function toDiagnostic(f: Finding, uri: vscode.Uri, docTarget?: (code: string) => vscode.Uri | undefined): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f), f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  const target = docTarget?.(f.code);
  d.code = target ? { value: f.code, target } : f.code;
  if (f.related?.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r)), r.message));
  return d;
}
