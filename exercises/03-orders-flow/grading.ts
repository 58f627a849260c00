import {
  type Api,
  eventually,
  expect,
  expectDetail,
  expectObject,
  expectStatus,
  fail,
  type Recording,
  show,
  task,
  test,
  unique,
  unknownIdLike,
} from '../grader/grading.js';

// Your orders service runs against the grader's user, inventory and notification, reached through the playground,
// which records every call orders makes. The grader reads the town's state directly, not through the playground.
type Services = (name: string) => Api;

async function newUser(api: Services): Promise<string> {
  const reply = await api('user').post('/users', {
    name: 'Grace Hopper',
    email: `${unique('grace')}@example.com`,
  });
  return reply.body.id;
}
async function newItem(api: Services, stock: number): Promise<string> {
  return (await api('inventory').post('/items', { name: unique('lamp'), stock })).body.id;
}
const available = async (api: Services, item: string): Promise<number> =>
  (await api('inventory').get(`/stock/${item}`)).body.available;
const order = (api: Services, user: string, item: string) =>
  api('orders').post(`/order?user_id=${encodeURIComponent(user)}&item_id=${encodeURIComponent(item)}`);

/** What orders asked `callee` about `about` (an id in the path or nothing), as `GET /stock/lamp-1 -> 200`. */
async function callsTo(playground: Recording, callee: string, about?: string): Promise<string[]> {
  const calls = await playground.calls({ callee });
  return calls
    .filter((c) => about === undefined || c.path.includes(about) || c.method === 'POST')
    .map((c) => `${c.method} ${c.path} -> ${c.status}`);
}
const listed = (calls: string[]) => (calls.length ? calls.slice(-4).join(', ') : 'none');

task(1, () => {
  test('an order for a known user and an item in stock is placed: 201 (or 200) with JSON', async ({
    api,
  }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api, 5)]);
    const reply = await order(api, user, item);
    expectStatus(reply, [201, 200], 'a user who exists ordering an item in stock gets the order');
    expectObject(reply, 'answer with the order, as JSON');
  });
});

task(2, () => {
  test('orders asks user about the user; an unknown user is a 404 and takes no stock', async ({
    api,
    playground,
  }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api, 5)]);
    await order(api, user, item);
    const asked = (await playground.calls({ callee: 'user' })).some(
      (c) => c.method === 'GET' && c.path.includes(user),
    );
    if (!asked)
      fail(
        `orders never asked user about ${user} (its calls to user: ${listed(await callsTo(playground, 'user'))})`,
      );
    // An id of the kind user hands out, that nobody has: a service that reads user_id as an integer can take it.
    const ghost = unknownIdLike(user);
    const before = await available(api, item);
    const reply = await order(api, ghost, item);
    expectStatus(reply, 404, 'orders must tell the customer the user does not exist, as user told it');
    expectDetail(reply, 'FastAPI answers {"detail": "User not found"}');
    const after = await available(api, item);
    if (after !== before) {
      fail(
        `an order for an unknown user took stock: item ${item} went from ${before} to ${after}; check the user before taking stock`,
      );
    }
  });
});

task(3, () => {
  test('after an order the stock is one less', async ({ api, playground }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api, 5)]);
    const reply = await order(api, user, item);
    expectStatus(reply, [201, 200], 'the order is needed to see its reservation');
    const left = await available(api, item);
    if (left === 5) {
      fail(
        `orders never asked inventory to reserve the stock: item ${item} still has 5 (its calls to inventory: ${listed(await callsTo(playground, 'inventory', item))})`,
      );
    }
    if (left !== 4)
      fail(`one order took ${5 - left} of item ${item}; expected 1 (stock went from 5 to ${left})`);
  });
});

task(4, () => {
  test('an item out of stock is a 409; 5 orders at once for 2 in stock sell exactly 2', async ({ api }) => {
    const [user, none, two] = await Promise.all([newUser(api), newItem(api, 0), newItem(api, 2)]);
    const reply = await order(api, user, none);
    expectStatus(
      reply,
      409,
      "an item with no stock cannot be sold: 409 Conflict, as FastAPI's HTTPException(409)",
    );
    expectDetail(reply, 'FastAPI answers {"detail": "Out of stock"}');
    const replies = await Promise.all(Array.from({ length: 5 }, () => order(api, user, two)));
    const sold = replies.filter((r) => r.status >= 200 && r.status < 300).length;
    const left = await available(api, two);
    if (sold !== 2 || left !== 0) {
      fail(
        `5 orders at once for an item with 2 in stock: ${sold} succeeded and ${left} are left; expected 2 and 0: check and take the stock in one step (POST /reservations)`,
      );
    }
    const refused = replies.filter((r) => r.status === 409).length;
    if (refused !== 3) {
      const statuses = replies.map((r) => r.status).join(', ');
      fail(
        `5 orders at once for an item with 2 in stock answered ${statuses}; expected 2 successes and 3 × 409 {"detail": "Out of stock"} for the orders that found none left`,
      );
    }
  });
});

task(5, () => {
  test('notification gets a message for the user of the order', async ({ api, playground }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api, 5)]);
    expectStatus(await order(api, user, item), [201, 200], 'the order is needed to see its confirmation');
    const sent = await eventually(
      async () => (await api('notification').get(`/notifications?user_id=${user}`)).body?.count ?? 0,
      (count) => count > 0,
    );
    if (sent === 0) {
      fail(
        `notification has no message for ${user} 10 s after the order (orders' calls to notification: ${listed(await callsTo(playground, 'notification'))})`,
      );
    }
  });
});

task(6, () => {
  test('the order has an id, and GET /orders/{id} returns it', async ({ api }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api, 5)]);
    const placed = await order(api, user, item);
    expectStatus(placed, [201, 200], 'the order is needed to read it back');
    const id = placed.body?.id;
    if (typeof id !== 'string' && !Number.isInteger(id))
      fail(`${placed.label} answered ${show(placed.body)}: no "id" to read the order back with`);
    const reply = await api('orders').get(`/orders/${id}`);
    expectStatus(reply, 200, 'an order that was placed is stored and found');
    expectObject(reply, 'answer with the order, as JSON');
    // The ids as the learner's service keeps them: `"7"` and `7` are one id.
    if (String(reply.body?.user_id) !== user || String(reply.body?.item_id) !== item) {
      fail(`${reply.label} answered ${show(reply.body)}; expected the order of ${user} for ${item}`);
    }
  });
});

task(7, () => {
  test("the playground's live diagram shows orders --> user, inventory and notification", async ({
    api,
    playground,
    page,
  }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api, 5)]);
    await order(api, user, item);
    const calls = await playground.calls();
    const anonymous = calls.filter((c) => c.caller === null);
    // A call orders never makes is its own task's loss (2, 3, 5); this one grades how the calls it made are drawn.
    const called = ['user', 'inventory', 'notification'].filter((callee) =>
      calls.some((c) => c.callee === callee),
    );
    if (called.length === 0)
      fail('the playground saw no call from orders to user, inventory or notification');
    await page.goto(playground.url);
    for (const callee of called) {
      const row = page.locator(`tr[data-edge="orders->${callee}"]`);
      try {
        await expect(row).toHaveAttribute('data-state', 'seen', { timeout: 5000 });
      } catch {
        const why = anonymous.some((c) => c.callee === callee)
          ? `its calls to ${callee} have no x-caller header, so the playground cannot tell who made them: send "x-caller: orders"`
          : `the playground saw no call from orders to ${callee}`;
        fail(`the diagram does not show orders --> ${callee}: ${why}`);
      }
    }
  });
});
