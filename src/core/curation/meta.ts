import datasetRules from '../dataset/rules.json';
import engineRules from '../engine-rules.json';
import pairRules from '../pairs/rules.json';
import tokenRules from '../tokens/rules.json';
import toneRules from '../tone/rules.json';
import { CuratorConfig } from '../config';
import { Finding, Severity } from '../findings';
import { ColumnRange } from '../positions';

/** A curation rule's documentation, as shown in hovers, docs and the config file's completion. */
export interface RuleDoc {
  id: string;
  title: string;
  severity: Severity;
  /** The default threshold, for rules that have one (what it means is in the doc). */
  threshold?: number;
  /** Message template; `{name}` placeholders are filled per finding. */
  message: string;
  doc: { why: string; example: string; fix: string };
}

function asDocs(list: unknown[]): RuleDoc[] {
  return list as RuleDoc[];
}

/** Every curation rule, in the order they are documented. */
export const RULE_DOCS: readonly RuleDoc[] = [...asDocs(toneRules), ...asDocs(pairRules), ...asDocs(tokenRules), ...asDocs(datasetRules)];

const byId = new Map(RULE_DOCS.map((d) => [d.id, d]));

/** Codes the engine itself produces; they can be set in `rules` too. */
export const ENGINE_RULE_IDS: readonly string[] = (engineRules as { id: string }[]).map((r) => r.id);

/** Every id accepted in the config's `rules`. */
export const KNOWN_RULE_IDS: readonly string[] = [...ENGINE_RULE_IDS, ...RULE_DOCS.map((d) => d.id)];

export function ruleDoc(id: string): RuleDoc | undefined {
  return byId.get(id);
}

function docOf(id: string): RuleDoc {
  const d = byId.get(id);
  if (!d) throw new Error(`No documentation for rule ${id}`);
  return d;
}

/** The threshold in force for a rule: the config's, or the rule's default. */
export function ruleThreshold(config: CuratorConfig, id: string): number {
  return config.rules[id]?.threshold ?? docOf(id).threshold ?? 0;
}

/** Whether a rule is switched off (so its work can be skipped). */
export function ruleOff(config: CuratorConfig, id: string): boolean {
  return config.rules[id]?.severity === 'off';
}

/** A message template cut at its placeholders: text at even indexes, placeholder names at odd ones. */
const templateParts = new Map<string, string[]>();

function partsOf(template: string): string[] {
  let parts = templateParts.get(template);
  if (!parts) {
    // split() with a capturing group keeps the names: ["Uses ", "phrase", " in ", "side", ""].
    parts = template.split(/\{(\w+)\}/);
    if (templateParts.size < 1000) templateParts.set(template, parts);
  }
  return parts;
}

/** Fills `{name}` placeholders; numbers are shown with two decimals at most. */
export function fillMessage(template: string, values: Record<string, string | number | undefined>): string {
  const parts = partsOf(template);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const v = values[parts[i]];
    out += v === undefined ? `{${parts[i]}}` : typeof v === 'number' ? formatNumber(v) : v;
    out += parts[i + 1];
  }
  return out;
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
}

/** A finding of a curation rule on line 0 (the engine moves it), with the rule's default severity. */
export function ruleFinding(id: string, range: ColumnRange, values: Record<string, string | number | undefined>, extra?: { field?: string; data?: Record<string, unknown>; line?: number }): Finding {
  const d = docOf(id);
  const line = extra?.line ?? 0;
  const f: Finding = { line, column: range.column, endLine: line, endColumn: range.endColumn, severity: d.severity, code: id, message: fillMessage(d.message, values) };
  if (extra?.field) f.field = extra.field;
  if (extra?.data) f.data = extra.data;
  return f;
}
