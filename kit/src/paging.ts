import { z } from 'zod';

/** Paging of every list route: `?limit=&offset=`; a list's filter extends it (`Paging.extend({ name: ... })`). */
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type Paging = z.infer<typeof Paging>;

/** What a list route answers: one page of `item`s and how many matched in all; `id` names it in the OpenAPI document. */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ data: z.array(item), count: z.int() }).meta({ id });

/**
 * One page of a list route: the items equal to every filter given (a filter left out, `undefined`, matches all),
 * from `offset`, at most `limit`, and how many matched in all. `GET /users?name=Ada&limit=10` answers
 * `listPage(store.data.users, query)`.
 */
export function listPage<T>(
  items: readonly T[],
  query: Paging & Record<string, unknown>,
): { data: T[]; count: number } {
  const { limit, offset, ...filters } = query;
  const given = Object.entries(filters).filter(([, value]) => value !== undefined);
  const matches = items.filter((item) => given.every(([field, value]) => item[field as keyof T] === value));
  return { data: matches.slice(offset, offset + limit), count: matches.length };
}
