import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface Child {
  readonly process: ChildProcess;
  /** Everything the child printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the child exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the child has ended. */
  exited(): Promise<number | null>;
  /** Ends the child's whole process group (tsx and node under it), `SIGTERM` by default. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a command in its own process group, so a test can stop it and everything it started. */
export function spawnChild(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
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
    return code;
  };

  return { process: child, output: () => text, waitFor, exited: () => exit, stop };
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
