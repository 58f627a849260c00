import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const page = readFileSync(join(REPO, 'docs', 'architecture.md'), 'utf8');

/** Where each room of the page's diagram lives; the first prefix that matches a path names its room. */
const ROOMS: [room: string, prefix: string][] = [
  ['town', 'kit/src/town/'],
  ['testing', 'kit/testing/'],
  ['example', 'kit/example/'],
  ['kit', 'kit/'],
  ['services', 'services/'],
  ['playground', 'playground/'],
  ['generators', 'generators/'],
  ['scripts', 'scripts/'],
  ['grader', 'exercises/grader/'],
  ['classroom', 'exercises/classroom/'],
  ['corpus', 'exercises/corpus/'],
  ['specs', 'exercises/'],
  ['tests', 'test/'],
  ['bench', 'bench/'],
];
const PACKAGES: Record<string, string> = {
  '@microtown/kit': 'kit',
  '@microtown/kit/town': 'town',
  '@microtown/kit/testing': 'testing',
  '@microtown/kit/testing/vitest': 'testing',
  '@microtown/playground': 'playground',
};

const roomOf = (path: string) => ROOMS.find(([, prefix]) => path.startsWith(prefix))?.[0];
const isTest = (path: string) =>
  /\.(test|spec)\.ts$|\/testing\.ts$/.test(path) || path.startsWith('playground/e2e/');

/** The arrows of the page's Mermaid diagram: `a --> b`. */
function arrows(): Set<string> {
  const block = /```mermaid\n(.*?)```/s.exec(page)?.[1] ?? '';
  const found = new Set<string>();
  for (const [, from, to] of block.matchAll(/^\s*(\w+)(?:\[[^\]]*\])?\s*-->\s*(\w+)/gm))
    found.add(`${from} --> ${to}`);
  return found;
}

interface Import {
  file: string;
  line: number;
  spec: string;
  /** The file or package it names, relative to the repository. */
  target: string;
}

function imports(): Import[] {
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter((f) => f && !f.startsWith('.tmp/') && roomOf(f) !== undefined);
  const found: Import[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(REPO, file), 'utf8');
    } catch {
      continue; // deleted in the working tree
    }
    text.split('\n').forEach((line, index) => {
      for (const [, spec] of line.matchAll(
        /(?:^import|^export|\bimport\(|\bfrom)\s*\(?\s*['"]([^'"]+)['"]/g,
      )) {
        if (!spec) continue;
        const target = spec.startsWith('.')
          ? relative(REPO, normalize(join(REPO, dirname(file), spec)))
          : spec;
        found.push({ file, line: index + 1, spec, target });
      }
    });
  }
  return found;
}

describe('docs/architecture.md: who imports whom', () => {
  const allowed = arrows();
  const all = imports();

  it('the page draws the rooms the test knows', () => {
    for (const [room] of ROOMS) expect(page).toMatch(new RegExp(`\\b${room}\\b`));
    expect(allowed.size).toBeGreaterThan(20);
  });

  it('every import between rooms follows an arrow of the page', () => {
    const crossings: string[] = [];
    for (const i of all) {
      const from = roomOf(i.file);
      const to = PACKAGES[i.spec] ?? (i.spec.startsWith('.') ? roomOf(i.target) : undefined);
      if (!from || !to || from === to) continue;
      if (['tests', 'testing', 'example'].includes(to) && isTest(i.file)) continue;
      if (!allowed.has(`${from} --> ${to}`))
        crossings.push(`${i.file}:${i.line} (${from}) imports ${i.spec} (${to})`);
    }
    expect(crossings).toEqual([]);
  });

  it('a room that is a package is imported by its name, never by a path into it', () => {
    const intoKit = all.filter(
      (i) =>
        i.spec.startsWith('.') &&
        i.target.startsWith('kit/') &&
        !i.target.startsWith('kit/example/') &&
        !i.file.startsWith('kit/'),
    );
    expect(intoKit.map((i) => `${i.file}:${i.line} imports ${i.spec}`)).toEqual([]);
  });

  it('no shop imports another shop, and only the bench imports a shop from outside', () => {
    const shop = (path: string) => /^services\/([^/]+)\//.exec(path)?.[1];
    const wrong = all.filter((i) => {
      const target = shop(i.target);
      if (!i.spec.startsWith('.') || !target) return false;
      const from = shop(i.file);
      return from ? from !== target : !i.file.startsWith('bench/');
    });
    expect(wrong.map((i) => `${i.file}:${i.line} imports ${i.spec}`)).toEqual([]);
  });

  it('every relative import names its module with .js, as Node and TypeScript resolve it', () => {
    const other = all.filter((i) => i.spec.startsWith('.') && /\.(ts|tsx|mts)$/.test(i.spec));
    expect(other.map((i) => `${i.file}:${i.line} imports ${i.spec}`)).toEqual([]);
  });
});
