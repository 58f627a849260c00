// `npm run grade:corpus [-- <exercise> ...] [--case <words>] [--jobs <n>]`: grades every learner-style submission of
// the corpus with `npm run grade`, as real processes, and compares each grade with the one its expected.json gives.
import { parseArgs } from 'node:util';
import { inTurn } from '../grader/testing.js';
import { type Case, compare, gradeCase, listCases } from './corpus.js';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { case: { type: 'string' }, jobs: { type: 'string', default: '2' } },
  });
  const cases = listCases().filter(
    (c) =>
      (positionals.length === 0 || positionals.some((p) => c.exercise.startsWith(p.padStart(2, '0')))) &&
      (!values.case || c.name.includes(values.case)),
  );
  if (cases.length === 0) {
    console.error('grade:corpus: no case matches (exercises/corpus/<exercise>/<case>/expected.json)');
    return 2;
  }
  console.log(`grading ${cases.length} corpus cases, ${values.jobs} at a time`);
  const rows: { c: Case; wrong: string[] }[] = [];
  await inTurn(cases, Number(values.jobs), async (c) => {
    const started = performance.now();
    const wrong = compare(c.expected, await gradeCase(c));
    rows.push({ c, wrong });
    const seconds = (performance.now() - started) / 1000;
    console.log(`${wrong.length ? '✗' : '✓'} ${c.exercise.slice(0, 2)} ${c.name} (${seconds.toFixed(1)} s)`);
    for (const line of wrong) console.log(`    ${line}`);
  });

  console.log(
    '\n| exercise | cases | correct work | with a mistake | graded right |\n| --- | ---: | ---: | ---: | ---: |',
  );
  for (const exercise of [...new Set(rows.map((r) => r.c.exercise))].sort()) {
    const own = rows.filter((r) => r.c.exercise === exercise);
    const right = own.filter((r) => r.wrong.length === 0).length;
    const ok = own.filter((r) => r.c.expected.lost.length === 0 && !r.c.expected.refused).length;
    console.log(`| ${exercise} | ${own.length} | ${ok} | ${own.length - ok} | ${right}/${own.length} |`);
  }
  const wrong = rows.filter((r) => r.wrong.length > 0);
  console.log(`\n${rows.length - wrong.length} passed, ${wrong.length} failed`);
  return wrong.length ? 1 : 0;
}

if (process.argv[1] === import.meta.filename) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`grade:corpus: ${error.message}`);
      process.exit(2);
    },
  );
}
