/**
 * Process helpers. A backend is spawned detached, so it leads its own process group, and most of
 * what it starts (data loaders, a one-process accelerate run) stays in that group: killing `-pid`
 * ends them. Not all: with several processes, accelerate hands over to torch's elastic agent,
 * which starts each worker in a session of its own (`start_new_session`), out of the group's
 * reach, and a worker whose launcher was killed lives on. Every process of a job names the job's
 * folder on its command line (its config, data and output paths), so `processesOf(marker)` finds
 * them all, whatever their group, and `signalJob` reaches them.
 */
import * as fs from 'node:fs';

/** Sends a signal to a whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ProcessInfo {
  pid: number;
  /** Process group. */
  pgid: number;
  /** Arguments joined by spaces. */
  cmdline: string;
}

/** The live (not zombie) processes that `keep` accepts, read from /proc (Linux); [] where it is missing. */
function liveProcesses(keep: (p: ProcessInfo) => boolean): ProcessInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcessInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid pgrp …
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      const info = { pid: Number(name), pgid: Number(rest[2]), cmdline: fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ') };
      if (keep(info)) out.push(info);
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** The live processes of a group. */
export function groupMembers(pgid: number): ProcessInfo[] {
  return liveProcesses((p) => p.pgid === pgid);
}

/** Every live process (any group or session) whose command line contains `marker`. */
export function processesOf(marker: string): ProcessInfo[] {
  return liveProcesses((p) => p.cmdline.includes(marker));
}

/**
 * Sends `signal` to the backend's process group and to every process that names the job's
 * folder (`marker`) on its command line: workers in sessions of their own included. Returns how
 * many processes naming the folder were signalled.
 */
export function signalJob(pgid: number | undefined, marker: string, signal: NodeJS.Signals): number {
  if (pgid) signalGroup(pgid, signal);
  let others = 0;
  for (const p of processesOf(marker)) {
    try {
      process.kill(p.pid, signal);
      others++;
    } catch {
      // already gone
    }
  }
  return others;
}

/**
 * Ends what is left of a backend from an earlier server run. Its pid may have been reused by an
 * unrelated program since, so only processes whose command line names the job's folder die: the
 * launcher's group and the workers in sessions of their own alike.
 */
export function killOrphans(marker: string): number {
  return signalJob(undefined, marker, 'SIGKILL');
}
