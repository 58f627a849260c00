import { z } from '@microtown/kit';

/** Paging of every list route: `?limit=&offset=`. */
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Item: what a client sends to create one, what it may change, what it gets back. */
export const ItemCreate = z
  .object({
    name: z.string(),
    stock: z.int(),
  })
  .meta({ id: 'ItemCreate' });
export const ItemUpdate = ItemCreate.partial().meta({ id: 'ItemUpdate' });
export const ItemPublic = ItemCreate.extend({ id: z.string() }).meta({ id: 'ItemPublic' });
export type ItemPublic = z.infer<typeof ItemPublic>;
export const ItemsPublic = z
  .object({ data: z.array(ItemPublic), count: z.int() })
  .meta({ id: 'ItemsPublic' });
/** The list's query: paging, and an equality filter per field (`?name=...`). */
export const ItemFilter = Paging.extend({
  name: z.string().optional(),
  stock: z.coerce.number().int().optional(),
});

// microtown:schemas
