// PyPI (PEP 740) tests against the stand-in index (pkg/test/pypi-index.mjs, served by
// registry.mjs), written once and run in Node (pypi.test.mjs) and in Chromium (pypi.html via
// pypi-chromium.mjs). Each test is `{ name, run: async () => void }` and throws on failure.
import { DISTRIBUTIONS, PYPI_SCENARIOS } from './pypi-fixtures.js';
import { check, rejects, countingFetch, trickleFetch, runAll, localTufOptions } from './case-util.js';

export function pypiTests(api, base) {
  const index = (s = 'ok') => `${base}/pypi/${s}`;
  const tests = [];
  const t = (name, run) => tests.push({ name, run });
  const localTuf = localTufOptions(api, base);
  const verify = async (d, options = {}) => api.verifyPypiDistribution(d.project, d.version, d.filename, { index: index(), tuf: await localTuf(), ...options });
  const [gh] = DISTRIBUTIONS;

  for (const d of DISTRIBUTIONS) {
    t(`${d.filename}: verifies from the index (${d.publisher.kind} publisher, ${d.attestations} attestation(s))`, async () => {
      const r = await verify(d);
      check(r.verified === true, 'verified');
      check(r.filename === d.filename && r.project === d.project && r.version === d.version, `coordinates ${r.filename} ${r.project} ${r.version}`);
      check(r.purl === `pkg:pypi/${d.project}@${d.version}`, r.purl);
      check(/^[0-9a-f]{64}$/.test(r.sha256), r.sha256);
      check(r.attestations.length === d.attestations, `${r.attestations.length} attestations`);
      for (const a of r.attestations) {
        check(a.publisher.kind === d.publisher.kind, `publisher ${JSON.stringify(a.publisher)}`);
        check(a.predicateType.startsWith('https://'), a.predicateType);
        check(typeof a.identity === 'string' && a.issuer.startsWith('https://'), `${a.identity} ${a.issuer}`);
        check(a.bundle && typeof a.bundle === 'object', 'the bundle result');
      }
      check(r.index === index() && r.url === `${index()}/files/${d.filename}` && r.file === null, `${r.index} ${r.url}`);
      check(r.uploadTime === '2024-06-01T00:00:00.000000Z' && r.yanked === false, `${r.uploadTime} ${r.yanked}`);
    });
  }

  t('file: true streams the distribution through sha256 and compares it with the listed hash', async () => {
    for (const d of DISTRIBUTIONS) {
      const r = await verify(d, { file: true, fetch: trickleFetch() });
      check(r.file && r.file.bytes > 0 && r.file.sha256Verified === true && r.file.url === r.url, JSON.stringify(r.file));
    }
  });

  for (const [scenario, want] of Object.entries(PYPI_SCENARIOS)) {
    if (!want.code) continue;
    t(`scenario ${scenario}: fails with ${want.code}${want.file ? ' (file: true)' : ''}`, async () => {
      await rejects(verify(gh, { index: index(scenario), file: !!want.file }), want.code);
    });
    if (want.file) {
      t(`scenario ${scenario} without file: true verifies (the listed hash is the attested one)`, async () => {
        check((await verify(gh, { index: index(scenario) })).verified === true, 'verified');
      });
    }
  }

  t('policies: { repository }, an exact { publisher }, and mismatches (PYPI_PUBLISHER_MISMATCH, IDENTITY_MISMATCH)', async () => {
    check((await verify(gh, { policy: { repository: 'trailofbits/pypi-attestations' } })).verified, 'repository');
    check((await verify(gh, { policy: { publisher: gh.publisher } })).verified, 'exact publisher');
    const google = DISTRIBUTIONS[1];
    check((await verify(google, { policy: { publisher: google.publisher } })).verified, 'google publisher');
    await rejects(verify(gh, { policy: { repository: 'someone/else' } }), 'PYPI_PUBLISHER_MISMATCH');
    await rejects(verify(gh, { policy: { publisher: { ...gh.publisher, workflow: 'other.yml' } } }), 'PYPI_PUBLISHER_MISMATCH');
    // A Google publisher's policy is the core's identity check on the certificate's SAN.
    await rejects(verify(google, { policy: { publisher: { kind: 'Google', email: 'other@example.com' } } }), 'IDENTITY_MISMATCH');
    await rejects(verify(google, { policy: { repository: 'a/b' } }), 'PYPI_PUBLISHER_MISMATCH');
  });

  t('malformed policies are INPUT_INVALID (a typo never weakens a policy)', async () => {
    for (const policy of [{ repo: 'a/b' }, { repository: 'ab' }, { publisher: { kind: 'Forgejo' } }, { publisher: { kind: 'GitHub' } }, 'a/b']) {
      await rejects(verify(gh, { policy }), 'INPUT_INVALID');
    }
  });

  t('coordinates are checked before any request (INPUT_INVALID, PYPI_FILENAME_INVALID)', async () => {
    const f = countingFetch();
    const v = (p, ver, file) => api.verifyPypiDistribution(p, ver, file, { index: index(), fetch: f, tuf: false });
    await rejects(v('../etc', '0.0.19', gh.filename), 'INPUT_INVALID');
    await rejects(v(gh.project, 'not a version', gh.filename), 'INPUT_INVALID');
    await rejects(v(gh.project, '0.0.20', gh.filename), 'PYPI_FILENAME_INVALID');
    await rejects(v(gh.project, gh.version, '../pypi_attestations-0.0.19.tar.gz'), 'PYPI_FILENAME_INVALID');
    await rejects(v(gh.project, gh.version, 'pypi_attestations-0.0.19.exe'), 'PYPI_FILENAME_INVALID');
    await rejects(api.verifyPypiDistribution(gh.project, gh.version, gh.filename, { index: 'ftp://x', fetch: f }), 'INPUT_INVALID');
    check(f.urls.length === 0, `requests: ${f.urls}`);
  });

  t('the index is asked for the PEP 691 JSON page of the normalised project and the integrity API', async () => {
    const seen = [];
    const f = (url, init) => {
      seen.push({ url: String(url), accept: init?.headers?.accept });
      return fetch(url, init);
    };
    const r = await api.verifyPypiDistribution('PyPI_Attestations', '0.0.19', gh.filename, { index: `${index()}/`, fetch: f, tuf: false });
    check(r.project === 'pypi-attestations', r.project);
    const page = seen.find((s) => s.url === `${index()}/simple/pypi-attestations/`);
    check(page && page.accept === api.PYPI_SIMPLE_JSON, JSON.stringify(seen));
    check(seen.some((s) => s.url === `${index()}/integrity/pypi-attestations/0.0.19/${gh.filename}/provenance`), JSON.stringify(seen));
    check(seen.length === 2, `${seen.length} requests (no file without file: true)`);
  });

  t('network errors and aborts are PYPI_FETCH_FAILED', async () => {
    const broken = () => Promise.reject(new TypeError('connection refused'));
    await rejects(verify(gh, { fetch: broken }), 'PYPI_FETCH_FAILED');
    const c = new AbortController();
    c.abort();
    await rejects(verify(gh, { signal: c.signal, tuf: false }), 'PYPI_FETCH_FAILED');
    await rejects(api.verifyPypiDistribution(gh.project, gh.version, gh.filename, { index: index(), fetch: 3 }), 'INPUT_INVALID');
  });

  t('PypiVerifier on pre-fetched documents gives the same result as verifyPypiDistribution', async () => {
    const provenance = await (await fetch(`${index()}/integrity/${gh.project}/${gh.version}/${gh.filename}/provenance`)).text();
    const page = JSON.parse(await (await fetch(`${index()}/simple/${gh.project}/`, { headers: { accept: api.PYPI_SIMPLE_JSON } })).text());
    const sha256 = page.files[0].hashes.sha256;
    const v = new api.PypiVerifier({ policy: { repository: 'trailofbits/pypi-attestations' } });
    try {
      const r = v.verify({ filename: gh.filename, sha256, provenance });
      const fromIndex = await verify(gh, { tuf: false, policy: { repository: 'trailofbits/pypi-attestations' } });
      const strip = ({ project: _p, version: _v, purl: _u, index: _i, url: _l, uploadTime: _t, yanked: _y, file: _f, ...rest }) => JSON.stringify(rest);
      check(strip(fromIndex) === JSON.stringify(r), 'same result');
      const bytes = new Uint8Array(sha256.match(/../g).map((h) => parseInt(h, 16)));
      check(v.verify({ filename: gh.filename, sha256: bytes, provenance: JSON.parse(provenance) }).verified, 'digest bytes, provenance object');
      const bad = (f) => {
        try {
          f();
        } catch (e) {
          return e.code;
        }
        return 'verified';
      };
      check(bad(() => v.verify({ filename: gh.filename, sha256: 'abc', provenance })) === 'INPUT_INVALID', 'short sha256');
      check(bad(() => v.verify({ filename: gh.filename, sha256: '0'.repeat(64), provenance })) === 'ARTIFACT_MISMATCH', 'another sha256');
      check(bad(() => v.verify({ filename: gh.filename, sha256, provenance: '{"version": 2}' })) === 'PYPI_DOCUMENT_INVALID', 'malformed provenance');
      check(bad(() => v.verify({ filename: 'pypi_attestations-0.0.20.tar.gz', sha256, provenance })) === 'PYPI_SUBJECT_MISMATCH', 'another distribution');
      check(bad(() => v.verify({ filename: 'x.txt', sha256, provenance })) === 'PYPI_FILENAME_INVALID', 'not a distribution filename');
      const rootCode = bad(() => new api.PypiVerifier({ trustedRoot: '{"mediaType": 3}' }));
      check(rootCode === 'TRUST_ROOT_INVALID', `bad trusted root: ${rootCode}`);
    } finally {
      v.free();
    }
  });

  t('by default the trusted root comes from TUF (the stand-in repository), reported as trust; tuf: false is the embedded root', async () => {
    const r = await verify(gh);
    const trust = r.attestations[0].bundle.trust;
    check(trust?.source === 'tuf' && trust.rootVersion === 15, `trust ${JSON.stringify(trust)}`);
    const embedded = await verify(gh, { tuf: false });
    check(embedded.attestations[0].bundle.trust?.source === 'embedded', JSON.stringify(embedded.attestations[0].bundle.trust));
    const v = await api.PypiVerifier.fromTuf(await localTuf());
    try {
      const prov = await (await fetch(`${index()}/integrity/${gh.project}/${gh.version}/${gh.filename}/provenance`)).text();
      const r2 = v.verify({ filename: gh.filename, sha256: r.sha256, provenance: prov });
      check(r2.attestations[0].bundle.trust?.source === 'tuf', 'fromTuf');
    } finally {
      v.free();
    }
  });

  return tests;
}

/** Run all tests; resolves to `[{ name, ok, error }]`. */
export function runPypiTests(api, base) {
  return runAll(pypiTests(api, base));
}

export { runPypiTests as runCases };
