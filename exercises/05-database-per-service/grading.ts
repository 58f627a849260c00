import { basename, dirname, relative } from 'node:path';
import {
  type Api,
  type Control,
  eventually,
  expectStatus,
  fail,
  filesWith,
  implementationDir,
  show,
  targets,
  task,
  test,
  unique,
} from '../grader/grading.js';

// The grader starts your user, inventory and orders, each with its own DATA_FILE, restarts them, and reads the files.
type Services = (name: string) => Api;

const created = async (api: Services, service: string, path: string, body: unknown) => {
  const reply = await api(service).post(path, body);
  expectStatus(reply, 201, `${service} must create it first`);
  return reply.body;
};
const newUser = (api: Services, email = `${unique('ada')}@example.com`) =>
  created(api, 'user', '/users', { name: 'Ada Lovelace', email });
const newItem = (api: Services, name = unique('lamp')) =>
  created(api, 'inventory', '/items', { name, stock: 5 });

/** Restarts `service` (or crashes and starts it), then reads `path` again: the fields of `before` are the same. */
async function keeps(
  api: Services,
  town: Control,
  service: string,
  path: string,
  before: Record<string, unknown>,
  crash = false,
) {
  if (crash) {
    await town.stop(service, 'SIGKILL');
    await town.start(service);
  } else await town.restart(service);
  const reply = await api(service).get(path);
  const how = crash ? 'killed (kill -9) just after it answered 201' : 'restarted';
  if (reply.status !== 200) {
    fail(
      `${service} forgot what it stored: after it was ${how}, GET ${path} answered ${reply.status} ${show(reply.body)}; keep the data in the file named by DATA_FILE, written before answering`,
    );
  }
  const changed = Object.keys(before).filter(
    (key) => JSON.stringify(reply.body?.[key]) !== JSON.stringify(before[key]),
  );
  if (changed.length) {
    fail(
      `after ${service} was ${how}, GET ${path} answered ${show(reply.body)}; before it had ${changed.map((key) => `"${key}": ${show(before[key], 40)}`).join(', ')}`,
    );
  }
}

task(1, () => {
  test('a user created before a restart is found after it', async ({ api, town }) => {
    const user = await newUser(api);
    await keeps(api, town, 'user', `/users/${user.id}`, user);
  });
});

task(2, () => {
  test('an item and the stock an order took are found after a restart', async ({ api, town }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api)]);
    expectStatus(
      await api('orders').post(`/order?user_id=${user.id}&item_id=${item.id}`),
      [201, 200],
      'an order takes stock',
    );
    // Read through GET /items/{id}, the route the README asks for: its stock is one less after the order.
    const after = (await api('inventory').get(`/items/${item.id}`)).body;
    if (Number.isInteger(item.stock) && after?.stock !== item.stock - 1) {
      fail(
        `after an order for item ${item.id}, GET /items/${item.id} answered ${show(after)}; expected "stock": ${item.stock - 1} (the order took one)`,
      );
    }
    await keeps(api, town, 'inventory', `/items/${item.id}`, after);
  });
});

task(3, () => {
  test('an order placed before a restart is found after it', async ({ api, town }) => {
    const [user, item] = await Promise.all([newUser(api), newItem(api)]);
    const placed = await api('orders').post(`/order?user_id=${user.id}&item_id=${item.id}`);
    expectStatus(placed, [201, 200], 'the order must be placed first');
    const { id, user_id, item_id } = placed.body;
    await keeps(api, town, 'orders', `/orders/${id}`, { id, user_id, item_id });
  });
});

task(4, () => {
  test('a user answered 201 survives kill -9 right after the answer', async ({ api, town }) => {
    const user = await newUser(api);
    await keeps(api, town, 'user', `/users/${user.id}`, user, true);
  });
});

task(5, () => {
  test("user's and inventory's data are each in their own DATA_FILE, and in no other service's", async ({
    api,
  }) => {
    const dataDir = dirname(targets.user?.dataFile ?? fail('the grader gave user no DATA_FILE'));
    const shown = (file: string) =>
      file.startsWith(dataDir) ? basename(file) : relative(implementationDir, file);
    // Where each write went, looked up soon after it (a service sharing a file may overwrite the other's later);
    // a write that reaches its file within a few seconds counts here (task 4 grades what a crash keeps).
    const located = (marker: string) =>
      eventually(
        async () => [...filesWith(marker, dataDir), ...filesWith(marker, implementationDir)],
        (files) => files.length > 0,
        5000,
      );
    const user = `${unique('ada')}@example.com`;
    await newUser(api, user);
    const found: Record<string, string[]> = { user: await located(user) };
    const lamp = unique('lamp');
    await newItem(api, lamp);
    found.inventory = await located(lamp);
    // A database's own side files beside DATA_FILE are that service's: SQLite's -wal, -shm and -journal, and the
    // journal microtown's kit appends to before it rewrites the data file (<DATA_FILE>.journal).
    const ownFiles = (file: string) => [
      file,
      `${file}-wal`,
      `${file}-shm`,
      `${file}-journal`,
      `${file}.journal`,
    ];
    for (const [service, files] of Object.entries(found)) {
      const own = targets[service]?.dataFile ?? '';
      const sharers = Object.keys(found).filter(
        (other) => other !== service && found[other]?.some((f) => files.includes(f)),
      );
      if (!files.some((file) => ownFiles(own).includes(file))) {
        const where = files.length
          ? `it went to ${files.map(shown).join(', ')}`
          : 'no file the grader can see has it';
        const shared = sharers.length ? `, where ${sharers.join(' and ')} keeps its data too` : '';
        fail(
          `${service}'s data is not in its DATA_FILE (${shown(own)}): ${where}${shared}; give each service a file of its own, the one DATA_FILE names`,
        );
      }
      if (sharers.length)
        fail(
          `${service}'s data file ${shown(own)} also holds ${sharers.join(' and ')}'s data: no two services share a file`,
        );
    }
  });
});
