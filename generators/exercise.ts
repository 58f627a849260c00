import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GeneratorError } from './errors.js';
import type { Generator } from './generator.js';
import { checkName, sentenceCase } from './names.js';
import { input } from './prompts.js';

/** `7` or `07` -> `07`: two digits, 01 to 99, so that folders sort in order. */
export function checkNumber(value: string | undefined): string {
  if (value === undefined || value === '') throw new GeneratorError('missing exercise number, e.g. 06');
  if (!/^\d{1,2}$/.test(value) || Number(value) === 0) {
    throw new GeneratorError(`invalid exercise number ${JSON.stringify(value)}: use 01 to 99, e.g. 06`);
  }
  return value.padStart(2, '0');
}

/** The exercise folder that already has this number, whatever its slug. */
function folderWithNumber(root: string, nn: string): string | undefined {
  const dir = join(root, 'exercises');
  return existsSync(dir) ? readdirSync(dir).find((name) => name.startsWith(`${nn}-`)) : undefined;
}

export const exercise: Generator = {
  name: 'exercise',
  description: 'a new exercise (README task, grading spec, config, reference, starter) for npm run grade',
  usage: 'exercise -- <NN> <slug>',

  prompts: (root) => [
    input('nn', 'Exercise number (01-99):', (value) => {
      const nn = checkNumber(value);
      const taken = folderWithNumber(root, nn);
      if (taken) throw new GeneratorError(`exercise ${nn} exists already (exercises/${taken})`);
    }),
    input('slug', 'Slug (lower kebab-case, e.g. rate-limits):', (value) =>
      checkName('exercise', value, 'rate-limits'),
    ),
  ],

  fromArgs([nn, slug, ...extra]) {
    if (extra.length) throw new GeneratorError(`unexpected argument "${extra[0]}"`);
    return { nn: checkNumber(nn), slug: checkName('exercise', slug, 'rate-limits') };
  },

  async plan(answers, { root, force }) {
    const nn = checkNumber(answers.nn as string);
    const slug = checkName('exercise', answers.slug as string, 'rate-limits');
    const folder = `exercises/${nn}-${slug}`;
    const taken = folderWithNumber(root, nn);
    if (taken && taken !== `${nn}-${slug}`) {
      throw new GeneratorError(`exercise ${nn} exists already (exercises/${taken}); pick another number`);
    }
    if (taken && !force) {
      throw new GeneratorError(`exercise ${nn} exists already (${folder}); --force regenerates its files`);
    }
    return {
      folder,
      data: { nn, slug, Title: sentenceCase(slug) },
      // Every file under templates/exercise/, at the same path without its .hbs.
      actions: [
        {
          type: 'addMany',
          destination: '.',
          base: 'templates/exercise',
          templateFiles: 'templates/exercise/**/*.hbs',
        },
      ],
      summary: `exercise ${nn} ${slug}`,
      next: [
        `npm run grade -- ${nn}              # the starter: full marks on the skeleton, from the first run`,
        `then write the tasks: ${folder}/README.md, exercise.json (points), grading.ts (checks)`,
      ],
    };
  },
};
