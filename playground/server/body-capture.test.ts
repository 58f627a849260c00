import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_BODY_LIMIT } from './body-capture.js';
import type { Call } from './recorder.js';
import { useFakeTown } from './testing/fake-town.js';
import { readJson } from './testing/read-json.js';

const town = useFakeTown({ user: [] });

beforeEach(() => {
  town.playground.recorder.clear();
  town.playground.switches.set('user', { mode: 'normal' });
});

const JSON_TYPE = { 'content-type': 'application/json' };

/** The call as recorded: it is recorded when its connection closes, a moment after the answer. */
async function lastCall(): Promise<Call> {
  for (let i = 0; i < 100; i++) {
    const [call] = town.playground.recorder.calls();
    if (call) return call;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no call recorded');
}

describe('the bodies the proxy keeps for the explanations', () => {
  it('keeps a JSON request body, and forwards it whole', async () => {
    const body = JSON.stringify({ user_id: 'u1', note: 'é ✓' });
    const seen = await readJson(
      await fetch(`${town.playground.url}/svc/user/orders`, { method: 'POST', body, headers: JSON_TYPE }),
    );
    expect(seen.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect((await lastCall()).request_body).toBe(body);
  });

  it('loses nothing of a body held back by a slow switch', async () => {
    town.playground.switches.set('user', { mode: 'slow', delay_ms: 200 });
    const body = JSON.stringify({ text: 'x'.repeat(100_000) });
    const seen = await readJson(
      await fetch(`${town.playground.url}/svc/user/orders`, { method: 'POST', body, headers: JSON_TYPE }),
    );
    expect(seen).toMatchObject({
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
    const call = await lastCall();
    expect(call.request_body).toHaveLength(REQUEST_BODY_LIMIT);
    expect(body.startsWith(call.request_body ?? '-')).toBe(true);
  });

  it('keeps no body that is not JSON, nor the answer of a call that went well', async () => {
    await (
      await fetch(`${town.playground.url}/svc/user/orders`, { method: 'POST', body: 'a=1' })
    ).arrayBuffer();
    const call = await lastCall();
    expect(call).not.toHaveProperty('request_body');
    expect(call).not.toHaveProperty('response_body');
  });

  it("keeps the start of an error's answer, the proxy's own too (its headers hidden in writeHead)", async () => {
    town.playground.switches.set('user', { mode: 'down' });
    await (await fetch(`${town.playground.url}/svc/user/users/u1`)).arrayBuffer();
    expect((await lastCall()).response_body).toBe(
      JSON.stringify({ detail: 'user unavailable (switched off in the playground)' }),
    );
  });

  it('leaves the bodies out of what the recorder tells its subscribers (the page)', async () => {
    const told: Call[] = [];
    const unsubscribe = town.playground.recorder.subscribe((call) => told.push(call));
    try {
      await (
        await fetch(`${town.playground.url}/svc/user/orders`, {
          method: 'POST',
          body: '{}',
          headers: JSON_TYPE,
        })
      ).arrayBuffer();
      const call = await lastCall();
      expect(call.request_body).toBe('{}');
      expect(told).toEqual([expect.not.objectContaining({ request_body: expect.anything() })]);
      expect(town.playground.recorder.call(call.id)).toBe(call);
    } finally {
      unsubscribe();
    }
  });
});
