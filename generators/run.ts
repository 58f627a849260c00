import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import nodePlop, { type CustomActionConfig, type NodePlopAPI } from 'node-plop';
import { GeneratorError } from './errors.js';
import { formatFiles } from './format.js';
import type { Answers, Plan } from './generator.js';
import { JOURNAL, openStaging, recoverInterrupted } from './journal.js';
import { formatJson } from './manifest.js';
import { type GeneratedRecord, hash, readRecord, recordRun, writtenFiles } from './record.js';
import { findGenerator, GENERATORS } from './registry.js';
import { apply, type Change, diff, stageCopy } from './stage.js';

/** The repository: templates/ and biome.json live here, whatever project is generated into. */
export const REPO = resolve(import.meta.dirname, '..');

export interface GenerateOptions {
  /** The project holding `services/` (default: this repository). */
  root?: string;
  /** Overwrite the files the generator creates; lines it inserts are never duplicated. */
  force?: boolean;
  /** With `force`: overwrite them even when edited since they were generated (`--force --force`). */
  forceEdited?: boolean;
  /** Work it all out, write nothing. */
  dryRun?: boolean;
  /** Format with biome (default true). */
  format?: boolean;
}

export interface GenerateResult {
  generator: string;
  summary: string;
  /** The service folder, relative to the root. */
  folder: string;
  changes: Change[];
  written: boolean;
  /** A new service folder appeared (the caller may want to link the workspace). */
  createdService: boolean;
  /** One line per change of an earlier, killed run that this run finished or undid first. */
  recovered: string[];
  formatted: boolean;
  next: string[];
  ms: number;
}

/**
 * Runs one generator without prompts: `generate('service', ['shipping', '4105'], { root })`.
 * It renders into a staging copy of the service folder under `<root>/.tmp/`, formats it, and only then writes
 * the difference into `services/`, all or nothing even if killed; a refusal or a failed action leaves the project
 * as it was. A change an earlier run left half-made is finished first.
 */
export async function generate(
  name: string,
  input: string[] | Answers,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const started = performance.now();
  const generator = findGenerator(name);
  if (!generator) {
    const names = GENERATORS.map((g) => g.name).join(', ');
    throw new GeneratorError(`unknown generator "${name}"; use one of ${names}`);
  }
  const root = resolve(options.root ?? REPO);
  const force = options.force ?? false;
  const recovered = await recoverInterrupted(root);
  const answers = Array.isArray(input) ? generator.fromArgs(input) : input;
  const plan = await generator.plan(answers, { root, force });
  const target = join(root, plan.folder);

  const staging = await openStaging(root);
  try {
    const staged = join(staging, basename(target));
    await stageCopy(target, staged);
    const plop = await nodePlop(undefined, { destBasePath: staged, force });
    plop.setPlopfilePath(REPO);
    plop.setActionType('json', editJson);
    const runner = plop.setGenerator(name, {
      description: generator.description,
      prompts: [],
      actions: plan.actions,
    });
    const { failures } = await runner.runActions({ ...plan.data });
    const failure = failures.find((f) => f.error !== 'Aborted due to previous action failure') ?? failures[0];
    if (failure) throw new GeneratorError(`nothing was written: ${describeFailure(failure, staged)}`);

    const touched = (await diff(staged, target)).map((change) => join(staged, change.path));
    const formatted = options.format === false ? false : await formatFiles(REPO, touched);
    const made = await diff(staged, target);
    if (plan.record && made.length > 0) {
      const record = readRecord(target, plan.folder);
      const overwritten = overwrites(plan, made);
      refuseEdited(plan.folder, record, made, overwritten, options.forceEdited ?? false);
      await recordRun(staged, record, plan.record, plan.summary, made, overwritten);
    }
    // The record joins the changes it records.
    const changes = plan.record && made.length > 0 ? await diff(staged, target) : made;
    // Only a service is an npm workspace; an exercise folder is not.
    const createdService = plan.folder.startsWith('services/') && !existsSync(target) && !options.dryRun;
    if (!options.dryRun && changes.length > 0) await apply(root, plan.folder, staging, changes);
    return {
      generator: name,
      summary: plan.summary,
      folder: plan.folder,
      changes,
      written: !options.dryRun && changes.length > 0,
      createdService,
      recovered,
      formatted,
      next: plan.next,
      ms: performance.now() - started,
    };
  } finally {
    // A journal left behind is a change that could not be undone: the next run finishes undoing it.
    if (!existsSync(join(staging, JOURNAL))) await rm(staging, { recursive: true, force: true });
  }
}

/** The files the plan's `add` actions write over (with `--force`), as opposed to those it adds lines to. */
function overwrites(plan: Plan, changes: Change[]): Set<string> {
  const added = new Set(
    plan.actions.flatMap((a) => (typeof a === 'object' && a.type === 'add' && 'path' in a ? [a.path] : [])),
  );
  return new Set(changes.filter((c) => c.kind === 'modify' && added.has(c.path)).map((c) => c.path));
}

/**
 * `--force` rewrites a file only as it was generated: one edited since (its hash is not the one recorded), or one the
 * record does not know (hand-written, or made before records were kept), needs `--force --force`.
 */
function refuseEdited(
  folder: string,
  record: GeneratedRecord,
  changes: Change[],
  overwritten: Set<string>,
  forceEdited: boolean,
): void {
  if (forceEdited) return;
  const written = writtenFiles(record);
  for (const change of changes) {
    if (!overwritten.has(change.path)) continue;
    const sum = written.get(change.path);
    if (sum !== undefined && sum === hash(change.path, change.before ?? '')) continue;
    const why =
      sum === undefined
        ? 'was not written by npm run generate'
        : 'was edited since npm run generate wrote it';
    throw new GeneratorError(
      `${folder}/${change.path} ${why}; --force rewrites only generated files: --force --force overwrites it (move your code beside it first)`,
    );
  }
}

/** node-plop reports a failure as text, often with the absolute staging path in it: make it one readable line. */
function describeFailure(
  failure: { path?: string; error?: string; message?: string },
  staged: string,
): string {
  const text = `${failure.error ?? failure.message ?? 'unknown failure'} ${failure.path ?? ''}`;
  const line = text
    .replaceAll(`${staged}/`, '')
    .replace(/\s*\n\s*->\s*/g, ': ')
    .replace(/\s+/g, ' ')
    .trim();
  return /already exists/.test(line) ? `${line} (--force overwrites it)` : line;
}

/** A plop action type: `{ type: 'json', path, edit(value) }` changes a JSON file in place, e.g. the manifest. */
async function editJson(
  _answers: Answers,
  config: CustomActionConfig<string>,
  plop: NodePlopAPI,
): Promise<string> {
  const file = join(plop.getDestBasePath(), config.path);
  const value = JSON.parse(await readFile(file, 'utf8'));
  config.edit(value);
  await writeFile(file, formatJson(value));
  return config.path;
}
