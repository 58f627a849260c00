import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parsePatch } from 'diff';
import { GeneratorError } from './errors.js';
import { JOURNAL, openStaging, recoverInterrupted, writeDurable } from './journal.js';
import { formatJson, listManifests, serviceFolder, servicePath } from './manifest.js';
import { checkResourceName, checkServiceName } from './names.js';
import {
  type GeneratedRecord,
  hash,
  type JsonAddition,
  RECORD,
  type RecordedRun,
  readRecord,
  recordText,
  withoutAdditions,
} from './record.js';
import type { GenerateResult } from './run.js';
import { apply, type Change } from './stage.js';

export const REMOVE_USAGE =
  'remove -- service <name> | resource <service> <resource> | field <service> <resource> <field> | call <from> <to>';

/** Folders of a service that are not the generators' (its data is the learner's). */
const NOT_CODE = new Set(['node_modules', 'data']);

/**
 * `npm run generate remove -- resource shipping parcel`: takes back exactly what a recorded run of a generator
 * wrote (the files it made, the lines it added, the manifest entries), from the service's `generated.json`, and
 * refuses, naming the file, when something it wrote was edited since. All or nothing, as a generator writes.
 */
export async function removeGenerated(
  args: string[],
  options: { root: string; dryRun?: boolean },
): Promise<GenerateResult> {
  const started = performance.now();
  const { root } = options;
  const recovered = await recoverInterrupted(root);
  const [kind, service, thing, ...extra] = args;
  if (kind !== 'service' && kind !== 'resource' && kind !== 'field' && kind !== 'call')
    throw new GeneratorError(`remove what? npm run generate ${REMOVE_USAGE}`);
  const name = checkServiceName(service);
  const [fieldName, ...more] = kind === 'field' ? extra : [undefined, ...extra];
  if (kind === 'service' && thing !== undefined) throw new GeneratorError(`unexpected argument "${thing}"`);
  if (more.length > 0) throw new GeneratorError(`unexpected argument "${more[0]}"`);
  const folder = `services/${serviceFolder(name)}`;
  const dir = servicePath(root, name);
  if (!existsSync(dir)) throw new GeneratorError(`unknown service "${name}" (no ${folder})`);
  const record = readRecord(dir, folder);
  const done = (summary: string, changes: Change[], next: string[]): GenerateResult => ({
    generator: 'remove',
    summary,
    folder,
    changes,
    written: !options.dryRun,
    createdService: false,
    recovered,
    formatted: true,
    next,
    ms: performance.now() - started,
  });

  if (kind === 'service') {
    const changes = await planServiceRemoval(root, name, folder, dir, record);
    if (!options.dryRun) {
      const staging = await openStaging(root);
      await rename(dir, join(staging, serviceFolder(name)));
      await rm(staging, { recursive: true, force: true });
    }
    const compose = join(root, 'docker-compose.yml');
    const listed = existsSync(compose) && (await readFile(compose, 'utf8')).includes(`${name}:`);
    return done(
      `remove service ${name}`,
      changes,
      listed ? ['npm run compose   # docker-compose.yml still lists it'] : [],
    );
  }

  if (thing === undefined || (kind === 'field' && fieldName === undefined)) {
    const example = { call: 'user', resource: 'parcel', field: 'parcel weight' }[kind];
    throw new GeneratorError(
      `missing the ${kind === 'call' ? 'service called' : kind === 'field' ? 'resource and field' : 'resource'}, e.g. remove -- ${kind} ${name} ${example}`,
    );
  }
  const other =
    kind === 'call'
      ? checkServiceName(thing)
      : kind === 'field'
        ? `${checkResourceName(thing)}.${fieldName}`
        : checkResourceName(thing);
  const run = findRun(record, `${kind} ${other}`, folder);
  const changes = await planRunRemoval(dir, folder, record, run);
  if (!options.dryRun) {
    const staging = await openStaging(root);
    try {
      for (const change of changes)
        if (change.kind === 'modify')
          await writeDurable(join(staging, serviceFolder(name), change.path), change.text);
      await apply(root, folder, staging, changes);
      for (const change of changes) if (change.kind === 'delete') await removeEmptyFolders(dir, change.path);
    } finally {
      if (!existsSync(join(staging, JOURNAL))) await rm(staging, { recursive: true, force: true });
    }
  }
  const callers = (await listManifests(root)).filter((m) => m.calls.includes(name)).map((m) => m.name);
  const next =
    kind === 'resource' && callers.length > 0
      ? callers.map(
          (c) => `npm run generate call -- ${c} ${name} --force   # ${c}'s client still has ${other}`,
        )
      : [`npm test -w ${folder}`];
  return done(`remove ${kind} ${other} from ${name}`, changes, next);
}

