import { call } from './call.ts';
import { exercise } from './exercise.ts';
import type { Generator } from './generator.ts';
import { resource } from './resource.ts';
import { service } from './service.ts';

/** The generators, in the order plop's menu shows them. */
export const GENERATORS: Generator[] = [service, resource, call, exercise];

export const findGenerator = (name: string) => GENERATORS.find((g) => g.name === name);
