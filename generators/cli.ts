import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { failureLine } from '@microtown/kit/town';
import nodePlop from 'node-plop';
import { GeneratorError } from './errors.js';
import type { Answers } from './generator.js';
import { recoverInterrupted } from './journal.js';
import { registerGenerators } from './plop.js';
import { GENERATORS } from './registry.js';
import { REMOVE_USAGE, removeGenerated } from './remove.js';
import { report } from './report.js';
import { generate, REPO } from './run.js';
import { linkWorkspace } from './workspace.js';

const USAGE = [
  'usage: npm run generate [-- --dry-run]                    (plop menu, asks for everything)',
  ...GENERATORS.map((g) => `       npm run generate ${g.usage} [--dry-run] [--force]`),
  `       npm run generate ${REMOVE_USAGE} [--dry-run]`,
  'options: --dry-run (-n) writes nothing; --force (-f) overwrites generated files, twice (-ff) edited ones too;',
  '         --no-install skips npm install',
];

/** A generator and its answers, as the menu collected them. */
export interface Picked {
  generator: string;
  answers: Answers;
}

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The project to generate into (default: `TOWN_ROOT`, or else this repository). */
  root?: string;
  /** Asks which generator and its questions (default: plop's prompts, which need a terminal). */
  menu?: (root: string) => Promise<Picked>;
}

const console_: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Options anywhere among the arguments; a lone `--` (npm passes one on) is ignored. */
function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: {
      force: { type: 'boolean', short: 'f', multiple: true },
      'dry-run': { type: 'boolean', short: 'n' },
      'no-install': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * `npm run generate` without a generator opens plop's menu; with one it runs without prompts. Either way the same
 * run prints the same lines. Returns the exit code: 0 done, 1 refused (one line on stderr saying why, nothing
 * written), 2 not understood.
 */
export async function main(argv: string[], io: Io = console_): Promise<number> {
  const root = resolve(io.root ?? process.env.TOWN_ROOT ?? REPO);
  try {
    for (const line of await recoverInterrupted(root)) io.out(line);
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
  if (name === undefined && (flags.force || flags['no-install'])) {
    io.err(
      'error: --force and --no-install need a generator, e.g. npm run generate service -- shipping 4105 --force',
    );
    return 2;
  }
  if (name !== undefined && name !== 'remove' && !GENERATORS.some((g) => g.name === name)) {
    io.err(
      `error: unknown generator "${name}"; use one of ${GENERATORS.map((g) => g.name).join(', ')} (or remove)`,
    );
    return 2;
  }
  // `npm run generate service x 4107 --dry-run`, without `--`, gives the flag to npm, which leaves only this behind.
  const npmTookDryRun = process.env.npm_config_dry_run === 'true' && flags['dry-run'] !== true;
  const dryRun = flags['dry-run'] === true || npmTookDryRun;
  try {
    let input: string[] | Answers = args;
    let generator = name;
    if (generator === undefined) {
      const picked = await (io.menu ?? openMenu)(root);
      ({ generator, answers: input } = picked);
    }
    if (npmTookDryRun)
      io.out('npm read --dry-run as its own option (put -- before the arguments); this is a dry run');
    const force = flags.force?.length ?? 0;
    if (generator === 'remove') {
      if (force > 0)
        throw new GeneratorError('remove has no --force: it takes back only what was not edited since');
      const result = await removeGenerated(args, { root, dryRun });
      const unlink = result.changes.length > 0 && args[0] === 'service' && !dryRun && root === REPO;
      const note =
        unlink && !flags['no-install'] ? await linkWorkspace(REPO, result.folder, true) : undefined;
      for (const line of report(result, dryRun, note)) io.out(line);
      return 0;
    }
    const result = await generate(generator, input, {
      root,
      dryRun,
      force: force > 0,
      forceEdited: force > 1,
    });
    const link = result.createdService && root === REPO && !flags['no-install'];
    const note = link ? await linkWorkspace(REPO, result.folder) : undefined;
    for (const line of report(result, dryRun, note)) io.out(line);
    return 0;
  } catch (error) {
    if (error instanceof MenuUnavailable) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    io.err(failureLine(error));
    return 1;
  }
}

class MenuUnavailable extends Error {}

/**
 * Plop's prompts, with every check as a validator (a wrong answer is retyped, not fatal); the run itself is the
 * command line's, so that the menu prints what the command line prints.
 */
async function openMenu(root: string): Promise<Picked> {
  if (!process.stdin.isTTY)
    throw new MenuUnavailable(
      'the menu needs a terminal; without one, name the generator (npm run generate -- --help)',
    );
  const plop = await nodePlop(undefined, { destBasePath: root, force: false });
  registerGenerators(plop, root);
  const chooser = plop.setGenerator('choose', {
    description: 'pick a generator',
    prompts: [
      {
        type: 'list',
        name: 'generator',
        message: plop.getWelcomeMessage(),
        choices: GENERATORS.map((g) => ({ name: `${g.name} - ${g.description}`, value: g.name })),
      },
    ],
  });
  const { generator } = (await chooser.runPrompts()) as { generator: string };
  return { generator, answers: await plop.getGenerator(generator).runPrompts() };
}

if (process.argv[1] === import.meta.filename) {
  // `npm run generate ... | head` closes the pipe early: that is not an error of the generator.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await main(process.argv.slice(2));
}
