// Why a recorded call failed, in one plain sentence and the fix: read from the recorded traffic and the callee's
// OpenAPI document only, so that a service of any language is explained alike.

import type { z } from '@microtown/kit';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { REQUEST_BODY_LIMIT } from './body-capture.js';
import type { Call } from './recorder.js';
import type { ExplanationPublic, FieldProblem as FieldProblemSchema } from './schemas.js';

export type Explanation = z.output<typeof ExplanationPublic>;
export type ProblemKind = Explanation['kind'];
export type FieldProblem = z.output<typeof FieldProblemSchema>;

/** A JSON Schema (OpenAPI 3.1's are JSON Schema 2020-12), read loosely: any service may have written it. */
type Schema = Record<string, unknown>;

/** What of an OpenAPI document the explanations read: the operations of its paths, and its components. */
export interface OpenApi {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface ExplainContext {
  /** The caller's own document: tells a 4xx it answers on purpose (listed for its route) from one passed on. */
  callerOpenApi?: OpenApi | null;
  /** The proxy's limit, for a 504 whose detail was not kept. */
  timeoutMs?: number;
}

// ---- The recorded call, in words ----

const who = (call: Call) => call.caller ?? 'a caller outside the town';
const Who = (call: Call) => call.caller ?? 'A caller outside the town';
const request = (call: Call) => `${call.method} ${call.path}`;
/** `orders' client`, `user's client`. */
const possessive = (name: string) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

/** orders' GET /users/u1, or GET /users/u1 from outside the town. */
const asked = (call: Call) =>
  call.caller ? `${possessive(call.caller)} ${request(call)}` : `${request(call)} (from outside the town)`;
const failed = (call: Call) => call.status === 0 || call.status >= 400;

/** 300 ms, 2.5 s: as a person would say it. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

/** A value as sent, short enough for a table cell. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** One item of a FastAPI-style 422 (the kit answers the same). */
interface ErrorItem {
  loc: (string | number)[];
  msg: string;
  type?: string;
  input?: unknown;
}

const isErrorItem = (item: unknown): item is ErrorItem =>
  typeof item === 'object' &&
  item !== null &&
  Array.isArray((item as ErrorItem).loc) &&
  typeof (item as ErrorItem).msg === 'string';

/** The recorded answer of an error: its `detail` as text, and the items of a validation error. */
function answerOf(call: Call): { detail?: string; items: ErrorItem[] } {
  const text = call.response_body;
  if (!text) return { items: [] };
  try {
    const { detail } = JSON.parse(text) as { detail?: unknown };
    if (typeof detail === 'string') return { detail, items: [] };
    if (Array.isArray(detail)) {
      const items = detail.filter(isErrorItem);
      return { detail: items.map((i) => i.msg).join('; ') || undefined, items };
    }
  } catch {
    // Not JSON, or cut at 2 KB: its start still says something.
  }
  return { detail: text.replace(/\s+/g, ' ').slice(0, 200), items: [] };
}

// ---- Routes: which the callee has, and the nearest to the one called ----

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface Operation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, unknown>;
}

interface Route {
  method: string;
  path: string;
  operation: Operation;
}

function routesOf(openapi: OpenApi): Route[] {
  return Object.entries(openapi.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item ?? {})
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        operation: operation as Operation,
      })),
  );
}

const decode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** `/users/u1/?x=1` -> ['users', 'u1']: a trailing slash and the query do not choose the route. */
const segmentsOf = (path: string) => (path.split('?')[0] ?? '').split('/').filter(Boolean).map(decode);
const isTemplate = (segment: string) => /\{[^}]+\}/.test(segment);
const templateRegex = (segment: string) =>
  new RegExp(
    `^${segment
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}$`,
  );

/** A segment of the path called against one of a route: `{user_id}` matches any, `{name}.json` any `x.json`. */
const segmentMatches = (actual: string, template: string) =>
  isTemplate(template) ? templateRegex(template).test(actual) : actual === template;

