import {
  type Api,
  everyCase,
  expectDetail,
  expectFields,
  expectStatus,
  expectValidationError,
  fail,
  show,
  task,
  test,
  unique,
  unknownIdLike,
} from '../grader/grading.js';

const user = () => ({ name: 'Ada Lovelace', email: `${unique('ada')}@example.com` });
const item = () => ({ name: unique('lamp'), stock: 7 });

type Services = (name: string) => Api;
type Invalid = [what: string, body: Record<string, unknown>, field: string][];

/** Each invalid body, as a step: 422 with FastAPI's detail naming the field. */
async function refusesEach(api: Services, service: string, path: string, invalid: Invalid) {
  await everyCase(
    invalid,
    ([what]) => what,
    ([what, body, field]) =>
      test.step(what, async () => {
        expectValidationError(await api(service).post(path, body), field, show(body, 60));
      }),
  );
}

/** Creates one with POST; anything but a 2xx is the hint. */
async function create(
  api: Services,
  service: string,
  path: string,
  body: Record<string, unknown>,
  what: string,
) {
  const created = await api(service).post(path, body);
  if (created.status < 200 || created.status > 299) {
    fail(
      `could not create ${what}: POST ${path} with ${show(body, 80)} answered ${created.status} ${show(created.body)}`,
    );
  }
  return created;
}

/**
 * Creates two, one after the other, and reads each back by the id POST returned: 200 and the same object. Returns
 * what POST answered, for an id of the kind the service hands out.
 */
async function readsBack(
  api: Services,
  service: string,
  path: string,
  bodies: [Record<string, unknown>, Record<string, unknown>],
  what: string,
) {
  const first = await create(api, service, path, bodies[0], what);
  const second = await create(api, service, path, bodies[1], what);
  const noun = what.split(' ')[1];
  for (const [created, which] of [
    [first, 'first'],
    [second, 'second'],
  ] as const) {
    const reply = await api(service).get(`${path}/${created.body.id}`);
    expectStatus(
      reply,
      200,
      `two ${noun}s were created; the ${which} (${show(created.body)}) must still be found`,
    );
    expectFields(
      reply,
      created.body,
      `two ${noun}s were created one after the other; GET answers with the ${which} as POST returned it (does the store keep every ${noun}, each under its own id?)`,
    );
  }
  return first;
}

/** Two creations answer 201 each, with two different ids. */
async function createsTwo(
  api: Services,
  service: string,
  path: string,
  make: () => Record<string, unknown>,
  what: string,
) {
  const ids: unknown[] = [];
  for (const sent of [make(), make()]) {
    const reply = await api(service).post(path, sent);
    expectStatus(reply, 201, 'a POST that creates something answers 201 Created');
    expectFields(reply, sent, `answer with the ${what} you stored`);
    ids.push(reply.body.id);
  }
  if (JSON.stringify(ids[0]) === JSON.stringify(ids[1])) {
    fail(
      `two ${what}s created one after the other both got the id ${show(ids[0])}: give each ${what} its own id (a counter that goes up, or a UUID)`,
    );
  }
}

task(1, () => {
  test('valid users are created: 201 with id, name and email, each its own id', async ({ api }) => {
    await createsTwo(api, 'user', '/users', user, 'user');
  });
});

task(2, () => {
  test('invalid users are refused: 422 naming the field', async ({ api }) => {
    await refusesEach(api, 'user', '/users', [
      ['no email', { name: 'Ada' }, 'email'],
      ['an invalid email', { name: 'Ada', email: 'not-an-email' }, 'email'],
      ['no name', { email: 'ada@example.com' }, 'name'],
      ['an empty name', { name: '', email: 'ada@example.com' }, 'name'],
      ['a name of 101 characters', { name: 'a'.repeat(101), email: 'ada@example.com' }, 'name'],
    ]);
  });
});

task(3, () => {
  test('two users just created are read back: 200, the same objects', async ({ api }) => {
    await readsBack(api, 'user', '/users', [user(), user()], 'a user');
  });
});

task(4, () => {
  test('an unknown id answers 404 {"detail": ...}, not 200 {"error": ...}', async ({ api }) => {
    // An id of the kind the service hands out; a made-up text id if it cannot create one.
    const created = await api('user').post('/users', user());
    const reply = await api('user').get(`/users/${unknownIdLike(created.body?.id)}`);
    expectStatus(reply, 404, 'say "not found" with the status code, as FastAPI\'s HTTPException(404) does');
    expectDetail(reply, 'FastAPI answers {"detail": "User not found"}');
    const found = await api('user').get(`/users/${created.body?.id}`);
    if (found.status !== 200) {
      fail(
        `GET /users/{id} answers 404 even for the user just created (${show(created.body)}): the route is missing or never finds anyone`,
      );
    }
  });
});

task(5, () => {
  test('valid items are created: 201 with id, name and stock, each its own id', async ({ api }) => {
    await createsTwo(api, 'inventory', '/items', item, 'item');
  });
});

task(6, () => {
  test('invalid items are refused: 422 naming the field', async ({ api }) => {
    await refusesEach(api, 'inventory', '/items', [
      ['a negative stock', { name: 'lamp', stock: -1 }, 'stock'],
      ['a stock that is text', { name: 'lamp', stock: 'ten' }, 'stock'],
      ['a stock that is not whole', { name: 'lamp', stock: 1.5 }, 'stock'],
      ['no name', { stock: 3 }, 'name'],
      ['a name of 101 characters', { name: 'a'.repeat(101), stock: 3 }, 'name'],
    ]);
  });
});

task(7, () => {
  test('the item just created is read back; an unknown id is a 404', async ({ api }) => {
    const created = await readsBack(api, 'inventory', '/items', [item(), item()], 'an item');
    const unknown = await api('inventory').get(`/items/${unknownIdLike(created.body?.id)}`);
    expectStatus(unknown, 404, 'say "not found" with the status code');
    expectDetail(unknown, 'FastAPI answers {"detail": "Item not found"}');
  });
});
