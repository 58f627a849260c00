import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../generators/cli.js';
import { runMain } from '../support/run-main.js';
import { scratchTown } from '../support/scratch-town.js';
import { markdownFiles, ROOT } from './markdown.js';

/**
 * Every `npm run generate` command the docs show in a code block, replayed in the order of its page in a scratch copy
 * of the town (its `services/`, and its exercises' folder names), so that a learner who types them in turn gets what
 * the page says. A page starts without the services it makes itself (the course's "made this way" starts from an
 * empty town). A plain command must succeed; a `$ ` line is a transcript: its first shown line tells success from
 * refusal, and each line shown after it (but `...`) must be printed, in order. `npm run generate` without a
 * generator is the menu, which needs a terminal, and is not replayed.
 */
interface Step {
  line: number;
  args: string[];
  /** The output a transcript shows for it; undefined for a plain command. */
  shown?: string[];
}

const COMMAND = /^(\$ )?npm run generate\b(.*)$/;

function steps(file: string): Step[] {
  const found: Step[] = [];
  const text = readFileSync(file, 'utf8');
  for (const block of text.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)) {
    const first = text.slice(0, block.index).split('\n').length + 1;
    const lines = (block[1] ?? '').split('\n');
    lines.forEach((line, i) => {
      const match = COMMAND.exec(line);
      if (!match) return;
      const args = (match[2] ?? '')
        .replace(/\s+#\s.*$/, '')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      if (args.filter((a) => a !== '--').length === 0 || (args[0] === '--' && args[1] === '--dry-run'))
        return;
      let shown: string[] | undefined;
      if (match[1]) {
        const end = lines.findIndex((l, j) => j > i && (l.startsWith('$ ') || l === ''));
        shown = lines.slice(i + 1, end === -1 ? undefined : end).filter((l) => l.trim() !== '...');
      }
      found.push({ line: first + i, args, shown });
    });
  }
  return found;
}

/** Timings differ from run to run. */
const timeless = (line: string) => line.replace(/\(\d+\.\d+ s\)/, '(… s)');

/** The services a page makes with `generate service`, which its scratch town starts without. */
const madeBy = (page: Step[]) =>
  page.filter((s) => s.args[0] === 'service').map((s) => s.args.filter((a) => a !== '--')[1] ?? '');

const pages = (await markdownFiles())
  .map((file) => ({ name: relative(ROOT, file), steps: steps(file) }))
  .filter((page) => page.steps.length > 0);

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

async function docsTown(without: string[]): Promise<string> {
  const root = await scratchTown('docs-commands', without);
  scratch.push(root);
  // The exercise generator reads only the folder names, for the numbers taken.
  for (const name of readdirSync(join(ROOT, 'exercises')))
    if (/^\d\d-/.test(name)) await mkdir(join(root, 'exercises', name), { recursive: true });
  return root;
}

describe('every npm run generate in the docs runs as shown', () => {
  it('finds the pages that show them: the generators, the course, the services, the exercises', () => {
    expect(pages.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'docs/generators.md',
        'docs/course/2-steps.md',
        'docs/course/4-generators.md',
        'docs/exercises.md',
      ]),
    );
  });

  it.each(pages.map((p) => [p.name, p] as const))(
    '%s, in order',
    async (_, page) => {
      const root = await docsTown(madeBy(page.steps));
      expect(existsSync(join(root, 'services'))).toBe(true);
      const wrong: string[] = [];
      for (const step of page.steps) {
        const { code, out, err } = await runMain(main, root, step.args);
        const where = `line ${step.line}: npm run generate ${step.args.join(' ')}`;
        const refusal = step.shown?.[0]?.startsWith('error:') ?? false;
        if (refusal) {
          if (code === 0 || err[0] !== step.shown?.[0])
            wrong.push(`${where}: shows "${step.shown?.[0]}", printed "${err[0] ?? out[0]}"`);
          continue;
        }
        if (code !== 0) {
          wrong.push(`${where}: refused: ${err.join(' ')}`);
          continue;
        }
        // Shown lines in order; the scratch town is not this repository, so no `npm install` runs (nor its line).
        const printed = out.map(timeless);
        let at = 0;
        for (const line of (step.shown ?? []).filter((l) => !l.startsWith('linked '))) {
          const found = printed.indexOf(timeless(line), at);
          if (found === -1) {
            wrong.push(`${where}: shows "${line}", which is not printed (or not in this order)`);
            break;
          }
          at = found + 1;
        }
      }
      expect(wrong).toEqual([]);
    },
    60_000,
  );
});
