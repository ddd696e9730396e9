/**
 * `npm run bench:server`: the trainer server's memory and responsiveness while it validates a
 * big upload. Writes a deterministic dataset of about --mb MB (default 200; the bench generator's
 * 1–2 KB pairs) to a temp folder, bundles the CLI and its worker scripts there (what users run is
 * a bundle too), starts `serve --backend tiny` on a free port with /bin/true as the backend's
 * Python (nothing trains after validation), uploads the file, creates a job, and while the job is
 * `validating_files`:
 *   - samples the server process's RSS every 50 ms from /proc (without asking the server),
 *   - sends GET /health one after another and times each answer.
 * Prints the server's idle RSS, its peak (the kernel's high-water mark) against the file size and
 * the idle RSS, its RSS after the job, and the /health latencies during validation.
 * Options: --mb N (default 200), --keep (keep the temp folder). Linux only (/proc).
 */
// @ts-expect-error -- a plain ES module shared with npm start and the UI tests, without type declarations
import { startServe } from '../scripts/serve-process.mjs';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { TrainerClient } from '../src/core/trainer/client';
import { FineTuningJob, isTerminalStatus } from '../src/core/trainer/protocol';
import { writeBenchFile } from './generate';

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const targetMb = Number(option('--mb')) || 200;
const keep = args.includes('--keep');
const REPO = path.resolve(__dirname, '..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** VmRSS and VmHWM (peak) of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** The CLI and every worker script beside it, as dist/ holds them (the server finds its workers there). */
async function bundleServer(dir: string): Promise<string> {
  const workers = ['src/node', 'src/server'].flatMap((d) =>
    fs
      .readdirSync(path.join(REPO, d))
      .filter((f) => /Worker\.ts$/.test(f))
      .map((f) => [f.replace(/\.ts$/, ''), path.join(REPO, d, f)]),
  );
  await esbuild.build({
    entryPoints: { cli: path.join(REPO, 'src', 'cli', 'main.ts'), ...Object.fromEntries(workers) },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outdir: dir,
    external: ['vscode'],
    mainFields: ['module', 'main'],
    define: { __VERSION__: '"bench"', __RULES_URL__: 'null' },
    logLevel: 'error',
  });
  // No package.json up there says "module": .js is CommonJS, as in dist/.
  return path.join(dir, 'cli.js');
}

/**
 * GET on a connection of its own: a kept-alive connection may be closed by the server as it
 * catches up with its timers after a block, resetting the request sent on it meanwhile.
 */
function get(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET ${url}: HTTP ${res.statusCode} ${body}`))));
      })
      .on('error', reject);
  });
}

/** The bundled server, as `serve` runs it (scripts/serve-process.mjs), taking uploads up to twice the bench file. */
function startServer(cli: string, dataDir: string): Promise<{ url: string; stop: () => Promise<void>; pid: number }> {
  return startServe(REPO, {
    backend: 'tiny',
    dataDir,
    cli,
    args: ['--python', '/bin/true', '--skip-preflight', '--max-upload-mb', String(Math.max(256, targetMb * 2))],
    env: { DIALOGUE_CURATOR_TRAINER_DIR: path.join(REPO, 'trainer') },
    log: process.stderr,
  });
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-bench-server-'));
  const file = path.join(dir, 'upload.jsonl');
  let t = performance.now();
  const { records, bytes } = writeBenchFile(file, { bytes: targetMb * 1024 * 1024 });
  console.log(`dataset: ${records} records, ${mb(bytes)} MB, written in ${Math.round(performance.now() - t)} ms: ${file}`);
  const cli = await bundleServer(path.join(dir, 'bundle'));

  const { url, stop, pid } = await startServer(cli, path.join(dir, 'data'));
  try {
    const client = new TrainerClient({ baseUrl: url });
    await get(`${url}/health`);
    await sleep(1000);
    const idle = memoryOf(pid).rss;
    t = performance.now();
    const uploaded = await client.uploadFile(file);
    const afterUpload = memoryOf(pid).rss;
    console.log(`upload: ${mb(uploaded.bytes)} MB in ${Math.round(performance.now() - t)} ms`);

    const job = await client.createJob({ training_file: uploaded.id });
    const started = performance.now();
    let validating = true;
    let sampledPeak = 0;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, memoryOf(pid).rss);
    }, 50);
    // /health one after another for as long as the job validates (the answer in flight when it
    // ends counts too: it waited on the validation).
    const latencies: number[] = [];
    const health = (async () => {
      while (validating) {
        const sent = performance.now();
        await get(`${url}/health`);
        latencies.push(performance.now() - sent);
        await sleep(20);
      }
    })();
    let status = job.status;
    while (status === 'validating_files') {
      await sleep(100);
      status = ((await get(`${url}/v1/fine_tuning/jobs/${job.id}`)) as FineTuningJob).status;
    }
    const validationMs = performance.now() - started;
    validating = false;
    await health;
    clearInterval(sampler);
    const peak = memoryOf(pid).peak;
    if (!isTerminalStatus(status)) await client.cancelJob(job.id).catch(() => undefined);
    const final = await client.getJob(job.id);
    await sleep(3000);
    const after = memoryOf(pid).rss;

    const sorted = [...latencies].sort((a, b) => a - b);
    const ms = (x: number | undefined) => `${Math.round(x ?? 0)} ms`;
    console.log(`validation: ${(validationMs / 1000).toFixed(1)} s, then ${status}${final.error ? ` (${final.error.code})` : ''}`);
    console.log(`server RSS: idle ${mb(idle)} MB, after the upload ${mb(afterUpload)} MB, peak ${mb(peak)} MB (sampled ${mb(sampledPeak)} MB), 3 s after the job ${mb(after)} MB`);
    console.log(`peak RSS / file size: ${(peak / bytes).toFixed(2)}x; peak - idle: ${mb(peak - idle)} MB (${((peak - idle) / bytes).toFixed(2)}x the file)`);
    console.log(`/health during validation: ${latencies.length} answers, median ${ms(sorted[sorted.length >> 1])}, worst ${ms(sorted.at(-1))}`);
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    await stop();
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
