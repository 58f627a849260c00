import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import nodePlop from 'node-plop';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.js';
import { snapshot as snapshotFiles } from '../test/support/snapshot.js';
import { main } from './cli.js';
import { registerGenerators } from './plop.js';
import { generate, REPO } from './run.js';

const exec = promisify(execFile);
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);

// One project for the whole file, inside the repository (so `@microtown/kit` resolves) but in the git-ignored .tmp/.
let root: string;
const shipping = () => join(root, 'services', 'shipping-service');
const read = (path: string) => readFile(join(root, path), 'utf8');

/** Every file of the project (data and node_modules aside) with a hash of its content. */
const snapshot = (dir = root) => snapshotFiles(dir, ['.tmp', 'data', 'node_modules']);

/** The CLI in this process: exit code and what it printed. */
const cli = (...argv: string[]) => runMain(main, root, argv);

beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  root = await mkdtemp(join(REPO, '.tmp', 'generators-test-'));
  await generate('service', ['shipping', '4105'], { root });
  await generate(
    'resource',
    ['shipping', 'parcel', 'label:string,weight:number,fragile:boolean,count:integer,contact:email'],
    { root },
  );
  await generate('resource', ['shipping', 'shipping-label'], { root });
  await generate('service', ['user', '4101'], { root });
  await generate('resource', ['user', 'box', 'name:string', 'size:integer'], { root });
  await generate('call', ['shipping', 'user'], { root });
  // A second call adds imports that the first one already brought in.
  await generate('service', ['billing', '4102'], { root });
  await generate('call', ['shipping', 'billing'], { root });
  // One type check for both services.
  const options = JSON.parse(await readFile(join(shipping(), 'tsconfig.json'), 'utf8'));
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify({ ...options, include: ['services/*/src'] }));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('what the generators write', () => {
  it('a service has the files of its template', async () => {
    await generate('service', ['fresh', '4200'], { root });
    expect(Object.keys(await snapshot(join(root, 'services', 'fresh-service')))).toEqual([
      '.gitignore',
      'Dockerfile',
      'README.md',
      'generated.json',
      'package.json',
      'service.json',
      'src/app.test.ts',
      'src/app.ts',
      'src/schemas.ts',
      'src/server.ts',
      'src/settings.ts',
      'src/store.ts',
      'src/test-app.ts',
      'tsconfig.json',
    ]);
    expect(JSON.parse(await read('services/fresh-service/package.json'))).toMatchObject({
      name: '@microtown/fresh-service',
      private: true,
      type: 'module',
      scripts: { start: 'tsx src/server.ts', test: 'vitest run' },
      dependencies: { '@microtown/kit': '*' },
    });
    await rm(join(root, 'services', 'fresh-service'), { recursive: true });
  });

  it('records ports, calls and resources in the manifests', async () => {
    expect(JSON.parse(await read('services/shipping-service/service.json'))).toEqual({
      name: 'shipping',
      port: 4105,
      calls: ['user', 'billing'],
      resources: {
        parcel: { label: 'string', weight: 'number', fragile: 'boolean', count: 'integer', contact: 'email' },
        'shipping-label': { name: 'string' },
      },
    });
  });

  it('wires each resource and call once, at its anchor', async () => {
    const app = await read('services/shipping-service/src/app.ts');
    expect(app.match(/registerParcels,/g)).toHaveLength(1);
    expect(app).toMatch(/registerShippingLabels,\n\s*\/\/ microtown:routers/);
    expect(app).toContain('user: UserClient;');
    const settings = await read('services/shipping-service/src/settings.ts');
    expect(settings).toContain("USER_SERVICE_URL: baseUrl('http://127.0.0.1:4101'),");
    expect(settings).toContain("BILLING_SERVICE_URL: baseUrl('http://127.0.0.1:4102'),");
    expect(settings.match(/import \{[^}]*\bbaseUrl\b/g)).toHaveLength(1);
    expect(await read('services/shipping-service/src/store.ts')).toContain(
      'shippingLabels: ShippingLabelPublic[];',
    );
  });

  it('type-checks (tsc --noEmit)', async () => {
    await exec(bin('tsc'), ['--noEmit', '-p', root], { cwd: root });
  }, 60_000);

  it('passes biome, the repository lint', async () => {
    await exec(bin('biome'), [
      'check',
      '--vcs-enabled=false',
      `--config-path=${REPO}`,
      join(root, 'services'),
    ]);
  });

  it("passes its own tests, over real HTTP (the services' npm test)", async () => {
    const run = (service: string) =>
      exec(bin('vitest'), ['run'], { cwd: join(root, 'services', `${service}-service`) });
    const [ship, user] = await Promise.all([run('shipping'), run('user')]);
    expect(ship.stdout).toMatch(/Test Files\s+.*3 passed/);
    expect(user.stdout).toMatch(/Test Files\s+.*2 passed/);
  }, 60_000);

  it('gives the caller a typed client that works against the callee', async () => {
    const { createUserClient } = await import(join(shipping(), 'src/clients/user.ts'));
    const { createApp } = await import(join(root, 'services/user-service/src/app.ts'));
    const { openUserStore } = await import(join(root, 'services/user-service/src/store.ts'));
    const { closeServer, serve } = await import('@microtown/kit');
    const store = await openUserStore(join(root, 'user-data.json'));
    const { server, url } = await serve(createApp(store, {}), 0);
    const user = createUserClient(url);
    try {
      expect((await user.health()).body).toEqual({ status: 'ok', service: 'user' });
      const created = await user.createBox({ name: 'crate', size: 3 });
      expect(created).toMatchObject({ status: 201, body: { name: 'crate', size: 3 } });
      expect((await user.getBox(created.body.id)).body).toEqual(created.body);
      expect((await user.listBoxes({ size: 3 })).body).toEqual({ data: [created.body], count: 1 });
      expect((await user.getBox('nope')).status).toBe(404);
    } finally {
      await user.close();
      await closeServer(server);
      await store.close();
    }
  });
});

