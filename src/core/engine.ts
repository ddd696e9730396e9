import { BUNDLED_SCHEMAS } from './bundledSchemas';
import type { ChunkStores } from './dataset/chunks';
import { FactTable } from './dataset/factTable';
import { applyRuleSettings, CuratorConfig, DEFAULT_CONFIG, settledFinding } from './config';
import { atLine, CodeCounts, Finding, following, LineAnchor, SEVERITY_RANK } from './findings';
import { classifyRecord, FORMAT_LABELS, FormatId } from './formats';
import { notObjectFinding, ParsedLine, parseLine, splitLines } from './jsonl';
import { compactText, unpackText } from './packedText';
import { LineLocator } from './positions';
import { RecordValidator, SchemaCompiler } from './schemaCheck';
import { firstAtLine } from './sorted';

/** How many records (from the top of the file) decide the detected format. */
export const DETECTION_SAMPLE = 200;

/** What one record rule sees. Findings it returns are placed on line 0 (the model moves them). */
export interface RecordInput {
  text: string;
  value: Record<string, unknown>;
  format: FormatId | undefined;
  locator: LineLocator;
  /** Scratch space for facts that dataset rules read later (hashes, scores, token counts). */
  facts: Record<string, unknown>;
}

export interface RuleContext {
  config: CuratorConfig;
  format: FormatId | undefined;
}

/** A check of one record at a time; its results are cached per line. */
export interface RecordRule {
  id: string;
  check(record: RecordInput, ctx: RuleContext): Finding[];
}

/**
 * What a dataset rule sees of each record: its line and the facts record rules stored. In the
 * editor model an entry lives as long as its line's facts, and `line` follows the line as lines
 * above it are inserted or deleted.
 */
export interface RecordEntry extends LineAnchor {
  line: number;
  facts: Readonly<Record<string, unknown>>;
}

/**
 * A dataset rule's running state: records are added and removed one at a time, and `findings`
 * gives the same findings as the rule's `check` on the records present. Lets the editor redo only
 * what an edit changed (one record out, one in) instead of the whole file.
 */
export interface DatasetAccumulator {
  /**
   * Counts a record in; the entry object identifies it until `remove`. When it is called, the
   * lines of the entries present are current, and entries never change places relative to each
   * other, so an accumulator may keep its records in line order.
   */
  add(entry: RecordEntry): void;
  remove(entry: RecordEntry): void;
  /**
   * Findings for the records present; `ordered` lists exactly those entries, in line order, with
   * current lines. `moved` is false when no entry's line changed since the last call (records
   * only came and went in place), so an accumulator need not look for moved lines.
   */
  findings(ordered: readonly RecordEntry[], moved?: boolean): Finding[];
  /**
   * What the last `findings` call changed, when the rule knows it: the model then need not compare
   * two lists of a hundred thousand findings to find the two that differ. Undefined when unknown.
   */
  change?(): ListChange | undefined;
}

/** The findings a rule's list `to` has that its list `from` had not, and the reverse. */
export interface ListChange {
  from: readonly Finding[];
  to: readonly Finding[];
  removed: Finding[];
  /** With their index in `to`. */
  added: { finding: Finding; index: number }[];
}

/** A check across the whole file; it runs on the cached facts, so it must be cheap. */
export interface DatasetRule {
  id: string;
  /** Findings for `records` (in line order). */
  check(records: readonly RecordEntry[], ctx: RuleContext): Finding[];
  /** The running form of the rule, when it has one (see DatasetAccumulator). */
  start?(ctx: RuleContext): DatasetAccumulator;
  /**
   * The same findings as `check`, from the compact facts a streaming check keeps (see FactTable),
   * when the rule can work from those.
   */
  checkTable?(table: FactTable, ctx: RuleContext, emit: (finding: Finding) => void): void;
  /**
   * Record-rule codes this rule may fold into a note of its own. A finding of the rule whose
   * `data.folds` lists codes replaces every record finding with those codes (see foldedCodes); the
   * streaming checks hold such record findings back until the dataset findings are known.
   */
  folds?: readonly string[];
}

/** The record-finding codes that the dataset findings fold away (undefined: none, the usual case). */
function foldedCodes(datasetFindings: Iterable<Finding>): Set<string> | undefined {
  let codes: Set<string> | undefined;
  for (const f of datasetFindings) {
    const folds = f.data?.folds;
    if (!Array.isArray(folds)) continue;
    for (const code of folds) if (typeof code === 'string') (codes ??= new Set()).add(code);
  }
  return codes;
}

/** The codes the dataset rules may fold, whose record findings a streaming check holds back. */
export function foldableCodes(rules: readonly DatasetRule[] | undefined): Set<string> | undefined {
  const codes = new Set((rules ?? []).flatMap((r) => r.folds ?? []));
  return codes.size ? codes : undefined;
}

export interface CheckSettings {
  config?: CuratorConfig;
  /** Forces a format instead of detecting it. */
  format?: FormatId;
  /** A custom schema replacing the format's bundled one (`id` keys the compile cache). */
  customSchema?: { id: string; schema: object };
  recordRules?: RecordRule[];
  datasetRules?: DatasetRule[];
}

const sharedCompiler = new SchemaCompiler();

/** Compiles a custom schema now (cached for the checks), so a broken schema is reported up front. */
export function compileCustomSchema(id: string, schema: object): RecordValidator {
  return sharedCompiler.compile(`custom:${id}`, schema);
}

/** The per-record checks for a given format: schema first, then the record rules. */
class RecordPipeline {
  readonly config: CuratorConfig;
  private validators = new Map<FormatId | 'custom', RecordValidator>();

  constructor(readonly settings: CheckSettings) {
    this.config = settings.config ?? DEFAULT_CONFIG;
  }

  validator(format: FormatId | undefined): RecordValidator | undefined {
    const custom = this.settings.customSchema;
    const key = custom ? 'custom' : format;
    if (!key) return undefined;
    let v = this.validators.get(key);
    if (!v) {
      v = custom ? compileCustomSchema(custom.id, custom.schema) : sharedCompiler.compile(`bundled:${key}`, BUNDLED_SCHEMAS[key as FormatId]);
      this.validators.set(key, v);
    }
    return v;
  }

  /** Findings on line 0 for one parsed object record. */
  check(text: string, value: Record<string, unknown>, format: FormatId | undefined, facts: Record<string, unknown>): Finding[] {
    const locator = new LineLocator(text);
    const findings: Finding[] = [];
    const validate = this.validator(format);
    if (validate) {
      const schema = validate(value, locator);
      // A record of another known format in the file: its schema errors say why, the first names it.
      const other = schema.length && format && !this.settings.customSchema ? classifyRecord(value) : undefined;
      if (other && other !== format) schema[0] = { ...schema[0], message: `${schema[0].message} (this record is in the ${FORMAT_LABELS[other]} format, the file in ${FORMAT_LABELS[format!]}: keep one format per file)` };
      findings.push(...schema);
    }
    const rules = this.settings.recordRules;
    if (rules?.length) {
      const input: RecordInput = { text, value, format, locator, facts };
      const ctx: RuleContext = { config: this.config, format };
      for (const rule of rules) findings.push(...rule.check(input, ctx));
    }
    return findings;
  }
}

/**
 * The dataset rules of one check, fed record by record. Rules with a running form
 * (`DatasetRule.start`) keep their state between calls of `findings`, so after an edit only the
 * records that changed are counted out and in again; the others run `check` over all entries.
 */
export class DatasetRun {
  private accumulators: (DatasetAccumulator | undefined)[];

  constructor(
    private rules: readonly DatasetRule[],
    private ctx: RuleContext,
  ) {
    this.accumulators = rules.map((r) => r.start?.(ctx));
  }

  add(entry: RecordEntry): void {
    for (const a of this.accumulators) a?.add(entry);
  }

  remove(entry: RecordEntry): void {
    for (const a of this.accumulators) a?.remove(entry);
  }

  /**
   * Every rule's findings with the config's rule settings applied, rule by rule, and the record
   * codes they fold away; `ordered` holds exactly the entries added, in line order.
   */
  result(ordered: readonly RecordEntry[]): { findings: Finding[]; folded: Set<string> | undefined } {
    const lists = this.settledLists(ordered);
    const findings: Finding[] = [];
    // A loop, not push(...): a dataset rule may return more findings than a call can take arguments.
    for (const list of lists) for (const f of list) findings.push(f);
    return { findings, folded: this.folded(lists) };
  }

