import { GeneratorError } from './errors.js';

/** Turns a checker that throws `GeneratorError` into an inquirer `validate` (true, or the message to show). */
export const ask =
  <T>(check: (value: string) => T | Promise<T>) =>
  async (value: string): Promise<true | string> => {
    try {
      await check(value);
      return true;
    } catch (error) {
      if (error instanceof GeneratorError) return error.message;
      throw error;
    }
  };
