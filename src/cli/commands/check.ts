import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { sortFindings } from '../../core/engine';
import { FORMAT_LABELS } from '../../core/formats';
import { checkFileForReport } from '../../node/checkFile';
import { FindingSequence, FindingStore } from '../../node/findingStore';
import { defaultConfig, findConfigFile, LoadedConfig, loadConfigFile, problemFinding, settingsForFile } from '../../node/project';
import { displayPath, expandPaths } from '../files';
import { CliIO, parseDatasetArgs, UsageError, writeChunks } from '../io';
import { jsonReportChunks, ReportedFile, sarifReportChunks, terminalSafe, textLine } from '../output';
import { RULES_URL, VERSION } from '../version';

const HELP = `Usage: dialogue-curator check [--format text|json|sarif] [--config FILE] [--stdin-filename NAME]
                              [--rules-url URL] PATH... | -

Checks JSONL preference datasets (files, or folders searched for .jsonl and .ndjson files):
JSON syntax, the dataset format's schema (or a custom schema from .dialoguecurator.json),
and the curation rules. PATH - reads the dataset from standard input.

Options:
  --format text|json|sarif  Output format (default: text)
  --config FILE             Use this .dialoguecurator.json instead of the nearest one
  --stdin-filename NAME     With -: the name the input is reported under, and the path its
                            .dialoguecurator.json and schema mappings are looked up for
                            (default: <stdin> in the current folder)
  --rules-url URL           With --format sarif: where the rule pages (docs/rules/<id>.md of
                            this package) are published, for each rule's helpUri; e.g. your
                            repository's copy (default: the package's own repository, if known)
  -h, --help                Show this help

Exit status: 0 no errors, 1 errors found, 2 usage or I/O problem.
`;

