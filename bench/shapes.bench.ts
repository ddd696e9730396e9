/**
 * `npm run bench:shapes`: the input shapes real datasets contain, each written to a file of about
 * the same size as a file of ordinary records measured in the same run, each checked by the built
 * CLI (`node dist/cli.js check --format json`, every rule on) in its own process. Prints, per
 * shape, seconds per MB and peak memory, and both as ratios to the ordinary file (issue 12's goal:
 * every shape within 3x of ordinary text, peak memory flat in the file size).
 * Options: --mb N (size of each file, default 8), --keep (keep the files). Needs `npm run build`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchLines, rng } from './generate';

const args = process.argv.slice(2);
const mb = Number(args[args.indexOf('--mb') + 1]) || 8;
const keep = args.includes('--keep');
const target = mb * 1024 * 1024;
const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');

type Shape = { name: string; lines: () => Iterable<string> };

const kind = "I'm so sorry, that sounds exhausting. A weekly pill box by the kettle can help.";

function record(chosen: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ prompt: 'My dad keeps forgetting his pills. What can I do?', chosen, rejected: 'Buy a pill box.', ...extra });
}

/** Lines until about `target` bytes. */
function* fill(make: (i: number) => string): Iterable<string> {
  let size = 0;
  for (let i = 0; size < target; i++) {
    const line = make(i);
    size += Buffer.byteLength(line) + 1;
    yield line;
  }
}

function randomText(alphabet: string, n: number, seed: number): string {
  const r = rng(seed);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const shapes: Shape[] = [
  { name: 'ordinary records', lines: () => benchLines(Math.ceil(target / 1500)) },
  { name: 'one-char run, 1 record', lines: () => [record(`${kind} ${'a'.repeat(target)}`)] },
  { name: 'base64 run, 1 record', lines: () => [record(`${kind} ${randomText(BASE64, target, 1)}`)] },
  { name: "'=' rows, 64 KB each", lines: () => fill(() => record(`${kind}\n${'='.repeat(64 * 1024)}`)) },
  { name: 'nested arrays (depth 2,000)', lines: () => fill(() => record(kind, { meta: JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`) })) },
  { name: 'records with 5,000 keys', lines: () => fill((i) => record(kind, Object.fromEntries(Array.from({ length: 5000 }, (_, k) => [`k${k}`, i + k])))) },
  { name: 'one-field lines ({"a":1})', lines: () => fill((i) => `{"a":${i % 10}}`) },
  { name: 'multi-byte text (CJK, emoji)', lines: () => fill((i) => record(`很抱歉听到这个消息。照顾生病的父母时感到不知所措是很正常的。😊 ${i}`)) },
  { name: 'CRLF line ends', lines: () => [...benchLines(Math.ceil(target / 1500))].map((l) => `${l}\r`) },
];

function write(file: string, lines: Iterable<string>): number {
  const fd = fs.openSync(file, 'w');
  let chunk: string[] = [];
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= 2000) {
      fs.writeSync(fd, `${chunk.join('\n')}\n`);
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(fd, `${chunk.join('\n')}\n`);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

function measure(file: string): { seconds: number; rssMb: number; status: number | null } {
  // GNU time reports the child's peak RSS; the check's own output is discarded.
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, 'check', '--format', 'json', file], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 20 * 60_000 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [seconds, kb] = last.split(' ').map(Number);
  return { seconds, rssMb: kb / 1024, status: r.status };
}

function main(): void {
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  if (!fs.existsSync('/usr/bin/time')) throw new Error('needs GNU time (/usr/bin/time): apt-get install time');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-shapes-'));
  console.log(`each shape about ${mb} MB; check --format json with every rule on, one process per shape`);
  let base: { perMb: number; rssMb: number } | undefined;
  try {
    for (const [i, shape] of shapes.entries()) {
      const file = path.join(dir, `shape-${i}.jsonl`);
      const bytes = write(file, shape.lines());
      const m = measure(file);
      const perMb = m.seconds / (bytes / (1024 * 1024));
      base ??= { perMb, rssMb: m.rssMb };
      const ratio = perMb / base.perMb;
      console.log(
        `${shape.name.padEnd(30)} ${(bytes / 1048576).toFixed(1).padStart(6)} MB ${m.seconds.toFixed(2).padStart(7)} s ${perMb.toFixed(3).padStart(7)} s/MB ` +
          `${ratio.toFixed(2).padStart(6)}x ordinary${ratio > 3 ? ' (over the 3x goal)' : ''}   peak ${m.rssMb.toFixed(0).padStart(5)} MB ${(m.rssMb / base.rssMb).toFixed(2)}x` +
          `${m.status !== 0 && m.status !== 1 ? `   exit ${m.status}` : ''}`,
      );
    }
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`files kept in ${dir}`);
  }
}

main();
