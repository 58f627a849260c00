// `npm run reset [service...]`: back to the seed data. A running town (`npm start`) resets itself through its
// playground, which can stop and start its services; otherwise this removes the data files, and each service writes
// its seed when it next starts.
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { lockHolder, readSettings, z } from '@microtown/kit';
import { dataFileOf, HOST, PLAYGROUND_PORT, readServices, type ServiceFolder } from '@microtown/kit/town';

const ROOT = join(import.meta.dirname, '..');

const USAGE = [
  'usage: npm run reset [-- <service>...] [-- --yes]',
  "  puts the named services (every one by default) back to their seed data: the running town's playground",
  '  restarts them; with no town running, their data files are removed and each writes its seed when it starts',
  '  --yes    reset the whole town without asking',
  '  with npm start, TOWN_PORT_OFFSET and TOWN_DATA_DIR as npm start had them',
];

/** As `npm start` reads them: the same offset finds the same town, the same folder its data files. */
const Settings = z.object({
  TOWN_PORT_OFFSET: z.coerce.number().int().min(-3000).max(50_000).default(0),
  TOWN_DATA_DIR: z.string().optional(),
});

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Asks a yes/no question at the terminal; undefined when there is none to ask at. */
  ask?: (question: string) => Promise<string>;
}

const shown = (file: string) => {
  const inside = relative(ROOT, file);
  return inside.startsWith('..') ? file : inside;
};

/** The services asked for, in the town's order; an unknown name is refused, naming the known ones. */
function choose(all: ServiceFolder[], names: string[]): ServiceFolder[] {
  const unknown = names.filter((name) => !all.some((s) => s.name === name));
  if (unknown.length > 0) {
    const known = all.map((s) => s.name).join(', ') || 'none yet';
    throw new Error(`no service ${unknown.join(', ')} in this town (its services: ${known})`);
  }
  return names.length === 0 ? all : all.filter((s) => names.includes(s.name));
}

/** The whole town is a lot to lose: asked at a terminal, `--yes` elsewhere. Naming services is consent enough. */
async function confirmTown(io: Io, yes: boolean): Promise<void> {
  if (yes) return;
  if (!io.ask) {
    throw new Error(
      'resetting every service needs --yes when there is no terminal to ask: npm run reset -- --yes, or name them',
    );
  }
  const answer = await io.ask("reset every service's data to its seed? [y/N] ");
  if (!/^y(es)?$/i.test(answer.trim())) throw new Error('not confirmed: nothing was reset');
}

/**
 * Asks the running town's playground to reset, which stops each service, removes its data and starts it again.
 * Returns false when no playground of `npm start` answers (none running, or one run alone without its services).
 */
async function resetThroughTown(url: string, services: ServiceFolder[], whole: boolean, io: Io) {
  const steps = whole
    ? [{ path: '/api/reset', names: services.map((s) => s.name) }]
    : services.map((s) => ({ path: `/api/services/${s.name}/reset`, names: [s.name] }));
  for (const [i, { path, names }] of steps.entries()) {
    let response: Response;
    try {
      // Generous: a reset waits for each service to stop and answer /health again.
      response = await fetch(`${url}${path}`, { method: 'POST', signal: AbortSignal.timeout(120_000) });
    } catch {
      if (i === 0) return false;
      throw new Error(
        `${url} stopped answering while resetting ${names.join(', ')}; run npm run reset again`,
      );
    }
    // 404: not a playground with resets; 409: a playground run alone, without the town's processes to restart.
    if (i === 0 && (response.status === 404 || response.status === 409)) return false;
    if (!response.ok) throw new Error(`the town at ${url} could not reset: ${await detailOf(response)}`);
    for (const name of names) io.out(`${name}: reset to its seed data by the running town (${url})`);
  }
  return true;
}

async function detailOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const detail = (JSON.parse(text) as { detail?: unknown }).detail;
    return typeof detail === 'string' ? detail : `${response.status} ${text}`;
  } catch {
    return `${response.status} ${text.slice(0, 200)}`;
  }
}

/**
 * Removes each data file and its journal, once none of them is in use: a running service keeps its data in memory
 * and would write it all back, so removing its file would reset nothing.
 */
async function resetFiles(services: ServiceFolder[], dataDir: string | undefined, io: Io): Promise<void> {
  const files = services.map((s) => ({ name: s.name, file: dataFileOf(s, dataDir) }));
  for (const { name, file } of files) {
    const holder = await lockHolder(file);
    if (holder) {
      throw new Error(
        `${name} is running (${holder} holds ${shown(file)}.lock): stop it first, or reset from the town's page`,
      );
    }
  }
  for (const { name, file } of files) {
    const had = existsSync(file) || existsSync(`${file}.journal`);
    await rm(`${file}.journal`, { force: true });
    await rm(file, { force: true });
    io.out(
      had
        ? `${name}: removed ${shown(file)}; it starts from its seed data`
        : `${name}: no ${shown(file)} yet; it starts from its seed data`,
    );
  }
}

/** `npm run reset`: 0 reset, 1 refused (one line, nothing reset), 2 not understood. */
export async function main(argv: string[], io: Io): Promise<number> {
  let parsed: { values: { yes?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`npm run reset: ${(error as Error).message.split('\n')[0]}; see npm run reset -- --help`);
    return 2;
  }
  if (parsed.values.help) {
    for (const line of USAGE) io.out(line);
    return 0;
  }
  try {
    const settings = readSettings(Settings);
    const names = [...new Set(parsed.positionals)];
    const services = choose(await readServices(ROOT), names);
    if (names.length === 0) await confirmTown(io, parsed.values.yes === true);
    const url = `http://${HOST}:${PLAYGROUND_PORT + settings.TOWN_PORT_OFFSET}`;
    const done = await resetThroughTown(url, services, names.length === 0, io);
    if (!done) await resetFiles(services, settings.TOWN_DATA_DIR, io);
    return 0;
  } catch (error) {
    io.err(`npm run reset: ${(error as Error).message}`);
    return 1;
  }
}

/** The question goes to stderr, so that `npm run reset > log` still shows it at the terminal. */
async function ask(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

if (process.argv[1] === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    ask: process.stdin.isTTY ? ask : undefined,
  });
}
