import { join } from 'node:path';
import { concurrently } from 'concurrently';
import { readSettings, z } from '../kit/src/index.js';
import { readServices, type ServiceFolder } from './services.js';

const ROOT = join(import.meta.dirname, '..');
const HOST = '127.0.0.1';
const COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'];
const HEALTH_TIMEOUT_MS = 20_000;

/** For tests and a second town beside the first: move every port, keep every data file elsewhere. */
const Settings = z.object({
  TOWN_PORT_OFFSET: z.coerce.number().int().min(-3000).max(50_000).default(0),
  TOWN_DATA_DIR: z.string().optional(),
});

/** `<NAME>_SERVICE_URL` for every service of the town, so each finds the others. */
function peerUrls(services: ServiceFolder[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services)
    env[`${s.name.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`] = `http://${HOST}:${s.port}`;
  return env;
}

async function healthy(url: string, deadline: number, exited: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && !exited()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
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
  const env = peerUrls(services);
  const { result, commands } = concurrently(
    services.map((s, i) => ({
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
    { prefix: 'name', killOthersOn: [], handleInput: false },
  );
  result.catch(() => undefined);
  // A service that exits while starting (port in use, corrupt data file) is not waited for.
  const exited = new Set<string>();
  for (const command of commands) command.close.subscribe(() => exited.add(command.name));

  const started = Date.now();
  const rows = await Promise.all(
    services.map(async (s) => {
      const url = `http://${HOST}:${s.port}`;
      const up = await healthy(`${url}/health`, started + HEALTH_TIMEOUT_MS, () => exited.has(s.name));
      return { name: s.name, url, up };
    }),
  );
  printTable(rows);
  const down = rows.filter((r) => !r.up).map((r) => r.name);
  console.log(
    down.length
      ? `Not answering /health: ${down.join(', ')} (see its lines above). The others keep running; Ctrl-C stops all.`
      : `The town is up in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.`,
  );
}

main().catch((error: Error) => {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