  /**
   * Each rule's findings with the config's rule settings applied (see findingLists): a severity
   * set for a rule's code is written into the rule's own finding objects, and findings of a rule
   * turned off are left out. In place, not copied: the running rules move their findings to other
   * lines when lines are inserted or removed above them, and a copy would stay on the old line;
   * the same objects also come back call after call, as listDelta expects. The config is the
   * run's for good (a new config starts a new run), so a finding's severity never changes back.
   */
  settledLists(ordered: readonly RecordEntry[], moved = true): readonly (readonly Finding[])[] {
    const lists = this.findingLists(ordered, moved);
    const rules = this.ctx.config.rules;
    if (!Object.keys(rules).length) return lists;
    return lists.map((list) => {
      let out: Finding[] | undefined;
      for (let i = 0; i < list.length; i++) {
        const f = list[i];
        const severity = rules[f.code]?.severity;
        if (severity === 'off') out ??= list.slice(0, i);
        else {
          if (severity && severity !== f.severity) f.severity = severity;
          out?.push(f);
        }
      }
      return out ?? list;
    });
  }

  /** The record codes that `lists` (as settledLists gives them) fold away: only folding rules' findings are read. */
  folded(lists: readonly (readonly Finding[])[]): Set<string> | undefined {
    return foldedBy(this.rules, lists);
  }

  /** What each running rule says its last findings changed (see DatasetAccumulator.change). */
  changes(): (ListChange | undefined)[] {
    return this.accumulators.map((a) => a?.change?.());
  }

  /** Each rule's findings as it returned them (not to be changed: rules may hand back a list they keep). */
  findingLists(ordered: readonly RecordEntry[], moved = true): readonly Finding[][] {
    return this.rules.map((rule, i) => {
      const acc = this.accumulators[i];
      return acc ? acc.findings(ordered, moved) : rule.check(ordered, this.ctx);
    });
  }
}

/** The record codes that the rules' settled finding lists (one per rule) fold away: only folding rules' findings are read. */
function foldedBy(rules: readonly DatasetRule[], lists: readonly (readonly Finding[])[]): Set<string> | undefined {
  return foldedCodes(lists.flatMap((list, k) => (rules[k].folds ? list : NO_FINDINGS)));
}

/**
 * The dataset rules of a streaming check (the CLI's, the trainer server's), fed each record's
 * facts once, in line order. When every rule can work from compact facts (DatasetRule.checkTable),
 * the facts go into a FactTable and nothing is kept per record but a few numbers; otherwise the
 * entries are kept for DatasetRun.
 */
export class StreamedDataset {
  private table: FactTable | undefined;
  private entries: RecordEntry[] = [];

  /** `stores`: where the fact table's big columns put their full chunks (see ChunkStore; in memory unless given). */
  constructor(
    private rules: readonly DatasetRule[],
    private ctx: RuleContext,
    stores?: ChunkStores,
  ) {
    if (rules.every((r) => r.checkTable)) this.table = new FactTable(ctx.config, stores);
  }

  add(line: number, facts: Record<string, unknown>): void {
    if (this.table) this.table.add(line, facts);
    else this.entries.push({ line, facts });
  }

  /**
   * Emits the dataset findings in DatasetRun.result's order (rule by rule, rule settings applied)
   * without holding them all: only the findings of rules that fold record codes are held, and
   * `folding` is called with the codes they fold before the first finding is emitted (a caller
   * emits the record findings it held back then, or drops them). Returns the folded codes.
   */
  emit(emit: (finding: Finding) => void, folding?: (folded: Set<string> | undefined) => void): Set<string> | undefined {
    const table = this.table;
    if (!table) {
      const run = new DatasetRun(this.rules, this.ctx);
      for (const e of this.entries) run.add(e);
      const { findings, folded } = run.result(this.entries);
      folding?.(folded);
      for (const f of findings) emit(f);
      return folded;
    }
    const config = this.ctx.config;
    const check = (rule: DatasetRule, to: (finding: Finding) => void) =>
      rule.checkTable!(table, this.ctx, (f) => {
        const settled = settledFinding(f, config);
        if (settled) to(settled);
      });
    // Rules read the table only: running the folding ones first changes nothing else.
    const held = this.rules.map((rule) => {
      if (!rule.folds) return undefined;
      const list: Finding[] = [];
      check(rule, (f) => list.push(f));
      return list;
    });
    const folded = foldedBy(this.rules, held.map((list) => list ?? NO_FINDINGS));
    folding?.(folded);
    this.rules.forEach((rule, k) => {
      const list = held[k];
      if (list) for (const f of list) emit(f);
      else check(rule, emit);
    });
    this.dispose();
    return folded;
  }

  /** Lets go of the fact table's stores (temporary files): after `emit`, or when the check is given up. */
  dispose(): void {
    this.table?.dispose();
  }
}

/**
 * Sorts findings with `compareFindings`, with the same result as a stable `Array.sort`, in
 * linear time when lines are dense: a counting sort by line, then a sort within each line that
 * has several findings. (A file of 100k records can carry 150k findings: sorting them whole on
 * every re-check was a good share of the editor's wait.)
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const order = findingOrder(
    findings.length,
    (i) => findings[i].line,
    (a, b) => compareSameOrder(findings[a], findings[b]),
  );
  return Array.from(order, (i) => findings[i]);
}

/**
 * sortFindings on findings known by index (0 to n - 1): the indexes in sorted order. `compare`
 * orders two findings as compareFindings does; ties keep index order.
 */
export function findingOrder(n: number, lineOf: (i: number) => number, compare: (a: number, b: number) => number): Int32Array {
  const stable = (a: number, b: number) => compare(a, b) || a - b;
  const all = () => Int32Array.from({ length: n }, (_, i) => i).sort(stable);
  let max = -1;
  for (let i = 0; i < n; i++) {
    const line = lineOf(i);
    if (!Number.isInteger(line) || line < 0) return all();
    if (line > max) max = line;
  }
  if (max > 4 * n + 1024) return all();
  const starts = new Int32Array(max + 2);
  for (let i = 0; i < n; i++) starts[lineOf(i) + 1]++;
  for (let i = 1; i < starts.length; i++) starts[i] += starts[i - 1];
  const out = new Int32Array(n);
  const next = starts.slice(0, max + 1);
  for (let i = 0; i < n; i++) out[next[lineOf(i)]++] = i;
  for (let line = 0; line <= max; line++) sortRunBy(out, starts[line], starts[line + 1], stable);
  return out;
}

/** `localeCompare` of two rule codes, remembered: findings on one line often tie up to their codes. */
const codeOrder = new Map<string, Map<string, number>>();

export function compareCodes(a: string, b: string): number {
  if (a === b) return 0;
  let row = codeOrder.get(a);
  if (!row) {
    row = new Map();
    // Codes are rule ids, a few dozen; the bound only guards against a flood of made-up ones.
    if (codeOrder.size < 1000) codeOrder.set(a, row);
  }
  let order = row.get(b);
  if (order === undefined) {
    order = a.localeCompare(b);
    if (row.size < 1000) row.set(b, order);
  }
  return order;
}

/** The order of `compareFindings`, with the code comparison remembered (see compareCodes). */
function compareSameOrder(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || compareCodes(a.code, b.code);
}

/**
 * Sorts `list[from, to)` (one line's findings) in place, stably: an insertion sort, since a line
 * holds a handful of findings that are mostly in order already.
 */
function sortRun(list: Finding[], from: number, to: number): void {
  sortRunBy(list, from, to, compareSameOrder);
}

/** sortRun for any items and stable order. */
function sortRunBy<T>(list: { [i: number]: T; slice(from: number, to: number): { sort(compare: (a: T, b: T) => number): ArrayLike<T> } }, from: number, to: number, compare: (a: T, b: T) => number): void {
  if (to - from > 32) {
    const run = list.slice(from, to).sort(compare);
    for (let k = 0; k < run.length; k++) list[from + k] = run[k];
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const f = list[i];
    let j = i;
    while (j > from && compare(list[j - 1], f) > 0) {
      list[j] = list[j - 1];
      j--;
    }
    list[j] = f;
  }
}

/**
 * A line as parsed. An object record's value is dropped once its checks have run (`dropped`): the
 * model would otherwise hold every record twice, as text and as objects (a quarter of its memory
 * on a 100k-line file); it is parsed again from the text when needed. `format` keeps what the
 * format vote needs of it.
 */
export type ParsedState = { kind: 'blank' } | { kind: 'invalid'; finding: Finding } | { kind: 'value'; value: unknown; dropped?: boolean; format?: FormatId | null };

/**
 * One line's record check as the editor model keeps it: the parse state (an object record's value
 * dropped), the findings on line 0 before rule settings, the facts for the dataset rules. Plain
 * data, so other threads can make it (LineRecordChecker) for the model to adopt.
 */
export interface LineRecordCheck {
  state: ParsedState;
  findings: Finding[];
  facts?: Record<string, unknown>;
}