function findRun(record: GeneratedRecord, what: string, folder: string): RecordedRun {
  const run = record.runs.find((r) => r.what === what);
  if (run) return run;
  const known = record.runs.filter((r) => r.what !== 'service').map((r) => r.what);
  throw new GeneratorError(
    `${folder}/${RECORD} has no record of ${what}${known.length ? ` (it has: ${known.join(', ')})` : ''}: only what npm run generate wrote since it kept records can be taken back; take the rest out by hand`,
  );
}

/** What taking back one run changes: its files deleted (as it wrote them), its lines taken out, the record updated. */
async function planRunRemoval(
  dir: string,
  folder: string,
  record: GeneratedRecord,
  run: RecordedRun,
): Promise<Change[]> {
  const changes: Change[] = [];
  for (const [path, sum] of Object.entries(run.created)) {
    const file = join(dir, path);
    if (!existsSync(file)) continue;
    const text = await readFile(file, 'utf8');
    if (hash(path, text) !== sum)
      throw new GeneratorError(
        `${folder}/${path} was edited since npm run generate wrote it; remove it by hand`,
      );
    changes.push({ path, kind: 'delete', text: '', before: text });
  }
  for (const [path, patches] of Object.entries(run.patched)) {
    const file = join(dir, path);
    if (!existsSync(file))
      throw new GeneratorError(`${folder}/${path} is missing; npm run generate added lines to it`);
    const before = await readFile(file, 'utf8');
    const text = takeBack(before, patches, `${folder}/${path}`);
    if (text !== before) changes.push({ path, kind: 'modify', text, before });
  }
  for (const [path, additions] of Object.entries(run.json ?? {})) {
    const file = join(dir, path);
    if (!existsSync(file))
      throw new GeneratorError(`${folder}/${path} is missing; npm run generate added to it`);
    const before = await readFile(file, 'utf8');
    changes.push({
      path,
      kind: 'modify',
      text: formatJson(takeBackJson(before, additions, `${folder}/${path}`)),
      before,
    });
  }
  const runs = record.runs.filter((r) => r !== run);
  const before = await readFile(join(dir, RECORD), 'utf8');
  // A record left with no run goes too: the service is as it was before the generators kept one.
  const text = recordText(runs);
  changes.push({ path: RECORD, kind: runs.length === 0 ? 'delete' : 'modify', text, before });
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * `text` without what `patches` added, undone last first. A generator adds lines (and biome may rewrite an import
 * line it added to): each run of added lines is looked for as it was written, nearest where it was added, and put
 * back to what it replaced. The lines around it may have changed (other runs add at the same anchor); the added
 * lines themselves may not, or it is refused.
 */
function takeBack(text: string, patches: string[], shown: string): string {
  const lines = text.split('\n');
  for (const patch of [...patches].reverse()) {
    const hunks = parsePatch(patch)[0]?.hunks ?? [];
    for (const run of hunks.flatMap(changeRuns).reverse()) {
      const at = nearest(lines, run.added, run.at);
      if (at === -1)
        throw new GeneratorError(
          `${shown} changed where npm run generate added its lines; take them out by hand (they are in ${RECORD})`,
        );
      lines.splice(at, run.added.length, ...run.removed);
    }
  }
  return lines.join('\n');
}

interface ChangeRun {
  /** Lines the run removed and added, and where (0-based) its added lines started in the file it wrote. */
  removed: string[];
  added: string[];
  at: number;
}

function changeRuns(hunk: { newStart: number; lines: string[] }): ChangeRun[] {
  const runs: ChangeRun[] = [];
  let line = hunk.newStart - 1;
  let current: ChangeRun | undefined;
  for (const entry of hunk.lines) {
    const [sign, body] = [entry[0], entry.slice(1)];
    if (sign === ' ' || sign === '\\') {
      current = undefined;
      if (sign === ' ') line++;
      continue;
    }
    if (!current) {
      current = { removed: [], added: [], at: line };
      runs.push(current);
    }
    if (sign === '+') {
      current.added.push(body);
      line++;
    } else current.removed.push(body);
  }
  return runs;
}

/** Where `block` stands in `lines`, nearest `near`; -1 when it does not (an empty block stands at `near`). */
function nearest(lines: string[], block: string[], near: number): number {
  if (block.length === 0) return Math.min(Math.max(near, 0), lines.length);
  let best = -1;
  for (let i = 0; i + block.length <= lines.length; i++) {
    if (!block.every((line, k) => lines[i + k] === line)) continue;
    if (best === -1 || Math.abs(i - near) < Math.abs(best - near)) best = i;
  }
  return best;
}

function takeBackJson(text: string, additions: JsonAddition[], shown: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new GeneratorError(`${shown} is not JSON (${(error as Error).message}); fix it first`);
  }
  const result = withoutAdditions(value, additions);
  if (result === false)
    throw new GeneratorError(
      `${shown} no longer has what npm run generate added to it; take the rest out by hand`,
    );
  return result;
}

