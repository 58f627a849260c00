import {
  type Api,
  expectDetail,
  expectFields,
  expectStatus,
  expectValidationError,
  fail,
  show,
  task,
  test,
  unique,
} from '../grader/grading.ts';

const user = () => ({ name: 'Ada Lovelace', email: `${unique('ada')}@example.com` });
const item = () => ({ name: unique('lamp'), stock: 7 });
const MADE_UP_ID = 'no-such-id-4242';

type Services = (name: string) => Api;
type Invalid = [what: string, body: Record<string, unknown>, field: string][];

/** Each invalid body, as a step: 422 with FastAPI's detail naming the field. */
async function refusesEach(api: Services, service: string, path: string, invalid: Invalid) {
  for (const [what, body, field] of invalid) {
    await test.step(what, async () => {
      expectValidationError(await api(service).post(path, body), field, show(body, 60));
    });
  }
}

/** Creates one, reads it back by the id POST returned: 200 and the same object. */
async function readsBack(
  api: Services,
  service: string,
  path: string,
  body: Record<string, unknown>,
  what: string,
) {
  const created = await api(service).post(path, body);
  if (created.status < 200 || created.status > 299) {
    fail(
      `could not create ${what} to read back: POST ${path} answered ${created.status} ${show(created.body)}`,
    );
  }
  const reply = await api(service).get(`${path}/${created.body.id}`);
  expectStatus(reply, 200, `${what} that exists is found`);
  expectFields(reply, created.body, `GET answers with the same ${what.split(' ')[1]} that POST returned`);
}

task(1, () => {
  test('a valid user is created: 201 with id, name and email', async ({ api }) => {
    const sent = user();
    const reply = await api('user').post('/users', sent);
    expectStatus(reply, 201, 'a POST that creates something answers 201 Created');
    expectFields(reply, sent, 'answer with the user you stored');
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
  test('the user just created is read back: 200, the same object', async ({ api }) => {
    await readsBack(api, 'user', '/users', user(), 'a user');
  });
});

task(4, () => {
  test('an unknown id answers 404 {"detail": ...}, not 200 {"error": ...}', async ({ api }) => {
    const reply = await api('user').get(`/users/${MADE_UP_ID}`);
    expectStatus(reply, 404, 'say "not found" with the status code, as FastAPI\'s HTTPException(404) does');
    expectDetail(reply, 'FastAPI answers {"detail": "User not found"}');
    const created = await api('user').post('/users', user());
    const found = await api('user').get(`/users/${created.body?.id}`);
    if (found.status !== 200) {
      fail(
        `GET /users/{id} answers 404 even for the user just created (${show(created.body)}): the route is missing or never finds anyone`,
      );
    }
  });
});

task(5, () => {
  test('a valid item is created: 201 with id, name and stock', async ({ api }) => {
    const sent = item();
    const reply = await api('inventory').post('/items', sent);
    expectStatus(reply, 201, 'a POST that creates something answers 201 Created');
    expectFields(reply, sent, 'answer with the item you stored');
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
    await readsBack(api, 'inventory', '/items', item(), 'an item');
    const unknown = await api('inventory').get(`/items/${MADE_UP_ID}`);
    expectStatus(unknown, 404, 'say "not found" with the status code');
    expectDetail(unknown, 'FastAPI answers {"detail": "Item not found"}');
  });
});
