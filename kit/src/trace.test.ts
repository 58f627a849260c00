import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Client, createClient } from './client.js';
import { closeServer, type Listening, serve } from './serve.js';
import { createService } from './service.js';
import { resumeTrace, runWithTrace } from './trace.js';

const seen: { traceparent?: string; caller?: string }[] = [];
let front: Listening;
let back: Listening;
let client: Client;

beforeAll(async () => {
  const backend = createService({ name: 'back' });
  backend.get('/echo', { summary: 'Echo' }, ({ req }) => {
    seen.push({ traceparent: req.headers.traceparent as string, caller: req.headers['x-caller'] as string });
    return { ok: true };
  });
  back = await serve(backend.app, 0);
  client = createClient({ service: 'back', baseUrl: back.url, caller: 'front' });

  const frontend = createService({ name: 'front' });
  frontend.get(
    '/twice',
    { summary: 'Call back twice', response: z.object({ statuses: z.array(z.int()) }) },
    async () => {
      const first = await client.get('/echo');
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await client.get('/echo');
      return { statuses: [first.status, second.status] };
    },
  );
  front = await serve(frontend.app, 0);
});

afterAll(async () => {
  await client.close();
  await closeServer(front.server);
  await closeServer(back.server);
});

describe('a trace across two kit services', () => {
  it('carries the incoming trace id through every outgoing call, awaits and timers included', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    seen.length = 0;
    const response = await fetch(`${front.url}/twice`, {
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    expect(await response.json()).toEqual({ statuses: [200, 200] });
    expect(seen).toHaveLength(2);
    for (const call of seen) {
      expect(call.caller).toBe('front');
      expect(call.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    }
    expect(seen[0]?.traceparent).not.toBe(seen[1]?.traceparent);
  });

  it('keeps concurrent requests in their own traces', async () => {
    seen.length = 0;
    const ids = ['11111111111111111111111111111111', '22222222222222222222222222222222'];
    await Promise.all(
      ids.map((id) =>
        fetch(`${front.url}/twice`, { headers: { traceparent: `00-${id}-b7ad6b7169203331-01` } }),
      ),
    );
    const traces = seen.map((call) => call.traceparent?.split('-')[1]).sort();
    expect(traces).toEqual([ids[0], ids[0], ids[1], ids[1]]);
  });
});

describe('a trace resumed later', () => {
  it('continues a kept trace id in a call made outside any request, and refuses a malformed one', async () => {
    const kept = '0af7651916cd43dd8448eb211c80319c';
    seen.length = 0;
    await runWithTrace(resumeTrace(kept), () => client.get('/echo'));
    expect(seen[0]?.traceparent).toMatch(new RegExp(`^00-${kept}-[0-9a-f]{16}-01$`));
    expect(resumeTrace('not-a-trace').traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(resumeTrace('0'.repeat(32)).traceId).not.toBe('0'.repeat(32));
  });
});
