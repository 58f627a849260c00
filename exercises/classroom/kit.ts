// `npm run classroom -- <exercise> <folder> [--hints full|brief|none] [--grader <owner/repo>] [--ref <ref>]
//                        [--gradescope <folder>]`
//
// Writes a learner's repository for one exercise: its starter, its README, an implementation.json that starts the
// starter from there, and a GitHub Classroom workflow that grades each push with microtown's grader. Nothing else:
// no reference, no fixtures, no corpus. `--gradescope` also writes a Gradescope autograder folder (setup.sh,
// run_autograder and the grader) to zip and upload. See docs/classroom.md.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hintLevel } from '../grader/args.js';
import { GradeError } from '../grader/checks.js';
import { type Exercise, findExercise, REPO } from '../grader/exercise.js';
import { type Command, loadImplementation } from '../grader/implementation.js';
import type { HintLevel } from '../grader/score.js';

export const USAGE = `usage: npm run classroom -- <exercise> <folder> [--hints full|brief|none] [--grader <owner/repo>]
                             [--ref <ref>] [--gradescope <folder>]
  <exercise>     01 ... 05, or its folder name
  <folder>       where the learner's repository is written (a new or empty folder)
  --hints        how much the grader's hints tell the learner: full (default), brief or none
  --grader       the GitHub repository of microtown that grades the pushes (default: microtown/microtown)
  --ref          its branch or tag (default: main)
  --gradescope   also write a Gradescope autograder folder there, to zip and upload`;

const TEMPLATES = import.meta.dirname;
const TSX = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies?.tsx as string;

export interface KitOptions {
  exercise: string;
  folder: string;
  hints: HintLevel;
  grader: string;
  ref: string;
  gradescope?: string;
}

