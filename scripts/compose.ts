import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { failureLine } from '@microtown/kit/town';
import { REPO, renderTown, type Target } from './compose/render.js';
import { apply, compare } from './compose/sync.js';
import { readTown } from './compose/town.js';

const USAGE = [
  'usage: npm run compose [-- --k8s] [-- --check]',
  '  writes docker-compose.yml (and docker-compose.watch.yml, for docker compose watch) and a Dockerfile per service',
  '  (and playground/Dockerfile) from services/*/service.json',
  '  --k8s     writes k8s/ instead: k8s/base/ (a Deployment, Service and PersistentVolumeClaim per service) and',
  '            k8s/overlays/kind/ (the same on a local kind cluster, with the images kind load docker-image gave it)',
  '  --check   writes nothing; exits 1 if a file is missing or out of date',
  '  --help    this text; more in docs/compose.md',
];

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The project to compose (default: this repository). */
  root?: string;
}

const console_: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** `npm run compose`: 0 written or current, 1 stale (`--check`) or refused, 2 not understood. One line per error. */
export async function main(argv: string[], io: Io = console_): Promise<number> {
  let values: { k8s?: boolean; check?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        k8s: { type: 'boolean' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.err(`error: ${(error as Error).message.split('\n')[0]}; see npm run compose -- --help`);
    return 2;
  }
  if (values.help) {
    for (const line of USAGE) io.out(line);
    return 0;
  }
  const root = resolve(io.root ?? REPO);
  const target: Target = values.k8s ? 'k8s' : 'compose';
  const check = values.check === true;
  try {
    const town = await readTown(root);
    const files = await renderTown(town, target);
    const outcomes = await compare(root, files);
    const width = Math.max(...outcomes.map((o) => o.status.length));
    const changed = outcomes.filter((o) => o.status !== 'unchanged');
    if (check) {
      for (const o of changed)
        io.err(`stale: ${o.path} (would be ${o.status}); run npm run compose${flag(target)}`);
      if (changed.length === 0) io.out(`unchanged: ${outcomes.length} files are current`);
      return changed.length === 0 ? 0 : 1;
    }
    await apply(root, files, outcomes);
    for (const o of outcomes) io.out(`${o.status.padEnd(width)}  ${o.path}`);
    for (const cycle of town.cycles)
      io.out(`note: ${cycle} is not in the start-up order (the calls form a cycle)`);
    io.out(
      changed.length === 0 ? 'unchanged: every file was already current' : next(target, town.playground),
    );
    return 0;
  } catch (error) {
    io.err(failureLine(error));
    return 1;
  }
}

const flag = (target: Target) => (target === 'k8s' ? ' -- --k8s' : '');

function next(target: Target, playground?: { port: number }): string {
  if (target === 'k8s')
    return 'next: build the images, then kubectl apply -k k8s/base (on kind: k8s/overlays/kind; see docs/compose.md)';
  const open = playground ? `, then open http://127.0.0.1:${playground.port}` : '';
  return `next: docker compose up --build${open} (see docs/compose.md)`;
}

if (process.argv[1] === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2));
}
