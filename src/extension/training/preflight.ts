import * as vscode from 'vscode';
import { checkText } from '../../core/engine';
import { Finding } from '../../core/findings';
import { FORMAT_LABELS, FormatId } from '../../core/formats';
import { PhiReport, PhiScanner } from '../../core/phi';
import { DatasetDiagnostics } from '../datasetDiagnostics';
import { readSettings } from '../settings';

export interface CheckResult {
  format: FormatId | undefined;
  records: number;
  errors: Finding[];
}

/** How long to wait for the first check of a file that was just opened. */
const REPORT_TIMEOUT_MS = 120_000;

/**
 * The full check of a saved dataset: the diagnostics the editor shows (same config, format
 * override and rules), waiting for a first check still running; `checkText` when validation is
 * switched off for the file, so training never skips the check.
 */
export async function fullCheck(doc: vscode.TextDocument, diagnostics: DatasetDiagnostics): Promise<CheckResult> {
  const fromReport = (r: { format: FormatId | undefined; records: number; findings: Finding[] }): CheckResult => ({
    format: r.format,
    records: r.records,
    errors: r.findings.filter((f) => f.severity === 'error'),
  });
  if (doc.languageId === 'jsonl' && readSettings(doc.uri)['validation.enable']) {
    const ready = () => {
      const r = diagnostics.report(doc.uri);
      // records 0 with nothing found is what an unchecked document reports too.
      return r && !r.checking && (r.records > 0 || r.findings.length > 0) ? r : undefined;
    };
    const report =
      ready() ??
      (await new Promise<ReturnType<typeof ready>>((resolve) => {
        const sub = diagnostics.onDidUpdate((r) => {
          if (r.uri.toString() !== doc.uri.toString()) return;
          const found = ready();
          if (!found) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(found);
        });
        const timer = setTimeout(() => {
          sub.dispose();
          resolve(undefined);
        }, REPORT_TIMEOUT_MS);
      }));
    if (report) return fromReport(report);
  }
  return fromReport(checkText(doc.getText()));
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Scans a document line by line, yielding now and then so the extension host stays responsive. */
export async function scanDocument(doc: vscode.TextDocument, cancel?: vscode.CancellationToken): Promise<PhiReport | undefined> {
  const scanner = new PhiScanner();
  for (let i = 0; i < doc.lineCount; i++) {
    scanner.scanLine(doc.lineAt(i).text, i);
    if (i % 2000 === 1999) {
      await yieldToLoop();
      if (cancel?.isCancellationRequested) return undefined;
    }
  }
  return scanner.report();
}

export function formatLabel(format: FormatId | undefined): string {
  return format ? FORMAT_LABELS[format] : 'unknown format';
}
