import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Playground, startPlayground } from './start-playground.js';
import { readJson } from './testing/read-json.js';

// A real grading run through the page is the browser test's (playground/e2e/check-my-work.spec.ts); here, what the
// API refuses, and what it lists.
let on: Playground;
let off: Playground;

const post = async (playground: Playground, body: unknown) => {
  const response = await fetch(`${playground.url}/api/check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await readJson(response)) as { detail?: unknown } };
};

beforeAll(async () => {
  const services = [{ name: 'user', url: 'http://127.0.0.1:1' }];
  on = await startPlayground({ port: 0, page: false, services, check: { enabled: true, learners: [] } });
  off = await startPlayground({ port: 0, page: false, services, check: { enabled: false, learners: [] } });
});
afterAll(async () => {
  await on.close();
  await off.close();
});

describe('Check my work', () => {
  it("lists the chapter's exercises with their points, and no run yet", async () => {
    const state = (await readJson(await fetch(`${on.url}/api/check`))) as {
      enabled: boolean;
      exercises: { folder: string; points: number; tasks: number }[];
      run: unknown;
    };
    expect(state.enabled).toBe(true);
    expect(state.exercises[0]).toEqual({
      folder: '01-user-and-inventory',
      title: 'User and inventory services',
      points: 14,
      tasks: 7,
    });
    expect(state.exercises.map((e) => e.folder.slice(0, 2))).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(state.run).toBeNull();
  });

  it('is refused when the teacher turned it off, and for an exercise that does not exist', async () => {
    expect(await post(off, { exercise: '01' })).toEqual({
      status: 403,
      body: { detail: 'Check my work is turned off for this town (npm start -- --no-check)' },
    });
    const unknown = await post(on, { exercise: '42' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/^No exercise 42; exercises: 01-user-and-inventory, /);
    expect((await post(on, {})).status).toBe(422);
  });
});
