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
