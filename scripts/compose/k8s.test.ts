import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readServices } from '@microtown/kit/town';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { kustomize } from './kustomize.js';
import { K8S_BASE, K8S_KIND, REPO } from './render.js';
import { validateResource } from './schemas.js';
import { K8S_MARK } from './sync.js';
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
  imagePullPolicy: string;
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
    strategy?: { type: string };
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

// The file's scratch project, made as the file loads.
const root = await scratchProject('k8s-test');
afterAll(() => rm(root, { recursive: true, force: true }));

async function resources(path: string): Promise<Resource[]> {
  const docs = parseAllDocuments(await readFile(join(root, path), 'utf8'));
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((doc) => doc.toJS() as Resource);
}

/** Every resource `kubectl apply -k <dir>` would apply (k8s/base by default), by kind and name. */
async function cluster(dir = K8S_BASE, from = root): Promise<Map<string, Resource>> {
  const all = new Map<string, Resource>();
  for (const r of await kustomize(join(from, dir)))
    all.set(`${r.kind}/${r.metadata.name}`, r as unknown as Resource);
  return all;
}

/** Every generated file under k8s/, with forward slashes, sorted. */
async function k8sFiles(from = root): Promise<string[]> {
  const names = await readdir(join(from, 'k8s'), { recursive: true });
  return names
    .map((n) => `k8s/${n.split('\\').join('/')}`)
    .filter((p) => p.endsWith('.yaml'))
    .sort();
}

