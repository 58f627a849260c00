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
  if (target === 'compose') {
    const list = containers(town);
    const volumes = list.flatMap((c) => (c.volume ? [c.volume] : [])).sort();
    const data = { containers: list, volumes, probe: PROBE };
    files.push({ path: 'docker-compose.yml', text: await render('compose/docker-compose.yml.hbs', data) });
    return files;
  }
  for (const s of town.services) {
    files.push({ path: `k8s/${s.name}.yaml`, text: await render('compose/k8s/service.yaml.hbs', s) });
  }
  if (town.playground) {
    files.push({ path: 'k8s/playground.yaml', text: await render('compose/k8s/playground.yaml.hbs', town) });
  }
  files.push({
    path: 'k8s/kustomization.yaml',
    text: await render('compose/k8s/kustomization.yaml.hbs', town),
  });
  return files;
}
