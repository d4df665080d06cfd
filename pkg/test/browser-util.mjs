// Launch Debian's Chromium headless through playwright-core (no browser download), with the
// flags this machine needs (runtimes.md): no sandbox as root, no GPU, no background networking.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export async function launch({ args = [], ignoreDefaultArgs } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sigstore-wasm-chromium-'));
  for (const d of ['config', 'cache']) mkdirSync(join(dir, d));
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    ignoreDefaultArgs,
    viewport: { width: 1100, height: 900 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      ...args,
    ],
  });
  return { context, dir };
}

/**
 * Count named checks: `report(name, problems)` prints `ok` or `FAIL name: …`; `finish()` prints
 * `<runtime>: N passed, M failed` (the line scripts/test-js.sh reads) and exits 1 on any failure.
 */
export function tally(runtime) {
  let passed = 0;
  let failed = 0;
  return {
    report(name, problems) {
      if (problems.length) {
        failed++;
        console.log(`FAIL ${name}: ${problems.join('; ')}`);
      } else {
        passed++;
        console.log(`ok   ${name}`);
      }
    },
    finish() {
      console.log(`${runtime}: ${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}

/**
 * The badge test page (pkg/test/badge.html, served by the stand-in registry) in a new tab of
 * `context`, with `badges` added: `[{ id, attrs }]`, each badge's trust from the stand-in TUF
 * repository (root 12, `tufOptions.now` inside its metadata's validity), not the public CDN.
 */
export async function badgePage(context, registry, badges) {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${registry.url}/repo/pkg/test/badge.html`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60_000 });
  const tuf = { 'tuf-url': `${registry.url}/tuf/ok`, 'tuf-root': `${registry.url}/tuf/ok/12.root.json` };
  await page.evaluate((list) => {
    for (const c of list) {
      const b = document.createElement('sigstore-provenance');
      b.id = c.id;
      b.tufOptions = { now: new Date('2026-08-22T00:00:00Z') }; // test-only
      for (const [k, v] of Object.entries(c.attrs)) if (v !== undefined && v !== null) b.setAttribute(k, v);
      document.getElementById('badges').append(b);
    }
  }, badges.map((c) => ({ id: c.id, attrs: { ...tuf, ...c.attrs } })));
  return page;
}

/**
 * Screenshot `target` (a page or locator) to target/screenshots/FILE, and to docs/screenshots/FILE
 * (committed) only on request: UPDATE_SCREENSHOTS=1.
 */
export async function saveShot(target, file, options = {}) {
  const { copyFileSync, mkdirSync } = await import('node:fs');
  const { dirname, join, resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const shots = join(root, 'target', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await target.screenshot({ ...options, path: join(shots, file) });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    const docs = join(root, 'docs', 'screenshots');
    mkdirSync(docs, { recursive: true });
    copyFileSync(join(shots, file), join(docs, file));
  }
}

/** Close a launched browser (`{ context, dir }` of launch()) and the servers (anything with close()). */
export async function shutdown({ context, dir }, ...servers) {
  await context.close();
  for (const s of servers) await s.close();
  const { rmSync } = await import('node:fs');
  rmSync(dir, { recursive: true, force: true });
}
