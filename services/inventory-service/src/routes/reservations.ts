import { HTTPException, listPage, type Service, type Store, z } from '@microtown/kit';
import { ReservationCreate, ReservationFilter, ReservationPublic, ReservationsPublic } from '../schemas.js';
import type { InventoryData } from '../store.js';
import { findItem } from './items.js';

const ReservationPath = z.object({ order_id: z.string().max(64) });
const tags = ['reservations'];
const notFound = { 404: 'Reservation not found' };

/**
 * Reservations at /reservations, keyed by order id: the check and the decrement of stock are one step, so two
 * orders can never both take the last one, and a retried reservation is never counted twice.
 */
export function registerReservations(service: Service, store: Store<InventoryData>): void {
  const byOrder = new Map(store.data.reservations.map((r) => [r.order_id, r]));
  // A reservation the disk refused is undone in the data; the index follows, so that its retry reserves anew.
  store.onUndo(() => {
    byOrder.clear();
    for (const r of store.data.reservations) byOrder.set(r.order_id, r);
  });
  const find = (orderId: string) => {
    const reservation = byOrder.get(orderId);
    if (!reservation) throw new HTTPException(404, 'Reservation not found');
    return reservation;
  };

  service.get(
    '/reservations',
    {
      summary: 'List reservations',
      operationId: 'list_reservations',
      tags,
      query: ReservationFilter,
      response: ReservationsPublic,
    },
    ({ query }) => listPage(store.data.reservations, query),
  );

  service.get(
    '/reservations/{order_id}',
    {
      summary: "Read an order's reservation",
      operationId: 'read_reservation',
      tags,
      params: ReservationPath,
      response: ReservationPublic,
      errors: notFound,
    },
    ({ params }) => find(params.order_id),
  );

  service.post(
    '/reservations',
    {
      summary: 'Reserve stock for an order (atomic; the same order id again gets the same reservation)',
      operationId: 'create_reservation',
      tags,
      body: ReservationCreate,
      response: ReservationPublic,
      status: 201,
      errors: {
        404: 'Item not found',
        409: 'Out of stock, or this order id was already used with other terms',
      },
    },
    // Synchronous from the check to the decrement: no other request runs in between.
    ({ body: given }) => {
      const body = { ...given, order_id: String(given.order_id), item_id: String(given.item_id) };
      return store.update((data) => {
        const existing = byOrder.get(body.order_id);
        if (existing) return replay(existing, body);
        const item = findItem(data, body.item_id);
        if (item.stock < body.quantity) throw new HTTPException(409, 'Out of stock');
        item.stock -= body.quantity;
        const reservation: ReservationPublic = {
          ...body,
          status: 'held',
          created_at: new Date().toISOString(),
        };
        data.reservations.push(reservation);
        byOrder.set(reservation.order_id, reservation);
        return reservation;
      });
    },
  );

  service.delete(
    '/reservations/{order_id}',
    {
      summary: 'Release a reservation: its stock goes back to the item (releasing twice is harmless)',
      operationId: 'release_reservation',
      tags,
      params: ReservationPath,
      status: 204,
      errors: notFound,
    },
    async ({ params }) => {
      const reservation = find(params.order_id);
      await store.update((data) => {
        if (reservation.status === 'released') return;
        reservation.status = 'released';
        const item = data.items.find((candidate) => candidate.id === reservation.item_id);
        if (item) item.stock += reservation.quantity;
      });
    },
  );
}

/** A retried reservation gets the first answer; the same order id with other terms is a mistake worth a 409. */
function replay(existing: ReservationPublic, body: z.output<typeof ReservationCreate>): ReservationPublic {
  if (existing.item_id !== body.item_id || existing.quantity !== body.quantity) {
    throw new HTTPException(
      409,
      `Order ${body.order_id} already reserved ${existing.quantity} of ${existing.item_id}`,
    );
  }
  if (existing.status === 'released') {
    throw new HTTPException(409, `The reservation of order ${body.order_id} was released`);
  }
  return existing;
}
