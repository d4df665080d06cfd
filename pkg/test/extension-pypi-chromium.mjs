// The browser extension (extension/) on PyPI project pages in headless Chromium: the test build
// (scripts/build-extension.mjs, also running on http://127.0.0.1/*) with the index switched to the
// stand-in index (pypi-index.mjs, in registry.mjs's server) through chrome.storage.local, on a
// small copy of a pypi.org project page (pypi-page.html) served here at /project/NAME/VERSION/.
// Checks the badge the PyPI content script injects beside each file link: verified with the
// publisher, or failed with the scenario's code, whatever the page claims; trust from the
// stand-in TUF repository. Screenshot: target/screenshots/extension-pypi.png (and
// docs/screenshots/ with UPDATE_SCREENSHOTS=1). Prints failures and `pypi-extension: N passed, M failed`.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, saveShot, shutdown, tally } from './browser-util.mjs';
import { startRegistry } from './registry.mjs';
import { DISTRIBUTIONS } from './pypi-fixtures.js';
import { buildExtension } from '../../scripts/build-extension.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const template = readFileSync(join(here, 'pypi-page.html'), 'utf8');

/** /project/NAME/VERSION/: the page, its file link pointing at the stand-in index's file. */
function startPages(index) {
  const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const server = createServer((req, res) => {
    const m = /^\/project\/([^/]+)\/([^/]+)\/$/.exec(new URL(req.url, 'http://x').pathname);
    const d = m && DISTRIBUTIONS.find((x) => x.project === m[1] && x.version === m[2]);
    if (!d) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    const fill = { project: d.project, version: d.version, filename: d.filename, url: `${index}/files/${d.filename}` };
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(template.replace(/\{\{(\w+)\}\}/g, (_, k) => escape(fill[k])));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

const [gh, google, circle] = DISTRIBUTIONS;
const CASES = [
  { d: gh, scenario: 'ok', label: 'github.com/trailofbits/pypi-attestations', shot: 'extension-pypi.png' },
  { d: google, scenario: 'ok', label: google.publisher.email },
  { d: circle, scenario: 'ok', label: `CircleCI project ${circle.publisher.project_id}` },
  { d: gh, scenario: 'no-provenance', code: 'PYPI_ATTESTATION_MISSING', shot: 'extension-pypi-failed.png' },
  { d: google, scenario: 'disabled', code: 'PYPI_FETCH_FAILED' },
];

const registry = await startRegistry();
const pages = await startPages(`${registry.url}/pypi/ok`);
const ext = buildExtension({ out: join(root, 'target', 'extension-pypi-test'), registry: registry.registry('ok'), match: ['http://127.0.0.1/*'] });
const { context, dir } = await launch({ args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`], ignoreDefaultArgs: ['--disable-extensions'] });
const { report, finish } = tally('pypi-extension');
try {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const tufUrl = `${registry.url}/tuf/ok`;
  const tufRoot = await (await fetch(`${tufUrl}/12.root.json`)).text();
  for (const c of CASES) {
    const before = registry.requests.length;
    await worker.evaluate((s) => chrome.storage.local.set(s), { index: `${registry.url}/pypi/${c.scenario}`, tufUrl, tufRoot, tufNow: '2026-08-22T00:00:00Z', tufOffline: false, trustedRoot: '' });
    await page.goto(`${pages.url}/project/${c.d.project}/${c.d.version}/`);
    await page.waitForSelector('.sigstore-wasm-pypi[data-state=verified], .sigstore-wasm-pypi[data-state=failed]', { timeout: 120_000 });
    const got = await page.evaluate(() => {
      const hosts = [...document.querySelectorAll('.sigstore-wasm-pypi')];
      const h = hosts[0];
      return { n: hosts.length, filename: h.dataset.filename, state: h.dataset.state, code: h.dataset.code, trust: h.dataset.trust, label: h.getAttribute('aria-label'), besideLink: h.previousElementSibling?.classList.contains('file') };
    });
    const p = [];
    const want = c.code ? `Provenance check failed: ${c.code}` : `Provenance verified: published by ${c.label}`;
    if (got.n !== 1 || got.filename !== c.d.filename) p.push(`${got.n} badges, for ${got.filename}`);
    if (!got.besideLink) p.push('badge not placed after the file link');
    if (got.state !== (c.code ? 'failed' : 'verified') || (c.code && got.code !== c.code)) p.push(`state ${got.state} ${got.code}`);
    if (got.label !== want) p.push(`label "${got.label}", expected "${want}"`);
    if (!c.code && got.trust !== 'tuf') p.push(`trust ${got.trust}`);
    const asked = registry.requests.slice(before);
    if (!asked.includes(`/pypi/${c.scenario}/integrity/${c.d.project}/${c.d.version}/${c.d.filename}/provenance`)) p.push(`the extension did not fetch the provenance: ${asked.join(', ')}`);
    if (c.shot) await saveShot(page, c.shot, { clip: { x: 0, y: 0, width: 1100, height: 420 } });
    report(`${c.d.filename} (${c.scenario}) ${c.code ?? 'verified'}`, p);
  }
} finally {
  await shutdown({ context, dir }, registry, { close: () => new Promise((ok) => pages.server.close(ok)) });
}
finish();
