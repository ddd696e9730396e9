import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { Finding } from './findings';
import { jsonTypeName } from './jsonl';
import { formatPath, JsonPath } from './parts';
import { LineLocator } from './positions';

/** Validates one parsed record and reports findings on line 0 with exact ranges. */
export type RecordValidator = (value: unknown, locator: LineLocator) => Finding[];

const DRAFT_2020 = /json-schema\.org\/(draft\/2020-12|draft\/2019-09)/;

/**
 * Compiles each schema once (keyed by the caller's id) with the ajv flavour its `$schema` asks
 * for: draft-07 (and earlier drafts that share its vocabulary) or 2020-12.
 */
export class SchemaCompiler {
  private draft07 = new Ajv({ allErrors: true, strict: false, verbose: true, allowUnionTypes: true, validateSchema: false });
  private draft2020 = new Ajv2020({ allErrors: true, strict: false, verbose: true, allowUnionTypes: true, validateSchema: false });
  private cache = new Map<string, RecordValidator>();

  /** Throws an Error with a readable message if the schema itself cannot be compiled. */
  compile(id: string, schema: object, rootName = 'record'): RecordValidator {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const $schema = (schema as { $schema?: unknown }).$schema;
    const ajv = typeof $schema === 'string' && DRAFT_2020.test($schema) ? this.draft2020 : this.draft07;
    // A schema's own $id could clash with another file's: compile a copy without it.
    const { $id: _ignored, ...rest } = schema as Record<string, unknown>;
    void _ignored;
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(rest);
    } catch (err) {
      throw new Error(`The schema ${id} cannot be used: ${(err as Error).message}`);
    }
    const validator: RecordValidator = (value, locator) => (validate(value) ? [] : humanize(validate.errors ?? [], locator, rootName));
    this.cache.set(id, validator);
    return validator;
  }
}

function parsePointer(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

function shortJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  // An object or list is named by its type: never stringified (a deeply nested one overflowed the stack).
  if (typeof value === 'object' && value !== null) return jsonTypeName(value);
  let s = JSON.stringify(value) ?? String(value);
  if (s.length > 60) s = `${s.slice(0, 57)}…`;
  return s;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

function typeWords(types: unknown): string {
  const list = Array.isArray(types) ? types : [types];
  const words = list.map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Turns ajv's errors into findings a data author understands, each at its exact range. */
export function humanize(errors: ErrorObject[], locator: LineLocator, rootName = 'record'): Finding[] {
  // Errors under an anyOf/oneOf are the branches' own complaints; the combined one says it better.
  const combined = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (combined.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    // "must match the then schema": the branch's own errors, reported too, say what is wrong.
    if (e.keyword === 'if') continue;
    const path = parsePointer(e.instancePath);
    const field = formatPath(path);
    const subject = path.length ? field : `The ${rootName}`;
    const found = shortJson(e.data);
    const custom = (e.parentSchema as { 'x-message'?: unknown } | undefined)?.['x-message'];
    const p = e.params as Record<string, unknown>;
    let message: string;
    let range = locator.valueRange(path);
    let concerns = field;
    switch (e.keyword) {
      case 'required': {
        const missing = String(p.missingProperty);
        message = `${subject} is missing the required field "${missing}"`;
        concerns = formatPath([...path, missing]);
        break;
      }
      case 'type':
        message = `${field} must be ${typeWords(p.type)}, found ${jsonTypeName(e.data)}`;
        break;
      case 'const':
        message = `${field} must be ${JSON.stringify(p.allowedValue)}, found ${found}`;
        break;
      case 'enum': {
        const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v));
        message = typeof custom === 'string' ? `${field} ${custom}, found ${found}` : `${field} must be one of ${allowed.join(', ')}, found ${found}`;
        break;
      }
      case 'additionalProperties': {
        const extra = String(p.additionalProperty);
        message = `Unknown field "${extra}" in ${path.length ? field : `the ${rootName}`}`;
        range = locator.keyRange([...path, extra]);
        concerns = formatPath([...path, extra]);
        break;
      }
      case 'minLength':
        message = p.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${plural(Number(p.limit), 'character')} long`;
        break;
      case 'maxLength':
        message = `${field} must be at most ${plural(Number(p.limit), 'character')} long, found ${String(e.data).length}`;
        break;
      case 'minItems':
        message = p.limit === 1 ? `${field} must not be an empty list` : `${field} must have at least ${plural(Number(p.limit), 'item')}, found ${(e.data as unknown[]).length}`;
        break;
      case 'maxItems':
        message = `${field} must have at most ${plural(Number(p.limit), 'item')}, found ${(e.data as unknown[]).length}`;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        message = typeof custom === 'string' ? `${field} ${custom}, found ${found}` : `${field} must be ${p.comparison} ${p.limit}, found ${found}`;
        break;
      case 'pattern':
        message = typeof custom === 'string' ? `${field} ${custom}` : `${field} must match the pattern ${String(p.pattern)}`;
        break;
      case 'anyOf':
      case 'oneOf':
        message = typeof custom === 'string' ? `${field} ${custom}, found ${jsonTypeName(e.data)}` : `${field} does not match any of the allowed shapes${e.keyword === 'oneOf' ? ' (or matches more than one)' : ''}`;
        break;
      default:
        message = typeof custom === 'string' ? `${field} ${custom}` : `${field} ${e.message ?? 'is not valid'}`;
    }
    const key = `${range.column}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({ line: 0, column: range.column, endLine: 0, endColumn: range.endColumn, severity: 'error', code: 'schema', message, field: concerns });
  }
  return findings;
}
