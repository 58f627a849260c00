import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, serve } from '@microtown/kit';
import { createApp, type Deps } from './app.js';
import { openUserStore } from './store.js';

/** Starts the app over real HTTP on a free port, with a fresh data file that `stop()` removes. */
export async function startTestApp(overrides: Partial<Deps> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'user-service-'));
  const store = await openUserStore(join(dir, 'user.json'));
  const deps: Deps = {
    // microtown:test-deps
    ...overrides,
  };
  const { server, url } = await serve(createApp(store, deps), 0);

  /** One request; `body` goes as JSON, a JSON answer comes back parsed. */
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.includes('json') && text !== '';
    return { status: response.status, json: isJson ? JSON.parse(text) : undefined };
  };

  const stop = async () => {
    await closeServer(server);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };

  return { url, store, call, stop };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
