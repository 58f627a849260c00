import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPatch } from 'diff';
import { GeneratorError } from './errors.js';
import type { Change } from './stage.js';

/**
 * `services/<name>-service/generated.json`: what `npm run generate` wrote in a service, run by run, so that
 * `npm run generate remove ...` can take back exactly that, and `--force` can tell a generated file from an edited
 * one. A created file is kept as its hash, a file the run added lines to as the patch it made.
 */
export const RECORD = 'generated.json';

export interface RecordedRun {
  /** What `remove` names: `service`, `resource parcel`, `call user`. */
  what: string;
  /** What the run did, as the terminal said it. */
  summary: string;
  /** Each file the run created (or regenerated), with the sha256 of what it wrote. */
  created: Record<string, string>;
  /** Each file the run added lines to, with the unified diffs of what it changed (one per run of this thing). */
  patched: Record<string, string[]>;
  /** Each JSON file the run added to (the manifest), as the keys and list items it added. */
  json?: Record<string, JsonAddition[]>;
}

/** A key added to an object (`value`), or an item added to a list (`item`), at `path`. */
export type JsonAddition = { path: string[]; value: unknown } | { path: string[]; item: unknown };

export interface GeneratedRecord {
  about: string;
  runs: RecordedRun[];
}

const ABOUT =
  'What npm run generate wrote in this service, so that npm run generate remove can take it back and --force can tell an edited file. Written by the generators; leave it be.';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** What a file says: its text, or for JSON its value (indentation aside). */
export function hash(path: string, text: string): string {
  if (!path.endsWith('.json')) return sha256(text);
  try {
    return sha256(JSON.stringify(JSON.parse(text)));
  } catch {
    return sha256(text);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The keys and list items `after` has and `before` has not; undefined when `after` changed anything else. */
export function jsonAdditions(
  before: unknown,
  after: unknown,
  path: string[] = [],
): JsonAddition[] | undefined {
  if (isObject(before) && isObject(after)) {
    if (Object.keys(before).some((key) => !(key in after))) return undefined;
    const added: JsonAddition[] = [];
    for (const [key, value] of Object.entries(after)) {
      if (!(key in before)) added.push({ path: [...path, key], value });
      else {
        const inner = jsonAdditions(before[key], value, [...path, key]);
        if (!inner) return undefined;
        added.push(...inner);
      }
    }
    return added;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const left = after.filter((item) => !before.some((b) => same(b, item)));
    if (after.length - left.length !== before.length) return undefined;
    return left.map((item) => ({ path, item }));
  }
  return same(before, after) ? [] : undefined;
}

/** `value` without `additions`, last first; false when one is no longer there as it was added. */
export function withoutAdditions(value: unknown, additions: JsonAddition[]): unknown | false {
  const result = structuredClone(value);
  for (const addition of [...additions].reverse()) {
    const keys = [...addition.path];
    const last = 'value' in addition ? keys.pop() : undefined;
    let at: unknown = result;
    for (const key of keys) at = isObject(at) ? at[key] : undefined;
    if ('item' in addition) {
      if (!Array.isArray(at)) return false;
      const index = at.findIndex((item) => same(item, addition.item));
      if (index === -1) return false;
      at.splice(index, 1);
    } else {
      if (!isObject(at) || last === undefined || !same(at[last], addition.value)) return false;
      delete at[last];
    }
  }
  return result;
}

/** The record of a service folder (empty when it has none: a service made before records, or by hand). */
export function readRecord(folder: string, shown: string): GeneratedRecord {
  const file = join(folder, RECORD);
  if (!existsSync(file)) return { about: ABOUT, runs: [] };
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as GeneratedRecord;
    if (!Array.isArray(record.runs)) throw new Error('it has no "runs" list');
    return record;
  } catch (error) {
    throw new GeneratorError(
      `${shown}/${RECORD} cannot be read (${(error as Error).message}); restore it from git`,
    );
  }
}

/** The record's file, as the generators write it. */
export const recordText = (runs: RecordedRun[]) => `${JSON.stringify({ about: ABOUT, runs }, null, 2)}\n`;

/** Which run last wrote each file the record knows, and what it wrote. */
export function writtenFiles(record: GeneratedRecord): Map<string, string> {
  const files = new Map<string, string>();
  for (const run of record.runs) for (const [path, sum] of Object.entries(run.created)) files.set(path, sum);
  return files;
}

/**
 * Adds a run to the record in the staged folder. A run of the same thing again (`--force`) takes the new hashes and
 * adds its patches to the first ones: taking it back takes back both.
 */
export async function recordRun(
  staged: string,
  record: GeneratedRecord,
  what: string,
  summary: string,
  changes: Change[],
  overwritten: Set<string>,
): Promise<void> {
  const created: Record<string, string> = {};
  const patched: Record<string, string[]> = {};
  const json: Record<string, JsonAddition[]> = {};
  for (const change of changes) {
    if (change.path === RECORD) continue;
    if (change.kind === 'create' || overwritten.has(change.path)) {
      created[change.path] = hash(change.path, change.text);
      continue;
    }
    const additions = change.path.endsWith('.json') ? jsonDiff(change) : undefined;
    if (additions) json[change.path] = additions;
    else
      patched[change.path] = [
        createPatch(change.path, change.before ?? '', change.text, '', '', { context: 2 }),
      ];
  }
  const earlier = record.runs.find((run) => run.what === what);
  const run: RecordedRun = { what, summary, created: { ...earlier?.created, ...created }, patched: {} };
  for (const [path, patches] of Object.entries({ ...earlier?.patched }))
    run.patched[path] = [...patches, ...(patched[path] ?? [])];
  for (const [path, patches] of Object.entries(patched)) run.patched[path] ??= patches;
  const additions = { ...earlier?.json };
  for (const [path, added] of Object.entries(json)) additions[path] = [...(additions[path] ?? []), ...added];
  if (Object.keys(additions).length > 0) run.json = additions;
  const runs = [...record.runs.filter((r) => r !== earlier), run];
  await writeFile(join(staged, RECORD), recordText(runs));
}

function jsonDiff(change: Change): JsonAddition[] | undefined {
  try {
    return jsonAdditions(JSON.parse(change.before ?? ''), JSON.parse(change.text));
  } catch {
    return undefined;
  }
}
