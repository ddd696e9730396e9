/**
 * `npm run bench`: writes a deterministic 100k-pair file (1–2 KB records) to a temp folder and
 * measures, in the same run and on the same file:
 *   parse  — read + JSON.parse every line (the bare minimum),
 *   floor  — parse + tokenize every response (what a full check cannot avoid, single thread),
 *   schema — the issue-2 check (JSON + schema),
 *   full   — the full check (schema + tone + pairs + conversations + tokens + dataset rules) as
 *            `dialogue-curator check` runs it: on worker threads, one per core,
 *   full1  — the same check in one thread (what the floor is compared with, thread for thread),
 *   modelStructural — a 100k-line editor model, syntax and schema only: first check, re-checks after edits,
 *   model  — the same with every rule on, as the editor's curation process holds it (its peak RSS
 *            is the model's: the structural model runs in its own process), then 300 more edits
 *            with pauses, so that the peak is the one of an editor in use.
 * Each phase runs in its own process (so its peak RSS is its own), one after the other.
 * Options: --records N (default 100000), --keep (keep the temp file), --phases a,b (run only these;
 * e.g. --records 650000 --phases full,full1 for the 1 GB memory figures without the editor model),
 * --runs N (default 1): every phase N times, the runs interleaved (phase by phase, round after
 * round, so a change of the machine's load falls on all of them alike); each figure printed is the
 * median of its N values, each ratio the median of the N ratios of one round, with their range.
 */
import { spawnSync } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CURATION_PROCESS_ENV, CURATION_PROCESS_FLAGS } from '../src/node/workers';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { asciiOutputPlugin } = require('../scripts/ascii-output') as { asciiOutputPlugin: esbuild.Plugin };
import { writeBenchFile } from './generate';

