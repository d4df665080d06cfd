// npm provenance in headless Chromium: the stand-in registry (registry.mjs) serves both the
// registry documents and the page (/repo/pkg/test/npm.html), which runs npm-cases.js with the
// browser's own fetch, streams and WebAssembly. Prints failures and `npm-chromium: N passed, M failed`.
import { rmSync } from 'node:fs';
import { launch } from './browser-util.mjs';
import { startRegistry } from './registry.mjs';

const registry = await startRegistry();
const { context, dir } = await launch();
let results;
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${registry.url}/repo/pkg/test/npm.html`);
  await page.waitForFunction(() => window.results !== undefined, null, { timeout: 120_000 });
  results = await page.evaluate(() => window.results);
} finally {
  await context.close();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
}
for (const r of results) if (!r.ok) console.log(`FAIL ${r.name}: ${r.error}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`npm-chromium: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
