import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test-app.js';

const first = {
  user_id: 'user_id 1',
  item_id: 'item_id 1',
  quantity: 1,
};
const second = {
  user_id: 'user_id 2',
  item_id: 'item_id 2',
  quantity: 2,
};

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(() => app.stop());

describe('/orders, over real HTTP', () => {
  it('creates, reads, updates and deletes a order', async () => {
    const created = await app.call('POST', '/orders', first);
    expect(created).toEqual({ status: 201, json: { ...first, id: expect.any(String) } });
    const path = `/orders/${created.json.id}`;
    expect(await app.call('GET', path)).toEqual({ status: 200, json: created.json });
    const changed = { user_id: second.user_id };
    expect(await app.call('PATCH', path, changed)).toEqual({
      status: 200,
      json: { ...created.json, ...changed },
    });
    expect((await app.call('DELETE', path)).status).toBe(204);
    expect(await app.call('GET', path)).toEqual({ status: 404, json: { detail: 'Order not found' } });
  });

  it('lists a page, and filters by a field', async () => {
    await app.call('POST', '/orders', first);
    await app.call('POST', '/orders', second);
    const page = await app.call('GET', '/orders?limit=1&offset=1');
    expect(page.json).toEqual({ data: [expect.objectContaining(second)], count: 2 });
    const query = new URLSearchParams({ user_id: String(first.user_id) });
    const filtered = await app.call('GET', `/orders?${query}`);
    expect(filtered.json).toEqual({ data: [expect.objectContaining(first)], count: 1 });
  });

  it.each([
    ['POST', '/orders', {}, 422],
    ['POST', '/orders', { ...first, user_id: 42 }, 422],
    ['GET', '/orders?limit=0', undefined, 422],
    ['GET', '/orders/999999', undefined, 404],
    ['PATCH', '/orders/999999', {}, 404],
    ['DELETE', '/orders/999999', undefined, 404],
  ])('%s %s %j -> %i', async (method, path, body, status) => {
    expect((await app.call(method, path, body)).status).toBe(status);
  });

  it('names the invalid field in a FastAPI-shaped 422', async () => {
    const { status, json } = await app.call('POST', '/orders', { ...first, user_id: 42 });
    expect(status).toBe(422);
    expect(json.detail).toEqual([expect.objectContaining({ loc: ['body', 'user_id'] })]);
  });

  it('has what it acknowledged on disk', async () => {
    const created = await app.call('POST', '/orders', first);
    const onDisk = JSON.parse(await readFile(app.store.file, 'utf8'));
    expect(onDisk.orders).toContainEqual(created.json);
  });
});
