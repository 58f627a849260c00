import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './test-app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(() => app.stop());

describe('the user service, over real HTTP', () => {
  it.each([
    ['GET', '/health', 200],
    ['GET', '/openapi.json', 200],
    ['GET', '/docs/', 200],
    ['GET', '/no-such-route', 404],
  ])('%s %s -> %i', async (method, path, status) => {
    expect((await app.call(method, path)).status).toBe(status);
  });

  it('names itself in /health', async () => {
    expect((await app.call('GET', '/health')).json).toEqual({ status: 'ok', service: 'user' });
  });

  it('answers an unknown route with 404 and a detail', async () => {
    expect((await app.call('GET', '/no-such-route')).json).toEqual({ detail: 'Not Found' });
  });

  it('describes its routes in OpenAPI 3.1', async () => {
    const { json } = await app.call('GET', '/openapi.json');
    expect(json.openapi).toMatch(/^3\.1\./);
    expect(json.paths['/health']).toBeDefined();
  });
});
