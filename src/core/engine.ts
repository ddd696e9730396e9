import { BUNDLED_SCHEMAS } from './bundledSchemas';
import { applyRuleSettings, CuratorConfig, DEFAULT_CONFIG } from './config';
import { atLine, compareFindings, Finding } from './findings';
import { classifyRecord, FormatId } from './formats';
import { notObjectFinding, parseLine, splitLines } from './jsonl';
import { LineLocator } from './positions';
import { RecordValidator, SchemaCompiler } from './schemaCheck';

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

/** What a dataset rule sees of each record: its line and the facts record rules stored. */
export interface RecordEntry {
  line: number;
  facts: Readonly<Record<string, unknown>>;
}

/** A check across the whole file; it runs on the cached facts, so it must be cheap. */
export interface DatasetRule {
  id: string;
  check(records: readonly RecordEntry[], ctx: RuleContext): Finding[];
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
    if (validate) findings.push(...validate(value, locator));
    const rules = this.settings.recordRules;
    if (rules?.length) {
      const input: RecordInput = { text, value, format, locator, facts };
      const ctx: RuleContext = { config: this.config, format };
      for (const rule of rules) findings.push(...rule.check(input, ctx));
    }
    return findings;
  }
}

interface LineState {
  text: string;
  /** null until parsed (a freshly inserted line). */
  parsed: null | { kind: 'blank' } | { kind: 'invalid'; finding: Finding } | { kind: 'value'; value: unknown };
  /** Findings that depend on the format and rules; undefined when they need recomputing. */
  recordFindings?: Finding[];
  facts?: Record<string, unknown>;
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
 * changes; dataset rules run over cached facts.
 */
export class DatasetModel {
  private lines: LineState[] = [];
  private pipeline: RecordPipeline;
  private detected: FormatId | undefined;

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
    for (const l of this.lines) {
      l.recordFindings = undefined;
      l.facts = undefined;
    }
  }

  setText(text: string): void {
    this.setLines(splitLines(text));
  }

  setLines(lines: string[]): void {
    this.lines = lines.map((text) => ({ text, parsed: null }));
  }

  /** Replaces `deleteCount` lines at `start` with new lines (parsed later, on demand). */
  splice(start: number, deleteCount: number, newLines: string[]): void {
    this.lines.splice(start, deleteCount, ...newLines.map((text): LineState => ({ text, parsed: null })));
  }

  /** Parses lines [from, to) that are not parsed yet; returns how many it parsed. Lets callers work in slices. */
  parseRange(from: number, to: number): number {
    let n = 0;
    const end = Math.min(to, this.lines.length);
    for (let i = from; i < end; i++) {
      const l = this.lines[i];
      if (l.parsed) continue;
      const parsed = parseLine(l.text);
      l.parsed = parsed.kind === 'value' ? { kind: 'value', value: parsed.value } : parsed;
      l.recordFindings = undefined;
      l.facts = undefined;
      n++;
    }
    return n;
  }

