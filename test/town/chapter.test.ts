import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from './http.js';
import { startTown, type Town } from './town.js';

let town: Town;
const user = (path: string, ...rest: [string?, unknown?]) =>
  call(town.url('user'), rest[0] ?? 'GET', path, rest[1]);
const inventory = (method: string, path: string, body?: unknown) =>
  call(town.url('inventory'), method, path, body);
const orders = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  call(town.url('orders'), method, path, body, headers);
const notification = (method: string, path: string, body?: unknown) =>
  call(town.url('notification'), method, path, body);

beforeAll(async () => {
  town = await startTown();
});
afterAll(() => town?.close());

describe("the chapter's calls, with correct HTTP semantics", () => {
  it('GET /users/u1 finds Santanu; an unknown user is a 404', async () => {
    expect(await user('/users/u1')).toMatchObject({ status: 200, json: { id: 'u1', name: 'Santanu' } });
    expect(await user('/users/nobody')).toMatchObject({ status: 404, json: { detail: 'User not found' } });
  });

  it('GET /stock/{item} says what is available; an unknown item is a 404, not 0', async () => {
    expect(await inventory('GET', '/stock/item2')).toMatchObject({ status: 200, json: { available: 5 } });
    expect((await inventory('GET', '/stock/nothing')).status).toBe(404);
  });

  it('POST /order reserves stock, stores the order and sends the confirmation', async () => {
    const before = (await inventory('GET', '/stock/item1')).json.available;
    const placed = await orders('POST', '/order?user_id=u1&item_id=item1');
    expect(placed).toMatchObject({
      status: 201,
      json: { message: 'Order successful', user_id: 'u1', item_id: 'item1' },
    });
    const id = placed.json.id;
    expect((await inventory('GET', '/stock/item1')).json.available).toBe(before - 1);
    expect(await orders('GET', `/orders/${id}`)).toMatchObject({
      status: 200,
      json: { id, status: 'confirmed' },
    });
    await eventually(
      async () => (await orders('GET', `/orders/${id}`)).json.notification === 'sent',
      'the confirmation sent',
      { timeoutMs: 5000 },
    );
    const sent = await notification('GET', '/notifications?user_id=u1');
    expect(sent.json.data.filter((n: { message: string }) => n.message.includes(id))).toHaveLength(1);
  });

  it('POST /orders (JSON, with quantity) answers 404 for an unknown user or item and 409 when out of stock', async () => {
    expect(
      await orders('POST', '/orders', { user_id: 'ghost', item_id: 'item1', quantity: 1 }),
    ).toMatchObject({
      status: 404,
      json: { detail: 'User not found' },
    });
    expect((await orders('POST', '/orders', { user_id: 'u1', item_id: 'ghost', quantity: 1 })).status).toBe(
      404,
    );
    expect(await orders('POST', '/orders', { user_id: 'u1', item_id: 'item2', quantity: 999 })).toMatchObject(
      {
        status: 409,
        json: { detail: 'Out of stock' },
      },
    );
    expect((await inventory('GET', '/stock/item2')).json.available).toBe(5);
  });

  it("POST /send takes the chapter's query parameters and a JSON body", async () => {
    expect((await notification('POST', '/send?user_id=u1&msg=hello')).status).toBe(201);
    expect((await notification('POST', '/send', { user_id: 'u1', message: 'hi again' })).status).toBe(201);
  });

  it('an Idempotency-Key makes a retried order safe', async () => {
    const key = { 'Idempotency-Key': 'retry-me-1' };
    const before = (await inventory('GET', '/stock/item1')).json.available;
    const first = await orders('POST', '/orders', { user_id: 'u1', item_id: 'item1', quantity: 2 }, key);
    const again = await orders('POST', '/orders', { user_id: 'u1', item_id: 'item1', quantity: 2 }, key);
    expect(first.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect((await inventory('GET', '/stock/item1')).json.available).toBe(before - 2);
  });
});

describe('no oversell', () => {
  it('200 concurrent orders against stock 50 confirm exactly 50, reject 150 with 409, and leave stock 0', async () => {
    const item = await inventory('POST', '/items', { name: 'Limited edition', stock: 50 });
    expect(item.status).toBe(201);
    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        orders('POST', '/orders', { user_id: 'u1', item_id: item.json.id, quantity: 1 }),
      ),
    );
    const count = (status: number) => results.filter((r) => r.status === status).length;
    expect({ created: count(201), conflict: count(409) }).toEqual({ created: 50, conflict: 150 });
    expect((await inventory('GET', `/stock/${item.json.id}`)).json.available).toBe(0);
  });
});

describe('when a shop is closed', () => {
  it('orders keep coming while notification is down, and every message is delivered once when it is back', async () => {
    await town.stop('notification', 'SIGKILL');
    const placed = [];
    for (let i = 0; i < 5; i++) {
      const order = await orders('POST', '/orders', { user_id: 'u1', item_id: 'item1', quantity: 1 });
      expect(order.status).toBe(201);
      expect(order.json.notification).toBe('pending');
      placed.push(order.json.id as string);
    }
    await town.start('notification');
    for (const id of placed) {
      await eventually(
        async () => (await orders('GET', `/orders/${id}`)).json.notification === 'sent',
        `${id} sent`,
        { timeoutMs: 15_000 },
      );
    }
    const { json } = await notification('GET', '/notifications?user_id=u1');
    for (const id of placed) {
      expect(
        json.data.filter((n: { message: string }) => n.message.includes(`${id} `)),
        id,
      ).toHaveLength(1);
    }
  });

  it('user down: orders answers a fast 503 that names it, and reserves nothing', async () => {
    const before = (await inventory('GET', '/stock/item1')).json.available;
    await town.stop('user', 'SIGKILL');
    try {
      const answer = await orders('POST', '/orders', { user_id: 'u1', item_id: 'item1', quantity: 1 });
      expect(answer).toMatchObject({ status: 503, json: { detail: 'user unavailable' } });
      expect(answer.ms).toBeLessThan(2500);
      expect((await inventory('GET', '/stock/item1')).json.available).toBe(before);
    } finally {
      await town.start('user');
    }
  });

  it('inventory down: orders answers a fast 503 that names it', async () => {
    await town.stop('inventory', 'SIGKILL');
    try {
      const answer = await orders('POST', '/orders', { user_id: 'u1', item_id: 'item1', quantity: 1 });
      expect(answer).toMatchObject({ status: 503, json: { detail: 'inventory unavailable' } });
      expect(answer.ms).toBeLessThan(2500);
    } finally {
      await town.start('inventory');
    }
  });
});
