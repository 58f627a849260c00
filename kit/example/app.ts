import { createService, HTTPException, pageOf, type Store, z } from '../src/index.js';

export const ThingCreate = z.object({
  name: z.string().min(1).max(100),
  weight: z.number().min(0),
  email: z.email().optional(),
});
export const ThingPublic = ThingCreate.extend({ id: z.string() }).meta({ id: 'ThingPublic' });
export type ThingPublic = z.infer<typeof ThingPublic>;
export const ThingsPublic = pageOf(ThingPublic, 'ThingsPublic');

export interface ThingsData {
  things: ThingPublic[];
}

const ThingPath = z.object({ thing_id: z.string().min(1).max(64) });
const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The smallest service built with the kit: the kit's own tests and the benchmark run it. */
export function createApp(store: Store<ThingsData>) {
  const service = createService({ name: 'things' });

  service.get(
    '/things',
    { summary: 'List things', query: ListQuery, response: ThingsPublic },
    ({ query }) => {
      const { things } = store.data;
      return { data: things.slice(query.offset, query.offset + query.limit), count: things.length };
    },
  );

  service.get(
    '/things/{thing_id}',
    { summary: 'Read a thing', params: ThingPath, response: ThingPublic, errors: { 404: 'Thing not found' } },
    ({ params }) => {
      const thing = store.data.things.find((t) => t.id === params.thing_id);
      if (!thing) throw new HTTPException(404, 'Thing not found');
      return thing;
    },
  );

  service.post(
    '/things',
    { summary: 'Create a thing', body: ThingCreate, response: ThingPublic, status: 201 },
    ({ body }) =>
      store.update((data) => {
        const thing = { ...body, id: String(data.things.length + 1) };
        data.things.push(thing);
        return thing;
      }),
  );

  service.get('/boom', { summary: 'Fail on purpose' }, () => {
    throw new Error('secret internal detail');
  });

  return service.app;
}