/** Runs a parsed line's record checks (schema and record rules) as the model does; drops an object record's value. */
function recordCheck(pipeline: RecordPipeline, text: string, parsed: ParsedState, format: FormatId | undefined): Omit<LineRecordCheck, 'state'> {
  if (parsed.kind !== 'value') return { findings: parsed.kind === 'invalid' ? [parsed.finding] : [] };
  const v = valueOf(text, parsed);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { findings: [notObjectFinding(text, v)] };
  const facts: Record<string, unknown> = {};
  const findings = pipeline.check(text, v as Record<string, unknown>, format, facts);
  classification(parsed);
  parsed.value = undefined;
  parsed.dropped = true;
  return { findings, facts };
}

/** The model's record checks of single lines, for another thread (see DatasetModel.adoptChecks). */
export class LineRecordChecker {
  private pipeline: RecordPipeline;

  constructor(
    settings: CheckSettings,
    readonly format: FormatId | undefined,
  ) {
    this.pipeline = new RecordPipeline(settings);
  }

  check(text: string): LineRecordCheck {
    const state = toState(parseLine(text));
    return { state, ...recordCheck(this.pipeline, text, state, this.format) };
  }
}

/**
 * Line numbers that follow inserts and removals without a visit of the lines below them: a line
 * keeps the number it had at one point (see LineState.line) and the splices logged since are
 * applied when the number is read, which is then kept. A line insert near the top of a 100k-line
 * file moved every line, entry and finding below it, one write each: tens of milliseconds of
 * memory traffic before anything was checked. After `numberingLimits.log` splices the model numbers every line
 * again (one visit) and starts a new log, so a read applies at most that many.
 */
class Numbering {
  /** The splices logged since `base`, three numbers each: start, end (first line after the removed ones), shift. */
  private log: number[] = [];
  private base = 0;

  /** How many splices were logged in all: a number read at this epoch is current. */
  get epoch(): number {
    return this.base + this.log.length / 3;
  }

  /** Splices logged since the lines were last numbered all together. */
  get logged(): number {
    return this.log.length / 3;
  }

  /** Logs a splice: lines [start, start + removed) replaced by `added` lines. */
  take(start: number, removed: number, added: number): void {
    this.log.push(start, start + removed, added - removed);
  }

  /** Line `line` as numbered at `epoch`, numbered now (only read for lines still present). */
  now(line: number, epoch: number): number {
    const log = this.log;
    for (let k = Math.max(0, epoch - this.base) * 3; k < log.length; k += 3) if (line >= log[k + 1]) line += log[k + 2];
    return line;
  }

  /** Starts a new log: every line present has just been numbered at the current epoch. */
  reset(): void {
    this.base = this.epoch;
    this.log = [];
  }
}

/** After `log` splices the model numbers every line again (see Numbering); tests lower it to cross renumberings often. */
export const numberingLimits = { log: 64 };

class LineState {
  /** null until parsed (a freshly inserted line). */
  parsed: null | ParsedState = null;
  /** Findings that depend on the format and rules; undefined when they need recomputing. */
  recordFindings?: Finding[];
  facts?: Record<string, unknown>;
  /** This record as the dataset rules know it (set while it is counted in `DatasetModel.dataset`). */
  entry?: RecordEntry;
  /**
   * `recordFindings` with the rule settings applied, on this line: they follow it (see
   * `following`), so moving the line moves them.
   */
  placed?: Finding[];
  /** The line's number at epoch `seen` (see Numbering). */
  private at = -1;
  private seen = 0;

  constructor(
    /** The line's text, or its packed form when `packed` (see packedText.ts); read it with `textOf`. */
    readonly text: string,
    readonly packed: boolean,
    private readonly numbering: Numbering,
  ) {}

  /** The line's number, as of the last summary or placement (meaningful once placed). */
  get line(): number {
    const epoch = this.numbering.epoch;
    if (this.seen !== epoch) {
      this.at = this.numbering.now(this.at, this.seen);
      this.seen = epoch;
    }
    return this.at;
  }

  set line(i: number) {
    this.at = i;
    this.seen = this.numbering.epoch;
  }
}

/** A line's record as the dataset rules know it in the editor's model: on its line, wherever that is now. */
class LineEntry implements RecordEntry {
  constructor(
    private readonly state: LineState,
    readonly facts: Readonly<Record<string, unknown>>,
  ) {}

  get line(): number {
    return this.state.line;
  }
}

/** A splice since the last summary, as DatasetModel.splice was given it. */
interface PendingSplice {
  start: number;
  removed: number;
  states: LineState[];
}

export interface CheckSummary {
  format: FormatId | undefined;
  /** Non-blank lines (each is a record, valid or not). */
  records: number;
  findings: Finding[];
}

/**
 * A dataset document kept in memory line by line. An edit re-parses only the lines it touched;
 * schema and rule results are cached per line and recomputed only when the detected format
 * changes; dataset rules keep running counts, so an edit only counts the changed records out
 * and in again.
 */
export class DatasetModel {
  private lines: LineState[] = [];
  private pipeline: RecordPipeline;
  private detected: FormatId | undefined;
  /** The dataset rules' state; every line with an `entry` is counted in it. */
  private dataset: DatasetRun | undefined;
  /** What the last summary was made of, so that an edit that moves no line can patch it. */
  private last: LastSummary | undefined;
  /** Lines replaced since the last summary while no line moved; undefined once lines moved. */
  private touched: number[] | undefined;
  /** The lines, as the last summary numbered them, of the lines removed since. */
  private goneLines: number[] = [];
  /** The entries of the records removed since the last summary. */
  private goneEntries: RecordEntry[] = [];
  /** The splices since the last summary, in order. */
  private pending: PendingSplice[] = [];
  private numbering = new Numbering();
  /**
   * How the last summary was made: every line visited; only the edited lines with a new merge;
   * the edited lines and the dataset findings that came and went spliced into the last findings;
   * the same after lines were inserted or removed, the other lines' findings following their
   * lines ('shifted'); or only the edited lines patched (tests and the bench read it).
   */
  lastSummaryKind: 'full' | 'merged' | 'shifted' | 'spliced' | 'patched' = 'full';
  /** Why the last summary could not be made the quick way and was made in full instead (a bug to report), if it was. */
  quickFailure: Error | undefined;
  /** Lines [0, countedTo) are placed and counted into the dataset run before the first summary (see countChecked); -1 once lines moved. */
  private countedTo = 0;