const pathMatches = (actual: string[], template: string[]) =>
  actual.length === template.length &&
  actual.every((segment, i) => segmentMatches(segment, template[i] ?? ''));

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Segment by segment: a `{param}` costs nothing, a wrong word its edit distance, a missing segment its length. */
export function pathDistance(actual: string[], template: string[]): number {
  let total = 0;
  for (let i = 0; i < Math.max(actual.length, template.length); i++) {
    const [a, t] = [actual[i], template[i]];
    if (a === undefined) total += t !== undefined && isTemplate(t) ? 1 : (t ?? '').length;
    else if (t === undefined) total += a.length;
    else if (!segmentMatches(a, t)) total += editDistance(a, t.replace(/\{[^}]+\}/g, ''));
  }
  return total;
}

/** The nearest route, a different method counting one edit more: GET /user/u1 -> GET /users/{user_id}. */
export function nearestRoute(method: string, path: string, routes: Route[]): Route | undefined {
  const actual = segmentsOf(path);
  let best: { route: Route; score: number } | undefined;
  for (const route of routes) {
    const score = pathDistance(actual, segmentsOf(route.path)) + (route.method === method ? 0 : 1);
    if (!best || score < best.score) best = { route, score };
  }
  return best?.route;
}

/** The route's path with the called path's values in its `{param}`s: what to call instead. */
function filledIn(template: string, path: string): string {
  const actual = segmentsOf(path);
  const query = path.includes('?') ? path.slice(path.indexOf('?')) : '';
  const filled = segmentsOf(template).map((t, i) => {
    const value = actual[i];
    return isTemplate(t) && value !== undefined && segmentMatches(value, t) ? encodeURIComponent(value) : t;
  });
  return `/${filled.join('/')}${query}`;
}

/** The routes whose path matches the call's, those with the most fixed words first (`/users/me` before `{id}`). */
function matchingRoutes(call: Call, routes: Route[]): Route[] {
  const actual = segmentsOf(call.path);
  const fixed = (r: Route) => segmentsOf(r.path).filter((s) => !isTemplate(s)).length;
  return routes.filter((r) => pathMatches(actual, segmentsOf(r.path))).sort((a, b) => fixed(b) - fixed(a));
}

const hasMethod = (routes: Route[], method: string) =>
  routes.some((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));

/** A 404 or 405 for a path (or a method) the callee does not have; `undefined` when it has the route. */
function explainRoute(call: Call, openapi: OpenApi): Explanation | undefined {
  const routes = routesOf(openapi);
  if (!routes.length) return undefined;
  const here = matchingRoutes(call, routes);
  if (hasMethod(here, call.method)) return undefined;
  const docs = `/svc/${call.callee}/docs`;
  if (here.length) {
    const methods = [...new Set(here.map((r) => r.method))].join(', ');
    const path = here[0]?.path ?? '';
    return {
      call_id: call.id,
      kind: 'wrong_url',
      sentence: `${Who(call)} called ${request(call)}; ${call.callee} has ${path} only for ${methods}.`,
      fix: `Use ${here.length > 1 ? 'one of ' : ''}${methods} on ${call.path.split('?')[0]}, or the route meant (${call.callee}'s routes are listed at ${docs}).`,
    };
  }
  const near = nearestRoute(call.method, call.path, routes);
  if (!near) return undefined;
  return {
    call_id: call.id,
    kind: 'wrong_url',
    sentence: `${Who(call)} called ${request(call)}; ${call.callee} has ${near.method} ${near.path}.`,
    fix: `Call ${near.method} ${filledIn(near.path, call.path)} instead: no route of ${call.callee} matches ${call.path.split('?')[0]} (all of them are at ${docs}).`,
  };
}

// ---- Payloads: the recorded body against the callee's request schema ----

