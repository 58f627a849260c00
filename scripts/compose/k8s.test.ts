import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readServices } from '@microtown/kit/town';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { compose, manifest, scratchProject, snapshot } from './testing.js';

// Only the fields the checks read; the YAML is parsed, not trusted.
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value: string }[];
  readinessProbe: Probe;
  livenessProbe: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    template?: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: Container[];
        volumes?: { name: string; persistentVolumeClaim: { claimName: string } }[];
      };
    };
    ports?: { name: string; port: number; targetPort: string | number }[];
    accessModes?: string[];
    resources?: { requests: { storage: string } };
  };
}

let root: string;

async function resources(path: string): Promise<Resource[]> {
  const docs = parseAllDocuments(await readFile(join(root, path), 'utf8'));
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((doc) => doc.toJS() as Resource);
}

/** Every resource `kubectl apply -k k8s/` would apply, by kind and name. */
async function cluster(): Promise<Map<string, Resource>> {
  const [kustomization] = (await resources('k8s/kustomization.yaml')) as unknown as { resources: string[] }[];
  const all = new Map<string, Resource>();
  for (const file of kustomization?.resources ?? []) {
    for (const r of await resources(`k8s/${file}`)) all.set(`${r.kind}/${r.metadata.name}`, r);
  }
  return all;
}

