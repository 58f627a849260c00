import {
  type Service as Api,
  type ErrorItem,
  HTTPException,
  RequestValidationError,
  z,
} from '@microtown/kit';
import { FaultInput, FaultPublic, type FaultSpec, type Faults, FaultsPublic, OUTSIDE } from './faults.js';
import type { Registry } from './registry.js';

export interface FaultDeps {
  registry: Registry;
  faults: Faults;
}

const tags = ['faults'];
const FaultPath = z.object({ id: z.string().max(64) });

/**
 * The names a schema cannot know: the town's services, as they are now (one generated while the town runs counts
 * from then on). Refused as FastAPI refuses a bad field, 422 with `loc` naming it.
 */
function checkNames(spec: FaultSpec, registry: Registry): void {
  const names = [...registry.keys()];
  const unknown = (field: 'to' | 'from', input: string, also = ''): ErrorItem => ({
    type: 'value_error',
    loc: ['body', field],
    msg: `Value error, no service ${input} in this town (its services: ${names.join(', ')}${also})`,
    input,
  });
  const errors: ErrorItem[] = [];
  if (spec.from !== undefined && spec.from !== OUTSIDE && !registry.has(spec.from)) {
    errors.push(unknown('from', spec.from, `; or ${OUTSIDE}`));
  }
  if (!registry.has(spec.to)) errors.push(unknown('to', spec.to));
  if (errors.length) throw new RequestValidationError(errors);
}

/** `/api/faults`: list, add, remove one, clear all; the proxy applies them (see faults.ts). */
export function addFaultRoutes(api: Api, { registry, faults }: FaultDeps): void {
  api.get(
    '/api/faults',
    {
      summary: 'The faults set, in the order they apply, each with its hits',
      operationId: 'list_faults',
      tags,
      response: FaultsPublic,
    },
    () => {
      const data = faults.list();
      return { data, count: data.length };
    },
  );

  api.post(
    '/api/faults',
    {
      summary: 'Set a fault on an edge (from → to) or on a whole service (to, any caller)',
      description:
        'The proxy applies it to the matching calls before they reach the service, until it is removed or the ' +
        'playground stops. Delays add up; the first fault that fails, holds or cuts a call ends it.',
      operationId: 'add_fault',
      tags,
      body: FaultInput,
      response: FaultPublic,
      status: 201,
    },
    ({ body }) => {
      checkNames(body, registry);
      return faults.add(body);
    },
  );

  api.delete(
    '/api/faults/{id}',
    {
      summary: 'Remove one fault',
      operationId: 'remove_fault',
      tags,
      params: FaultPath,
      status: 204,
      errors: { 404: 'No such fault' },
    },
    ({ params }) => {
      if (!faults.remove(params.id)) throw new HTTPException(404, `No fault ${params.id}`);
    },
  );

  api.delete(
    '/api/faults',
    { summary: 'Remove every fault', operationId: 'clear_faults', tags, status: 204 },
    () => faults.clear(),
  );
}
