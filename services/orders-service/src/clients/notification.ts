import { createClient } from '@microtown/kit';

export interface Notification {
  id: string;
  user_id: string;
  message: string;
}
export type NotificationCreate = Omit<Notification, 'id'>;
export type NotificationFilter = Partial<NotificationCreate> & { limit?: number; offset?: number };
export interface Notifications {
  data: Notification[];
  count: number;
}

/**
 * A client for the notification service, typed from its manifest (services never import each other's code).
 * Non-2xx answers come back as they are; a service that is down or too slow throws a 503.
 */
export function createNotificationClient(baseUrl: string) {
  const client = createClient({ service: 'notification', baseUrl, caller: 'orders' });
  return {
    health: () => client.get<{ status: string; service: string }>('/health'),
    listNotifications: (query: NotificationFilter = {}) =>
      client.get<Notifications>('/notifications', { query }),
    getNotification: (id: string) => client.get<Notification>(`/notifications/${encodeURIComponent(id)}`),
    /** With an idempotency key, a retried create is safe. */
    createNotification: (body: NotificationCreate, idempotencyKey?: string) =>
      client.post<Notification>('/notifications', { body, idempotencyKey }),
    /** Any other route, untyped. */
    request: client.request,
    close: () => client.close(),
  };
}

export type NotificationClient = ReturnType<typeof createNotificationClient>;
