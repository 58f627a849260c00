import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GeneratorError } from './errors.js';

const run = promisify(execFile);

/**
 * Formats generated files with the repository's biome settings and sorts their imports, so that the output passes
 * `npm run lint` whatever the names' lengths; inserted imports only need to be present, not in place.
 * Returns false when biome is not installed (the files stay as rendered).
 */
export async function formatFiles(repo: string, files: string[]): Promise<boolean> {
  const biome = join(repo, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  if (!existsSync(biome)) return false;
  const code = files.filter((file) => /\.(ts|json)$/.test(file));
  if (code.length === 0) return true;
  const args = [
    'check',
    '--write',
    '--no-errors-on-unmatched',
    '--linter-enabled=false',
    '--vcs-enabled=false',
    `--config-path=${repo}`,
  ];
  try {
    await run(process.execPath, [biome, ...args, ...code]);
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    const first = output.split('\n').find((line) => /×|error/i.test(line)) ?? (error as Error).message;
    throw new GeneratorError(`nothing was written: the generated code does not parse (${first.trim()})`);
  }
  return true;
}