  constructor(private settings: CheckSettings = {}) {
    this.pipeline = new RecordPipeline(settings);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  /** Replaces the settings (config or override changed): every cached result is dropped. */
  configure(settings: CheckSettings): void {
    this.settings = settings;
    this.pipeline = new RecordPipeline(settings);
    this.dropResults();
    this.last = undefined;
  }

  setText(text: string): void {
    this.setLines(splitLines(text));
  }

  /** Adds the lines of `text` after the last line: the next piece of a text given in pieces (see textChunks). */
  appendText(text: string): void {
    this.splice(this.lines.length, 0, splitLines(text, false));
  }

  setLines(lines: string[]): void {
    this.lines = lines.map((text) => lineState(text, this.numbering));
    this.dataset = undefined;
    this.last = undefined;
    this.countedTo = 0;
  }

  /** Replaces `deleteCount` lines at `start` with new lines (parsed later, on demand). */
  splice(start: number, deleteCount: number, newLines: string[]): void {
    const states = newLines.map((text) => lineState(text, this.numbering));
    // Lines counted ahead of the first summary are no longer where they were counted.
    if (!this.last && this.countedTo > 0) this.countedTo = -1;
    if (this.last) this.pending.push({ start, removed: deleteCount, states });
    for (const l of spliceItems(this.lines, start, deleteCount, states)) {
      // Where its findings and its entry sit in the last summary (see shiftedSummary).
      if (l.placed) this.goneLines.push(l.line);
      if (l.entry) this.goneEntries.push(l.entry);
      this.forget(l);
    }
    if (this.touched && deleteCount === newLines.length) for (let k = 0; k < deleteCount; k++) this.touched.push(start + k);
    else this.touched = undefined;
  }

  /**
   * Counts a record into the dataset rules, then lets go of its shortcut candidates' text (the
   * facts' `so` and `ro`, about a third of a record's size in the bench file): the shortcut rule
   * keeps their n-grams as hashes and the words of the frequent ones, and no rule reads them again.
   */
  private count(dataset: DatasetRun, e: RecordEntry): void {
    dataset.add(e);
    const facts = e.facts as { so?: string; ro?: string } | undefined;
    if (facts && (facts.so !== undefined || facts.ro !== undefined)) {
      facts.so = undefined;
      facts.ro = undefined;
    }
  }

  /**
   * A new dataset run, which counts every record in again. The facts' candidate texts that an
   * earlier run took (see count) are not needed: the run is only ever dropped with the facts
   * themselves (new lines, or dropResults).
   */
  private startRun(rules: readonly DatasetRule[], format: FormatId | undefined): DatasetRun {
    for (const l of this.lines) l.entry = undefined;
    return (this.dataset = new DatasetRun(rules, { config: this.pipeline.config, format }));
  }

  /** Drops a line's format-dependent results (and counts its record out of the dataset rules). */
  private forget(l: LineState): void {
    if (l.entry) this.dataset?.remove(l.entry);
    l.entry = undefined;
    l.recordFindings = undefined;
    l.facts = undefined;
    l.placed = undefined;
  }

  /** Drops every line's format-dependent results and the dataset rules' state. */
  private dropResults(): void {
    this.dataset = undefined;
    if (this.countedTo > 0) this.countedTo = 0;
    for (const l of this.lines) {
      l.entry = undefined;
      l.recordFindings = undefined;
      l.facts = undefined;
      l.placed = undefined;
    }
  }

  /** Parses lines [from, to) that are not parsed yet; returns how many it parsed. Lets callers work in slices. */
  parseRange(from: number, to: number): number {
    let n = 0;
    const end = Math.min(to, this.lines.length);
    for (let i = from; i < end; i++) {
      const l = this.lines[i];
      if (l.parsed) continue;
      l.parsed = toState(parseLine(textOf(l)));
      this.forget(l);
      n++;
    }
    return n;
  }

  /** Detects the format from the first records (unless forced). */
  private detectFormat(): FormatId | undefined {
    if (this.settings.format) return this.settings.format;
    const detection = new FormatDetection();
    for (const l of this.lines) {
      if (detection.classified >= DETECTION_SAMPLE) break;
      if (l.parsed?.kind === 'value') detection.countFormat(classification(l.parsed));
    }
    return detection.winner();
  }

  /**
   * Re-detects the format from the parsed lines; when it changed, every record's schema and
   * rule results are dropped (they depend on it). Returns the format in force.
   */
  updateFormat(): FormatId | undefined {
    const format = this.detectFormat();
    if (format !== this.detected) {
      this.detected = format;
      this.dropResults();
    }
    return format;
  }

  get format(): FormatId | undefined {
    return this.detected;
  }

  /** Runs record checks for lines [from, to) whose results are missing. */
  checkRange(from: number, to: number): void {
    const end = Math.min(to, this.lines.length);
    for (let i = from; i < end; i++) this.checkLine(this.lines[i]);
  }

  private checkLine(l: LineState): void {
    if (l.recordFindings) return;
    const text = textOf(l);
    const parsed = l.parsed ?? (l.parsed = toState(parseLine(text)));
    const { findings, facts } = recordCheck(this.pipeline, text, parsed, this.detected);
    l.recordFindings = findings;
    l.facts = facts;
  }

  /**
   * Parses lines from the top until the format vote has its sample (the lines detectFormat
   * reads) and settles the format: what record checks made elsewhere need to know first.
   */
  decideFormat(): FormatId | undefined {
    if (!this.settings.format) {
      const detection = new FormatDetection();
      for (const l of this.lines) {
        if (detection.classified >= DETECTION_SAMPLE) break;
        l.parsed ??= toState(parseLine(textOf(l)));
        if (l.parsed.kind === 'value') detection.countFormat(classification(l.parsed));
      }
    }
    return this.updateFormat();
  }

  /**
   * Places the checked lines from the first not counted yet, up to the first line not checked,
   * and counts their records into the dataset rules, in line order: a first check made in slices
   * (on threads, see firstChecksOnThreads) does the dataset rules' share as it goes, beside the
   * other threads, and lets go of each record's candidate texts as soon as they are counted
   * (see count) instead of holding them all until the summary, which finds these lines counted.
   * Only before the first summary, with the format decided, and while no line has moved.
   */
  countChecked(): void {
    const rules = this.settings.datasetRules;
    if (!rules?.length || this.last || this.countedTo < 0) return;
    const config = this.pipeline.config;
    let dataset = this.dataset;
    if (!dataset) {
      dataset = this.startRun(rules, this.detected);
      this.countedTo = 0;
    }
    const added: RecordEntry[] = [];
    let i = this.countedTo;
    for (; i < this.lines.length; i++) {
      const l = this.lines[i];
      if (!l.recordFindings) break;
      // Placed findings follow their line: a line that moved only needs its new number.
      if (!l.placed) place(l, i, config);
      else l.line = i;
      entryOf(l, added, dataset);
    }
    this.countedTo = i;
    for (const e of added) this.count(dataset, e);
  }

  /** The texts of lines [from, to). */
  lineTexts(from: number, to: number): string[] {
    return this.lines.slice(from, to).map(textOf);
  }

  /**
   * Takes the record checks of lines [from, from + checks.length) made elsewhere with the same
   * settings (LineRecordChecker, e.g. on other threads during a first check) for lines not
   * checked yet; the lines must not have changed since their texts were read. Ignored when the
   * format is no longer `format`.
   */
  adoptChecks(from: number, checks: readonly LineRecordCheck[], format: FormatId | undefined): void {
    if (format !== this.detected) return;
    for (let k = 0; k < checks.length; k++) {
      const l = this.lines[from + k];
      if (!l || l.recordFindings) continue;
      const c = checks[k];
      l.parsed = c.state;
      l.recordFindings = c.findings;
      l.facts = c.facts;
    }
  }

  /**
   * Brings everything up to date (parsing what is unparsed) and returns the findings.
   * Call parseRange/checkRange in slices first to keep a UI responsive on huge files.
   * The list and its findings are the model's own: the next summary may change the list, and its
   * findings follow their lines (see `following`), whose numbers change when a summary takes the
   * splices made since; so copy (or shift, see shiftFindings) what is kept past the next edit.
   */
  summary(): CheckSummary {
    let quick: CheckSummary | undefined;
    this.quickFailure = undefined;
    try {
      quick = this.patchedSummary() ?? this.shiftedSummary();
    } catch (err) {
      // A quick summary that failed midway leaves what it changed in place half changed: start
      // over from the lines' text, every record checked again (a new dataset run needs the facts'
      // candidate texts, which the first run took), and keep the failure for the caller to report.
      this.dropResults();
      this.last = undefined;
      this.quickFailure = err instanceof Error ? err : new Error(String(err));
    }
    this.goneLines = [];
    this.goneEntries = [];
    this.pending = [];
    if (quick) return quick;
    // Every line is numbered again below.
    this.numbering.reset();
    this.parseRange(0, this.lines.length);
    const format = this.updateFormat();
    const config = this.pipeline.config;
    const rules = this.settings.datasetRules;
    if (rules?.length && !this.dataset) this.startRun(rules, format);
    const dataset = rules?.length ? this.dataset : undefined;
    const placed: Finding[][] = new Array(this.lines.length);
    const t = newTally(this.lines.length);
    for (let i = 0; i < this.lines.length; i++) {
      const l = this.lines[i];
      this.checkLine(l);
      // Placed findings follow their line: a line that moved only needs its new number.
      if (!l.placed) place(l, i, config);
      else l.line = i;
      placed[i] = l.placed!;
      tally(l, i, t, dataset);
    }
    const { ordered, records, nonBlank } = t;
    // Added once every entry's line is current, so rules may keep their records in line order.
    for (const e of t.added) this.count(dataset!, e);
    const datasetLists = dataset ? dataset.settledLists(ordered) : [];
    const folded = dataset?.folded(datasetLists);
    // `placed` becomes each line's findings as shown.
    if (folded) for (let i = 0; i < placed.length; i++) placed[i] = withoutFolded(placed[i], folded);
    return this.remember('full', { format, records, findings: mergeByLine(placed, datasetLists), shown: placed, ordered, datasetLists, folded: foldKey(folded), nonBlank, counts: undefined });
  }

  /**
   * The summary after edits that replaced lines without moving any (typing inside a record): only
   * those lines are checked, the dataset rules see their records change, and the last findings
   * are patched on those lines when every dataset rule returned the same list as before (most do
   * after such an edit; see the rules' caches). Undefined when it cannot be patched: the full
   * summary then runs (the state left here is the state it expects: records counted in, lines
   * placed).
   */
  private patchedSummary(): CheckSummary | undefined {
    const last = this.last;
    const touched = this.touched;
    if (!last || !touched || last.shown.length !== this.lines.length || last.format !== this.detected) return undefined;
    const lines = [...new Set(touched)].sort((a, b) => a - b);
    for (const i of lines) if (!this.lines[i].parsed) this.lines[i].parsed = toState(parseLine(textOf(this.lines[i])));
    if (this.detectFormat() !== this.detected) return undefined;
    const dataset = this.settings.datasetRules?.length ? this.dataset : undefined;
    if (this.settings.datasetRules?.length && !dataset) return undefined;
    // A record that appeared or disappeared changes the rules' record list: the full summary.
    const ordered = last.ordered.slice();
    const positions: number[] = [];
    for (const i of lines) {
      const l = this.lines[i];
      this.checkLine(l);
      const at = entryAt(ordered, i);
      if ((at >= 0) !== (dataset !== undefined && l.facts !== undefined)) return undefined;
      positions.push(at);
    }
    const config = this.pipeline.config;
    let records = last.records;
    const nonBlank = last.nonBlank.slice();
    lines.forEach((i, k) => {
      const l = this.lines[i];
      place(l, i, config);
      const counted = l.parsed?.kind !== 'blank' ? 1 : 0;
      records += counted - nonBlank[i];
      nonBlank[i] = counted;
      if (dataset && l.facts && !l.entry) {
        l.entry = new LineEntry(l, l.facts);
        ordered[positions[k]] = l.entry;
        this.count(dataset, l.entry);
      }
    });
    const datasetLists = dataset ? dataset.settledLists(ordered, false) : [];
    const folded = dataset?.folded(datasetLists);
    if (foldKey(folded) !== last.folded) return undefined;
    const shown = last.shown.slice();
    const befores = lines.map((i) => shown[i]);
    for (const i of lines) shown[i] = folded ? withoutFolded(this.lines[i].placed!, folded) : this.lines[i].placed!;
    // The last list itself, changed in place (the model's own), unless dataset findings came and went.
    let findings = last.findings;
    let kind: 'patched' | 'spliced' = 'patched';
    const deltas: ListDelta[] = [];
    if (!datasetLists.every((list, k) => sameFindings(list, last.datasetLists[k]))) {
      // Some dataset findings changed: when a few came and went (a record joined or left a
      // group), they are taken out of and put into the last findings where they sort; otherwise
      // everything is merged again (no line needed checking again, though).
      const found = datasetDeltas(last.datasetLists, datasetLists, Math.max(16, this.lines.length >> 10), dataset?.changes());
      const spliced = found && spliceDatasetFindings(findings, found, this.lines.length);
      if (!spliced) {
        return this.remember('merged', { ...last, records, findings: mergeByLine(shown, datasetLists), shown, ordered, datasetLists, nonBlank, counts: undefined });
      }
      findings = spliced;
      deltas.push(...found);
      kind = 'spliced';
    }
    lines.forEach((i, k) => {
      const before = befores[k];
      const now = shown[i];
      putLineRun(findings, i, now, before);
    });
    const counts = last.counts;
    countDeltas(counts, deltas);
    for (const before of befores) counts.add(before, -1);
    for (const i of lines) counts.add(shown[i]);
    return this.remember(kind, { ...last, records, findings, shown, ordered, datasetLists: kind === 'spliced' ? datasetLists : last.datasetLists, nonBlank, counts });
  }

  /**
   * Keeps what a summary was made of (counting its findings when `counts` is not given) and
   * returns the summary.
   */
  private remember(kind: DatasetModel['lastSummaryKind'], made: Omit<LastSummary, 'counts'> & { counts: CodeCounts | undefined }): CheckSummary {
    let counts = made.counts;
    if (!counts) {
      counts = new CodeCounts();
      counts.add(made.findings);
    }
    this.last = { ...made, counts };
    this.touched = [];
    this.lastSummaryKind = kind;
    return { format: made.format, records: made.records, findings: made.findings };
  }

  /**
   * The summary after edits that inserted or removed lines, made of the last one without visiting
   * the lines that only moved: the numbering takes the splices, so every line, entry and finding
   * that follows one (see Numbering, `following`) reads its new number; the per-line lists are
   * spliced as the lines were; the findings of removed lines are dropped from the last findings by
   * their lines' runs; the new lines are checked, and their findings and the dataset findings that
   * came and went are spliced in. Undefined when it cannot be done so: the full summary then runs
   * from the state left here, as after patchedSummary.
   */
  private shiftedSummary(): CheckSummary | undefined {
    const last = this.last;
    if (!last || this.touched || last.format !== this.detected) return undefined;
    const rules = this.settings.datasetRules;
    const dataset = rules?.length ? this.dataset : undefined;
    if (rules?.length && !dataset) return undefined;
    // The lines spliced in since the last summary that are still there, where they are now.
    const fresh = freshLines(this.pending);
    for (const { state: l } of fresh) if (!l.parsed) l.parsed = toState(parseLine(textOf(l)));
    if (this.detectFormat() !== this.detected) return undefined;
    // Before the lines move: the last findings without the removed lines' (numbered as the last
    // summary numbered them), and the records the rules saw without the removed ones.
    const gone = [...new Set(this.goneLines)].sort((a, b) => a - b);
    const dropped = new Set<Finding>();
    let findings = gone.length ? withoutLines(last.findings, gone, dropped) : last.findings;
    const kept = this.goneEntries.length ? withoutEntries(last.ordered, this.goneEntries) : last.ordered;
    if (!kept) return undefined;
    // The lines move.
    for (const p of this.pending) this.numbering.take(p.start, p.removed, p.states.length);
    let records = last.records;
    const shown = last.shown.slice();
    let nonBlank = last.nonBlank;
    for (const p of this.pending) {
      for (let i = p.start; i < p.start + p.removed; i++) records -= nonBlank[i];
      // Placeholders, filled below.
      spliceItems(shown, p.start, p.removed, new Array<Finding[]>(p.states.length));
      nonBlank = splicedBytes(nonBlank, p.start, p.removed, p.states.length);
    }
    const config = this.pipeline.config;
    const added: RecordEntry[] = [];
    for (const { state: l, line: i } of fresh) {
      this.checkLine(l);
      place(l, i, config);
      // Folded codes left out below, once they are known.
      shown[i] = l.placed!;
      if (l.parsed?.kind !== 'blank') {
        nonBlank[i] = 1;
        records++;
      }
      entryOf(l, added, dataset);
    }
    const ordered = added.length ? withEntries(kept, added) : kept;
    // Added once every entry's line is current, so rules may keep their records in line order.
    for (const e of added) this.count(dataset!, e);
    const datasetLists = dataset ? dataset.settledLists(ordered) : [];
    const folded = dataset?.folded(datasetLists);
    if (foldKey(folded) !== last.folded) return undefined;
    const freshAt = fresh.map((f) => f.line);
    if (folded) for (const i of freshAt) shown[i] = withoutFolded(shown[i], folded);
    const made = { format: this.detected, records, shown, ordered, datasetLists, folded: last.folded, nonBlank };
    const deltas = datasetDeltas(last.datasetLists, datasetLists, Math.max(16, this.lines.length >> 10) + 4 * (fresh.length + gone.length), dataset?.changes());
    const spliced = deltas && !keptDatasetFindingDropped(dropped, gone, last.shown, deltas) ? spliceDatasetFindings(findings, deltas, this.lines.length, dropped) : undefined;
    if (!spliced) return this.remember('merged', { ...made, findings: mergeByLine(shown, datasetLists), counts: undefined });
    findings = spliced;
    // The new lines' record findings, before the dataset findings on their lines (as mergeByLine).
    for (const i of freshAt) if (shown[i].length) putLineRun(findings, i, shown[i]);
    // Counted: what went with the removed lines and the rules' removed findings out, the new
    // lines' and the rules' added findings in (moving changes no count).
    const counts = last.counts;
    counts.add([...dropped], -1);
    for (const i of freshAt) counts.add(shown[i]);
    countDeltas(counts, deltas!, dropped);
    if (this.numbering.logged >= numberingLimits.log) this.renumber();
    return this.remember('shifted', { ...made, findings, counts });
  }

  /** Numbers every line again and starts a new log (see Numbering): one visit every `numberingLimits.log` splices. */
  private renumber(): void {
    const lines = this.lines;
    for (let i = 0; i < lines.length; i++) lines[i].line = i;
    this.numbering.reset();
  }

  /** The last summary's findings counted by code and severity (undefined before the first summary). */
  get findingCounts(): CodeCounts | undefined {
    return this.last?.counts;
  }

  /** Whether the format would change if detected now (cheap; lets callers warn before a full recheck). */
  get needsFullRecheck(): boolean {
    return this.detectFormat() !== this.detected;
  }

  lineText(i: number): string | undefined {
    const l = this.lines[i];
    return l && textOf(l);
  }

  /** The parsed value of a line, if it holds a JSON value. */
  value(i: number): unknown {
    const l = this.lines[i];
    if (!l) return undefined;
    const text = textOf(l);
    if (!l.parsed) l.parsed = toState(parseLine(text));
    return l.parsed.kind === 'value' ? valueOf(text, l.parsed) : undefined;
  }
}

/** A new line's state: not parsed yet, its text compact (see packedText.ts). */
function lineState(text: string, numbering: Numbering): LineState {
  const kept = compactText(text);
  return new LineState(kept.text, kept.packed, numbering);
}

/** A line's text (unpacked). */
function textOf(l: LineState): string {
  return l.packed ? unpackText(l.text) : l.text;
}

/** Shared by every line without findings (never changed). */
const NO_FINDINGS: Finding[] = [];

/** What a summary counts line by line: records, which lines are records, the dataset rules' entries. */
interface Tally {
  records: number;
  nonBlank: Uint8Array;
  /** Every entry in line order, and the ones new to the dataset rules. */
  ordered: RecordEntry[];
  added: RecordEntry[];
}

function newTally(lines: number): Tally {
  return { records: 0, nonBlank: new Uint8Array(lines), ordered: [], added: [] };
}

/** Counts line `i` (a record unless blank) and gives its record to the dataset rules at its current line. */
function tally(l: LineState, i: number, t: Tally, dataset: DatasetRun | undefined): void {
  if (l.parsed?.kind !== 'blank') {
    t.records++;
    t.nonBlank[i] = 1;
  }
  const e = entryOf(l, t.added, dataset);
  if (e) t.ordered.push(e);
}

/**
 * A line's record as the dataset rules know it, on the line's current number (a new entry goes on
 * `added` too); undefined when the line has no facts or no dataset rule runs.
 */
function entryOf(l: LineState, added: RecordEntry[], dataset: DatasetRun | undefined): RecordEntry | undefined {
  if (!dataset || !l.facts) return undefined;
  // An entry follows its line (see LineEntry).
  if (!l.entry) added.push((l.entry = new LineEntry(l, l.facts)));
  return l.entry;
}

/**
 * Places a line's record findings on line `i` with the rule settings applied: copies that follow
 * the line (see `following`), so that moving the line moves them (see DatasetModel.shiftedSummary).
 */
function place(l: LineState, i: number, config: CuratorConfig): void {
  const own = l.recordFindings!;
  l.line = i;
  l.placed = own.length ? applyRuleSettings(own, config).map((f) => following(l, f)) : NO_FINDINGS;
}

/** What DatasetModel.summary last returned and was made of (see patchedSummary). */
interface LastSummary {
  format: FormatId | undefined;
  records: number;
  findings: Finding[];
  /** Each line's record findings as shown (placed, rule settings applied, folded codes left out). */
  shown: Finding[][];
  /** The records the dataset rules saw, in line order. */
  ordered: RecordEntry[];
  datasetLists: readonly (readonly Finding[])[];
  folded: string;
  /** 1 for each line that counts as a record. */
  nonBlank: Uint8Array;
  /** `findings` counted (kept up to date from one summary to the next). */
  counts: CodeCounts;
}

/** The same findings in the same order (the same objects; the lists themselves may be new). */
function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function withoutFolded(list: Finding[], folded: Set<string>): Finding[] {
  return list.some((f) => folded.has(f.code)) ? list.filter((f) => !folded.has(f.code)) : list;
}

function foldKey(folded: Set<string> | undefined): string {
  return folded ? [...folded].sort().join('\n') : '';
}

/** Where the items on `line` are in items sorted by line: [from, to). */
function lineRun(items: readonly { line: number }[], line: number): [number, number] {
  const from = firstAtLine(items, line);
  let to = from;
  while (to < items.length && items[to].line === line) to++;
  return [from, to];
}

/** The position of the entry on `line` in entries sorted by line, or -1. */
function entryAt(entries: readonly RecordEntry[], line: number): number {
  const at = firstAtLine(entries, line);
  return at < entries.length && entries[at].line === line ? at : -1;
}

/**
 * Where the lines spliced in by `pending` (in order) are after all of them, in line order: those a
 * later splice removed again are left out.
 */
function freshLines(pending: readonly PendingSplice[]): { state: LineState; line: number }[] {
  let out: { state: LineState; line: number }[] = [];
  for (const p of pending) {
    const end = p.start + p.removed;
    const by = p.states.length - p.removed;
    if (out.length) {
      const still: typeof out = [];
      for (const f of out) {
        if (f.line < p.start) still.push(f);
        else if (f.line >= end) {
          f.line += by;
          still.push(f);
        }
      }
      out = still;
    }
    for (let k = 0; k < p.states.length; k++) out.push({ state: p.states[k], line: p.start + k });
  }
  return out.sort((a, b) => a.line - b.line);
}

/** `findings` (sorted by line) without the runs on `lines` (sorted), which go into `dropped`: a copy of the list. */
function withoutLines(findings: readonly Finding[], lines: readonly number[], dropped: Set<Finding>): Finding[] {
  const runs: [number, number][] = [];
  for (const line of lines) {
    const run = lineRun(findings, line);
    for (let k = run[0]; k < run[1]; k++) dropped.add(findings[k]);
    if (run[1] > run[0]) runs.push(run);
  }
  // A copy and a splice per run, from the last: native moves of memory (a loop over every finding
  // ran slowly the first time after an edit).
  const out = findings.slice();
  for (let r = runs.length - 1; r >= 0; r--) out.splice(runs[r][0], runs[r][1] - runs[r][0]);
  return out;
}

/** `ordered` (entries in line order) without `gone` (found by their lines, before the lines move); undefined if one is missing. */
function withoutEntries(ordered: readonly RecordEntry[], gone: readonly RecordEntry[]): RecordEntry[] | undefined {
  const at: number[] = [];
  for (const e of gone) {
    const k = entryAt(ordered, e.line);
    if (k < 0 || ordered[k] !== e) return undefined;
    at.push(k);
  }
  at.sort((a, b) => a - b);
  if (at.length <= FEW) {
    const out = ordered.slice();
    for (let g = at.length - 1; g >= 0; g--) out.splice(at[g], 1);
    return out;
  }
  const out: RecordEntry[] = new Array(ordered.length - at.length);
  let n = 0;
  let g = 0;
  for (let k = 0; k < ordered.length; k++) {
    if (g < at.length && at[g] === k) g++;
    else out[n++] = ordered[k];
  }
  return out;
}

/** `ordered` (entries in line order) with `added` (in line order, on lines no entry of `ordered` is on) put in their places. */
function withEntries(ordered: readonly RecordEntry[], added: readonly RecordEntry[]): RecordEntry[] {
  if (added.length <= FEW) {
    // A copy and a splice or two: native moves of memory (a loop over every entry ran slowly the first time).
    const out = ordered.slice();
    for (let k = added.length - 1; k >= 0; k--) out.splice(firstAtLine(ordered, added[k].line), 0, added[k]);
    return out;
  }
  const out: RecordEntry[] = new Array(ordered.length + added.length);
  let n = 0;
  let k = 0;
  for (const e of added) {
    const to = firstAtLine(ordered, e.line);
    for (; k < to; k++) out[n++] = ordered[k];
    out[n++] = e;
  }
  for (; k < ordered.length; k++) out[n++] = ordered[k];
  return out;
}

/** Replaces `removed` items at `start` of `list` with `items`, in place; returns the items taken out. */
export function spliceItems<T>(list: T[], start: number, removed: number, items: readonly T[]): T[] {
  if (items.length < SPREAD_LIMIT) return list.splice(start, removed, ...items);
  // Many: spread into arguments, they could overflow the stack.
  const out = list.slice(start, start + removed);
  const tail = list.slice(start + removed);
  list.length = start;
  for (const item of items) list.push(item);
  for (const item of tail) list.push(item);
  return out;
}

/** `bytes` with `removed` bytes at `start` replaced by `added` zeros (a new array). */
function splicedBytes(bytes: Uint8Array, start: number, removed: number, added: number): Uint8Array {
  const out = new Uint8Array(bytes.length - removed + added);
  out.set(bytes.subarray(0, start));
  out.set(bytes.subarray(start + removed), start + added);
  return out;
}

/** Up to this many entries come or go by splices into a copy; more by one merge. */
const FEW = 16;

/** The findings a new list of one rule has that the last had not, and the reverse (see listDelta). */
interface ListDelta {
  removed: Finding[];
  /** With their index in the new list. */
  added: { finding: Finding; index: number }[];
  list: readonly Finding[];
}

/**
 * Each rule's change from its last list to its new one: as the rule says (`known`, when it speaks
 * of these two lists), or by listDelta; undefined past `limit` changes in all.
 */
function datasetDeltas(old: readonly (readonly Finding[])[], now: readonly (readonly Finding[])[], limit: number, known: readonly (ListChange | undefined)[] = []): ListDelta[] | undefined {
  const deltas: ListDelta[] = [];
  let changes = 0;
  for (let k = 0; k < now.length; k++) {
    const c = known[k];
    const d = c && c.from === old[k] && c.to === now[k] ? (c.removed.length + c.added.length <= limit - changes ? { removed: c.removed, added: c.added, list: now[k] } : undefined) : listDelta(old[k], now[k], limit - changes);
    if (!d) return undefined;
    deltas.push(d);
    changes += d.removed.length + d.added.length;
  }
  return deltas;
}

/**
 * Whether a dataset finding that went with a removed line is still in its rule's list: the same
 * object returned again (a file-level note anchored at the first record, now another record on
 * that line). It is not among the deltas, so splicing would lose it: the caller merges instead.
 */
function keptDatasetFindingDropped(dropped: ReadonlySet<Finding>, gone: readonly number[], shown: readonly (readonly Finding[])[], deltas: readonly ListDelta[]): boolean {
  if (!dropped.size) return false;
  const own = new Set<Finding>();
  for (const line of gone) for (const f of shown[line] ?? NO_FINDINGS) own.add(f);
  if (own.size === dropped.size) return false;
  const removed = new Set<Finding>();
  for (const d of deltas) for (const f of d.removed) removed.add(f);
  for (const f of dropped) if (!own.has(f) && !removed.has(f)) return true;
  return false;
}

/** Counts the findings the deltas took away (but those in `dropped`, taken away already) and added. */
function countDeltas(counts: CodeCounts, deltas: readonly ListDelta[], dropped?: ReadonlySet<Finding>): void {
  for (const d of deltas) {
    counts.add(dropped ? d.removed.filter((f) => !dropped.has(f)) : d.removed, -1);
    counts.add(d.added.map((a) => a.finding));
  }
}

/**
 * Puts line `i`'s record findings `own` before the other findings on that line in `findings`
 * (sorted by line), without `before` (its record findings there until now), sorted as
 * mergeByLine sorts a line.
 */
function putLineRun(findings: Finding[], i: number, own: readonly Finding[], before: readonly Finding[] = NO_FINDINGS): void {
  const [from, to] = lineRun(findings, i);
  const old = new Set(before);
  const run = [...own, ...findings.slice(from, to).filter((f) => !old.has(f))];
  if (run.length > 1) sortRun(run, 0, run.length);
  findings.splice(from, to - from, ...run);
}

/** How far listDelta looks ahead to find the two lists in step again after a difference. */
const DELTA_WINDOW = 12;

/**
 * What changed from `old` to `now` when both hold mostly the same finding objects in the same
 * order (a rule's list after one record changed): undefined when more than `limit` findings came
 * or went, or the lists do not fall back into step within a few findings of a difference.
 */
function listDelta(old: readonly Finding[], now: readonly Finding[], limit: number): ListDelta | undefined {
  const delta: ListDelta = { removed: [], added: [], list: now };
  if (old === now) return delta;
  let i = 0;
  let j = 0;
  while (i < old.length || j < now.length) {
    if (i < old.length && j < now.length && old[i] === now[j]) {
      i++;
      j++;
      continue;
    }
    // The smallest skip (a of old, b of new) after which the lists agree again or both end.
    let skip: [number, number] | undefined;
    for (let sum = 1; sum <= 2 * DELTA_WINDOW && !skip; sum++) {
      for (let a = 0; a <= sum && !skip; a++) {
        const b = sum - a;
        const oi = i + a;
        const nj = j + b;
        if (oi > old.length || nj > now.length) continue;
        if ((oi === old.length && nj === now.length) || (oi < old.length && nj < now.length && old[oi] === now[nj])) skip = [a, b];
      }
    }
    if (!skip) return undefined;
    for (let k = 0; k < skip[0]; k++) delta.removed.push(old[i + k]);
    for (let k = 0; k < skip[1]; k++) delta.added.push({ finding: now[j + k], index: j + k });
    i += skip[0];
    j += skip[1];
    if (delta.removed.length + delta.added.length > limit) return undefined;
  }
  return delta;
}

/**
 * `findings` (sorted as mergeByLine sorts) without the removed dataset findings and with the added
 * ones where mergeByLine would have put them: among a line's findings by compareFindings, and after
 * the equal ones that come before them in their rule's list. Undefined when that cannot be told
 * (the caller merges everything again). Removed findings in `dropped` were taken out already.
 * Every change stays within its line's run of findings, so each touched line's run is changed
 * apart and the list is made again once (a splice per finding into a list of 170k findings copied
 * it each time); the list given is not changed (it is returned itself when no line's run changed).
 */
function spliceDatasetFindings(findings: Finding[], deltas: readonly ListDelta[], lineCount: number, dropped?: ReadonlySet<Finding>): Finding[] | undefined {
  /** The touched lines' runs: where each was in `findings`, and what it becomes. */
  const runs = new Map<number, { line: number; from: number; to: number; run: Finding[] }>();
  const runOn = (line: number): Finding[] => {
    let r = runs.get(line);
    if (!r) {
      const [from, to] = lineRun(findings, line);
      runs.set(line, (r = { line, from, to, run: findings.slice(from, to) }));
    }
    return r.run;
  };
  for (const d of deltas) {
    for (const f of d.removed) {
      if (dropped?.has(f)) continue;
      const run = runOn(f.line);
      const at = run.indexOf(f);
      if (at < 0) return undefined;
      run.splice(at, 1);
    }
  }
  for (const d of deltas) {
    for (const { finding: f, index } of d.added) {
      const line = f.line;
      if (!(line >= 0 && line < lineCount && Number.isInteger(line))) return undefined;
      const run = runOn(line);
      let at = 0;
      for (let k = 0; k < run.length; k++) {
        const order = compareSameOrder(run[k], f);
        if (order < 0) at = k + 1;
        else if (order === 0) {
          // Equal findings keep their rule's order: where is this one in the new list?
          let near = -1;
          for (let m = Math.max(0, index - DELTA_WINDOW); m <= Math.min(d.list.length - 1, index + DELTA_WINDOW); m++) {
            if (d.list[m] === run[k]) near = m;
          }
          if (near < 0) return undefined;
          if (near < index) at = k + 1;
        }
      }
      run.splice(at, 0, f);
    }
  }
  if (!runs.size) return findings;
  // Runs of lines without findings before sit at the same place: in line order there. Put in
  // from the last, so the places of those before stay as they were; a copy and a few splices
  // are native moves of memory, fast even the first time they run.
  const order = [...runs.values()].sort((a, b) => b.from - a.from || b.line - a.line);
  const out = findings.slice();
  for (const r of order) spliceItems(out, r.from, r.to - r.from, r.run);
  return out;
}

/**
 * Each line's record findings followed by the dataset findings on that line, sorted as one
 * stable sort with `compareFindings` would sort them all (see sortFindings).
 */
function mergeByLine(placed: readonly Finding[][], datasetLists: readonly (readonly Finding[])[]): Finding[] {
  const lineCount = placed.length;
  const out: Finding[] = [];
  // Dataset findings bucketed by line (a stable counting sort); any line outside the file sends
  // everything through one sort instead.
  const starts = new Int32Array(lineCount + 1);
  let total = 0;
  for (const list of datasetLists) {
    for (const f of list) {
      const line = f.line;
      if (!(line >= 0 && line < lineCount && Number.isInteger(line))) {
        for (const own of placed) for (const g of own) out.push(g);
        for (const other of datasetLists) for (const g of other) out.push(g);
        return out.sort(compareSameOrder);
      }
      starts[line + 1]++;
    }
    total += list.length;
  }
  for (let i = 1; i <= lineCount; i++) starts[i] += starts[i - 1];
  const byLine: Finding[] = new Array(total);
  const next = starts.slice(0, lineCount);
  for (const list of datasetLists) for (const f of list) byLine[next[f.line]++] = f;
  for (let i = 0; i < lineCount; i++) {
    const from = out.length;
    const list = placed[i];
    for (let k = 0; k < list.length; k++) out.push(list[k]);
    const end = starts[i + 1];
    for (let k = starts[i]; k < end; k++) out.push(byLine[k]);
    if (out.length - from > 1) sortRun(out, from, out.length);
  }
  return out;
}

function toState(parsed: ParsedLine): ParsedState {
  return parsed.kind === 'value' ? { kind: 'value', value: parsed.value } : parsed;
}

/** A value line's value: kept, or parsed again from the text once dropped. */
function valueOf(text: string, parsed: Extract<ParsedState, { kind: 'value' }>): unknown {
  if (!parsed.dropped) return parsed.value;
  const again = parseLine(text);
  return again.kind === 'value' ? again.value : undefined;
}

/** The format a value line looks like (remembered, so it outlives the value). */
function classification(parsed: Extract<ParsedState, { kind: 'value' }>): FormatId | undefined {
  if (parsed.format === undefined) parsed.format = (parsed.dropped ? undefined : classifyRecord(parsed.value)) ?? null;
  return parsed.format ?? undefined;
}

/** Checks a whole text at once (the server and tests use this; the CLI streams). */
export function checkText(text: string, settings: CheckSettings = {}): CheckSummary {
  const model = new DatasetModel(settings);
  model.setText(text);
  return model.summary();
}

/**
 * The format vote over the first records: the format most of them have (ties go to the one seen
 * first). The editor model and the streaming checks decide the same way.
 */
export class FormatDetection {
  private counts = new Map<FormatId, number>();
  classified = 0;

