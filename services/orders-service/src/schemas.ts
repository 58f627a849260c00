import { Paging, pageOf, z } from '@microtown/kit';

/** Paging of every list route (`?limit=&offset=`): the kit's, extended by each list's filter. */
export { Paging };

/**
 * The id of a user or an item, sent on to that service in a URL: well-formed text (a lone surrogate, which JSON
 * allows, cannot be put in a URL), refused with a 422 here rather than failing the call.
 */
const PeerId = z
  .string()
  .min(1)
  .max(64)
  .refine((id) => !/\p{Cs}/u.test(id), { error: 'must be well-formed text (no lone surrogate)' });

/** What a client sends to place an order. */
export const OrderCreate = z
  .object({
    user_id: PeerId,
    item_id: PeerId,
    quantity: z.int().min(1).max(1000).default(1),
  })
  .meta({ id: 'OrderCreate' });
export type OrderCreate = z.output<typeof OrderCreate>;
/** The chapter's `POST /order?user_id=&item_id=`: one of the item. */
export const ChapterOrderQuery = z.object({ user_id: PeerId, item_id: PeerId });
export const OrderHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

/** `placing` while stock is being reserved; `confirmed` once it is. */
export const OrderStatus = z.enum(['placing', 'confirmed']);
/** Whether the confirmation message reached notification: `pending` until it did. */
export const NotificationState = z.enum(['pending', 'sent', 'failed']);
export const OrderPublic = z
  .object({
    id: z.string(),
    user_id: z.string(),
    item_id: z.string(),
    quantity: z.int(),
    status: OrderStatus,
    notification: NotificationState,
    trace_id: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'OrderPublic' });
export type OrderPublic = z.infer<typeof OrderPublic>;
/** What the chapter's `POST /order` answers: its message, and the order. */
export const ChapterOrderPublic = OrderPublic.extend({ message: z.literal('Order successful') }).meta({
  id: 'ChapterOrderPublic',
});
export const OrdersPublic = pageOf(OrderPublic, 'OrdersPublic');
/** The list's query: paging, and an equality filter per field (`?user_id=...`). */
export const OrderFilter = Paging.extend({
  user_id: z.string().optional(),
  item_id: z.string().optional(),
  status: OrderStatus.optional(),
  notification: NotificationState.optional(),
});

// microtown:schemas
