/** What the proxy does with calls to one service: pass them, delay them, or answer 503 itself. */
export type Switch = { mode: 'normal' } | { mode: 'slow'; delay_ms: number } | { mode: 'down' };

export interface Switches {
  has(service: string): boolean;
  get(service: string): Switch;
  set(service: string, value: Switch): void;
  all(): Record<string, Switch>;
  /** A service that joined the town: normal until switched. */
  add(service: string): void;
}

const NORMAL: Switch = { mode: 'normal' };

export function createSwitches(services: string[]): Switches {
  const state = new Map<string, Switch>(services.map((name) => [name, NORMAL]));
  return {
    has: (service) => state.has(service),
    get: (service) => state.get(service) ?? NORMAL,
    set: (service, value) => {
      if (state.has(service)) state.set(service, value);
    },
    all: () => Object.fromEntries(state),
    add: (service) => {
      if (!state.has(service)) state.set(service, NORMAL);
    },
  };
}