const matches = (selector: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

beforeAll(async () => {
  root = await scratchProject('k8s-test');
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('npm run compose -- --k8s', () => {
  it('writes a manifest per service, one for the playground and a kustomization; no docker-compose.yml', async () => {
    const { code, out, err } = await compose(root, '--k8s');
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const names = (await readServices(root)).map((s) => s.name);
    const expected = [...names, 'playground', 'kustomization'].map((n) => `k8s/${n}.yaml`);
    for (const path of expected)
      expect(out).toContainEqual(expect.stringMatching(new RegExp(`^created\\s+${path}$`)));
    expect((await readdir(join(root, 'k8s'))).sort()).toEqual(expected.map((p) => p.slice(4)).sort());
    expect(existsSync(join(root, 'docker-compose.yml'))).toBe(false);
    const [kustomization] = await resources('k8s/kustomization.yaml');
    expect(kustomization).toMatchObject({
      kind: 'Kustomization',
      resources: expected.slice(0, -1).map((p) => p.slice(4)),
    });
  });

  it('one Deployment, Service and PersistentVolumeClaim per service', async () => {
    for (const { name } of await readServices(root)) {
      const docs = await resources(`k8s/${name}.yaml`);
      expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([
        'apps/v1 Deployment',
        'v1 Service',
        'v1 PersistentVolumeClaim',
      ]);
      expect(docs.map((d) => d.metadata.name)).toEqual([name, name, `${name}-data`]);
    }
  });

  it('selectors match the pod labels, ports match the manifests, probes ask /health on the served port', async () => {
    const all = await cluster();
    for (const { name, port } of await readServices(root)) {
      const deployment = all.get(`Deployment/${name}`);
      const service = all.get(`Service/${name}`);
      const pod = deployment?.spec.template;
      expect(matches(deployment?.spec.selector?.matchLabels, pod?.metadata.labels)).toBe(true);
      expect(matches(service?.spec.selector, pod?.metadata.labels)).toBe(true);
      // No other pod answers for this service.
      const others = [...all.values()].filter((r) => r.kind === 'Deployment' && r !== deployment);
      expect(others.some((o) => matches(service?.spec.selector, o.spec.template?.metadata.labels))).toBe(
        false,
      );
      expect(deployment?.spec.replicas).toBe(1);
      const [container] = pod?.spec.containers ?? [];
      expect(container?.image).toBe(`microtown-${name}:latest`);
      expect(container?.ports).toEqual([{ name: 'http', containerPort: port }]);
      expect(service?.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
      for (const probe of [container?.readinessProbe, container?.livenessProbe]) {
        expect(probe?.httpGet).toEqual({ path: '/health', port: 'http' });
      }
    }
  });

  it("each service's data file is on its own claim, and the pod may write it as a non-root user", async () => {
    const all = await cluster();
    const claims = new Set<string>();
    for (const { name } of await readServices(root)) {
      const pod = all.get(`Deployment/${name}`)?.spec.template?.spec;
      const [container] = pod?.containers ?? [];
      const [mount] = container?.volumeMounts ?? [];
      const volume = pod?.volumes?.find((v) => v.name === mount?.name);
      const claim = volume?.persistentVolumeClaim.claimName ?? '';
      expect(all.get(`PersistentVolumeClaim/${claim}`)?.spec.accessModes).toEqual(['ReadWriteOnce']);
      expect(claims.has(claim)).toBe(false);
      claims.add(claim);
      const dataFile = container?.env.find((e) => e.name === 'DATA_FILE')?.value ?? '';
      expect(dataFile.startsWith(`${mount?.mountPath}/`)).toBe(true);
      expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    }
  });

  it('every <NAME>_SERVICE_URL names a Service of the cluster on its port; HOST is 0.0.0.0', async () => {
    const all = await cluster();
    const services = await readServices(root);
    for (const deployment of [...all.values()].filter((r) => r.kind === 'Deployment')) {
      const env = Object.fromEntries(
        deployment.spec.template?.spec.containers[0]?.env.map((e) => [e.name, e.value]) ?? [],
      );
      expect(env.HOST).toBe('0.0.0.0');
      const urls = Object.entries(env).filter(([key]) => key.endsWith('_SERVICE_URL'));
      const own = services.find((s) => s.name === deployment.metadata.name);
      expect(urls).toHaveLength(own ? own.calls.length : services.length);
      for (const [, url] of urls) {
        const { hostname, port } = new URL(url);
        expect(all.get(`Service/${hostname}`)?.spec.ports?.[0]?.port).toBe(Number(port));
      }
    }
  });

  it('the playground: a Deployment and a Service, no claim, probed on /health', async () => {
    const docs = await resources('k8s/playground.yaml');
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Deployment/playground',
      'Service/playground',
    ]);
    const [deployment, service] = docs;
    const pod = deployment?.spec.template;
    expect(matches(service?.spec.selector, pod?.metadata.labels)).toBe(true);
    const [container] = pod?.spec.containers ?? [];
    expect(container?.ports).toEqual([{ name: 'http', containerPort: 4000 }]);
    expect(service?.spec.ports).toEqual([{ name: 'http', port: 4000, targetPort: 'http' }]);
    expect(container?.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(container?.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(pod?.spec.volumes).toBeUndefined();
  });

  it('a second run changes nothing; --check agrees', async () => {
    const before = await snapshot(root);
    const { code, out } = await compose(root, '--k8s');
    expect(code).toBe(0);
    expect(out.at(-1)).toBe('unchanged: every file was already current');
    expect(await snapshot(root)).toEqual(before);
    expect((await compose(root, '--k8s', '--check')).code).toBe(0);
  });

  it('a new service gets its files; a removed one loses them; a file it did not write stays', async () => {
    await manifest(root, 'shipping', { port: 4105, calls: ['orders'] });
    await writeFile(join(root, 'k8s', 'ingress.yaml'), 'kind: Ingress\n');
    expect((await compose(root, '--k8s', '--check')).err).toContain(
      'stale: k8s/shipping.yaml (would be created); run npm run compose -- --k8s',
    );
    expect((await compose(root, '--k8s')).code).toBe(0);
    const all = await cluster();
    expect(all.get('PersistentVolumeClaim/shipping-data')).toBeDefined();
    const env = all.get('Deployment/shipping')?.spec.template?.spec.containers[0]?.env ?? [];
    expect(env).toContainEqual({ name: 'ORDERS_SERVICE_URL', value: 'http://orders:4003' });
    expect(await readFile(join(root, 'k8s/kustomization.yaml'), 'utf8')).toContain('- shipping.yaml');

    await rm(join(root, 'services', 'shipping-service'), { recursive: true });
    const { out } = await compose(root, '--k8s');
    expect(out).toContainEqual(expect.stringMatching(/^removed\s+k8s\/shipping.yaml$/));
    expect(existsSync(join(root, 'k8s', 'shipping.yaml'))).toBe(false);
    expect(await readFile(join(root, 'k8s', 'ingress.yaml'), 'utf8')).toBe('kind: Ingress\n');
    expect(await readFile(join(root, 'k8s/kustomization.yaml'), 'utf8')).not.toContain('shipping');
  });
});
