import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type ThingsData } from '../example/app.js';
import { startTestApp, type TestApp } from '../testing/test-app.js';
import { allowedHost } from './guard.js';
import { openStore, type Store } from './store.js';

let app: TestApp<Store<ThingsData>>;
let port: number;

beforeAll(async () => {
  app = await startTestApp({
    name: 'things',
    openStore: (file) => openStore(file, { things: [] }),
    createApp,
  });
  port = Number(new URL(app.url).port);
});
afterAll(() => app.stop());

/** A request with the headers a browser (or an attacker's page after DNS rebinding) would send; fetch forbids Host. */
function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; json: { detail?: unknown } }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const thing = JSON.stringify({ name: 'lamp', weight: 1 });
const json = { 'content-type': 'application/json' };

describe('strangers are refused', () => {
  it.each([
    [`127.0.0.1:${'PORT'}`, 200],
    ['localhost', 200],
    ['[::1]:4001', 200],
    ['user:4001', 200],
    ['user.town.svc.cluster.local', 200],
    ['evil.example.com:4001', 403],
  ])('GET /health with Host %j answers %i', async (host, status) => {
    const reply = await send('GET', '/health', { host: host.replace('PORT', String(port)) });
    expect(reply.status).toBe(status);
    if (status === 403)
      expect(reply.json.detail).toMatch(/is not a name this service is reached by.*ALLOWED_HOSTS/);
  });

  it.each([
    [{}, 201],
    [{ origin: `http://127.0.0.1:4000`, 'sec-fetch-site': 'same-site' }, 201],
    [{ origin: 'http://localhost:3000', 'sec-fetch-site': 'cross-site' }, 201],
    [{ origin: 'http://evil.example.com', 'sec-fetch-site': 'cross-site' }, 403],
    [{ origin: 'null' }, 403],
    [{ 'sec-fetch-site': 'cross-site' }, 403],
  ])('POST with %j answers %i', async (headers, status) => {
    const reply = await send('POST', '/things', { host: `127.0.0.1:${port}`, ...json, ...headers }, thing);
    expect(reply.status).toBe(status);
    if (status === 403) expect(reply.json.detail).toMatch(/^cross-site POST refused/);
  });

  it('lets a page of any site read, as it always could', async () => {
    const reply = await send('GET', '/things', {
      host: `127.0.0.1:${port}`,
      origin: 'http://evil.example.com',
    });
    expect(reply.status).toBe(200);
  });

  it('adds the hosts ALLOWED_HOSTS names, or any with *', () => {
    expect(allowedHost('town.example.org:4001', '')).toBe(false);
    expect(allowedHost('town.example.org:4001', 'town.example.org, other.org')).toBe(true);
    expect(allowedHost('anything.example.org', '*')).toBe(true);
    expect(allowedHost('town.example.org:4001', '')).toBe(false); // a verdict is remembered per setting only
  });
});
