import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
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
/**
 * `MICROTOWN_GRADED=<run>/<service>` is in the environment of every process the grader starts, and so of what they
 * start: a child in a session of its own (`setsid`, `detached: true`) leaves the process group, not the mark.
 */
const MARK = 'MICROTOWN_GRADED';

/** A process still running after its service was stopped, which the grader had to stop too. */
interface Stray {
  pid: number;
  service: string;
  listening: string[];
}

/** Starts the services an exercise needs on free ports, each in its own process group, and stops them. */
export class Supervisor {
  readonly targets = new Map<string, Target | Managed>();
  /** The learner's services the implementation does not start, each with the hint its tasks get. */
  readonly missing = new Map<string, string>();
  /** The peer URLs the services were started with; a restart keeps them. */
  private peers: Record<string, string> = {};
  /** After `close()` nothing starts again, even a start already asked for. */
  private closed = false;
  private closing?: Promise<void>;
  /** This grading's mark (two gradings may run side by side). */
  private readonly run = randomUUID();
  /** Every descendant of a service seen while it ran, in case it clears its environment and leaves the group. */
  private readonly seen = new Map<number, { service: string; start: string }>();
  private watcher?: NodeJS.Timeout;
  private readonly strays: Stray[] = [];

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
        [MARK]: `${this.run}/${name}`,
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
    this.watch();
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

  /**
   * Stops one service's whole process group, and what it started outside it: SIGTERM (a clean stop) or SIGKILL (a
   * crash).
   */
  async stop(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const target = this.managedTarget(name);
    this.note();
    await target.child?.stop(signal);
    await this.sweep(name, signal);
  }

  /** A service the grader started that has exited: the last lines it printed (else undefined: still running). */
  crash(name: string): string | undefined {
    const target = this.targets.get(name);
    const child = target && 'child' in target ? target.child : undefined;
    if (!child || isRunning(child)) return undefined;
    return `${name} exited (${child.process.signalCode ?? `code ${child.process.exitCode}`}); it printed: ${lastLines(child.output())}`;
  }

  /** Stops every service and whatever they left running; a second call waits for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.note();
      clearInterval(this.watcher);
      const children = [...this.targets.values()].flatMap((t) => ('child' in t && t.child ? [t.child] : []));
      await Promise.all(children.map((child) => child.stop('SIGTERM')));
      await this.sweep();
    })();
    return this.closing;
  }

  /**
   * What had to be stopped besides the services' process groups, in one line, once; undefined when nothing had.
   */
  leftBehind(): string | undefined {
    if (this.strays.length === 0) return undefined;
    const services = [...new Set(this.strays.map((s) => s.service))];
    const one = (s: Stray) =>
      `${services.length > 1 ? `${s.service}: ` : ''}pid ${s.pid}${s.listening.length ? `, listening on ${s.listening.join(', ')}` : ''}`;
    const count = `${this.strays.length} process${this.strays.length === 1 ? '' : 'es'}`;
    const names =
      services.length > 1 ? `${services.slice(0, -1).join(', ')} and ${services.at(-1)}` : services[0];
    const line = `stopped ${count} ${names} left behind (${this.strays.map(one).join('; ')})`;
    this.strays.length = 0;
    return line;
  }

  /** Notes the descendants of the services now, and every 250 ms while one runs. */
  private watch() {
    this.note();
    if (this.watcher) return;
    this.watcher = setInterval(() => this.note(), 250);
    this.watcher.unref();
  }

  private note() {
    const running = [...this.targets.values()].flatMap((t) =>
      'child' in t && t.child && isRunning(t.child) && t.child.process.pid
        ? [[t.name, t.child.process.pid] as const]
        : [],
    );
    if (running.length === 0) return;
    const table = processes();
    for (const [service, pid] of running) {
      for (const p of descendants(table, pid)) this.seen.set(p.pid, { service, start: p.start });
    }
  }

