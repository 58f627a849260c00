import { z } from '@microtown/kit';

/** Paging of every list route: `?limit=&offset=`. */
export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Notification: what a client sends to create one, what it may change, what it gets back. */
export const NotificationCreate = z
  .object({
    user_id: z.string(),
    message: z.string(),
  })
  .meta({ id: 'NotificationCreate' });
export const NotificationUpdate = NotificationCreate.partial().meta({ id: 'NotificationUpdate' });
export const NotificationPublic = NotificationCreate.extend({ id: z.string() }).meta({
  id: 'NotificationPublic',
});
export type NotificationPublic = z.infer<typeof NotificationPublic>;
export const NotificationsPublic = z
  .object({ data: z.array(NotificationPublic), count: z.int() })
  .meta({ id: 'NotificationsPublic' });
/** The list's query: paging, and an equality filter per field (`?user_id=...`). */
export const NotificationFilter = Paging.extend({
  user_id: z.string().optional(),
  message: z.string().optional(),
});

// microtown:schemas
