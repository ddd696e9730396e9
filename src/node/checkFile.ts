import { CheckSettings, sortFindings } from '../core/engine';
import { Finding } from '../core/findings';
import { fileChunks } from './fileChunks';
import { checkLines } from './fileLines';
import { FindingSink, FindingStore } from './findingStore';
import { CheckedFile, checkFileParallel, FileResult, parallelPlan, ThreadOptions } from './parallelCheck';

export type { FileResult, ThreadOptions } from './parallelCheck';

/**
 * Checks a file by streaming it: memory holds a bounded amount of it at a time (plus the
 * format-detection sample and the dataset rules' compact per-record facts), so a 1 GB file is fine.
 * Files of 16 MB or more with curation rules are checked by worker threads, one per core (see
 * parallelCheck.ts); the findings are the same either way.
 */
export async function checkFile(file: string, settings: CheckSettings, signal?: AbortSignal, threads: ThreadOptions = {}): Promise<FileResult> {
  const sink = new FindingArray();
  const checked = await checkInto(file, settings, sink, signal, threads);
  return { ...checked, findings: sortFindings(sink.findings) };
}

/**
 * checkFile with the findings kept as the reports print them, compactly (FindingStore): what the
 * CLI holds of a file with a million findings is tens of megabytes, not a million objects. The
 * caller disposes of the findings once it has printed them (their details are in a temporary file).
 */
export async function checkFileForReport(file: string, settings: CheckSettings, signal?: AbortSignal, threads: ThreadOptions = {}): Promise<CheckedFile & { findings: FindingStore }> {
  // Past the sort keys, the findings' details go to a temporary file (memory flat in the file's size).
  const findings = new FindingStore(fileChunks());
  try {
    const checked = await checkInto(file, settings, findings, signal, threads);
    findings.sort();
    return { ...checked, findings };
  } catch (err) {
    // Given up (unreadable, aborted): nobody will read the findings, or dispose of them.
    findings.dispose();
    throw err;
  }
}

function checkInto(file: string, settings: CheckSettings, sink: FindingSink, signal: AbortSignal | undefined, threads: ThreadOptions): Promise<CheckedFile> {
  const plan = parallelPlan(file, settings, threads);
  if (plan) return checkFileParallel(file, settings, plan, sink, signal, threads);
  return checkInThread(file, settings, sink, signal);
}

/** The single-threaded check: every line through one StreamChecker. */
export async function checkFileInThread(file: string, settings: CheckSettings, signal?: AbortSignal): Promise<FileResult> {
  const sink = new FindingArray();
  const checked = await checkInThread(file, settings, sink, signal);
  return { ...checked, findings: sortFindings(sink.findings) };
}

function checkInThread(file: string, settings: CheckSettings, sink: FindingSink, signal?: AbortSignal): Promise<CheckedFile> {
  return checkLines(file, settings, (f) => sink.push(f), { signal });
}

/** Findings as they come, in an array. */
class FindingArray implements FindingSink {
  findings: Finding[] = [];

  push(finding: Finding): void {
    this.findings.push(finding);
  }

  drop(codes: ReadonlySet<string>): void {
    this.findings = this.findings.filter((f) => !codes.has(f.code));
  }
}