const REF_PREFIX = '#/components/';
/** The components are added to ajv as one schema of this id; refs into them are rewritten to point there. */
const COMPONENTS = 'openapi-components.json';
const PARTS = ['allOf', 'anyOf', 'oneOf'];
const SUBSCHEMAS = [
  'items',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
];
const SCHEMA_LISTS = ['prefixItems'];
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const mapValues = (map: unknown, f: (value: unknown) => unknown) =>
  isObject(map) ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, f(v)])) : map;

/**
 * The schema with unknown fields made errors. zod's and pydantic's objects ignore extra fields, so their documents
 * say nothing of them; here an object that lists its properties and says nothing of others gets
 * `unevaluatedProperties: false`, unless it is one part of an allOf/anyOf/oneOf (the other parts' fields are not
 * its own: the whole says it, unevaluated counting every part). Refs into the components point at their schema.
 */
function strictSchema(schema: unknown, part = false): unknown {
  if (!isObject(schema)) return schema;
  const out: Schema = { ...schema };
  if (typeof out.$ref === 'string' && out.$ref.startsWith(REF_PREFIX)) out.$ref = `${COMPONENTS}${out.$ref}`;
  for (const key of SUBSCHEMAS) if (key in out) out[key] = strictSchema(out[key]);
  for (const key of SCHEMA_LISTS)
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((s) => strictSchema(s));
  for (const key of SCHEMA_MAPS) if (key in out) out[key] = mapValues(out[key], (s) => strictSchema(s));
  for (const key of PARTS)
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map((s) => strictSchema(s, true));
  const open = 'additionalProperties' in out || 'unevaluatedProperties' in out;
  if (!part && !open && isObject(out.properties)) out.unevaluatedProperties = false;
  return out;
}

/** Components that are a part of an allOf/anyOf/oneOf somewhere: those stay open (see strictSchema). */
function composedComponents(document: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(document)) for (const item of document) composedComponents(item, found);
  else if (isObject(document)) {
    for (const [key, value] of Object.entries(document)) {
      if (PARTS.includes(key) && Array.isArray(value)) {
        for (const item of value) if (isObject(item) && typeof item.$ref === 'string') found.add(item.$ref);
      }
      composedComponents(value, found);
    }
  }
  return found;
}

interface Validators {
  ajv: InstanceType<typeof Ajv2020>;
  compiled: WeakMap<object, ValidateFunction>;
}

// One ajv per document, made when first needed: the cached document is the same object for a few seconds.
const validators = new WeakMap<OpenApi, Validators>();

function validatorsOf(openapi: OpenApi): Validators | undefined {
  let found = validators.get(openapi);
  if (!found) {
    // Formats: email is what the town's schemas use; any other is not checked (the callee's 422 still says it).
    const ajv = new Ajv2020({
      allErrors: true,
      strict: false,
      logger: false,
      verbose: true,
      formats: { email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/ },
    });
    const composed = composedComponents(openapi);
    const strict = Object.fromEntries(
      Object.entries(openapi.components?.schemas ?? {}).map(([name, s]) => [
        name,
        strictSchema(s, composed.has(`${REF_PREFIX}schemas/${name}`)),
      ]),
    );
    ajv.addSchema({ $id: COMPONENTS, components: { ...openapi.components, schemas: strict } });
    found = { ajv, compiled: new WeakMap() };
    validators.set(openapi, found);
  }
  return found;
}

/** A schema found by its `$ref` into the components, for describing it. */
function resolved(schema: unknown, openapi: OpenApi): unknown {
  if (!isObject(schema) || typeof schema.$ref !== 'string') return schema;
  const name = schema.$ref.split('/').pop() ?? '';
  return openapi.components?.schemas?.[decode(name)] ?? schema;
}

/** A component's name (UserCreate) from its `$ref`, else a plain description. */
const schemaName = (schema: unknown) =>
  isObject(schema) && typeof schema.$ref === 'string'
    ? (schema.$ref.split('/').pop() ?? 'its schema')
    : 'its request schema';

