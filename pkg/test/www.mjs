// The demo page (www/) in a headless browser (chromium, firefox or webkit; browser-util.mjs),
// served under the strict CSP `script-src 'self' 'wasm-unsafe-eval'`: paste a happy-path bundle,
// drop a failing one, use the managed-key form, and check what the page shows against the native
// CLI's verdict (fixtures.json); then, served without 'wasm-unsafe-eval', the page must say why the
// verifier could not load. Screenshots go to target/screenshots/ (www-ENGINE-*.png but for Chromium).
//
// usage: node pkg/test/www.mjs [ENGINE]   (default chromium)
// Prints `www: N passed, M failed` (Chromium) or `www-ENGINE: …`.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_ERROR, NO_WASM_CSP, STRICT_CSP, cspHeaders, openBrowser, printPageErrors, tally } from './browser-util.mjs';
import { startServer } from '../../www/serve.mjs';

const engine = process.argv[2] ?? 'chromium';
const prefix = engine === 'chromium' ? 'www' : `www-${engine}`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = JSON.parse(readFileSync(process.env.FIXTURES ?? join(root, 'target', 'js-tests', 'fixtures.json'), 'utf8'));
const shots = join(root, 'target', 'screenshots');
mkdirSync(shots, { recursive: true });
const byId = (id) => {
  const c = fixtures.cases.find((x) => x.id === id);
  if (!c) throw new Error(`no fixture ${id}`);
  return c;
};

// How each scenario gives the page its bundle.
const SCENARIOS = [
  { id: 'PATH-happy-path-v0.3', bundleBy: 'paste', shot: 'www-happy-path.png' },
  { id: 'DIGEST-signature-mismatch_fail', bundleBy: 'drop', shot: 'www-signature-mismatch.png' },
  { id: 'PATH-managed-key-happy-path', bundleBy: 'file', shot: 'www-managed-key.png' },
  { id: 'PATH-happy-path-intoto-in-dsse-v3', bundleBy: 'example:dsse', shot: 'www-dsse-example.png' },
];

const ready = () => document.body.dataset.ready;

async function scenario(page, url, s) {
  const c = byId(s.id);
  await page.goto(`${url}/www/`);
  await page.waitFor(ready, null, 60_000);
  if (s.bundleBy.startsWith('example:')) {
    await page.click(`[data-example=${s.bundleBy.slice(8)}]`);
    await page.waitFor(() => document.getElementById('bundle-text').value.length > 0 && document.getElementById('artifact-info').textContent);
  } else {
    const bundleFile = { name: 'bundle.sigstore.json', type: 'application/json', bytes: Buffer.from(c.bundle) };
    if (s.bundleBy === 'paste') await page.fill('#bundle-text', c.bundle);
    else if (s.bundleBy === 'file') await page.setFile('#bundle-file', bundleFile);
    else await page.drop('#bundle-drop', bundleFile);
    await page.waitFor(() => document.getElementById('bundle-text').value.length > 0);
    if (c.artifact.digest) {
      await page.fill('#artifact-digest', c.artifact.digest);
    } else {
      await page.setFile('#artifact-file', { name: 'artifact', type: 'application/octet-stream', bytes: Buffer.from(c.artifact.base64, 'base64') });
      await page.waitFor(() => document.getElementById('artifact-info').textContent.length > 0);
    }
    if (c.policy.publicKey) {
      await page.check('#mode-key');
      await page.fill('#public-key', c.policy.publicKey);
    } else {
      await page.fill('#identity', c.policy.identity);
      await page.fill('#issuer', c.policy.issuer);
    }
  }
  await page.click('#verify');
  await page.waitFor(() => document.querySelector('#verdict').textContent.length > 0);
  const verdict = (await page.text('#verdict')).trim();
  const steps = await page.evaluate(() => [...document.querySelectorAll('#checks li')].map((li) => ({ step: li.dataset.step, status: li.dataset.status, text: li.textContent })));
  await page.screenshot(join(shots, shot(s.shot)), { fullPage: true });

  const problems = [];
  const want = c.expected.verified ? 'Verified' : `Not verified: ${c.expected.code}`;
  if (verdict !== want) problems.push(`page shows "${verdict}", native CLI says "${want}"`);
  if (c.expect === 'pass' && verdict !== 'Verified') problems.push(`a happy-path case must show "Verified"`);
  if (c.expect === 'fail' && verdict === 'Verified') problems.push('a failing case shows "Verified"');
  if (steps.length !== 10) problems.push(`${steps.length} checks listed, expected 10`);
  if (verdict === 'Verified') {
    if (!steps.every((x) => x.status === 'pass')) problems.push('a verified bundle shows a check that did not pass');
    const details = await page.text('#details');
    if (!c.policy.publicKey && !details.includes(c.policy.identity)) problems.push('the signer identity is not shown');
    if (!/Transparency-log entries/.test(details) || !/Verified times/.test(details)) problems.push('log entry or times missing');
  } else if (verdict.startsWith('Not verified')) {
    const failed = steps.filter((x) => x.status === 'fail');
    if (failed.length !== 1 || !failed[0].text.includes(c.expected.code)) problems.push(`the failing check is not shown with ${c.expected.code}`);
  }
  return problems;
}

const shot = (name) => (engine === 'chromium' ? name : name.replace(/^www-/, `${prefix}-`));
const strict = await startServer({ headers: cspHeaders(STRICT_CSP) });
const noWasm = await startServer({ headers: cspHeaders(NO_WASM_CSP) });
const browser = await openBrowser(engine);
const { report, finish } = tally(prefix);
try {
  const page = await browser.newPage();
  for (const s of SCENARIOS) report(`${s.id} (${s.bundleBy}) -> target/screenshots/${shot(s.shot)}`, await scenario(page, strict.url, s));
  // Without 'wasm-unsafe-eval' the page says why it cannot verify.
  await page.goto(`${noWasm.url}/www/`);
  await page.waitFor(ready, null, 60_000);
  const status = await page.text('#status');
  const why = status.replace(/^The verifier could not load: /, '');
  report(`without 'wasm-unsafe-eval': "${status.slice(0, 120)}…"`, (await page.evaluate(ready)) === 'error' && why !== status && CSP_ERROR.test(why) ? [] : [`status "${status}", ready=${await page.evaluate(ready)}`]);
  printPageErrors(page);
} finally {
  await browser.close();
  strict.server.close();
  noWasm.server.close();
}
finish();
