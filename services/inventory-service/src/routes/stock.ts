import { type Service, type Store, z } from '@microtown/kit';
import { Stock } from '../schemas.js';
import type { InventoryData } from '../store.js';
import { findItem } from './items.js';

const ItemPath = z.object({ item_id: z.string().max(64) });

/** The chapter's `GET /stock/{item_id}`, with a 404 for an unknown item instead of `{"available": 0}`. */
export function registerStock(service: Service, store: Store<InventoryData>): void {
  service.get(
    '/stock/{item_id}',
    {
      summary: 'How many of an item are available',
      operationId: 'read_stock',
      tags: ['stock'],
      params: ItemPath,
      response: Stock,
      errors: { 404: 'Item not found' },
    },
    ({ params }) => ({ available: findItem(store.data, params.item_id).stock }),
  );
}
