// npm provenance tests against the stand-in registry (pkg/test/registry.mjs), written once and run
// in Node (npm.test.mjs) and in Chromium (npm.html via npm-chromium.mjs). Each test is
// `{ name, run: async () => void }` and throws on failure.
import { PACKAGES, SCENARIOS } from './npm-fixtures.js';
import { check, rejects, countingFetch, trickleFetch, runAll, localTufOptions } from './case-util.js';

export function npmTests(api, base) {
  const registry = (s = 'ok') => `${base}/r/${s}`;
  const tests = [];
  const t = (name, run) => tests.push({ name, run });
  // The trust comes from TUF by default: here the stand-in TUF repository beside the registry
  // (tuf-repo.mjs), from root 12 at a time inside its metadata's validity, with its own fetch
  // (so the tests that count the registry's requests see only those) and a memory cache.
  const localTuf = localTufOptions(api, base);
  const verifyNpmPackage = async (name, version, options = {}) => api.verifyNpmPackage(name, version, { tuf: await localTuf(), ...options });
  const withoutRegistryFields = (r) => {
    const { registry: _r, tarball: _t, ...rest } = r;
    return JSON.stringify(rest);
  };

  for (const p of PACKAGES) {
    const spec = `${p.name}@${p.version}`;
    t(`${spec}: verifies from the registry (provenance ${p.provenance.split('/').pop()} + publish + registry signature)`, async () => {
      const r = await verifyNpmPackage(p.name, p.version, { registry: registry() });
      check(r.verified === true, 'verified');
      check(r.name === p.name && r.version === p.version, 'name and version');
      check(r.purl === `pkg:npm/${p.name.replace(/^@/, '%40')}@${p.version}`, `purl ${r.purl}`);
      check(r.provenance.predicateType === p.provenance, r.provenance.predicateType);
      check(r.provenance.sourceRepository === `https://github.com/${p.repository}`, r.provenance.sourceRepository);
      check(/^[0-9a-f]{40}$/.test(r.provenance.commit), `commit ${r.provenance.commit}`);
      check(r.provenance.tlog && r.provenance.tlog.logIndex > 0 && r.provenance.tlog.integratedTime, 'provenance log entry');
      check(r.publish.predicateType === 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1', 'publish');
      check(r.registrySignatures.length === 1, 'one registry signature');
      check(r.registry === registry() && r.tarball === null, 'registry, no tarball');
    });
    if (p.tarball) {
      t(`${spec}: tarball streamed and hashed (sha512) while it downloads`, async () => {
        const r = await verifyNpmPackage(p.name, p.version, { registry: registry(), tarball: true, fetch: trickleFetch() });
        check(r.tarball && r.tarball.bytes > 0 && r.tarball.integrityVerified === true, JSON.stringify(r.tarball));
        check(r.tarball.url.endsWith('.tgz'), r.tarball.url);
      });
    }
  }

  // Every fault, on an unscoped package and on a scoped one (and on a tarball one for tarball faults).
  for (const [scenario, want] of Object.entries(SCENARIOS)) {
    if (!want.code) continue;
    for (const p of [PACKAGES[0], PACKAGES[3]]) {
      if (want.tarball && !p.tarball) continue;
      const name = want.typo ? `${p.name}-typo` : p.name;
      t(`${name}@${p.version}, scenario ${scenario}: fails with ${want.code}`, async () => {
        await rejects(verifyNpmPackage(name, p.version, { registry: registry(scenario), tarball: !!want.tarball }), want.code);
      });
    }
  }

  t('policy { repository } of the right repository passes; another repository fails IDENTITY_MISMATCH', async () => {
    const p = PACKAGES[0];
    const r = await verifyNpmPackage(p.name, p.version, { registry: registry(), policy: { repository: p.repository } });
    check(r.provenance.identity.rule === `github:${p.repository}`, r.provenance.identity.rule);
    await rejects(verifyNpmPackage(p.name, p.version, { registry: registry(), policy: { repository: 'npm/cli' } }), 'IDENTITY_MISMATCH');
  });

  t('policy with a GitLab issuer fails ISSUER_MISMATCH; unknown fields and incomplete identities fail INPUT_INVALID', async () => {
    const p = PACKAGES[0];
    await rejects(verifyNpmPackage(p.name, p.version, { registry: registry(), policy: { identityRegex: '.*', issuer: 'https://gitlab.com' } }), 'ISSUER_MISMATCH');
    await rejects(verifyNpmPackage(p.name, p.version, { registry: registry(), policy: { repo: 'x/y' } }), 'INPUT_INVALID');
    // Half a custom identity, or a repository combined with one, is refused rather than widened.
    for (const policy of [{ identityRegex: '.*' }, { issuer: 'https://gitlab.com' }, { repository: 'a/b', identityRegex: '.*', issuer: 'x' }, { identityRegex: '.*', issuer: 'a', issuerRegex: 'b' }]) {
      await rejects(verifyNpmPackage(p.name, p.version, { registry: registry(), policy }), 'INPUT_INVALID');
    }
    await rejects(verifyNpmPackage(p.name, p.version, { registry: registry(), policy: { identityRegex: '(', issuer: 'a' } }), 'POLICY_INVALID');
  });

  t('requireProvenance: false accepts a version without attestations only when the packument lists none', async () => {
    const p = PACKAGES[0];
    await rejects(verifyNpmPackage(p.name, p.version, { registry: registry('no-attestations'), policy: { requireProvenance: false, requirePublish: false } }), 'NPM_ATTESTATION_MISSING');
  });

  t('names that could leave the registry path are refused before any request', async () => {
    const f = countingFetch();
    for (const [n, v] of [['../x', '1.0.0'], ['a', '..'], ['@s/../x', '1'], ['a b', '1'], ['a', '1?x=1']]) {
      await rejects(verifyNpmPackage(n, v, { registry: registry(), fetch: f }), 'INPUT_INVALID');
    }
    check(f.urls.length === 0, `requests made: ${f.urls}`);
    await rejects(verifyNpmPackage('a', '1', { registry: 'file:///etc', fetch: f }), 'INPUT_INVALID');
  });

  t('network errors and HTTP errors are NPM_FETCH_FAILED', async () => {
    const broken = () => Promise.reject(new TypeError('network down'));
    await rejects(verifyNpmPackage('sigstore', '1.0.0', { registry: registry(), fetch: broken }), 'NPM_FETCH_FAILED');
    await rejects(verifyNpmPackage('sigstore', '9.9.9', { registry: registry() }), 'NPM_FETCH_FAILED');
  });

  t('the fetch option is used, and the registry keys are fetched once per registry', async () => {
    const f = countingFetch();
    const fresh = `${base}/r/ok/`; // trailing slash: same registry, normalised
    await verifyNpmPackage('tuf-js', '1.0.0', { registry: fresh, fetch: f });
    await verifyNpmPackage('sigstore', '1.0.0', { registry: fresh, fetch: f });
    const keys = f.urls.filter((u) => u.endsWith('/-/npm/v1/keys'));
    check(f.urls.length >= 4, `requests: ${f.urls}`);
    check(keys.length <= 1, `keys fetched ${keys.length} times`);
    check(f.urls.every((u) => u.startsWith(`${base}/r/ok/`) && !u.includes('//-')), `urls: ${f.urls}`);
    check(f.urls.some((u) => u.endsWith('/-/npm/v1/attestations/tuf-js@1.0.0')), 'attestations URL');
  });

  t('scoped names are requested as @scope%2fname', async () => {
    const f = countingFetch();
    const p = PACKAGES[4];
    await verifyNpmPackage(p.name, p.version, { registry: registry(), fetch: f });
    check(f.urls.includes(`${registry()}/@playwright%2fcli/0.1.1`), `urls: ${f.urls}`);
    check(f.urls.includes(`${registry()}/-/npm/v1/attestations/@playwright%2fcli@0.1.1`), `urls: ${f.urls}`);
  });

  t('NpmVerifier on pre-fetched documents gives the same result as verifyNpmPackage', async () => {
    const get = async (path) => (await fetch(`${registry()}${path}`)).text();
    const keys = await get('/-/npm/v1/keys');
    const v = new api.NpmVerifier({ keys });
    try {
      for (const p of PACKAGES) {
        const esc = p.name.replace('/', '%2f');
        const packument = await get(`/${esc}/${p.version}`);
        const attestations = JSON.parse(await get(`/-/npm/v1/attestations/${esc}@${p.version}`));
        const integrity = JSON.parse(packument).dist.integrity;
        const a = v.verify({ name: p.name, version: p.version, integrity, attestations, packument });
        const b = await verifyNpmPackage(p.name, p.version, { registry: registry(), keys, tuf: false });
        check(withoutRegistryFields(a) === withoutRegistryFields(b), `${p.name}: results differ`);
        // The digest form of the integrity, and the one-shot form.
        const c = api.verifyNpmDocuments({ name: p.name, version: p.version, integrity: api.integritySha512(integrity), attestations, packument, keys });
        check(withoutRegistryFields(c) === withoutRegistryFields(a), `${p.name}: digest form differs`);
      }
      // Without a packument only the attestations are checked (registrySignatures: null).
      const p = PACKAGES[1];
      const attestations = await get(`/-/npm/v1/attestations/${p.name}@${p.version}`);
      const integrity = JSON.parse(await get(`/${p.name}/${p.version}`)).dist.integrity;
      const r = v.verify({ name: p.name, version: p.version, integrity, attestations });
      check(r.registrySignatures === null, 'no registry signatures checked');
      let e;
      try {
        v.verify({ name: p.name, version: p.version, integrity: 'sha512-AAAA', attestations });
      } catch (x) {
        e = x;
      }
      check(e?.code === 'INPUT_INVALID', `bad integrity: ${e?.code}`);
    } finally {
      v.free();
    }
  });

  t('a malformed keys document fails NPM_DOCUMENT_INVALID', async () => {
    let e;
    try {
      new api.NpmVerifier({ keys: '{"keys": 3}' });
    } catch (x) {
      e = x;
    }
    check(e?.code === 'NPM_DOCUMENT_INVALID', `got ${e?.code}`);
  });

  t('by default the trusted root comes from TUF (the stand-in repository), reported as trust', async () => {
    const p = PACKAGES[0];
    const r = await verifyNpmPackage(p.name, p.version, { registry: registry() });
    const trust = r.provenance.bundle.trust;
    check(trust?.source === 'tuf', `trust ${JSON.stringify(trust)}`);
    check(trust.rootVersion === 15 && trust.timestampVersion === 762 && trust.fresh === true, `trust ${JSON.stringify(trust)}`);
    check(r.publish.bundle.trust.source === 'tuf', 'the publish bundle reports the same trust');
    const pinned = await verifyNpmPackage(p.name, p.version, { registry: registry(), tuf: false });
    check(pinned.provenance.bundle.trust?.source === 'embedded', `tuf: false -> ${JSON.stringify(pinned.provenance.bundle.trust)}`);
  });

  t("keys: 'tuf' takes the registry keys from the TUF target registry.npmjs.org/keys.json", async () => {
    // A version whose registry signature is npm's own (not the stand-in's key).
    const p = PACKAGES.find((x) => !x.tarball);
    const f = countingFetch();
    const r = await verifyNpmPackage(p.name, p.version, { registry: registry(), keys: 'tuf', fetch: f });
    check(r.verified === true && r.provenance.bundle.trust.source === 'tuf', 'verified over TUF');
    check(!f.urls.some((u) => u.endsWith('/-/npm/v1/keys')), `the registry's keys were fetched: ${f.urls}`);
    // A version signed by the stand-in's key, which the TUF target does not list.
    const q = PACKAGES.find((x) => x.tarball);
    await rejects(verifyNpmPackage(q.name, q.version, { registry: registry(), keys: 'tuf' }), 'NPM_KEY_UNKNOWN');
  });

  return tests;
}

/** Run all tests; resolves to `[{ name, ok, error }]`. */
export function runNpmTests(api, base) {
  return runAll(npmTests(api, base));
}

export { runNpmTests as runCases };
