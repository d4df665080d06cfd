// Registry end-to-end tests in headless Chromium: the stand-in registry (registry.mjs, which also
// mounts the stand-in Python index pypi-index.mjs) serves both the registry documents and the
// page under /repo/pkg/test/, which runs the shared cases with the browser's own fetch, streams
// and WebAssembly. Prints failures and `NAME: N passed, M failed`.
//
// usage: node pkg/test/npm-chromium.mjs   (npm.html: npm-cases.js); pypi-chromium.mjs runs
//        npm.html?suite=pypi (pypi-cases.js) with runRegistryPage
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch } from './browser-util.mjs';
import { startRegistry } from './registry.mjs';

export async function runRegistryPage(page, label) {
  const registry = await startRegistry();
  const { context, dir } = await launch();
  let results;
  try {
    const tab = await context.newPage();
    tab.on('pageerror', (e) => console.error('page error:', e.message));
    await tab.goto(`${registry.url}/repo/pkg/test/${page}`);
    await tab.waitForFunction(() => window.results !== undefined, null, { timeout: 120_000 });
    results = await tab.evaluate(() => window.results);
  } finally {
    await context.close();
    await registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const r of results) if (!r.ok) console.log(`FAIL ${r.name}: ${r.error}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${label}: ${results.length - failed} passed, ${failed} failed`);
  return failed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit((await runRegistryPage('npm.html', 'npm-chromium')) ? 1 : 0);
}
