// Starts `dialogue-curator serve` (the built CLI) in a process group of its own and reads the URL
// it prints when it listens. Shared by `npm start` and the UI tests that train.
import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Resolves with `{ url, stop }` once the server listens; `stop()` sends SIGTERM to the group, then
 * SIGKILL after 10 s if the server is still there, and SIGKILL to whatever is left of the group
 * once it has exited. Rejects (and stops it) when it exits first or prints no URL within 120 s
 * (the trl backend checks its Python packages before it listens). Its standard error goes to
 * `log` when given (a writable stream), and is quoted in the error otherwise.
 */
export async function startServe(root, { backend, dataDir, env = {}, log, cli = path.join(root, 'dist', 'cli.js'), args = [] }) {
  const child = spawn(process.execPath, [cli, 'serve', '--backend', backend, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
      return true;
    } catch {
      return false; // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || !signal('SIGTERM')) return;
    const timer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    signal('SIGKILL');
  };
  let stderr = '';
  if (log) child.stderr.pipe(log);
  else child.stderr.on('data', (d) => (stderr += d));
  const where = () => (log ? `see ${log.path ?? 'the trainer log'}` : `its output:\n${stderr}`);
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the trainer printed no URL within 120 s; ${where()}`)), 120_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(https?:\/\/\S+)/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the trainer exited (${code}) before listening; ${where()}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { url, stop, pid: child.pid };
}
