import { type Service, type Store, validateInput } from '@microtown/kit';
import { Send, SendBody, SendHeaders, SendQuery, Sent } from '../schemas.js';
import type { NotificationData } from '../store.js';

/**
 * The chapter's `POST /send`. It takes a JSON body, which is what the chapter's orders sends, and the query
 * parameters the chapter's notification reads, so both halves of the chapter work. An `Idempotency-Key` makes a
 * retried send deliver once.
 */
export function registerSend(service: Service, store: Store<NotificationData>): void {
  const byKey = new Map(
    store.data.notifications.flatMap((n) => (n.idempotency_key ? [[n.idempotency_key, n] as const] : [])),
  );

  service.post(
    '/send',
    {
      summary: 'Send a message to a user (JSON body, or ?user_id=&msg=)',
      operationId: 'send_message',
      tags: ['send'],
      query: SendQuery,
      body: SendBody.optional(),
      headers: SendHeaders,
      response: Sent,
      status: 201,
    },
    ({ query, body, headers }) => {
      const from = body === undefined ? 'query' : 'body';
      const given = { ...query, ...body };
      const { user_id, message } = validateInput(from, Send, {
        user_id: given.user_id === undefined ? undefined : String(given.user_id),
        message: given.message ?? given.msg,
      });
      const key = headers['idempotency-key'];
      return store.update((data) => {
        const sent = (key && byKey.get(key)) || undefined;
        if (sent) return { ...sent, status: 'sent' as const, to: sent.user_id };
        const id = (data.lastIds.notifications ?? 0) + 1;
        data.lastIds.notifications = id;
        const notification = {
          id: String(id),
          user_id,
          message,
          created_at: new Date().toISOString(),
          ...(key ? { idempotency_key: key } : {}),
        };
        data.notifications.push(notification);
        if (key) byKey.set(key, notification);
        return { ...notification, status: 'sent' as const, to: user_id };
      });
    },
  );
}
