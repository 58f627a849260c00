// `npm run bench`: measures every suite side by side in one run and prints the table of ratios.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { machine } from './machine.js';
import { markdown } from './markdown.js';
import { measurementsTable, met, ratio, rowsTable } from './report.js';
import { killAll } from './spawn.js';
import { suites } from './suites/index.js';
import type { Context, Row, Suite, SuiteResult } from './types.js';

const ROOT = join(import.meta.dirname, '..');
const DOC = join(ROOT, 'docs', 'benchmarks.md');

const USAGE = `usage: npm run bench -- [--quick] [--duration <seconds>] [--connections <n>] [--only <suite>,...] [--no-save | --save <file>] [--json <file>] [--fastapi-orders <url>]
  --quick        1 s per target instead of 5 s, one round (a smoke run; figures are rougher)
  --duration     seconds measured per target in all, after warm-ups (default 5)
  --rounds       measure in this many slices, alternating the order of targets (default 2; --quick: 1)
  --connections  concurrent connections per target (default 32)
  --only         run only these suites: ${suites.map((s) => s.name).join(', ')}
  --no-save      do not write the Markdown tables anywhere
  --save         write them to this file (default docs/benchmarks.md, written only by a full run: every suite,
                 not --quick, so a partial or rough run never replaces the full table)
  --json         also write every figure to this file
  --fastapi-orders  URL of the chapter's FastAPI orders service, already running (default: the bench starts
                 peers/chapter-fastapi itself when Python has fastapi, uvicorn and requests)`;

function fail(message: string, code = 1): never {
  console.error(`bench: ${message}`);
  process.exit(code);
}

function options() {
  const spec = {
    quick: { type: 'boolean' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    only: { type: 'string' },
    json: { type: 'string' },
    save: { type: 'string' },
    'no-save': { type: 'boolean' },
    'fastapi-orders': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const values = (() => {
    try {
      return parseArgs({ options: spec }).values;
    } catch (error) {
      return fail(`${(error as Error).message}\n${USAGE}`, 2);
    }
  })();
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (name: string, raw: string | undefined, fallback: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!(value > 0)) fail(`--${name} must be a positive number, got ${JSON.stringify(raw)}`, 2);
    return value;
  };
  const duration = positive('duration', values.duration, values.quick ? 1 : 5);
  const connections = Math.round(positive('connections', values.connections, 32));
  const rounds = Math.round(positive('rounds', values.rounds, values.quick ? 1 : 2));
  const names = values.only?.split(',').map((n) => n.trim()) ?? suites.map((s) => s.name);
  const selected = names.map(
    (name) => suites.find((s) => s.name === name) ?? fail(`no suite "${name}"\n${USAGE}`, 2),
  );
  const fastapiOrders = values['fastapi-orders'];
  if (fastapiOrders !== undefined && !/^https?:\/\/[^/]+/.test(fastapiOrders)) {
    fail(
      `--fastapi-orders must be a URL like http://127.0.0.1:8003, got ${JSON.stringify(fastapiOrders)}`,
      2,
    );
  }
  if (values['no-save'] && values.save !== undefined) fail('--no-save and --save <file> contradict', 2);
  // Checked now rather than after a run of minutes.
  for (const file of [values.save, values.json]) {
    if (file !== undefined && !existsSync(dirname(resolve(file))))
      fail(`no folder ${dirname(file)} for ${file}`, 2);
  }
  const full = !values.quick && selected.length === suites.length;
  const save = values['no-save'] ? undefined : (values.save ?? (full ? DOC : undefined));
  return {
    duration,
    warmup: values.quick ? 0.5 : 1,
    rounds,
    connections,
    selected,
    json: values.json,
    save,
    notSaved: values['no-save'] ? '--no-save' : `${values.quick ? '--quick' : '--only'} run`,
    ...(fastapiOrders ? { fastapiOrders } : {}),
  };
}

const opts = options();
const started = new Date();
const tmp = mkdtempSync(join(os.tmpdir(), 'microtown-bench-'));
process.on('exit', () => {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => fail(`interrupted (${signal}); servers stopped`, signal === 'SIGINT' ? 130 : 143));
}

const ctx: Context = { ...opts, tmp, log: (line) => console.log(line) };
const host = machine();
console.log(
  `microtown bench on ${host.cores} × ${host.cpu}, ${host.memory}, ${host.os}, Node ${host.node}; ` +
    `load average ${host.load}`,
);
console.log(
  `loopback 127.0.0.1; load from autocannon in this process, each server in its own process; ` +
    `${opts.connections} connections, ${opts.duration} s measured per target in ${opts.rounds} round(s), ` +
    `each after a ${opts.warmup} s warm-up\n`,
);

const results: (SuiteResult & Pick<Suite, 'name' | 'title'>)[] = [];
for (const suite of opts.selected) {
  console.log(`[${suite.name}] ${suite.title}`);
  try {
    const result = await suite.run(ctx);
    results.push({ name: suite.name, title: suite.title, ...result });
    console.log(`\n${measurementsTable(result.measurements)}\n`);
  } catch (error) {
    fail(`${suite.name}: ${(error as Error).message}`);
  }
}

const rows: Row[] = results.flatMap((r) => r.rows);
console.log(rowsTable(rows));
console.log('\nA benchmark, not a test: figures move from run to run on a busy machine; compare the ratios.');

if (opts.json) {
  const suitesOut = results.map((r) => ({
    ...r,
    rows: r.rows.map((row) => ({ ...row, ratio: ratio(row), met: met(row) })),
  }));
  const { selected: _, save: __, notSaved: ___, ...settings } = opts;
  writeFileSync(
    opts.json,
    `${JSON.stringify({ date: started.toISOString(), machine: host, settings, suites: suitesOut }, null, 2)}\n`,
  );
  console.log(`figures written to ${opts.json}`);
}

/** A path inside the repository relative to its root, any other as given. */
const shown = (file: string) => (relative(ROOT, file).startsWith('..') ? file : relative(ROOT, file));

if (opts.save) {
  const args = process.argv.slice(2);
  const { duration, warmup, rounds, connections, fastapiOrders } = opts;
  const text = markdown({
    started,
    seconds: (Date.now() - started.getTime()) / 1000,
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    machine: host,
    settings: { duration, warmup, rounds, connections, ...(fastapiOrders ? { fastapiOrders } : {}) },
    suites: suites.map((s) => s.name),
    results,
  });
  writeFileSync(opts.save, text);
  console.log(`tables written to ${shown(opts.save)}`);
} else {
  console.log(`${shown(DOC)} not rewritten (${opts.notSaved}; --save <file> writes the tables)`);
}
process.exit(0);