const range = (min: unknown, max: unknown, unit = '') => {
  const u = unit ? ` ${unit}` : '';
  if (min !== undefined && max !== undefined) return `${min}–${max}${u}`;
  if (min !== undefined) return `at least ${min}${u}`;
  if (max !== undefined) return `at most ${max}${u}`;
  return undefined;
};

/** What a schema wants, as a person says it: `string (email), at most 254 characters`, `integer, 1–1000`. */
export function describe(schema: unknown, openapi: OpenApi = {}): string {
  if (!isObject(schema)) return schema === false ? 'nothing (not allowed)' : 'anything';
  if (typeof schema.$ref === 'string') return schemaName(schema);
  const alternatives = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map((s) => describe(s, openapi)).join(' or ');
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if ('const' in schema) return `exactly ${JSON.stringify(schema.const)}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type as string | undefined);
  const parts = [`${type ?? 'a value'}${schema.format ? ` (${schema.format})` : ''}`];
  if (type === 'array' && schema.items !== undefined)
    parts[0] = `array of ${describe(schema.items, openapi)}`;
  parts.push(
    ...[
      range(schema.minLength, schema.maxLength, 'characters'),
      range(schema.minimum, schema.maximum),
      range(schema.minItems, schema.maxItems, 'items'),
      schema.pattern ? `matching ${schema.pattern}` : undefined,
    ].filter((p): p is string => p !== undefined),
  );
  return parts.join(', ');
}

/** The fields an object schema knows, its allOf parts' included. */
function fieldsOf(schema: unknown, openapi: OpenApi, depth = 0): string[] {
  const s = resolved(schema, openapi);
  if (!isObject(s) || depth > 5) return [];
  const own = isObject(s.properties) ? Object.keys(s.properties) : [];
  const parts = Array.isArray(s.allOf) ? s.allOf.flatMap((p) => fieldsOf(p, openapi, depth + 1)) : [];
  return [...own, ...parts];
}

const squashed = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

/** userId -> user_id: the same words, or a slip of a letter or two. */
function nearestField(name: string, known: string[]): string | undefined {
  const same = known.find((k) => squashed(k) === squashed(name));
  if (same) return same;
  const close = known.filter((k) => editDistance(k.toLowerCase(), name.toLowerCase()) <= 2 && k.length > 3);
  return close[0];
}

/** A field problem and the words that sum it up in a sentence. */
interface Problem extends FieldProblem {
  phrase: string;
  /** A field the schema does not have, and the one it has that was probably meant. */
  unknown?: { name: string; meant?: string };
}

/** `/items/0/name` -> `items.0.name` (JSON pointer to dotted). */
const dotted = (pointer: string, last?: string) =>
  [...pointer.split('/').slice(1), ...(last === undefined ? [] : [last])]
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');

function problemOf(error: ErrorObject, openapi: OpenApi): Problem {
  const parent = error.parentSchema as Schema | undefined;
  const params = error.params as Record<string, string>;
  if (error.keyword === 'required') {
    const field = dotted(error.instancePath, params.missingProperty);
    const wanted = isObject(parent?.properties) ? parent.properties[params.missingProperty ?? ''] : undefined;
    return { field, sent: 'nothing', expected: describe(wanted, openapi), phrase: `${field} is missing` };
  }
  const extra = params.unevaluatedProperty ?? params.additionalProperty;
  if (extra !== undefined) {
    const field = dotted(error.instancePath, extra);
    const meant = nearestField(extra, fieldsOf(parent, openapi));
    const hint = meant ? `: did you mean ${meant}?` : '';
    return {
      field,
      sent: shown((error.data as Schema | undefined)?.[extra]),
      expected: `no such field${hint}`,
      phrase: `${field} is not one of its fields${meant ? ` (did you mean ${meant}?)` : ''}`,
      unknown: { name: field, meant },
    };
  }
  const field = dotted(error.instancePath) || '(the body)';
  const expected = describe(parent, openapi);
  return { field, sent: shown(error.data), expected, phrase: `${field} should be ${expected}` };
}

/** One problem per field, in the order ajv found them. */
const perField = (problems: Problem[]) =>
  problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);

/** The recorded body against the schema: field by field, `[]` when it matches, `undefined` when it cannot tell. */
function checkBody(call: Call, schema: unknown, openapi: OpenApi): Problem[] | undefined {
  const text = call.request_body;
  if (text === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Cut at the limit: the start of a long body is not JSON, but the body may well have been.
    if (Buffer.byteLength(text) >= REQUEST_BODY_LIMIT) return undefined;
    const sent = text.trim() ? shown(text) : 'nothing (an empty body)';
    return [
      { field: '(the body)', sent, expected: `JSON: ${schemaName(schema)}`, phrase: 'the body is not JSON' },
    ];
  }
  const found = validatorsOf(openapi);
  if (!found || !isObject(schema)) return undefined;
  let validate = found.compiled.get(schema);
  if (!validate) {
    try {
      validate = found.ajv.compile(strictSchema(schema) as Schema);
    } catch {
      return undefined; // A schema ajv cannot read: the callee's own answer still explains.
    }
    found.compiled.set(schema, validate);
  }
  if (validate(body)) return [];
  return perField((validate.errors ?? []).map((e) => problemOf(e, openapi)));
}

/** The items of the callee's own 422 (FastAPI's shape, the kit's too), field by field. */
function problemsFromAnswer(items: ErrorItem[]): Problem[] {
  return items.map((item) => {
    const [where, ...path] = item.loc.map(String);
    const named = path.join('.') || '(the body)';
    const field = where && where !== 'body' ? `${named} (in the ${where})` : named;
    const missing = item.type === 'missing';
    return {
      field,
      sent: missing ? 'nothing' : shown(item.input),
      expected: item.msg,
      phrase: missing ? `${field} is missing` : `${field}: ${item.msg}`,
    };
  });
}

const requestSchemaOf = (route: Route | undefined) => {
  const content = route?.operation.requestBody?.content ?? {};
  const json = Object.entries(content).find(([type]) => /json/i.test(type));
  return json?.[1].schema;
};

/** The schema's fields as the fix lists them: `name (string, 1–100 characters), email (…, optional)`. */
function wantedFields(schema: unknown, openapi: OpenApi): string {
  const s = resolved(schema, openapi);
  if (!isObject(s) || !isObject(s.properties)) return describe(s, openapi);
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  return Object.entries(s.properties)
    .map(([name, p]) => `${name} (${describe(p, openapi)}${required.has(name) ? '' : ', optional'})`)
    .join(', ');
}

const summary = (problems: Problem[]) =>
  `${problems
    .slice(0, 3)
    .map((p) => p.phrase)
    .join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''}`;

const publicDetails = (problems: Problem[]): FieldProblem[] =>
  problems.map(({ field, sent, expected }) => ({ field, sent, expected }));

/** A 400 or 422: the body (or the query) against what the callee wants, field by field. */
function explainPayload(call: Call, openapi: OpenApi | null): Explanation | undefined {
  const route = openapi
    ? matchingRoutes(call, routesOf(openapi)).find((r) => r.method === call.method)
    : undefined;
  const schema = requestSchemaOf(route);
  const checked = openapi && schema !== undefined ? checkBody(call, schema, openapi) : undefined;
  const problems = checked?.length ? checked : problemsFromAnswer(answerOf(call).items);
  if (!problems.length) return undefined;
  const wants =
    openapi && schema !== undefined
      ? `Send what ${schemaName(schema)} wants: ${wantedFields(schema, openapi)}`
      : `Send the request as ${call.callee}'s API describes ${call.method} ${call.path.split('?')[0]}`;
  return {
    call_id: call.id,
    kind: 'wrong_payload',
    sentence: `${call.callee} rejected ${asked(call)} (${call.status}): ${summary(problems)}.`,
    fix: `${wants} (see /svc/${call.callee}/docs).`,
    details: publicDetails(problems),
  };
}