  count(value: unknown): void {
    this.countFormat(classifyRecord(value));
  }

  /** Counts a record already classified (undefined: no format recognised it). */
  countFormat(f: FormatId | undefined): void {
    if (!f) return;
    this.classified++;
    this.counts.set(f, (this.counts.get(f) ?? 0) + 1);
  }

  winner(): FormatId | undefined {
    let best: FormatId | undefined;
    let bestCount = 0;
    for (const [f, c] of this.counts) {
      if (c > bestCount) {
        best = f;
        bestCount = c;
      }
    }
    return best;
  }
}

/** What one line of a stream gives: its findings (on its line, rule settings applied) and its facts. */
export interface CheckedLine {
  findings: Finding[];
  /** Not blank: a record, valid or not. */
  record: boolean;
  /** The facts record rules stored, for an object record (dataset rules read them). */
  facts?: Record<string, unknown>;
}

/**
 * The per-line part of a streaming check, once the format is known. The single-threaded
 * StreamChecker and the CLI's worker threads both run lines through it, so they agree exactly.
 */
export class LineChecker {
  private pipeline: RecordPipeline;

  constructor(
    settings: CheckSettings,
    readonly format: FormatId | undefined,
  ) {
    this.pipeline = new RecordPipeline(settings);
  }

  /** Checks one line; `extra` is a finding found while decoding it (invalid UTF-8). */
  check(line: number, text: string, extra?: Finding, parsed: ParsedLine = parseLine(text)): CheckedLine {
    const findings: Finding[] = extra ? [extra] : [];
    let facts: Record<string, unknown> | undefined;
    if (parsed.kind === 'invalid') findings.push(parsed.finding);
    else if (parsed.kind === 'value') {
      const v = parsed.value;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) findings.push(notObjectFinding(text, v));
      else {
        facts = {};
        for (const f of this.pipeline.check(text, v as Record<string, unknown>, this.format, facts)) findings.push(f);
      }
    }
    const placed = findings.length ? applyRuleSettings(findings, this.pipeline.config).map((f) => atLine(f, line)) : findings;
    return { findings: placed, record: parsed.kind !== 'blank', facts };
  }
}

