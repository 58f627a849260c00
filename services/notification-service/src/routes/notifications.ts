import { HTTPException, type Service, type Store, z } from '@microtown/kit';
import {
  NotificationCreate,
  NotificationFilter,
  NotificationPublic,
  NotificationsPublic,
  NotificationUpdate,
} from '../schemas.js';
import type { NotificationData } from '../store.js';

const NotificationPath = z.object({ notification_id: z.string().max(64) });
const tags = ['notifications'];
const notFound = { 404: 'Notification not found' };

/** CRUD for notifications at /notifications, kept in the service's own data file. */
export function registerNotifications(service: Service, store: Store<NotificationData>): void {
  const find = (id: string) => {
    const item = store.data.notifications.find((candidate) => candidate.id === id);
    if (!item) throw new HTTPException(404, 'Notification not found');
    return item;
  };

  service.get(
    '/notifications',
    {
      summary: 'List notifications',
      operationId: 'list_notifications',
      tags,
      query: NotificationFilter,
      response: NotificationsPublic,
    },
    ({ query }) => {
      const { limit, offset, ...filters } = query;
      const matches = store.data.notifications.filter((item) =>
        Object.entries(filters).every(
          ([field, value]) => value === undefined || item[field as keyof typeof item] === value,
        ),
      );
      return { data: matches.slice(offset, offset + limit), count: matches.length };
    },
  );

  service.get(
    '/notifications/{notification_id}',
    {
      summary: 'Read a notification',
      operationId: 'read_notification',
      tags,
      params: NotificationPath,
      response: NotificationPublic,
      errors: notFound,
    },
    ({ params }) => find(params.notification_id),
  );

  service.post(
    '/notifications',
    {
      summary: 'Create a notification',
      operationId: 'create_notification',
      tags,
      body: NotificationCreate,
      response: NotificationPublic,
      status: 201,
    },
    ({ body }) =>
      store.update((data) => {
        const id = (data.lastIds.notifications ?? 0) + 1;
        data.lastIds.notifications = id;
        const item = { ...body, id: String(id) };
        data.notifications.push(item);
        return item;
      }),
  );

  service.patch(
    '/notifications/{notification_id}',
    {
      summary: 'Update a notification (only the fields sent)',
      operationId: 'update_notification',
      tags,
      params: NotificationPath,
      body: NotificationUpdate,
      response: NotificationPublic,
      errors: notFound,
    },
    ({ params, body }) => {
      const item = find(params.notification_id);
      return store.update(() => Object.assign(item, body));
    },
  );

  service.delete(
    '/notifications/{notification_id}',
    {
      summary: 'Delete a notification',
      operationId: 'delete_notification',
      tags,
      params: NotificationPath,
      status: 204,
      errors: notFound,
    },
    async ({ params }) => {
      const item = find(params.notification_id);
      await store.update((data) => {
        data.notifications.splice(data.notifications.indexOf(item), 1);
      });
    },
  );
}
