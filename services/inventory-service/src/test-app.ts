import { startTestApp as startApp } from '@microtown/kit/testing';
import { createApp, type Deps } from './app.js';
import { openInventoryStore } from './store.js';

/** The inventory service over real HTTP on a free port, with a fresh data file that `stop()` removes. */
export async function startTestApp(overrides: Partial<Deps> = {}) {
  const deps: Deps = {
    // microtown:test-deps
    ...overrides,
  };
  return startApp({
    name: 'inventory',
    openStore: openInventoryStore,
    createApp: (store) => createApp(store, deps),
  });
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
