import type { NodePlopAPI } from 'node-plop';
import { GENERATORS } from './registry.js';
import { report } from './report.js';
import { generate, REPO } from './run.js';
import { linkWorkspace } from './workspace.js';

/** Registers every generator for plop's menu; each one's single action runs the same checked, staged generation. */
export function registerGenerators(plop: NodePlopAPI, root = REPO): void {
  plop.setWelcomeMessage('microtown generators (no prompts: npm run generate <generator> -- <arguments>)');
  for (const generator of GENERATORS) {
    plop.setGenerator(generator.name, {
      description: generator.description,
      prompts: generator.prompts(root),
      actions: (answers) => [
        async () => {
          // plop prints what the action returns, after its spinner: the whole report, not only a headline.
          const result = await generate(generator.name, answers ?? {}, { root });
          const note =
            result.createdService && root === REPO ? await linkWorkspace(REPO, result.folder) : undefined;
          return report(result, false, note).join('\n');
        },
      ],
    });
  }
}