/** An accepted call whose body still does not match: fields the callee dropped without a word, say. */
function explainWarning(call: Call, openapi: OpenApi): Explanation | undefined {
  const route = matchingRoutes(call, routesOf(openapi)).find((r) => r.method === call.method);
  const schema = requestSchemaOf(route);
  if (schema === undefined) return undefined;
  const problems = checkBody(call, schema, openapi);
  if (!problems?.length) return undefined;
  const unknown = problems.flatMap((p) => (p.unknown ? [p.unknown] : []));
  const renames = unknown.flatMap((u) => (u.meant ? [`${u.name} to ${u.meant}`] : []));
  const fix = unknown.length
    ? `Remove ${unknown.map((u) => u.name).join(', ')} from what ${who(call)} sends${renames.length ? `, or rename ${renames.join(', ')}` : ''}: ${call.callee} drops fields it does not know, and their values with them.`
    : `Send what ${schemaName(schema)} wants: ${wantedFields(schema, openapi)}.`;
  return {
    call_id: call.id,
    kind: 'payload_warning',
    sentence: `${call.callee} accepted ${request(call)} (${call.status}), but the body does not match ${schemaName(schema)}: ${summary(problems)}.`,
    fix,
    details: publicDetails(problems),
  };
}

// ---- Failures the playground itself answered ----

