/** What a CLI command may touch of the outside world: passed in so tests can capture it. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** True when stdout is an interactive terminal (progress lines are drawn only then). */
  isTTY: boolean;
  /** Aborted on SIGINT/SIGTERM so long-running commands (serve, train) can shut down cleanly. */
  signal: AbortSignal;
}

/** A usage error: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

export type CommandRunner = (args: string[], io: CliIO) => Promise<number>;
