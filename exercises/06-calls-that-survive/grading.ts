import {
  type Api,
  type Call,
  type Control,
  eventually,
  expectStatus,
  type FaultSpec,
  fail,
  NoAnswerError,
  type Recording,
  type Reply,
  show,
  task,
  test,
  unique,
} from '../grader/grading.js';

// Your orders service runs against the grader's user, inventory and notification, through the playground, whose
// fault lab breaks the calls to one of them. Each check restarts orders first (nothing remembered from the last
// check: no open circuit), makes its user and item, sets a fault, places orders and clears the fault; it reads what
// orders did from the calls the playground recorded since the fault was set.
type Services = (name: string) => Api;

const STOCK = 5;
const newUser = async (api: Services): Promise<string> =>
  (await api('user').post('/users', { name: 'Grace Hopper', email: `${unique('gh')}@example.com` })).body.id;
const newItem = async (api: Services): Promise<string> =>
  (await api('inventory').post('/items', { name: unique('lamp'), stock: STOCK })).body.id;
const available = async (api: Services, item: string): Promise<number> =>
  (await api('inventory').get(`/stock/${item}`)).body.available;
const order = (api: Services, user: string, item: string) =>
  api('orders').post(`/order?user_id=${encodeURIComponent(user)}&item_id=${encodeURIComponent(item)}`);

/** The id of the last call recorded so far: the calls after it are the check's. */
const mark = async (playground: Recording) => (await playground.calls()).at(-1)?.id ?? 0;

/** A fresh orders, a user and an item, no fault set; `since` marks the calls recorded so far. */
async function begin(api: Services, town: Control, playground: Recording) {
  await playground.clearFaults();
  await town.restart('orders');
  const [user, item] = await Promise.all([newUser(api), newItem(api)]);
  return { user, item, since: await mark(playground) };
}

/** Runs `body` with `spec` set in the fault lab, and clears it whatever happens. */
async function withFault<T>(playground: Recording, spec: FaultSpec, body: () => Promise<T>): Promise<T> {
  await playground.fault(spec);
  try {
    return await body();
  } finally {
    await playground.clearFaults();
  }
}

/** The calls to `callee` recorded after call `since`, oldest first, of one method when given. */
async function callsTo(playground: Recording, since: number, callee: string, method?: string) {
  return (await playground.calls({ callee })).filter(
    (c) => c.id > since && (method === undefined || c.method === method),
  );
}

/** `1 time`, `3 times`. */
const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const listed = (calls: Call[]) =>
  calls
    .slice(-4)
    .map((c) => `${c.method} ${c.path} -> ${c.status || 'no answer'}`)
    .join(', ') || 'none';

/**
 * What a refused reservation in the check says, if one was: a 409 for an order id inventory already knows is an id
 * handed out again, by a counter that started again at 1 when orders restarted.
 */
async function reusedIdClue(playground: Recording, since: number): Promise<string> {
  const refused = (await callsTo(playground, since, 'inventory', 'POST')).filter(
    (c) => c.path.startsWith('/reservations') && c.status === 409,
  );
  return refused.length
    ? '; inventory answered 409 to its POST /reservations: an order id it already knows? The grader restarts orders before each check and inventory keeps its reservations, so a counter that starts again at 1 hands out order 1 again: use a UUID'
    : '';
}

/** An answer in time; a late one is a hint about the timeout the call to `peer` lacks. */
async function answeredDespite(peer: string, place: () => Promise<Reply>): Promise<Reply> {
  try {
    return await place();
  } catch (error) {
    if (!(error instanceof NoAnswerError)) throw error;
    fail(
      `with ${peer} hanging (the playground holds each call to ${peer} and never answers), ${error.message}: give every call to ${peer} a timeout (about 1 s a try) and keep the order, retries included, under 5 s`,
    );
  }
}

/**
 * How many calls the hang held orders has not given up: those it made by 1 s after the order was answered (a
 * confirmation sent after the answer counts), each given 5 s more. A held call is recorded (status 0) only when its
 * caller stops waiting, and the fault counts it as a hit when it starts.
 */
async function notGivenUp(playground: Recording, since: number, to: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const held = (await playground.faults()).reduce((sum, f) => sum + f.hits, 0);
  const givenUp = async () => (await callsTo(playground, since, to)).filter((c) => c.status === 0).length;
  return held - (await eventually(givenUp, (n) => n >= held, 5000, 250));
}

