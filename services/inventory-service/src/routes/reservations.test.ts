import { readStoreState } from '@microtown/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

const newItem = async (stock: number) => (await app.call('POST', '/items', { name: 'Lamp', stock })).json;
const stockOf = async (id: string) => (await app.call('GET', `/stock/${id}`)).json.available;

describe('/stock and /reservations, over real HTTP', () => {
  it('GET /stock/{item_id} answers what is available, and 404 for an unknown item', async () => {
    const item = await newItem(7);
    expect(await app.call('GET', `/stock/${item.id}`)).toEqual({ status: 200, json: { available: 7 } });
    expect(await app.call('GET', '/stock/nothing')).toEqual({
      status: 404,
      json: { detail: 'Item not found' },
    });
  });

  it("takes integer ids as a learner's orders sends them, and keeps them as text", async () => {
    const item = await newItem(4);
    const order = 900_000 + Math.floor(Math.random() * 1000);
    const reply = await app.call('POST', '/reservations', {
      order_id: order,
      item_id: Number(item.id),
      quantity: 1,
    });
    expect(reply).toMatchObject({ status: 201, json: { order_id: String(order), item_id: item.id } });
    expect(await stockOf(item.id)).toBe(3);
    expect((await app.call('GET', `/reservations/${order}`)).status).toBe(200);
  });

  it('a reservation takes the stock at once, and the same order id again takes nothing more', async () => {
    const item = await newItem(5);
    const body = { order_id: 'o-1', item_id: item.id, quantity: 2 };
    const first = await app.call('POST', '/reservations', body);
    expect(first).toEqual({
      status: 201,
      json: { ...body, status: 'held', created_at: expect.any(String) },
    });
    expect(await app.call('POST', '/reservations', body)).toEqual(first);
    expect(await stockOf(item.id)).toBe(3);
    expect(await app.call('GET', '/reservations/o-1')).toEqual({ status: 200, json: first.json });
  });

  it('refuses the same order id with other terms, more than there is, and an unknown item', async () => {
    const item = await newItem(3);
    await app.call('POST', '/reservations', { order_id: 'o-2', item_id: item.id, quantity: 1 });
    const other = await app.call('POST', '/reservations', { order_id: 'o-2', item_id: item.id, quantity: 2 });
    expect(other).toEqual({ status: 409, json: { detail: expect.stringContaining('o-2 already reserved') } });
    const tooMany = await app.call('POST', '/reservations', {
      order_id: 'o-3',
      item_id: item.id,
      quantity: 3,
    });
    expect(tooMany).toEqual({ status: 409, json: { detail: 'Out of stock' } });
    const unknown = await app.call('POST', '/reservations', {
      order_id: 'o-4',
      item_id: 'nope',
      quantity: 1,
    });
    expect(unknown).toEqual({ status: 404, json: { detail: 'Item not found' } });
    expect(await stockOf(item.id)).toBe(2);
    expect((await app.call('GET', '/reservations/o-3')).status).toBe(404);
  });

  it('a release gives the stock back once, and a released order id cannot reserve again', async () => {
    const item = await newItem(4);
    const body = { order_id: 'o-5', item_id: item.id, quantity: 3 };
    await app.call('POST', '/reservations', body);
    expect((await app.call('DELETE', '/reservations/o-5')).status).toBe(204);
    expect((await app.call('DELETE', '/reservations/o-5')).status).toBe(204);
    expect(await stockOf(item.id)).toBe(4);
    expect((await app.call('GET', '/reservations/o-5')).json.status).toBe('released');
    expect((await app.call('POST', '/reservations', body)).status).toBe(409);
    expect((await app.call('DELETE', '/reservations/never')).status).toBe(404);
  });

  it('never oversells: 60 concurrent reservations against stock 10 give exactly 10', async () => {
    const item = await newItem(10);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        app.call('POST', '/reservations', { order_id: `burst-${i}`, item_id: item.id, quantity: 1 }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(50);
    expect(await stockOf(item.id)).toBe(0);
    const held = await app.call('GET', `/reservations?item_id=${item.id}&status=held`);
    expect(held.json.count).toBe(10);
  });

  it('has every acknowledged reservation and the reduced stock on disk', async () => {
    const item = await newItem(2);
    await app.call('POST', '/reservations', { order_id: 'o-disk', item_id: item.id, quantity: 2 });
    const onDisk = (await readStoreState(app.store.file)).data;
    expect(onDisk.reservations).toContainEqual(
      expect.objectContaining({ order_id: 'o-disk', status: 'held' }),
    );
    expect(onDisk.items).toContainEqual({ ...item, stock: 0 });
  });

  it.each([
    [{ order_id: 'o-v', item_id: 'item', quantity: 0 }, 'quantity'],
    [{ order_id: 'o-v', item_id: 'item', quantity: 1.5 }, 'quantity'],
    [{ order_id: '', item_id: 'item', quantity: 1 }, 'order_id'],
    [{ order_id: 'o-v', quantity: 1 }, 'item_id'],
  ])('POST /reservations %j -> 422 naming %s', async (body, field) => {
    const { status, json } = await app.call('POST', '/reservations', body);
    expect(status).toBe(422);
    expect(json.detail[0].loc).toEqual(['body', field]);
  });

  it.each([
    [{ name: 'Lamp', stock: -1 }, 'stock'],
    [{ name: 'Lamp', stock: 'ten' }, 'stock'],
    [{ name: '', stock: 1 }, 'name'],
  ])('POST /items %j -> 422 naming %s', async (body, field) => {
    const { status, json } = await app.call('POST', '/items', body);
    expect(status).toBe(422);
    expect(json.detail[0].loc).toEqual(['body', field]);
  });
});
