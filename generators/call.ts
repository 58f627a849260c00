import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { editActions } from './edits.js';
import { GeneratorError } from './errors.js';
import { FIELD_TYPES, field } from './fields.js';
import type { Generator } from './generator.js';
import { listManifests, type Manifest, requireManifest, serviceFolder, servicePath } from './manifest.js';
import { camelCase, checkServiceName, constantCase, pascalCase, plural } from './names.js';
import { pick, pickService } from './prompts.js';

export const call: Generator = {
  name: 'call',
  description: 'let a service call another (typed client, URL setting, manifest edge)',
  usage: 'call -- <from> <to>',

  prompts: (root) => [
    pickService(root, 'from', 'Which service makes the calls?'),
    // Only the town's other services; those it calls already are shown, greyed out.
    pick('to', 'Which service does it call?', async (answers) => {
      const services = await listManifests(root);
      const calls = services.find((m) => m.name === answers.from)?.calls ?? [];
      const others = services.filter((m) => m.name !== answers.from);
      if (others.length === 0)
        throw new GeneratorError(
          `${answers.from} is the only service; make another first: npm run generate service -- <name> <port>`,
        );
      if (others.every((m) => calls.includes(m.name)))
        throw new GeneratorError(`${answers.from} calls every other service already (${calls.join(', ')})`);
      return others.map((m) => ({
        name: m.name,
        value: m.name,
        disabled: calls.includes(m.name) && 'called already',
      }));
    }),
  ],

  fromArgs([from, to, ...extra]) {
    if (extra.length) throw new GeneratorError(`unexpected argument "${extra[0]}"`);
    if (to === undefined) throw new GeneratorError('missing the service to call, e.g. call -- orders user');
    return { from: checkServiceName(from), to: checkServiceName(to) };
  },

  async plan(answers, { root, force }) {
    const from = checkServiceName(answers.from as string);
    const to = checkServiceName(answers.to as string);
    if (from === to)
      throw new GeneratorError(`a service does not call itself over HTTP ("${from}" -> "${to}")`);
    const caller = await requireManifest(root, from);
    const callee = await requireManifest(root, to);
    const client = `src/clients/${to}.ts`;
    const folder = `services/${serviceFolder(from)}`;
    const dir = servicePath(root, from);
    if ((caller.calls.includes(to) || existsSync(join(dir, client))) && !force) {
      throw new GeneratorError(
        `${from} already calls ${to} (services/${from}-service/service.json); --force regenerates ${client}`,
      );
    }
    const data = callData(from, callee);
    const { To, TO, toCamel, toPort } = data;
    const actions = [
      { type: 'add', path: client, templateFile: 'templates/call/src/clients/service.ts.hbs' },
      ...editActions(root, folder, [
        {
          file: 'src/settings.ts',
          anchor: 'settings',
          text: `  ${TO}_SERVICE_URL: baseUrl('http://127.0.0.1:${toPort}'),`,
          marker: `${TO}_SERVICE_URL:`,
          imports: `import { baseUrl } from '@microtown/kit';`,
        },
        {
          // A service whose app gets many things from outside declares them in src/deps.ts (orders does).
          file: existsSync(join(dir, 'src/deps.ts')) ? 'src/deps.ts' : 'src/app.ts',
          anchor: 'deps',
          text: `  ${toCamel}: ${To}Client;`,
          marker: `${toCamel}: ${To}Client;`,
          imports: `import type { ${To}Client } from './clients/${to}.js';`,
        },
        {
          file: 'src/server.ts',
          anchor: 'clients',
          text: `    ${toCamel}: create${To}Client(settings.${TO}_SERVICE_URL),`,
          marker: `create${To}Client(settings.`,
          imports: `import { create${To}Client } from './clients/${to}.js';`,
        },
        {
          file: 'src/test-app.ts',
          anchor: 'test-deps',
          text: [
            `    // Nothing listens on port 9: calls to ${to} answer 503 unless a test passes its own client.`,
            `    ${toCamel}: create${To}Client('http://127.0.0.1:9'),`,
          ].join('\n'),
          marker: `create${To}Client('http://127.0.0.1:9')`,
          imports: `import { create${To}Client } from './clients/${to}.js';`,
        },
        {
          file: 'README.md',
          anchor: 'calls',
          text: `- \`${to}\` through \`${client}\`, at \`${TO}_SERVICE_URL\` (default http://127.0.0.1:${toPort})`,
          marker: `\`${to}\` through`,
        },
      ]),
      {
        type: 'json',
        path: 'service.json',
        edit: (m: Manifest) => {
          if (!m.calls.includes(to)) m.calls.push(to);
        },
      },
    ];
    return {
      folder,
      data,
      actions,
      summary: `call ${from} -> ${to}: deps.${toCamel} in createApp, ${TO}_SERVICE_URL`,
      record: `call ${to}`,
      next: [`npm test -w services/${from}-service`],
    };
  },
};

/** The callee's spellings and its resources, from its manifest, for the client template. */
function callData(from: string, callee: Manifest) {
  const to = callee.name;
  const resources = Object.entries(callee.resources ?? {}).map(([name, types]) => ({
    Resource: pascalCase(name),
    Resources: pascalCase(plural(name)),
    path: plural(name),
    fields: Object.entries(types).map(([fieldName, type]) => {
      if (!FIELD_TYPES.includes(type)) {
        throw new GeneratorError(
          `services/${to}-service/service.json: field ${fieldName} of ${name} has unknown type "${type}"`,
        );
      }
      return field(fieldName, type);
    }),
  }));
  return {
    from,
    to,
    To: pascalCase(to),
    TO: constantCase(to),
    toCamel: camelCase(to),
    toPort: callee.port,
    resources,
  };
}
