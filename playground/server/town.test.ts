import { join } from 'node:path';
import { freePort } from '@microtown/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../test/town/http.js';
import { startTown, type Town } from '../../test/town/town.js';
import { readTown, serviceUrlVariable } from './read-town.js';
import { type Playground, startPlayground } from './start-playground.js';
import { townReady } from './testing/town-ready.js';

const ROOT = join(import.meta.dirname, '..', '..');
let town: Town;
let playground: Playground;

// The town wired as `npm start` wires it: each service reaches the others through the playground.
beforeAll(async () => {
  const port = await freePort();
  const names = (await readTown(ROOT)).map((s) => s.name);
  town = await startTown({
    env: Object.fromEntries(names.map((n) => [serviceUrlVariable(n), `http://127.0.0.1:${port}/svc/${n}`])),
  });
  const direct = Object.fromEntries(names.map((n) => [serviceUrlVariable(n), town.url(n)]));
  playground = await startPlayground({ port, page: false, services: await readTown(ROOT, direct) });
  await townReady(playground);
});

afterAll(async () => {
  await playground?.close();
  await town?.close();
});

const order = { user_id: 'u1', item_id: 'item1', quantity: 1 };

describe('the real town behind the playground', () => {
  it("records every call of an order under the order's trace id, in the order they started", async () => {
    const placed = await call(playground.url, 'POST', '/svc/orders/orders', order);
    expect(placed.status).toBe(201);
    const traceId = placed.json.trace_id;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await eventually(async () => playground.recorder.calls({ trace_id: traceId }).length === 4, 'four calls');
    expect(
      playground.recorder
        .calls({ trace_id: traceId })
        .map((c) => [c.caller, c.callee, c.method, c.path, c.status]),
    ).toEqual([
      [null, 'orders', 'POST', '/orders', 201],
      ['orders', 'user', 'GET', '/users/u1', 200],
      ['orders', 'inventory', 'POST', '/reservations', 201],
      ['orders', 'notification', 'POST', '/send', 201],
    ]);
    const observed = playground.graph().observed.map((e) => `${e.from}->${e.to}`);
    expect(observed).toEqual(
      expect.arrayContaining(['orders->user', 'orders->inventory', 'orders->notification']),
    );
  });

  it('user switched down: orders answers a fast 503 naming it, and places no order', async () => {
    playground.switches.set('user', { mode: 'down' });
    try {
      const before = (await call(town.url('orders'), 'GET', '/orders?limit=1')).json.count;
      const refused = await call(playground.url, 'POST', '/svc/orders/orders', order);
      expect(refused.status).toBe(503);
      expect(refused.json.detail).toMatch(/^user unavailable/);
      expect((await call(town.url('orders'), 'GET', '/orders?limit=1')).json.count).toBe(before);
    } finally {
      playground.switches.set('user', { mode: 'normal' });
    }
  });

  it('notification switched down: the order is confirmed, its message pending, then sent once it is back', async () => {
    playground.switches.set('notification', { mode: 'down' });
    const placed = await call(playground.url, 'POST', '/svc/orders/orders', order);
    expect(placed.json).toMatchObject({ status: 'confirmed', notification: 'pending' });
    await eventually(
      async () =>
        playground.recorder
          .calls({ trace_id: placed.json.trace_id })
          .some((c) => c.callee === 'notification'),
      'a call to notification',
    );
    expect(playground.recorder.calls({ callee: 'notification' }).at(-1)?.status).toBe(503);
    playground.switches.set('notification', { mode: 'normal' });
    const path = `/svc/orders/orders/${placed.json.id}`;
    await eventually(
      async () => (await call(playground.url, 'GET', path)).json.notification === 'sent',
      'the confirmation sent',
      { timeoutMs: 15_000 },
    );
    const sent = await call(town.url('notification'), 'GET', '/notifications?user_id=u1');
    expect(
      sent.json.data.filter((n: { message: string }) => n.message.includes(placed.json.id)),
    ).toHaveLength(1);
  });
});
