import { connect } from 'node:net';
import { join } from 'node:path';
import { type Child, freePort, lastLines, spawnChild } from '@microtown/kit/testing';
import { readServices, serviceCommand, serviceUrlVariable } from '@microtown/kit/town';
import { GradeError } from './checks.js';
import type { Targets } from './control.js';
import { type Exercise, REPO } from './exercise.js';
import type { Command, Implementation } from './implementation.js';

/** A service under grading: where it answers, and where it came from. */
export interface Target {
  name: string;
  url: string;
  /** `--url`, `town` or the implementation folder. */
  source: string;
  /** The data file the grader gave it (services the grader started). */
  dataFile?: string;
  /** The grader started it, so it can stop and start it again. */
  managed: boolean;
}

interface Managed extends Target {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  child?: Child;
}

/** How long a program has to listen on its port (GRADE_READY_SECONDS, for tests). */
const READY_TIMEOUT_MS = Number(process.env.GRADE_READY_SECONDS ?? 30) * 1000;

/** Starts the services an exercise needs on free ports, each in its own process group, and stops them. */
export class Supervisor {
  readonly targets = new Map<string, Target | Managed>();
  /** The learner's services the implementation does not start, each with the hint its tasks get. */
  readonly missing = new Map<string, string>();
  /** The peer URLs the services were started with; a restart keeps them. */
  private peers: Record<string, string> = {};
  /** After `close()` nothing starts again, even a start already asked for. */
  private closed = false;

  /**
   * The learner's services (from `urls`, else the implementation) and the town beside them. Our reference stands in
   * for a learner's service only for a teacher (`teacher`), to check the grader itself.
   */
  static async plan(
    exercise: Exercise,
    impl: Implementation,
    urls: Map<string, string>,
    dataDir: string,
    { teacher = false } = {},
  ) {
    const supervisor = new Supervisor();
    const town = await townCommands();
    for (const name of exercise.config.services) {
      const url = urls.get(name);
      if (url) {
        supervisor.targets.set(name, { name, url, source: '--url', managed: false });
        continue;
      }
      const spec = impl.services[name];
      if (!spec) {
        const how = exercise.config.startsServices
          ? `add how to start it to ${impl.label}/implementation.json`
          : `add it to ${impl.label}/implementation.json, or pass --url ${name}=<baseURL>`;
        supervisor.missing.set(name, `not submitted: ${name} is not given (${how})`);
        continue;
      }
      if (spec === 'town' && !teacher) {
        throw new GradeError(
          `${impl.label}/implementation.json names "town" for ${name}: that is microtown's own ${name}, not your work; give the command that starts yours (teachers checking the grader: --teacher)`,
        );
      }
      const command = spec === 'town' ? town(name) : resolveCommand(spec, impl.dir);
      await supervisor.add(name, command, spec === 'town' ? 'town' : impl.label, dataDir);
    }
    for (const name of exercise.config.town) await supervisor.add(name, town(name), 'town', dataDir);
    return supervisor;
  }

