import { resolve } from 'node:path';
import type { PlannedService } from '@microtown/kit/town';
import { type Exercise, findExercise } from '../../exercises/grader/exercise.js';
import { type Implementation, loadImplementation } from '../../exercises/grader/implementation.js';

/** `npm start -- --exercise 01 [--impl <folder>]`: which of the town's services are the learner's, and how they run. */
export interface ExerciseTown {
  exercise: Exercise;
  impl: Implementation;
  /** The learner's services that run in place of the town's (the others are the town's own, for theirs to call). */
  learners: string[];
  /** The exercise's services the implementation does not start: the town's own run, and grading says so. */
  notSubmitted: string[];
}

/**
 * Puts the learner's services of an exercise in the town, in place of its own: each runs the command its
 * implementation.json gives (the starter's by default), in its folder, on the town's port for that service, watched
 * like the town's. The grader starts them the same way.
 */
export function withExercise(
  services: PlannedService[],
  name: string,
  implName?: string,
): { services: PlannedService[]; town: ExerciseTown } {
  const exercise = findExercise(name);
  const impl = loadImplementation(exercise, implName);
  const learners: string[] = [];
  const notSubmitted: string[] = [];
  const replaced = services.map((service) => {
    if (!exercise.config.services.includes(service.name)) return service;
    const command = impl.services[service.name];
    if (!command || command === 'town') {
      notSubmitted.push(service.name);
      return service;
    }
    learners.push(service.name);
    const [first = 'node', ...rest] = command.command;
    return {
      ...service,
      command: [first === 'node' ? process.execPath : first, ...rest],
      cwd: resolve(impl.dir, command.cwd),
      env: { ...service.env, ...command.env },
    };
  });
  return { services: replaced, town: { exercise, impl, learners, notSubmitted } };
}

/**
 * Whether a saved file restarts `service`: always, unless it shares its folder with others (a starter holds user.ts
 * and inventory.ts) and the file is another's own entry point, named in that one's command.
 */
export function reloadsOn(service: PlannedService, all: PlannedService[]): (file: string) => boolean {
  const sharing = all.filter((other) => other.cwd === service.cwd);
  if (sharing.length < 2) return () => true;
  const named = (s: PlannedService, file: string) =>
    s.command.some((arg) => arg === file || arg.endsWith(`/${file}`));
  return (file) => named(service, file) || !sharing.some((other) => named(other, file));
}
