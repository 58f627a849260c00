import { loadAverage, type Machine } from './machine.js';
import { measurementsTable, rowsTable, table } from './report.js';
import type { Suite, SuiteResult } from './types.js';

export interface Report {
  started: Date;
  /** Wall time of the whole run, in seconds. */
  seconds: number;
  /** The command as typed, e.g. `npm run bench -- --only read`. */
  command: string;
  machine: Machine;
  settings: { duration: number; warmup: number; rounds: number; connections: number; fastapiOrders?: string };
  /** Every suite there is; `results` holds those that ran. */
  suites: string[];
  results: (SuiteResult & Pick<Suite, 'name' | 'title'>)[];
}

const minutes = (s: number) =>
  s < 90 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

/** docs/benchmarks.md: the machine, the settings, the summary table and each suite's details. */
export function markdown(r: Report): string {
  const { machine: m, settings: s } = r;
  const ran = r.results.map((x) => x.name);
  const skipped = r.suites.filter((name) => !ran.includes(name));
  const date = r.started
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const lines = [
    '# Benchmarks',
    '',
    `<!-- Written by \`${r.command}\`; edits are lost at the next run. -->`,
    '',
    `Measured on ${date} by \`${r.command}\`, in one run of ${minutes(r.seconds)}. ` +
      'Absolute figures belong to this machine and this moment; the ratios, measured side by side, are what ' +
      'carries over. What each suite measures and how: [bench/README.md](../bench/README.md).',
    '',
    skipped.length
      ? `**Partial run**: only ${ran.join(', ')}; not measured: ${skipped.join(', ')}.`
      : `Every suite ran: ${ran.join(', ')}.`,
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${m.cpu}, ${m.cores} cores`],
        ['memory', m.memory],
        ['OS', m.os],
        ['Node', m.node],
        ['load average at start (1, 5, 15 min)', m.load],
        ['load average at the end (the bench included)', loadAverage()],
      ],
    ),
    '',
    '## Settings',
    '',
    `${s.connections} connections per target; ${s.duration} s measured per target in ${s.rounds} round(s) of ` +
      `alternating order, each after a ${s.warmup} s warm-up; loopback (127.0.0.1), load from autocannon in the ` +
      'bench process, each server in its own process' +
      (s.fastapiOrders ? `; chapter FastAPI orders already running at ${s.fastapiOrders}.` : '.'),
    '',
    '## Summary',
    '',
    'ratio = measured / baseline.',
    '',
    rowsTable(r.results.flatMap((x) => x.rows)),
    '',
    '## Details',
    ...r.results.flatMap((x) => [
      '',
      `### ${x.name}`,
      '',
      `${x.title}.`,
      '',
      measurementsTable(x.measurements),
    ]),
    '',
    '## Reproduce',
    '',
    'On a quiet machine (load average well under the core count), from the repository root: `npm run bench` ' +
      `(about ${minutes(r.seconds)} here) measures every suite and rewrites this file; \`npm run bench -- --no-save\` ` +
      'only prints the tables.',
    '',
  ];
  return lines.join('\n');
}
