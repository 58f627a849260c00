/** Where the town listens on one machine: the services on their manifests' ports, the playground here. */
export const HOST = '127.0.0.1';
export const PLAYGROUND_PORT = 4000;
