import type { InventoryData } from './store.js';

/** The chapter's stock, there on first start: `GET /stock/item1` says 12 are available. */
export const seed: Partial<InventoryData> = {
  items: [
    { id: 'item1', name: 'Notebook', stock: 12 },
    { id: 'item2', name: 'Pen', stock: 5 },
  ],
};
