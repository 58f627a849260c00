import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { type Child, spawnChild } from '@microtown/kit/testing';
import { PLAYGROUND_PORT, readServices } from '@microtown/kit/town';
import { afterEach, describe, expect, it } from 'vitest';
import { freeOffset } from './npm-start.js';
import { makeTempDir } from './temp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const running: Child[] = [];
const blockers: Server[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop('SIGTERM')));
  for (const blocker of blockers.splice(0)) blocker.close();
});

/** Processes of the town started by this test: their working folder is a service, their data in `dataDir`. */
async function townProcesses(dataDir: string): Promise<{ pid: number; service: string }[]> {
  const found: { pid: number; service: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8');
      if (!environ.includes(`TOWN_DATA_DIR=${dataDir}`)) continue;
      const cwd = await readlink(`/proc/${entry}/cwd`);
      const service = /services\/([a-z0-9-]+)-service$|\/(playground)$/.exec(cwd)?.slice(1).find(Boolean);
      if (service) found.push({ pid: Number(entry), service });
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

async function health(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).status;
  } catch {
    return 0;
  }
}

async function startWithNpm(block?: string, env: Record<string, string> = {}) {
  const services = await readServices(ROOT);
  const offset = await freeOffset([...services.map((s) => s.port), PLAYGROUND_PORT]);
  const dataDir = await makeTempDir('start');
  const urls = new Map(services.map((s) => [s.name, `http://127.0.0.1:${s.port + offset}`]));
  if (block) {
    const blocker = createServer();
    const port =
      (block === 'playground' ? PLAYGROUND_PORT : (services.find((s) => s.name === block)?.port ?? 0)) +
      offset;
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    blockers.push(blocker);
  }
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { TOWN_PORT_OFFSET: String(offset), TOWN_DATA_DIR: dataDir, FORCE_COLOR: '0', ...env },
  });
  running.push(child);
  await child.waitFor(/The town is up|Not answering \/health/, 30_000);
  const playground = `http://127.0.0.1:${PLAYGROUND_PORT + offset}`;
  return { child, urls, dataDir, services, playground };
}