  /** Stops what a service (else any) started that is still running: its mark, or a descendant seen while it ran. */
  private async sweep(service?: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const ours = (name: string) => service === undefined || name === service;
    const found = new Map<number, Proc & { service: string }>();
    for (const p of processes()) {
      if (p.state === 'Z' || p.pid === process.pid) continue;
      const seen = this.seen.get(p.pid);
      const name = seen && seen.start === p.start ? seen.service : markOf(p.pid, this.run);
      if (name && ours(name)) found.set(p.pid, { ...p, service: name });
    }
    for (const [pid, seen] of this.seen) if (ours(seen.service)) this.seen.delete(pid);
    if (found.size === 0) return;
    const sockets = listeningSockets();
    for (const p of found.values()) {
      this.strays.push({ pid: p.pid, service: p.service, listening: socketsOf(p.pid, sockets) });
    }
    const kill = (sig: NodeJS.Signals) => {
      for (const p of found.values()) {
        // A leader of its own group (setsid) takes its group with it.
        for (const target of p.pgid === p.pid ? [-p.pid, p.pid] : [p.pid]) {
          try {
            process.kill(target, sig);
          } catch {
            // Gone already.
          }
        }
      }
    };
    const pids = [...found.keys()];
    kill(signal);
    if (!(await allGone(pids, 2000))) {
      kill('SIGKILL');
      await allGone(pids, 2000);
    }
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

/** Whether something accepts connections on 127.0.0.1:`port`. */
export const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const isRunning = (child: Child) => child.process.exitCode === null && child.process.signalCode === null;

/** A process as /proc (else `ps`) shows it; `start` tells a pid apart from a later process given the same pid. */
interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  start: string;
}

function processes(): Proc[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return processesFromPs();
  }
  return names.flatMap((pid) => {
    try {
      // pid (comm) state ppid pgrp session ... starttime (the 22nd field): comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [state = '', ppid, pgid] = fields;
      return [{ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state, start: fields[19] ?? '' }];
    } catch {
      return []; // exited while we looked
    }
  });
}

/** Elsewhere than Linux: `ps`, without start times; without it, nothing is tracked beyond the process groups. */
function processesFromPs(): Proc[] {
  try {
    const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8' });
    return out.split('\n').flatMap((line) => {
      const [pid, ppid, pgid, state = ''] = line.trim().split(/\s+/);
      return pid
        ? [{ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: state[0] ?? '', start: '' }]
        : [];
    });
  } catch {
    return [];
  }
}

function descendants(table: Proc[], root: number): Proc[] {
  const found: Proc[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of table) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  const self = table.find((p) => p.pid === root);
  return self ? [self, ...found] : found;
}

/** The service whose mark of this run a process carries (Linux). */
function markOf(pid: number, run: string): string | undefined {
  try {
    const prefix = `${MARK}=${run}/`;
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .find((e) => e.startsWith(prefix));
    return entry?.slice(prefix.length);
  } catch {
    return undefined;
  }
}

/** Listening TCP sockets by inode, as `127.0.0.1:40123` or `[::]:40123` (Linux; elsewhere none). */
function listeningSockets(): Map<string, string> {
  const sockets = new Map<string, string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local = '', , state, , , , , , inode] = line.trim().split(/\s+/);
      const [host = '', port = ''] = local.split(':');
      if (state !== '0A' || !inode) continue; // 0A: LISTEN
      const address = host.length === 8 ? ipv4(host) : `[${ipv6(host)}]`;
      sockets.set(inode, `${address}:${Number.parseInt(port, 16)}`);
    }
  }
  return sockets;
}

/** /proc/net/tcp prints an address as 32-bit words in the host's byte order (little-endian on x86 and arm64). */
const bytesOf = (hex: string) =>
  (hex.match(/.{8}/g) ?? []).flatMap((word) => (word.match(/../g) ?? []).reverse());
const ipv4 = (hex: string) =>
  bytesOf(hex)
    .map((b) => Number.parseInt(b, 16))
    .join('.');

function ipv6(hex: string): string {
  const bytes = bytesOf(hex);
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number.parseInt(`${bytes[2 * i]}${bytes[2 * i + 1]}`, 16).toString(16),
  );
  // The longest run of two or more zero groups is written '::'.
  let [from, length] = [-1, 1];
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (groups[j] === '0') j++;
    if (j - i > length) [from, length] = [i, j - i];
  }
  if (from < 0) return groups.join(':');
  return `${groups.slice(0, from).join(':')}::${groups.slice(from + length).join(':')}`;
}

function socketsOf(pid: number, sockets: Map<string, string>): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const found = fds.flatMap((fd) => {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      const address = inode && sockets.get(inode);
      return address ? [address] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(found)];
}

/** Whether a process has ended (a zombie has: it holds no port and waits only to be reaped). */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    if (existsSync('/proc/self')) return true;
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}

async function allGone(pids: number[], ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; ) {
    if (pids.every(ended)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return pids.every(ended);
}