const REFUSED = /^\S+ unavailable \(nothing answers at (\S+)\)$/;
const SWITCHED_OFF = /^\S+ unavailable \(switched off in the playground\)$/;
const TIMED_OUT = /^\S+ did not answer within ([\d.]+) s$/;
const DROPPED = /^\S+ closed the connection without an answer/;

/** `USER_SERVICE_URL` for user: what each service reads to find another (see docs/playground.md). */
const urlVariable = (name: string) => `${name.toUpperCase().replaceAll('-', '_')}_SERVICE_URL`;

function explainRefused(call: Call, url: string): Explanation {
  const through = call.caller
    ? `${call.caller} found ${call.callee} through ${urlVariable(call.callee)} (the playground's /svc/${call.callee})`
    : `The call came to the playground's /svc/${call.callee}`;
  return {
    call_id: call.id,
    kind: 'connection_refused',
    sentence: `Nothing listens at ${url}: ${call.callee} is down, or listens on another port. ${through}, and the playground tried ${url}.`,
    fix: `Start ${call.callee} (npm start starts the whole town; its log says why it stopped), or have it listen at ${url}, where the playground looks for it.`,
  };
}

function explainSwitchedOff(call: Call): Explanation {
  return {
    call_id: call.id,
    kind: 'connection_refused',
    sentence: `${call.callee} is switched off in the playground: the proxy answered 503 for it, without calling it.`,
    fix: `Switch ${call.callee} back to normal in the Services card, or see how ${who(call)} copes with it down.`,
  };
}

function explainTimeout(call: Call, limitMs: number): Explanation {
  return {
    call_id: call.id,
    kind: 'timeout',
    sentence: `${call.callee} did not answer ${asked(call)} in time: the call took ${duration(call.duration_ms)}, and the playground waits ${duration(limitMs)} at most before it answers 504.`,
    fix: `Find what keeps ${call.callee} busy (a slow switch, a call of its own that hangs, a loop: its log and this request's other calls tell), and make it answer within ${duration(limitMs)}.`,
  };
}

