import { createClient } from '@microtown/kit';

export interface Item {
  id: string;
  name: string;
  stock: number;
}
export type ItemCreate = Omit<Item, 'id'>;
export type ItemFilter = Partial<ItemCreate> & { limit?: number; offset?: number };
export interface Items {
  data: Item[];
  count: number;
}

/**
 * A client for the inventory service, typed from its manifest (services never import each other's code).
 * Non-2xx answers come back as they are; a service that is down or too slow throws a 503.
 */
export function createInventoryClient(baseUrl: string) {
  const client = createClient({ service: 'inventory', baseUrl, caller: 'orders' });
  return {
    health: () => client.get<{ status: string; service: string }>('/health'),
    listItems: (query: ItemFilter = {}) => client.get<Items>('/items', { query }),
    getItem: (id: string) => client.get<Item>(`/items/${encodeURIComponent(id)}`),
    /** With an idempotency key, a retried create is safe. */
    createItem: (body: ItemCreate, idempotencyKey?: string) =>
      client.post<Item>('/items', { body, idempotencyKey }),
    /** Any other route, untyped. */
    request: client.request,
    close: () => client.close(),
  };
}

export type InventoryClient = ReturnType<typeof createInventoryClient>;
