// The demo page (www/) in headless Chromium: paste a happy-path bundle, drop a failing one, use
// the managed-key form, and check what the page shows against the native CLI's verdict
// (fixtures.json). Screenshots go to target/screenshots/. Prints `www: N passed, M failed`.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './browser-util.mjs';
import { startServer } from '../../www/serve.mjs';

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

async function scenario(page, url, s) {
  const c = byId(s.id);
  await page.goto(`${url}/www/`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  if (s.bundleBy.startsWith('example:')) {
    await page.click(`[data-example=${s.bundleBy.slice(8)}]`);
    await page.waitForFunction(() => document.getElementById('bundle-text').value.length > 0 && document.getElementById('artifact-info').textContent);
  } else {
    if (s.bundleBy === 'paste') {
      await page.fill('#bundle-text', c.bundle);
    } else if (s.bundleBy === 'file') {
      await page.setInputFiles('#bundle-file', { name: 'bundle.sigstore.json', mimeType: 'application/json', buffer: Buffer.from(c.bundle) });
    } else {
      // A real drop event carrying a File, as a drag from the desktop delivers it.
      const dt = await page.evaluateHandle((text) => {
        const d = new DataTransfer();
        d.items.add(new File([text], 'bundle.sigstore.json', { type: 'application/json' }));
        return d;
      }, c.bundle);
      await page.dispatchEvent('#bundle-drop', 'drop', { dataTransfer: dt });
    }
    await page.waitForFunction(() => document.getElementById('bundle-text').value.length > 0);
    if (c.artifact.digest) {
      await page.fill('#artifact-digest', c.artifact.digest);
    } else {
      await page.setInputFiles('#artifact-file', { name: 'artifact', mimeType: 'application/octet-stream', buffer: Buffer.from(c.artifact.base64, 'base64') });
      await page.waitForFunction(() => document.getElementById('artifact-info').textContent.length > 0);
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
  await page.waitForSelector('#verdict:not(:empty)');
  const verdict = (await page.textContent('#verdict')).trim();
  const steps = await page.$$eval('#checks li', (lis) => lis.map((li) => ({ step: li.dataset.step, status: li.dataset.status, text: li.textContent })));
  await page.screenshot({ path: join(shots, s.shot), fullPage: true });

  const problems = [];
  const want = c.expected.verified ? 'Verified' : `Not verified: ${c.expected.code}`;
  if (verdict !== want) problems.push(`page shows "${verdict}", native CLI says "${want}"`);
  if (c.expect === 'pass' && verdict !== 'Verified') problems.push(`a happy-path case must show "Verified"`);
  if (c.expect === 'fail' && verdict === 'Verified') problems.push('a failing case shows "Verified"');
  if (steps.length !== 10) problems.push(`${steps.length} checks listed, expected 10`);
  if (verdict === 'Verified') {
    if (!steps.every((x) => x.status === 'pass')) problems.push('a verified bundle shows a check that did not pass');
    const details = await page.textContent('#details');
    if (!c.policy.publicKey && !details.includes(c.policy.identity)) problems.push('the signer identity is not shown');
    if (!/Transparency-log entries/.test(details) || !/Verified times/.test(details)) problems.push('log entry or times missing');
  } else if (verdict.startsWith('Not verified')) {
    const failed = steps.filter((x) => x.status === 'fail');
    if (failed.length !== 1 || !failed[0].text.includes(c.expected.code)) problems.push(`the failing check is not shown with ${c.expected.code}`);
  }
  return problems;
}

const { server, url } = await startServer();
const { context, dir } = await launch();
let passed = 0;
let failed = 0;
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  for (const s of SCENARIOS) {
    const problems = await scenario(page, url, s);
    if (problems.length) {
      failed++;
      console.log(`FAIL ${s.id} (${s.bundleBy}): ${problems.join('; ')}`);
    } else {
      passed++;
      console.log(`ok   ${s.id} (${s.bundleBy}) -> target/screenshots/${s.shot}`);
    }
  }
} finally {
  await context.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`www: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
