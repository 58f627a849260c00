import {
  type Api,
  type Control,
  eventually,
  expectDetail,
  expectStatus,
  fail,
  type Recording,
  task,
  test,
  unique,
} from '../grader/grading.js';

// Your orders service runs against the grader's user, inventory and notification (through the playground); the
// grader stops one of them, places orders, and starts it again.
type Services = (name: string) => Api;

const newUser = async (api: Services): Promise<string> =>
  (await api('user').post('/users', { name: 'Katherine Johnson', email: `${unique('kj')}@example.com` })).body
    .id;
const newItem = async (api: Services): Promise<string> =>
  (await api('inventory').post('/items', { name: unique('lamp'), stock: 5 })).body.id;
const available = async (api: Services, item: string): Promise<number> =>
  (await api('inventory').get(`/stock/${item}`)).body.available;
const order = (api: Services, user: string, item: string) =>
  api('orders').post(`/order?user_id=${encodeURIComponent(user)}&item_id=${encodeURIComponent(item)}`);
const messages = async (api: Services, user: string): Promise<number> =>
  (await api('notification').get(`/notifications?user_id=${user}`)).body?.count ?? 0;

/** Runs `body` with `service` stopped, and starts it again whatever happens. */
async function without<T>(town: Control, service: string, body: () => Promise<T>): Promise<T> {
  await town.stop(service);
  try {
    return await body();
  } finally {
    await town.start(service);
  }
}

async function lastCalls(playground: Recording, callee: string): Promise<string> {
  const calls = (await playground.calls({ callee }))
    .slice(-3)
    .map((c) => `${c.method} ${c.path} -> ${c.status}`);
  return calls.join(', ') || 'none';
}

task(1, () => {
  test('an order placed while notification is down is taken: 2xx within 5 s', async ({ api, town }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api)]);
    const reply = await without(town, 'notification', () => order(api, user, item));
    expectStatus(
      reply,
      [201, 200],
      'a closed notification shop must not stop the sale: keep the confirmation and send it later',
    );
  });
});

task(2, () => {
  test('once notification is back, it gets the confirmation of that order, once', async ({
    api,
    town,
    playground,
  }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api)]);
    const reply = await without(town, 'notification', () => order(api, user, item));
    if (reply.status < 200 || reply.status > 299) {
      fail(
        `the order placed while notification was down was refused (${reply.status}), so there was nothing to deliver later`,
      );
    }
    const first = await eventually(
      () => messages(api, user),
      (n) => n > 0,
      15_000,
      250,
    );
    if (first === 0) {
      fail(
        `notification is back but got no message for user ${user} within 15 s: the confirmation was dropped, not kept for later (orders' last calls to notification: ${await lastCalls(playground, 'notification')})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const count = await messages(api, user);
    if (count !== 1)
      fail(
        `notification got ${count} messages for one order: send each confirmation once (an Idempotency-Key per order makes a retry safe)`,
      );
  });
});

task(3, () => {
  test('an order placed while user is down is a 503 with a detail, within 5 s, and takes no stock', async ({
    api,
    town,
  }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api)]);
    const reply = await without(town, 'user', () => order(api, user, item));
    expectStatus(
      reply,
      503,
      'orders cannot know whether the user exists: say the user service is unavailable (503)',
    );
    expectDetail(reply, 'FastAPI answers {"detail": "user unavailable"}');
    const left = await available(api, item);
    if (left !== 5)
      fail(`an order refused because user was down took stock anyway: item ${item} went from 5 to ${left}`);
  });
});

task(4, () => {
  test('an order placed while inventory is down is a 503 with a detail, within 5 s', async ({
    api,
    town,
  }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api)]);
    const reply = await without(town, 'inventory', () => order(api, user, item));
    expectStatus(reply, 503, 'orders cannot take stock while inventory is down: say so with a 503');
    expectDetail(reply, 'FastAPI answers {"detail": "inventory unavailable"}');
  });
});
