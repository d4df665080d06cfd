// verifyAttestation tests against the stand-in GitHub API (pkg/test/github-api.mjs), written once
// and run in Node (attest.test.mjs) and in Chromium (attest.html via attest-chromium.mjs, with
// the <sigstore-provenance> badge's GitHub mode). Each test is `{ name, run: async () => void }`
// and throws on failure. `load(path)` reads a file under tests/data as bytes.

import { check, rejects, runAll } from './case-util.js';

export const REPO = 'sigstore-conformance/extremely-dangerous-public-oidc-beacon';
export const WORKFLOW = `${REPO}/.github/workflows/extremely-dangerous-oidc-beacon.yml`;
export const COMMIT = '82a3bfe6dd50fe9c71d6315eae66da15307856cf';
export const A_TXT_SHA256 = 'sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';

export async function loadData(load) {
  const text = async (p) => new TextDecoder().decode(await load(p));
  const beacon = JSON.parse(await text('conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json'));
  const messageSignature = JSON.parse(await text('conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json'));
  const npm = JSON.parse(await text('npm/@playwright%2fcli@0.1.1.attestations.json')).attestations.find((a) => a.predicateType === 'https://slsa.dev/provenance/v1').bundle;
  // Generated bundles shaped like GitHub's instance (tests/data/github/README.md): RFC 3161
  // timestamps, no log entry; the trusted roots as `gh attestation trusted-root` prints them.
  const github = {
    bundle: JSON.parse(await text('github/happy-path.sigstore.json')),
    noTimestamp: JSON.parse(await text('github/no-timestamp_fail.sigstore.json')),
    extraUntrustedTsa: JSON.parse(await text('github/extra-untrusted-tsa.sigstore.json')),
    root: await text('github/trusted_root.json'),
    roots: await text('github/trusted_roots.jsonl'),
    artifact: await load('github/my-app-1.0.0.txt'),
  };
  return { beacon, messageSignature, npm, github, aTxt: await load('conformance/bundle-verify/a.txt') };
}

function streamOf(bytes, chunk = 5) {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, off + chunk));
      off += chunk;
    },
  });
}

