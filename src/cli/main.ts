import { keepHeapTight } from '../node/heap';
import { CliIO, CommandRunner, UsageError } from './io';
import { VERSION } from './version';

/** Each command lives in `commands/<name>.ts` and exports `run(args, io) => exit code`. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: CommandRunner }> }> = {
  check: { summary: 'Check datasets: JSON, schema and curation rules', load: () => import('./commands/check') },
  score: { summary: 'Score the tone of every response (JSON lines with --format json)', load: () => import('./commands/score') },
  stats: { summary: 'Summarise datasets: tokens, mean scores, length bias, shortcut phrases', load: () => import('./commands/stats') },
  serve: { summary: 'Run the reference trainer server (DPO jobs, live events)', load: () => import('./commands/serve') },
  train: { summary: 'Train on a dataset with a trainer server, printing metrics live', load: () => import('./commands/train') },
  jobs: { summary: 'List, follow, download from or cancel the jobs on a trainer server', load: () => import('./commands/jobs') },
};

const USAGE = `Usage: dialogue-curator <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run "dialogue-curator <command> --help" for a command's options.
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`dialogue-curator: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const { run } = await command.load();
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`dialogue-curator ${name}: ${(err as Error).message}\n`);
      return 2;
    }
    io.stderr.write(`dialogue-curator ${name}: internal error: ${(err as Error).message}\n`);
    return 2;
  }
}


if (require.main === module) {
  keepHeapTight();
  // A reader that goes away (`dialogue-curator check . | head`) is not an error worth a trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      // The first signal lets the command stop cleanly (train cancels its job); a second one
      // does not wait for that, and says what may be left behind.
      if (!controller.signal.aborted) return controller.abort();
      process.stderr.write('\ndialogue-curator: interrupted again: exiting without waiting; a job it started may still be running on the trainer\n');
      process.exit(130);
    });
  }
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    signal: controller.signal,
    stdin: process.stdin,
    stdinIsTTY: Boolean(process.stdin.isTTY),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`dialogue-curator: internal error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
