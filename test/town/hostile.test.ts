import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './http.js';
import { startTown, type Town } from './town.js';

let town: Town;
beforeAll(async () => {
  town = await startTown();
});
afterAll(() => town?.close());

const posts: [string, string][] = [
  ['user', '/users'],
  ['inventory', '/items'],
  ['inventory', '/reservations'],
  ['orders', '/orders'],
  ['notification', '/send'],
];
const gets: [string, string][] = [
  ['user', '/users/'],
  ['inventory', '/items/'],
  ['inventory', '/stock/'],
  ['orders', '/orders/'],
];
const badBodies = [
  '{"name": ',
  'not json at all',
  '[]',
  '"a string"',
  'null',
  '{"name": 5, "email": [], "stock": "ten", "quantity": -3, "user_id": {}, "item_id": true}',
  JSON.stringify({ name: 'x'.repeat(300_000) }),
];
const hostileIds = [
  '..%2Fx',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'a'.repeat(5000),
  '%E0%A4%A',
  "'; DROP TABLE users;--",
];

describe('malformed and hostile input always gets a 4xx, never a 5xx or a crash', () => {
  it.each(posts)('%s POST %s with bad bodies', async (service, path) => {
    for (const body of badBodies) {
      const { status } = await call(town.url(service), 'POST', path, body);
      expect(status, `${service} ${path} ${body.slice(0, 30)}`).toBeGreaterThanOrEqual(400);
      expect(status, `${service} ${path} ${body.slice(0, 30)}`).toBeLessThan(500);
    }
  });

  it.each(gets)('%s GET %s<hostile id>', async (service, prefix) => {
    for (const id of hostileIds) {
      const { status } = await call(town.url(service), 'GET', prefix + id);
      expect(status, `${service} ${prefix}${id.slice(0, 30)}`).toBeGreaterThanOrEqual(400);
      expect(status, `${service} ${prefix}${id.slice(0, 30)}`).toBeLessThan(500);
    }
  });

  it('every service is still healthy afterwards', async () => {
    for (const name of town.services.keys())
      expect((await call(town.url(name), 'GET', '/health')).status, name).toBe(200);
  });
});
