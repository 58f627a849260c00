import { readStoreState } from '@microtown/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

const send = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, string> }));

describe('/send and /notifications, over real HTTP', () => {
  it("sends from a JSON body, as the chapter's orders posts it, and answers as the chapter does", async () => {
    const sent = await send({ user_id: 'u1', msg: 'Order placed' });
    expect(sent).toEqual({
      status: 201,
      json: {
        id: expect.any(String),
        status: 'sent',
        to: 'u1',
        user_id: 'u1',
        message: 'Order placed',
        created_at: expect.any(String),
      },
    });
    expect(await app.call('GET', `/notifications/${sent.json.id}`)).toEqual({
      status: 200,
      json: { id: sent.json.id, user_id: 'u1', message: 'Order placed', created_at: sent.json.created_at },
    });
  });

  it("sends from the chapter's query parameters too", async () => {
    const sent = await app.call('POST', '/send?user_id=u2&msg=hello');
    expect(sent).toMatchObject({ status: 201, json: { to: 'u2', message: 'hello' } });
  });

  it('takes an integer user_id, as a service whose users have integer ids sends it', async () => {
    const sent = await app.call('POST', '/send', { user_id: 7, message: 'hello' });
    expect(sent).toMatchObject({ status: 201, json: { to: '7', message: 'hello' } });
  });

  it('delivers once per Idempotency-Key, however often it is retried', async () => {
    const key = { 'Idempotency-Key': 'order-42' };
    const first = await send({ user_id: 'u3', message: 'Order 42 confirmed' }, key);
    const again = await send({ user_id: 'u3', message: 'Order 42 confirmed' }, key);
    expect(again).toEqual(first);
    expect((await app.call('GET', '/notifications?user_id=u3')).json.count).toBe(1);
  });

  it('lists what was sent to one user', async () => {
    await send({ user_id: 'u4', message: 'one' });
    await send({ user_id: 'u4', message: 'two' });
    await send({ user_id: 'u5', message: 'other' });
    const listed = await app.call('GET', '/notifications?user_id=u4');
    expect(listed.json).toEqual({
      data: [expect.objectContaining({ message: 'one' }), expect.objectContaining({ message: 'two' })],
      count: 2,
    });
    expect((await app.call('GET', '/notifications?user_id=u4&limit=1&offset=1')).json.data).toEqual([
      expect.objectContaining({ message: 'two' }),
    ]);
  });

  it('has what it acknowledged on disk, the idempotency key with it', async () => {
    const sent = await send({ user_id: 'u6', message: 'kept' }, { 'Idempotency-Key': 'disk-1' });
    const onDisk = (await readStoreState(app.store.file)).data;
    expect(onDisk.notifications).toContainEqual(
      expect.objectContaining({ id: sent.json.id, idempotency_key: 'disk-1' }),
    );
  });

  it.each([
    ['/send', { message: 'no one' }, ['body', 'user_id']],
    ['/send', { user_id: 'u1' }, ['body', 'message']],
    ['/send', { user_id: 'u1', message: '' }, ['body', 'message']],
    ['/send', { user_id: { id: 5 }, message: 'x' }, ['body', 'user_id']],
    ['/send?msg=hello', undefined, ['query', 'user_id']],
    ['/send', [], ['body']],
  ])('POST %s %j -> 422 at %j', async (path, body, loc) => {
    const { status, json } = await app.call('POST', path, body);
    expect(status).toBe(422);
    expect(json.detail[0].loc).toEqual(loc);
  });

  it.each([
    ['GET', '/notifications/999999', 404],
    ['GET', '/notifications?limit=0', 422],
    ['DELETE', '/notifications/1', 404],
  ])('%s %s -> %i', async (method, path, status) => {
    expect((await app.call(method, path)).status).toBe(status);
  });
});
