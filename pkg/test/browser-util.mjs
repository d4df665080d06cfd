// The browsers the tests drive, all from Debian and npm, no browser download:
// - launch(): Debian's Chromium headless through playwright-core, with the flags this machine
//   needs (no sandbox as root, no GPU, no background networking); a playwright context.
// - openBrowser(engine): one page API over three engines, for the tests that run in each
//   (conformance-browser.mjs, www.mjs, badge-browser.mjs): 'chromium' (playwright-core),
//   'firefox' (Debian's firefox-esr through puppeteer-core over WebDriver BiDi), 'webkit'
//   (WebKitGTK's MiniBrowser through WebKitWebDriver under Xvfb, plain W3C WebDriver over HTTP).
// - tally(runtime): counts named checks and prints the `<runtime>: N passed, M failed` line.
// - STRICT_CSP / NO_WASM_CSP / CSP_ERROR: the policies the pages are served under.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

function chromiumDirs() {
  const dir = mkdtempSync(join(tmpdir(), 'sigstore-wasm-chromium-'));
  for (const d of ['config', 'cache']) mkdirSync(join(dir, d));
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  return dir;
}

export async function launch({ args = [], ignoreDefaultArgs } = {}) {
  const dir = chromiumDirs();
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    ignoreDefaultArgs,
    viewport: { width: 1100, height: 900 },
    args: [...CHROMIUM_ARGS, ...args],
  });
  return { context, dir };
}

/**
 * The same Chromium as launch(), as a playwright Browser whose `newContext()` gives fresh
 * contexts (own HTTP cache and storage, nothing shared): for page-load benchmarks
 * (benches/first-verdict.mjs). Resolves to { browser, close() }.
 */
export async function launchBrowser({ args = [] } = {}) {
  const dir = chromiumDirs();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...args] });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ENGINES = ['chromium', 'firefox', 'webkit'];

// The tests serve their pages under the strict policy (the package needs no more), and check
// that under NO_WASM_CSP it fails to load with its own error (pkg/src/browser.js) that carries
// the browser's words.
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'";
export const NO_WASM_CSP = "script-src 'self'";
export const CSP_ERROR = /^sigstore-wasm: cannot load WebAssembly: the Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src \(.+\)$/s;
export const cspHeaders = (policy) => ({ 'content-security-policy': policy });

/**
 * Open `engine` headless. Resolves to { engine, newPage(), close() }; a page has
 * goto(url), evaluate(fn, arg), waitFor(fn, arg, timeoutMs), screenshot(path, { selector,
 * fullPage }), fill / check / click (CSS selector), setFile(selector, { name, type, bytes }),
 * drop(selector, { name, type, bytes }), text(selector), colorScheme(scheme) (false where the
 * engine cannot emulate it) and errors (uncaught page errors, where the engine reports them).
 */
export async function openBrowser(engine) {
  if (engine === 'chromium') return openChromium();
  if (engine === 'firefox') return openFirefox();
  if (engine === 'webkit') return openWebKit();
  throw new Error(`unknown browser engine ${engine}`);
}

// Page actions done inside the page (Firefox and WebKit; Chromium uses playwright's own input):
// the value set and the events the demo page listens to, as typing or choosing a file gives them.
const dom = {
  fill: ([sel, value]) => {
    const el = document.querySelector(sel);
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  },
  check: ([sel]) => {
    const el = document.querySelector(sel);
    if (!el.checked) el.click();
  },
  click: ([sel]) => document.querySelector(sel).click(),
  text: ([sel]) => document.querySelector(sel)?.textContent ?? null,
  file: ([sel, f, how]) => {
    const bin = atob(f.base64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], f.name, { type: f.type }));
    const el = document.querySelector(sel);
    if (how === 'drop') {
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    } else {
      el.files = dt.files;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }
  },
};

