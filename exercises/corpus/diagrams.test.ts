import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readServices } from '@microtown/kit/town';
import { describe, expect, it } from 'vitest';
import { TOWN, verdicts } from '../02-call-diagram/verdicts.js';
import { edgeText, parseDiagram } from '../grader/diagram.js';
import { REPO } from '../grader/exercise.js';
import { compare, listCases } from './corpus.js';

const FILES = ['diagram.md', 'diagram.mmd', 'diagram.txt'];

/** The calls the town makes when an order is placed: the edges its services' manifests declare. */
async function townCalls(): Promise<Map<string, string>> {
  const services = await readServices(REPO);
  const calls = services.flatMap((s) =>
    s.calls.map((to) => [edgeText({ from: s.name, to }), 'a call'] as const),
  );
  return new Map(calls);
}

const cases = listCases().filter((c) => c.exercise === '02-call-diagram');

describe('the diagram corpus, graded as exercise 02 grades it', () => {
  it('has at least 40 drawings, right and wrong', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => c.expected.lost.length === 0).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((c) => c.expected.lost.length > 0).length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const file = FILES.find((name) => existsSync(join(c.dir, name))) ?? 'diagram.md';
    const diagram = parseDiagram(readFileSync(join(c.dir, file), 'utf8'), TOWN);
    const lost = verdicts(diagram, file, await townCalls());
    expect(compare(c.expected, { lost })).toEqual([]);
  });
});
