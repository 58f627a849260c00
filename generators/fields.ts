import { GeneratorError } from './errors.js';

export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'email'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One field of a resource, with the code fragments the templates need. */
export interface Field {
  name: string;
  type: FieldType;
  /** zod schema of the JSON body */
  zod: string;
  /** zod schema of the query-string filter (query values are text) */
  zodQuery: string;
  /** TypeScript type, for clients that cannot import the schemas */
  ts: string;
  /** two different valid values and one invalid value, as code */
  sample1: string;
  sample2: string;
  bad: string;
}

const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const RESERVED_FIELDS = new Set(['id', 'limit', 'offset']);
export const DEFAULT_FIELDS = 'name:string';

const CODE: Record<FieldType, Pick<Field, 'zod' | 'zodQuery' | 'ts' | 'bad'>> = {
  string: { zod: 'z.string()', zodQuery: 'z.string()', ts: 'string', bad: '42' },
  integer: { zod: 'z.int()', zodQuery: 'z.coerce.number().int()', ts: 'number', bad: '1.5' },
  number: { zod: 'z.number()', zodQuery: 'z.coerce.number()', ts: 'number', bad: "'heavy'" },
  boolean: { zod: 'z.boolean()', zodQuery: 'z.stringbool()', ts: 'boolean', bad: "'maybe'" },
  email: { zod: 'z.email()', zodQuery: 'z.string()', ts: 'string', bad: "'not-an-email'" },
};

function sample(name: string, type: FieldType, n: 1 | 2): string {
  switch (type) {
    case 'string':
      return `'${name} ${n}'`;
    case 'integer':
      return String(n);
    case 'number':
      return `${n}.5`;
    case 'boolean':
      return String(n === 1);
    case 'email':
      return `'user${n}@example.com'`;
  }
}

export function field(name: string, type: FieldType): Field {
  return { name, type, ...CODE[type], sample1: sample(name, type, 1), sample2: sample(name, type, 2) };
}

/** The type a field's name suggests, for the hint when it has none: `amount` -> number, `email` -> email. */
export function likelyType(name: string): FieldType {
  const last = name.split('_').at(-1) ?? name;
  if (/^(?:e?mail|email_address)$/.test(last)) return 'email';
  if (/^(?:count|qty|quantity|age|stock|year|size|rank|position|number)$/.test(last)) return 'integer';
  if (
    /^(?:amount|price|cost|total|weight|height|width|length|rate|score|lat|lng|latitude|longitude)$/.test(
      last,
    )
  )
    return 'number';
  if (/^(?:is|has|can)_/.test(name) || /^(?:active|enabled|done|paid|fragile|archived)$/.test(last))
    return 'boolean';
  return 'string';
}

/**
 * Parses `label:string,weight:number`: separated by commas or spaces, in one argument or several; no fields means
 * `name:string`.
 */
export function parseFields(specs: string[]): Field[] {
  const parts = specs
    .flatMap((spec) => spec.split(/[,\s]+/))
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) parts.push(DEFAULT_FIELDS);
  const fields = parts.map((part) => {
    const [name = '', type, ...rest] = part.split(':');
    if (!FIELD_NAME.test(name) || rest.length > 0) {
      throw new GeneratorError(
        `invalid field ${JSON.stringify(part)}: write <name>:<type> in snake_case, e.g. weight:number`,
      );
    }
    if (RESERVED_FIELDS.has(name)) {
      throw new GeneratorError(
        `field name "${name}" is reserved (id is added for you; limit and offset page the list)`,
      );
    }
    // Every JavaScript object has a `constructor`: a field of that name breaks the routes that read records.
    if (name in Object.prototype) {
      throw new GeneratorError(
        `field name "${name}" is reserved (every JavaScript object has one); pick another`,
      );
    }
    if (type === undefined || type === '') {
      throw new GeneratorError(
        `${name} has no type: write ${name}:${likelyType(name)} (types: ${FIELD_TYPES.join(', ')})`,
      );
    }
    if (!FIELD_TYPES.includes(type as FieldType)) {
      const types = FIELD_TYPES.join(', ');
      throw new GeneratorError(
        `unknown type ${JSON.stringify(type ?? '')} for field ${name}: use one of ${types}`,
      );
    }
    return field(name, type as FieldType);
  });
  const names = fields.map((f) => f.name);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) throw new GeneratorError(`field "${twice}" is given twice`);
  return fields;
}

/** The manifest's record of a resource's fields: `{ "label": "string" }`. */
export const fieldTypes = (fields: Field[]): Record<string, FieldType> =>
  Object.fromEntries(fields.map((f) => [f.name, f.type]));
