import { CheckSettings, sortFindings, StreamChecker } from '../core/engine';
import { Finding } from '../core/findings';
import { forEachLine } from './fileLines';
import { checkFileParallel, FileResult, parallelPlan, ThreadOptions } from './parallelCheck';

export type { FileResult, ThreadOptions } from './parallelCheck';

/**
 * Checks a file by streaming it: memory holds a bounded amount of it at a time (plus the
 * format-detection sample and the dataset rules' small per-record facts), so a 1 GB file is fine.
 * Files of 16 MB or more with curation rules are checked by worker threads, one per core (see
 * parallelCheck.ts); the findings are the same either way.
 */
export async function checkFile(file: string, settings: CheckSettings, signal?: AbortSignal, threads: ThreadOptions = {}): Promise<FileResult> {
  const plan = parallelPlan(file, settings, threads);
  if (plan) return checkFileParallel(file, settings, plan, signal, threads);
  return checkFileInThread(file, settings, signal);
}

/** The single-threaded check: every line through one StreamChecker. */
export async function checkFileInThread(file: string, settings: CheckSettings, signal?: AbortSignal): Promise<FileResult> {
  const findings: Finding[] = [];
  const checker = new StreamChecker(settings, (f) => findings.push(f));
  await forEachLine(file, (text, finding) => checker.pushLine(text, finding), { signal });
  const { format, records } = checker.end();
  return { format, records, findings: sortFindings(findings) };
}
