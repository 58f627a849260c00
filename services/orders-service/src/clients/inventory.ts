import { createClient } from '@microtown/kit';

export interface ReservationCreate {
  order_id: string;
  item_id: string;
  quantity: number;
}
export interface Reservation extends ReservationCreate {
  status: 'held' | 'released';
  created_at: string;
}

/**
 * A client for the inventory service, typed from its manifest (services never import each other's code).
 * Non-2xx answers come back as they are; a service that is down or too slow throws a 503, and so does one that keeps
 * failing, at once, without being called (the client's circuit breaker, open for 2 s at a time).
 */
export function createInventoryClient(baseUrl: string) {
  const client = createClient({ service: 'inventory', baseUrl, caller: 'orders', breaker: {} });
  // The check at start (which reservations are held) is retried by the outbox until inventory answers: its failures
  // while the town comes up (the playground not listening yet) must not open the breaker for the first orders.
  const background = createClient({ service: 'inventory', baseUrl, caller: 'orders' });
  return {
    /** Takes the stock for one order, atomically. Keyed by order id, so a retry never reserves twice. */
    reserve: (body: ReservationCreate) =>
      client.post<Reservation>('/reservations', { body, idempotencyKey: `reserve-${body.order_id}` }),
    getReservation: (orderId: string) =>
      client.get<Reservation>(`/reservations/${encodeURIComponent(orderId)}`),
    /** A page of the reservations still held, oldest first: `{ data, count }`. */
    heldReservations: (offset: number, limit = 100) =>
      background.get<{ data: Reservation[]; count: number }>(
        `/reservations?status=held&limit=${limit}&offset=${offset}`,
      ),
    /** Gives an order's stock back (204; 404 if it was never reserved). */
    release: (orderId: string) => client.delete(`/reservations/${encodeURIComponent(orderId)}`),
    /** Any other route, untyped. */
    request: client.request,
    close: async () => {
      await Promise.all([client.close(), background.close()]);
    },
  };
}

export type InventoryClient = ReturnType<typeof createInventoryClient>;
