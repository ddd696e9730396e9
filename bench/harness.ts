/**
 * The measured phases of the benchmark, run one per child process (see check.bench.ts) so each
 * phase's peak memory is its own. Bundled with esbuild first, so what is timed is the code users
 * run (dist/cli.js is bundled the same way), not a TypeScript loader.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { ByteLineSplitter, decodeLine } from '../src/core/byteLines';
import { DEFAULT_CONFIG } from '../src/core/config';
import { datasetRules, recordRules } from '../src/core/curation';
import { CheckSettings, DatasetModel } from '../src/core/engine';
import { firstChecksOnThreads } from '../src/node/modelPool';
import { curationListing, TEXT_PIECE } from '../src/node/curationProtocol';
import { extractParts } from '../src/core/parts';
import { tokenizer } from '../src/core/tokens/tokenizer';
import { checkFile, checkFileForReport } from '../src/node/checkFile';
import { FindingSequence } from '../src/node/findingStore';
import { IdleCollector, keepHeapTight } from '../src/node/heap';
import { parallelPlan } from '../src/node/parallelCheck';

async function forEachLine(file: string, onLine: (text: string) => void): Promise<void> {
  const splitter = new ByteLineSplitter();
  const cb = (bytes: Uint8Array) => onLine(decodeLine(bytes).text);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) splitter.push(chunk as Buffer, cb);
  splitter.end(cb);
}

type Result = Record<string, number | string>;

/** What the CLI gets of a file's check. */
type Checked = { records: number; findings: FindingSequence };

/** A phase's result, or a check's result to summarize once the clock has stopped. */
type PhaseOutput = Result | { check: Checked; threads: number };

/** Counts by code and a digest of every finding, so two runs can be compared without printing 150k findings. */
function summarize(r: Checked): Result {
  const byCode: Record<string, number> = {};
  const hash = createHash('sha256');
  for (const f of r.findings) {
    byCode[f.code] = (byCode[f.code] ?? 0) + 1;
    hash.update(JSON.stringify(f));
  }
  return { records: r.records, findings: r.findings.length, codes: JSON.stringify(byCode), digest: hash.digest('hex') };
}

const phases: Record<string, (file: string) => Promise<PhaseOutput>> = {
  /** Reading, splitting and JSON.parse of every line: the bare minimum. */
  async parse(file) {
    let n = 0;
    await forEachLine(file, (t) => {
      if (t) {
        JSON.parse(t);
        n++;
      }
    });
    return { records: n };
  },
  /** The floor of a full check: parse every line and tokenize every response. */
  async floor(file) {
    const tok = tokenizer('o200k_base');
    let n = 0;
    let tokens = 0;
    await forEachLine(file, (t) => {
      if (!t) return;
      const parts = extractParts('trl-standard', JSON.parse(t))!;
      for (const turn of [...parts.chosen, ...parts.rejected]) tokens += tok.count(turn.content);
      n++;
    });
    return { records: n, tokens };
  },
  /** Issue 2's check: JSON and schema only. */
  async schema(file) {
    const r = await checkFile(file, { recordRules: [], datasetRules: [] });
    return { records: r.records, findings: r.findings.length };
  },
  /** The full check as the CLI runs it (findings kept for its report): schema, tone, pairs, conversations, tokens, dataset rules, on worker threads. */
  async full(file) {
    const settings = { config: DEFAULT_CONFIG, recordRules, datasetRules };
    const plan = parallelPlan(file, settings);
    return { check: await checkFileForReport(file, settings), threads: plan?.threads ?? 1 };
  },
  /** The same check in the calling thread only. */
  async full1(file) {
    return { check: await checkFileForReport(file, { config: DEFAULT_CONFIG, recordRules, datasetRules }, undefined, { threads: 1 }), threads: 1 };
  },
  /**
   * The editor's model of the file with every rule on, as the curation process holds it (its peak
   * memory is this process's: the structural model runs in a phase of its own).
   */
  model: (file) => modelPhase(file, 'full', { config: DEFAULT_CONFIG, recordRules, datasetRules }),
  /** The same with syntax and schema checks only. */
  modelStructural: (file) => modelPhase(file, 'structural', { recordRules: [], datasetRules: [] }),
};

/** Gives the model the file's text a piece of about TEXT_PIECE characters at a time, cut after a line break (as the curation host sends a document). */
function readInPieces(file: string, model: DatasetModel): void {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(TEXT_PIECE);
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  const give = (text: string) => {
    if (first) model.setText(text);
    else model.appendText(text);
    first = false;
  };
  try {
    for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) {
      const text = carry + decoder.write(buffer.subarray(0, n));
      const cut = text.lastIndexOf('\n') + 1;
      carry = text.slice(cut);
      if (cut) give(text.slice(0, cut));
    }
  } finally {
    fs.closeSync(fd);
  }
  carry += decoder.end();
  if (carry || first) give(carry);
}

/** How many rounds of three edits the editor model's session makes after the timed edits. */
const SESSION_ROUNDS = 100;

/**
 * An editor-sized model of the file: first check, then re-checks after edits. Each re-check is
 * timed as the curation worker makes it: the summary, then the findings VS Code lists picked from
 * it (curationListing).
 */
