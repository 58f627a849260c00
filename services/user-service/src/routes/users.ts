import { HTTPException, listPage, type Service, type Store, z } from '@microtown/kit';
import { UserCreate, UserFilter, UserPublic, UsersPublic, UserUpdate } from '../schemas.js';
import type { UserData } from '../store.js';

const UserPath = z.object({ user_id: z.string().max(64) });
const tags = ['users'];
const notFound = { 404: 'User not found' };

/** CRUD for users at /users, kept in the service's own data file. */
export function registerUsers(service: Service, store: Store<UserData>): void {
  const find = (id: string) => {
    const item = store.data.users.find((candidate) => candidate.id === id);
    if (!item) throw new HTTPException(404, 'User not found');
    return item;
  };

  service.get(
    '/users',
    { summary: 'List users', operationId: 'list_users', tags, query: UserFilter, response: UsersPublic },
    ({ query }) => listPage(store.data.users, query),
  );

  service.get(
    '/users/{user_id}',
    {
      summary: 'Read a user',
      operationId: 'read_user',
      tags,
      params: UserPath,
      response: UserPublic,
      errors: notFound,
    },
    ({ params }) => find(params.user_id),
  );

  service.post(
    '/users',
    {
      summary: 'Create a user',
      operationId: 'create_user',
      tags,
      body: UserCreate,
      response: UserPublic,
      status: 201,
    },
    ({ body }) =>
      store.update((data) => {
        const id = (data.lastIds.users ?? 0) + 1;
        data.lastIds.users = id;
        const item = { ...body, id: String(id) };
        data.users.push(item);
        return item;
      }),
  );

  service.patch(
    '/users/{user_id}',
    {
      summary: 'Update a user (only the fields sent)',
      operationId: 'update_user',
      tags,
      params: UserPath,
      body: UserUpdate,
      response: UserPublic,
      errors: notFound,
    },
    ({ params, body }) => {
      const item = find(params.user_id);
      return store.update(() => Object.assign(item, body));
    },
  );

  service.delete(
    '/users/{user_id}',
    {
      summary: 'Delete a user',
      operationId: 'delete_user',
      tags,
      params: UserPath,
      status: 204,
      errors: notFound,
    },
    async ({ params }) => {
      const item = find(params.user_id);
      await store.update((data) => {
        data.users.splice(data.users.indexOf(item), 1);
      });
    },
  );
}
