import { HTTPException, listPage, type Service, type Store, z } from '@microtown/kit';
import { ItemCreate, ItemFilter, ItemPublic, ItemsPublic, ItemUpdate } from '../schemas.js';
import type { InventoryData } from '../store.js';

const ItemPath = z.object({ item_id: z.string().max(64) });
const tags = ['items'];
const notFound = { 404: 'Item not found' };

/** The item with this id, or a 404. */
export function findItem(data: InventoryData, id: string) {
  const item = data.items.find((candidate) => candidate.id === id);
  if (!item) throw new HTTPException(404, 'Item not found');
  return item;
}

/** CRUD for items at /items, kept in the service's own data file. */
export function registerItems(service: Service, store: Store<InventoryData>): void {
  const find = (id: string) => findItem(store.data, id);

  service.get(
    '/items',
    { summary: 'List items', operationId: 'list_items', tags, query: ItemFilter, response: ItemsPublic },
    ({ query }) => listPage(store.data.items, query),
  );

  service.get(
    '/items/{item_id}',
    {
      summary: 'Read an item',
      operationId: 'read_item',
      tags,
      params: ItemPath,
      response: ItemPublic,
      errors: notFound,
    },
    ({ params }) => find(params.item_id),
  );

  service.post(
    '/items',
    {
      summary: 'Create an item',
      operationId: 'create_item',
      tags,
      body: ItemCreate,
      response: ItemPublic,
      status: 201,
    },
    ({ body }) =>
      store.update((data) => {
        const id = (data.lastIds.items ?? 0) + 1;
        data.lastIds.items = id;
        const item = { ...body, id: String(id) };
        data.items.push(item);
        return item;
      }),
  );

  service.patch(
    '/items/{item_id}',
    {
      summary: 'Update an item (only the fields sent)',
      operationId: 'update_item',
      tags,
      params: ItemPath,
      body: ItemUpdate,
      response: ItemPublic,
      errors: notFound,
    },
    ({ params, body }) => {
      const item = find(params.item_id);
      return store.update(() => Object.assign(item, body));
    },
  );

  service.delete(
    '/items/{item_id}',
    {
      summary: 'Delete an item',
      operationId: 'delete_item',
      tags,
      params: ItemPath,
      status: 204,
      errors: notFound,
    },
    async ({ params }) => {
      const item = find(params.item_id);
      await store.update((data) => {
        data.items.splice(data.items.indexOf(item), 1);
      });
    },
  );
}