/**
 * Decides a stream's format the way StreamChecker does: by vote over the first DETECTION_SAMPLE
 * records, or over what came before `maxBufferedChars` of text was held. Lines pushed before the
 * decision are held by the caller.
 */
export class StreamFormatDecision {
  private detection = new FormatDetection();
  private chars = 0;
  decided: boolean;
  format: FormatId | undefined;

  constructor(
    forced: FormatId | undefined,
    private maxBufferedChars = DEFAULT_MAX_BUFFERED_CHARS,
  ) {
    this.decided = forced !== undefined;
    this.format = forced;
  }

  /** Counts one held line; returns true once the format is decided. */
  push(text: string, parsed: ParsedLine): boolean {
    if (this.decided) return true;
    this.chars += text.length;
    if (parsed.kind === 'value') this.detection.count(parsed.value);
    if (this.detection.classified >= DETECTION_SAMPLE || this.chars > this.maxBufferedChars) this.decide();
    return this.decided;
  }

  /** Decides now (the stream ended before the sample was complete). */
  decide(): FormatId | undefined {
    if (!this.decided) {
      this.decided = true;
      this.format = this.detection.winner();
    }
    return this.format;
  }
}

/** New lines up to this many are spread into one `Array.splice` call (more could overflow the stack). */
const SPREAD_LIMIT = 10_000;

