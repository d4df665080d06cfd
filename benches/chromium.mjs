// The package in headless Chromium (Debian's /usr/bin/chromium through playwright-core, as the
// browser tests run it): warm verify and verifyAsync per bundle, and hashing (hash-rates.js: one
// stream and a batch; the package's hashers, hash-wasm, WebCrypto). Prints JSON. sigstore-js is
// not run here (see README.md).
// usage: node chromium.mjs [N]     (N runs per bundle, default 200)
//        node chromium.mjs --hash  (hashing only; prints the table rows on stderr too)
import { rmSync } from 'node:fs';
import { launch } from '../pkg/test/browser-util.mjs';
import { startServer } from '../www/serve.mjs';
import { CASES } from './cases.mjs';
import { hashRows } from './hash-rates.js';

const hashOnly = process.argv[2] === '--hash';
const N = hashOnly ? 0 : Number(process.argv[2] ?? 200);
const cases = CASES.map((c) => ({ name: c.name, bundle: c.bundle, trustedRoot: c.trustedRoot, policy: c.policy, artifact: Array.from(c.artifact) }));
const { server, url } = await startServer();
const { context, dir } = await launch();
let out;
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${url}/benches/browser.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  page.setDefaultTimeout(0);
  out = await page.evaluate(([c, n]) => window.bench(c, n), [cases, N]);
} finally {
  await context.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
if (hashOnly) for (const line of hashRows('chromium', out.hash)) console.error(line);
console.log(JSON.stringify(out));
