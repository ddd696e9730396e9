import { PassThrough, Readable } from 'node:stream';
import { main } from '../../../src/cli/main';

/** Runs the CLI in-process with captured output (no environment, not a terminal). */
export async function cli(args: string[], cwd: string, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const input = stdin === undefined ? undefined : Readable.from([Buffer.from(stdin)]);
  const code = await main(args, { stdout: out, stderr: err, env: {}, cwd, isTTY: false, signal: new AbortController().signal, stdin: input });
  return { code, stdout, stderr };
}
