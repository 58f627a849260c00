import { HTTPException, listPage, type Service, type Store, z } from '@microtown/kit';
import type { Deps } from '../deps.js';
import { orderBook } from '../order-book.js';
import { createPlaceOrder } from '../place-order.js';
import {
  ChapterOrderPublic,
  ChapterOrderQuery,
  OrderCreate,
  OrderFilter,
  OrderHeaders,
  OrderPublic,
  OrdersPublic,
} from '../schemas.js';
import type { OrdersData } from '../store.js';

const OrderPath = z.object({ order_id: z.string().max(64) });
const tags = ['orders'];
const placeErrors = {
  404: 'User not found, or Item not found',
  409: 'Out of stock',
  503: 'user or inventory unavailable',
};

/** Orders at /orders, and the chapter's POST /order. */
export function registerOrders(service: Service, store: Store<OrdersData>, deps: Deps): void {
  const book = orderBook(store);
  const placeOrder = createPlaceOrder(store, deps);

  service.get(
    '/orders',
    { summary: 'List orders', operationId: 'list_orders', tags, query: OrderFilter, response: OrdersPublic },
    ({ query }) => listPage(store.data.orders, query),
  );

  service.get(
    '/orders/{order_id}',
    {
      summary: 'Read an order',
      operationId: 'read_order',
      tags,
      params: OrderPath,
      response: OrderPublic,
      errors: { 404: 'Order not found' },
    },
    ({ params }) => {
      const order = book.get(params.order_id);
      if (!order) throw new HTTPException(404, 'Order not found');
      return order;
    },
  );

  service.post(
    '/orders',
    {
      summary: 'Place an order: check the user, reserve the stock, store it, confirm it to the user',
      operationId: 'create_order',
      tags,
      body: OrderCreate,
      headers: OrderHeaders,
      response: OrderPublic,
      status: 201,
      errors: placeErrors,
    },
    ({ body, headers }) => placeOrder(body, headers['idempotency-key']),
  );

  service.post(
    '/order',
    {
      summary: "The chapter's way to order one item: POST /order?user_id=&item_id=",
      operationId: 'create_order_chapter',
      tags,
      query: ChapterOrderQuery,
      headers: OrderHeaders,
      response: ChapterOrderPublic,
      status: 201,
      errors: placeErrors,
    },
    async ({ query, headers }) => ({
      ...(await placeOrder({ ...query, quantity: 1 }, headers['idempotency-key'])),
      message: 'Order successful' as const,
    }),
  );
}