export function attestTests(api, apiUrl, data) {
  const tests = [];
  const t = (name, run) => tests.push({ name, run });
  const base = (scenario = 'ok') => `${apiUrl}/api/${scenario}`;
  // The embedded public-good root: no TUF in these tests.
  const trust = { tuf: false };

  t('a bundle object verifies against bytes, a stream or a digest', async () => {
    for (const artifact of [data.aTxt, streamOf(data.aTxt), A_TXT_SHA256]) {
      const r = await api.verifyAttestation(data.beacon, { repo: REPO, artifact, ...trust });
      check(r.form === 'bundle', `form ${r.form}`);
      check(r.verified.length === 1 && r.failed.length === 0, JSON.stringify(r.failed));
      const v = r.verified[0];
      check(v.predicateType === 'https://slsa.dev/provenance/v1', v.predicateType);
      check(v.signer.repository === REPO && v.signer.sourceDigest === COMMIT, JSON.stringify(v.signer));
      check(v.statement.subject[0].name === 'a.txt', 'statement');
    }
  });

  t('a list, JSON lines text and a REST response object: every bundle gets a verdict', async () => {
    const list = await api.verifyAttestation([data.messageSignature, data.npm, data.beacon], { owner: 'sigstore-conformance', artifact: A_TXT_SHA256, ...trust });
    check(list.form === 'list', list.form);
    check(list.verified.length === 1 && list.verified[0].index === 2, JSON.stringify(list.verified.map((v) => v.index)));
    check(JSON.stringify(list.failed.map((f) => [f.index, f.code])) === JSON.stringify([[0, 'ATTEST_STATEMENT_MISSING'], [1, 'ARTIFACT_MISMATCH']]), JSON.stringify(list.failed));
    const lines = `${JSON.stringify(data.npm)}\n${JSON.stringify(data.beacon)}\n`;
    const l = await api.verifyAttestation(lines, { repo: REPO, artifact: A_TXT_SHA256, ...trust });
    check(l.form === 'jsonLines' && l.verified[0].index === 1, JSON.stringify(l));
    const rest = { attestations: [{ bundle: data.beacon, repository_id: 1 }] };
    const r = await api.verifyAttestation(rest, { repo: REPO, artifact: data.aTxt, ...trust });
    check(r.form === 'restResponse' && r.verified.length === 1, r.form);
  });

  t('policy options: accepted and refused', async () => {
    const ok = { repo: REPO, artifact: A_TXT_SHA256, ...trust };
    await api.verifyAttestation(data.beacon, { ...ok, signerWorkflow: WORKFLOW, sourceRef: 'refs/heads/main', sourceDigest: COMMIT, signerDigest: COMMIT, denySelfHostedRunners: true, predicateType: 'https://slsa.dev/provenance/v1', certOidcIssuer: 'https://token.actions.githubusercontent.com' });
    await api.verifyAttestation(data.beacon, { ...ok, signerRepo: REPO });
    const cases = [
      [{ repo: 'sigstore-conformance/other' }, 'ATTEST_REPO_MISMATCH'],
      [{ repo: undefined, owner: 'sigstore' }, 'ATTEST_OWNER_MISMATCH'],
      [{ signerWorkflow: `${REPO}/.github/workflows/release.yml` }, 'ATTEST_SIGNER_MISMATCH'],
      [{ sourceRef: 'refs/heads/dev' }, 'ATTEST_SOURCE_REF_MISMATCH'],
      [{ sourceDigest: '0'.repeat(40) }, 'ATTEST_SOURCE_DIGEST_MISMATCH'],
      [{ signerDigest: '0'.repeat(40) }, 'ATTEST_SIGNER_DIGEST_MISMATCH'],
      [{ certOidcIssuer: 'https://token.actions.octo.ghe.com' }, 'ATTEST_ISSUER_MISMATCH'],
      [{ predicateType: 'https://spdx.dev/Document/v2.3' }, 'ATTEST_PREDICATE_MISMATCH'],
    ];
    for (const [extra, code] of cases) {
      const e = await rejects(api.verifyAttestation(data.beacon, { ...ok, ...extra }), 'ATTEST_NONE_VERIFIED');
      check(e.failed?.[0]?.code === code, `${JSON.stringify(extra)}: ${JSON.stringify(e.failed)}`);
    }
    await rejects(api.verifyAttestation(data.beacon, { ...ok, owner: 'x' }), 'ATTEST_POLICY_INVALID');
    await rejects(api.verifyAttestation(data.beacon, { ...ok, repo: 'not a repo' }), 'ATTEST_NAME_INVALID');
    await rejects(api.verifyAttestation(data.beacon, { ...ok, sourceref: 'refs/heads/main' }), 'INPUT_INVALID');
    await rejects(api.verifyAttestation(data.beacon, { ...ok, artifact: 'sha256:00' }), 'INPUT_INVALID');
    await rejects(api.verifyAttestation('not json', ok), 'ATTEST_DOCUMENT_INVALID');
  });

  t('fetched from the API: { repo, digest } and { owner, digest }, with a token', async () => {
    const r = await api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base(), ...trust });
    check(r.form === 'restResponse', r.form);
    check(r.verified.length === 1 && r.verified[0].index === 1, JSON.stringify(r.verified.map((v) => v.index)));
    check(r.failed.length === 1 && r.failed[0].code === 'ARTIFACT_MISMATCH', JSON.stringify(r.failed));
    const o = await api.verifyAttestation({ owner: 'sigstore-conformance', digest: A_TXT_SHA256 }, { apiBase: base(), signerWorkflow: WORKFLOW, artifact: streamOf(data.aTxt), ...trust });
    check(o.verified.length === 1, 'owner');
    // A private repository's attestations: only with the token (a 404 without).
    await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base('private'), ...trust }), 'ATTEST_FETCH_FAILED');
    const p = await api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base('private'), token: 'test-token', ...trust });
    check(p.verified.length === 1, 'private');
    // The fetch names the repository, but the policy may pin another: then nothing verifies.
    const e = await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base(), repo: 'sigstore-conformance/other', ...trust }), 'ATTEST_NONE_VERIFIED');
    check(e.failed.length === 2, JSON.stringify(e.failed));
  });

  t('API faults: 404, 500, timeout, bad JSON, no attestations, bad names', async () => {
    const other = `sha256:${'ab'.repeat(32)}`;
    const e404 = await rejects(api.verifyAttestation({ repo: REPO, digest: other }, { apiBase: base(), ...trust }), 'ATTEST_FETCH_FAILED');
    check(/HTTP 404/.test(e404.message), e404.message);
    const e500 = await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base('down'), ...trust }), 'ATTEST_FETCH_FAILED');
    check(/HTTP 500/.test(e500.message), e500.message);
    const slow = await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base('slow'), timeoutMs: 300, ...trust }), 'ATTEST_FETCH_FAILED');
    check(/timed out after 300 ms/.test(slow.message), slow.message);
    await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base('bad-json'), ...trust }), 'ATTEST_DOCUMENT_INVALID');
    const empty = await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: base('empty'), ...trust }), 'ATTEST_NONE_VERIFIED');
    check(empty.failed.length === 0, 'no failures listed');
    await rejects(api.verifyAttestation({ repo: '../../x', digest: A_TXT_SHA256 }, { apiBase: base(), ...trust }), 'ATTEST_NAME_INVALID');
    await rejects(api.verifyAttestation({ repo: REPO, digest: 'sha256:zz' }, { apiBase: base(), ...trust }), 'INPUT_INVALID');
    await rejects(api.verifyAttestation({ repo: REPO, owner: 'x', digest: A_TXT_SHA256 }, { apiBase: base(), ...trust }), 'ATTEST_POLICY_INVALID');
    await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: 'ftp://example.com', ...trust }), 'INPUT_INVALID');
    await rejects(api.verifyAttestation({ repo: REPO, digest: A_TXT_SHA256 }, { apiBase: 'http://127.0.0.1:1', ...trust }), 'ATTEST_FETCH_FAILED');
  });

  t('a Verifier of its own (trusted root pinned)', async () => {
    const v = new api.Verifier();
    try {
      const r = await api.verifyAttestation(data.beacon, { repo: REPO, artifact: A_TXT_SHA256, verifier: v });
      check(r.verified[0].trust.source === 'embedded', JSON.stringify(r.verified[0].trust));
      const batch = v.verifyAttestations([data.beacon, data.npm], { digest: A_TXT_SHA256 }, { repo: REPO });
      check(batch.verified.length === 1 && batch.failed.length === 1, 'verifyAttestations');
    } finally {
      v.free();
    }
  });


  // Issue 13: thresholds from the trust, and several instances at once.
  const PRIVATE = 'octo-org/private-app';
  const GH_POLICY = { identity: `https://github.com/${PRIVATE}/.github/workflows/release.yml@refs/heads/main`, issuer: 'https://token.actions.githubusercontent.com' };
  const gh = data.github;

  t("a private repository's attestation (GitHub's instance) verifies with the roots of gh attestation trusted-root", async () => {
    const lines = gh.roots.split('\n').filter((l) => l.trim());
    for (const trustedRoot of [gh.roots, lines, lines.map((l) => JSON.parse(l))]) {
      const r = await api.verifyAttestation(gh.bundle, { repo: PRIVATE, artifact: gh.artifact, trustedRoot });
      check(r.verified.length === 1 && r.failed.length === 0, JSON.stringify(r.failed));
      check(r.verified[0].signer.repository === PRIVATE, JSON.stringify(r.verified[0].signer));
    }
    const e = await rejects(api.verifyAttestation(gh.noTimestamp, { repo: PRIVATE, artifact: gh.artifact, trustedRoot: gh.roots }), 'ATTEST_NONE_VERIFIED');
    check(e.failed?.[0]?.code === 'TIMESTAMP_THRESHOLD_NOT_MET', JSON.stringify(e.failed));
    const raised = await rejects(api.verifyAttestation(gh.bundle, { repo: PRIVATE, artifact: gh.artifact, trustedRoot: gh.roots, tlogThreshold: 1 }), 'ATTEST_NONE_VERIFIED');
    check(raised.failed?.[0]?.code === 'TLOG_THRESHOLD_NOT_MET', JSON.stringify(raised.failed));
  });

  t('thresholds follow the trusted root; lowering one is named unsafe', async () => {
    const v = new api.Verifier({ trustedRoot: gh.roots });
    try {
      const [pg, github] = v.thresholds;
      check(pg.tlogEntries === 1 && pg.sct === true && pg.signedTimestamps === 0, JSON.stringify(pg));
      check(github.tlogEntries === 0 && github.sct === false && github.signedTimestamps === 1, JSON.stringify(github));
      const r = v.verify(gh.bundle, gh.artifact, GH_POLICY);
      check(r.thresholds.required.signedTimestamps === 1 && r.thresholds.verified.signedTimestamps === 1, JSON.stringify(r.thresholds));
      check(r.thresholds.required.tlogEntries === 0 && r.tlogEntries.length === 0, JSON.stringify(r.thresholds));
      const s = v.verify(gh.extraUntrustedTsa, gh.artifact, GH_POLICY);
      check(s.skippedTimestamps.length === 1 && s.skippedTimestamps[0].code === 'TIMESTAMP_UNTRUSTED', JSON.stringify(s.skippedTimestamps));
      const beacon = v.verify(data.beacon, data.aTxt, { identity: `https://github.com/${WORKFLOW}@refs/heads/main`, issuer: 'https://token.actions.githubusercontent.com' });
      check(beacon.thresholds.required.tlogEntries === 1 && beacon.thresholds.verified.sct === true, JSON.stringify(beacon.thresholds));
    } finally {
      v.free();
    }
    let thrown;
    try {
      new api.Verifier({ trustedRoot: gh.root, timestampThreshold: 0 });
    } catch (e) {
      thrown = e;
    }
    check(thrown?.code === 'CONFIG_UNSAFE', `expected CONFIG_UNSAFE, got ${thrown?.code}`);
    const lowered = new api.Verifier({ trustedRoot: gh.root, timestampThreshold: 0, lowerThresholdsUnsafe: true });
    check(lowered.thresholds[0].signedTimestamps === 0, JSON.stringify(lowered.thresholds));
    lowered.free();
  });
  return tests;
}

/** Run every test; resolves to `[{ name, ok, error }]`. */
export function runAttestTests(api, apiUrl, data) {
  return runAll(attestTests(api, apiUrl, data));
}
