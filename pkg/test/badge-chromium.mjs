// The <sigstore-provenance> badge (pkg/src/badge.js) in headless Chromium, against the stand-in
// registry (registry.mjs), which also serves the pages: the demo page (www/?registry=…) and
// pkg/test/badge.html, where each case adds a badge pointed at one registry scenario. Checks the
// verified / failed states, the linked repository and commit, the status text, the event, and a
// re-verification on attribute change, and the trust options: `tuf-url` + `tuf-root` (the
// stand-in TUF repository, tuf-repo.mjs, mounted at /tuf/ok; `tufOptions.now` inside its
// metadata's validity), `tuf-offline` (from the Cache API cache that run left), `trusted-root`. Screenshots: target/screenshots/ (and
// docs/screenshots/badge-{verified,failed}.png with UPDATE_SCREENSHOTS=1). Prints failures and `badge: N passed, M failed`.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { badgePage, launch, tally } from './browser-util.mjs';
import { startRegistry } from './registry.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'target', 'screenshots');
const docs = join(root, 'docs', 'screenshots');
mkdirSync(shots, { recursive: true });
// docs/screenshots/ (committed) is refreshed only on request: UPDATE_SCREENSHOTS=1.
const updateDocs = process.env.UPDATE_SCREENSHOTS === '1';
if (updateDocs) mkdirSync(docs, { recursive: true });

// id, attributes, scenario, expected: a source repo + commit, or an error code.
const CASES = [
  { id: 'gundam', attrs: { package: 'gundam-visor', version: '1.0.1', tarball: '' }, scenario: 'ok', repo: 'ramonpetgrave64/gundam-visor', commit: '599500821344b070902a7a5666064bfdaba715df', tarball: true },
  { id: 'sigstore', attrs: { package: 'sigstore', version: '1.0.0', repository: 'sigstore/sigstore-js' }, scenario: 'ok', repo: 'sigstore/sigstore-js' },
  { id: 'expired', attrs: { package: 'sigstore', version: '1.0.0' }, scenario: 'expired-key', code: 'NPM_KEY_EXPIRED' },
  { id: 'integrity', attrs: { package: 'gundam-visor', version: '1.0.1' }, scenario: 'wrong-integrity', code: 'ARTIFACT_MISMATCH' },
  { id: 'tampered', attrs: { package: 'gundam-visor', version: '1.0.1', tarball: '' }, scenario: 'tampered-tarball', code: 'ARTIFACT_MISMATCH' },
  { id: 'policy', attrs: { package: 'tuf-js', version: '1.0.0', repository: 'sigstore/sigstore-js' }, scenario: 'ok', code: 'IDENTITY_MISMATCH' },
  { id: 'down', attrs: { package: 'sigstore', version: '1.0.0' }, scenario: 'down', code: 'NPM_FETCH_FAILED' },
];

const settled = () => [...document.querySelectorAll('sigstore-provenance')].every((b) => b.state === 'verified' || b.state === 'failed');

// What a badge shows, read through its (open) shadow root.
function read(id) {
  const b = document.getElementById(id);
  const s = b.shadowRoot;
  const status = s.querySelector('[role=status]');
  return {
    state: b.state,
    hostState: b.dataset.state,
    text: b.text,
    statusText: s.querySelector('.status .text')?.textContent,
    ariaLive: status?.getAttribute('aria-live'),
    repoHref: s.querySelector('a.repo')?.href ?? null,
    commitHref: s.querySelector('a.commit')?.href ?? null,
    checks: [...s.querySelectorAll('details li')].map((li) => ({ label: li.dataset.check, status: li.className, text: li.textContent })),
    code: b.error?.code ?? null,
  };
}

