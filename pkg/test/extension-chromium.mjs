// The browser extension (extension/) in headless Chromium: a test build
// (scripts/build-extension.mjs) that also runs on http://127.0.0.1/* and verifies against the
// stand-in registry (registry.mjs), loaded with --load-extension; a small copy of an npmjs.com
// package page (npmjs-page.html) served at /package/NAME[/v/VERSION] by a server here. Checks the
// badge the content script injects: verified with the source repository and commit, or failed
// with the scenario's code (the registry switched through chrome.storage.local), whatever the
// page itself claims, and that the trusted root came from the stand-in TUF repository (tuf-repo.mjs,
// mounted at /tuf/ok; chrome.storage.local tufUrl, tufRoot (root 12) and the test-only tufNow),
// offline from the chrome.storage.local cache, or pinned (trustedRoot). Screenshot: target/screenshots/ (and docs/screenshots/extension.png with
// UPDATE_SCREENSHOTS=1).
// Prints failures and `extension: N passed, M failed`.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, tally } from './browser-util.mjs';
import { startRegistry, PACKAGES } from './registry.mjs';
import { buildExtension } from '../../scripts/build-extension.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const shots = join(root, 'target', 'screenshots');
const docs = join(root, 'docs', 'screenshots');
mkdirSync(shots, { recursive: true });
// docs/screenshots/ (committed) is refreshed only on request: UPDATE_SCREENSHOTS=1.
const updateDocs = process.env.UPDATE_SCREENSHOTS === '1';
if (updateDocs) mkdirSync(docs, { recursive: true });
const template = readFileSync(join(here, 'npmjs-page.html'), 'utf8');

