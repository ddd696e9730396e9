import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';

/** Runs the CLI in-process with captured output (no environment, not a terminal). */
export async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(args, { stdout: out, stderr: err, env: {}, cwd, isTTY: false, signal: new AbortController().signal });
  return { code, stdout, stderr };
}
