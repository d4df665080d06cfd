// The <sigstore-provenance> badge's PyPI mode (registry="pypi", pkg/src/badge-pypi.js) in headless
// Chromium against the stand-in index (pypi-index.mjs, mounted in registry.mjs's server under
// /pypi/SCENARIO), on pkg/test/badge.html: each publisher kind verified (with `file`: the
// download hashed), each fault with its code, the policy attribute, a re-verification on
// attribute change, the event, and trust from the stand-in TUF repository. Screenshots:
// target/screenshots/badge-pypi-*.png (and docs/screenshots/ with UPDATE_SCREENSHOTS=1). Prints
// failures and `pypi-badge: N passed, M failed`.
import { rmSync } from 'node:fs';
import { badgePage, launch, saveShot, tally } from './browser-util.mjs';
import { startRegistry } from './registry.mjs';
import { DISTRIBUTIONS } from './pypi-fixtures.js';

const [gh, google, circle] = DISTRIBUTIONS;
const coords = (d) => ({ project: d.project, version: d.version, filename: d.filename });
// id, attributes, scenario, and the expected publisher label or error code.
const CASES = [
  { id: 'gh', attrs: { ...coords(gh), file: '' }, scenario: 'ok', label: 'github.com/trailofbits/pypi-attestations', file: true },
  { id: 'google', attrs: coords(google), scenario: 'ok', label: google.publisher.email },
  { id: 'circle', attrs: { ...coords(circle), repository: undefined }, scenario: 'ok', label: `CircleCI project ${circle.publisher.project_id}` },
  { id: 'policy', attrs: { ...coords(gh), repository: 'someone/else' }, scenario: 'ok', code: 'PYPI_PUBLISHER_MISMATCH' },
  { id: 'missing', attrs: coords(gh), scenario: 'no-provenance', code: 'PYPI_ATTESTATION_MISSING' },
  { id: 'tampered', attrs: { ...coords(gh), file: '' }, scenario: 'tampered-file', code: 'PYPI_HASH_MISMATCH' },
  { id: 'disabled', attrs: coords(google), scenario: 'disabled', code: 'PYPI_FETCH_FAILED' },
];

const settled = () => [...document.querySelectorAll('sigstore-provenance:not(#idle)')].every((b) => b.state === 'verified' || b.state === 'failed');

function read(id) {
  const b = document.getElementById(id);
  const s = b.shadowRoot;
  return {
    state: b.state,
    text: b.text,
    statusText: s.querySelector('.status .text')?.textContent,
    links: [...s.querySelectorAll('details a')].map((a) => a.href),
    checks: [...s.querySelectorAll('details li')].map((li) => `${li.dataset.check}:${li.className}`),
    code: b.error?.code ?? null,
  };
}

function expect(c, got) {
  const p = [];
  const want = c.code ? `Provenance check failed: ${c.code}` : `Provenance verified: published by ${c.label}`;
  if (got.state !== (c.code ? 'failed' : 'verified')) p.push(`state ${got.state} (${got.code})`);
  if (c.code && got.code !== c.code) p.push(`code ${got.code}, expected ${c.code}`);
  if (got.text !== want || got.statusText !== want) p.push(`text "${got.statusText}" / "${got.text}", expected "${want}"`);
  const needed = c.code ? [`${c.code}:fail`, 'Distribution:skip', 'Index:skip'] : ['Trusted Publisher:pass', 'Rekor entries:pass', 'Subject:pass', `File integrity:${c.file ? 'pass' : 'skip'}`];
  for (const l of needed) if (!got.checks.includes(l)) p.push(`check ${l} missing (${got.checks.join(', ')})`);
  if (!c.code && !got.checks.some((l) => /^(Publish attestation|SLSA provenance):pass$/.test(l))) p.push(`no attestation row (${got.checks.join(', ')})`);
  return p;
}

const registry = await startRegistry();
const { context, dir } = await launch();
const { report, finish } = tally('pypi-badge');
try {
  const page = await badgePage(context, registry, [
    ...CASES.map((c) => ({ id: c.id, attrs: { registry: 'pypi', index: `${registry.url}/pypi/${c.scenario}`, ...c.attrs } })),
    { id: 'idle', attrs: { registry: 'pypi', project: 'x', version: '1.0' } },
  ]);
  await page.waitForFunction(settled, null, { timeout: 120_000 });
  for (const c of CASES) report(`${c.id} (${c.scenario}) ${c.code ?? 'verified'}`, expect(c, await page.evaluate(read, c.id)));
  const idle = await page.evaluate(read, 'idle');
  report('no filename: idle', idle.state === 'idle' && idle.text === 'Provenance: no distribution given' ? [] : [JSON.stringify(idle)]);
  const ghLinks = (await page.evaluate(read, 'gh')).links;
  report('a GitHub publisher links its repository', ghLinks.includes('https://github.com/trailofbits/pypi-attestations') ? [] : [ghLinks.join(', ')]);

  const events = await page.evaluate(() => window.events);
  report('one sigstore-provenance event per badge, trust from TUF', CASES.flatMap((c) => {
    const e = events.filter((x) => x.id === c.id);
    if (e.length !== 1) return [`${c.id}: ${e.length} events`];
    if (e[0].name !== c.attrs.project || e[0].version !== c.attrs.version) return [`${c.id}: event ${e[0].name} ${e[0].version}`];
    if (c.code) return e[0].error?.code === c.code ? [] : [`${c.id}: event error ${JSON.stringify(e[0].error)}`];
    return [];
  }));
  const trust = await page.evaluate(() => document.getElementById('gh').result.attestations[0].bundle.trust);
  report('the result reports the TUF trust', trust?.source === 'tuf' && trust.rootVersion === 15 ? [] : [JSON.stringify(trust)]);

  for (const [id, file] of [['gh', 'badge-pypi-verified.png'], ['missing', 'badge-pypi-failed.png']]) {
    await page.evaluate((i) => {
      document.getElementById(i).shadowRoot.querySelector('details').open = true;
    }, id);
    await saveShot(page.locator(`#${id}`), file);
  }

  // Attribute changes verify again: the policy badge without its repository pin verifies.
  const before = await page.evaluate(() => {
    document.getElementById('policy').removeAttribute('repository');
    return window.events.length;
  });
  await page.waitForFunction((n) => window.events.length > n, before, { timeout: 60_000 });
  report('attribute change (repository removed) -> verified', expect({ label: 'github.com/trailofbits/pypi-attestations' }, await page.evaluate(read, 'policy')));
} finally {
  await context.close();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
}
finish();
