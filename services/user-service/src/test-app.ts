import { startTestApp as startApp } from '@microtown/kit/testing';
import { createApp, type Deps } from './app.js';
import { openUserStore } from './store.js';

/** The user service over real HTTP on a free port, with a fresh data file that `stop()` removes. */
export async function startTestApp(overrides: Partial<Deps> = {}) {
  const deps: Deps = {
    // microtown:test-deps
    ...overrides,
  };
  return startApp({ name: 'user', openStore: openUserStore, createApp: (store) => createApp(store, deps) });
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
