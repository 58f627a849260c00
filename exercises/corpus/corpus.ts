import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { EXERCISES, listExercises } from '../grader/exercise.js';
import { lostTasks, runGrade } from '../grader/testing.js';

export const CORPUS = join(EXERCISES, 'corpus');

/** `expected.json` of a case: the grade a right grader gives it, written from the README alone. */
export const Expected = z.object({
  stack: z.string().optional(),
  style: z.string().optional(),
  about: z.string().min(1),
  /** Tasks that must lose their points; every other task must earn them. */
  lost: z.array(z.number().int().positive()),
  /** Per lost task, words its hint must contain (case does not matter). */
  hint: z.record(z.string(), z.string()).default({}),
  /** The grader must refuse to grade it (exit 2) with these words in its one line. */
  refused: z.string().optional(),
});
export type Expected = z.infer<typeof Expected>;

export interface Case {
  exercise: string;
  name: string;
  dir: string;
  expected: Expected;
}

/** Every case of the corpus, exercise by exercise: `exercises/corpus/<NN-slug>/<case>/expected.json`. */
export function listCases(root = CORPUS): Case[] {
  return listExercises(root).flatMap((exercise) =>
    readdirSync(join(root, exercise))
      .map((name) => join(root, exercise, name))
      .filter((dir) => statSync(dir).isDirectory() && existsSync(join(dir, 'expected.json')))
      .sort()
      .map((dir) => ({
        exercise,
        name: basename(dir),
        dir,
        expected: Expected.parse(JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'))),
      })),
  );
}

/** What the grader gave a case: the tasks it took points from with their hints, or the line it refused with. */
export interface Outcome {
  lost: Map<number, string>;
  refused?: string;
}

/** The differences between a grade and the expected one, as lines; none means the grade is right. */
export function compare(expected: Expected, outcome: Outcome): string[] {
  if (expected.refused !== undefined || outcome.refused !== undefined) {
    if (outcome.refused === undefined) return [`graded, but should be refused ("${expected.refused}")`];
    if (expected.refused === undefined) return [`refused: ${outcome.refused}`];
    return outcome.refused.toLowerCase().includes(expected.refused.toLowerCase())
      ? []
      : [`refused without "${expected.refused}": ${outcome.refused}`];
  }
  const wrong: string[] = [];
  for (const [task, hint] of outcome.lost) {
    if (!expected.lost.includes(task)) wrong.push(`task ${task} lost its points but should not: ${hint}`);
  }
  for (const task of expected.lost) {
    const hint = outcome.lost.get(task);
    if (hint === undefined) {
      wrong.push(`task ${task} kept its points but should lose them`);
      continue;
    }
    const words = expected.hint[String(task)];
    if (words && !hint.toLowerCase().includes(words.toLowerCase())) {
      wrong.push(`task ${task}'s hint does not say "${words}": ${hint}`);
    }
  }
  return wrong;
}

/** One case graded by the real grader: the tasks it lost, or the line it refused with. */
export async function gradeCase(c: Case): Promise<Outcome> {
  const graded = await runGrade([c.exercise, '--impl', c.dir]);
  rmSync(graded.out, { recursive: true, force: true });
  if (graded.code === 2) {
    return { lost: new Map(), refused: graded.stderr.trim().split('\n').at(-1) ?? '' };
  }
  return { lost: new Map(Object.entries(lostTasks(graded)).map(([task, hint]) => [Number(task), hint])) };
}
