import type { Peer, Town, TownService } from './town.js';

/** One entry of a service's `develop.watch`: what `docker compose watch` does when something under `path` changes. */
export interface Watch {
  action: 'rebuild';
  /** Relative to the project root, as the Dockerfile's COPY names it. */
  path: string;
  /** Patterns below `path` whose change is no reason to act. */
  ignore: string[];
}

/** One entry of docker-compose.yml's `services`. */
export interface Container {
  name: string;
  /** The town's own images are built from a Dockerfile of the project... */
  dockerfile?: string;
  /** ...a tool beside the town is pulled, at a pinned tag. */
  image?: string;
  /** Started only by `docker compose --profile <one of them> up`; none: always. */
  profiles: string[];
  /** Published on 127.0.0.1 of the host at the same number. */
  ports: number[];
  /** Names of the containers it waits for, healthy, before it starts. */
  dependsOn: string[];
  /** The named volume mounted on /data, where its data file lives; none for the playground. */
  volume?: string;
  environment: { name: string; value: string }[];
  /** Whether it answers /health with node inside (the town's images do; a pulled tool may have neither). */
  probe: boolean;
  /** Its `develop.watch`, written to docker-compose.watch.yml; empty for a pulled image (nothing to rebuild). */
  watch: Watch[];
}

/**
 * Jaeger, the trace viewer, for `docker compose --profile traces up`: it takes OTLP over HTTP on 4318 and shows
 * the traces on http://127.0.0.1:16686. The tag is pinned (dclint asks for one, and `latest` moves under a class).
 */
const JAEGER = { name: 'jaeger', image: 'jaegertracing/all-in-one:1.62.0', otlp: 4318, ui: 16686 };
const TRACES_PROFILE = 'traces';

/** The variable every OpenTelemetry SDK reads for where to send its traces. */
const OTLP_ENDPOINT = 'OTEL_EXPORTER_OTLP_ENDPOINT';

/** Tests are copied into the build stage with their sources but never bundled: editing one rebuilds nothing. */
const TESTS = ['**/*.test.ts', '**/*.spec.ts'];

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * What `docker compose watch` rebuilds a container on: everything its Dockerfile copies from the project (a test
 * holds the two lists together). Every action is `rebuild`, not `sync+restart`: the image runs a bundle esbuild made
 * at build time (no tsx, no sources), so sources synced into a running container would never be read.
 */
function watch(files: string[], folders: string[]): Watch[] {
  return [
    ...files.map((path) => ({ action: 'rebuild' as const, path, ignore: [] })),
    ...folders.map((path) => ({ action: 'rebuild' as const, path, ignore: TESTS })),
  ];
}

/** The files the build stages of both Dockerfile templates start with: the workspace's package lists and lock. */
const INSTALL = ['package.json', 'package-lock.json', 'kit/package.json'];

/** Inside the compose network a service is reached by its name: `<NAME>_SERVICE_URL` is `http://<name>:<port>`. */
const url = (peer: Peer) => ({ name: peer.env, value: `http://${peer.name}:${peer.port}` });

/**
 * The town as compose containers, in the order dclint asks for (by name). Every server listens on 0.0.0.0, the
 * container's every interface; 127.0.0.1 there would be the container alone.
 */
export function containers(town: Town): Container[] {
  const list = town.services.map(service);
  if (town.playground) list.push(playground(town, town.playground.port), jaeger());
  return list.sort(byName);
}

function service(s: TownService): Container {
  return {
    name: s.name,
    dockerfile: `${s.folder}/Dockerfile`,
    profiles: [],
    ports: [s.port],
    dependsOn: [...s.dependsOn].sort(),
    volume: `${s.name}-data`,
    environment: [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: String(s.port) },
      { name: 'DATA_FILE', value: `/data/${s.name}.json` },
      ...s.peers.map(url),
    ],
    probe: true,
    watch: watch([...INSTALL, `${s.folder}/package.json`], ['kit/src', `${s.folder}/src`]),
  };
}

function playground(town: Town, port: number): Container {
  return {
    name: 'playground',
    dockerfile: 'playground/Dockerfile',
    profiles: [],
    ports: [port],
    dependsOn: town.services.map((s) => s.name).sort(),
    environment: [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: String(port) },
      ...town.services.map(url),
      // Jaeger runs only under its profile, so the playground must not wait for it: without the profile this name
      // does not resolve, and an OpenTelemetry exporter drops what it cannot send (it never stops the server).
      { name: OTLP_ENDPOINT, value: `http://${JAEGER.name}:${JAEGER.otlp}` },
    ],
    probe: true,
    // The playground reads the manifests when it starts, so its image carries them.
    watch: watch(
      [...INSTALL, ...town.services.map((s) => `${s.folder}/service.json`)],
      ['kit/src', 'playground'],
    ),
  };
}

/** Only the playground sends traces so far, so Jaeger comes with it. */
function jaeger(): Container {
  return {
    name: JAEGER.name,
    image: JAEGER.image,
    profiles: [TRACES_PROFILE],
    ports: [JAEGER.otlp, JAEGER.ui],
    dependsOn: [],
    // On by default since Jaeger 1.35; said anyway, so the file tells what the playground relies on.
    environment: [{ name: 'COLLECTOR_OTLP_ENABLED', value: 'true' }],
    probe: false,
    watch: [],
  };
}
