import { startTestApp as startApp } from '@microtown/kit/testing';
import { createApp, type Deps } from './app.js';
import { openNotificationStore } from './store.js';

/** The notification service over real HTTP on a free port, with a fresh data file that `stop()` removes. */
export async function startTestApp(overrides: Partial<Deps> = {}) {
  const deps: Deps = {
    // microtown:test-deps
    ...overrides,
  };
  return startApp({
    name: 'notification',
    openStore: openNotificationStore,
    createApp: (store) => createApp(store, deps),
  });
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