task(1, () => {
  const hangs: [string, FaultSpec][] = [
    ['user', { kind: 'hang', to: 'user' }],
    ['inventory', { kind: 'hang', to: 'inventory', method: 'POST', path: '/reservations' }],
    ['notification', { kind: 'hang', to: 'notification' }],
  ];
  for (const [peer, spec] of hangs) {
    test(`with ${peer} hanging, an order is answered within 5 s, and orders gives up the held calls`, async ({
      api,
      town,
      playground,
    }) => {
      const { user, item, since } = await begin(api, town, playground);
      await withFault(playground, spec, async () => {
        await answeredDespite(peer, () => order(api, user, item));
        const held = await notGivenUp(playground, since, spec.to);
        if (held > 0) {
          fail(
            `orders answered the order, but ${held} of its calls to ${peer} ${held === 1 ? 'was' : 'were'} still waiting for an answer 5 s later: a call without a timeout holds its connection for ever (a confirmation sent after the answer too), and a timer that only stops waiting leaves it open; give every call to ${peer} a timeout that aborts it (fetch's signal: AbortSignal.timeout(1000); requests' and httpx's timeout=; opossum's abortController)`,
          );
        }
      });
    });
  }
});

task(2, () => {
  test('with the first two calls to user answered 503, the order succeeds after two waited retries', async ({
    api,
    town,
    playground,
  }) => {
    const { user, item, since } = await begin(api, town, playground);
    const reply = await withFault(
      playground,
      { kind: 'fail_first', to: 'user', method: 'GET', n: 2, status: 503 },
      () => order(api, user, item),
    );
    const tries = await callsTo(playground, since, 'user', 'GET');
    expectStatus(
      reply,
      [201, 200],
      `user answered the first 2 calls 503 and then worked: a read is safe to repeat, so retry it (orders called user ${count(tries.length, 'time')}: ${listed(tries)})${await reusedIdClue(playground, since)}`,
    );
    if (tries.length < 3) {
      fail(
        `the order succeeded, but the playground saw only ${count(tries.length, 'call')} to user (${listed(tries)}); expected 3: two answered 503, then the one that passed${tries.every((c) => c.status >= 500) ? '. orders went on as if user had answered: a 503 is no user' : ''}`,
      );
    }
    for (const [n, next] of tries.slice(1).entries()) {
      const previous = tries[n] as Call;
      const waited = next.started_ms - (previous.started_ms + previous.duration_ms);
      if (waited < 45) {
        fail(
          `orders tried ${next.method} ${next.path} again ${Math.max(0, waited).toFixed(0)} ms after user answered ${previous.status}: wait before each retry, at least 50 ms and longer each time (100 ms, 200 ms, ...)`,
        );
      }
    }
  });
});

task(3, () => {
  test('with the first reservation answered 503, the order succeeds, every try with the same Idempotency-Key', async ({
    api,
    town,
    playground,
  }) => {
    const { user, item, since } = await begin(api, town, playground);
    const reply = await withFault(
      playground,
      { kind: 'fail_first', to: 'inventory', method: 'POST', path: '/reservations', n: 1, status: 503 },
      () => order(api, user, item),
    );
    // Every write repeated in this check, to any peer, must carry one key on all its tries.
    for (const callee of ['inventory', 'notification']) {
      const writes = await callsTo(playground, since, callee, 'POST');
      for (const path of new Set(writes.map((c) => c.path.split('?')[0]))) {
        const tries = writes.filter((c) => c.path.split('?')[0] === path);
        if (tries.length < 2) continue;
        const keys = tries.map((c) => c.idempotency_key);
        const without = keys.findIndex((key) => !key);
        if (without >= 0) {
          fail(
            `orders sent POST ${path} to ${callee} ${tries.length} times, try ${without + 1} without an Idempotency-Key: a write repeated without one may be done twice; send the same key on every try (e.g. reserve-<order id>)`,
          );
        }
        if (new Set(keys).size > 1) {
          fail(
            `orders sent POST ${path} to ${callee} ${tries.length} times with different Idempotency-Keys (${[...new Set(keys)].map((k) => show(k, 40)).join(', ')}): ${callee} cannot tell it is the same request; send one key for all tries of a write`,
          );
        }
      }
    }
    const reservations = (await callsTo(playground, since, 'inventory', 'POST')).filter((c) =>
      c.path.startsWith('/reservations'),
    );
    expectStatus(
      reply,
      [201, 200],
      `inventory answered the first POST /reservations 503 and then worked: retry the reservation, with an Idempotency-Key (orders sent it ${count(reservations.length, 'time')}: ${listed(reservations)})${await reusedIdClue(playground, since)}`,
    );
    const left = await available(api, item);
    if (left !== STOCK - 1) {
      fail(
        `one order that succeeded left item ${item} with ${left} of ${STOCK} in stock; expected ${STOCK - 1}`,
      );
    }
  });
});

