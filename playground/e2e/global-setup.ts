import { buildPage } from '../server/build-page.js';

/** The page is built once for every browser test (skipped when web/dist is newer than its sources). */
export default async function globalSetup() {
  await buildPage((line) => console.log(line));
}
