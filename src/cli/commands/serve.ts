import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { readToken } from '../../server/auth';
import { BACKEND_NAMES, BackendName, createBackend, defaultAccelerate, defaultPython, findTrainerDir } from '../../server/backends';
import { interpreterOfScript, preflight } from '../../server/preflight';
import { DEFAULT_MAX_UPLOAD_BYTES, ServerConfigError, startTrainerServer } from '../../server/server';
import { CliIO, UsageError } from '../io';

const HELP = `Usage: dialogue-curator serve [options]

Runs the reference trainer server: uploads, DPO fine-tuning jobs and their live events.

Options:
  --host HOST            Address to listen on (default 127.0.0.1; others need a token)
  --port N               Port (default 8787; 0 picks a free one)
  --backend tiny|trl     trl: TRL's DPOTrainer through accelerate launch, on a job's model (a hub
                         name or a local folder; GPUs or CPU); tiny: a small DPO of our own on a
                         byte-level model built per job, PyTorch only, no model needed — for
                         demos and protocol tests on machines without the trl packages (default)
  --data-dir DIR         Uploads, jobs and events (default ~/.local/share/dialogue-curator/trainer)
  --token-file FILE      Bearer token (otherwise DIALOGUE_CURATOR_TOKEN)
  --tls-cert FILE        Serve HTTPS with this certificate (PEM) ...
  --tls-key FILE         ... and this key
  --max-upload-mb N      Largest accepted upload (default ${DEFAULT_MAX_UPLOAD_BYTES / (1024 * 1024)})
  --max-concurrent N     Jobs running at once (default 1)
  --python PATH          Interpreter of the tiny backend (default /usr/bin/python3)
  --accelerate PATH      accelerate executable of the trl backend (default: trainer/.venv's, made
                         by \`npm run setup:trainer\`, else accelerate on PATH)
  --accelerate-config F  accelerate config file (multi-GPU, DeepSpeed, FSDP) for the trl backend;
                         trainer/accelerate/ has examples (two CPU processes, multi-GPU, DeepSpeed, FSDP)
  --skip-preflight       Start without checking that the backend's Python imports its packages

Before it listens, serve checks that the backend can run: the interpreter exists, the packages
import (torch; for trl also transformers, trl, accelerate, peft, datasets), and their versions
are those of trainer/requirements.txt (others: a warning). If not, it does not start and says
how to fix it.
  -h, --help             Show this help

Stop with Ctrl+C: running jobs are stopped (their processes end) and marked failed.
`;

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'dialogue-curator', 'trainer');
}

function positiveInt(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8787' },
      backend: { type: 'string', default: 'tiny' },
      'data-dir': { type: 'string' },
      'token-file': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'max-upload-mb': { type: 'string' },
      'max-concurrent': { type: 'string' },
      python: { type: 'string' },
      accelerate: { type: 'string' },
      'accelerate-config': { type: 'string' },
      'skip-preflight': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${HELP}`);
  const backendName = values.backend as string;
  if (!(BACKEND_NAMES as readonly string[]).includes(backendName)) {
    throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(', ')}, got "${backendName}"`);
  }
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  const port = positiveInt(values.port, '--port', 8787, 0);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const maxUploadMb = positiveInt(values['max-upload-mb'], '--max-upload-mb', DEFAULT_MAX_UPLOAD_BYTES / (1024 * 1024));
  const maxConcurrent = positiveInt(values['max-concurrent'], '--max-concurrent', 1);

  let token: string | undefined;
  try {
    token = readToken(io.env, values['token-file'] ? path.resolve(io.cwd, values['token-file']) : undefined);
  } catch (err) {
    io.stderr.write(`dialogue-curator serve: ${(err as Error).message}\n`);
    return 2;
  }
  const resolve = (p: string | undefined) => (p ? path.resolve(io.cwd, p) : undefined);
  const dataDir = resolve(values['data-dir']) ?? defaultDataDir(io.env);
  const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);

  const trainerDir = findTrainerDir();
  const accelerate = resolve(values.accelerate) ?? defaultAccelerate(trainerDir);
  const python = resolve(values.python) ?? defaultPython();
  // A port in use is said at once, not after the backend's package check (several seconds).
  const busy = port === 0 ? undefined : await portInUse(values.host as string, port);
  if (busy) {
    io.stderr.write(`dialogue-curator serve: cannot start: ${busy}\n`);
    return 2;
  }
  if (!values['skip-preflight']) {
    const trl = backendName === 'trl';
    log(`checking the ${backendName} backend's Python packages`);
    const checked = await preflight({
      backend: backendName as BackendName,
      python: trl ? interpreterOfScript(accelerate, io.env) : python,
      launcher: trl ? `accelerate (${accelerate})` : `Python (${python})`,
      trainerDir,
      fix: trl
        ? `Fix: run \`npm run setup:trainer\` in the Dialogue Curator folder (it makes ${path.join(trainerDir, '.venv')}), or install ${path.join(trainerDir, 'requirements.txt')} with pip into the Python that runs accelerate and pass --accelerate PATH.`
        : `Fix: install PyTorch for it (Debian: apt-get install python3-torch) or pass --python PATH of an interpreter that has it.`,
    });
    if (checked.problems.length) {
      for (const problem of checked.problems) io.stderr.write(`dialogue-curator serve: ${problem}\n`);
      io.stderr.write('dialogue-curator serve: not started (a server that cannot train would accept jobs and fail each one)\n');
      return 2;
    }
    for (const warning of checked.warnings) log(`warning: ${warning}`);
    const versions = Object.entries(checked.packages).map(([k, v]) => `${k} ${v}`).join(', ');
    log(`backend ${backendName} ready: ${checked.python}${versions ? ` (${versions})` : ''}`);
  }

  let server;
  try {
    const backend = createBackend(backendName as BackendName, {
      python,
      accelerate,
      accelerateConfig: resolve(values['accelerate-config']),
      trainerDir,
    });
    server = await startTrainerServer({
      host: values.host as string,
      port,
      dataDir,
      backend,
      token,
      tls: values['tls-cert'] ? { cert: resolve(values['tls-cert'])!, key: resolve(values['tls-key'])! } : undefined,
      maxUploadBytes: maxUploadMb * 1024 * 1024,
      maxConcurrentJobs: maxConcurrent,
      log,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? portInUseMessage(port) : e.message;
    io.stderr.write(`dialogue-curator serve: ${err instanceof ServerConfigError ? e.message : `cannot start: ${why}`}\n`);
    return 2;
  }
  // The URL alone on the first line, so scripts (and tests) can read it.
  io.stdout.write(`${server.url}\n`);
  log(
    `trainer listening on ${server.url} (backend ${backendName}, data ${dataDir}${token ? ', token required' : ', no token: loopback only'})`,
  );
  if (io.signal.aborted) {
    await server.close();
    return 0;
  }
  await new Promise<void>((resolveStop) => io.signal.addEventListener('abort', () => resolveStop(), { once: true }));
  log('shutting down: stopping running jobs');
  await server.close();
  log('stopped');
  return 0;
}

function portInUseMessage(port: number): string {
  return `port ${port} is already in use (try --port 0)`;
}

/**
 * Whether `host:port` can be listened on, tried by listening there a moment: the reason if not
 * (the port taken, the address not this machine's), undefined if it can. The server listens for
 * real later, and says so again if the port was taken in between.
 */
function portInUse(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolveProbe) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolveProbe(err.code === 'EADDRINUSE' ? portInUseMessage(port) : err.message));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolveProbe(undefined)));
  });
}
