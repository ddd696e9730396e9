/**
 * Process-group helpers. A backend is spawned detached, so it leads its own process group and
 * everything it starts (accelerate's workers, data loaders) belongs to that group: killing
 * `-pid` ends them all.
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

/** The live processes of a group, read from /proc (Linux); [] where /proc is missing. */
export function groupMembers(pgid: number): { pid: number; cmdline: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid pgrp …
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) !== pgid || rest[0] === 'Z') continue;
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      out.push({ pid: Number(name), cmdline });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/**
 * Ends what is left of a backend from an earlier server run. The pid may have been reused by
 * an unrelated program since, so only processes whose command line names the job's folder die.
 */
export function killOrphans(pgid: number, marker: string): number {
  let killed = 0;
  for (const member of groupMembers(pgid)) {
    if (!member.cmdline.includes(marker)) continue;
    try {
      process.kill(member.pid, 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}
