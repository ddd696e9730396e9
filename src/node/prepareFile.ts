import { once } from 'events';
import * as fs from 'fs';
import { finished } from 'stream/promises';
import { CheckSettings, StreamFormatDecision } from '../core/engine';
import { compareFindings, Finding } from '../core/findings';
import { FormatId } from '../core/formats';
import { parseLine } from '../core/jsonl';
import {
  addPair,
  canHavePairs,
  DEFAULT_PREPARE_SETTINGS,
  LineError,
  LineErrors,
  MAX_REPORTED_ERRORS,
  NormalizedPair,
  toLineError,
} from '../core/trainer/normalize';
import { checkLines, forEachLine } from './fileLines';

export interface PreparedFile {
  format: FormatId | undefined;
  records: number;
  /** Pairs written to the output. */
  pairs: number;
  /** The first `keepErrors` of prepareDataset's `errors`. */
  errors: LineError[];
  /** How many errors there are in all (prepareDataset's `errors.length`). */
  errorCount: number;
  warnings: number;
}

export interface PrepareFileOptions {
  /** Where the pairs go, one a line. It exists afterwards only if the file can be trained on. */
  output: string;
  /** A pair's line in the output (default: its JSON). */
  line?: (pair: NormalizedPair) => string;
  /** Called with each pair as it is written. */
  onPair?: (pair: NormalizedPair) => void;
  /** Default: DEFAULT_PREPARE_SETTINGS, as prepareDataset. */
  settings?: CheckSettings;
  /** Errors kept with their text (default MAX_REPORTED_ERRORS); the others are only counted. */
  keepErrors?: number;
  signal?: AbortSignal;
}

/**
 * prepareDataset (core/trainer/normalize.ts) for a file on disk, streamed, as the trainer server
 * runs it on uploads: the same check, errors, warnings and pairs, in the memory of the streaming
 * check (a chunk of the file at a time, plus the facts the dataset rules keep per record), not a
 * multiple of the file: neither its text nor its pairs nor its findings are held.
 * The file is read in up to three passes:
 *   1. the format, voted by the first records exactly as the in-memory check votes (a few
 *      hundred lines; the streaming check alone stops voting after 64 MB of text);
 *   2. the check (StreamChecker): warnings counted, errors counted and the first ones kept;
 *   3. with no errors so far, each record's pair, written to the output line by line.
 * A line with bytes that are not UTF-8 is an `invalid-utf8` error, as `dialogue-curator check`
 * reports it (prepareDataset is given text, decoded already): the trainer refuses the upload
 * instead of training on U+FFFD where the text was.
 */
export async function prepareFile(file: string, options: PrepareFileOptions): Promise<PreparedFile> {
  const settings = options.settings ?? DEFAULT_PREPARE_SETTINGS;
  const format = settings.format ?? (await voteFormat(file, options.signal));
  const { records, errors, warnings } = await check(file, { ...settings, format }, options);
  let pairs = 0;
  if (canHavePairs(format, records, errors)) pairs = await writePairs(file, format!, errors, options);
  if (errors.count) await fs.promises.rm(options.output, { force: true });
  return { format, records, pairs, errors: errors.kept, errorCount: errors.count, warnings };
}

/**
 * The check, with the format decided: nothing is held back for the vote (a file whose records
 * have no known format has none at any length, so its first line decides as well). What the
 * dataset rules hold is let go when it returns, before the pairs are written.
 */
async function check(file: string, settings: CheckSettings, options: PrepareFileOptions): Promise<{ records: number; errors: LineErrors; warnings: number }> {
  const first = new FirstErrors(options.keepErrors ?? MAX_REPORTED_ERRORS);
  let warnings = 0;
  const onFinding = (f: Finding) => {
    if (f.severity === 'error') first.add(f);
    else if (f.severity === 'warning') warnings++;
  };
  const { records } = await checkLines(file, settings, onFinding, { signal: options.signal, maxBufferedChars: settings.format === undefined ? 0 : undefined });
  return { records, errors: first.errors(), warnings };
}

/** The format the in-memory check detects: the vote of the first DETECTION_SAMPLE records it recognises, however long they are. */
async function voteFormat(file: string, signal?: AbortSignal): Promise<FormatId | undefined> {
  const decision = new StreamFormatDecision(undefined, Infinity);
  const done = () => decision.decided;
  await forEachLine(file, (text) => void (done() || decision.push(text, parseLine(text))), { signal, done });
  return decision.decide();
}

/** Writes each record's pair as its line is read (the reading waits while the output drains); returns how many. */
async function writePairs(file: string, format: FormatId, errors: LineErrors, options: PrepareFileOptions): Promise<number> {
  const line = options.line ?? ((pair: NormalizedPair) => JSON.stringify(pair));
  const out = fs.createWriteStream(options.output);
  let failure: Error | undefined;
  out.on('error', (err) => (failure ??= err));
  let pairs = 0;
  let index = 0;
  const onPair = (pair: NormalizedPair) => {
    pairs++;
    options.onPair?.(pair);
    out.write(`${line(pair)}\n`);
  };
  try {
    await forEachLine(file, (text) => addPair(format, index++, parseLine(text), errors, onPair), {
      signal: options.signal,
      afterChunk: async () => {
        if (failure) throw failure;
        if (out.writableNeedDrain) await once(out, 'drain');
      },
    });
  } finally {
    out.end();
    await finished(out);
  }
  return pairs;
}

/**
 * The first `keep` errors in the order sortFindings puts findings (a stable sort by
 * compareFindings), whatever order they come in, and a count of all of them. The streaming check
 * gives findings nearly in order, so most land at the end or are dropped at once.
 */
class FirstErrors {
  private kept: { finding: Finding; seq: number }[] = [];
  private count = 0;

  constructor(private readonly keep: number) {}

  add(finding: Finding): void {
    const item = { finding, seq: this.count++ };
    const before = (a: typeof item, b: typeof item) => (compareFindings(a.finding, b.finding) || a.seq - b.seq) < 0;
    let at = this.kept.length;
    while (at > 0 && before(item, this.kept[at - 1])) at--;
    if (at >= this.keep) return;
    this.kept.splice(at, 0, item);
    if (this.kept.length > this.keep) this.kept.pop();
  }

  /** As LineErrors: the kept ones with their text, the others counted. */
  errors(): LineErrors {
    const errors = new LineErrors(this.keep);
    for (const { finding } of this.kept) errors.push(toLineError(finding));
    errors.skip(this.count - this.kept.length);
    return errors;
  }
}