function explainGaveUp(call: Call): Explanation {
  const waiter = call.caller ?? 'the caller (outside the town)';
  const gaveUp = `${call.caller ? `${call.caller} gave up` : 'The caller went away'} on ${request(call)} after ${duration(call.duration_ms)}, before ${call.callee} answered`;
  if (call.held_by) {
    // The playground itself made the callee late: the caller's timeout did its job.
    return {
      call_id: call.id,
      kind: 'caller_gave_up',
      sentence: `${gaveUp}: the playground had the call ${call.held_by}, longer than ${waiter} waits.`,
      fix: `That is ${possessive(waiter)} timeout at work (${duration(call.duration_ms)}): clear the fault or the slow switch, or make it shorter than that, and the call passes.`,
    };
  }
  return {
    call_id: call.id,
    kind: 'caller_gave_up',
    sentence: `${gaveUp}.`,
    fix: `${call.callee} was slower than ${waiter} would wait: make it answer sooner, or give ${possessive(waiter)} client a longer timeout than ${duration(call.duration_ms)}.`,
  };
}

// ---- Errors the callee answered ----

/** The call of the caller's own request that this call was made for: the innermost around it, in the trace. */
function parentOf(call: Call, trace: Call[]): Call | undefined {
  if (!call.caller) return undefined;
  const end = call.started_ms + call.duration_ms;
  // Started before it and ended after it; a millisecond's slack for the rounding of the two records.
  const around = trace.filter(
    (c) =>
      c.id !== call.id &&
      c.callee === call.caller &&
      c.started_ms <= call.started_ms + 1 &&
      c.started_ms + c.duration_ms + 1 >= end,
  );
  return around.sort((a, b) => b.started_ms - a.started_ms)[0];
}

/** The first failed call the callee made while it answered this one: often why it failed. */
function causeOf(call: Call, trace: Call[]): Call | undefined {
  const end = call.started_ms + call.duration_ms + 1;
  const inner = trace.filter(
    (c) =>
      c.caller === call.callee && c.started_ms >= call.started_ms - 1 && c.started_ms <= end && failed(c),
  );
  return inner.find((c) => c.status === 0 || c.status >= 500) ?? inner[0];
}

/** Whether the caller's document lists this status for the route of its own request: answered on purpose. */
function documented(parent: Call, openapi: OpenApi | null | undefined): boolean {
  if (!openapi) return false;
  const route = matchingRoutes(parent, routesOf(openapi)).find((r) => r.method === parent.method);
  return Boolean(route?.operation.responses?.[String(parent.status)]);
}

export function needsCallerOpenApi(call: Call, trace: Call[]): boolean {
  const parent = parentOf(call, trace);
  return call.status >= 400 && call.status < 500 && parent?.status === call.status;
}

function explainServerError(call: Call, trace: Call[]): Explanation {
  const { detail } = answerOf(call);
  const base = { call_id: call.id, kind: 'server_error' as const };
  if (detail && DROPPED.test(detail)) {
    return {
      ...base,
      sentence: `${call.callee} closed the connection without answering ${asked(call)}: the playground answered ${call.status} (${detail}).`,
      fix: `${call.callee} crashed or dropped the connection while it answered: its log shows the crash.`,
    };
  }
  const cause = causeOf(call, trace);
  const because = cause
    ? ` It had called ${cause.callee} (${request(cause)}), which answered ${cause.status || 'nothing'}.`
    : '';
  return {
    ...base,
    sentence: `${call.callee} answered ${call.status} to ${asked(call)}${detail ? `: ${detail}` : ', without a detail'}.${because}`,
    fix: cause
      ? `Look at ${call.callee}'s call to ${cause.callee} first (in this request's calls), then have ${call.callee} answer a clear error of its own when ${cause.callee} fails.`
      : `The error is ${call.callee}'s own: its log around this call (trace ${call.trace_id ?? 'unknown'}) says where it happened.`,
  };
}

