/**
 * Prepares an uploaded preference dataset for a training backend: the core engine checks it
 * (the same check as the editor and the CLI, so they never disagree), then each record becomes
 * an explicit prompt/chosen/rejected pair. Conversational layouts (TRL conversational, OpenAI
 * preference, HH-RLHF transcripts, implicit message lists) stay lists of messages so TRL applies
 * the model's chat template; `pairToText` renders them for a byte-level model.
 */
import { datasetRules, recordRules } from '../curation';
import { hash53 } from '../dataset/facts';
import { CheckSettings, checkText } from '../engine';
import { countBySeverity, Finding } from '../findings';
import { FORMAT_LABELS, FormatId, isPreferenceFormat } from '../formats';
import { ParsedLine, parseLine, splitLines } from '../jsonl';
import { extractParts, Turn } from '../parts';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface NormalizedPair {
  prompt: string | ChatMessage[];
  chosen: string | ChatMessage[];
  rejected: string | ChatMessage[];
}

export interface LineError {
  /** 1-based line number in the uploaded file. */
  line: number;
  message: string;
}

export interface PreparedDataset {
  format: FormatId | undefined;
  records: number;
  pairs: NormalizedPair[];
  /** Problems that stop training, sorted by line. Empty when the dataset can be trained on. */
  errors: LineError[];
  warnings: number;
}

/** Longest report a job error carries; the rest is summarised as a count. */
export const MAX_REPORTED_ERRORS = 20;

/**
 * What a dataset is prepared with by default (the trainer server has no project config): the
 * default config with every curation rule, as `dialogue-curator check` runs them on a file
 * without a project config.
 */
export const DEFAULT_PREPARE_SETTINGS: CheckSettings = { recordRules, datasetRules };

/**
 * A dataset's errors in report order: the first `keep` with their text, every one counted (a
 * file of a million bad lines does not need a million messages to be refused).
 */
export class LineErrors {
  readonly kept: LineError[] = [];
  count = 0;

  constructor(readonly keep = Infinity) {}

  push(error: LineError): void {
    if (this.kept.length < this.keep) this.kept.push(error);
    this.count++;
  }

  unshift(error: LineError): void {
    this.kept.unshift(error);
    if (this.kept.length > this.keep) this.kept.pop();
    this.count++;
  }

  /** Counts errors that come after the kept ones without their text. */
  skip(n: number): void {
    this.count += n;
  }
}

/**
 * Checks and converts a dataset held in memory (the streamed form for files is
 * src/node/prepareFile.ts). The default settings are DEFAULT_PREPARE_SETTINGS.
 */
export function prepareDataset(text: string, settings: CheckSettings = DEFAULT_PREPARE_SETTINGS): PreparedDataset {
  const summary = checkText(text, settings);
  const counts = countBySeverity(summary.findings);
  const errors = new LineErrors();
  for (const f of summary.findings) if (f.severity === 'error') errors.push(toLineError(f));
  const prepared: PreparedDataset = { format: summary.format, records: summary.records, pairs: [], errors: errors.kept, warnings: counts.warning };
  collectPairs(text, prepared.format, prepared.records, errors, (pair) => prepared.pairs.push(pair));
  return prepared;
}

/**
 * What keeps a checked dataset from training, beyond its check's errors: no records, a format
 * that holds no preference pairs, records DPO cannot use (no prompt, identical responses). The
 * editor asks this before uploading, so the trainer's refusal comes before the upload, not after.
 */
export function trainingProblems(text: string, format: FormatId | undefined, records: number): LineError[] {
  const errors = new LineErrors();
  collectPairs(text, format, records, errors);
  return errors.kept;
}

/** Adds the file-level problems and each record's pair (or why it has none). */
function collectPairs(text: string, format: FormatId | undefined, records: number, errors: LineErrors, onPair?: (pair: NormalizedPair) => void): void {
  if (!canHavePairs(format, records, errors)) return;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) addPair(format!, i, parseLine(lines[i]), errors, onPair);
}

/**
 * Adds what stops a whole checked file (no records, no preference format) to its check's
 * errors; true when its records are to be converted next (no errors at all so far).
 */
export function canHavePairs(format: FormatId | undefined, records: number, errors: LineErrors): boolean {
  if (records === 0) {
    errors.push({ line: 1, message: 'the file contains no records' });
    return false;
  }
  if (!isPreferenceFormat(format)) {
    const what = format ? `${FORMAT_LABELS[format]} records` : 'no known dataset format';
    errors.unshift({ line: 1, message: `DPO needs preference pairs (prompt, chosen, rejected); this file has ${what}` });
    return false;
  }
  return errors.count === 0;
}

/** Converts line `index` (0-based) of a file that can have pairs: its pair, or why it has none. */
export function addPair(format: FormatId, index: number, parsed: ParsedLine, errors: LineErrors, onPair?: (pair: NormalizedPair) => void): void {
  if (parsed.kind !== 'value') return;
  const pair = pairOf(format, parsed.value);
  if (typeof pair === 'string') errors.push({ line: index + 1, message: pair });
  else onPair?.(pair);
}