/** The page methods written once over an engine's evaluate(fn, arg). */
function domPage(base) {
  const file = (sel, f, how) => base.evaluate(dom.file, [sel, { name: f.name, type: f.type, base64: Buffer.from(f.bytes).toString('base64') }, how]);
  return {
    fill: (sel, value) => base.evaluate(dom.fill, [sel, value]),
    check: (sel) => base.evaluate(dom.check, [sel]),
    click: (sel) => base.evaluate(dom.click, [sel]),
    text: (sel) => base.evaluate(dom.text, [sel]),
    setFile: (sel, f) => file(sel, f, 'files'),
    drop: (sel, f) => file(sel, f, 'drop'),
    async waitFor(fn, arg, timeout = 60_000) {
      const end = Date.now() + timeout;
      for (;;) {
        const v = await base.evaluate(fn, arg);
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${String(fn).slice(0, 120)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    ...base,
  };
}

async function openChromium() {
  const { context, dir } = await launch();
  return {
    engine: 'chromium',
    async newPage() {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return {
        errors,
        goto: (url) => page.goto(url),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        waitFor: (fn, arg, timeout = 60_000) => page.waitForFunction(fn, arg, { timeout }),
        screenshot: (path, { selector, fullPage } = {}) => (selector ? page.locator(selector).screenshot({ path }) : page.screenshot({ path, fullPage })),
        fill: (sel, value) => page.fill(sel, value),
        check: (sel) => page.check(sel),
        click: (sel) => page.click(sel),
        text: (sel) => page.textContent(sel),
        setFile: (sel, f) => page.setInputFiles(sel, { name: f.name, mimeType: f.type, buffer: Buffer.from(f.bytes) }),
        async drop(sel, f) {
          // A real drop event carrying a File, as a drag from the desktop delivers it.
          const dt = await page.evaluateHandle(([name, type, text]) => {
            const d = new DataTransfer();
            d.items.add(new File([text], name, { type }));
            return d;
          }, [f.name, f.type, Buffer.from(f.bytes).toString()]);
          await page.dispatchEvent(sel, 'drop', { dataTransfer: dt });
        },
        async colorScheme(colorScheme) {
          await page.emulateMedia({ colorScheme });
          return true;
        },
      };
    },
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const dir = mkdtempSync(join(tmpdir(), 'sigstore-wasm-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: join(dir, 'profile'),
    defaultViewport: { width: 1100, height: 900 },
    extraPrefsFirefox: { 'browser.shell.checkDefaultBrowser': false, 'app.update.enabled': false, 'network.proxy.type': 0 },
    env: { ...process.env, HOME: dir, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  return {
    engine: 'firefox',
    async newPage() {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      return domPage({
        errors,
        goto: (url) => page.goto(url),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        waitFor: (fn, arg, timeout = 60_000) => page.waitForFunction(fn, { timeout, polling: 100 }, arg),
        screenshot: async (path, { selector, fullPage } = {}) => (selector ? (await page.$(selector)).screenshot({ path }) : page.screenshot({ path, fullPage })),
        async colorScheme(value) {
          try {
            await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value }]);
            return true;
          } catch {
            return false;
          }
        },
      });
    },
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function openWebKit() {
  const dir = mkdtempSync(join(tmpdir(), 'sigstore-wasm-webkit-'));
  const port = await freePort();
  const binary = process.env.WEBKIT_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
  // Its own process group, so that close() ends Xvfb, the driver and the browser together.
  const driver = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x1024x24', process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver', `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache'), XDG_DATA_HOME: join(dir, 'data') },
  });
  let driverLog = '';
  driver.stderr.on('data', (d) => (driverLog = (driverLog + d).slice(-4000)));
  const kill = () => {
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {}
  };
  const base = `http://127.0.0.1:${port}`;
  // Every WebDriver call has a timeout: a session request the browser never answers hangs.
  async function wd(method, path, body, timeout = 60_000) {
    const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeout) });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  }
  let session;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await wd('GET', '/status', undefined, 2000)).ready) break;
      } catch (e) {
        if (i > 150) throw new Error(`WebKitWebDriver did not start: ${e.message}
${driverLog}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    session = await wd('POST', '/session', { capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary, args: ['--automation'] } } } }, 60_000);
  } catch (e) {
    kill();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const s = `/session/${session.sessionId}`;
  await wd('POST', `${s}/window/rect`, { width: 1100, height: 900 }).catch(() => {});
  const png = (path, b64) => writeFileSync(path, Buffer.from(b64, 'base64'));
  // The function's source goes into the script body (no eval in the page: it would be subject
  // to the page's CSP); its result or error comes back through the async script's callback.
  const evaluate = async (fn, arg) => {
    const script = `const done = arguments[1];
      Promise.resolve().then(() => (${fn})(arguments[0])).then((v) => done({ v: v === undefined ? null : v }), (e) => done({ e: String(e && e.stack || e) }));`;
    const r = await wd('POST', `${s}/execute/async`, { script, args: [arg ?? null] }, 130_000);
    if (r && 'e' in r) throw new Error(r.e);
    return r?.v;
  };
  return {
    engine: 'webkit',
    // One WebDriver session has one window: every newPage() is that window.
    async newPage() {
      return domPage({
        errors: [],
        goto: (url) => wd('POST', `${s}/url`, { url }),
        evaluate,
        async screenshot(path, { selector } = {}) {
          if (!selector) return png(path, await wd('GET', `${s}/screenshot`));
          const el = await wd('POST', `${s}/element`, { using: 'css selector', value: selector });
          return png(path, await wd('GET', `${s}/element/${Object.values(el)[0]}/screenshot`));
        },
        colorScheme: async () => false,
      });
    },
    async close() {
      await wd('DELETE', s, undefined, 10_000).catch(() => {});
      kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Print a page's uncaught errors, each once and shortened (a demo page offline logs many). */
export function printPageErrors(page) {
  const seen = [...new Set(page.errors)];
  for (const e of seen.slice(0, 8)) console.error(`page error: ${e.length > 300 ? `${e.slice(0, 300)}…` : e}`);
  if (seen.length > 8) console.error(`page error: … and ${seen.length - 8} more`);
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
