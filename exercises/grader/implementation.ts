import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { GradeError } from './checks.js';
import { type Exercise, REPO, readJson, ServiceName } from './exercise.js';

/** How to start one service: a command (no shell), from a folder, with extra environment. */
export const Command = z.object({
  command: z.array(z.string().min(1)).min(1),
  cwd: z.string().default('.'),
  env: z.record(z.string(), z.string()).default({}),
});
export type Command = z.infer<typeof Command>;

/**
 * `<implementation>/implementation.json`: how the grader starts each service of an implementation, in any language.
 * `"town"` stands for our own service of that name in services/.
 */
export const ImplementationFile = z.object({
  services: z.record(ServiceName, z.union([z.literal('town'), Command])).default({}),
});

export interface Implementation {
  dir: string;
  /** The folder as the user reads it: relative to the repository when inside it. */
  label: string;
  services: Record<string, 'town' | Command>;
}

export const label = (path: string) => {
  const inside = relative(REPO, path);
  return inside && !inside.startsWith('..') ? inside : path;
};

const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** The folder graded: `--impl <folder>` (of the exercise, or from here), else the one exercise.json names. */
export function loadImplementation(exercise: Exercise, name?: string): Implementation {
  const named = name ?? exercise.config.implementation;
  const candidates =
    name === undefined ? [join(exercise.dir, named)] : [join(exercise.dir, name), resolve(name)];
  const dir = candidates.find(isFolder);
  if (!dir) {
    throw new GradeError(
      name === undefined
        ? `${label(exercise.dir)}/exercise.json names the implementation "${named}", which is not a folder there`
        : `--impl ${name}: no such folder (looked in ${label(exercise.dir)}/ and in ${process.cwd()})`,
    );
  }
  const file = join(dir, 'implementation.json');
  const services = existsSync(file) ? readJson(file, ImplementationFile).services : {};
  return { dir, label: label(dir), services };
}
