import { afterAll, beforeAll } from 'vitest';
import { type Playground, type PlaygroundOptions, startPlayground } from '../start-playground.js';
import { type FakeService, startFakeService } from './fake-service.js';

/** The file's playground, and its fake services by name. */
export type FakeTown<Name extends string> = { playground: Playground } & Record<Name, FakeService>;

/**
 * For one test file: a fake service for each name (each with the calls it is drawn making) and a playground in
 * front of them (its API and proxy, no page), started before the file's tests and stopped after them. `more` gives
 * further playground options once the fakes are up; its `services` come after the fakes.
 */
export function useFakeTown<Name extends string>(
  calls: Record<Name, string[]>,
  more: (
    town: FakeTown<Name>,
  ) => Partial<PlaygroundOptions> | Promise<Partial<PlaygroundOptions>> = () => ({}),
): FakeTown<Name> {
  const names = Object.keys(calls) as Name[];
  const town = {} as FakeTown<Name>;
  const fakes = town as Record<Name, FakeService>;
  beforeAll(async () => {
    for (const name of names) fakes[name] = await startFakeService(name);
    const { services = [], ...options } = await more(town);
    town.playground = await startPlayground({
      port: 0,
      page: false,
      ...options,
      services: [...names.map((name) => ({ name, url: fakes[name].url, calls: calls[name] })), ...services],
    });
  });
  afterAll(async () => {
    await town.playground?.close();
    for (const name of names) await fakes[name]?.close();
  });
  return town;
}
