import { type ChildProcess, spawn } from 'node:child_process';
import { endGroup, type Launch } from '@microtown/kit/town';

/**
 * Starts a process of the town (a service, the playground) in a process group of its own, so that stopping it stops
 * all it started; its output is piped, and `ipc` adds Node's message channel.
 */
export function spawnLaunch(launch: Launch, { ipc = false } = {}): ChildProcess {
  return spawn(launch.command[0] as string, launch.command.slice(1), {
    cwd: launch.cwd,
    env: { ...process.env, ...launch.env },
    detached: true,
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

/** Ends a child's whole group (SIGTERM, then SIGKILL) and waits for it, if it still runs. */
export async function endChild(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    await endGroup(child.pid).catch(() => undefined);
  }
}

/** Kills a child's whole process group at once; nothing to do when it is gone. */
export function killGroup(child: ChildProcess | undefined): void {
  try {
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}
