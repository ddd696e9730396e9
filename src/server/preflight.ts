/**
 * Before the trainer server listens: can its backend run? The interpreter must exist and import
 * every package the backend needs (trainer/preflight.py says which, with versions); versions
 * that differ from trainer/requirements.txt are a warning (they are not what CI tested). A
 * failure names the command that fixes it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BackendName } from './backends';

export interface PreflightResult {
  /** Reasons the backend cannot run; empty when it can. */
  problems: string[];
  warnings: string[];
  python?: string;
  packages: Record<string, string | null>;
}

/** `name==version` lines of a requirements file. */
export function pinnedVersions(requirements: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const raw of requirements.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([A-Za-z0-9_.-]+)\s*==\s*([^\s;]+)/.exec(line);
    if (m) pins.set(m[1].toLowerCase().replace(/_/g, '-'), m[2]);
  }
  return pins;
}

/** Finds a command on PATH, as the shell would. */
function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (command.includes('/')) return fs.existsSync(command) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

/**
 * The Python that an `accelerate` executable runs in: its `#!` line (pip writes the venv's
 * interpreter there), or the `python` beside it.
 */
export function interpreterOfScript(script: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const found = onPath(script, env);
  if (!found) return undefined;
  try {
    const head = fs.readFileSync(found, 'utf8').slice(0, 512).split('\n')[0];
    if (head.startsWith('#!')) {
      const parts = head.slice(2).trim().split(/\s+/);
      const interp = path.basename(parts[0]) === 'env' ? parts[1] : parts[0];
      if (interp && /python/.test(path.basename(interp))) return interp.includes('/') ? interp : onPath(interp, env);
    }
  } catch {
    // a binary launcher: fall through
  }
  const beside = path.join(path.dirname(found), 'python');
  return fs.existsSync(beside) ? beside : undefined;
}

function runProbe(python: string, script: string, backend: BackendName, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(python, [script, backend], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr, error });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface PreflightOptions {
  backend: BackendName;
  /** The interpreter the backend runs (the tiny backend's --python, or accelerate's). */
  python: string | undefined;
  /** What to say runs the backend when the interpreter is not found (e.g. "accelerate"). */
  launcher: string;
  trainerDir: string;
  /** How to fix a missing or broken environment, shown with every problem. */
  fix: string;
  timeoutMs?: number;
}

export async function preflight(options: PreflightOptions): Promise<PreflightResult> {
  const result: PreflightResult = { problems: [], warnings: [], packages: {} };
  const { python, fix } = options;
  if (!python) {
    result.problems.push(`cannot find ${options.launcher} or the Python it runs in. ${fix}`);
    return result;
  }
  result.python = python;
  const probe = await runProbe(python, path.join(options.trainerDir, 'preflight.py'), options.backend, options.timeoutMs ?? 120_000);
  if (probe.error || probe.code !== 0) {
    const why = probe.error ? probe.error.message : `exit ${probe.code}${probe.stderr.trim() ? `: ${probe.stderr.trim().split('\n').pop()}` : ''}`;
    result.problems.push(`the Python of the ${options.backend} backend (${python}) did not run: ${why}. ${fix}`);
    return result;
  }
  let report: { packages: Record<string, string | null>; errors: Record<string, string> };
  try {
    report = JSON.parse(probe.stdout.trim().split('\n').pop() ?? '');
  } catch {
    result.problems.push(`the Python of the ${options.backend} backend (${python}) gave no package report. ${fix}`);
    return result;
  }
  result.packages = report.packages;
  const broken = Object.entries(report.errors);
  if (broken.length) {
    result.problems.push(
      `the ${options.backend} backend's Python (${python}) cannot import ${broken.map(([name, why]) => `${name} (${why})`).join(', ')}. ${fix}`,
    );
  }
  let pins = new Map<string, string>();
  try {
    pins = pinnedVersions(fs.readFileSync(path.join(options.trainerDir, 'requirements.txt'), 'utf8'));
  } catch {
    // no requirements file beside the trainer: nothing to compare with
  }
  const differ = Object.entries(report.packages)
    .filter(([name, version]) => version && pins.has(name) && !versionMatches(version, pins.get(name)!))
    .map(([name, version]) => `${name} ${version} (tested: ${pins.get(name)})`);
  if (differ.length) {
    result.warnings.push(`the ${options.backend} backend runs versions other than the tested ones: ${differ.join(', ')}. They may work; trainer/requirements.txt lists what CI tests.`);
  }
  return result;
}

/** torch reports "2.13.0+cpu" for the pin "2.13.0": a local build tag is the same release. */
function versionMatches(installed: string, pinned: string): boolean {
  return installed === pinned || installed.split('+')[0] === pinned;
}
