import { createClient } from '@microtown/kit';

export interface Sent {
  id: string;
  status: 'sent';
  to: string;
  user_id: string;
  message: string;
}

/**
 * A client for the notification service, typed from its manifest (services never import each other's code).
 * Non-2xx answers come back as they are; a service that is down or too slow throws a 503, and so does one that keeps
 * failing, at once, without being called (the client's circuit breaker, open for 2 s at a time).
 */
export function createNotificationClient(baseUrl: string) {
  const client = createClient({ service: 'notification', baseUrl, caller: 'orders', breaker: {} });
  return {
    /** Sends a message once per idempotency key, however often it is retried. */
    send: (body: { user_id: string; message: string }, idempotencyKey: string) =>
      client.post<Sent>('/send', { body, idempotencyKey }),
    /** Any other route, untyped. */
    request: client.request,
    close: () => client.close(),
  };
}

export type NotificationClient = ReturnType<typeof createNotificationClient>;
