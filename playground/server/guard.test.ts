import { describe, expect, it } from 'vitest';
import { useFakeTown } from './testing/fake-town.js';
import { rawRequest } from './testing/raw-request.js';

// The playground holds the switches and reaches every service: after DNS rebinding, a foreign page must get
// nothing from it, and no other site's page may flip a switch.
const town = useFakeTown({ user: [] });

describe('the playground refuses strangers', () => {
  it.each(['/api/graph', '/svc/user/users', '/'])('%s with a foreign Host is a 403', async (path) => {
    const reply = await rawRequest(town.playground.url, path, {
      headers: { host: 'rebound.example.com:4000' },
    });
    expect(reply.status).toBe(403);
    expect(reply.json()).toEqual({
      detail: expect.stringMatching(/is not a name this service is reached by/),
    });
  });

  it("refuses another site's page switching a service off, and lets its own page do it", async () => {
    const put = (origin: string) =>
      rawRequest(town.playground.url, '/api/switches/user', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ mode: 'down' }),
      });
    expect((await put('http://evil.example.com')).status).toBe(403);
    expect(town.playground.switches.get('user')).toEqual({ mode: 'normal' });
    expect((await put(town.playground.url)).status).toBe(200);
    expect(town.playground.switches.get('user')).toEqual({ mode: 'down' });
  });
});
