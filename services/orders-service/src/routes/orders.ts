import { HTTPException, type Service, type Store, z } from '@microtown/kit';
import { OrderCreate, OrderFilter, OrderPublic, OrdersPublic, OrderUpdate } from '../schemas.js';
import type { OrdersData } from '../store.js';

const OrderPath = z.object({ order_id: z.string().max(64) });
const tags = ['orders'];
const notFound = { 404: 'Order not found' };

/** CRUD for orders at /orders, kept in the service's own data file. */
export function registerOrders(service: Service, store: Store<OrdersData>): void {
  const find = (id: string) => {
    const item = store.data.orders.find((candidate) => candidate.id === id);
    if (!item) throw new HTTPException(404, 'Order not found');
    return item;
  };

  service.get(
    '/orders',
    { summary: 'List orders', operationId: 'list_orders', tags, query: OrderFilter, response: OrdersPublic },
    ({ query }) => {
      const { limit, offset, ...filters } = query;
      const matches = store.data.orders.filter((item) =>
        Object.entries(filters).every(
          ([field, value]) => value === undefined || item[field as keyof typeof item] === value,
        ),
      );
      return { data: matches.slice(offset, offset + limit), count: matches.length };
    },
  );

  service.get(
    '/orders/{order_id}',
    {
      summary: 'Read a order',
      operationId: 'read_order',
      tags,
      params: OrderPath,
      response: OrderPublic,
      errors: notFound,
    },
    ({ params }) => find(params.order_id),
  );

  service.post(
    '/orders',
    {
      summary: 'Create a order',
      operationId: 'create_order',
      tags,
      body: OrderCreate,
      response: OrderPublic,
      status: 201,
    },
    ({ body }) =>
      store.update((data) => {
        const id = (data.lastIds.orders ?? 0) + 1;
        data.lastIds.orders = id;
        const item = { ...body, id: String(id) };
        data.orders.push(item);
        return item;
      }),
  );

  service.patch(
    '/orders/{order_id}',
    {
      summary: 'Update a order (only the fields sent)',
      operationId: 'update_order',
      tags,
      params: OrderPath,
      body: OrderUpdate,
      response: OrderPublic,
      errors: notFound,
    },
    ({ params, body }) => {
      const item = find(params.order_id);
      return store.update(() => Object.assign(item, body));
    },
  );

  service.delete(
    '/orders/{order_id}',
    {
      summary: 'Delete a order',
      operationId: 'delete_order',
      tags,
      params: OrderPath,
      status: 204,
      errors: notFound,
    },
    async ({ params }) => {
      const item = find(params.order_id);
      await store.update((data) => {
        data.orders.splice(data.orders.indexOf(item), 1);
      });
    },
  );
}
