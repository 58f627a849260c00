import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editActions } from './edits.js';
import { GeneratorError } from './errors.js';
import { DEFAULT_FIELDS, type FieldType, fieldTypes, parseFields } from './fields.js';
import type { Generator } from './generator.js';
import { requireManifest, serviceFolder, servicePath } from './manifest.js';
import {
  camelCase,
  checkResourceName,
  checkServiceName,
  pascalCase,
  plural,
  sentenceCase,
  snakeCase,
  withArticle,
} from './names.js';
import { input, pickService } from './prompts.js';

export const resource: Generator = {
  name: 'resource',
  description: 'CRUD routes and their tests for a resource of a service',
  usage: 'resource -- <service> <resource> [<field>:<type>,...]',

  prompts: (root) => [
    pickService(root, 'service', 'Which service?'),
    input('resource', 'Resource name, singular (e.g. parcel):', async (value, answers) => {
      const name = checkResourceName(value);
      const service = String(answers.service);
      const manifest = await requireManifest(root, service);
      if (hasResource(servicePath(root, service), manifest.resources ?? {}, name))
        throw new GeneratorError(`resource "${name}" already exists in ${service}; pick another name`);
    }),
    input(
      'fields',
      'Fields, <name>:<type> (string, integer, number, boolean, email), comma-separated:',
      (fields) => parseFields([fields]),
      DEFAULT_FIELDS,
    ),
  ],

  fromArgs([service, resource, ...fields]) {
    return {
      service: checkServiceName(service),
      resource: checkResourceName(resource),
      fields: fields.join(','),
    };
  },

  async plan(answers, { root, force }) {
    const service = checkServiceName(answers.service as string);
    const name = checkResourceName(answers.resource as string);
    const manifest = await requireManifest(root, service);
    const fields = resourceFields(name, String(answers.fields ?? ''), manifest.resources?.[name], force);
    const folder = `services/${serviceFolder(service)}`;
    const dir = servicePath(root, service);
    const data = resourceData(service, name, fields);
    const router = `src/routes/${data.path}.ts`;
    if (hasResource(dir, manifest.resources ?? {}, name) && !force) {
      throw new GeneratorError(
        `resource "${name}" already exists in ${service} (${router}); pick another name, or --force to regenerate its router and tests`,
      );
    }
    const { Resource, Resources, collection, path, titlePlural } = data;
    const actions = [
      { type: 'add', path: router, templateFile: 'templates/resource/src/routes/resources.ts.hbs' },
      {
        type: 'add',
        path: `src/routes/${path}.test.ts`,
        templateFile: 'templates/resource/src/routes/resources.test.ts.hbs',
      },
      ...editActions(root, folder, [
        {
          file: 'src/app.ts',
          anchor: 'routers',
          text: `  register${Resources},`,
          marker: `register${Resources},`,
          imports: `import { register${Resources} } from './routes/${path}.js';`,
        },
        {
          file: 'src/store.ts',
          anchor: 'collections',
          text: `  ${collection}: ${Resource}Public[];`,
          marker: `${collection}: ${Resource}Public[]`,
          imports: `import type { ${Resource}Public } from './schemas.js';`,
        },
        {
          file: 'src/store.ts',
          anchor: 'defaults',
          text: `    ${collection}: [],`,
          marker: `${collection}: [],`,
        },
        {
          file: 'src/schemas.ts',
          anchor: 'schemas',
          templateFile: 'templates/resource/snippets/schemas.ts.hbs',
          marker: `export const ${Resource}Create `,
          // A service made before pageOf was in the kit imports only Paging and z.
          imports: `import { pageOf } from '@microtown/kit';`,
        },
        {
          file: 'README.md',
          anchor: 'routes',
          text: `- \`/${path}\`: list, read, create, update and delete ${titlePlural} (\`${router}\`)`,
          marker: `\`/${path}\`:`,
        },
      ]),
      {
        type: 'json',
        path: 'service.json',
        edit: (m: { resources?: Record<string, unknown> }) => {
          m.resources = { ...m.resources, [name]: fieldTypes(fields) };
        },
      },
    ];
    return {
      folder,
      data,
      actions,
      summary: `resource ${name} in ${service}: /${path} (${fields.map((f) => `${f.name}:${f.type}`).join(', ')})`,
      record: `resource ${name}`,
      next: [`npm test -w services/${service}-service`],
    };
  },
};

/** Whether the service has the resource already: its router, its manifest entry or its line in src/app.ts. */
function hasResource(dir: string, resources: Record<string, unknown>, name: string): boolean {
  const { path, Resources } = resourceData('', name, []);
  const app = existsSync(join(dir, 'src/app.ts')) ? readFileSync(join(dir, 'src/app.ts'), 'utf8') : '';
  return (
    existsSync(join(dir, `src/routes/${path}.ts`)) ||
    Object.hasOwn(resources, name) ||
    app.includes(`register${Resources}`)
  );
}

/**
 * The fields to generate with. Regenerating an existing resource (--force) keeps the fields its manifest records:
 * its model family in src/schemas.ts is never rewritten, so its router and tests must match it.
 */
function resourceFields(
  name: string,
  specs: string,
  recorded: Record<string, FieldType> | undefined,
  force: boolean,
) {
  if (!recorded || !force) return parseFields([specs]);
  const kept = Object.entries(recorded)
    .map(([field, type]) => `${field}:${type}`)
    .join(',');
  if (specs !== '' && specs !== kept) {
    throw new GeneratorError(
      `resource "${name}" has the fields ${kept}; --force regenerates its router and tests with them (change fields in src/schemas.ts by hand)`,
    );
  }
  return parseFields([kept]);
}

/** Every spelling of a resource name the templates use: parcel, Parcel, parcels, Parcels, parcel_id, ... */
export function resourceData(service: string, name: string, fields: ReturnType<typeof parseFields>) {
  const path = plural(name);
  return {
    service,
    Service: pascalCase(service),
    resource: name,
    Resource: pascalCase(name),
    Resources: pascalCase(path),
    path,
    itemPath: `/${path}/{${snakeCase(name)}_id}`,
    idParam: `${snakeCase(name)}_id`,
    collection: camelCase(path),
    snake: snakeCase(name),
    snakePlural: snakeCase(path),
    title: name.replaceAll('-', ' '),
    aTitle: withArticle(name.replaceAll('-', ' ')),
    Title: sentenceCase(name),
    titlePlural: path.replaceAll('-', ' '),
    fields,
    first: fields[0],
  };
}
