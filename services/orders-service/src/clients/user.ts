import { createClient } from '@microtown/kit';

export interface User {
  id: string;
  name: string;
  email: string;
}
export type UserCreate = Omit<User, 'id'>;
export type UserFilter = Partial<UserCreate> & { limit?: number; offset?: number };
export interface Users {
  data: User[];
  count: number;
}

/**
 * A client for the user service, typed from its manifest (services never import each other's code).
 * Non-2xx answers come back as they are; a service that is down or too slow throws a 503.
 */
export function createUserClient(baseUrl: string) {
  const client = createClient({ service: 'user', baseUrl, caller: 'orders' });
  return {
    health: () => client.get<{ status: string; service: string }>('/health'),
    listUsers: (query: UserFilter = {}) => client.get<Users>('/users', { query }),
    getUser: (id: string) => client.get<User>(`/users/${encodeURIComponent(id)}`),
    /** With an idempotency key, a retried create is safe. */
    createUser: (body: UserCreate, idempotencyKey?: string) =>
      client.post<User>('/users', { body, idempotencyKey }),
    /** Any other route, untyped. */
    request: client.request,
    close: () => client.close(),
  };
}

export type UserClient = ReturnType<typeof createUserClient>;