/**
 * A service can go when nobody calls it, its data folder is empty, and every file in it is as the recorded runs left
 * it: peeling their lines off, last run first, gives back what the run that made the file wrote.
 */
async function planServiceRemoval(
  root: string,
  name: string,
  folder: string,
  dir: string,
  record: GeneratedRecord,
): Promise<Change[]> {
  const callers = (await listManifests(root)).filter((m) => m.name !== name && m.calls.includes(name));
  if (callers.length > 0) {
    const caller = callers[0]?.name;
    throw new GeneratorError(
      `${caller} calls ${name}: take that back first (npm run generate remove -- call ${caller} ${name})`,
    );
  }
  findRun(record, 'service', folder);
  const data = join(dir, 'data');
  if (existsSync(data) && (await readdir(data)).length > 0)
    throw new GeneratorError(
      `${folder}/data/ holds ${name}'s data; delete it yourself if you mean to lose it, then remove the service`,
    );
  const changes: Change[] = [];
  for (const path of await codeFiles(dir)) {
    const text = await readFile(join(dir, path), 'utf8');
    if (path !== RECORD) asGenerated(record, path, text, folder);
    changes.push({ path, kind: 'delete', text: '', before: text });
  }
  return changes;
}

/** Refuses a file no recorded run made, or one edited since. */
function asGenerated(record: GeneratedRecord, path: string, text: string, folder: string): void {
  let current = text;
  for (const run of [...record.runs].reverse()) {
    const patches = run.patched[path];
    if (patches) current = takeBack(current, patches, `${folder}/${path}`);
    const additions = run.json?.[path];
    if (additions) current = JSON.stringify(takeBackJson(current, additions, `${folder}/${path}`));
    const sum = run.created[path];
    if (sum === undefined) continue;
    if (hash(path, current) === sum) return;
    throw new GeneratorError(
      `${folder}/${path} was edited since npm run generate wrote it; remove the service by hand`,
    );
  }
  throw new GeneratorError(
    `${folder}/${path} was not written by npm run generate; move it out first, or remove the service by hand`,
  );
}

async function codeFiles(dir: string, under = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(dir, under), { withFileTypes: true })) {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!NOT_CODE.has(path)) found.push(...(await codeFiles(dir, path)));
    } else found.push(path);
  }
  return found.sort();
}

/** `src/clients/` goes with its last client. */
async function removeEmptyFolders(dir: string, path: string): Promise<void> {
  for (let folder = dirname(join(dir, path)); relative(dir, folder) !== ''; folder = dirname(folder)) {
    if (!existsSync(folder)) continue; // gone with an earlier file
    if ((await readdir(folder)).length > 0) return;
    await rmdir(folder);
  }
}