// /package/NAME[/v/VERSION]: the page, showing VERSION or the package's only version.
function startPages() {
  const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const server = createServer((req, res) => {
    const m = /^\/package\/((?:@[^/]+\/)?[^/]+)(?:\/v\/([^/]+))?$/.exec(new URL(req.url, 'http://x').pathname);
    const p = m && PACKAGES.find((x) => x.name === decodeURIComponent(m[1]) && (!m[2] || x.version === m[2]));
    if (!p) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(template.replaceAll('{{name}}', escape(p.name)).replaceAll('{{version}}', escape(p.version)));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

// scenario, page path, expected: repository (+ commit) or an error code.
const CASES = [
  { scenario: 'ok', path: '/package/sigstore/v/1.0.0', name: 'sigstore', version: '1.0.0', repo: 'sigstore/sigstore-js', shot: 'extension.png' },
  { scenario: 'ok', path: '/package/gundam-visor', name: 'gundam-visor', version: '1.0.1', repo: 'ramonpetgrave64/gundam-visor', commit: '599500821344b070902a7a5666064bfdaba715df' },
  { scenario: 'ok', path: '/package/@trishankatdatadog/supreme-goggles/v/1.0.5', name: '@trishankatdatadog/supreme-goggles', version: '1.0.5', repo: 'trishankatdatadog/supreme-goggles' },
  { scenario: 'expired-key', path: '/package/sigstore/v/1.0.0', name: 'sigstore', version: '1.0.0', code: 'NPM_KEY_EXPIRED', shot: 'extension-failed.png' },
  { scenario: 'wrong-integrity', path: '/package/gundam-visor/v/1.0.1', name: 'gundam-visor', version: '1.0.1', code: 'ARTIFACT_MISMATCH' },
  // The trust settings: offline (the TUF cache the cases above left in chrome.storage.local), pinned.
  { scenario: 'ok', path: '/package/sigstore/v/1.0.0', name: 'sigstore', version: '1.0.0', repo: 'sigstore/sigstore-js', settings: { tufOffline: true }, trust: 'tuf' },
  { scenario: 'ok', path: '/package/gundam-visor/v/1.0.1', name: 'gundam-visor', version: '1.0.1', repo: 'ramonpetgrave64/gundam-visor', settings: { trustedRoot: 'pinned' }, trust: 'given' },
];

const registry = await startRegistry();
const pages = await startPages();
const ext = buildExtension({ out: join(root, 'target', 'extension-test'), registry: registry.registry('ok'), match: ['http://127.0.0.1/*'] });
// New headless mode (Chromium 132+; Playwright's `headless: true` on a full Chromium build) loads
// unpacked extensions; Playwright's default --disable-extensions must be dropped.
const { context, dir } = await launch({ args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`], ignoreDefaultArgs: ['--disable-extensions'] });
const { report, finish } = tally('extension');
try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  report('extension loaded (service worker running)', worker.url().startsWith('chrome-extension://') ? [] : [`service worker ${worker.url()}`]);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const tufUrl = `${registry.url}/tuf/ok`;
  const tufRoot = await (await fetch(`${tufUrl}/12.root.json`)).text();
  const trustedRoot = readFileSync(join(root, 'tests', 'data', 'tuf', 'targets', 'trusted_root.json'), 'utf8');
  for (const c of CASES) {
    const settings = { registry: registry.registry(c.scenario), tufUrl, tufRoot, tufNow: '2026-08-22T00:00:00Z', tufOffline: false, trustedRoot: '', ...c.settings };
    if (settings.trustedRoot === 'pinned') settings.trustedRoot = trustedRoot;
    const tufBefore = registry.requests.filter((u) => u.startsWith('/tuf/')).length;
    await worker.evaluate((s) => chrome.storage.local.set(s), settings);
    await page.goto(`${pages.url}${c.path}`);
    await page.waitForSelector('#sigstore-wasm-provenance[data-state=verified], #sigstore-wasm-provenance[data-state=failed]', { timeout: 120_000 });
    const got = await page.evaluate(() => {
      const host = document.getElementById('sigstore-wasm-provenance');
      const s = host.shadowRoot;
      return {
        state: host.dataset.state,
        code: host.dataset.code,
        trust: host.dataset.trust,
        label: host.getAttribute('aria-label'),
        statusText: s.querySelector('[role=status] .text')?.textContent,
        pkg: s.querySelector('.pkg')?.textContent,
        repoHref: s.querySelector('a.repo')?.href ?? null,
        commitHref: s.querySelector('a.commit')?.href ?? null,
        afterHeading: host.previousElementSibling?.querySelector('h1') != null,
      };
    });
    const p = [];
    if (!got.afterHeading) p.push('badge not placed under the package heading');
    if (got.pkg !== `${c.name}@${c.version}`) p.push(`badge is for ${got.pkg}, expected ${c.name}@${c.version}`);
    if (c.code) {
      const want = `Provenance check failed: ${c.code}`;
      if (got.state !== 'failed' || got.code !== c.code) p.push(`state ${got.state} ${got.code}, expected failed ${c.code}`);
      if (got.statusText !== want || got.label !== want) p.push(`text "${got.statusText}", expected "${want}"`);
      if (got.repoHref) p.push('a failed badge links a repository');
    } else {
      const repoUrl = `https://github.com/${c.repo}`;
      const sha = got.commitHref?.split('/commit/')[1] ?? '';
      if (got.state !== 'verified') p.push(`state ${got.state} ${got.code}, expected verified`);
      if (got.repoHref !== repoUrl) p.push(`repository link ${got.repoHref}`);
      if (!/^[0-9a-f]{40}$/.test(sha) || got.commitHref !== `${repoUrl}/commit/${sha}`) p.push(`commit link ${got.commitHref}`);
      if (c.commit && sha !== c.commit) p.push(`commit ${sha}, expected ${c.commit}`);
      const want = `Provenance verified: built by github.com/${c.repo} at commit ${sha.slice(0, 7)}`;
      if (got.statusText !== want || got.label !== want) p.push(`text "${got.statusText}", expected "${want}"`);
    }
    if (!c.code && got.trust !== (c.trust ?? 'tuf')) p.push(`trust source ${got.trust}, expected ${c.trust ?? 'tuf'}`);
    if (c.settings && registry.requests.filter((u) => u.startsWith('/tuf/')).length !== tufBefore) p.push('TUF metadata fetched (offline or pinned)');
    if (c.shot) {
      await page.screenshot({ path: join(shots, c.shot), clip: { x: 0, y: 0, width: 1100, height: 330 } });
      if (updateDocs && c.shot === 'extension.png') copyFileSync(join(shots, c.shot), join(docs, c.shot));
    }
    report(`${c.path} (${c.scenario}${c.settings ? `, ${Object.keys(c.settings).join(', ')}` : ''}) ${c.code ?? 'verified'}, trust ${c.code ? '-' : (c.trust ?? 'tuf')}`, p);
  }
  // The TUF update went to the local repository (root 12 -> 15) and its files were cached in
  // chrome.storage.local.
  const tufPaths = registry.requests.filter((u) => u.startsWith('/tuf/ok/'));
  const stored = await worker.evaluate(() => chrome.storage.local.get(null).then((all) => Object.keys(all).filter((k) => k.startsWith('sigstore-wasm-tuf/'))));
  report('TUF: updated from the local repository, cached in chrome.storage.local', [
    ...(['/tuf/ok/13.root.json', '/tuf/ok/timestamp.json'].every((u) => tufPaths.includes(u)) ? [] : [`TUF requests: ${tufPaths.join(', ')}`]),
    ...(stored.some((k) => k.endsWith('/timestamp.json')) && stored.some((k) => k.endsWith('/root.json')) ? [] : [`chrome.storage.local keys: ${stored.join(', ')}`]),
  ]);
  // The extension fetched each version's documents from the configured registry itself.
  const missing = CASES.map((c) => `/r/${c.scenario}/-/npm/v1/attestations/${c.name.replace('/', '%2f')}@${c.version}`).filter((u) => !registry.requests.includes(u));
  report('the extension fetched the attestations from the registry', missing.length ? [`not requested: ${missing.join(', ')}`] : []);
} finally {
  await context.close();
  await registry.close();
  pages.server.close();
  rmSync(dir, { recursive: true, force: true });
}
finish();
