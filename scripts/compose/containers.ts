import type { Town } from './town.js';

/** One entry of docker-compose.yml's `services`. */
export interface Container {
  name: string;
  dockerfile: string;
  port: number;
  /** Names of the containers it waits for, healthy, before it starts. */
  dependsOn: string[];
  /** The named volume mounted on /data, where its data file lives; none for the playground. */
  volume?: string;
  environment: { name: string; value: string }[];
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * The town as compose containers, in the order dclint asks for (by name). Inside the compose network a service is
 * reached by its name, so `<NAME>_SERVICE_URL` is `http://<name>:<port>`; every server listens on 0.0.0.0 there.
 */
export function containers(town: Town): Container[] {
  const url = (peer: { name: string; port: number; env: string }) => ({
    name: peer.env,
    value: `http://${peer.name}:${peer.port}`,
  });
  const list: Container[] = town.services.map((s) => ({
    name: s.name,
    dockerfile: `${s.folder}/Dockerfile`,
    port: s.port,
    dependsOn: [...s.dependsOn].sort(),
    volume: `${s.name}-data`,
    environment: [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: String(s.port) },
      { name: 'DATA_FILE', value: `/data/${s.name}.json` },
      ...s.peers.map(url),
    ],
  }));
  if (town.playground) {
    list.push({
      name: 'playground',
      dockerfile: 'playground/Dockerfile',
      port: town.playground.port,
      dependsOn: town.services.map((s) => s.name).sort(),
      environment: [
        { name: 'HOST', value: '0.0.0.0' },
        { name: 'PORT', value: String(town.playground.port) },
        ...town.services.map(url),
      ],
    });
  }
  return list.sort(byName);
}