/**
 * Lines held in order, compactly: their texts joined a few thousand at a time into one string
 * (a line's text has no line break), so a held line costs its characters and not an object and a
 * string of its own; the rare finding found while decoding a line is kept beside it.
 */
export class HeldLines {
  private pieces: string[] = [];
  private current: string[] = [];
  private extras = new Map<number, Finding>();
  private broken = new Map<number, string>();
  size = 0;

  push(text: string, extra?: Finding): void {
    if (extra) this.extras.set(this.size, extra);
    // A text with a line break of its own (not from a file's lines) is kept apart.
    if (text.includes('\n')) {
      this.broken.set(this.size, text);
      text = '';
    }
    this.current.push(text);
    this.size++;
    if (this.current.length >= HELD_PIECE_LINES) this.seal();
  }

  /** Hands every held line to `fn` in order and lets go of them. */
  take(fn: (text: string, extra: Finding | undefined) => void): void {
    this.seal();
    const { pieces, extras, broken } = this;
    this.pieces = [];
    this.extras = new Map();
    this.broken = new Map();
    this.size = 0;
    let i = 0;
    for (const piece of pieces) {
      let from = 0;
      for (;;) {
        const end = piece.indexOf('\n', from);
        const text = broken.get(i) ?? (end < 0 ? piece.slice(from) : piece.slice(from, end));
        fn(text, extras.get(i++));
        if (end < 0) break;
        from = end + 1;
      }
    }
  }

