import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GeneratorError } from './errors.js';
import { recoverInterrupted } from './journal.js';
import { GENERATORS } from './registry.js';
import { report } from './report.js';
import { generate, REPO } from './run.js';
import { linkWorkspace } from './workspace.js';

const USAGE = [
  'usage: npm run generate                                   (plop menu, asks for everything)',
  ...GENERATORS.map((g) => `       npm run generate ${g.usage} [--dry-run] [--force]`),
  'options: --dry-run (-n) writes nothing; --force (-f) overwrites generated files; --no-install skips npm install',
];

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The project to generate into (default: this repository). */
  root?: string;
}

const console_: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Options anywhere among the arguments; a lone `--` (npm passes one on) is ignored. */
function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: {
      force: { type: 'boolean', short: 'f' },
      'dry-run': { type: 'boolean', short: 'n' },
      'no-install': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * `npm run generate` without a generator opens plop's menu; with one it runs without prompts. Returns the exit code:
 * 0 done, 1 refused (one line on stderr saying why, nothing written), 2 not understood.
 */
export async function main(argv: string[], io: Io = console_): Promise<number> {
  try {
    for (const line of await recoverInterrupted(io.root ?? REPO)) io.out(line);
  } catch (error) {
    io.err(`error: could not finish a change a killed run left in .tmp/ (${(error as Error).message})`);
    return 1;
  }
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    io.err(`error: ${(error as Error).message.split('. ')[0]}; see npm run generate -- --help`);
    return 2;
  }
  const { values: flags, positionals: positional } = parsed;
  if (flags.help) {
    for (const line of USAGE) io.out(line);
    return 0;
  }
  const [name, ...args] = positional;
  if (name === undefined) {
    if (flags.force || flags['dry-run'] || flags['no-install']) {
      io.err(
        'error: --dry-run and --force need a generator, e.g. npm run generate service -- shipping 4105 --dry-run',
      );
      return 2;
    }
    if (!process.stdin.isTTY) {
      io.err(
        'error: the menu needs a terminal; without one, name the generator (npm run generate -- --help)',
      );
      return 2;
    }
    await openMenu();
    return 0;
  }
  if (!GENERATORS.some((g) => g.name === name)) {
    io.err(`error: unknown generator "${name}"; use one of ${GENERATORS.map((g) => g.name).join(', ')}`);
    return 2;
  }
  // `npm run generate service x 4107 --dry-run`, without `--`, gives the flag to npm, which leaves only this behind.
  const npmTookDryRun = process.env.npm_config_dry_run === 'true' && flags['dry-run'] !== true;
  if (npmTookDryRun)
    io.out('npm read --dry-run as its own option (put -- before the arguments); this is a dry run');
  const dryRun = flags['dry-run'] === true || npmTookDryRun;
  try {
    const result = await generate(name, args, {
      root: io.root,
      dryRun,
      force: flags.force === true,
    });
    const link = result.createdService && io.root === undefined && !flags['no-install'];
    const note = link ? await linkWorkspace(REPO, result.folder) : undefined;
    for (const line of report(result, dryRun, note)) io.out(line);
    return 0;
  } catch (error) {
    if (error instanceof GeneratorError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    if (process.env.MICROTOWN_DEBUG) throw error;
    io.err(`error: ${(error as Error).message} (MICROTOWN_DEBUG=1 shows where)`);
    return 1;
  }
}

/** Plop's own menu, in this process, so the TypeScript plopfile loads through the tsx that runs this CLI. */
async function openMenu(): Promise<void> {
  const { Plop, run } = await import('plop');
  Plop.prepare({ cwd: REPO, configPath: join(REPO, 'plopfile.js') }, (env) =>
    Plop.execute(env, (liftoffEnv) => run(liftoffEnv, undefined, false)),
  );
}

if (process.argv[1] === import.meta.filename) {
  // `npm run generate ... | head` closes the pipe early: that is not an error of the generator.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
}
