import { GeneratorError } from './errors.js';

/** Turns a checker that throws `GeneratorError` into an inquirer `validate` (true, or the message to show). */
export const ask =
  <T>(check: (value: string, answers: Record<string, unknown>) => T | Promise<T>) =>
  async (value: string, answers: Record<string, unknown> = {}): Promise<true | string> => {
    try {
      await check(value, answers);
      return true;
    } catch (error) {
      if (error instanceof GeneratorError) return error.message;
      throw error;
    }
  };
