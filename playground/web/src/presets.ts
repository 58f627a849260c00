/** The chapter's calls, ready to send from the console. */
export interface Preset {
  label: string;
  service: string;
  method: string;
  path: string;
  body?: unknown;
}

export const presets: Preset[] = [
  { label: 'user: read user u1', service: 'user', method: 'GET', path: '/users/u1' },
  {
    label: 'user: create a user',
    service: 'user',
    method: 'POST',
    path: '/users',
    body: { name: 'Ada', email: 'ada@example.com' },
  },
  {
    label: 'user: create a user with a bad email (422)',
    service: 'user',
    method: 'POST',
    path: '/users',
    body: { name: 'Ada', email: 'not-an-email' },
  },
  { label: 'user: list users', service: 'user', method: 'GET', path: '/users' },
  { label: 'inventory: stock of item1', service: 'inventory', method: 'GET', path: '/stock/item1' },
  { label: 'inventory: read item1', service: 'inventory', method: 'GET', path: '/items/item1' },
  {
    label: 'inventory: create an item',
    service: 'inventory',
    method: 'POST',
    path: '/items',
    body: { name: 'Lamp', stock: 3 },
  },
  {
    label: 'orders: place an order (JSON)',
    service: 'orders',
    method: 'POST',
    path: '/orders',
    body: { user_id: 'u1', item_id: 'item1', quantity: 1 },
  },
  {
    label: "orders: place an order (the chapter's query form)",
    service: 'orders',
    method: 'POST',
    path: '/order?user_id=u1&item_id=item1',
  },
  {
    label: 'orders: order for an unknown user (404)',
    service: 'orders',
    method: 'POST',
    path: '/orders',
    body: { user_id: 'nobody', item_id: 'item1', quantity: 1 },
  },
  { label: 'orders: list orders', service: 'orders', method: 'GET', path: '/orders' },
  {
    label: 'notification: send a message',
    service: 'notification',
    method: 'POST',
    path: '/send',
    body: { user_id: 'u1', message: 'Hello from the playground' },
  },
  {
    label: 'notification: messages to u1',
    service: 'notification',
    method: 'GET',
    path: '/notifications?user_id=u1',
  },
];
