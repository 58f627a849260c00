import { readStoreState } from '@microtown/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test-app.js';

const first = {
  name: 'name 1',
  email: 'user1@example.com',
};
const second = {
  name: 'name 2',
  email: 'user2@example.com',
};

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(() => app.stop());

describe('/users, over real HTTP', () => {
  it('creates, reads, updates and deletes a user', async () => {
    const created = await app.call('POST', '/users', first);
    expect(created).toEqual({ status: 201, json: { ...first, id: expect.any(String) } });
    const path = `/users/${created.json.id}`;
    expect(await app.call('GET', path)).toEqual({ status: 200, json: created.json });
    const changed = { name: second.name };
    expect(await app.call('PATCH', path, changed)).toEqual({
      status: 200,
      json: { ...created.json, ...changed },
    });
    expect((await app.call('DELETE', path)).status).toBe(204);
    expect(await app.call('GET', path)).toEqual({ status: 404, json: { detail: 'User not found' } });
  });

  it('lists a page, and filters by a field', async () => {
    await app.call('POST', '/users', first);
    await app.call('POST', '/users', second);
    const page = await app.call('GET', '/users?limit=1&offset=1');
    expect(page.json).toEqual({ data: [expect.objectContaining(second)], count: 2 });
    const query = new URLSearchParams({ name: String(first.name) });
    const filtered = await app.call('GET', `/users?${query}`);
    expect(filtered.json).toEqual({ data: [expect.objectContaining(first)], count: 1 });
  });

  it.each([
    ['POST', '/users', {}, 422],
    ['POST', '/users', { ...first, name: 42 }, 422],
    ['POST', '/users', { ...first, name: '' }, 422],
    ['POST', '/users', { ...first, name: 'x'.repeat(101) }, 422],
    ['POST', '/users', { ...first, email: 'not-an-email' }, 422],
    ['GET', '/users?limit=0', undefined, 422],
    ['GET', '/users/999999', undefined, 404],
    ['PATCH', '/users/999999', {}, 404],
    ['DELETE', '/users/999999', undefined, 404],
  ])('%s %s %j -> %i', async (method, path, body, status) => {
    expect((await app.call(method, path, body)).status).toBe(status);
  });

  it('names the invalid field in a FastAPI-shaped 422', async () => {
    const { status, json } = await app.call('POST', '/users', { ...first, name: 42 });
    expect(status).toBe(422);
    expect(json.detail).toEqual([expect.objectContaining({ loc: ['body', 'name'] })]);
  });

  it('has what it acknowledged on disk', async () => {
    const created = await app.call('POST', '/users', first);
    const onDisk = (await readStoreState(app.store.file)).data;
    expect(onDisk.users).toContainEqual(created.json);
  });
});
