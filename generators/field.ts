import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { editActions } from './edits.js';
import { GeneratorError } from './errors.js';
import { FIELD_TYPES, type FieldType, field as fieldCode } from './fields.js';
import type { Generator } from './generator.js';
import { listManifests, type Manifest, requireManifest, serviceFolder, servicePath } from './manifest.js';
import { checkResourceName, checkServiceName } from './names.js';
import { input, pick, pickService } from './prompts.js';
import { resourceData } from './resource.js';

/** `phone:string`, `phone?:string` (optional), `phone:string=unknown` (required, old records get `unknown`). */
const SPEC = /^([a-z][a-z0-9_]*)(\?)?:([a-z]+)(?:=(.*))?$/;

export interface FieldSpec {
  name: string;
  type: FieldType;
  optional: boolean;
  /** What the records stored before the field existed get; undefined when none was given. */
  fallback?: string | number | boolean;
}

export function parseFieldSpec(spec: string | undefined): FieldSpec {
  const match = SPEC.exec(spec ?? '');
  if (!match) {
    throw new GeneratorError(
      `invalid field ${JSON.stringify(spec ?? '')}: write <name>:<type>, <name>?:<type> (optional) or <name>:<type>=<default>, e.g. phone:string=unknown`,
    );
  }
  const [, name = '', optional, type = '', text] = match;
  if (!(FIELD_TYPES as readonly string[]).includes(type))
    throw new GeneratorError(`field ${name}: unknown type "${type}" (types: ${FIELD_TYPES.join(', ')})`);
  if (name === 'id') throw new GeneratorError('field name "id" is reserved (every record has one)');
  if (optional && text !== undefined)
    throw new GeneratorError(
      `field ${name} is optional or has a default, not both: ${name}?:${type} or ${name}:${type}=${text}`,
    );
  return {
    name,
    type: type as FieldType,
    optional: Boolean(optional),
    fallback: text === undefined ? undefined : parseValue(name, type as FieldType, text),
  };
}

function parseValue(name: string, type: FieldType, text: string): string | number | boolean {
  const bad = () =>
    new GeneratorError(
      `field ${name}: default "${text}" is not ${type === 'integer' ? 'an integer' : `a ${type}`}`,
    );
  switch (type) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value) || (type === 'integer' && !Number.isInteger(value)))
        throw bad();
      return value;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw bad();
      return text === 'true';
    case 'email':
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) throw bad();
      return text;
    default:
      return text;
  }
}

/** How many records the service's data file holds in the collection (0 without a data file). */
function storedRecords(dir: string, service: string, collection: string): number {
  const file = join(dir, 'data', `${service}.json`);
  if (!existsSync(file)) return 0;
  try {
    const records = JSON.parse(readFileSync(file, 'utf8'))[collection];
    return Array.isArray(records) ? records.length : 0;
  } catch {
    return 0; // the service itself refuses a data file it cannot read, naming it
  }
}

export const field: Generator = {
  name: 'field',
  description: 'add a field to a resource; the records stored before it get its default at start',
  usage: 'field -- <service> <resource> <field>:<type>[=<default>] (or <field>?:<type>, optional)',

  prompts: (root) => [
    pickService(root, 'service', 'Which service?', (m) => Object.keys(m.resources).length > 0),
    pick('resource', 'Which resource?', async (answers) =>
      Object.keys((await requireManifest(root, String(answers.service))).resources),
    ),
    input(
      'field',
      'Field, <name>:<type>, <name>?:<type> (optional) or <name>:<type>=<default>:',
      parseFieldSpec,
    ),
  ],

  fromArgs([service, resource, spec, ...extra]) {
    if (extra.length) throw new GeneratorError(`unexpected argument "${extra[0]}"`);
    if (spec === undefined)
      throw new GeneratorError('missing the field, e.g. field -- user user phone:string=unknown');
    return { service: checkServiceName(service), resource: checkResourceName(resource), field: spec };
  },

  async plan(answers, { root }) {
    const service = checkServiceName(answers.service as string);
    const name = checkResourceName(answers.resource as string);
    const spec = parseFieldSpec(answers.field as string);
    const manifest: Manifest = await requireManifest(root, service);
    const fields = manifest.resources[name];
    if (!fields) {
      const known = Object.keys(manifest.resources);
      throw new GeneratorError(
        `${service} has no resource "${name}" (${known.length ? `its resources: ${known.join(', ')}` : 'none yet'})`,
      );
    }
    if (spec.name in fields) throw new GeneratorError(`${name} has a field "${spec.name}" already`);
    const folder = `services/${serviceFolder(service)}`;
    const dir = servicePath(root, service);
    const { collection } = resourceData(service, name, []);
    const stored = storedRecords(dir, service, collection);
    if (!spec.optional && spec.fallback === undefined && stored > 0) {
      throw new GeneratorError(
        `${folder}/data/${service}.json holds ${stored} ${collection} without ${spec.name}: give them a default (${spec.name}:${spec.type}=...) or make it optional (${spec.name}?:${spec.type})`,
      );
    }
    const code = fieldCode(spec.name, spec.type);
    const id = `${name}-${spec.name}`;
    const migration =
      spec.fallback === undefined
        ? []
        : [
            {
              file: 'src/store.ts',
              anchor: 'migrations',
              text: [
                '  {',
                `    // ${collection} stored before ${spec.name} existed get ${JSON.stringify(spec.fallback)}`,
                `    id: '${id}',`,
                '    up: (data) => {',
                `      for (const record of data.${collection}) record.${spec.name} ??= ${JSON.stringify(spec.fallback)};`,
                '    },',
                '  },',
              ].join('\n'),
              marker: `id: '${id}',`,
            },
          ];
    const actions = [
      ...editActions(root, folder, [
        {
          file: 'src/schemas.ts',
          anchor: `${name}-fields`,
          text: `    ${spec.name}: ${code.zod}${spec.optional ? '.optional()' : ''},`,
          marker: `${spec.name}: ${code.zod}`,
        },
        {
          file: 'src/schemas.ts',
          anchor: `${name}-filters`,
          text: `  ${spec.name}: ${code.zodQuery}.optional(),`,
          marker: `${spec.name}: ${code.zodQuery}.optional()`,
        },
        ...migration,
      ]),
      {
        type: 'json',
        path: 'service.json',
        edit: (m: Manifest) => {
          m.resources[name] = { ...m.resources[name], [spec.name]: spec.type };
        },
      },
    ];
    const callers = (await listManifests(root)).filter((m) => m.calls.includes(service)).map((m) => m.name);
    const what = spec.optional
      ? 'optional'
      : spec.fallback === undefined
        ? 'required'
        : `default ${JSON.stringify(spec.fallback)}`;
    return {
      folder,
      data: {},
      actions,
      summary: `field ${spec.name} of ${name} in ${service}: ${spec.type}, ${what}${stored && spec.fallback !== undefined ? ` (${stored} stored ${collection} get it at the next start)` : ''}`,
      record: `field ${name}.${spec.name}`,
      next: [
        ...(spec.optional
          ? []
          : [
              `npm run typecheck   # names the code that makes ${collection} without ${spec.name} (seed, tests)`,
            ]),
        ...callers.map(
          (c) => `npm run generate call -- ${c} ${service} --force   # its client learns ${spec.name}`,
        ),
        `npm test -w ${folder}`,
      ],
    };
  },
};
