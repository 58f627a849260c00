import { createClient } from '@microtown/kit';

export interface User {
  id: string;
  name: string;
  email: string;
}

/**
 * A client for the user service, typed from its manifest (services never import each other's code).
 * Non-2xx answers come back as they are; a service that is down or too slow throws a 503, and so does one that keeps
 * failing, at once, without being called (the client's circuit breaker, open for 2 s at a time).
 */
export function createUserClient(baseUrl: string) {
  const client = createClient({ service: 'user', baseUrl, caller: 'orders', breaker: {} });
  return {
    getUser: (id: string) => client.get<User>(`/users/${encodeURIComponent(id)}`),
    /** Any other route, untyped. */
    request: client.request,
    close: () => client.close(),
  };
}

export type UserClient = ReturnType<typeof createUserClient>;
