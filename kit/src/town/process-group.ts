import { readdirSync, readFileSync } from 'node:fs';

/**
 * The live processes of a process group. On Linux, from /proc, leaving out zombies: an orphan whose parent is
 * gone may wait to be reaped, holding no port and no CPU. Elsewhere, whether the group has any process at all.
 */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const pid of entries) {
    try {
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after its last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(pid));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

async function emptied(pgid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (groupMembers(pgid).length === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return groupMembers(pgid).length === 0;
}

const signal = (pgid: number, name: NodeJS.Signals) => {
  try {
    process.kill(-pgid, name);
  } catch {
    // no process left to signal
  }
};

/**
 * Ends a whole process group and waits until none of its processes is left: SIGTERM, then SIGKILL after `graceMs`.
 * Resolves with how it ended; throws if processes survive even SIGKILL.
 */
export async function endGroup(pgid: number, graceMs = 5000): Promise<'SIGTERM' | 'SIGKILL'> {
  signal(pgid, 'SIGTERM');
  if (await emptied(pgid, graceMs)) return 'SIGTERM';
  signal(pgid, 'SIGKILL');
  if (await emptied(pgid, 2000)) return 'SIGKILL';
  throw new Error(`processes ${groupMembers(pgid).join(', ')} of group ${pgid} outlived SIGKILL`);
}
