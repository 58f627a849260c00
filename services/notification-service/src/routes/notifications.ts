import { HTTPException, listPage, type Service, type Store, z } from '@microtown/kit';
import { NotificationFilter, NotificationPublic, NotificationsPublic } from '../schemas.js';
import type { NotificationData } from '../store.js';

const NotificationPath = z.object({ notification_id: z.string().max(64) });
const tags = ['notifications'];

/** What was sent, at /notifications: read only, since a message once sent cannot be taken back. */
export function registerNotifications(service: Service, store: Store<NotificationData>): void {
  service.get(
    '/notifications',
    {
      summary: 'List sent notifications (`?user_id=` for one user)',
      operationId: 'list_notifications',
      tags,
      query: NotificationFilter,
      response: NotificationsPublic,
    },
    ({ query }) => listPage(store.data.notifications, query),
  );

  service.get(
    '/notifications/{notification_id}',
    {
      summary: 'Read a sent notification',
      operationId: 'read_notification',
      tags,
      params: NotificationPath,
      response: NotificationPublic,
      errors: { 404: 'Notification not found' },
    },
    ({ params }) => {
      const found = store.data.notifications.find((n) => n.id === params.notification_id);
      if (!found) throw new HTTPException(404, 'Notification not found');
      return found;
    },
  );
}
