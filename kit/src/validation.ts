import type { z } from 'zod';
import type { ErrorItem } from './errors.js';

export type Location = 'body' | 'query' | 'path' | 'header';

type Issue = z.core.$ZodIssue;
type Key = string | number;

const plural = (n: unknown, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Pydantic's wording for a wrong type, so learners see what FastAPI would say. */
function typeError(expected: string, input: unknown): Pick<ErrorItem, 'type' | 'msg'> {
  const fromString = typeof input === 'string';
  switch (expected) {
    case 'string':
      return { type: 'string_type', msg: 'Input should be a valid string' };
    case 'int':
      if (typeof input === 'number')
        return {
          type: 'int_from_float',
          msg: 'Input should be a valid integer, got a number with a fractional part',
        };
      return fromString
        ? {
            type: 'int_parsing',
            msg: 'Input should be a valid integer, unable to parse string as an integer',
          }
        : { type: 'int_type', msg: 'Input should be a valid integer' };
    case 'number':
      return fromString
        ? { type: 'float_parsing', msg: 'Input should be a valid number, unable to parse string as a number' }
        : { type: 'float_type', msg: 'Input should be a valid number' };
    case 'boolean':
      return fromString
        ? { type: 'bool_parsing', msg: 'Input should be a valid boolean, unable to interpret input' }
        : { type: 'bool_type', msg: 'Input should be a valid boolean' };
    case 'object':
      return {
        type: 'model_attributes_type',
        msg: 'Input should be a valid dictionary or object to extract fields from',
      };
    case 'array':
      return { type: 'list_type', msg: 'Input should be a valid list' };
    default:
      return { type: `${expected}_type`, msg: `Input should be a valid ${expected}` };
  }
}

function rangeError(issue: Issue & { code: 'too_small' | 'too_big' }): Omit<ErrorItem, 'loc' | 'input'> {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin === 'string') {
    const [type, key, word] = small
      ? ['string_too_short', 'min_length', 'least']
      : ['string_too_long', 'max_length', 'most'];
    return {
      type,
      msg: `String should have at ${word} ${plural(limit, 'character')}`,
      ctx: { [key]: limit },
    };
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    const [type, key, word] = small
      ? ['too_short', 'min_length', 'least']
      : ['too_long', 'max_length', 'most'];
    return { type, msg: `List should have at ${word} ${plural(limit, 'item')}`, ctx: { [key]: limit } };
  }
  const inclusive = issue.inclusive !== false;
  if (small) {
    return inclusive
      ? {
          type: 'greater_than_equal',
          msg: `Input should be greater than or equal to ${limit}`,
          ctx: { ge: limit },
        }
      : { type: 'greater_than', msg: `Input should be greater than ${limit}`, ctx: { gt: limit } };
  }
  return inclusive
    ? { type: 'less_than_equal', msg: `Input should be less than or equal to ${limit}`, ctx: { le: limit } }
    : { type: 'less_than', msg: `Input should be less than ${limit}`, ctx: { lt: limit } };
}

type Inner = { _zod: { def: Record<string, unknown> } };

/** Zod reports a string given for an integer as "expected number"; pydantic says int_parsing. Look at the field. */
function isIntegerField(schema: z.ZodType | undefined, path: readonly PropertyKey[]): boolean {
  let node = schema as unknown as Inner | undefined;
  const unwrap = () => {
    while (node?._zod.def.innerType) node = node._zod.def.innerType as Inner;
  };
  for (const key of path) {
    unwrap();
    const shape = node?._zod.def.shape as Record<PropertyKey, Inner> | undefined;
    node = shape?.[key] ?? (node?._zod.def.element as Inner | undefined);
  }
  unwrap();
  const def = node?._zod.def;
  const checks = (def?.checks ?? []) as Inner[];
  return def?.format === 'safeint' || checks.some((check) => check._zod.def.format === 'safeint');
}

function toItems(where: Location, issue: Issue, input: unknown, schema?: z.ZodType): ErrorItem[] {
  const path = issue.path.filter((key): key is Key => typeof key !== 'symbol');
  const loc: Key[] = [where, ...path];
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) {
        // Pydantic reports a missing field with the object it is missing from as input.
        return [
          {
            type: 'missing',
            loc,
            msg: 'Field required',
            input: path.length ? valueAt(input, issue.path.slice(0, -1)) : null,
          },
        ];
      }
      {
        const expected =
          issue.expected === 'number' && isIntegerField(schema, issue.path) ? 'int' : issue.expected;
        return [{ ...typeError(expected, value), loc, input: value }];
      }
    case 'too_small':
    case 'too_big':
      return [{ ...rangeError(issue), loc, input: value }];
    case 'invalid_format':
      if (issue.format === 'email') {
        return [
          {
            type: 'value_error',
            loc,
            msg: 'value is not a valid email address',
            input: value,
            ctx: { reason: 'invalid email' },
          },
        ];
      }
      return [
        {
          type: 'string_pattern_mismatch',
          loc,
          msg: `String should match format '${issue.format}'`,
          input: value,
        },
      ];
    case 'invalid_value': {
      const expected = issue.values.map((v) => `'${String(v)}'`).join(' or ');
      return [{ type: 'enum', loc, msg: `Input should be ${expected}`, input: value, ctx: { expected } }];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        type: 'extra_forbidden',
        loc: [...loc, key],
        msg: 'Extra inputs are not permitted',
        input: valueAt(value, [key]),
      }));
    default:
      return [{ type: 'value_error', loc, msg: issue.message, input: value }];
  }
}

/** Turns zod issues into FastAPI's 422 `detail` items, `loc` starting with where the value came from. */
export function toErrorItems(
  where: Location,
  issues: readonly Issue[],
  input: unknown,
  schema?: z.ZodType,
): ErrorItem[] {
  return issues
    .flatMap((issue) => toItems(where, issue, input, schema))
    .map((item) => ({ ...item, input: bounded(item.input) }));
}

/** How deep an echoed `input` goes: a value nested deeper (JSON allows any depth) is cut, so the 422 can be sent. */
const ECHO_DEPTH = 32;

/** `value` as the 422 echoes it: nested arrays and objects below ECHO_DEPTH replaced by `"..."`. */
function bounded(value: unknown, depth = ECHO_DEPTH): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth === 0) return '...';
  if (Array.isArray(value)) return value.map((v) => bounded(v, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bounded(v, depth - 1)]));
}