  private async add(name: string, command: Command & { cwd: string }, source: string, dataDir: string) {
    const port = await freePort();
    const dataFile = join(dataDir, `${name}.json`);
    const vars = { port: String(port), host: '127.0.0.1', data_file: dataFile, data_dir: dataDir };
    const expand = (text: string) =>
      text
        .replace(
          /\$\{(\w+)(?::-([^}]*))?\}/g,
          (_, key: string, fallback = '') => process.env[key] || fallback,
        )
        .replace(/\{(\w+)\}/g, (all, key: string) => vars[key as keyof typeof vars] ?? all);
    this.targets.set(name, {
      name,
      url: `http://127.0.0.1:${port}`,
      source,
      dataFile,
      managed: true,
      command: command.command.map(expand),
      cwd: command.cwd,
      env: {
        PORT: vars.port,
        HOST: vars.host,
        DATA_FILE: dataFile,
        LOG_LEVEL: 'warn',
        ...Object.fromEntries(Object.entries(command.env).map(([key, value]) => [key, expand(value)])),
      },
    });
  }

  /** The services as the specs see them (through GRADE_SERVICES). */
  describe(): Targets {
    return Object.fromEntries(
      [...this.targets.values()].map(({ name, url, source, dataFile, managed }) => [
        name,
        { url, source, dataFile, managed },
      ]),
    );
  }

  /** `<NAME>_SERVICE_URL` of every service, so each finds the others (a peer may be reached through a proxy). */
  peerEnv(urlOf: (target: Target) => string = (t) => t.url): Record<string, string> {
    return Object.fromEntries([...this.targets.values()].map((t) => [serviceUrlVariable(t.name), urlOf(t)]));
  }

  private managedTarget(name: string): Managed {
    const target = this.targets.get(name);
    if (!target) throw new GradeError(`no service "${name}" in this exercise`);
    if (!target.managed)
      throw new GradeError(`${name} was given with --url: the grader cannot stop or start it`);
    return target as Managed;
  }

  /** Starts one service (again) and waits until it answers HTTP. */
  async start(name: string, peers: Record<string, string> = this.peers): Promise<void> {
    const target = this.managedTarget(name);
    if (target.child && isRunning(target.child)) return;
    if (this.closed) throw new GradeError('grading was stopped');
    const [command = 'node', ...args] = target.command;
    const child = spawnChild(command, args, { cwd: target.cwd, env: { ...peers, ...target.env } });
    target.child = child;
    await waitUntilListening(target, child);
  }

  /**
   * Starts every service. A learner's service that does not start costs its own tasks (its hint says why) and the
   * others are graded; a town service that does not start stops the grading.
   */
  async startAll(peers: Record<string, string> = this.peerEnv()): Promise<void> {
    this.peers = peers;
    const managed = [...this.targets.values()].filter((t) => t.managed);
    const started = await Promise.allSettled(managed.map((t) => this.start(t.name, peers)));
    started.forEach((result, i) => {
      const target = managed[i] as Managed;
      if (result.status === 'fulfilled') return;
      if (target.source === 'town' || !(result.reason instanceof GradeError)) throw result.reason;
      this.missing.set(target.name, result.reason.message);
      this.targets.delete(target.name);
    });
  }

  /** Stops one service's whole process group: SIGTERM (a clean stop) or SIGKILL (a crash). */
  async stop(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const target = this.managedTarget(name);
    await target.child?.stop(signal);
  }

  /** A service the grader started that has exited: the last lines it printed (else undefined: still running). */
  crash(name: string): string | undefined {
    const target = this.targets.get(name);
    const child = target && 'child' in target ? target.child : undefined;
    if (!child || isRunning(child)) return undefined;
    return `${name} exited (${child.process.signalCode ?? `code ${child.process.exitCode}`}); it printed: ${lastLines(child.output())}`;
  }

  async close(): Promise<void> {
    this.closed = true;
    const children = [...this.targets.values()].flatMap((t) => ('child' in t && t.child ? [t.child] : []));
    await Promise.all(children.map((child) => child.stop('SIGTERM')));
  }
}

/** Our own services, as the town starts them. */
async function townCommands() {
  const services = await readServices(REPO);
  return (name: string) => {
    const service = services.find((s) => s.name === name);
    if (!service)
      throw new GradeError(`the town has no service "${name}" (services/${name}-service/service.json)`);
    return { ...serviceCommand(service), env: {} };
  };
}

function resolveCommand(spec: Command, dir: string) {
  const [first = '', ...rest] = spec.command;
  return {
    ...spec,
    command: [first === 'node' ? process.execPath : first, ...rest],
    cwd: join(dir, spec.cwd),
  };
}

/** Ready when it listens on its port: an answer may take its time, and the checks time each one. */
async function waitUntilListening(target: Managed, child: Child): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const where = `${target.name} (${target.source}: ${target.command.join(' ')})`;
  const port = Number(new URL(target.url).port);
  while (Date.now() < deadline) {
    if (!isRunning(child)) {
      throw new GradeError(`${where} exited before it answered: ${lastLines(child.output())}`);
    }
    if (await listening(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await child.stop('SIGKILL');
  const printed = child.output().trim()
    ? `; it printed: ${lastLines(child.output())}`
    : '; it printed nothing';
  throw new GradeError(
    `${where} did not listen on port ${port} within ${READY_TIMEOUT_MS / 1000} s: read the port from the PORT environment variable (or {port} in implementation.json)${printed}`,
  );
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const isRunning = (child: Child) => child.process.exitCode === null && child.process.signalCode === null;
