import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort } from '@microtown/kit/testing';
import type { TownEvent } from '@microtown/kit/town';
import { afterEach, describe, expect, it } from 'vitest';
import { type Supervised, supervise } from './supervisor.js';

/** A service as small as can be: answers /health and /version, logs one pino-like JSON line per request. */
const server = (version: string) => `
const http = require('node:http');
http.createServer((req, res) => {
  res.end(JSON.stringify({ version: ${JSON.stringify(version)} }));
  console.log(JSON.stringify({ level: 30, time: Date.now(), msg: 'request', method: req.method, path: req.url, status: 200, duration_ms: 1.5, trace_id: 'abcdef0123456789' }));
}).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('tiny service listening'));
`;

let dir: string;
const running: Supervised[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function tinyService(options: { watch?: boolean } = {}) {
  dir = await mkdtemp(join(tmpdir(), 'microtown-supervise-'));
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'src', 'server.cjs'), server('one'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const events: TownEvent[] = [];
  const service = supervise(
    {
      name: 'tiny',
      command: [process.execPath, 'src/server.cjs'],
      cwd: dir,
      env: { PORT: String(port) },
      port,
      url,
    },
    { watch: options.watch, onEvent: (event) => events.push(event), startTimeoutMs: 10_000 },
  );
  running.push(service);
  const version = async () => {
    try {
      return ((await (await fetch(`${url}/version`)).json()) as { version: string }).version;
    } catch {
      return 'down';
    }
  };
  const states = () => events.flatMap((e) => (e.type === 'state' ? [e] : []));
  return {
    service,
    events,
    states,
    version,
    save: (text: string) => writeFile(join(dir, 'src', 'server.cjs'), text),
  };
}

describe('supervise', () => {
  it('starts a service, and reads each line it prints as a log entry: JSON made readable, plain as printed', async () => {
    const { service, events, version } = await tinyService();
    expect(await service.start()).toBe(true);
    expect(await version()).toBe('one');
    const logs = () => events.flatMap((e) => (e.type === 'log' ? [e.entry] : []));
    await eventually(() => logs().some((entry) => entry.path === '/version'), 'the request line');
    expect(logs()).toContainEqual(
      expect.objectContaining({ service: 'tiny', level: 'info', text: 'tiny service listening' }),
    );
    expect(logs()).toContainEqual(
      expect.objectContaining({
        method: 'GET',
        path: '/version',
        status: 200,
        trace_id: 'abcdef0123456789',
        structured: true,
      }),
    );
  });

  it('restarts the service alone when one of its files is saved, and says which file', async () => {
    const { service, states, version, save } = await tinyService();
    await service.start();
    await save(server('two'));
    await eventually(async () => (await version()) === 'two', 'version two', { timeoutMs: 15_000 });
    await eventually(
      () => states().some((e) => e.state === 'up' && e.file === join('src', 'server.cjs')),
      'up after the save',
    );
    expect(states().map((e) => e.state)).toEqual(['starting', 'up', 'stopped', 'starting', 'up']);
  });

  it('shows why a save that does not start is down, and comes back on the next good save', async () => {
    const { service, states, version, save } = await tinyService();
    await service.start();
    await save(`${server('broken')}\nthrow new Error('users.ts: Unexpected token at line 3');`);
    await eventually(() => states().some((e) => e.state === 'crashed'), 'the crash', { timeoutMs: 15_000 });
    expect(states().find((e) => e.state === 'crashed')?.reason).toMatch(
      /Error: users\.ts: Unexpected token at line 3/,
    );
    expect(await version()).toBe('down');
    await save(server('fixed'));
    await eventually(async () => (await version()) === 'fixed', 'the fixed version', { timeoutMs: 15_000 });
    await eventually(() => states().at(-1)?.state === 'up', 'up again');
    expect(states().at(-1)).toMatchObject({ state: 'up', file: join('src', 'server.cjs') });
  });

  it('does not restart for its data files, nor at all without watching', async () => {
    const watched = await tinyService();
    await watched.service.start();
    await writeFile(join(dir, 'data', 'tiny.json'), '{"things": []}');
    await writeFile(join(dir, 'src', 'notes.txt'), 'not a source file');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(watched.states().map((e) => e.state)).toEqual(['starting', 'up']);
    await watched.service.close();

    const unwatched = await tinyService({ watch: false });
    await unwatched.service.start();
    await unwatched.save(server('two'));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(await unwatched.version()).toBe('one');
  });

  it('restarts on request, running a step between stop and start (how a reset removes the data file)', async () => {
    const { service, version, states } = await tinyService();
    await service.start();
    const between: string[] = [];
    expect(
      await service.restart(undefined, async () => {
        between.push(await version());
      }),
    ).toBe(true);
    expect(between).toEqual(['down']);
    expect(await version()).toBe('one');
    expect(states().map((e) => e.state)).toEqual(['starting', 'up', 'stopped', 'starting', 'up']);
  });
});
