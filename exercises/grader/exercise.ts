import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { SERVICE_NAME } from '@microtown/kit/town';
import { z } from 'zod';
import { GradeError } from './checks.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const EXERCISES = join(REPO, 'exercises');

export const ServiceName = z.string().regex(SERVICE_NAME, 'use lower kebab-case, e.g. user');

/** `exercises/NN-<slug>/exercise.json`: what an exercise grades and how many points each task is worth. */
export const ExerciseConfig = z.object({
  title: z.string().min(1),
  /** The services the learner builds: they are graded, and they are the names `--url` accepts. */
  services: z.array(ServiceName).default([]),
  /** Services of our town that the grader runs beside them (the reference code), for the learner's to call. */
  town: z.array(ServiceName).default([]),
  /** The grader must start the learner's services itself (to point them at the town, restart them): no `--url`. */
  startsServices: z.boolean().default(false),
  /**
   * The services reach each other through the playground, which records every call (specs read it: `playground`);
   * `"page"` also serves its web page, for checks in the browser.
   */
  playground: z.union([z.boolean(), z.literal('page')]).default(false),
  /** The implementation graded when `--impl` is not given: a folder of the exercise. */
  implementation: z.string().default('starter'),
  /** Time limit of each test, in seconds. */
  timeoutSeconds: z.number().positive().max(300).default(15),
  /** Time limit of each answer of a service, in seconds, the same with `--impl` and `--url`; the README says it. */
  answerSeconds: z.number().positive().max(60).default(5),
  /**
   * Task n of the README (`## n. ...`) is `tasks[n - 1]`; `services`: the learner's services it grades (default:
   * all of them), so that one not submitted costs its own tasks only.
   */
  tasks: z
    .array(
      z.object({
        title: z.string().min(1),
        points: z.number().int().positive(),
        services: z.array(ServiceName).optional(),
      }),
    )
    .min(1),
});
export type ExerciseConfig = z.infer<typeof ExerciseConfig>;

export interface Exercise {
  /** `01-user-and-inventory` */
  folder: string;
  dir: string;
  config: ExerciseConfig;
}

const FOLDER = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** Exercise folders, in order: `01-user-and-inventory`, ... */
export const listExercises = (root = EXERCISES) =>
  existsSync(root)
    ? readdirSync(root)
        .filter((name) => FOLDER.test(name))
        .sort()
    : [];

/** `01`, `1`, `01-user-and-inventory` or `user-and-inventory` -> the exercise, or a refusal listing them. */
export function findExercise(name: string, root = EXERCISES): Exercise {
  const folders = listExercises(root);
  const number = /^\d{1,2}$/.test(name) ? name.padStart(2, '0') : undefined;
  const folder = folders.find((f) => {
    const [, nn, slug] = FOLDER.exec(f) ?? [];
    return f === name || nn === number || slug === name;
  });
  if (!folder) {
    const known = folders.length ? folders.join(', ') : 'none yet (npm run generate exercise -- 01 <slug>)';
    throw new GradeError(`no exercise "${name}"; exercises: ${known}`);
  }
  return loadExercise(join(root, folder));
}

export const loadExercise = (dir: string): Exercise => ({
  folder: basename(dir),
  dir,
  config: readJson(join(dir, 'exercise.json'), ExerciseConfig),
});

/** A JSON file checked against its schema; any problem is one line naming the file and the field. */
export function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const where = relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new GradeError(`${where} is missing`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GradeError(`${where} is not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new GradeError(`${where}: ${issue?.path.join('.') || 'the file'}: ${issue?.message ?? 'is invalid'}`);
}
