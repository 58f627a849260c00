/**
 * `kubectl kustomize <dir>` for the part of kustomize the generated files use: `resources` (files and bases) and
 * JSON 6902 `patches` with a target. Test support: the overlays are checked without kubectl, and anything else in a
 * kustomization is refused, so a new feature there fails the tests until this learns it.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Target {
  kind?: string;
  name?: string;
  labelSelector?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  patches?: { path?: string; target?: Target }[];
}

interface Operation {
  op: string;
  path: string;
  value?: unknown;
}

const FIELDS = ['apiVersion', 'kind', 'resources', 'patches'];
const TARGET_FIELDS = ['kind', 'name', 'labelSelector'];

/** `path` is `dir` or below it. */
const within = (path: string, dir: string) => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Every resource the kustomization in `dir` makes, patched. Throws, naming the file, where kustomize would refuse. */
export async function kustomize(dir: string, visited: string[] = []): Promise<Resource[]> {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${file}: no kustomization.yaml`);
  const k: Kustomization = parse(await readFile(file, 'utf8'));
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || k.kind !== 'Kustomization') {
    throw new Error(`${file}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  }
  const unknown = Object.keys(k).filter((key) => !FIELDS.includes(key));
  if (unknown.length > 0) throw new Error(`${file}: ${unknown.join(', ')} unknown to this in-test kustomize`);
  const resources: Resource[] = [];
  for (const entry of k.resources ?? []) {
    resources.push(...(await resourcesOf(dir, entry, [dir, ...visited])));
  }
  for (const patch of k.patches ?? []) await applyPatch(dir, patch, resources);
  return resources;
}

async function resourcesOf(dir: string, entry: string, visited: string[]): Promise<Resource[]> {
  const path = resolve(dir, entry);
  if (!existsSync(path)) throw new Error(`${dir}: resource ${entry} does not exist`);
  if (statSync(path).isDirectory()) {
    // kustomize: "cycle detected: candidate root ... contains visited root", also for a base above its overlay.
    const inside = visited.find((v) => within(v, path));
    if (inside) throw new Error(`${dir}: resource ${entry} contains ${inside}, a folder already visited`);
    return kustomize(path, visited);
  }
  // kustomize: "security; file ... is not in or below ...": a file comes from the kustomization's own folder.
  if (!within(path, dir)) throw new Error(`${dir}: resource ${entry} is not in or below ${dir}`);
  return documents(path);
}

async function documents(path: string): Promise<Resource[]> {
  const docs = parseAllDocuments(await readFile(path, 'utf8'));
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) throw new Error(`${path}: ${broken.errors[0]?.message}`);
  return docs.map((d) => d.toJS() as Resource);
}

async function applyPatch(dir: string, patch: { path?: string; target?: Target }, resources: Resource[]) {
  const path = resolve(dir, patch.path ?? '');
  if (!patch.path || !existsSync(path)) throw new Error(`${dir}: patch ${patch.path} does not exist`);
  if (!within(path, dir)) throw new Error(`${dir}: patch ${patch.path} is not in or below ${dir}`);
  const target = patch.target ?? {};
  const unknown = Object.keys(target).filter((key) => !TARGET_FIELDS.includes(key));
  if (!patch.target || unknown.length > 0) {
    throw new Error(`${dir}: patch ${patch.path} needs a target of ${TARGET_FIELDS.join(', ')} only`);
  }
  const operations: unknown = parse(await readFile(path, 'utf8'));
  if (!Array.isArray(operations)) throw new Error(`${path}: only JSON 6902 patches (a list of operations)`);
  const selected = resources.filter((r) => selects(target, r));
  // kustomize would apply a patch to nothing without a word; here that is a mistake worth failing on.
  if (selected.length === 0) throw new Error(`${path}: the target selects no resource`);
  for (const resource of selected) {
    for (const operation of operations as Operation[]) apply(resource, operation, path);
  }
}

function selects(target: Target, resource: Resource): boolean {
  if (target.kind !== undefined && target.kind !== resource.kind) return false;
  if (target.name !== undefined && target.name !== resource.metadata.name) return false;
  const labels = resource.metadata.labels ?? {};
  // Equality-based selectors only: `key=value,key=value`.
  return (target.labelSelector ?? '')
    .split(',')
    .filter((term) => term !== '')
    .every((term) => {
      const [key = '', value = ''] = term.split('=');
      return labels[key] === value;
    });
}

/** One RFC 6902 operation, `replace` or `add`, in place; a path that is not there is an error, as in kustomize. */
function apply(resource: Resource, { op, path, value }: Operation, file: string) {
  const where = `${file}: ${op} ${path} on ${resource.kind}/${resource.metadata.name}`;
  if (op !== 'replace' && op !== 'add') throw new Error(`${where}: only replace and add are known here`);
  const keys = path
    .split('/')
    .slice(1)
    .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent: unknown = resource;
  for (const key of keys) parent = (parent as Record<string, unknown> | undefined)?.[key];
  if (last === undefined || typeof parent !== 'object' || parent === null) {
    throw new Error(`${where}: no such path`);
  }
  const node = parent as Record<string, unknown>;
  if (op === 'replace' && !(last in node)) throw new Error(`${where}: no such path`);
  if (Array.isArray(node) && op === 'add') node.splice(last === '-' ? node.length : Number(last), 0, value);
  else node[last] = value;
}
