// Navigation to first verdict of the <sigstore-provenance> badge in headless Chromium (Debian's
// /usr/bin/chromium through pkg/'s playwright-core): a page served from 127.0.0.1
// (first-verdict.html) adds one badge for gundam-visor@1.0.1 from the stand-in npm registry
// (pkg/test/registry.mjs: the real vendored attestations, no network), and the time is the
// badge's own `sigstore-provenance` event, read as performance.now() in the page (ms since the
// navigation started). Two trusts: `tuf` (the stand-in TUF repository, as the badge's default
// trust but local) and `embedded` (tufOptions = false: the embedded trusted root, no TUF).
// Rows, median of N page loads each:
//   cold: a new browser context per load (empty HTTP cache, no compiled wasm, no TUF cache)
//   warm: one context, loaded once first, then N more loads (HTTP cache: the files are served
//         with max-age; the Cache API TUF cache the first load wrote)
// Prints JSON.  usage: node first-verdict.mjs [N]   (default 15)
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../pkg/test/browser-util.mjs';
import { startRegistry } from '../pkg/test/registry.mjs';

const N = Number(process.argv[2] ?? 15);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
// The vendored TUF metadata's validity (pkg/test/badge-browser.mjs uses the same time).
const TUF_NOW = '2026-08-22T00:00:00Z';

// The page and the package from a server that lets the browser cache them (the repository's
// test servers send no-store), as a site or CDN would.
function startPages() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = resolve(join(root, path));
    if (!file.startsWith(root + sep) || !/^\/(pkg\/src|pkg\/wasm|benches)\//.test(path)) return res.writeHead(404).end();
    try {
      if (!statSync(file).isFile()) return res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function load(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.verdict, null, { timeout: 60_000 });
  const v = await page.evaluate(() => window.verdict);
  await page.close();
  if (v.state !== 'verified') throw new Error(`badge ${v.state}: ${v.code} ${v.message} ${errors.join('; ')}`);
  return v;
}

function summary(loads) {
  const steps = {};
  for (const k of Object.keys(loads[0].steps)) if (typeof loads[0].steps[k] === 'number') steps[k] = median(loads.map((l) => l.steps[k]));
  return { median_ms: median(loads.map((l) => l.ms)), min_ms: Math.min(...loads.map((l) => l.ms)), max_ms: Math.max(...loads.map((l) => l.ms)), n: loads.length, source: loads[0].source, wasm_from_cache: loads.at(-1).steps.wasm_from_cache, steps };
}

const registry = await startRegistry();
const pages = await startPages();
const { browser, close } = await launchBrowser();
const out = { runtime: `Chromium ${browser.version()}`, n: N };
try {
  for (const trust of ['tuf', 'embedded']) {
    const q = new URLSearchParams({ registry: registry.registry('ok'), trust, tuf: `${registry.url}/tuf/ok`, now: TUF_NOW });
    const url = `${pages.url}/benches/first-verdict.html?${q}`;
    const cold = [];
    for (let i = 0; i < N; i++) {
      const context = await browser.newContext();
      cold.push(await load(context, url));
      await context.close();
    }
    const context = await browser.newContext();
    await load(context, url);
    const warm = [];
    for (let i = 0; i < N; i++) warm.push(await load(context, url));
    await context.close();
    out[trust] = { cold: summary(cold), warm: summary(warm) };
  }
} finally {
  await close();
  pages.server.close();
  await registry.close();
}
console.log(JSON.stringify(out));