function expect(c, got) {
  const p = [];
  if (c.code) {
    if (got.state !== 'failed') p.push(`state ${got.state}, expected failed`);
    if (got.code !== c.code) p.push(`code ${got.code}, expected ${c.code}`);
    const want = `Provenance check failed: ${c.code}`;
    if (got.text !== want || got.statusText !== want) p.push(`text "${got.statusText}" / "${got.text}", expected "${want}"`);
    if (!got.checks.some((x) => x.status === 'fail' && x.label === c.code)) p.push('the details do not show the failing code');
    if (got.repoHref || got.commitHref) p.push('a failed badge links a repository');
  } else {
    if (got.state !== 'verified') p.push(`state ${got.state} (${got.code}), expected verified`);
    const repoUrl = `https://github.com/${c.repo}`;
    if (got.repoHref !== repoUrl) p.push(`repository link ${got.repoHref}, expected ${repoUrl}`);
    const sha = got.commitHref?.split('/commit/')[1] ?? '';
    if (!/^[0-9a-f]{40}$/.test(sha) || got.commitHref !== `${repoUrl}/commit/${sha}`) p.push(`commit link ${got.commitHref}`);
    if (c.commit && sha !== c.commit) p.push(`commit ${sha}, expected ${c.commit}`);
    const want = `Provenance verified: built by github.com/${c.repo} at commit ${sha.slice(0, 7)}`;
    if (got.text !== want || got.statusText !== want) p.push(`text "${got.statusText}" / "${got.text}", expected "${want}"`);
    const labels = got.checks.map((x) => `${x.label}:${x.status}`);
    for (const l of ['Provenance:pass', 'Source:pass', 'Publish attestation:pass', 'Registry signature:pass', 'Rekor entries:pass', `Tarball integrity:${c.tarball ? 'pass' : 'skip'}`]) {
      if (!labels.includes(l)) p.push(`check ${l} missing (${labels.join(', ')})`);
    }
    const rekor = got.checks.find((x) => x.label === 'Rekor entries')?.text ?? '';
    if (!/log index \d+, integrated \d{4}-\d\d-\d\dT/.test(rekor)) p.push(`Rekor row: ${rekor}`);
  }
  if (got.ariaLive !== 'polite') p.push('no aria-live status');
  if (got.hostState !== got.state) p.push('data-state not reflected on the element');
  return p;
}

