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

/** A finding as a VS Code diagnostic; related places become related information. */
export function toDiagnostic(f: Finding, uri: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f), f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.code;
  if (f.related?.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r)), r.message));
  return d;
}
