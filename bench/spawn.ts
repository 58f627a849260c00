import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { READY } from './servers/child.js';
import { BenchError } from './types.js';

export interface Server {
  name: string;
  url: string;
  /** SIGTERM to the process group, SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Kills every server still running; synchronous, so it can run in an 'exit' handler. */
export function killAll(): void {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
}

/** The line of a crashed child's stderr that says why: the error message, not the stack or Node's version. */
const reason = (stderr: string[]) =>
  stderr.find((line) => /^\s*\w*Error\b/.test(line))?.trim() ?? stderr.at(-1)?.trim() ?? 'no output';

const exited = (child: ChildProcess, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

/** A process in its own group, known to `killAll`, with the last lines of its stderr kept for error messages. */
export interface Tracked {
  child: ChildProcess;
  /** Why it failed, from its stderr: the error line, not the stack. */
  reason(): string;
  /** SIGTERM to the group, SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

/**
 * Starts a command in its own process group (so it shares nothing with the load generator but the machine).
 * An `env` value of `undefined` removes that variable.
 */
export function spawnTracked(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Tracked {
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent', ...options.env },
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(...chunk.split('\n').filter(Boolean));
    stderr.splice(0, Math.max(0, stderr.length - 30));
  });
  return {
    child,
    reason: () => reason(stderr),
    async stop() {
      killGroup(child, 'SIGTERM');
      if (await exited(child, 5000)) return;
      killGroup(child, 'SIGKILL');
      await exited(child, 2000);
    },
  };
}

/** Starts `bench/servers/<script>` with tsx in its own process group, waits for its port, and returns its URL. */
export async function startServer(
  name: string,
  script: string,
  env: Record<string, string> = {},
): Promise<Server> {
  const file = fileURLToPath(new URL(`servers/${script}`, import.meta.url));
  const tracked = spawnTracked(process.execPath, ['--import', 'tsx', file], { env: { PORT: '0', ...env } });
  const { child } = tracked;

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new BenchError(`${name}: server did not start within 20 s`)),
      20_000,
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word !== READY) return;
      clearTimeout(timer);
      resolve(Number(value));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new BenchError(`${name}: server exited (code ${code}) before listening: ${tracked.reason()}`));
    });
  }).catch((error: unknown) => {
    killGroup(child, 'SIGKILL');
    throw error;
  });

  return { name, url: `http://127.0.0.1:${port}`, stop: tracked.stop };
}
