import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the bench started: above the core count, figures are suspect. */
  load: string;
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

/** The distribution's name (Debian GNU/Linux 12 (bookworm)) where there is one, else the kernel's. */
function system(): string {
  const kernel = `${os.type()} ${os.release()} ${os.arch()}`;
  try {
    const name = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    return name ? `${name}, ${kernel}` : kernel;
  } catch {
    return kernel;
  }
}

/** What the figures were measured on. */
export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() || 'unknown CPU',
    cores: cpus.length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: system(),
    node: process.version,
    load: loadAverage(),
  };
}
