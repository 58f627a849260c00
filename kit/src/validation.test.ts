import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toErrorItems } from './validation.js';

const items = (schema: z.ZodType, input: unknown, where: 'body' | 'query' = 'body') => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return toErrorItems(where, result.error.issues, input, schema);
};

describe('zod issues as FastAPI detail items', () => {
  const User = z.object({
    name: z.string().min(1).max(100),
    email: z.email(),
    age: z.int().min(0).optional(),
  });

  it.each([
    [
      { email: 'a@b.co' },
      { type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { email: 'a@b.co' } },
    ],
    [
      { name: 3, email: 'a@b.co' },
      { type: 'string_type', loc: ['body', 'name'], input: 3 },
    ],
    [
      { name: '', email: 'a@b.co' },
      { type: 'string_too_short', msg: 'String should have at least 1 character' },
    ],
    [
      { name: 'a', email: 'nope' },
      { type: 'value_error', loc: ['body', 'email'] },
    ],
    [
      { name: 'a', email: 'a@b.co', age: 1.5 },
      { type: 'int_from_float', loc: ['body', 'age'], input: 1.5 },
    ],
    [
      { name: 'a', email: 'a@b.co', age: 'ten' },
      { type: 'int_parsing', loc: ['body', 'age'], input: 'ten' },
    ],
    [
      { name: 'a', email: 'a@b.co', age: -1 },
      { type: 'greater_than_equal', ctx: { ge: 0 } },
    ],
    ['text', { type: 'model_attributes_type', loc: ['body'], input: 'text' }],
    [undefined, { type: 'missing', loc: ['body'], input: null }],
    [
      { name: 'a', email: 'a@b.co', age: true },
      { type: 'int_type', loc: ['body', 'age'], input: true },
    ],
  ])('%o', (input, expected) => {
    expect(items(User, input)[0]).toMatchObject(expected);
  });

  it('lists every extra key of a strict object', () => {
    const strict = z.strictObject({ a: z.string() });
    expect(items(strict, { a: 'x', b: 1, c: 2 }).map((item) => item.loc)).toEqual([
      ['body', 'b'],
      ['body', 'c'],
    ]);
  });

  it('names enum choices', () => {
    expect(items(z.object({ s: z.enum(['sent', 'pending']) }), { s: 'x' })[0]).toMatchObject({
      type: 'enum',
      msg: "Input should be 'sent' or 'pending'",
    });
  });

  it('says which query value could not be parsed', () => {
    const Query = z.object({ limit: z.coerce.number().int() });
    expect(items(Query, { limit: 'abc' }, 'query')[0]).toMatchObject({
      type: 'int_parsing',
      loc: ['query', 'limit'],
      input: 'abc',
    });
  });
});
