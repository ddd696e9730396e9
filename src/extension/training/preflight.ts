import * as fs from 'fs';
import * as vscode from 'vscode';
import { checkText, sortFindings } from '../../core/engine';
import { Finding } from '../../core/findings';
import { FORMAT_LABELS, FormatId } from '../../core/formats';
import { PhiReport, PhiScanner } from '../../core/phi';
import { trainingProblems } from '../../core/trainer/normalize';
import { checkFile } from '../../node/checkFile';
import { problemFinding } from '../../node/project';
import { FormatOverrides } from '../formatOverrides';
import { ProjectConfigs } from '../projectConfig';

export interface CheckResult {
  format: FormatId | undefined;
  records: number;
  /** Errors in the dataset, schema-mapping problems first (line 1). */
  errors: Finding[];
  /** Errors in the `.dialoguecurator.json` that governs the file, with its path. */
  configErrors?: { path: string; errors: Finding[] };
}

/**
 * The full check of a saved dataset before it is uploaded, whatever the editor shows: the
 * project's settings for the file (its `.dialoguecurator.json`: custom schema, format mapping,
 * rule severities; the person's format override) and every curation rule, even with
 * `dialogueCurator.lint.run` off or validation disabled. A file on disk is checked as it is on
 * disk — what gets uploaded — after the save, so nothing from before the save counts.
 */
export async function fullCheck(doc: vscode.TextDocument, configs: ProjectConfigs, overrides: FormatOverrides, signal?: AbortSignal): Promise<CheckResult> {
  const { settings, problems } = configs.settingsFor(doc.uri);
  const override = overrides.get(doc.uri);
  if (override) settings.format = override;
  const result = doc.uri.scheme === 'file' ? await checkFile(doc.uri.fsPath, settings, signal) : checkText(doc.getText(), settings);
  const findings = problems.length ? sortFindings([...problems.map(problemFinding), ...result.findings]) : result.findings;
  const check: CheckResult = { format: result.format, records: result.records, errors: findings.filter((f) => f.severity === 'error') };
  if (!check.errors.length) {
    // What the trainer would refuse anyway (identical responses, no prompt, no pairs at all): say it before the upload.
    const text = doc.uri.scheme === 'file' ? await fs.promises.readFile(doc.uri.fsPath, 'utf8') : doc.getText();
    check.errors = trainingProblems(text, result.format, result.records).map((e) => ({
      line: e.line - 1,
      column: 0,
      endLine: e.line - 1,
      endColumn: 0,
      severity: 'error',
      code: 'not-trainable',
      message: `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)} (the trainer would refuse the file)`,
    }));
  }
  const config = configs.configFor(doc.uri);
  const configErrors = config?.findings.filter((f) => f.severity === 'error') ?? [];
  if (config?.path && configErrors.length) check.configErrors = { path: config.path, errors: configErrors };
  return check;
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
