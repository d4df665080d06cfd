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

  // verifyNpmLock: the lock of tests/data/npm (five attested packages, a link, a workspace
  // folder), served by the stand-in under /repo/, with faults of its own per package.
  const lockText = async () => (await fetch(`${base}/repo/tests/data/npm/package-lock.json`)).text();
  const SIGSTORE_INTEGRITY = 'sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==';
  // The registry has no attestations for tuf-js (its version document still lists them) nor
  // for @playwright/cli (whose version document then lists none).
  const doctoredFetch = () =>
    countingFetch(async (url, init) => {
      const u = String(url);
      if (u.endsWith('/-/npm/v1/attestations/tuf-js@1.0.0') || u.endsWith('/-/npm/v1/attestations/@playwright%2fcli@0.1.1')) {
        return new Response('{"error":"Not found"}', { status: 404, headers: { 'content-type': 'application/json' } });
      }
      const res = await fetch(url, init);
      if (!u.endsWith('/@playwright%2fcli/0.1.1')) return res;
      const doc = await res.json();
      delete doc.dist.attestations;
      return new Response(JSON.stringify(doc), { status: 200, headers: { 'content-type': 'application/json' } });
    });
  const faultyLock = async () => {
    const lock = JSON.parse(await lockText());
    lock.packages['node_modules/gundam-visor'].integrity = SIGSTORE_INTEGRITY; // another tarball's
    lock.packages['node_modules/left-pad'] = { version: '1.3.0', integrity: SIGSTORE_INTEGRITY }; // not in the registry
    return lock;
  };
  const verifyNpmLock = async (lock, options = {}) => api.verifyNpmLock(lock, { tuf: await localTuf(), registry: registry(), ...options });

  t('verifyNpmLock: the lock of tests/data/npm verifies, package by package, in lock order', async () => {
    const r = await verifyNpmLock(await lockText());
    const names = r.packages.map((p) => `${p.name}@${p.version}`);
    const want = ['@playwright/cli@0.1.1', '@trishankatdatadog/supreme-goggles@1.0.5', 'gundam-visor@1.0.1', 'sigstore@1.0.0', 'tuf-js@1.0.0'];
    check(JSON.stringify(names) === JSON.stringify(want), `order ${names}`);
    for (const p of r.packages) {
      check(p.status === 'verified' && p.verified === true && !p.error, `${p.name}: ${JSON.stringify(p.error)}`);
      check(p.result.name === p.name && p.result.provenance.sourceRepository.startsWith('https://github.com/'), p.name);
      check(p.result.registrySignatures.length === 1 && p.result.registry === registry(), `${p.name}: registry signature`);
    }
    check(JSON.stringify(r.summary) === JSON.stringify({ packages: 5, verified: 5, withProvenance: 5, noProvenance: 0, failed: 0, skipped: 3 }), JSON.stringify(r.summary));
    check(JSON.stringify(r.skipped.map((s) => s.reason).sort()) === JSON.stringify(['link', 'the project itself', 'workspace folder']), JSON.stringify(r.skipped));
  });

  t('verifyNpmLock: failures are reported per package (ARTIFACT_MISMATCH, NPM_FETCH_FAILED, NPM_ATTESTATION_MISSING), never thrown', async () => {
    const f = doctoredFetch();
    const r = await verifyNpmLock(await faultyLock(), { fetch: f });
    const by = Object.fromEntries(r.packages.map((p) => [p.name, p]));
    const failed = (name, code) => check(by[name].status === 'failed' && by[name].verified === false && by[name].error.code === code && typeof by[name].error.message === 'string', `${name}: ${JSON.stringify(by[name].error ?? by[name].status)}`);
    failed('gundam-visor', 'ARTIFACT_MISMATCH');
    failed('left-pad', 'NPM_FETCH_FAILED');
    failed('tuf-js', 'NPM_ATTESTATION_MISSING');
    // No attestations and none listed: passes on the registry signature alone.
    const pw = by['@playwright/cli'];
    check(pw.status === 'no-provenance' && pw.verified === true && pw.result.provenance === null && pw.result.registrySignatures.length === 1, JSON.stringify(pw));
    check(by.sigstore.status === 'verified' && by['@trishankatdatadog/supreme-goggles'].status === 'verified', 'the others verify');
    check(JSON.stringify(r.summary) === JSON.stringify({ packages: 6, verified: 3, withProvenance: 2, noProvenance: 1, failed: 3, skipped: 3 }), JSON.stringify(r.summary));
    // Each package's two documents once, the registry keys at most once (one verifier).
    check(f.urls.filter((u) => u.includes('/-/npm/v1/attestations/')).length === 6, `urls: ${f.urls}`);
    check(f.urls.filter((u) => u.endsWith('/-/npm/v1/keys')).length <= 1, `urls: ${f.urls}`);
    // requireAttestations: the package without attestations fails too.
    const strict = await verifyNpmLock(await faultyLock(), { fetch: doctoredFetch(), requireAttestations: true });
    const spw = strict.packages.find((p) => p.name === '@playwright/cli');
    check(spw.status === 'failed' && spw.error.code === 'NPM_ATTESTATION_MISSING', JSON.stringify(spw));
    // A policy for one repository: the others fail IDENTITY_MISMATCH, that one verifies.
    const pinned = await verifyNpmLock(await lockText(), { policy: { repository: 'sigstore/sigstore-js' } });
    for (const p of pinned.packages) check(p.name === 'sigstore' ? p.status === 'verified' : p.error?.code === 'IDENTITY_MISMATCH', `${p.name}: ${p.status} ${p.error?.code}`);
  });

  t('verifyNpmLock: the same results whatever the concurrency, for the lock as text or object; at most `concurrency` packages in flight', async () => {
    const strip = (r) => JSON.stringify(r);
    const lock = await faultyLock();
    let inFlight = 0;
    let most = 0;
    const gauge = async (url, init) => {
      const versionDoc = !String(url).includes('/-/npm/v1/');
      if (versionDoc) most = Math.max(most, ++inFlight);
      try {
        return await doctoredFetch()(url, init);
      } finally {
        if (versionDoc) inFlight--;
      }
    };
    const one = await verifyNpmLock(lock, { fetch: doctoredFetch(), concurrency: 1 });
    const two = await verifyNpmLock(JSON.stringify(lock), { fetch: gauge, concurrency: 2 });
    const many = await verifyNpmLock(lock, { fetch: doctoredFetch(), concurrency: 64 });
    check(strip(one) === strip(two) && strip(one) === strip(many), 'results differ with concurrency');
    check(most >= 1 && most <= 2, `${most} packages in flight with concurrency 2`);
    // lockfileVersion 1 (nested dependencies) lists the same packages.
    const v1 = { lockfileVersion: 1, dependencies: { sigstore: { version: '1.0.0', integrity: SIGSTORE_INTEGRITY, dependencies: { 'tuf-js': { version: '1.0.0', integrity: lock.packages['node_modules/sigstore/node_modules/tuf-js'].integrity } } } } };
    const r1 = await verifyNpmLock(v1);
    check(r1.packages.map((p) => p.status).join() === 'verified,verified', JSON.stringify(r1.summary));
  });

  t('verifyNpmLock: an unusable lock fails NPM_DOCUMENT_INVALID, bad options INPUT_INVALID, an aborted signal NPM_FETCH_FAILED', async () => {
    for (const bad of ['{', '[]', '{}', '{"packages":[]}', '{"packages":{"node_modules/a":1}}', 42]) {
      await rejects(verifyNpmLock(bad), 'NPM_DOCUMENT_INVALID');
    }
    const lock = await lockText();
    for (const concurrency of [0, -1, 1.5, '8']) await rejects(verifyNpmLock(lock, { concurrency }), 'INPUT_INVALID');
    await rejects(verifyNpmLock(lock, { requireAttestations: 'yes' }), 'INPUT_INVALID');
    await rejects(verifyNpmLock(lock, { registry: 'file:///etc' }), 'INPUT_INVALID');
    await rejects(verifyNpmLock(lock, { policy: { repo: 'x/y' } }), 'INPUT_INVALID');
    // The trust cannot be set up: the whole audit fails, as the CLI's does.
    await rejects(verifyNpmLock(lock, { registry: registry('down'), keys: 'registry' }), 'NPM_FETCH_FAILED');
    const ctl = new AbortController();
    ctl.abort(new Error('stop'));
    await rejects(verifyNpmLock(lock, { signal: ctl.signal, tuf: false, keys: await (await fetch(`${registry()}/-/npm/v1/keys`)).text() }), 'NPM_FETCH_FAILED');
    // An empty lock: nothing to check, nothing fails.
    const empty = await verifyNpmLock({ lockfileVersion: 3, packages: { '': { name: 'x', version: '1.0.0' } } });
    check(empty.packages.length === 0 && empty.summary.skipped === 1 && empty.summary.failed === 0, JSON.stringify(empty));
  });

  return tests;
}

/** Run all tests; resolves to `[{ name, ok, error }]`. */
export function runNpmTests(api, base) {
  return runAll(npmTests(api, base));
}

export { runNpmTests as runCases };
