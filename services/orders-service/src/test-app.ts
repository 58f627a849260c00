import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeServer, serve } from '@microtown/kit';
import { createApp } from './app.js';
import { createInventoryClient } from './clients/inventory.js';
import { createNotificationClient } from './clients/notification.js';
import { createUserClient } from './clients/user.js';
import { createOrdersOutbox } from './outbox.js';
import { openOrdersStore } from './store.js';

/** Where the services orders calls are, for one test: nothing listens on port 9, so calls there answer 503. */
export interface PeerUrls {
  user?: string;
  inventory?: string;
  notification?: string;
}

const NOWHERE = 'http://127.0.0.1:9';

/** Starts the app over real HTTP on a free port, with a fresh data file that `stop()` removes. */
export async function startTestApp(peers: PeerUrls = {}, options: { file?: string } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'orders-service-'));
  const store = await openOrdersStore(options.file ?? join(dir, 'orders.json'));
  const clients = {
    user: createUserClient(peers.user ?? NOWHERE),
    inventory: createInventoryClient(peers.inventory ?? NOWHERE),
    notification: createNotificationClient(peers.notification ?? NOWHERE),
  };
  const outbox = createOrdersOutbox(store, clients);
  const { server, url } = await serve(createApp(store, { ...clients, outbox }), 0);
  outbox.start();

  /** One request; `body` goes as JSON, a JSON answer comes back parsed. */
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
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
    await outbox.stop();
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  };

  return { url, store, outbox, call, stop };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
