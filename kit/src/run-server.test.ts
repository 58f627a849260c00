import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnChild } from '../testing/child.js';
import { PROBE_HEADER } from './logger.js';

const SERVER = join(import.meta.dirname, '..', 'example', 'server.ts');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kit-run-server-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const start = (env: NodeJS.ProcessEnv) =>
  spawnChild(process.execPath, ['--import', 'tsx', SERVER], {
    env: { LOG_LEVEL: 'info', DATA_FILE: join(dir, 'things.json'), ...env },
  });

/** A user mistake is one line on stderr and exit code 1: no stack trace. */
async function expectOneLineRefusal(env: NodeJS.ProcessEnv, pattern: RegExp) {
  const child = start(env);
  expect(await child.exited()).toBe(1);
  // One line in all, so no stack trace either.
  expect(child.output().trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
}

describe('runServer', () => {
  it('listens, logs each request as one JSON line, and stops on SIGTERM', async () => {
    const port = await freePort();
    const child = start({ PORT: String(port) });
    try {
      await child.waitFor(/things service listening on http:\/\/127\.0\.0\.1:\d+ \(docs: .*\/docs\)/);
      const traceId = 'aaaabbbbccccddddeeeeffff00001111';
      const response = await fetch(`http://127.0.0.1:${port}/things/42`, {
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-caller': 'tester' },
      });
      expect(response.status).toBe(404);
      const [line] = await child.waitFor(/\{.*"msg":"request".*\}/);
      expect(JSON.parse(line)).toMatchObject({
        service: 'things',
        method: 'GET',
        path: '/things/42',
        status: 404,
        duration_ms: expect.any(Number),
        trace_id: traceId,
        caller: 'tester',
      });
    } finally {
      expect(await child.stop('SIGTERM')).toBe(0);
    }
  });

  it('closes what the setup lists once stopped: the store writes its data file before the process ends', async () => {
    const port = await freePort();
    const file = join(dir, 'closed.json');
    const child = start({ PORT: String(port), DATA_FILE: file });
    try {
      await child.waitFor(/things service listening/);
      const response = await fetch(`http://127.0.0.1:${port}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'kept at stop', weight: 2 }),
      });
      expect(response.status).toBe(201);
    } finally {
      // At once, before the store's idle rewrite: only a closed store has the write in the data file itself.
      expect(await child.stop('SIGTERM')).toBe(0);
    }
    expect(JSON.parse(await readFile(file, 'utf8')).things).toEqual([
      { name: 'kept at stop', weight: 2, id: '1' },
    ]);
  });

  it("logs the playground's probes at debug, not info, unless they fail", async () => {
    const port = await freePort();
    const child = start({ PORT: String(port) });
    try {
      await child.waitFor(/things service listening/);
      const probe = { headers: { [PROBE_HEADER]: '1' } };
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/things?limit=1`, probe)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/things/nope`, probe)).status).toBe(404);
      await fetch(`http://127.0.0.1:${port}/things?offset=0`);
      await child.waitFor(/"path":"\/things\?offset=0"/);
      const paths = child
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"request"'))
        .map((line) => JSON.parse(line).path);
      expect(paths).toEqual(['/things/nope', '/things?offset=0']);
    } finally {
      await child.stop('SIGTERM');
    }
  });

  it('refuses a port in use in one line', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expectOneLineRefusal(
        { PORT: String(port) },
        new RegExp(`^things service: port ${port} .*already in use`),
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad setting in one line naming it', async () => {
    await expectOneLineRefusal({ PORT: 'eighty' }, /^things service: invalid setting PORT="eighty"/);
    await expectOneLineRefusal({ PORT: '80' }, /^things service: invalid setting PORT="80"/);
  });

  it('refuses a corrupt data file in one line naming it, and leaves the file as it was', async () => {
    const file = join(dir, 'corrupt.json');
    await writeFile(file, '{"things": [');
    await expectOneLineRefusal({ PORT: String(await freePort()), DATA_FILE: file }, /corrupt\.json/);
    expect(await readFile(file, 'utf8')).toBe('{"things": [');
  });
});
