import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Child, killAllChildren, spawnChild } from '@microtown/kit/testing';
import { READY } from './servers/child.js';
import { BenchError } from './types.js';

export interface Server {
  name: string;
  url: string;
  /** SIGTERM to the process group, SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** Kills every server still running; synchronous, so it can run in an 'exit' handler. */
export const killAll = killAllChildren;

/** A process of the bench: in its own group (it shares nothing with the load generator but the machine). */
export type Tracked = Child;

/**
 * Starts a command in its own process group, quiet (`LOG_LEVEL=silent`) and in production mode. An `env` value of
 * `undefined` removes that variable.
 */
export function spawnTracked(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Tracked {
  return spawnChild(command, args, {
    cwd: options.cwd ?? root,
    env: { NODE_ENV: 'production', LOG_LEVEL: 'silent', ...options.env },
  });
}

/** Starts `bench/servers/<script>` with tsx in its own process group, waits for its port, and returns its URL. */
export async function startServer(
  name: string,
  script: string,
  env: Record<string, string> = {},
): Promise<Server> {
  const file = fileURLToPath(new URL(`servers/${script}`, import.meta.url));
  const tracked = spawnTracked(process.execPath, ['--import', 'tsx', file], { env: { PORT: '0', ...env } });
  const child = tracked.process;

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
  }).catch(async (error: unknown) => {
    await tracked.stop('SIGKILL');
    throw error;
  });

  return { name, url: `http://127.0.0.1:${port}`, stop: async () => void (await tracked.stop()) };
}
