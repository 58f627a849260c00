/** The chapter's calls, ready to send from the console. */
export interface Preset {
  label: string;
  service: string;
  method: string;
  path: string;
  body?: unknown;
}

/** One call: the service, `METHOD /path` as the chapter writes it, what it does, and the JSON body it sends. */
function call(service: string, request: string, what: string, body?: unknown): Preset {
  const space = request.indexOf(' ');
  return {
    label: `${service}: ${what}`,
    service,
    method: request.slice(0, space),
    path: request.slice(space + 1),
    body,
  };
}

export const presets: Preset[] = [
  call('user', 'GET /users/u1', 'read user u1'),
  call('user', 'POST /users', 'create a user', { name: 'Ada', email: 'ada@example.com' }),
  call('user', 'POST /users', 'create a user with a bad email (422)', { name: 'Ada', email: 'not-an-email' }),
  call('user', 'GET /users', 'list users'),
  call('inventory', 'GET /stock/item1', 'stock of item1'),
  call('inventory', 'GET /items/item1', 'read item1'),
  call('inventory', 'POST /items', 'create an item', { name: 'Lamp', stock: 3 }),
  call('orders', 'POST /orders', 'place an order (JSON)', { user_id: 'u1', item_id: 'item1', quantity: 1 }),
  call('orders', 'POST /order?user_id=u1&item_id=item1', "place an order (the chapter's query form)"),
  call('orders', 'POST /orders', 'order for an unknown user (404)', {
    user_id: 'nobody',
    item_id: 'item1',
    quantity: 1,
  }),
  call('orders', 'GET /orders', 'list orders'),
  call('notification', 'POST /send', 'send a message', {
    user_id: 'u1',
    message: 'Hello from the playground',
  }),
  call('notification', 'GET /notifications?user_id=u1', 'messages to u1'),
];
