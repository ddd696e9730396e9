import picomatch from 'picomatch';
import configSchema from '../../schemas/dialoguecurator.schema.json';
import { Finding, Severity } from './findings';
import { FormatId, isFormatId } from './formats';
import { LineLocator } from './positions';
import { SchemaCompiler } from './schemaCheck';
import { parse as parseJsonc, ParseError, printParseErrorCode } from 'jsonc-parser';

export const CONFIG_FILE_NAME = '.dialoguecurator.json';

export type RuleSeverity = Severity | 'off';

export interface RuleSetting {
  severity?: RuleSeverity;
  threshold?: number;
}

export interface SchemaMapping {
  fileMatch: string[];
  url?: string;
  format?: FormatId;
}

export interface CuratorConfig {
  schemas: SchemaMapping[];
  rules: Record<string, RuleSetting>;
  allow: string[];
  maxLength: number;
  encoding: 'o200k_base' | 'cl100k_base';
  lintRejected: boolean;
}

export const DEFAULT_CONFIG: CuratorConfig = {
  schemas: [],
  rules: {},
  allow: [],
  maxLength: 1024,
  encoding: 'o200k_base',
  lintRejected: false,
};

/** Maps a 0-based offset in a multi-line text to line and column. */
export function offsetToPosition(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - lineStarts[lo] };
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

const compiler = new SchemaCompiler();

/**
 * Parses `.dialoguecurator.json` text. Problems (syntax, unknown keys, bad values) come back as
 * findings positioned in that file; whatever is valid is still used, the rest falls back to
 * defaults, so a typo never switches checking off.
 */
export function parseConfig(text: string): { config: CuratorConfig; findings: Finding[] } {
  const starts = lineStartsOf(text);
  const toFinding = (offset: number, length: number, message: string, code: string, severity: Severity = 'error', field?: string): Finding => {
    const a = offsetToPosition(starts, offset);
    const b = offsetToPosition(starts, offset + length);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, severity, code, message, field };
  };
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { disallowComments: false, allowTrailingComma: true });
  const findings: Finding[] = errors.map((e) =>
    toFinding(e.offset, e.length, `Invalid JSON in ${CONFIG_FILE_NAME}: ${printParseErrorCode(e.error)}`, 'config-syntax'),
  );
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (!findings.length) findings.push(toFinding(0, text.length, `${CONFIG_FILE_NAME} must contain a JSON object`, 'config'));
    return { config: { ...DEFAULT_CONFIG }, findings };
  }
  const validate = compiler.compile('dialoguecurator.schema.json', configSchema, 'configuration');
  const locator = new LineLocator(text);
  for (const f of validate(raw, locator)) {
    findings.push({ ...toFinding(f.column, f.endColumn - f.column, f.message, 'config'), field: f.field });
  }
  return { config: sanitize(raw as Record<string, unknown>), findings };
}

/** Keeps the valid parts of a parsed config (invalid ones are reported by the schema). */
function sanitize(raw: Record<string, unknown>): CuratorConfig {
  const config: CuratorConfig = { ...DEFAULT_CONFIG, schemas: [], rules: {}, allow: [] };
  if (Array.isArray(raw.schemas)) {
    for (const m of raw.schemas) {
      if (typeof m !== 'object' || m === null) continue;
      const { fileMatch, url, format } = m as Record<string, unknown>;
      if (!Array.isArray(fileMatch)) continue;
      const patterns = fileMatch.filter((p): p is string => typeof p === 'string' && p.length > 0);
      if (!patterns.length) continue;
      config.schemas.push({ fileMatch: patterns, url: typeof url === 'string' && url ? url : undefined, format: isFormatId(format) ? format : undefined });
    }
  }
  if (typeof raw.rules === 'object' && raw.rules !== null && !Array.isArray(raw.rules)) {
    for (const [id, v] of Object.entries(raw.rules)) {
      if (isSeverity(v)) config.rules[id] = { severity: v };
      else if (typeof v === 'object' && v !== null) {
        const { severity, threshold } = v as Record<string, unknown>;
        config.rules[id] = {
          severity: isSeverity(severity) ? severity : undefined,
          threshold: typeof threshold === 'number' && threshold >= 0 && threshold <= 1 ? threshold : undefined,
        };
      }
    }
  }
  if (Array.isArray(raw.allow)) config.allow = raw.allow.filter((s): s is string => typeof s === 'string');
  if (Number.isInteger(raw.maxLength) && (raw.maxLength as number) > 0) config.maxLength = raw.maxLength as number;
  if (raw.encoding === 'o200k_base' || raw.encoding === 'cl100k_base') config.encoding = raw.encoding;
  if (typeof raw.lintRejected === 'boolean') config.lintRejected = raw.lintRejected;
  return config;
}

function isSeverity(v: unknown): v is RuleSeverity {
  return v === 'error' || v === 'warning' || v === 'info' || v === 'hint' || v === 'off';
}

/**
 * The first mapping that applies to a file. `relativePath` is the file's path relative to the
 * config file's folder, with '/' separators. A pattern without '/' matches the file name.
 */
export function findMapping(config: CuratorConfig, relativePath: string): SchemaMapping | undefined {
  const rel = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const matches = (pattern: string) => {
    const p = pattern.replace(/^\.?\//, '');
    return picomatch(p, { dot: true })(p.includes('/') ? rel : base);
  };
  return config.schemas.find((m) => {
    const include = m.fileMatch.filter((p) => !p.startsWith('!'));
    const exclude = m.fileMatch.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    return include.some(matches) && !exclude.some(matches);
  });
}

/** Applies `rules` severities: `off` drops a finding, a severity replaces the default. */
export function applyRuleSettings(findings: Finding[], config: CuratorConfig): Finding[] {
  const rules = config.rules;
  if (!Object.keys(rules).length) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const settled = settledFinding(f, config);
    if (settled) out.push(settled);
  }
  return out;
}

/** One finding with the config's rule settings applied (see applyRuleSettings); undefined when its rule is off. */
export function settledFinding(f: Finding, config: CuratorConfig): Finding | undefined {
  const severity = config.rules[f.code]?.severity;
  if (severity === 'off') return undefined;
  return severity && severity !== f.severity ? { ...f, severity } : f;
}
