import { existsSync } from 'node:fs';
import { GeneratorError } from './errors.js';
import type { Generator } from './generator.js';
import { listManifests, readManifest, serviceFolder, servicePath } from './manifest.js';
import { checkPort, checkServiceName, pascalCase } from './names.js';
import { ask } from './prompts.js';

/** template (under templates/service/) -> file in the new service folder */
const FILES: [string, string][] = [
  ['service.json.hbs', 'service.json'],
  ['package.json.hbs', 'package.json'],
  ['tsconfig.json.hbs', 'tsconfig.json'],
  ['README.md.hbs', 'README.md'],
  ['Dockerfile.hbs', 'Dockerfile'],
  ['gitignore.hbs', '.gitignore'],
  ...['app', 'app.test', 'schemas', 'server', 'settings', 'store', 'test-app'].map(
    (file): [string, string] => [`src/${file}.ts.hbs`, `src/${file}.ts`],
  ),
];

export const service: Generator = {
  name: 'service',
  description: 'a new service (own folder, data file, tests, /docs, Dockerfile)',
  usage: 'service -- <name> <port>',

  prompts: (root) => [
    {
      type: 'input',
      name: 'name',
      message: 'Service name (lower kebab-case, e.g. shipping):',
      validate: ask(checkServiceName),
    },
    {
      type: 'input',
      name: 'port',
      message: 'Port (1024-65535):',
      validate: ask(async (port: string) => checkFreePort(root, checkPort(port))),
    },
  ],

  fromArgs([name, port, ...extra]) {
    if (extra.length) throw new GeneratorError(`unexpected argument "${extra[0]}"`);
    return { name: checkServiceName(name), port: checkPort(port) };
  },

  async plan(answers, { root, force }) {
    const name = checkServiceName(answers.name as string);
    const folder = `services/${serviceFolder(name)}`;
    if (existsSync(servicePath(root, name)) && !force) {
      throw new GeneratorError(
        `service "${name}" already exists (${folder}); pick another name, or --force to regenerate its files`,
      );
    }
    const manifest = await readManifest(root, name);
    if (manifest && (manifest.calls.length > 0 || Object.keys(manifest.resources ?? {}).length > 0)) {
      throw new GeneratorError(
        `service "${name}" has resources or calls that --force would unwire; remove ${folder} first to start over`,
      );
    }
    const port = await checkFreePort(root, checkPort(answers.port as string), name);
    return {
      folder,
      data: { name, Name: pascalCase(name), port },
      actions: FILES.map(([template, path]) => ({
        type: 'add',
        path,
        templateFile: `templates/service/${template}`,
      })),
      summary: `service ${name} on port ${port}`,
      next: [
        `npm start -w ${folder}   # then open http://127.0.0.1:${port}/docs`,
        `npm run generate resource -- ${name} <resource> <field>:<type>,...`,
      ],
    };
  },
};

/** A port no other service of the town uses (the service itself may keep its own when regenerated). */
async function checkFreePort(root: string, port: number, self?: string): Promise<number> {
  const owner = (await listManifests(root)).find((m) => m.port === port && m.name !== self);
  if (owner) throw new GeneratorError(`port ${port} is taken by service "${owner.name}"; pick another one`);
  return port;
}
