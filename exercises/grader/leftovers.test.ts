import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptFolder } from '../../test/support/tidy-scratch.js';
import { listening } from './supervisor.js';
import { runGrade } from './testing.js';

const TESTDATA = join(import.meta.dirname, 'testdata');

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The processes the fixture's services started, each with the port it listened on (the servers). */
async function noted(dir: string): Promise<{ pid: number; port?: number }[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  return Promise.all(files.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8'))));
}

/** Still running: a zombie is not (it holds no port, and waits only to be reaped). */
function alive(pid: number): boolean {
  if (existsSync('/proc/self')) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether `pid` is still a process of the fixture's (not another that got its pid since). */
function fixtures(pid: number, dir: string): boolean {
  if (!existsSync('/proc/self')) return alive(pid);
  try {
    return (
      alive(pid) && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`LEFTOVER_DIR=${dir}`)
    );
  } catch {
    return false;
  }
}

/** The folders the fixtures note their processes in: whatever a failed or timed-out test left is killed after it. */
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    for (const { pid } of await noted(dir)) {
      try {
        if (fixtures(pid, dir)) process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
});

describe('a service whose command leaves a process behind in a session of its own', () => {
  it.each([
    [
      'detached',
      'user: spawn(..., { detached: true }).unref(); inventory: `setsid node serve.cjs`, which exits at once',
    ],
    [
      'new-session',
      "user: Python's Popen(start_new_session=True); inventory: detached, with a fresh environment",
    ],
  ])(
    '%s (%s): once npm run grade ends, nothing it started runs or listens',
    async (folder) => {
      if (folder === 'new-session' && !hasPython) return;
      const dir = await keptFolder(`leftovers-${folder}`);
      dirs.push(dir);
      const run = await runGrade(['01', '--impl', join(TESTDATA, folder)], { LEFTOVER_DIR: dir });
      expect(run.code).toBe(1);
      const processes = await noted(dir);
      const servers = processes.filter((p) => p.port);
      expect(servers).toHaveLength(2);
      for (const { pid } of processes) expect(alive(pid), `pid ${pid} still runs`).toBe(false);
      for (const { port } of servers)
        expect(await listening(port as number), `port ${port} answers`).toBe(false);
      expect(run.stderr).toMatch(
        /^grade: stopped 2 processes (user and inventory|inventory and user) left behind \(.*\)\n$/,
      );
      for (const { pid, port } of servers)
        expect(run.stderr).toContain(`pid ${pid}, listening on 127.0.0.1:${port}`);
    },
    120_000,
  );
});
