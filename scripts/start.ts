import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readSettings, z } from '@microtown/kit';
import {
  dataFileOf,
  type FromPlayground,
  formatLogEntry,
  type Launch,
  type PlannedService,
  planTown,
  plural,
  serviceUrlVariable,
  stopOnSignal,
  type TownEvent,
  UserMistake,
} from '@microtown/kit/town';
import { untilHealthy } from './health.js';
import { reloadsOn, withExercise } from './town/exercise-town.js';
import { watchNewServices } from './town/new-services.js';
import { type PlaygroundChild, runPlayground } from './town/playground-child.js';
import { createRelay } from './town/relay.js';
import { type Supervised, supervise } from './town/supervisor.js';

const ROOT = join(import.meta.dirname, '..');

const COLORS = [36, 35, 33, 32, 34, 31];
const HEALTH_TIMEOUT_MS = 20_000;
/**
 * The first start builds the page (it says so): the playground is waited for while it runs, however slow the machine,
 * and given up on only when it could not start.
 */
const PLAYGROUND_TIMEOUT_MS = 600_000;

/** For tests and a second town beside the first: move every port, keep every data file elsewhere. */
const Settings = z.object({
  TOWN_PORT_OFFSET: z.coerce.number().int().min(-3000).max(50_000).default(0),
  TOWN_DATA_DIR: z.string().optional(),
  /** A town elsewhere: its services/ folder is run in place of this repository's (the workbench's tests use it). */
  TOWN_ROOT: z.string().optional(),
  LOG_FORMAT: z.enum(['pretty', 'json']).default('pretty'),
});

const USAGE = 'usage: npm start [-- --exercise <NN> [--impl <folder>]] [--no-watch] [--no-check]';
const HELP = `${USAGE}
  --exercise <NN>  run the exercise's services from its starter (or --impl <folder>) in place of the town's
  --impl <folder>  the learner's implementation of the exercise (default: its starter)
  --no-watch       do not restart a service when one of its files is saved
  --no-check       hide the playground's "Check my work" (a teacher's choice)`;

