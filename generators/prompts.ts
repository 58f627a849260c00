import type { PromptQuestion } from 'node-plop';
import { GeneratorError } from './errors.js';
import { listManifests, type Manifest } from './manifest.js';

type Answers = Record<string, unknown>;

/** Turns a checker that throws `GeneratorError` into an inquirer `validate` (true, or the message to show). */
export const ask =
  <T>(check: (value: string, answers: Answers) => T | Promise<T>) =>
  async (value: string, answers: Answers = {}): Promise<true | string> => {
    try {
      await check(value, answers);
      return true;
    } catch (error) {
      if (error instanceof GeneratorError) return error.message;
      throw error;
    }
  };

/** A question answered with a line of text, refused while `check` throws a `GeneratorError`. */
export const input = <T>(
  name: string,
  message: string,
  check: (value: string, answers: Answers) => T | Promise<T>,
  suggested?: string | (() => Promise<string>),
): PromptQuestion => ({ type: 'input', name, message, default: suggested, validate: ask(check) });

/** A question answered by picking one of `choices` (worked out from the answers so far). */
export const pick = (
  name: string,
  message: string,
  choices: (
    answers: Answers,
  ) => Promise<(string | { name: string; value: string; disabled: string | false })[]>,
): PromptQuestion => ({ type: 'list', name, message, choices });

/** A question answered by picking one of the town's services, those `keep` accepts. */
export const pickService = (
  root: string,
  name: string,
  message: string,
  keep: (manifest: Manifest) => boolean = () => true,
): PromptQuestion =>
  pick(name, message, async () => (await listManifests(root)).filter(keep).map((m) => m.name));
