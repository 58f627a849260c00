import { Paging, pageOf, z } from '@microtown/kit';

/** Paging of every list route (`?limit=&offset=`): the kit's, extended by each list's filter. */
export { Paging };

/** A notification as it was sent: to whom, what, when. */
export const NotificationPublic = z
  .object({
    id: z.string(),
    user_id: z.string(),
    message: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'NotificationPublic' });
export type NotificationPublic = z.infer<typeof NotificationPublic>;
export const NotificationsPublic = pageOf(NotificationPublic, 'NotificationsPublic');
/** The list's query: paging, and an equality filter per field (`?user_id=...`). */
export const NotificationFilter = Paging.extend({
  user_id: z.string().optional(),
  message: z.string().optional(),
});

/** What `POST /send` needs, from a JSON body or from the chapter's query parameters; `msg` is the chapter's name. */
export const Send = z
  .object({
    user_id: z.string().min(1).max(64),
    message: z.string().min(1).max(1000),
  })
  .meta({ id: 'Send' });
const SendFields = {
  // Another service's user ids may be numbers: `{"user_id": 7}` is user "7".
  user_id: z.union([z.string(), z.int()]).optional(),
  message: z.string().optional(),
  msg: z.string().optional(),
};
export const SendBody = z.object(SendFields).meta({ id: 'SendBody' });
export const SendQuery = z.object(SendFields);
export const SendHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
/** The chapter's answer (`status`, `to`, `message`), plus the stored notification's id and time. */
export const Sent = NotificationPublic.extend({ status: z.literal('sent'), to: z.string() }).meta({
  id: 'Sent',
});

// microtown:schemas