export function readKitArgs(argv: string[]): KitOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new GradeError(`${(error as Error).message.split('\n')[0]} (npm run classroom -- --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [exercise, folder, extra] = positionals;
  if (!exercise || !folder)
    throw new GradeError('name the exercise and the folder, e.g. npm run classroom -- 01 ../learner-01');
  if (extra) throw new GradeError(`unexpected argument "${extra}"`);
  const hints = hintLevel(values.hints);
  const grader = values.grader ?? 'microtown/microtown';
  if (!/^[\w.-]+\/[\w.-]+$/.test(grader))
    throw new GradeError(`--grader ${grader}: write it as <owner>/<repo>`);
  return {
    exercise,
    folder,
    hints,
    grader,
    ref: values.ref ?? 'main',
    gradescope: values.gradescope,
  };
}

const parse = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      hints: { type: 'string' },
      grader: { type: 'string' },
      ref: { type: 'string' },
      gradescope: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });

/** A folder to write into: new, or empty. */
function freshFolder(folder: string, option: string): string {
  const dir = resolve(folder);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new GradeError(`${option}${folder} is not empty; name a new folder, nothing there is overwritten`);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`template value ${key} is not given`);
    return values[key] as string;
  });

/**
 * The starter's files, and the files its commands name outside it (exercise 04 starts from 03's orders.ts), copied
 * to the top of the learner's repository, with the commands rewritten to start them from there.
 */
function copyStarter(exercise: Exercise, to: string): Record<string, Pick<Command, 'command'>> {
  const starter = loadImplementation(exercise);
  cpSync(starter.dir, to, { recursive: true });
  const services: Record<string, Pick<Command, 'command'> & { env?: Record<string, string> }> = {};
  for (const [name, spec] of Object.entries(starter.services)) {
    if (spec === 'town')
      throw new GradeError(`${starter.label}/implementation.json: "${name}" is "town" in a starter`);
    const cwd = resolve(starter.dir, spec.cwd);
    const command = spec.command.map((arg) => {
      const file = resolve(cwd, arg);
      const outside = relative(starter.dir, file).startsWith('..');
      if (isAbsolute(arg) || !outside || !existsSync(file)) return arg;
      const copy = join(to, basename(file));
      if (existsSync(copy) && readFileSync(copy, 'utf8') !== readFileSync(file, 'utf8')) {
        throw new GradeError(`${starter.label}: two starter files are called ${basename(file)}`);
      }
      cpSync(file, copy);
      return basename(file);
    });
    services[name] = Object.keys(spec.env).length ? { command, env: spec.env } : { command };
  }
  return services;
}

export interface Written {
  files: string[];
  gradescope?: string[];
}

/** Writes the learner's repository (and the Gradescope folder); returns the files written, relative to each. */
export function writeKit(options: KitOptions): Written {
  const exercise = findExercise(options.exercise);
  const repo = freshFolder(options.folder, '');
  const gradescope = options.gradescope ? freshFolder(options.gradescope, '--gradescope ') : undefined;
  const services = copyStarter(exercise, repo);
  if (Object.keys(services).length > 0) {
    writeFileSync(join(repo, 'implementation.json'), `${JSON.stringify({ services }, null, 2)}\n`);
  }
  const usesTsx = Object.values(services).some((s) => s.command.includes('tsx'));
  if (usesTsx) {
    const pkg = {
      name: `microtown-${exercise.folder}`,
      private: true,
      type: 'module',
      devDependencies: { tsx: TSX },
    };
    writeFileSync(join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  }
  const values = {
    EXERCISE: exercise.folder,
    NUMBER: exercise.folder.slice(0, 2),
    TITLE: exercise.config.title,
    HINTS: options.hints,
    GRADER: options.grader,
    REF: options.ref,
  };
  const readme = readFileSync(join(exercise.dir, 'README.md'), 'utf8');
  writeFileSync(
    join(repo, 'README.md'),
    `${fill(readFileSync(join(TEMPLATES, 'learner-readme.md'), 'utf8'), values)}\n${readme}`,
  );
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\ngrade-report/\ndata/\n__pycache__/\n');
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
  writeFileSync(
    join(repo, '.github', 'workflows', 'classroom.yml'),
    fill(readFileSync(join(TEMPLATES, 'classroom.yml'), 'utf8'), values),
  );
  const written: Written = { files: listFiles(repo) };
  if (gradescope) {
    copyGrader(join(gradescope, 'microtown'));
    for (const file of ['setup.sh', 'run_autograder']) {
      writeFileSync(join(gradescope, file), readFileSync(join(TEMPLATES, 'gradescope', file), 'utf8'), {
        mode: 0o755,
      });
    }
    writeFileSync(
      join(gradescope, 'autograder.env'),
      `EXERCISE=${exercise.folder}\nHINTS=${options.hints}\n`,
    );
    written.gradescope = listFiles(gradescope).filter((f) => !f.startsWith('microtown/'));
  }
  return written;
}

/** The grader for Gradescope: microtown's committed files, without the corpus of learner submissions. */
function copyGrader(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f && !f.startsWith('exercises/corpus/') && existsSync(join(REPO, f)));
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(REPO, file), join(to, file));
  }
}

function listFiles(dir: string, under = ''): string[] {
  return readdirSync(join(dir, under), { withFileTypes: true })
    .flatMap((entry) => {
      const path = under ? `${under}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, path) : [path];
    })
    .sort();
}

if (process.argv[1] === import.meta.filename) {
  try {
    const options = readKitArgs(process.argv.slice(2));
    if (options === 'help') {
      console.log(USAGE);
    } else {
      const written = writeKit(options);
      console.log(`wrote the learner's repository for ${options.exercise} in ${options.folder}:`);
      for (const file of written.files) console.log(`  ${file}`);
      if (written.gradescope) {
        console.log(
          `wrote the Gradescope autograder in ${options.gradescope} (zip its contents and upload them):`,
        );
        for (const file of written.gradescope) console.log(`  ${file}`);
        console.log('  microtown/ (the grader)');
      }
      console.log('next: docs/classroom.md, step by step');
    }
  } catch (error) {
    if (!(error instanceof GradeError)) throw error;
    console.error(`classroom: ${error.message}`);
    process.exit(2);
  }
}
