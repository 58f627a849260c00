import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.js';
import { snapshot as snapshotFiles } from '../test/support/snapshot.js';
import { call } from './call.js';
import { main, type Picked } from './cli.js';
import { resource } from './resource.js';
import { generate, REPO } from './run.js';
import { service } from './service.js';

// A small town in the git-ignored .tmp/: shipping (4105, calls user, has parcels), user (4101), billing (4102).
let root: string;
const snapshot = () => snapshotFiles(root, ['.tmp', 'data', 'node_modules']);

beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  root = await mkdtemp(join(REPO, '.tmp', 'menu-test-'));
  await generate('service', ['shipping', '4105'], { root, format: false });
  await generate('service', ['user', '4101'], { root, format: false });
  await generate('service', ['billing', '4102'], { root, format: false });
  await generate('resource', ['shipping', 'parcel'], { root, format: false });
  await generate('call', ['shipping', 'user'], { root, format: false });
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The validator of a prompt, as inquirer calls it: (typed value, answers so far). */
const validator = (prompts: ReturnType<typeof service.prompts>, name: string) => {
  const prompt = prompts.find((p) => p.name === name) as { validate: (v: string, a?: object) => unknown };
  return (value: string, answers = {}) => prompt.validate(value, answers);
};

describe('the menu checks each answer as it is typed', () => {
  it('a service name that exists is refused at the name, not after the port', async () => {
    const name = validator(service.prompts(root), 'name');
    expect(await name('shipping')).toBe(
      'service "shipping" already exists (services/shipping-service); pick another name',
    );
    expect(await name('Shipping')).toMatch(/lower kebab-case/);
    expect(await name('parcels')).toBe(true);
  });

  it('a port is refused if the playground, a service, the browsers or another program has it; a free one is offered', async () => {
    const port = validator(service.prompts(root), 'port');
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const inUse = (busy.address() as { port: number }).port;
    try {
      const suggested = Number(
        await (
          service.prompts(root).find((p) => p.name === 'port') as { default: () => Promise<string> }
        ).default(),
      );
      expect([4101, 4102, 4105, 4000, inUse]).not.toContain(suggested);
      expect(await port('4000')).toMatch(/belongs to the playground/);
      expect(await port('4101')).toBe(
        `port 4101 is taken by service "user"; pick another one, e.g. ${suggested}`,
      );
      expect(await port('6000')).toMatch(/browsers and Node's fetch refuse/);
      expect(await port(String(inUse))).toMatch(
        new RegExp(`^port ${inUse} is in use on this machine .*; pick another one, e\\.g\\. \\d+$`),
      );
      expect(await port('80')).toMatch(/1024 to 65535/);
      expect(await port(String(suggested))).toBe(true);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('a resource the chosen service has is refused at its name', async () => {
    const name = validator(resource.prompts(root), 'resource');
    expect(await name('parcel', { service: 'shipping' })).toBe(
      'resource "parcel" already exists in shipping; pick another name',
    );
    expect(await name('parcel', { service: 'user' })).toBe(true);
    expect(await name('parcels', { service: 'user' })).toMatch(/singular/);
  });

  it('offers as callees only the other services, those called already greyed out', async () => {
    const to = call.prompts(root).find((p) => p.name === 'to') as {
      choices: (answers: object) => Promise<{ value: string; disabled: string | false }[]>;
    };
    expect(await to.choices({ from: 'shipping' })).toEqual([
      { name: 'billing', value: 'billing', disabled: false },
      { name: 'user', value: 'user', disabled: 'called already' },
    ]);
    expect((await to.choices({ from: 'user' })).map((c) => c.value)).toEqual(['billing', 'shipping']);
  });
});

describe('the menu prints what the command line prints', () => {
  const answered = (picked: Picked, argv: string[] = []) =>
    runMain((args, lines) => main(args, { ...lines, menu: async () => picked }), root, argv);

  it('the same success lines, and --dry-run works with the menu too', async () => {
    const before = await snapshot();
    const dry = await answered({ generator: 'service', answers: { name: 'parcels', port: '4106' } }, [
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.out[0]).toBe(
      'dry run: service parcels on port 4106 would write 14 files in services/parcels-service; nothing was written',
    );
    const flags = await runMain(main, root, ['service', 'parcels', '4106', '--dry-run']);
    expect(dry.out).toEqual(flags.out);
    expect(await snapshot()).toEqual(before);
  });

  it('the same error line and exit code', async () => {
    const picked = await answered({ generator: 'call', answers: { from: 'shipping', to: 'user' } });
    const flags = await runMain(main, root, ['call', 'shipping', 'user']);
    expect(picked).toEqual({
      code: 1,
      out: [],
      err: [expect.stringMatching(/^error: shipping already calls user/)],
    });
    expect(picked).toEqual(flags);
  });
});

/** The command line as a user starts it, `npm run generate ...` in the repository, on the town at TOWN_ROOT. */
function npmRun(args: string[], env: Record<string, string> = {}) {
  const child = spawn('npm', ['run', '--silent', 'generate', ...args], {
    cwd: REPO,
    env: { ...process.env, TOWN_ROOT: root, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return finished(child);
}

function finished(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return Object.assign(done, { child, output: () => stdout });
}

describe('--dry-run however npm passes it, as a process', () => {
  it('npm run generate service shipping2 4107 --dry-run (npm takes the flag) writes nothing, installs nothing', async () => {
    const before = await snapshot();
    const run = await npmRun(['service', 'shipping2', '4107', '--dry-run']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'npm read --dry-run as its own option (put -- before the arguments); this is a dry run',
      'dry run: service shipping2 on port 4107 would write 14 files in services/shipping2-service; nothing was written',
    ]);
    expect(run.stdout).not.toMatch(/npm install/);
    expect(await snapshot()).toEqual(before);
    expect(existsSync(join(REPO, 'services', 'shipping2-service'))).toBe(false);
  }, 30_000);

  it('npm_config_dry_run=true in the environment is a dry run too', async () => {
    const before = await snapshot();
    const run = await npmRun(['service', 'shipping2', '4107'], { npm_config_dry_run: 'true' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^npm read --dry-run .*\ndry run: service shipping2 on port 4107 would write 14 files/,
    );
    expect(await snapshot()).toEqual(before);
  }, 30_000);

  it('the menu in a terminal: a taken name and port are retyped, and npm run generate --dry-run writes nothing', async () => {
    const before = await snapshot();
    // util-linux `script` gives the command a terminal, as a user's shell does.
    const run = finished(
      spawn('script', ['-qec', 'npm run generate --dry-run', '/dev/null'], {
        cwd: REPO,
        env: { ...process.env, TOWN_ROOT: root, NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    const escapes = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
    const plain = () => run.output().replace(escapes, '');
    const seen = async (pattern: RegExp) => {
      for (let i = 0; i < 300 && !pattern.test(plain()); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(plain()).toMatch(pattern);
    };
    const type = (keys: string) => run.child.stdin?.write(keys);
    await seen(/microtown generators/);
    type('\r');
    await seen(/Service name/);
    type('shipping\r');
    await seen(/service "shipping" already exists/);
    type(`${'\x7f'.repeat(8)}parcels\r`);
    await seen(/Port \(1024-65535\)/);
    type('4105\r');
    await seen(/port 4105 is taken by service "shipping"; pick another one, e\.g\. \d+/);
    type(`${'\x7f'.repeat(4)}4107\r`);
    const { code } = await run;
    expect(code).toBe(0);
    expect(plain()).toMatch(/\ndry run: service parcels on port 4107 would write 14 files/);
    expect(await snapshot()).toEqual(before);
  }, 60_000);
});