describe('running a generator twice', () => {
  it.each([
    [['service', 'shipping', '4105'], /service "shipping" already exists \(services\/shipping-service\)/],
    [
      ['resource', 'shipping', 'parcel'],
      /resource "parcel" already exists in shipping \(src\/routes\/parcels.ts\)/,
    ],
    [['call', 'shipping', 'user'], /shipping already calls user/],
  ])('%j refuses the second time, in one line, and changes nothing', async (argv, message) => {
    const before = await snapshot();
    const { code, err, out } = await cli(...argv);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('--force regenerates what the generator created and inserts nothing twice', async () => {
    const routes = join(shipping(), 'src/routes/parcels.ts');
    await writeFile(routes, '// hand-broken\n');
    // An edited generated file is rewritten only when asked twice.
    expect(await cli('resource', 'shipping', 'parcel', '--force')).toMatchObject({
      code: 1,
      err: [
        /src\/routes\/parcels\.ts was edited since npm run generate wrote it; .*--force --force overwrites it/,
      ],
    });
    expect(await readFile(routes, 'utf8')).toBe('// hand-broken\n');
    expect((await cli('resource', 'shipping', 'parcel', '--force', '--force')).code).toBe(0);
    expect(await readFile(routes, 'utf8')).toContain('export function registerParcels');
    expect((await cli('call', 'shipping', 'user', '--force')).code).toBe(0);
    const before = await snapshot();
    expect(await cli('resource', 'shipping', 'parcel', '--force')).toMatchObject({
      code: 0,
      out: [/nothing to change/],
    });
    expect(await cli('call', 'shipping', 'user', '--force')).toMatchObject({
      code: 0,
      out: [/nothing to change/],
    });
    expect(await snapshot()).toEqual(before);
    const app = await read('services/shipping-service/src/app.ts');
    expect(app.match(/registerParcels/g)).toHaveLength(2); // the import and the list entry
    expect(app.match(/user: UserClient/g)).toHaveLength(1);
  });

  it('--force regenerates a service without resources, e.g. to move its port', async () => {
    await generate('service', ['movable', '4300'], { root });
    const { code, out } = await cli('service', 'movable', '4301', '--force');
    expect(code).toBe(0);
    expect(out).toContain('  modify services/movable-service/src/settings.ts');
    expect(JSON.parse(await read('services/movable-service/service.json')).port).toBe(4301);
    expect(await read('services/movable-service/src/settings.ts')).toContain('PORT: port(4301)');
    await rm(join(root, 'services', 'movable-service'), { recursive: true });
  });

  it('--force keeps a resource to the fields its model family has', async () => {
    const { code, err } = await cli('resource', 'shipping', 'parcel', 'name:string', '--force');
    expect(code).toBe(1);
    expect(err[0]).toMatch(/has the fields label:string,weight:number.*by hand/);
  });

  it('--force does not unwire a service that has resources', async () => {
    expect((await cli('service', 'shipping', '4105', '--force')).err[0]).toMatch(
      /remove services\/shipping-service first/,
    );
  });
});

describe('bad input', () => {
  it.each([
    [['service'], 1, /missing service name/],
    [['service', 'Shipping', '4106'], 1, /invalid service name "Shipping": use lower kebab-case/],
    [['service', '../escape', '4106'], 1, /invalid service name/],
    [['service', 'kit', '4106'], 1, /reserved/],
    [['service', 'node_modules', '4106'], 1, /lower kebab-case/],
    [['service', 'parcels'], 1, /missing port/],
    [['service', 'parcels', '80'], 1, /1024 to 65535/],
    [['service', 'parcels', '4000'], 1, /playground/],
    [['service', 'parcels', '4101'], 1, /port 4101 is taken by service "user"/],
    [['service', 'parcels', '4106', 'extra'], 1, /unexpected argument "extra"/],
    [['resource', 'nowhere', 'parcel'], 1, /unknown service "nowhere".*services: billing, shipping, user/],
    [['resource', 'shipping', 'parcels'], 1, /singular/],
    [['resource', 'shipping', 'crate', 'weight:float'], 1, /unknown type "float"/],
    [['resource', 'shipping', 'crate', 'id:string'], 1, /reserved/],
    [['resource', 'shipping', 'crate', 'constructor:string'], 1, /field name "constructor" is reserved/],
    [
      ['resource', 'shipping', 'crate', 'amount'],
      1,
      /^error: amount has no type: write amount:number \(types: string, integer, number, boolean, email\)$/,
    ],
    [
      ['resource', 'shipping', 'crate', 'name:string amount'],
      1,
      /^error: amount has no type: write amount:number \(types: string, integer, number, boolean, email\)$/,
    ],
    [['service', 'parcels', '6000'], 1, /port 6000 is one that browsers and Node's fetch refuse/],
    [['resource', 'shipping'], 1, /missing resource name/],
    [['call', 'shipping', 'shipping'], 1, /does not call itself/],
    [['call', 'shipping', 'nowhere'], 1, /unknown service "nowhere"/],
    [['call', 'shipping'], 1, /missing the service to call/],
    [
      ['widget', 'x'],
      2,
      /unknown generator "widget"; use one of service, resource, field, call, exercise \(or remove\)/,
    ],
    [
      ['service', 'parcels', '4106', '--yes'],
      2,
      /^error: Unknown option '--yes'; see npm run generate -- --help$/,
    ],
    [['--force'], 2, /need a generator/],
  ])('%j exits %i with one line and writes nothing', async (argv, exitCode, message) => {
    const before = await snapshot();
    const { code, err, out } = await cli(...argv);
    expect({ code, err, out }).toEqual({ code: exitCode, err: [expect.stringMatching(message)], out: [] });
    expect(err[0]).toMatch(/^error: /);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a service whose anchor comment was removed, before writing anything', async () => {
    const file = join(root, 'services/user-service/src/store.ts');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('// microtown:defaults', ''));
    const before = await snapshot();
    const { code, err } = await cli('resource', 'user', 'crate');
    const after = await snapshot();
    await writeFile(file, text);
    expect(code).toBe(1);
    expect(err[0]).toMatch(
      /services\/user-service\/src\/store.ts has no "microtown:defaults" anchor comment/,
    );
    expect(after).toEqual(before);
  });

  it('a run that fails half-way leaves the service as it was', async () => {
    // The router is free, but its test file is in the way: plop fails on it after other files were staged.
    const stray = join(root, 'services/user-service/src/routes/crates.test.ts');
    await writeFile(stray, '// mine\n');
    const before = await snapshot();
    const { code, err } = await cli('resource', 'user', 'crate');
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/nothing was written: .*crates.test.ts.*--force overwrites it/),
    ]);
    expect(await snapshot()).toEqual(before);
    await rm(stray);
  });
});

