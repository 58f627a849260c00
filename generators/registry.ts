import { call } from './call.js';
import { exercise } from './exercise.js';
import { field } from './field.js';
import type { Generator } from './generator.js';
import { resource } from './resource.js';
import { service } from './service.js';

/** The generators, in the order plop's menu shows them. */
export const GENERATORS: Generator[] = [service, resource, field, call, exercise];

export const findGenerator = (name: string) => GENERATORS.find((g) => g.name === name);
