import { Paging, pageOf, z } from '@microtown/kit';

/** Paging of every list route (`?limit=&offset=`): the kit's, extended by each list's filter. */
export { Paging };

/** Item: what a client sends to create one, what it may change, what it gets back. */
export const ItemCreate = z
  .object({
    name: z.string().min(1).max(100),
    stock: z.int().min(0),
    // microtown:item-fields
  })
  .meta({ id: 'ItemCreate' });
export const ItemUpdate = ItemCreate.partial().meta({ id: 'ItemUpdate' });
export const ItemPublic = ItemCreate.extend({ id: z.string() }).meta({ id: 'ItemPublic' });
export type ItemPublic = z.infer<typeof ItemPublic>;
export const ItemsPublic = pageOf(ItemPublic, 'ItemsPublic');
/** The list's query: paging, and an equality filter per field (`?name=...`). */
export const ItemFilter = Paging.extend({
  name: z.string().optional(),
  stock: z.coerce.number().int().optional(),
  // microtown:item-filters
});

/** What `GET /stock/{item_id}` answers, as the chapter's inventory does. */
export const Stock = z.object({ available: z.int() }).meta({ id: 'Stock' });

/** A reservation: stock set aside for one order, taken from the item at once. */
/** An id another service sends: a string, or an integer (its own ids may be numbers), kept as text. */
const IdInput = z.union([z.string().min(1).max(64), z.int().min(0).max(Number.MAX_SAFE_INTEGER)]);
export const ReservationCreate = z
  .object({
    order_id: IdInput,
    item_id: IdInput,
    quantity: z.int().min(1).max(1_000_000),
  })
  .meta({ id: 'ReservationCreate' });
export const ReservationPublic = ReservationCreate.extend({
  order_id: z.string(),
  item_id: z.string(),
  status: z.enum(['held', 'released']),
  created_at: z.string(),
}).meta({ id: 'ReservationPublic' });
export type ReservationPublic = z.infer<typeof ReservationPublic>;
export const ReservationsPublic = pageOf(ReservationPublic, 'ReservationsPublic');
export const ReservationFilter = Paging.extend({
  item_id: z.string().optional(),
  status: z.enum(['held', 'released']).optional(),
});

// microtown:schemas