/** A finding as a line of the per-line report (1-based line, the rule's code in brackets). */
export function toLineError(f: Finding): LineError {
  const field = f.field && !f.message.includes(`"${f.field}"`) ? ` (${f.field})` : '';
  return { line: f.line + 1, message: `${f.message}${field} [${f.code}]` };
}

/** The record's pair, or a message saying why it cannot be trained on. */
function pairOf(format: FormatId, value: unknown): NormalizedPair | string {
  const parts = extractParts(format, value);
  if (!parts) return 'not a preference record';
  if (parts.chosen.length === 0 || parts.rejected.length === 0) return 'missing a chosen or a rejected response';
  if (parts.context.length === 0) return 'no prompt: chosen and rejected share no beginning';
  const plainText =
    format === 'trl-standard' ||
    (format === 'trl-implicit' && typeof (value as { chosen?: unknown }).chosen === 'string');
  // A text prompt goes to the trainer as written (a transcript prompt keeps its "Human:" marks).
  const prompt = format === 'trl-standard' ? String((value as { prompt?: unknown }).prompt) : joinText(parts.context);
  const pair: NormalizedPair = plainText
    ? { prompt, chosen: joinText(parts.chosen), rejected: joinText(parts.rejected) }
    : { prompt: toMessages(parts.context), chosen: toMessages(parts.chosen), rejected: toMessages(parts.rejected) };
  if (sameCompletion(pair.chosen, pair.rejected)) return 'chosen and rejected are identical';
  return pair;
}

function joinText(turns: Turn[]): string {
  return turns.map((t) => t.content).join('\n\n');
}

/** Turns back to messages; the text parts of one message (same path up to `content`) rejoin. */
function toMessages(turns: Turn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let lastKey = '';
  for (const t of turns) {
    const at = t.path.indexOf('content');
    const key = at >= 0 ? JSON.stringify(t.path.slice(0, at)) : '';
    if (key && key === lastKey && out.length) out[out.length - 1].content += `\n${t.content}`;
    else out.push({ role: t.role, content: t.content });
    lastKey = key;
  }
  return out;
}

function sameCompletion(a: string | ChatMessage[], b: string | ChatMessage[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The per-line report a failed job carries: "line 3: …" lines, at most MAX_REPORTED_ERRORS.
 * `total` counts the errors when only the first ones are given.
 */
export function formatLineReport(errors: readonly LineError[], total = errors.length): string {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS).map((e) => `line ${e.line}: ${e.message}`);
  if (total > shown.length) shown.push(`… and ${total - shown.length} more`);
  return shown.join('\n');
}

function renderMessages(msgs: ChatMessage[]): string {
  return msgs.map((m) => `${m.role}: ${m.content}\n`).join('');
}

/** Plain text for a model without a chat template (the tiny byte-level backend). */
export function pairToText(pair: NormalizedPair): { prompt: string; chosen: string; rejected: string } {
  const completion = (c: string | ChatMessage[]) => (typeof c === 'string' ? c : c.map((m) => m.content).join('\n'));
  if (typeof pair.prompt === 'string') {
    return { prompt: pair.prompt, chosen: completion(pair.chosen), rejected: completion(pair.rejected) };
  }
  return {
    prompt: `${renderMessages(pair.prompt)}assistant: `,
    chosen: completion(pair.chosen),
    rejected: completion(pair.rejected),
  };
}

/**
 * How much a validation set overlaps the training set: validation pairs found whole in the
 * training pairs, and the others whose prompt the training set also has. Either makes the
 * `eval_` metrics look better than they would on unseen dialogues.
 */
export function validationOverlap(training: readonly NormalizedPair[], validation: readonly NormalizedPair[]): { pairs: number; prompts: number } {
  const overlap = new ValidationOverlap();
  for (const p of training) overlap.addTraining(p);
  for (const p of validation) overlap.addValidation(p);
  return overlap.counts;
}

/**
 * validationOverlap as the pairs stream by, training pairs first: it keeps two 53-bit hashes
 * per training pair (its prompt, the whole pair), not the pairs. Messages compare by role and
 * content, whatever their other keys or key order.
 */
export class ValidationOverlap {
  private prompts = new Set<number>();
  private pairs = new Set<number>();
  readonly counts = { pairs: 0, prompts: 0 };

  addTraining(pair: NormalizedPair): void {
    const { prompt, whole } = pairHashes(pair);
    this.prompts.add(prompt);
    this.pairs.add(whole);
  }

  addValidation(pair: NormalizedPair): void {
    const { prompt, whole } = pairHashes(pair);
    if (this.pairs.has(whole)) this.counts.pairs++;
    else if (this.prompts.has(prompt)) this.counts.prompts++;
  }
}

function pairHashes(p: NormalizedPair): { prompt: number; whole: number } {
  const key = (x: NormalizedPair['prompt']) => (typeof x === 'string' ? x : JSON.stringify(x.map((m) => [m.role, m.content])));
  const prompt = key(p.prompt);
  return { prompt: hash53(prompt), whole: hash53(JSON.stringify([prompt, key(p.chosen), key(p.rejected)])) };
}
