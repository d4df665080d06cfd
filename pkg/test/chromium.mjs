// Headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): load the package in a
// page served from 127.0.0.1, exactly as a web page would, and run every conformance case there.
// Prints one line per failure and `chromium: N passed, M failed`; exit 1 on any failure.
import { rmSync } from 'node:fs';
import { launch } from './browser-util.mjs';
import { startServer } from '../../www/serve.mjs';
import { startTufRepo } from './tuf-repo.mjs';

const { server, url } = await startServer();
// The stand-in TUF repository (another origin; it sends CORS headers) for the TUF happy path.
const tuf = await startTufRepo();
const { context, dir } = await launch();
let results;
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const fixtures = process.env.FIXTURES_URL ?? '/target/js-tests/fixtures.json';
  await page.goto(`${url}/pkg/test/browser.html?fixtures=${encodeURIComponent(fixtures)}&tuf=${encodeURIComponent(tuf.repo('ok'))}`);
  await page.waitForFunction(() => window.results !== undefined, null, { timeout: 120_000 });
  results = await page.evaluate(() => window.results);
  const ua = await page.evaluate(() => navigator.userAgent);
  console.error(`browser: ${ua}`);
  console.error(`verifyAsync conformance paths: ${JSON.stringify(results.asyncStats)}`);
} finally {
  await context.close();
  server.close();
  await tuf.close();
  rmSync(dir, { recursive: true, force: true });
}
for (const f of results.failures) console.log(`FAIL ${f.id}: ${f.why}`);
console.log(`chromium: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