describe("plop's menu", () => {
  it('loads the plopfile with the five generators', async () => {
    const plop = await nodePlop(join(REPO, 'plopfile.js'));
    expect(plop.getGeneratorList().map((g) => g.name)).toEqual([
      'service',
      'resource',
      'field',
      'call',
      'exercise',
    ]);
  });

  it('runs the same checked generation from the answers, and fails as plop expects', async () => {
    const plop = await nodePlop(undefined, { destBasePath: root, force: false });
    registerGenerators(plop, root);
    const made = await plop.getGenerator('service').runActions({ name: 'menu', port: '4400' });
    expect(made.failures).toEqual([]);
    expect(existsSync(join(root, 'services/menu-service/src/app.ts'))).toBe(true);
    const again = await plop.getGenerator('service').runActions({ name: 'menu', port: '4400' });
    expect(again.failures).toEqual([
      expect.objectContaining({ error: expect.stringMatching(/already exists/) }),
    ]);
    await rm(join(root, 'services', 'menu-service'), { recursive: true });
  });
});

describe('--help', () => {
  it('shows every generator and option', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    for (const usage of [
      'service -- <name> <port>',
      'resource -- <service> <resource>',
      'call -- <from> <to>',
    ]) {
      expect(out.join('\n')).toContain(usage);
    }
    expect(out.join('\n')).toMatch(/--dry-run.*--force.*--no-install/s);
  });
});

