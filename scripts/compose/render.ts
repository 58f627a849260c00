import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { pascalCase } from '../../generators/names.js';
import { containers } from './containers.js';
import type { Town } from './town.js';

/** The repository: its templates/ serve whatever project is composed. */
export const REPO = resolve(import.meta.dirname, '..', '..');

export type Target = 'compose' | 'k8s';

/** One file to write, its path relative to the project root. */
export interface OutputFile {
  path: string;
  text: string;
}

/** The health probe of a container: node images have no curl, but node 20 has fetch. */
export const PROBE =
  "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))";

async function render(template: string, data: unknown): Promise<string> {
  const source = await readFile(join(REPO, 'templates', template), 'utf8');
  // The outputs are YAML and Dockerfiles, not HTML: nothing to escape, and names are checked kebab-case.
  return Handlebars.compile(source, { noEscape: true, strict: true })(data);
}

/** Every file of a target: the Dockerfiles (both targets build the same images), then the target's own files. */
export async function renderTown(town: Town, target: Target): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const s of town.services) {
    // The same template and data as `npm run generate service`, so both write the same bytes.
    const data = { name: s.name, Name: pascalCase(s.name), port: s.port };
    files.push({ path: `${s.folder}/Dockerfile`, text: await render('service/Dockerfile.hbs', data) });
  }
  if (town.playground) {
    files.push({
      path: 'playground/Dockerfile',
      text: await render('compose/playground.Dockerfile.hbs', town),
    });
  }
  files.push(...(target === 'compose' ? await composeFiles(town) : await k8sFiles(town)));
  return files;
}

/** docker-compose.yml, and beside it the `develop.watch` of each built container (see the template for why apart). */
async function composeFiles(town: Town): Promise<OutputFile[]> {
  const list = containers(town);
  const volumes = list.flatMap((c) => (c.volume ? [c.volume] : [])).sort();
  const watched = list.filter((c) => c.watch.length > 0);
  return [
    {
      path: 'docker-compose.yml',
      text: await render('compose/docker-compose.yml.hbs', { containers: list, volumes, probe: PROBE }),
    },
    { path: WATCH_FILE, text: await render('compose/docker-compose.watch.yml.hbs', { watched }) },
  ];
}

/** `docker compose -f docker-compose.yml -f <this> watch`. */
export const WATCH_FILE = 'docker-compose.watch.yml';

/** The base, for any cluster, in its own folder: kustomize refuses an overlay that sits inside its base's folder. */
export const K8S_BASE = 'k8s/base';
/** The base on a local kind cluster, whose images come from `kind load docker-image`, never from a registry. */
export const K8S_KIND = 'k8s/overlays/kind';

async function k8sFiles(town: Town): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  for (const s of town.services) {
    files.push({ path: `${K8S_BASE}/${s.name}.yaml`, text: await render('compose/k8s/service.yaml.hbs', s) });
  }
  if (town.playground) {
    files.push({
      path: `${K8S_BASE}/playground.yaml`,
      text: await render('compose/k8s/playground.yaml.hbs', town),
    });
  }
  files.push({
    path: `${K8S_BASE}/kustomization.yaml`,
    text: await render('compose/k8s/kustomization.yaml.hbs', town),
  });
  for (const name of ['kustomization.yaml', 'never-pull.yaml']) {
    files.push({ path: `${K8S_KIND}/${name}`, text: await render(`compose/k8s/kind/${name}.hbs`, town) });
  }
  return files;
}