const args = process.argv.slice(2);
const records = Number(args[args.indexOf('--records') + 1]) || 100_000;
const keep = args.includes('--keep');
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of runs, 1 or more');
const PHASES = ['parse', 'floor', 'schema', 'full', 'full1', 'modelStructural', 'model'];
const phases = args.includes('--phases') ? args[args.indexOf('--phases') + 1].split(',') : PHASES;
const unknown = phases.filter((p) => !PHASES.includes(p));
if (unknown.length) throw new Error(`unknown phase ${unknown.join(', ')} (phases: ${PHASES.join(', ')})`);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-bench-'));
  const file = path.join(dir, 'pairs.jsonl');
  let t = performance.now();
  const size = writeBenchFile(file, { records }).bytes;
  console.log(`dataset: ${records} records, ${(size / 1e6).toFixed(1)} MB (${Math.round(size / records)} bytes/record), written in ${Math.round(performance.now() - t)} ms: ${file}`);

  const harness = path.join(dir, 'harness.cjs');
  t = performance.now();
  // The CLI's worker script goes beside the harness, where checkFile looks for it (as dist/ holds cli.js and checkWorker.js).
  await esbuild.build({
    entryPoints: { harness: path.join(__dirname, 'harness.ts'), checkWorker: path.join(__dirname, '..', 'src', 'node', 'checkWorker.ts') },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.cjs' },
    mainFields: ['module', 'main'],
    logLevel: 'error',
    // As the product's bundles (see esbuild.js): ASCII source text, half the memory in each isolate.
    metafile: true,
    plugins: [asciiOutputPlugin],
  });
  fs.renameSync(path.join(dir, 'checkWorker.cjs'), path.join(dir, 'checkWorker.js'));
  console.log(`harness bundled in ${Math.round(performance.now() - t)} ms`);

  type Figures = Record<string, Record<string, number | string>>;
  const rounds: Figures[] = [];
  for (let round = 0; round < runs; round++) {
    const got: Figures = {};
    rounds.push(got);
    if (runs > 1) console.log(`round ${round + 1} of ${runs}`);
    for (const phase of phases) {
      // The editor model's phases run in a process set up as the curation process is: its V8 flags and environment.
      const model = phase.startsWith('model');
      const env = model ? { ...process.env, ...CURATION_PROCESS_ENV } : process.env;
      const run = spawnSync(process.execPath, ['--max-old-space-size=4096', ...(model ? CURATION_PROCESS_FLAGS : []), harness, phase, file], { encoding: 'utf8', env });
      if (run.status !== 0) {
        console.error(`${phase} failed:\n${run.stderr}`);
        process.exitCode = 1;
        continue;
      }
      got[phase] = JSON.parse(run.stdout.trim().split('\n').pop()!);
      console.log(phaseLine(phase, got[phase]));
    }
  }
  // Each phase's figures over the rounds: numbers by their median, text (digests, counts by code) as the first round's.
  const results: Figures = {};
  for (const phase of phases) {
    const all = rounds.map((g) => g[phase]).filter(Boolean);
    if (!all.length) continue;
    results[phase] = Object.fromEntries(Object.entries(all[0]).map(([k, v]) => [k, typeof v === 'number' ? Math.round(median(all.map((a) => a[k] as number)) * 10) / 10 : v]));
    if (all.some((a) => a.digest !== all[0].digest)) console.log(`${phase}: the findings differ between rounds`);
  }
  /** A ratio per round, as its median and (over several rounds) its range: "1.49x (1.46-1.52 over 3 rounds)". */
  const perRound = (f: (g: Figures) => number | undefined, digits = 2): string => {
    const values = rounds.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (!values.length) return 'n/a';
    const range = values.length > 1 ? ` (${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)} over ${values.length} rounds)` : '';
    return `${median(values).toFixed(digits)}x${range}`;
  };
  /** The lowest and highest of one model figure over the rounds: "31.2-43.5". */
  const spread = (key: string): string => {
    const values = rounds.map((g) => g.model?.[key]).filter((v): v is number => typeof v === 'number');
    return `${Math.min(...values)}-${Math.max(...values)}`;
  };
  const ratio = (a: string, b: string) => perRound((g) => (g[a] && g[b] ? (g[a].ms as number) / (g[b].ms as number) : undefined));
  if (runs > 1) {
    console.log(`\nmedians of ${runs} rounds:`);
    for (const [phase, r] of Object.entries(results)) console.log(phaseLine(phase, r));
  }
  console.log('');
  console.log(`schema check / bare parse:  ${ratio('schema', 'parse')}   (issue 2 goal: within 2x)`);
  console.log(`full check / floor:         ${ratio('full', 'floor')}   (issue 3 goal: within 1.5x; floor = parse + tokenize every response, one thread; full check on ${results.full?.threads ?? '?'} threads)`);
  console.log(`full check, 1 thread / floor: ${ratio('full1', 'floor')}`);
  console.log(`full check / bare parse:    ${ratio('full', 'parse')}`);
  if (results.full) console.log(`full check findings by code: ${results.full.codes}`);
  if (results.full && results.full1) console.log(`same findings on threads and in one thread: ${results.full.digest === results.full1.digest ? 'yes' : 'NO'}`);
  const s = results.modelStructural;
  if (s) {
    console.log(`model (${records} lines, in memory): structural first check ${s.structuralFirstMs} ms, re-check after a one-line edit ${s.structuralRecheckMs} ms (issue 2 goal: < 50 ms; median of the next 4 edits ${s.structuralRecheckLaterMs} ms), after inserting a line ${s.structuralInsertMs} ms (median of the next 4: ${s.structuralInsertLaterMs} ms), after removing a line ${s.structuralDeleteMs} ms (median of the next 4: ${s.structuralDeleteLaterMs} ms)`);
  }
  if (results.model) {
    const m = results.model;
    const over = runs > 1 ? ` (each the median over ${runs} rounds; the first edit, insert and removal of each round ranged ${spread('fullRecheckMs')}, ${spread('fullInsertMs')} and ${spread('fullDeleteMs')} ms)` : '';
    console.log(`model (${records} lines, in memory), every rule on: first check ${m.fullFirstMs} ms, re-check after a one-line edit that changes how a response opens ${m.fullRecheckMs} ms (issue 12 goal: < 50 ms; median of the next 4 edits ${m.fullRecheckLaterMs} ms), after a word typed inside a response ${m.fullInsideMs} ms (median of 5), after inserting a line ${m.fullInsertMs} ms (goal: < 50 ms; median of the next 4 inserts ${m.fullInsertLaterMs} ms), after removing a line ${m.fullDeleteMs} ms (median of the next 4: ${m.fullDeleteLaterMs} ms)${over}`);
    console.log(`model session: ${m.fullSessionEdits} more edits (an edit, a line inserted, removed again; a pause after each three, where the process collects its garbage when the heap has grown: ${m.fullIdleCollections} collections): re-check median ${m.fullSessionMedianMs} ms, 95th percentile ${m.fullSessionP95Ms} ms, slowest ${m.fullSessionMaxMs} ms; the slowest first edit after a collection ${m.fullAfterCollectionMaxMs} ms`);
    const fileMB = fs.statSync(file).size / 1e6;
    console.log(`model peak RSS / file size:  ${perRound((g) => (g.model ? (g.model.maxRssMB as number) / fileMB : undefined), 1)}   (issue 12 goal: within 4x; ${m.maxRssMB} MB for ${fileMB.toFixed(0)} MB; every rule on, in a process of its own as the curation process, through its first check, the timed edits and the session)`);
    if (results.full) console.log(`model full first check / CLI full check: ${perRound((g) => (g.model && g.full ? (g.model.fullFirstMs as number) / (g.full.ms as number) : undefined))}   (issue 12 goal: within 1x)`);
  }
  if (results.full) {
    const fileMB = fs.statSync(file).size / 1e6;
    console.log(`CLI full check peak RSS:     ${results.full.maxRssMB} MB for a ${fileMB.toFixed(0)} MB file   (issue 12 goal: under 400 MB for a 1 GB file; --records 650000 makes about 1 GB)`);
  }
  if (results.full1) console.log(`  the same check in one thread: ${results.full1.maxRssMB} MB`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (!keep) fs.rmSync(dir, { recursive: true, force: true });
}

/** A phase's figures on one line: wall and CPU time, records a second (for phases that count them), peak RSS. */
function phaseLine(phase: string, r: Record<string, number | string>): string {
  const rate = typeof r.records === 'number' ? `, ${Math.round((r.records / (r.ms as number)) * 1000).toLocaleString('en')} records/s` : '';
  return `${phase.padEnd(7)} ${String(r.ms).padStart(7)} ms wall, ${String(r.cpuMs).padStart(7)} ms CPU${rate}, peak RSS ${r.maxRssMB} MB`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

void main();