  private seal(): void {
    if (!this.current.length) return;
    this.pieces.push(this.current.join('\n'));
    this.current = [];
  }
}

/** Held lines joined into one string at a time. */
const HELD_PIECE_LINES = 4096;

/** At most this much text is held while the format of a stream is not decided yet. */
export const DEFAULT_MAX_BUFFERED_CHARS = 64 * 1024 * 1024;

/**
 * Checks a file line by line as it streams in, holding only the lines needed to detect the
 * format (the first DETECTION_SAMPLE records, at most `maxBufferedChars`) plus the small facts
 * that dataset rules need.
 */
export class StreamChecker {
  private decision: StreamFormatDecision;
  /** Lines held until the format is decided, compactly (see HeldLines). */
  private heldLines = new HeldLines();
  private lineChecker: LineChecker | undefined;
  private next = 0;
  private records = 0;
  private dataset: StreamedDataset | undefined;
  /** Codes a dataset rule may fold, and the record findings with them, held until the end. */
  private foldable: Set<string> | undefined;
  private held: Finding[] = [];

  /** `stores`: where the dataset facts' big columns put their full chunks (see ChunkStore; in memory unless given). */
  constructor(
    private settings: CheckSettings,
    private onFinding: (finding: Finding) => void,
    maxBufferedChars = DEFAULT_MAX_BUFFERED_CHARS,
    private stores?: ChunkStores,
  ) {
    this.decision = new StreamFormatDecision(settings.format, maxBufferedChars);
    this.foldable = foldableCodes(settings.datasetRules);
  }

  /** Adds the next line; `extra` is a finding found while decoding it (invalid UTF-8). */
  pushLine(text: string, extra?: Finding): void {
    const line = this.next++;
    const parsed = parseLine(text);
    if (this.lineChecker) {
      this.process(line, text, parsed, extra);
      return;
    }
    this.heldLines.push(text, extra);
    if (this.decision.push(text, parsed)) this.flush();
  }

  private flush(): void {
    this.lineChecker = new LineChecker(this.settings, this.decision.decide());
    // Held lines are parsed again: keeping their parsed values cost hundreds of bytes a line (a
    // file of a million short lines that no format recognises is held whole, up to the limit).
    let line = this.next - this.heldLines.size;
    this.heldLines.take((text, extra) => this.process(line++, text, parseLine(text), extra));
  }

  private process(line: number, text: string, parsed: ParsedLine, extra?: Finding): void {
    const checked = this.lineChecker!.check(line, text, extra, parsed);
    if (checked.record) this.records++;
    for (const f of checked.findings) {
      if (this.foldable?.has(f.code)) this.held.push(f);
      else this.onFinding(f);
    }
    if (checked.facts && this.settings.datasetRules?.length) this.datasetRun().add(line, checked.facts);
  }

  private datasetRun(): StreamedDataset {
    return (this.dataset ??= new StreamedDataset(this.settings.datasetRules ?? [], { config: this.settings.config ?? DEFAULT_CONFIG, format: this.decision.format }, this.stores));
  }

  /** Lets go of the dataset facts' stores when the check is given up before `end` (which lets go itself). */
  dispose(): void {
    this.dataset?.dispose();
  }

  /** Finishes the file: flushes buffered lines and runs dataset rules. */
  end(): { format: FormatId | undefined; records: number } {
    if (!this.lineChecker) this.flush();
    // Record findings a dataset rule may fold are emitted once it is known which it folds, before the dataset findings.
    const emitHeld = (folded: Set<string> | undefined) => {
      for (const f of this.held) if (!folded?.has(f.code)) this.onFinding(f);
      this.held = [];
    };
    if (this.settings.datasetRules?.length) this.datasetRun().emit((f) => this.onFinding(f), emitHeld);
    else emitHeld(undefined);
    return { format: this.decision.format, records: this.records };
  }
}