/** The base URL rule pages are linked under (ends with "/"), from --rules-url. */
function rulesBase(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--rules-url needs an absolute http(s) URL, got ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--rules-url needs an absolute http(s) URL, got ${value}`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function* textLines(path: string, findings: FindingSequence): Generator<string> {
  for (const f of findings) yield `${textLine(path, f)}\n`;
}

function* withNewline(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield '\n';
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const parsed = parseDatasetArgs(args, io, HELP, ['text', 'json', 'sarif'] as const, ['stdin-filename', 'rules-url']);
  if (!parsed) return 0;
  const stdinName = parsed.options['stdin-filename'];
  const rulesUrlArg = parsed.options['rules-url'];
  const rulesUrl = rulesUrlArg !== undefined ? rulesBase(rulesUrlArg) : RULES_URL;
  const { format } = parsed;
  const fromStdin = parsed.positionals.filter((p) => p === '-').length;
  if (fromStdin > 1) throw new UsageError('- (standard input) can be given once');
  if (stdinName !== undefined && !fromStdin) throw new UsageError('--stdin-filename goes with - (standard input)');
  const positionals = parsed.positionals.filter((p) => p !== '-');
  const values = { config: parsed.config };
  if (!positionals.length && !fromStdin) throw new UsageError(`no PATH given\n\n${HELP}`);

  let ioProblem = false;
  const warn = (msg: string) => {
    io.stderr.write(`dialogue-curator check: ${msg}\n`);
  };

  let fixedConfig: LoadedConfig | undefined;
  if (values.config) {
    const file = path.resolve(io.cwd, values.config);
    try {
      fixedConfig = loadConfigFile(file);
    } catch (err) {
      warn(`cannot read the config file ${values.config}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 2;
    }
  }

  const { files, missing } = expandPaths(positionals, io.cwd);
  for (const m of missing) {
    warn(`${m}: no such file or folder`);
    ioProblem = true;
  }
  if (!files.length && !missing.length && !fromStdin) {
    // A folder without datasets is more often a wrong path than a clean one: a CI gate must not pass on it.
    warn(`no .jsonl or .ndjson files in ${positionals.join(', ')}`);
    return 2;
  }

  const reported: ReportedFile[] = [];
  /** Files checked against a schema mapped in .dialoguecurator.json. */
  const customSchema = new Set<ReportedFile>();
  const errorCount = errorCounter();
  const configsSeen = new Map<string, LoadedConfig>();
  const schemaCache = new Map<string, object | Error>();
  const configFor = (file: string): LoadedConfig => {
    if (fixedConfig) return fixedConfig;
    const found = findConfigFile(path.dirname(file));
    if (!found) return defaultConfig(io.cwd);
    let loaded = configsSeen.get(found);
    if (!loaded) {
      try {
        loaded = loadConfigFile(found);
      } catch (err) {
        warn(`cannot read ${found}: ${(err as Error).message}`);
        loaded = defaultConfig(path.dirname(found));
      }
      configsSeen.set(found, loaded);
    }
    return loaded;
  };

  // Standard input is spooled to a private temporary file, so it is checked like any file:
  // streamed, memory flat. It is named (and configured) as --stdin-filename says.
  let spooled: { dir: string; file: string; virtualPath: string } | undefined;
  if (fromStdin) {
    if (!io.stdin) throw new UsageError('standard input is not available');
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'dialogue-curator-stdin-'));
    const file = path.join(dir, 'stdin.jsonl');
    try {
      await pipeline(io.stdin, fs.createWriteStream(file, { mode: 0o600 }), { signal: io.signal });
    } catch (err) {
      await fs.promises.rm(dir, { recursive: true, force: true });
      warn(`cannot read standard input (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      return 2;
    }
    spooled = { dir, file, virtualPath: path.resolve(io.cwd, stdinName ?? '<stdin>') };
  }
  const inputs = [...files.map((file) => ({ read: file, named: file })), ...(spooled ? [{ read: spooled.file, named: spooled.virtualPath }] : [])];

  // The reports read the findings' stores (temporary files) to the end: let go of them then.
  const stores: FindingStore[] = [];
  try {
    return await report();
  } finally {
    for (const store of stores) store.dispose();
  }

  async function report(): Promise<number> {
    try {
      for (const { read, named: file } of inputs) {
        const loaded = configFor(file);
        const { settings, problems } = settingsForFile(file, loaded, schemaCache);
        try {
          const result = await checkFileForReport(read, settings, io.signal);
          stores.push(result.findings);
          // The check's findings are already in order; only schema-mapping problems need merging in.
          const findings: FindingSequence = problems.length ? sortFindings([...problems.map(problemFinding), ...result.findings]) : result.findings;
          const report: ReportedFile = { path: displayPath(file, io.cwd), format: result.format, records: result.records, findings };
          reported.push(report);
          if (settings.customSchema) customSchema.add(report);
          if (format === 'text') await writeChunks(io.stdout, textLines(report.path, findings));
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          warn(`${displayPath(file, io.cwd)}: cannot read (${e.code ?? e.message})`);
          ioProblem = true;
        }
      }
    } finally {
      if (spooled) await fs.promises.rm(spooled.dir, { recursive: true, force: true });
    }
    // Problems inside the config files themselves are findings too, reported against those files (after the datasets').
    const datasets = reported.length;
    const configs = fixedConfig ? [fixedConfig] : [...configsSeen.values()];
    for (const c of configs) {
      if (c.path && c.findings.length) {
        const report: ReportedFile = { path: displayPath(c.path, io.cwd), format: undefined, records: 0, findings: c.findings };
        reported.push(report);
        if (format === 'text') await writeChunks(io.stdout, textLines(report.path, c.findings));
      }
    }

    if (format === 'json') await writeChunks(io.stdout, withNewline(jsonReportChunks(reported)));
    else if (format === 'sarif') await writeChunks(io.stdout, withNewline(sarifReportChunks(reported, VERSION, rulesUrl)));
    else {
      const errors = reported.reduce((n, r) => n + errorCount(r), 0);
      const others = reported.reduce((n, r) => n + r.findings.length, 0) - errors;
      const summary = reported
        .slice(0, datasets)
        .map((r) =>
          r.records === 0
            ? `${terminalSafe(r.path)}: no records`
            : `${terminalSafe(r.path)}: ${r.records} record${r.records === 1 ? '' : 's'}, ${r.format ? FORMAT_LABELS[r.format] : customSchema.has(r) ? 'its mapped schema' : 'format not recognised (no schema was checked: use a known format, or map a schema to the file in .dialoguecurator.json)'}`,
        );
      for (const s of summary) io.stderr.write(`${s}\n`);
      io.stderr.write(`${errors} error${errors === 1 ? '' : 's'}, ${others} other finding${others === 1 ? '' : 's'} in ${inputs.length} file${inputs.length === 1 ? '' : 's'}\n`);
    }
    if (ioProblem) return 2;
    return reported.some((r) => errorCount(r) > 0) ? 1 : 0;
  }
}

/** Counts a report's errors once (a report of a million findings is decoded on each pass). */
function errorCounter(): (report: ReportedFile) => number {
  const counts = new Map<ReportedFile, number>();
  return (report) => {
    let n = counts.get(report);
    if (n === undefined) {
      n = 0;
      for (const f of report.findings) if (f.severity === 'error') n++;
      counts.set(report, n);
    }
    return n;
  };
}