/** A 4xx with a route that exists: answered on purpose; whether the caller then handled it is in the trace. */
function explainClientError(call: Call, trace: Call[], context: ExplainContext): Explanation {
  const { detail } = answerOf(call);
  const said = `${call.callee} answered ${call.status}${detail ? ` (${detail})` : ''} to ${asked(call)}`;
  const parent = call.caller ? parentOf(call, trace) : undefined;
  const caller = call.caller ?? '';
  const own = parent ? `its own ${request(parent)}` : '';
  const passedOn = parent?.status === call.status && !documented(parent, context.callerOpenApi);
  if (parent && (parent.status >= 500 || passedOn)) {
    return {
      call_id: call.id,
      kind: 'unhandled_4xx',
      sentence:
        parent.status >= 500
          ? `${said}, and ${caller} did not handle it: ${own} then answered ${parent.status}.`
          : `${said}, and ${caller} passed it on: ${own} answered the same ${call.status}, which ${caller}'s OpenAPI does not list for that route.`,
      fix:
        parent.status >= 500
          ? `In ${caller}, check for ${call.callee}'s ${call.status} and answer what it means for ${caller}'s own caller (a 4xx with a detail of its own), not a ${parent.status}.`
          : `Decide in ${caller} what ${call.callee}'s ${call.status} means for its own caller, answer that with a detail of its own, and list it among the route's errors.`,
    };
  }
  const after = parent
    ? ` ${caller} handled it: ${own} answered ${parent.status || 'nothing'}.`
    : call.caller
      ? ` No request of ${caller} around it is recorded, so nothing tells yet whether ${caller} handled it.`
      : '';
  return {
    call_id: call.id,
    kind: 'ok',
    sentence: `${said}: ${call.callee} has the route and answered so on purpose.${after}`,
    fix: call.caller
      ? ''
      : `Check the values sent (does that id exist?): the call itself has the right shape.`,
  };
}

// ---- All together ----

/** Whether classify reads the callee's OpenAPI for this call: a 4xx, or an accepted call with a JSON body. */
export function needsOpenApi(call: Call): boolean {
  if (call.status >= 400 && call.status < 500) return true;
  return call.status > 0 && call.status < 400 && call.request_body !== undefined;
}

/**
 * Why a call failed (or why an accepted one deserves a warning), from the call as recorded, the callee's OpenAPI
 * (`null` when it has none: the explanations then are the generic ones) and the other calls of its trace.
 */
export function classify(
  call: Call,
  openapi: OpenApi | null,
  trace: Call[],
  context: ExplainContext = {},
): Explanation {
  if (call.status === 0) return explainGaveUp(call);
  const { detail = '' } = answerOf(call);
  const refused = REFUSED.exec(detail);
  if (call.status === 503 && refused) return explainRefused(call, refused[1] ?? '');
  if (call.status === 503 && SWITCHED_OFF.test(detail)) return explainSwitchedOff(call);
  const timedOut = TIMED_OUT.exec(detail);
  if (call.status === 504 && timedOut) return explainTimeout(call, Number(timedOut[1]) * 1000);
  // A 504 whose answer is no longer kept: the proxy's when it came at the proxy's limit.
  const atLimit = context.timeoutMs !== undefined && call.duration_ms >= context.timeoutMs - 50;
  if (call.status === 504 && !call.response_body && atLimit)
    return explainTimeout(call, context.timeoutMs ?? 0);
  if (call.status >= 500) return explainServerError(call, trace);
  if (call.status >= 400) {
    const wrongRoute = openapi && [404, 405].includes(call.status) ? explainRoute(call, openapi) : undefined;
    const wrongPayload = [400, 422].includes(call.status) ? explainPayload(call, openapi) : undefined;
    return wrongRoute ?? wrongPayload ?? explainClientError(call, trace, context);
  }
  const warning = openapi && call.request_body !== undefined ? explainWarning(call, openapi) : undefined;
  return (
    warning ?? {
      call_id: call.id,
      kind: 'ok',
      sentence: `${call.callee} answered ${call.status} to ${asked(call)} in ${duration(call.duration_ms)}.`,
      fix: '',
    }
  );
}
