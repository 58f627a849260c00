import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from './test-app.js';

interface Running {
  call(method: string, path: string): Promise<Reply>;
  stop(): Promise<void>;
}

/**
 * What every service answers because it is built on the kit: `/health` naming it, `/openapi.json` (3.1) and
 * `/docs`, FastAPI's 404 for an unknown route. One line in each service's `src/app.test.ts`.
 */
export function serviceBasics(name: string, start: () => Promise<Running>): void {
  describe(`the ${name} service, over real HTTP: what the kit gives every service`, () => {
    let app: Running;
    beforeAll(async () => {
      app = await start();
    });
    afterAll(() => app.stop());

    it('names itself in /health', async () => {
      expect(await app.call('GET', '/health')).toEqual({
        status: 200,
        json: { status: 'ok', service: name },
      });
    });

    it('describes its routes in OpenAPI 3.1, and serves Swagger UI at /docs', async () => {
      const { status, json } = await app.call('GET', '/openapi.json');
      expect(status).toBe(200);
      expect(json.openapi).toMatch(/^3\.1\./);
      expect(json.paths['/health']).toBeDefined();
      expect((await app.call('GET', '/docs/')).status).toBe(200);
    });

    it('answers an unknown route with 404 and a detail', async () => {
      expect(await app.call('GET', '/no-such-route')).toEqual({ status: 404, json: { detail: 'Not Found' } });
    });
  });
}