  /** Detects the format from the first records (unless forced). */
  private detectFormat(): FormatId | undefined {
    if (this.settings.format) return this.settings.format;
    const counts = new Map<FormatId, number>();
    let seen = 0;
    for (const l of this.lines) {
      if (seen >= DETECTION_SAMPLE) break;
      if (l.parsed?.kind !== 'value') continue;
      const f = classifyRecord(l.parsed.value);
      if (!f) continue;
      seen++;
      counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    let best: FormatId | undefined;
    let bestCount = 0;
    for (const [f, c] of counts) {
      if (c > bestCount) {
        best = f;
        bestCount = c;
      }
    }
    return best;
  }

  /**
   * Re-detects the format from the parsed lines; when it changed, every record's schema and
   * rule results are dropped (they depend on it). Returns the format in force.
   */
  updateFormat(): FormatId | undefined {
    const format = this.detectFormat();
    if (format !== this.detected) {
      this.detected = format;
      for (const l of this.lines) {
        l.recordFindings = undefined;
        l.facts = undefined;
      }
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
    const parsed = l.parsed ?? (l.parsed = toState(parseLine(l.text)));
    if (parsed.kind !== 'value') {
      l.recordFindings = parsed.kind === 'invalid' ? [parsed.finding] : [];
      return;
    }
    const v = parsed.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      l.recordFindings = [notObjectFinding(l.text, v)];
      return;
    }
    l.facts = {};
    l.recordFindings = this.pipeline.check(l.text, v as Record<string, unknown>, this.detected, l.facts);
  }

  /**
   * Brings everything up to date (parsing what is unparsed) and returns the findings.
   * Call parseRange/checkRange in slices first to keep a UI responsive on huge files.
   */
  summary(): CheckSummary {
    this.parseRange(0, this.lines.length);
    const format = this.updateFormat();
    const findings: Finding[] = [];
    const entries: RecordEntry[] = [];
    let records = 0;
    for (let i = 0; i < this.lines.length; i++) {
      const l = this.lines[i];
      this.checkLine(l);
      if (l.parsed?.kind !== 'blank') records++;
      for (const f of l.recordFindings!) findings.push(atLine(f, i));
      if (l.facts) entries.push({ line: i, facts: l.facts });
    }
    const datasetRules = this.settings.datasetRules;
    if (datasetRules?.length) {
      const ctx: RuleContext = { config: this.pipeline.config, format };
      // A loop, not push(...): a dataset rule may return more findings than a call can take arguments.
      for (const rule of datasetRules) for (const f of rule.check(entries, ctx)) findings.push(f);
    }
    return { format, records, findings: applyRuleSettings(findings, this.pipeline.config).sort(compareFindings) };
  }

  /** Whether the format would change if detected now (cheap; lets callers warn before a full recheck). */
  get needsFullRecheck(): boolean {
    return this.detectFormat() !== this.detected;
  }

  lineText(i: number): string | undefined {
    return this.lines[i]?.text;
  }

  /** The parsed value of a line, if it holds a JSON value. */
  value(i: number): unknown {
    const l = this.lines[i];
    if (!l) return undefined;
    if (!l.parsed) l.parsed = toState(parseLine(l.text));
    return l.parsed.kind === 'value' ? l.parsed.value : undefined;
  }
}

function toState(parsed: ReturnType<typeof parseLine>): NonNullable<LineState['parsed']> {
  return parsed.kind === 'value' ? { kind: 'value', value: parsed.value } : parsed;
}

/** Checks a whole text at once (the server and tests use this; the CLI streams). */
export function checkText(text: string, settings: CheckSettings = {}): CheckSummary {
  const model = new DatasetModel(settings);
  model.setText(text);
  return model.summary();
}

/**
 * Checks a file line by line as it streams in, holding only the lines needed to detect the
 * format (the first DETECTION_SAMPLE records, at most `maxBufferedChars`) plus the small facts
 * that dataset rules need.
 */
export class StreamChecker {
  private pipeline: RecordPipeline;
  private buffered: { line: number; text: string; parsed: ReturnType<typeof parseLine>; extra?: Finding }[] = [];
  private bufferedChars = 0;
  private classified = 0;
  private counts = new Map<FormatId, number>();
  private decided = false;
  private detected: FormatId | undefined;
  private next = 0;
  private records = 0;
  private entries: RecordEntry[] = [];

  constructor(
    private settings: CheckSettings,
    private onFinding: (finding: Finding) => void,
    private maxBufferedChars = 64 * 1024 * 1024,
  ) {
    this.pipeline = new RecordPipeline(settings);
    if (settings.format) {
      this.decided = true;
      this.detected = settings.format;
    }
  }

  /** Adds the next line; `extra` is a finding found while decoding it (invalid UTF-8). */
  pushLine(text: string, extra?: Finding): void {
    const line = this.next++;
    const parsed = parseLine(text);
    if (this.decided) {
      this.process(line, text, parsed, extra);
      return;
    }
    this.buffered.push({ line, text, parsed, extra });
    this.bufferedChars += text.length;
    if (parsed.kind === 'value') {
      const f = classifyRecord(parsed.value);
      if (f) {
        this.classified++;
        this.counts.set(f, (this.counts.get(f) ?? 0) + 1);
      }
    }
    if (this.classified >= DETECTION_SAMPLE || this.bufferedChars > this.maxBufferedChars) this.decide();
  }

  private decide(): void {
    this.decided = true;
    let bestCount = 0;
    for (const [f, c] of this.counts) {
      if (c > bestCount) {
        this.detected = f;
        bestCount = c;
      }
    }
    const pending = this.buffered;
    this.buffered = [];
    for (const b of pending) this.process(b.line, b.text, b.parsed, b.extra);
  }

  private emit(findings: Finding[], line: number): void {
    for (const f of applyRuleSettings(findings, this.pipeline.config)) this.onFinding(atLine(f, line));
  }

  private process(line: number, text: string, parsed: ReturnType<typeof parseLine>, extra?: Finding): void {
    const findings: Finding[] = extra ? [extra] : [];
    if (parsed.kind !== 'blank') this.records++;
    if (parsed.kind === 'invalid') findings.push(parsed.finding);
    else if (parsed.kind === 'value') {
      const v = parsed.value;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) findings.push(notObjectFinding(text, v));
      else {
        const facts: Record<string, unknown> = {};
        findings.push(...this.pipeline.check(text, v as Record<string, unknown>, this.detected, facts));
        if (this.settings.datasetRules?.length) this.entries.push({ line, facts });
      }
    }
    if (findings.length) this.emit(findings, line);
  }

  /** Finishes the file: flushes buffered lines and runs dataset rules. */
  end(): { format: FormatId | undefined; records: number } {
    if (!this.decided) this.decide();
    const rules = this.settings.datasetRules;
    if (rules?.length) {
      const ctx: RuleContext = { config: this.pipeline.config, format: this.detected };
      const findings: Finding[] = [];
      for (const rule of rules) for (const f of rule.check(this.entries, ctx)) findings.push(f);
      for (const f of applyRuleSettings(findings, this.pipeline.config)) this.onFinding(f);
    }
    return { format: this.detected, records: this.records };
  }
}
