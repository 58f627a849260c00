import { join } from 'node:path';
import { readSettings, z } from '@microtown/kit';
import { type Launch, planTown } from '@microtown/kit/town';
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

/** An argument as the shell reads it back: as it is when plain, else in single quotes. */
const shellWord = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

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
  const plan = await planTown(ROOT, {
    offset: settings.TOWN_PORT_OFFSET,
    dataDir: settings.TOWN_DATA_DIR,
    playground: true,
  });
  const { services } = plan;
  const playground = plan.playground as Launch;
  if (services.length === 0) {
    console.log('No services yet: create one with `npm run generate service -- <name> <port>`.');
    return;
  }
  const { result, commands } = concurrently(
    [...services, playground].map((s, i) => ({
      name: s.name,
      command: s.command.map(shellWord).join(' '),
      cwd: s.cwd,
      env: s.env,
      prefixColor: s === playground ? 'white' : COLORS[i % COLORS.length],
    })),
    { prefix: 'name', killOthersOn: [], handleInput: false },
  );
  result.catch(() => undefined);
  // A service that exits while starting (port in use, corrupt data file) is not waited for.
  const exited = new Set<string>();
  for (const command of commands) command.close.subscribe(() => exited.add(command.name));

  const started = Date.now();
  const rows = await Promise.all(
    [...services, playground].map(async ({ name, url }) => {
      const up = await untilHealthy(`${url}/health`, started + HEALTH_TIMEOUT_MS, () => exited.has(name));
      return { name, url, up };
    }),
  );
  printTable(rows);
  const down = rows.filter((r) => !r.up).map((r) => r.name);
  if (down.includes('playground')) {
    console.log(
      `The playground is not answering at ${playground.url} (see its lines above): the services reach each other ` +
        'through it, so their calls to each other fail until it runs.',
    );
  }
  console.log(
    down.length
      ? `Not answering /health: ${down.join(', ')} (see its lines above). The others keep running; Ctrl-C stops all.`
      : `The town is up in ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
          `Open ${playground.url} to watch it and call it. Ctrl-C stops everything.`,
  );
}

main().catch((error: Error) => {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
