import { blockedPort, SERVICE_NAME as KEBAB, PLAYGROUND_PORT, plural } from '@microtown/kit/town';
import { GeneratorError } from './errors.js';

export { plural };

const MAX_LENGTH = 30;

/** Names that would clash with the town's own folders, packages or routes, or that some systems cannot store. */
const RESERVED_SERVICES = new Set([
  'kit',
  'playground',
  'town',
  'microtown',
  'node-modules',
  'services',
  'svc',
  'api',
  ...['con', 'prn', 'aux', 'nul'],
  ...Array.from({ length: 9 }, (_, i) => [`com${i + 1}`, `lpt${i + 1}`]).flat(),
]);

/** Plurals that would shadow a route every service has, or a key of the store. */
const RESERVED_PLURALS = new Set(['docs', 'health', 'last-ids']);

/** Checks a lower kebab-case name: `shipping`, `order-history`; never a path, never empty. */
export function checkName(kind: string, value: string | undefined, example: string): string {
  if (value === undefined || value === '') throw new GeneratorError(`missing ${kind} name, e.g. ${example}`);
  if (!KEBAB.test(value)) {
    const hint = value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^[-0-9]+|-+$/g, '');
    const fix = hint && KEBAB.test(hint) ? `, e.g. ${hint}` : '';
    throw new GeneratorError(
      `invalid ${kind} name ${JSON.stringify(value)}: use lower kebab-case (letters, digits, single dashes)${fix}`,
    );
  }
  if (value.length > MAX_LENGTH) {
    throw new GeneratorError(
      `${kind} name ${JSON.stringify(value)} is too long (at most ${MAX_LENGTH} characters)`,
    );
  }
  return value;
}

export function checkServiceName(value: string | undefined): string {
  const name = checkName('service', value, 'shipping');
  if (RESERVED_SERVICES.has(name))
    throw new GeneratorError(`service name "${name}" is reserved; pick another one`);
  if (name.endsWith('-service')) {
    const short = name.slice(0, -'-service'.length);
    throw new GeneratorError(`name the service without "-service": ${short} (its folder becomes ${name})`);
  }
  return name;
}

export function checkResourceName(value: string | undefined): string {
  const name = checkName('resource', value, 'parcel');
  const last = name.split('-').at(-1) ?? name;
  if (/[^su]s$/.test(last) && last.length > 3) {
    throw new GeneratorError(
      `resource names are singular: ${JSON.stringify(name)} looks plural (e.g. parcel, whose routes are /parcels)`,
    );
  }
  if (RESERVED_PLURALS.has(plural(name))) {
    throw new GeneratorError(
      `resource "${name}" would answer at /${plural(name)}, which is taken; pick another name`,
    );
  }
  return name;
}

const words = (name: string) => name.split('-');
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** shipping-label -> ShippingLabel */
export const pascalCase = (name: string) => words(name).map(capital).join('');
/** shipping-label -> shippingLabel */
export const camelCase = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** shipping-label -> shipping_label */
export const snakeCase = (name: string) => words(name).join('_');
/** shipping-label -> SHIPPING_LABEL */
export const constantCase = (name: string) => snakeCase(name).toUpperCase();
/** `an item`, `a parcel`, `a user`, `an umbrella`: English's rule by sound, close enough for resource names. */
export const withArticle = (noun: string) => `${/^(?:[aeio]|u[^aeiou]{2})/.test(noun) ? 'an' : 'a'} ${noun}`;

/** shipping-label -> Shipping label */
export const sentenceCase = (name: string) => capital(words(name).join(' '));

/** A TCP port for a new service: 1024-65535, not the playground's. */
export function checkPort(value: string | number | undefined): number {
  if (value === undefined || value === '') throw new GeneratorError('missing port, e.g. 4105');
  const port = Number(value);
  if (!/^\d+$/.test(String(value)) || port < 1024 || port > 65535) {
    throw new GeneratorError(
      `invalid port ${JSON.stringify(String(value))}: use a number from 1024 to 65535, e.g. 4105`,
    );
  }
  const blocked = blockedPort(port);
  if (blocked) throw new GeneratorError(`port ${port} ${blocked}`);
  if (port === PLAYGROUND_PORT)
    throw new GeneratorError(
      `port ${PLAYGROUND_PORT} belongs to the playground; pick another one, e.g. 4105`,
    );
  return port;
}
