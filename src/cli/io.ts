import { once } from 'events';
import { parseArgs } from 'util';

/** What a CLI command may touch of the outside world: passed in so tests can capture it. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is an interactive terminal (progress lines are drawn only then). */
  isTTY: boolean;
  /** True when stderr is an interactive terminal (where json output modes draw progress). */
  stderrIsTTY?: boolean;
  /** Aborted on SIGINT/SIGTERM so long-running commands (serve, train) can shut down cleanly. */
  signal: AbortSignal;
  /** Standard input, for `check -` and the question `train` asks before it uploads. */
  stdin?: NodeJS.ReadableStream;
  /** True when stdin is an interactive terminal (`train` may ask there). */
  stdinIsTTY?: boolean;
}

/** A usage error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export type CommandRunner = (args: string[], io: CliIO) => Promise<number>;

/**
 * The options every dataset-reading command shares: `--format` (one of `formats`, the first is
 * the default), `--config FILE` and `--help`. Returns undefined when help was printed.
 */
export function parseDatasetArgs<F extends string>(
  args: string[],
  io: CliIO,
  help: string,
  formats: readonly F[],
  /** Further `--name VALUE` options the command takes; their values come back in `options`. */
  extra: readonly string[] = [],
): { format: F; config: string | undefined; positionals: string[]; options: Record<string, string | undefined> } | undefined {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(extra.map((name) => [name, { type: 'string' as const }])),
    },
  });
  if (values.help) {
    io.stdout.write(help);
    return undefined;
  }
  const format = (values.format ?? formats[0]) as F;
  if (!formats.includes(format)) throw new UsageError(`--format must be ${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]} (found "${values.format}")`);
  const options = Object.fromEntries(extra.map((name) => [name, (values as Record<string, unknown>)[name] as string | undefined]));
  return { format, config: values.config as string | undefined, positionals, options };
}

/**
 * Writes pieces of output in order, waiting for the stream to drain when it asks to (a report
 * piped to a slow reader is then not queued whole in memory). Pieces are joined into writes of
 * about 64 KB.
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let pending = '';
  const flush = async () => {
    const ok = stream.write(pending);
    pending = '';
    // once() also rejects on 'error', so a broken pipe ends the write instead of waiting forever.
    if (!ok) await once(stream, 'drain');
  };
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= 65536) await flush();
  }
  if (pending) await flush();
}
