// GitHub artifact attestations in headless Chromium: the stand-in GitHub API (github-api.mjs)
// serves both the REST responses and the page (/repo/pkg/test/attest.html), which runs
// attest-cases.js with the browser's own fetch, streams and WebAssembly, and the badge's GitHub
// mode. Prints failures and `attest-chromium: N passed, M failed`.
import { rmSync } from 'node:fs';
import { launch } from './browser-util.mjs';
import { startGitHubApi } from './github-api.mjs';

const github = await startGitHubApi();
const { context, dir } = await launch();
let results;
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${github.url}/repo/pkg/test/attest.html`);
  await page.waitForFunction(() => window.results !== undefined, null, { timeout: 120_000 });
  results = await page.evaluate(() => window.results);
} finally {
  await context.close();
  await github.close();
  rmSync(dir, { recursive: true, force: true });
}
for (const r of results) if (!r.ok) console.log(`FAIL ${r.name}: ${r.error}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`attest-chromium: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
