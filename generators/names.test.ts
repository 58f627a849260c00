import { describe, expect, it } from 'vitest';
import { GeneratorError } from './errors.js';
import { parseFields } from './fields.js';
import { formatJson } from './manifest.js';
import {
  camelCase,
  checkPort,
  checkResourceName,
  checkServiceName,
  constantCase,
  pascalCase,
  plural,
  snakeCase,
  withArticle,
} from './names.js';

describe('names', () => {
  it.each([
    ['parcel', 'parcels'],
    ['category', 'categories'],
    ['box', 'boxes'],
    ['bus', 'buses'],
    ['match', 'matches'],
    ['dish', 'dishes'],
    ['day', 'days'],
    ['shipping-label', 'shipping-labels'],
    ['delivery-company', 'delivery-companies'],
  ])('plural(%s) = %s', (name, expected) => {
    expect(plural(name)).toBe(expected);
  });

  it.each([
    ['item', 'an item'],
    ['order', 'an order'],
    ['parcel', 'a parcel'],
    ['user', 'a user'],
    ['umbrella', 'an umbrella'],
  ])('withArticle(%s) = %s', (noun, expected) => {
    expect(withArticle(noun)).toBe(expected);
  });

  it('spells a kebab name for each place it goes', () => {
    expect([pascalCase, camelCase, snakeCase, constantCase].map((f) => f('order-history'))).toEqual([
      'OrderHistory',
      'orderHistory',
      'order_history',
      'ORDER_HISTORY',
    ]);
  });

  it.each([
    ['', /missing service name/],
    ['Shipping', /lower kebab-case.*e\.g\. shipping/],
    ['../etc', /lower kebab-case/],
    ['a/b', /lower kebab-case/],
    ['ship_ping', /lower kebab-case.*e\.g\. ship-ping/],
    ['ship--ping', /lower kebab-case/],
    ['kit', /reserved/],
    ['playground', /reserved/],
    ['con', /reserved/],
    ['shipping-service', /without "-service": shipping/],
    ['a'.repeat(31), /too long/],
  ])('refuses the service name %j', (name, message) => {
    expect(() => checkServiceName(name)).toThrow(message);
  });

  it.each([
    ['parcels', /singular/],
    ['doc', /\/docs, which is taken/],
    ['last-id', /taken/],
  ])('refuses the resource name %j', (name, message) => {
    expect(() => checkResourceName(name)).toThrow(message);
  });

  it('accepts singular names that end in s', () => {
    expect(['status', 'address', 'bus', 'gas'].map(checkResourceName)).toHaveLength(4);
  });

  it.each([
    ['80', /1024 to 65535/],
    ['65536', /1024 to 65535/],
    ['4105.5', /1024 to 65535/],
    ['http', /1024 to 65535/],
    ['4000', /playground/],
    ['6000', /browsers and Node's fetch refuse to call/],
    ['5060', /bad ports/],
  ])('refuses the port %s', (port, message) => {
    expect(() => checkPort(port)).toThrow(message);
  });
});

describe('fields', () => {
  it('parses name:type lists, with commas or as separate arguments', () => {
    const fields = parseFields(['label:string,weight:number', 'fragile:boolean']);
    expect(fields.map((f) => [f.name, f.type, f.zod])).toEqual([
      ['label', 'string', 'z.string()'],
      ['weight', 'number', 'z.number()'],
      ['fragile', 'boolean', 'z.boolean()'],
    ]);
  });

  it('defaults to name:string', () => {
    expect(parseFields([]).map((f) => `${f.name}:${f.type}`)).toEqual(['name:string']);
  });

  it.each([
    [
      'weight:float',
      /unknown type "float" for field weight: use one of string, integer, number, boolean, email/,
    ],
    [
      'weight',
      /^weight has no type: write weight:number \(types: string, integer, number, boolean, email\)$/,
    ],
    ['weight:', /^weight has no type: write weight:number/],
    ['name:string label', /^label has no type: write label:string/],
    ['is_paid', /^is_paid has no type: write is_paid:boolean/],
    ['Weight:number', /snake_case/],
    ['id:string', /reserved/],
    ['limit:integer', /reserved/],
    ['a:string,a:number', /given twice/],
    ['a:string:x', /<name>:<type>/],
  ])('refuses %j', (spec, message) => {
    expect(() => parseFields([spec])).toThrow(message);
    expect(() => parseFields([spec])).toThrow(GeneratorError);
  });
});

describe('formatJson', () => {
  it('writes manifests as biome does: short arrays on one line', () => {
    expect(formatJson({ name: 'a', calls: ['b', 'c'], empty: [] })).toBe(
      '{\n  "name": "a",\n  "calls": ["b", "c"],\n  "empty": []\n}\n',
    );
  });
});
