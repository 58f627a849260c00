import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeServer, serve } from './serve.js';
import { createService } from './service.js';

let server: Server;
let url: string;

beforeAll(async () => {
  const service = createService({ name: 'things' });
  service.post(
    '/things',
    { summary: 'Create a thing', body: z.object({ name: z.string() }), status: 201 },
    ({ body }) => body,
  );
  ({ server, url } = await serve(service.app, 0));
});

afterAll(async () => {
  await closeServer(server);
});

const get = (path: string) => fetch(url + path, { redirect: 'manual' });

interface Spec {
  servers: { url: string; description?: string }[];
  paths: Record<string, unknown>;
}
const readSpec = async () => (await (await get('/openapi.json')).json()) as Spec;

/** Where the page's `attribute="..."` points once a browser resolves it against `pageUrl`. */
function resolved(html: string, attribute: string, pageUrl: string) {
  const value = new RegExp(`${attribute}="([^"]+)"`).exec(html)?.[1];
  expect(value, attribute).toBeDefined();
  return new URL(value as string, pageUrl).href;
}

describe('/redoc', () => {
  it('answers an HTML page that loads Redoc from the service itself, not a CDN', async () => {
    const response = await get('/redoc');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>things service - ReDoc</title>');
    expect(html).toContain('<script src="redoc/redoc.standalone.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    // Redoc's sidebar logo would come from cdn.redoc.ly.
    expect(response.headers.get('content-security-policy')).toBe("img-src 'self' data:");
  });

  it('points at the spec and the bundle relatively, so it works behind /svc/<name>/ too', async () => {
    const html = await (await get('/redoc')).text();
    for (const page of [`${url}/redoc`, 'http://127.0.0.1:4000/svc/things/redoc']) {
      const base = page.slice(0, -'redoc'.length);
      expect(resolved(html, 'spec-url', page)).toBe(`${base}openapi.json`);
      expect(resolved(html, 'src', page)).toBe(`${base}redoc/redoc.standalone.js`);
    }
  });

  it('serves the standalone bundle as JavaScript', async () => {
    const response = await get('/redoc/redoc.standalone.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(application|text)\/javascript/);
    const script = await response.text();
    expect(script.length).toBeGreaterThan(100_000);
    expect(script).toContain('spec-url');
  });

  it('sends /redoc/ back to /redoc relatively, where the relative URLs work', async () => {
    const response = await get('/redoc/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('../redoc');
    expect(new URL('../redoc', 'http://127.0.0.1:4000/svc/things/redoc/').pathname).toBe('/svc/things/redoc');
  });

  it('answers anything else under /redoc like FastAPI', async () => {
    const response = await get('/redoc/other.js');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Not Found' });
  });
});

describe('/openapi.json for /docs and /redoc', () => {
  it("names the service's server relatively, so Try it out calls wherever the spec was read", async () => {
    const spec = await readSpec();
    expect(spec.servers).toEqual([expect.objectContaining({ url: '.' })]);
    // Swagger UI and Redoc resolve it against the spec's URL (and drop the trailing slash before the path).
    const server = spec.servers[0]?.url ?? '';
    expect(new URL(server, `${url}/openapi.json`).href).toBe(`${url}/`);
    expect(new URL(server, 'http://127.0.0.1:4000/svc/things/openapi.json').href).toBe(
      'http://127.0.0.1:4000/svc/things/',
    );
  });

  it('documents the routes, not the pages that show them', async () => {
    const spec = await readSpec();
    expect(Object.keys(spec.paths).sort()).toEqual(['/health', '/things']);
  });
});