task(4, () => {
  test('10 orders at once with every call to user failing make at most 40 calls to user', async ({
    api,
    town,
    playground,
  }) => {
    const { item } = await begin(api, town, playground);
    // One user per order, so that each order's calls can be told apart by their path.
    const users = await Promise.all(Array.from({ length: 10 }, () => newUser(api)));
    const since = await mark(playground);
    await withFault(playground, { kind: 'error', to: 'user', status: 503 }, () =>
      Promise.all(users.map((user) => order(api, user, item))),
    );
    const calls = await callsTo(playground, since, 'user');
    const most = Math.max(0, ...users.map((u) => calls.filter((c) => c.path.includes(u)).length));
    if (calls.length > 40 || most > 4) {
      fail(
        `with every call to user answered 503, 10 orders made ${calls.length} calls to user, one order ${most}; expected at most 4 tries per order (the first and 3 retries): retries multiply the load on a peer in trouble`,
      );
    }
  });
});

task(5, () => {
  test('with every call to user failing, the last 3 of 10 orders are a 503 without calling it; then orders recovers', async ({
    api,
    town,
    playground,
  }) => {
    const { user, item, since: start } = await begin(api, town, playground);
    await withFault(playground, { kind: 'error', to: 'user', status: 503 }, async () => {
      for (let n = 1; n <= 7; n++) await order(api, user, item);
      const since = await mark(playground);
      const last: Reply[] = [];
      for (let n = 8; n <= 10; n++) last.push(await order(api, user, item));
      for (const reply of last) {
        expectStatus(reply, 503, 'with user failing every call, an order that needs it is refused: 503');
      }
      const calls = await callsTo(playground, since, 'user');
      if (calls.length > 2) {
        fail(
          `with every call to user failing, orders 8 to 10 still made ${calls.length} calls to user (${listed(calls)}): once 5 calls in a row have failed, answer 503 at once without calling (a circuit breaker), for a pause of 1 to 5 s`,
        );
      }
    });
    const recovered = await eventually(
      () => order(api, user, item),
      (reply) => reply.status === 201 || reply.status === 200,
      10_000,
      500,
    );
    if (recovered.status !== 201 && recovered.status !== 200) {
      fail(
        `user works again, but orders still answered ${recovered.status} ${show(recovered.body)} 10 s later: after a pause of at most 5 s, let one call through, and call normally again once it passes${await reusedIdClue(playground, start)}`,
      );
    }
  });
});

/** A 503 whose detail names the peer, and the stock untouched. */
async function expectGaveUp(api: Services, reply: Reply, peer: string, item: string, fault: string) {
  expectStatus(reply, 503, `with ${fault}, orders cannot place the order: say ${peer} is unavailable (503)`);
  const detail = typeof reply.body?.detail === 'string' ? reply.body.detail : '';
  if (!detail.toLowerCase().includes(peer)) {
    fail(
      `with ${fault}, POST /order answered 503 ${show(reply.body)}; expected a detail that names ${peer}, as FastAPI's HTTPException(503, "${peer} unavailable")`,
    );
  }
  const left = await available(api, item);
  if (left !== STOCK)
    fail(`an order refused with ${fault} took stock anyway: item ${item} went from ${STOCK} to ${left}`);
}

task(6, () => {
  test('with every connection to user reset, the order is a 503 naming user, and takes no stock', async ({
    api,
    town,
    playground,
  }) => {
    const { user, item } = await begin(api, town, playground);
    const reply = await withFault(playground, { kind: 'reset', to: 'user' }, () => order(api, user, item));
    await expectGaveUp(api, reply, 'user', item, 'every connection to user reset');
  });

  test('with inventory answering 500 to every reservation, the order is a 503 naming inventory', async ({
    api,
    town,
    playground,
  }) => {
    const { user, item } = await begin(api, town, playground);
    const reply = await withFault(
      playground,
      { kind: 'error', to: 'inventory', method: 'POST', path: '/reservations', status: 500 },
      () => order(api, user, item),
    );
    await expectGaveUp(api, reply, 'inventory', item, 'inventory answering 500 to every reservation');
  });
});
