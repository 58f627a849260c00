// `npm run generate` opens plop's menu through generators/cli.ts; the generators themselves live in generators/.
// They are TypeScript: the CLI runs under tsx, and a bare `npx plop` loads them through tsx's API instead.
export default async function plopfile(plop) {
  const { registerGenerators } = await importGenerators();
  registerGenerators(plop);
}

async function importGenerators() {
  try {
    return await import('./generators/plop.ts');
  } catch (error) {
    if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    const { tsImport } = await import('tsx/esm/api');
    return tsImport('./generators/plop.ts', import.meta.url);
  }
}
