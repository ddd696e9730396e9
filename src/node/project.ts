import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { CONFIG_FILE_NAME, CuratorConfig, DEFAULT_CONFIG, findMapping, parseConfig } from '../core/config';
import { datasetRules, recordRules } from '../core/curation';
import { CheckSettings, compileCustomSchema } from '../core/engine';
import { Finding } from '../core/findings';

/** A loaded `.dialoguecurator.json` with where it lives and what is wrong in it. */
export interface LoadedConfig {
  path: string | undefined;
  dir: string;
  config: CuratorConfig;
  findings: Finding[];
}

/** Walks up from `startDir` (stopping at `stopDir` if given) to the nearest config file. */
export function findConfigFile(startDir: string, stopDir?: string): string | undefined {
  let dir = path.resolve(startDir);
  const stop = stopDir ? path.resolve(stopDir) : undefined;
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || dir === stop) return undefined;
    dir = parent;
  }
}

export function loadConfigFile(file: string): LoadedConfig {
  const text = fs.readFileSync(file, 'utf8');
  const { config, findings } = parseConfig(text);
  return { path: file, dir: path.dirname(file), config, findings };
}

export function defaultConfig(dir: string): LoadedConfig {
  return { path: undefined, dir, config: DEFAULT_CONFIG, findings: [] };
}

/** Resolves a schema `url` from the config: a relative or absolute path or a file: URL. */
export function resolveSchemaPath(url: string, configDir: string): string {
  if (/^file:/i.test(url)) return fileURLToPath(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(`Only local schema files can be used (found ${url}); nothing is downloaded`);
  }
  return path.resolve(configDir, url);
}

/** Reads and parses a custom schema file, with errors a user can act on. */
export function readSchemaFile(file: string): object {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read the schema file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('it is not a JSON object');
    return value;
  } catch (err) {
    throw new Error(`The schema file ${file} is not valid JSON: ${(err as Error).message}`);
  }
}

export interface FileSettings {
  settings: CheckSettings;
  /** Problems with the schema mapping for this file (missing file, bad schema): reported on line 1. */
  problems: string[];
  schemaPath?: string;
}

/**
 * The check settings for one dataset file under a loaded config: its format override or custom
 * schema, and the curation rules. `schemaCache` lets many files share one read of a schema.
 */
export function settingsForFile(file: string, loaded: LoadedConfig, schemaCache = new Map<string, object | Error>()): FileSettings {
  const rel = path.relative(loaded.dir, path.resolve(file)).split(path.sep).join('/');
  const mapping = rel.startsWith('..') ? undefined : findMapping(loaded.config, rel);
  const settings: CheckSettings = { config: loaded.config, recordRules, datasetRules, format: mapping?.format };
  const problems: string[] = [];
  let schemaPath: string | undefined;
  if (mapping?.url) {
    try {
      schemaPath = resolveSchemaPath(mapping.url, loaded.dir);
      let schema = schemaCache.get(schemaPath);
      if (!schema) {
        try {
          schema = readSchemaFile(schemaPath);
        } catch (err) {
          schema = err as Error;
        }
        schemaCache.set(schemaPath, schema);
      }
      if (schema instanceof Error) throw schema;
      compileCustomSchema(schemaPath, schema);
      settings.customSchema = { id: schemaPath, schema };
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  return { settings, problems, schemaPath };
}

/** A finding on the first line that explains why the file's configured schema is not used. */
export function problemFinding(message: string): Finding {
  return { line: 0, column: 0, endLine: 0, endColumn: 0, severity: 'error', code: 'config-schema', message };
}
