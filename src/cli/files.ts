import * as fs from 'fs';
import * as path from 'path';

export const DATASET_EXTENSIONS = ['.jsonl', '.ndjson'];
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out']);

/** Expands the PATH arguments: files as given, folders searched for .jsonl/.ndjson files. */
export function expandPaths(args: string[], cwd: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      missing.push(dir);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(full);
      } else if (DATASET_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) files.push(full);
    }
  };
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      missing.push(arg);
      continue;
    }
    if (stat.isDirectory()) walk(full);
    else files.push(full);
  }
  return { files, missing };
}

/** How a path is shown: relative to the working directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
