import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { closeServer, serve } from '../src/serve.js';

export interface TestAppOptions<S extends { close(): Promise<void> }> {
  /** The service's name: its data file is `<name>.json` in a fresh folder. */
  name: string;
  openStore(file: string): Promise<S>;
  createApp(store: S): Express;
  /** Another data file than the fresh one (to reopen a file a test wrote). */
  file?: string;
  /** Closes what the service opened besides its store (clients, an outbox), after the server and before the store. */
  close?(): Promise<void>;
}

export interface Reply {
  status: number;
  /** The answer parsed, when it is JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields they check
  json: any;
}

/**
 * A service's app over real HTTP on a free port, with a fresh data file that `stop()` removes. Each service's
 * `src/test-app.ts` is a few lines that say how to open its store and build its app.
 */
export async function startTestApp<S extends { close(): Promise<void> }>(options: TestAppOptions<S>) {
  const dir = await mkdtemp(join(tmpdir(), `${options.name}-service-`));
  const store = await options.openStore(options.file ?? join(dir, `${options.name}.json`));
  const { server, url } = await serve(options.createApp(store), 0);

  /** One request; `body` goes as JSON, a JSON answer comes back parsed. */
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') && text !== '';
    return { status: response.status, json: isJson ? JSON.parse(text) : undefined };
  };

  const stop = async () => {
    await closeServer(server);
    await options.close?.();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };

  return { url, store, call, stop };
}

export type TestApp<S extends { close(): Promise<void> }> = Awaited<ReturnType<typeof startTestApp<S>>>;