describe('--dry-run', () => {
  it('prints what it would write and writes nothing', async () => {
    const before = await snapshot();
    const service = await cli('service', 'parcels', '4106', '--dry-run');
    expect(service.code).toBe(0);
    expect(service.out[0]).toMatch(
      /^dry run: service parcels on port 4106 would write 14 files.*nothing was written/,
    );
    expect(service.out).toContain('  create services/parcels-service/src/app.ts (23 lines)');
    const resource = await cli('resource', 'user', 'crate', 'weight:number', '--dry-run');
    expect(resource.out).toContain('  modify services/user-service/src/app.ts');
    expect(resource.out).toContain('      +   registerCrates,');
    expect(await snapshot()).toEqual(before);
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('generates a resource whose name every JavaScript object has (constructor), not "already exists"', async () => {
    const resource = await cli('resource', 'user', 'constructor', 'name:string', '--dry-run');
    expect(resource).toMatchObject({ code: 0, err: [] });
    expect(resource.out).toContain('      +   registerConstructors,');
  });

  it('is a dry run too when npm took --dry-run for itself (no -- before the arguments)', async () => {
    const before = await snapshot();
    process.env.npm_config_dry_run = 'true';
    try {
      const service = await cli('service', 'parcels', '4106');
      expect(service.code).toBe(0);
      expect(service.out[0]).toBe(
        'npm read --dry-run as its own option (put -- before the arguments); this is a dry run',
      );
      expect(service.out[1]).toMatch(/^dry run: service parcels on port 4106 would write 14 files/);
    } finally {
      delete process.env.npm_config_dry_run;
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the command line, as a process', () => {
  const run = (...argv: string[]) =>
    exec(bin('tsx'), [join(REPO, 'generators/cli.ts'), ...argv], { cwd: REPO }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('refuses with exit code 1 and one line on stderr, no stack trace', async () => {
    const [unknown, invalid] = await Promise.all([
      run('resource', 'nowhere-at-all', 'parcel'),
      run('call', 'A', 'b'),
    ]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/^error: unknown service "nowhere-at-all" [^\n]*\n$/);
    expect(invalid).toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(/^error: [^\n]*\n$/),
    });
  });

  it('does not open the menu without a terminal', async () => {
    const menu = await run();
    expect(menu).toMatchObject({ code: 2, stderr: expect.stringMatching(/menu needs a terminal/) });
  });

  it('--dry-run in the repository writes nothing', async () => {
    const dry = await run('service', 'dry-run-check', '4999', '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringMatching(/^dry run: service dry-run-check/) });
    expect(existsSync(join(REPO, 'services', 'dry-run-check-service'))).toBe(false);
  });
});
