import { existsSync } from 'node:fs';
import { GeneratorError } from './errors.js';
import type { Generator } from './generator.js';
import { readManifest, serviceFolder, servicePath } from './manifest.js';
import { checkPort, checkServiceName, pascalCase } from './names.js';
import { checkFreePort, checkUnusedPort, suggestPort } from './ports.js';
import { input } from './prompts.js';

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
    input('name', 'Service name (lower kebab-case, e.g. shipping):', (name) => checkNewService(root, name)),
    input(
      'port',
      'Port (1024-65535):',
      (port) => checkUnusedPort(root, checkPort(port)),
      () => suggestPort(root).then(String),
    ),
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
      record: 'service',
      next: [
        `npm start -w ${folder}   # then open http://127.0.0.1:${port}/docs`,
        `npm run generate resource -- ${name} <resource> <field>:<type>,...`,
      ],
    };
  },
};

/** The menu makes new services only (it has no --force): a name already in services/ is refused as it is typed. */
function checkNewService(root: string, value: string): string {
  const name = checkServiceName(value);
  if (existsSync(servicePath(root, name)))
    throw new GeneratorError(
      `service "${name}" already exists (services/${serviceFolder(name)}); pick another name`,
    );
  return name;
}
