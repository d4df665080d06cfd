// The package in a real browser (browser-util.mjs: chromium, firefox or webkit), loaded from a
// page served from 127.0.0.1 exactly as a web page would load it, under the strict
// Content-Security-Policy `script-src 'self' 'wasm-unsafe-eval'`: every conformance case through
// verify and verifyAsync, the hashers and the TUF happy path (browser-suite.js), in the page and
// in a module Worker. Then, under `script-src 'self'` (no 'wasm-unsafe-eval'), the package must
// fail to load in the page and in the Worker with its error that names the policy and the fix.
//
// usage: node pkg/test/conformance-browser.mjs ENGINE [web]
// Prints one line per failure and `ENGINE: N passed, M failed`; exit 1 on any failure.
// With `web`: the web build (sigstore-wasm/web, web-cases.js) instead, in the page only (the
// strict policy, then its load error without 'wasm-unsafe-eval'), reported as `web-ENGINE: …`.
import { CSP_ERROR, ENGINES, NO_WASM_CSP, STRICT_CSP, cspHeaders, openBrowser, printPageErrors } from './browser-util.mjs';
import { startServer } from '../../www/serve.mjs';
import { startTufRepo } from './tuf-repo.mjs';

const engine = process.argv[2];
const web = process.argv[3] === 'web';
if (!ENGINES.includes(engine) || (process.argv[3] && !web)) {
  console.error(`usage: conformance-browser.mjs ${ENGINES.join('|')} [web]`);
  process.exit(2);
}
const name = web ? `web-${engine}` : engine;
const places = web ? ['page'] : ['page', 'worker'];

const strict = await startServer({ headers: cspHeaders(STRICT_CSP) });
const noWasm = await startServer({ headers: cspHeaders(NO_WASM_CSP) });
// The stand-in TUF repository (another origin; it sends CORS headers) for the TUF happy path.
const tuf = await startTufRepo();
const fixtures = process.env.FIXTURES_URL ?? '/target/js-tests/fixtures.json';
const failures = [];
let passed = 0;
let failed = 0;
const started = Date.now();
const browser = await openBrowser(engine);
try {
  const page = await browser.newPage();
  const run = async (server, worker) => {
    const q = new URLSearchParams({ fixtures, tuf: tuf.repo('ok'), ...(worker ? { worker: '1' } : {}), ...(web ? { web: '1' } : {}) });
    await page.goto(`${server.url}/pkg/test/browser.html?${q}`);
    await page.waitFor(() => window.results !== undefined, null, 300_000);
    return page.evaluate(() => window.results);
  };
  for (const where of places) {
    const t = Date.now();
    const r = await run(strict, where === 'worker');
    if (where === 'page') console.error(`browser: ${await page.evaluate(() => navigator.userAgent)}`);
    for (const f of r.failures) failures.push({ id: `${where}: ${f.id}`, why: f.why });
    if (r.evalAllowed !== false) failures.push({ id: `${where}: csp`, why: `the ${STRICT_CSP} policy is not in force (eval allowed)` });
    passed += r.passed;
    failed += r.failed + (r.evalAllowed !== false ? 1 : 0);
    console.error(`${where}: ${r.passed} passed, ${r.failed} failed in ${((Date.now() - t) / 1000).toFixed(1)} s; verifyAsync paths ${JSON.stringify(r.asyncStats)}`);
    for (const w of r.webOnly ?? []) console.error(`  SIGNATURE_NEEDS_FULL_BUILD (the full build needed wasm here too): ${w.id}: ${w.message}`);
  }
  for (const where of places) {
    const r = await run(noWasm, where === 'worker');
    const id = `${where}: without 'wasm-unsafe-eval'`;
    if (!r.loadError) failures.push({ id, why: `no load error (${r.passed} passed, ${r.failed} failed${r.failures[0] ? `: ${r.failures[0].why}` : ''})` });
    else if (!CSP_ERROR.test(r.loadError)) failures.push({ id, why: `not the package's CSP load error: ${r.loadError}` });
    else console.error(`${id}: ${r.loadError}`);
    if (r.loadError && CSP_ERROR.test(r.loadError)) passed++;
    else failed++;
  }
  printPageErrors(page);
} finally {
  await browser.close();
  strict.server.close();
  noWasm.server.close();
  await tuf.close();
}
for (const f of failures) console.log(`FAIL ${f.id}: ${f.why}`);
console.log(`${name}: ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
process.exit(failed ? 1 : 0);
