import { join } from 'node:path';
import { readSettings, z } from '@microtown/kit';
import {
  HOST,
  PLAYGROUND_PORT,
  readServices,
  type ServiceFolder,
  serviceUrlVariable,
} from '@microtown/kit/town';
import { concurrently } from 'concurrently';
import { untilHealthy } from './health.js';

const ROOT = join(import.meta.dirname, '..');

const COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'];
const HEALTH_TIMEOUT_MS = 20_000;

/** For tests and a second town beside the first: move every port, keep every data file elsewhere. */
const Settings = z.object({
  TOWN_PORT_OFFSET: z.coerce.number().int().min(-3000).max(50_000).default(0),
  TOWN_DATA_DIR: z.string().optional(),
});

/**
 * `<NAME>_SERVICE_URL` for every service of the town. The services get the playground's `/svc/<name>`, so every
 * call between them passes through it and shows in its diagram; the playground gets where each really listens.
 */
function peerUrls(services: ServiceFolder[], via?: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services)
    env[serviceUrlVariable(s.name)] = via ? `${via}/svc/${s.name}` : `http://${HOST}:${s.port}`;
  return env;
}

function printTable(rows: { name: string; url: string; up: boolean }[]) {
  const width = Math.max(...rows.map((r) => r.name.length), 'service'.length);
  const lines = rows.map(
    (r) =>
      `  ${r.name.padEnd(width)}  ${(r.up ? 'up' : 'DOWN').padEnd(5)}  ${r.url.padEnd(24)}  ${r.url}/docs`,
  );
  console.log(
    ['', `  ${'service'.padEnd(width)}  state  ${'API'.padEnd(24)}  docs`, ...lines, ''].join('\n'),
  );
}

async function main() {
  const settings = readSettings(Settings);
  const services = (await readServices(ROOT)).map((s) => ({
    ...s,
    port: s.port + settings.TOWN_PORT_OFFSET,
  }));
  if (services.length === 0) {
    console.log('No services yet: create one with `npm run generate service -- <name> <port>`.');
    return;
  }
  const playground = `http://${HOST}:${PLAYGROUND_PORT + settings.TOWN_PORT_OFFSET}`;
  const env = peerUrls(services, playground);
  const { result, commands } = concurrently(
    [
      ...services.map((s, i) => ({
        name: s.name,
        command: 'node --import tsx src/server.ts',
        cwd: s.dir,
        env: {
          ...env,
          PORT: String(s.port),
          HOST,
          ...(settings.TOWN_DATA_DIR ? { DATA_FILE: join(settings.TOWN_DATA_DIR, `${s.name}.json`) } : {}),
        },
        prefixColor: COLORS[i % COLORS.length],
      })),
      {
        name: 'playground',
        command: 'node --import tsx server/server.ts',
        cwd: join(ROOT, 'playground'),
        env: { ...peerUrls(services), PORT: new URL(playground).port, HOST },
        prefixColor: 'white',
      },
    ],
    { prefix: 'name', killOthersOn: [], handleInput: false },
  );
  result.catch(() => undefined);
  // A service that exits while starting (port in use, corrupt data file) is not waited for.
  const exited = new Set<string>();
  for (const command of commands) command.close.subscribe(() => exited.add(command.name));

  const started = Date.now();
  const rows = await Promise.all(
    [...services, { name: 'playground', port: new URL(playground).port }].map(async (s) => {
      const url = `http://${HOST}:${s.port}`;
      const up = await untilHealthy(`${url}/health`, started + HEALTH_TIMEOUT_MS, () => exited.has(s.name));
      return { name: s.name, url, up };
    }),
  );
  printTable(rows);
  const down = rows.filter((r) => !r.up).map((r) => r.name);
  if (down.includes('playground')) {
    console.log(
      `The playground is not answering at ${playground} (see its lines above): the services reach each other ` +
        'through it, so their calls to each other fail until it runs.',
    );
  }
  console.log(
    down.length
      ? `Not answering /health: ${down.join(', ')} (see its lines above). The others keep running; Ctrl-C stops all.`
      : `The town is up in ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
          `Open ${playground} to watch it and call it. Ctrl-C stops everything.`,
  );
}

main().catch((error: Error) => {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