function readArgs() {
  try {
    const { values } = parseArgs({
      options: {
        exercise: { type: 'string' },
        impl: { type: 'string' },
        'no-watch': { type: 'boolean', default: false },
        'no-check': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    });
    return values;
  } catch (error) {
    throw new UserMistake(`${(error as Error).message}; ${USAGE}`);
  }
}

const colored = process.stdout.isTTY && !process.env.NO_COLOR && process.env.FORCE_COLOR !== '0';
const paint = (code: number, text: string) => (colored ? `\x1b[${code}m${text}\x1b[0m` : text);

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

/**
 * What the terminal shows of an event, under its service's name: a JSON log line made readable (as printed with
 * LOG_FORMAT=json), a plain line as printed, a reload, a crash or a new service in words.
 */
function terminalLine(event: TownEvent, format: 'pretty' | 'json'): string | undefined {
  if (event.type === 'log') return format === 'json' ? event.line : formatLogEntry(event.entry);
  if (event.type === 'service') return `new service: joins the town at ${event.url}`;
  if (event.state === 'starting' && event.file) return `${event.file} changed: restarting`;
  if (event.state === 'up' && event.file) return `reloaded (${event.file})`;
  if (event.state === 'crashed') return `crashed: ${event.reason}; it starts again on the next save`;
  return undefined;
}

async function main() {
  const args = readArgs();
  if (args.help) {
    console.log(HELP);
    return;
  }
  const settings = readSettings(Settings);
  const townRoot = settings.TOWN_ROOT ?? ROOT;
  const planOptions = {
    offset: settings.TOWN_PORT_OFFSET,
    dataDir: settings.TOWN_DATA_DIR,
    playground: true,
  };
  const plan = await planTown(townRoot, planOptions);
  if (args.impl && !args.exercise) throw new UserMistake(`--impl needs --exercise <NN>; ${USAGE}`);
  const chosen = args.exercise ? withExercise(plan.services, args.exercise, args.impl) : undefined;
  const services = chosen?.services ?? plan.services;
  // The playground is this repository's, in front of whichever town is run.
  const playgroundLaunch: Launch = {
    ...(plan.playground as Launch),
    cwd: join(ROOT, 'playground'),
    env: {
      ...plan.playground?.env,
      TOWN_ROOT: townRoot,
      ...(chosen && {
        TOWN_EXERCISE: chosen.town.exercise.folder,
        TOWN_EXERCISE_IMPL: chosen.town.impl.dir,
        TOWN_LEARNER_SERVICES: chosen.town.learners.join(','),
      }),
      ...(args['no-check'] && { PLAYGROUND_CHECK: 'off' }),
    },
  };
  if (services.length === 0) {
    console.log('No services yet: create one with `npm run generate service -- <name> <port>`.');
    return;
  }

  const width = Math.max(...[...services, playgroundLaunch].map((s) => s.name.length));
  const colorOf = new Map(services.map((s, i) => [s.name, COLORS[i % COLORS.length] as number]));
  const print = (name: string, line: string) =>
    console.log(`${paint(colorOf.get(name) ?? 37, `[${name}]`.padEnd(width + 2))} ${line}`);

  // The playground hears every event, and the recent ones again whenever it (re)starts.
  let playground: PlaygroundChild | undefined;
  // Until it says it is ready (it builds the page first), what happens is kept for it, not sent.
  let ready = false;
  const relay = createRelay((events) => ready && playground?.send({ type: 'events', events }));
  const onEvent = (event: TownEvent) => {
    const line = terminalLine(event, settings.LOG_FORMAT);
    if (line) print(event.type === 'log' ? event.entry.service : event.service, line);
    relay.push(event);
  };

  const supervised = new Map<string, Supervised<PlannedService>>(
    services.map((s) => [
      s.name,
      supervise(s, { watch: !args['no-watch'], onEvent, reloadsOn: reloadsOn(s, services) }),
    ]),
  );
  const reset = async (names: string[]) => {
    for (const name of names) {
      const service = supervised.get(name);
      if (!service) throw new UserMistake(`no service "${name}" in this town`);
      const file = service.launch.env.DATA_FILE ?? dataFileOf(service.launch.manifest);
      await service.restart(undefined, async () => {
        for (const path of [file, `${file}.journal`]) await rm(path, { force: true });
      });
      print(name, 'data reset to its seed');
    }
  };
  const onMessage = (message: FromPlayground) => {
    if (message.type === 'ready') {
      ready = true;
      playground?.send({ type: 'events', events: relay.recent() });
    }
    if (message.type === 'reset') {
      reset(message.services).then(
        () => playground?.send({ type: 'done', id: message.id }),
        (error: Error) => playground?.send({ type: 'done', id: message.id, error: error.message }),
      );
    }
  };
  playground = runPlayground(playgroundLaunch, {
    print: (line) => print('playground', line),
    onMessage,
    onRestart: (line) => {
      ready = false;
      print('playground', line);
    },
  });

  const stopping = stopOnSignal(async () => {
    await joining.close();
    await Promise.all([...supervised.values()].map((s) => s.close()));
    await playground?.stop();
  }, 8000);
  // Each service runs in a process group of its own (to stop all it started); if this process ends any other way
  // than by stop(), they end with it.
  process.on('exit', () => {
    for (const service of supervised.values()) service.kill();
    playground?.kill();
  });

  if (chosen) {
    const { exercise, impl, learners, notSubmitted } = chosen.town;
    console.log(`exercise ${exercise.folder}: ${learners.join(', ') || 'none'} from ${impl.label}`);
    if (notSubmitted.length) {
      console.log(
        `  not in ${impl.label}/implementation.json: ${notSubmitted.join(', ')} (the town's own runs)`,
      );
    }
  }
  // A service generated while the town runs joins it: started, watched, proxied, and known to the others (their
  // next restart gives them its <NAME>_SERVICE_URL).
  const joining = watchNewServices(townRoot, new Set(supervised.keys()), async (name) => {
    const joined = (await planTown(townRoot, planOptions)).services.find((s) => s.name === name);
    if (!joined || supervised.has(name) || stopping()) return;
    const variable = serviceUrlVariable(name);
    for (const other of supervised.values()) other.launch.env[variable] = joined.env[variable] as string;
    const service = supervise(joined, { watch: !args['no-watch'], onEvent });
    supervised.set(name, service);
    colorOf.set(name, COLORS[supervised.size % COLORS.length] as number);
    onEvent({
      type: 'service',
      service: name,
      url: joined.url,
      calls: joined.manifest.calls,
      lists: Object.keys(joined.manifest.resources).map(plural),
      dataFile: joined.env.DATA_FILE ?? dataFileOf(joined.manifest),
      at: new Date().toISOString(),
    });
    await service.start(HEALTH_TIMEOUT_MS);
  });

  const started = Date.now();
  const [playgroundUp, ...servicesUp] = await Promise.all([
    untilHealthy(`${playgroundLaunch.url}/health`, started + PLAYGROUND_TIMEOUT_MS, () =>
      Boolean(playground?.gone()),
    ),
    ...[...supervised.values()].map((s) => s.start(HEALTH_TIMEOUT_MS)),
  ]);
  const rows = [
    ...services.map((s, i) => ({ name: s.name, url: s.url, up: Boolean(servicesUp[i]) })),
    { name: 'playground', url: playgroundLaunch.url, up: Boolean(playgroundUp) },
  ];
  printTable(rows);
  const down = rows.filter((r) => !r.up).map((r) => r.name);
  if (down.includes('playground')) {
    console.log(
      `The playground is not answering at ${playgroundLaunch.url} (see its lines above): the services reach each ` +
        'other through it, so their calls to each other fail until it runs.',
    );
  }
  const watching = args['no-watch'] ? '' : ' Saving a file of a service restarts it.';
  console.log(
    down.length
      ? `Not answering /health: ${down.join(', ')} (see its lines above). The others keep running; Ctrl-C stops all.`
      : `The town is up in ${((Date.now() - started) / 1000).toFixed(1)} s. ` +
          `Open ${playgroundLaunch.url} to watch it and call it.${watching} Ctrl-C stops everything.`,
  );
}

main().catch((error: Error) => {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