// The first `npm start` of a fresh clone builds the page before the playground answers.
describe('npm start', { timeout: 60_000 }, () => {
  it('starts every service of services/, then prints one table of URLs', async () => {
    const { child, urls, services } = await startWithNpm();
    for (const [name, url] of urls) {
      expect(await health(url), name).toBe(200);
      expect(child.output()).toMatch(
        new RegExp(`${name}\\s+up\\s+${url.replaceAll('.', '\\.')}\\s+${url.replaceAll('.', '\\.')}/docs`),
      );
    }
    expect(services.map((s) => s.name)).toEqual(
      expect.arrayContaining(['user', 'inventory', 'orders', 'notification']),
    );
    expect(child.output()).toMatch(/\[user\]\s+user service listening/);
  });

  it('starts the playground, through which the services call each other', async () => {
    const { child, urls, playground } = await startWithNpm();
    expect(await health(playground)).toBe(200);
    expect(child.output()).toMatch(new RegExp(`playground\\s+up\\s+${playground.replaceAll('.', '\\.')}\\s`));
    expect(child.output()).toContain(`Open ${playground} to watch it and call it.`);
    // An order placed straight on orders: its calls to user and inventory still pass through the playground.
    const placed = await fetch(`${urls.get('orders')}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'u1', item_id: 'item1', quantity: 1 }),
    });
    expect(placed.status).toBe(201);
    // The order's own calls, by its trace (orders also asks inventory once at start, through the playground too).
    const { trace_id } = (await placed.json()) as { trace_id: string };
    const { data } = (await (await fetch(`${playground}/api/calls?trace_id=${trace_id}`)).json()) as {
      data: { caller: string; callee: string; method: string; path: string }[];
    };
    expect(data.map((c) => `${c.caller} -> ${c.callee} ${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining(['orders -> user GET /users/u1', 'orders -> inventory POST /reservations']),
    );
    const page = await fetch(playground);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>microtown playground</title>');
  });

  it('keeps the others running when one service crashes', async () => {
    const { child, urls, dataDir } = await startWithNpm();
    const user = (await townProcesses(dataDir)).filter((p) => p.service === 'user');
    expect(user.length).toBeGreaterThan(0);
    for (const { pid } of user) process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await health(urls.get('user') as string)).toBe(0);
    for (const name of ['inventory', 'orders', 'notification'])
      expect(await health(urls.get(name) as string), name).toBe(200);
    expect(child.process.exitCode).toBeNull();
  });

  it('stops everything on Ctrl-C, leaving no process behind', async () => {
    const { child, urls, dataDir, playground } = await startWithNpm();
    const started = (await townProcesses(dataDir)).map((p) => p.service);
    expect(new Set(started)).toEqual(new Set(['user', 'inventory', 'orders', 'notification', 'playground']));
    // Ctrl-C in a terminal signals the whole foreground process group.
    process.kill(-(child.process.pid as number), 'SIGINT');
    await child.exited();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await townProcesses(dataDir)).toEqual([]);
    for (const url of [...urls.values(), playground]) expect(await health(url)).toBe(0);
  });

  it('prints each JSON log line readable under its service, and the JSON itself with LOG_FORMAT=json', async () => {
    // Services are quiet under a test runner unless LOG_LEVEL says otherwise.
    const pretty = await startWithNpm(undefined, { LOG_LEVEL: 'info' });
    await fetch(`${pretty.urls.get('user')}/users/nobody`);
    await pretty.child.waitFor(
      /\[user\]\s+\d\d:\d\d:\d\d INFO\s+GET \/users\/nobody 404 [\d.]+ ms trace [0-9a-f]{8}/,
    );
    expect(pretty.child.output()).not.toContain('"msg":"request"');
    await pretty.child.stop('SIGTERM');

    const json = await startWithNpm(undefined, { LOG_FORMAT: 'json', LOG_LEVEL: 'info' });
    await fetch(`${json.urls.get('user')}/users/nobody`);
    const [line] = await json.child.waitFor(/\[user\]\s+\{.*"path":"\/users\/nobody".*\}/);
    expect(JSON.parse(line.slice(line.indexOf('{')))).toMatchObject({ method: 'GET', status: 404 });
  });

  it.each([
    [['--exercise', '99'], /^npm start: no exercise "99"; exercises: 01-user-and-inventory, /],
    [['--impl', 'somewhere'], /^npm start: --impl needs --exercise <NN>; usage: npm start/],
    [['--colour'], /^npm start: Unknown option '--colour'.*; usage: npm start/],
  ])('refuses %j in one line, starting nothing', async (args, message) => {
    const child = spawnChild(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
      cwd: ROOT,
    });
    running.push(child);
    expect(await child.exited()).toBe(1);
    expect(child.output().trim().split('\n')).toHaveLength(1);
    expect(child.output().trim()).toMatch(message);
  });

  it('starts the playground again if it dies, and says so: the services reach each other through it', async () => {
    const { child, dataDir, playground } = await startWithNpm();
    await new Promise((resolve) => setTimeout(resolve, 5500));
    const first = (await townProcesses(dataDir)).filter((p) => p.service === 'playground');
    expect(first.length).toBeGreaterThan(0);
    for (const { pid } of first) process.kill(pid, 'SIGKILL');
    await child.waitFor(/\[playground\]\s+the playground stopped \(SIGKILL\); starting it again/, 10_000);
    await child.waitFor(/playground listening on[^\n]*\n(?:.|\n)*playground listening on/, 30_000);
    expect(await health(playground)).toBe(200);
  });

  it('says at once that the playground cannot start, and why, rather than waiting for it', async () => {
    const { child, urls } = await startWithNpm('playground');
    await child.waitFor(/The playground is not answering at/, 30_000);
    expect(child.output()).toMatch(/\[playground\]\s+.*already in use/);
    expect(child.output()).toMatch(/playground\s+DOWN/);
    expect(await health(urls.get('user') as string)).toBe(200);
  });

  it('reports a port in use by the service name, in one line, and starts the rest', async () => {
    const { child, urls } = await startWithNpm('inventory');
    const port = new URL(urls.get('inventory') as string).port;
    await child.waitFor(/Not answering \/health: inventory/, 30_000);
    expect(child.output()).toMatch(
      new RegExp(`\\[inventory\\]\\s+inventory service: port ${port} on 127\\.0\\.0\\.1 is already in use`),
    );
    expect(child.output()).not.toMatch(/\n\s+at /);
    for (const name of ['user', 'orders', 'notification'])
      expect(await health(urls.get(name) as string), name).toBe(200);
  });
});
