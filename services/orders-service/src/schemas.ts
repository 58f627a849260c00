import { z } from '@microtown/kit';

/** Paging of every list route: `?limit=&offset=`. */
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Order: what a client sends to create one, what it may change, what it gets back. */
export const OrderCreate = z
  .object({
    user_id: z.string(),
    item_id: z.string(),
    quantity: z.int(),
  })
  .meta({ id: 'OrderCreate' });
export const OrderUpdate = OrderCreate.partial().meta({ id: 'OrderUpdate' });
export const OrderPublic = OrderCreate.extend({ id: z.string() }).meta({ id: 'OrderPublic' });
export type OrderPublic = z.infer<typeof OrderPublic>;
export const OrdersPublic = z
  .object({ data: z.array(OrderPublic), count: z.int() })
  .meta({ id: 'OrdersPublic' });
/** The list's query: paging, and an equality filter per field (`?user_id=...`). */
export const OrderFilter = Paging.extend({
  user_id: z.string().optional(),
  item_id: z.string().optional(),
  quantity: z.coerce.number().int().optional(),
});

// microtown:schemas