const matches = (selector: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('npm run compose -- --k8s', () => {
  it('writes k8s/base (a manifest per service, the playground, a kustomization) and k8s/overlays/kind', async () => {
    const { code, out, err } = await compose(root, '--k8s');
    expect({ code, err }).toEqual({ code: 0, err: [] });
    const names = (await readServices(root)).map((s) => s.name);
    const base = [...names, 'playground', 'kustomization'].map((n) => `${K8S_BASE}/${n}.yaml`);
    const kind = ['kustomization', 'never-pull'].map((n) => `${K8S_KIND}/${n}.yaml`);
    for (const path of [...base, ...kind])
      expect(out).toContainEqual(expect.stringMatching(new RegExp(`^created\\s+${path}$`)));
    expect(await k8sFiles()).toEqual([...base, ...kind].sort());
    expect(existsSync(join(root, 'docker-compose.yml'))).toBe(false);
    const [kustomization] = await resources(`${K8S_BASE}/kustomization.yaml`);
    expect(kustomization).toMatchObject({
      kind: 'Kustomization',
      resources: base.slice(0, -1).map((p) => p.slice(K8S_BASE.length + 1)),
    });
  });

  it('every file starts with the mark that lets a later run remove it', async () => {
    for (const path of await k8sFiles()) {
      expect((await readFile(join(root, path), 'utf8')).startsWith(K8S_MARK), path).toBe(true);
    }
  });

  it('one Deployment, Service and PersistentVolumeClaim per service', async () => {
    for (const { name } of await readServices(root)) {
      const docs = await resources(`${K8S_BASE}/${name}.yaml`);
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
    const docs = await resources(`${K8S_BASE}/playground.yaml`);
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
      'stale: k8s/base/shipping.yaml (would be created); run npm run compose -- --k8s',
    );
    expect((await compose(root, '--k8s')).code).toBe(0);
    const all = await cluster();
    expect(all.get('PersistentVolumeClaim/shipping-data')).toBeDefined();
    const env = all.get('Deployment/shipping')?.spec.template?.spec.containers[0]?.env ?? [];
    expect(env).toContainEqual({ name: 'ORDERS_SERVICE_URL', value: 'http://orders:4003' });
    const kustomization = () => readFile(join(root, K8S_BASE, 'kustomization.yaml'), 'utf8');
    expect(await kustomization()).toContain('- shipping.yaml');
    expect((await cluster(K8S_KIND)).get('Deployment/shipping')).toBeDefined();

    await rm(join(root, 'services', 'shipping-service'), { recursive: true });
    const { out } = await compose(root, '--k8s');
    expect(out).toContainEqual(expect.stringMatching(/^removed\s+k8s\/base\/shipping.yaml$/));
    expect(existsSync(join(root, K8S_BASE, 'shipping.yaml'))).toBe(false);
    expect(await readFile(join(root, 'k8s', 'ingress.yaml'), 'utf8')).toBe('kind: Ingress\n');
    expect(await kustomization()).not.toContain('shipping');
    await rm(join(root, 'k8s', 'ingress.yaml'));
  });

  it('the files an older run wrote straight into k8s/ are removed; the base and overlay replace them', async () => {
    const old = `${K8S_MARK} from services/user-service/service.json\nkind: Deployment\n`;
    await writeFile(join(root, 'k8s', 'user.yaml'), old);
    await writeFile(join(root, 'k8s', 'kustomization.yaml'), `${K8S_MARK}; edits here are overwritten.\n`);
    const { code, out } = await compose(root, '--k8s');
    expect(code).toBe(0);
    expect(out.filter((line) => line.startsWith('removed'))).toEqual([
      'removed    k8s/kustomization.yaml',
      'removed    k8s/user.yaml',
    ]);
    expect(await k8sFiles()).not.toContain('k8s/user.yaml');
  });
});

describe('checked against the Kubernetes schemas (kubernetes-models)', () => {
  it.each([K8S_BASE, K8S_KIND])('every resource of %s is valid for its kind', async (dir) => {
    const all = await cluster(dir);
    expect([...new Set([...all.values()].map((r) => `${r.apiVersion} ${r.kind}`))].sort()).toEqual([
      'apps/v1 Deployment',
      'v1 PersistentVolumeClaim',
      'v1 Service',
    ]);
    for (const resource of all.values()) await validateResource(resource);
  });

  it('and a broken manifest fails the check, naming the resource', async () => {
    const deployment = (await cluster()).get('Deployment/user');
    const broken = structuredClone(deployment) as Resource;
    if (broken.spec.strategy) broken.spec.strategy.type = 'Rolling';
    await expect(validateResource(broken)).rejects.toThrow(/^Deployment\/user: .*strategy\/type/);
  });
});

describe('k8s/overlays/kind', () => {
  it('parses, and names a base and a patch that exist', async () => {
    const text = await readFile(join(root, K8S_KIND, 'kustomization.yaml'), 'utf8');
    const overlay = parse(text) as { resources: string[]; patches: { path: string }[] };
    expect(overlay.resources).toEqual(['../../base']);
    expect(existsSync(join(root, K8S_KIND, '../../base/kustomization.yaml'))).toBe(true);
    expect(overlay.patches.map((p) => p.path)).toEqual(['never-pull.yaml']);
    for (const { path } of overlay.patches) expect(existsSync(join(root, K8S_KIND, path))).toBe(true);
  });

  it('is the base with every container on imagePullPolicy Never (images from kind load docker-image)', async () => {
    const base = await cluster();
    const kind = await cluster(K8S_KIND);
    expect([...kind.keys()]).toEqual([...base.keys()]);
    for (const [key, resource] of kind) {
      if (resource.kind !== 'Deployment') {
        expect(resource).toEqual(base.get(key));
        continue;
      }
      const containers = resource.spec.template?.spec.containers ?? [];
      expect(containers.map((c) => c.imagePullPolicy)).toEqual(containers.map(() => 'Never'));
      // Nothing else differs: put the base's policy back and the two are equal.
      const undone = structuredClone(resource);
      for (const c of undone.spec.template?.spec.containers ?? []) c.imagePullPolicy = 'IfNotPresent';
      expect(undone).toEqual(base.get(key));
    }
  });
});

describe("this repository's k8s/", () => {
  it('validates, base and overlay, against the Kubernetes schemas', async () => {
    for (const dir of [K8S_BASE, K8S_KIND]) {
      for (const resource of (await cluster(dir, REPO)).values()) await validateResource(resource);
    }
  });
});
