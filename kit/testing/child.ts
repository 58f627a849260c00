import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { crashLine } from '../src/town/crash-lines.js';
import { groupMembers } from '../src/town/process-group.js';

/** What a child keeps of its output: the last 256 KB, enough for any error, never a flood in memory. */
const KEEP_CHARS = 256 * 1024;
const live = new Set<ChildProcess>();

export interface Child {
  readonly process: ChildProcess;
  /** What the child printed so far, stdout and stderr (the last 256 KB). */
  output(): string;
  /** Why it failed, from its output: the error line, not the stack. */
  reason(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the child exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the child has ended. */
  exited(): Promise<number | null>;
  /**
   * Ends the child's whole process group (tsx and node under it, whatever they started), `SIGTERM` by default and
   * `SIGKILL` after 5 s, and waits until no process of the group is left.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Kills every child still running, synchronously, so that it can run in an `exit` handler. */
export function killAllChildren(): void {
  for (const child of live) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  live.clear();
}

/**
 * Starts a command in its own process group, so that whoever started it (`npm start`, a test, the bench, the
 * grader) can stop it and everything it started. An `env` value of `undefined` removes that variable.
 */
export function spawnChild(
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Child {
  const env = Object.fromEntries(
    Object.entries({ ...process.env, ...options.env }).filter(([, value]) => value !== undefined),
  );
  const child = spawn(command, args, {
    cwd: options.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > 2 * KEEP_CHARS) text = text.slice(-KEEP_CHARS);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const waitFor = (pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = text.match(pattern);
        if (!match) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${text}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      exit.then(() =>
        setImmediate(() => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`process exited before printing ${pattern}; output:\n${text}`));
        }),
      );
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const group = child.pid;
    const kill = (sig: NodeJS.Signals) => {
      try {
        if (group) process.kill(-group, sig);
      } catch {
        // The group is gone already.
      }
    };
    if (child.exitCode === null && child.signalCode === null) kill(signal);
    // Whatever ignores the signal is killed after a grace period.
    const timer = setTimeout(() => kill('SIGKILL'), 5_000);
    const code = await exit;
    clearTimeout(timer);
    kill('SIGKILL');
    // A grandchild may outlive the leader for a moment: the group is gone when none of it is left.
    for (
      const deadline = Date.now() + 2_000;
      group && groupMembers(group).length > 0 && Date.now() < deadline;
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return code;
  };

  return {
    process: child,
    output: () => text,
    reason: () => crashLine(text),
    waitFor,
    exited: () => exit,
    stop,
  };
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