async function modelPhase(file: string, name: string, settings: CheckSettings): Promise<Result> {
  const out: Result = {};
  const model = new DatasetModel(settings);
  // As the curation process gets a document: its text in pieces (the whole text is never in
  // this process); the edits below are made of the model's own lines.
  readInPieces(file, model);
  const lines: string[] = [];
  for (const i of [20, 500, 900]) for (let k = 0; k < 5; k++) lines[i + k] = model.lineText(i + k)!;
  let t = performance.now();
  // As the editor's curation worker does: the first full check's record checks on threads.
  if (name === 'full') await firstChecksOnThreads(model, { config: DEFAULT_CONFIG });
  model.summary();
  out[`${name}FirstMs`] = Math.round(performance.now() - t);
  // The first edit after the first check, then four more (code that only runs on re-checks is warm by then).
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    // A real edit (the generated lines are compact JSON: no space after the colon).
    const edited = lines[500 + k].replace(/"chosen": ?"/, '$&Thank you for asking. ');
    if (edited === lines[500 + k]) throw new Error('the bench edit changed nothing');
    t = performance.now();
    model.splice(500 + k, 1, [edited]);
    curationListing(model.summary().findings, model.findingCounts!);
    times.push(Math.round((performance.now() - t) * 10) / 10);
  }
  out[`${name}RecheckMs`] = times[0];
  const later = times.slice(1).sort((a, b) => a - b);
  out[`${name}RecheckLaterMs`] = Math.round(((later[1] + later[2]) / 2) * 10) / 10;
  // Typing inside a response (a word added in the middle of the chosen text): its first and
  // last words, which the shortcut search reads, stay as they were.
  const inside: number[] = [];
  for (let k = 0; k < 5; k++) {
    const line = lines[900 + k];
    const at = line.indexOf(' ', line.search(/"chosen": ?"/) + 60);
    const edited = `${line.slice(0, at)} really${line.slice(at)}`;
    t = performance.now();
    model.splice(900 + k, 1, [edited]);
    curationListing(model.summary().findings, model.findingCounts!);
    inside.push(Math.round((performance.now() - t) * 10) / 10);
  }
  out[`${name}InsideMs`] = inside.sort((a, b) => a - b)[2];
  // A new line near the top moves every finding below it: the first insert (the code that
  // moves findings runs for the first time), then four more.
  const inserts: number[] = [];
  for (let k = 0; k < 5; k++) {
    t = performance.now();
    model.splice(10 + k, 0, [lines[20 + k]]);
    curationListing(model.summary().findings, model.findingCounts!);
    inserts.push(Math.round((performance.now() - t) * 10) / 10);
  }
  out[`${name}InsertMs`] = inserts[0];
  const laterInserts = inserts.slice(1).sort((a, b) => a - b);
  out[`${name}InsertLaterMs`] = Math.round(((laterInserts[1] + laterInserts[2]) / 2) * 10) / 10;
  // A line removed near the top (the inserted copies taken out again): every line below moves up.
  const deletes: number[] = [];
  for (let k = 0; k < 5; k++) {
    t = performance.now();
    model.splice(10, 1, []);
    curationListing(model.summary().findings, model.findingCounts!);
    deletes.push(Math.round((performance.now() - t) * 10) / 10);
  }
  out[`${name}DeleteMs`] = deletes[0];
  const laterDeletes = deletes.slice(1).sort((a, b) => a - b);
  out[`${name}DeleteLaterMs`] = Math.round(((laterDeletes[1] + laterDeletes[2]) / 2) * 10) / 10;
  // A longer session, so that the peak memory is the one of an editor in use, not of its first
  // minutes: a hundred times an edit, a line inserted and removed again, each time followed by
  // a pause (the curation process collects its garbage when idle: IdleCollector).
  const collector = new IdleCollector();
  let collected = collector.idle();
  const sessionTimes: number[] = [];
  // The first edit after each collection (V8 sweeps the collected heap on other threads for a while after it).
  const afterCollection: number[] = [];
  for (let k = 0; k < SESSION_ROUNDS; k++) {
    const i = 2000 + (k % 500);
    const line = model.lineText(i)!;
    for (const [at, remove, put] of [[i, 1, [line.replace(/"chosen": ?"/, '$&Thanks. ')]], [3000, 0, [line]], [3000, 1, []]] as const) {
      t = performance.now();
      model.splice(at, remove, [...put]);
      curationListing(model.summary().findings, model.findingCounts!);
      const ms = performance.now() - t;
      sessionTimes.push(ms);
      if (collected) afterCollection.push(ms);
      collected = false;
    }
    collected = collector.idle();
  }
  const sorted = sessionTimes.sort((a, b) => a - b);
  out[`${name}SessionEdits`] = sessionTimes.length;
  out[`${name}SessionMedianMs`] = Math.round(sorted[sorted.length >> 1] * 10) / 10;
  out[`${name}SessionP95Ms`] = Math.round(sorted[Math.floor(sorted.length * 0.95)] * 10) / 10;
  out[`${name}SessionMaxMs`] = Math.round(sorted[sorted.length - 1] * 10) / 10;
  out[`${name}AfterCollectionMaxMs`] = afterCollection.length ? Math.round(Math.max(...afterCollection) * 10) / 10 : 0;
  out[`${name}IdleCollections`] = collector.collections;
  return out;
}

export async function runPhase(name: string, file: string): Promise<Result> {
  const phase = phases[name];
  if (!phase) throw new Error(`unknown phase ${name}`);
  const t = performance.now();
  const output = await phase(file);
  const ms = performance.now() - t;
  const cpu = process.cpuUsage();
  // Counting and digesting the findings is not part of the check: done after the clock stops.
  const result = 'check' in output && typeof output.check === 'object' ? { ...summarize(output.check), threads: output.threads } : (output as Result);
  return { phase: name, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), ...result };
}

if (require.main === module) {
  const [name, file] = process.argv.slice(2);
  // Every phase runs in a process set up as the one it stands for: the CLI's, or the editor's
  // curation process (CURATION_PROCESS_FLAGS: the same heap growth).
  keepHeapTight();
  runPhase(name, file).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err) => {
      process.stderr.write(`${(err as Error).stack}\n`);
      process.exitCode = 1;
    },
  );
}