const registry = await startRegistry();
const { context, dir } = await launch();
const { report, finish } = tally('badge');
try {
  // 1. The test page: one badge per case.
  const page = await badgePage(context, registry, CASES.map((c) => ({ id: c.id, attrs: { ...c.attrs, registry: registry.registry(c.scenario) } })));
  await page.waitForFunction(settled, null, { timeout: 120_000 });
  for (const c of CASES) report(`${c.id} (${c.scenario}) ${c.code ?? 'verified'}`, expect(c, await page.evaluate(read, c.id)));

  // Each badge fired one event, with the result or the error.
  const events = await page.evaluate(() => window.events);
  report('one sigstore-provenance event per badge', CASES.flatMap((c) => {
    const e = events.filter((x) => x.id === c.id);
    if (e.length !== 1) return [`${c.id}: ${e.length} events`];
    if (c.code) return e[0].error?.code === c.code ? [] : [`${c.id}: event error ${JSON.stringify(e[0].error)}`];
    if (e[0].result?.name !== c.attrs.package) return [`${c.id}: event without result`];
    return e[0].result.trust?.source === 'tuf' ? [] : [`${c.id}: trust ${JSON.stringify(e[0].result.trust)}`];
  }));

  // Screenshots of one verified (details open) and one failed badge.
  for (const [id, file] of [['gundam', 'badge-verified.png'], ['expired', 'badge-failed.png']]) {
    await page.evaluate((i) => {
      document.getElementById(i).shadowRoot.querySelector('details').open = true;
    }, id);
    await page.locator(`#${id}`).screenshot({ path: join(shots, file) });
    if (updateDocs) copyFileSync(join(shots, file), join(docs, file));
    await page.evaluate((i) => {
      document.getElementById(i).shadowRoot.querySelector('details').open = false;
    }, id);
  }
  await page.screenshot({ path: join(shots, 'badge-page.png'), fullPage: true });

  // prefers-color-scheme: dark gives the badge its dark colours.
  const background = () => getComputedStyle(document.getElementById('gundam').shadowRoot.querySelector('.badge')).backgroundColor;
  const light = await page.evaluate(background);
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(background);
  await page.locator('#badges').screenshot({ path: join(shots, 'badge-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  report('prefers-color-scheme: dark', light !== dark && dark === 'rgb(28, 32, 40)' ? [] : [`background ${light} (light), ${dark} (dark)`]);

  // 2. Attribute changes verify again: the expired-key badge pointed at the `ok` registry turns
  // verified; then a version the registry does not have fails with NPM_FETCH_FAILED.
  const steps = [
    [{ registry: registry.registry('ok') }, { repo: 'sigstore/sigstore-js' }],
    [{ version: '9.9.9' }, { code: 'NPM_FETCH_FAILED' }],
  ];
  for (const [attrs, want] of steps) {
    const before = await page.evaluate((a) => {
      const b = document.getElementById('expired');
      for (const [k, v] of Object.entries(a)) b.setAttribute(k, v);
      return window.events.length;
    }, attrs);
    await page.waitForFunction((n) => window.events.length > n, before, { timeout: 60_000 });
    report(`attribute change ${JSON.stringify(attrs)} -> ${want.code ?? 'verified'}`, expect(want, await page.evaluate(read, 'expired')));
  }

  // 3. Trust from the local TUF repository: the result (and the event) report trust.source 'tuf'
  // (root 12 -> 15); then offline from the Cache API cache; then a pinned trusted root.
  const tufUrl = `${registry.url}/tuf/ok`;
  const TUF_CASES = [
    { id: 'tuf', attrs: { 'tuf-url': tufUrl, 'tuf-root': `${tufUrl}/12.root.json` }, source: 'tuf' },
    { id: 'tuf-offline', attrs: { 'tuf-url': tufUrl, 'tuf-root': `${tufUrl}/12.root.json`, 'tuf-offline': '' }, source: 'tuf' },
    { id: 'pinned', attrs: { 'trusted-root': '../../tests/data/tuf/targets/trusted_root.json' }, source: 'given' },
  ];
  const metadataRequests = () => registry.requests.filter((u) => u.startsWith('/tuf/ok/') && u !== '/tuf/ok/12.root.json').length;
  for (const c of TUF_CASES) {
    const fetchedBefore = metadataRequests();
    const before = await page.evaluate(
      ({ c, registry, now }) => {
        const b = document.createElement('sigstore-provenance');
        b.id = c.id;
        b.tufOptions = { now: new Date(now) }; // test-only: a time inside the vendored metadata's validity
        for (const [k, v] of Object.entries({ package: 'gundam-visor', version: '1.0.1', registry, ...c.attrs })) b.setAttribute(k, v);
        const n = window.events.length;
        document.getElementById('badges').append(b);
        return n;
      },
      { c, registry: registry.registry('ok'), now: '2026-08-22T00:00:00Z' },
    );
    await page.waitForFunction((n) => window.events.length > n, before, { timeout: 60_000 });
    const got = await page.evaluate(read, c.id);
    const ev = await page.evaluate((id) => window.events.filter((e) => e.id === id), c.id);
    const p = expect({ repo: 'ramonpetgrave64/gundam-visor', commit: '599500821344b070902a7a5666064bfdaba715df' }, got);
    const trust = ev[0]?.result?.trust;
    if (ev.length !== 1) p.push(`${ev.length} events`);
    if (trust?.source !== c.source) p.push(`event trust ${JSON.stringify(trust)}, expected source ${c.source}`);
    if (c.source === 'tuf' && (trust?.rootVersion !== 15 || trust?.url !== tufUrl)) p.push(`trust ${JSON.stringify(trust)}, expected root 15 from ${tufUrl}`);
    const prop = await page.evaluate((id) => (document.getElementById(id).result?.provenance?.bundle?.trust ?? {}).source, c.id);
    if (prop !== c.source) p.push(`element.result trust source ${prop}`);
    if (c.id !== 'tuf' && metadataRequests() !== fetchedBefore) p.push('TUF metadata fetched (offline or pinned)');
    report(`trust: ${JSON.stringify(c.attrs)} -> ${c.source}`, p);
  }
  const tufPaths = registry.requests.filter((u) => u.startsWith('/tuf/ok/'));
  report('the badge fetched the TUF metadata from the local repository', ['/tuf/ok/12.root.json', '/tuf/ok/13.root.json', '/tuf/ok/timestamp.json'].every((u) => tufPaths.includes(u)) ? [] : [`requests: ${tufPaths.join(', ')}`]);

  // 4. The demo page, its badges pointed at the stand-in registry.
  await page.goto(`${registry.url}/repo/www/index.html?registry=${encodeURIComponent(registry.registry('ok'))}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('sigstore-provenance').length === 3, null, { timeout: 60_000 });
  await page.waitForFunction(settled, null, { timeout: 120_000 });
  const demo = await page.evaluate(() => [...document.querySelectorAll('#npm-badges sigstore-provenance')].map((b) => ({ pkg: b.getAttribute('package'), state: b.state, code: b.error?.code ?? null, text: b.text })));
  const wantDemo = [['sigstore', 'verified', null], ['gundam-visor', 'verified', null], ['tuf-js', 'failed', 'IDENTITY_MISMATCH']];
  report('demo page badges', wantDemo.flatMap(([pkg, state, code], i) =>
    demo[i]?.pkg === pkg && demo[i].state === state && demo[i].code === code ? [] : [`${pkg}: ${JSON.stringify(demo[i])}, expected ${state} ${code ?? ''}`]));
  await page.locator('#npm-badges').screenshot({ path: join(shots, 'www-badges.png') });
} finally {
  await context.close();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
}
finish();
