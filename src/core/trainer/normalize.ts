/**
 * Prepares an uploaded preference dataset for a training backend: the core engine checks it
 * (the same check as the editor and the CLI, so they never disagree), then each record becomes
 * an explicit prompt/chosen/rejected pair. Conversational layouts (TRL conversational, OpenAI
 * preference, HH-RLHF transcripts, implicit message lists) stay lists of messages so TRL applies
 * the model's chat template; `pairToText` renders them for a byte-level model.
 */
import { datasetRules, recordRules } from '../curation';
import { CheckSettings, checkText } from '../engine';
import { countBySeverity, Finding } from '../findings';
import { FORMAT_LABELS, FormatId, isPreferenceFormat } from '../formats';
import { parseLine, splitLines } from '../jsonl';
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
 * Checks and converts a dataset. The default settings are the default config with every
 * curation rule, as `dialogue-curator check` runs them on a file without a project config.
 */
export function prepareDataset(text: string, settings: CheckSettings = { recordRules, datasetRules }): PreparedDataset {
  const summary = checkText(text, settings);
  const counts = countBySeverity(summary.findings);
  const prepared: PreparedDataset = {
    format: summary.format,
    records: summary.records,
    pairs: [],
    errors: summary.findings.filter((f) => f.severity === 'error').map(toLineError),
    warnings: counts.warning,
  };
  collectPairs(text, prepared, true);
  return prepared;
}

/**
 * What keeps a checked dataset from training, beyond its check's errors: no records, a format
 * that holds no preference pairs, records DPO cannot use (no prompt, identical responses). The
 * editor asks this before uploading, so the trainer's refusal comes before the upload, not after.
 */
export function trainingProblems(text: string, format: FormatId | undefined, records: number): LineError[] {
  const prepared: PreparedDataset = { format, records, pairs: [], errors: [], warnings: 0 };
  collectPairs(text, prepared, false);
  return prepared.errors;
}

/** Adds the file-level problems and each record's pair (or why it has none) to `prepared`. */
function collectPairs(text: string, prepared: PreparedDataset, keepPairs: boolean): void {
  if (prepared.records === 0) {
    prepared.errors.push({ line: 1, message: 'the file contains no records' });
    return;
  }
  if (!isPreferenceFormat(prepared.format)) {
    const what = prepared.format ? `${FORMAT_LABELS[prepared.format]} records` : 'no known dataset format';
    prepared.errors.unshift({
      line: 1,
      message: `DPO needs preference pairs (prompt, chosen, rejected); this file has ${what}`,
    });
    return;
  }
  if (prepared.errors.length) return;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseLine(lines[i]);
    if (parsed.kind !== 'value') continue;
    const pair = pairOf(prepared.format!, parsed.value);
    if (typeof pair === 'string') prepared.errors.push({ line: i + 1, message: pair });
    else if (keepPairs) prepared.pairs.push(pair);
  }
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

/** The per-line report a failed job carries: "line 3: …" lines, at most MAX_REPORTED_ERRORS. */
export function formatLineReport(errors: readonly LineError[]): string {
  const shown = errors.slice(0, MAX_REPORTED_ERRORS).map((e) => `line ${e.line}: ${e.message}`);
  if (errors.length > MAX_REPORTED_ERRORS) shown.push(`… and ${errors.length - MAX_REPORTED_ERRORS} more`);
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
  const key = (x: NormalizedPair['prompt']) => (typeof x === 'string' ? x : JSON.stringify(x.map((m) => [m.role, m.content])));
  const pairKeys = new Set<string>();
  const promptKeys = new Set<string>();
  for (const p of training) {
    const prompt = key(p.prompt);
    promptKeys.add(prompt);
    pairKeys.add(JSON.stringify([prompt, key(p.chosen), key(p.rejected)]));
  }
  let pairs = 0;
  let prompts = 0;
  for (const p of validation) {
    const prompt = key(p.prompt);
    if (pairKeys.has(JSON.stringify([prompt, key(p.chosen), key(p.rejected)]))) pairs++;
    else if (promptKeys.has(prompt)) prompts++;
  }
  return { pairs, prompts };
}
