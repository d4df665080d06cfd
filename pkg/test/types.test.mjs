// index.d.ts kept in step with the results the verifiers really return: real bundles and real npm
// documents are verified, each result is serialised (JSON), and every field it has must be
// declared by the matching interface of index.d.ts, every non-optional declared field must be
// present, and the values must have the declared types (pkg/test/dts.mjs reads index.d.ts).
// Imported by node.test.mjs (scripts/test-js.sh node).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import * as api from 'sigstore-wasm';
import { check, readDeclarations } from './dts.mjs';
import { startRegistry } from './registry.mjs';
import { verifierCache } from './run-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const decls = readDeclarations(readFileSync(join(here, '..', 'index.d.ts'), 'utf8'));
const fixtures = JSON.parse(readFileSync(process.env.FIXTURES ?? join(root, 'target', 'js-tests', 'fixtures.json'), 'utf8'));
const npmData = join(root, 'tests', 'data', 'npm');

const serialised = (result) => JSON.parse(JSON.stringify(result));

function base64Bytes(s) {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

function verifyCase(id, verifierFor) {
  const c = fixtures.cases.find((x) => x.id === id);
  assert.ok(c, `no conformance entry ${id}`);
  const artifact = c.artifact.digest ? { digest: c.artifact.digest } : base64Bytes(c.artifact.base64);
  return serialised(verifierFor(c.trustedRoot).verify(c.bundle, artifact, c.policy));
}

describe('index.d.ts reader (pkg/test/dts.mjs)', () => {
  test('reports undeclared fields, absent required fields and wrong value types; accepts a fitting value', () => {
    const src = `
      // a comment with 'quotes' and { braces }
      export interface A { x: string; /** doc */ y?: number | null; z: B[]; u: 'p' | 'q' }
      export type B = { k: true } | { k: false; n: Record<string, string> };
      export const C: 'https://example.test/x';`;
    const d = readDeclarations(src);
    assert.deepEqual(check(d, { x: 's', z: [{ k: true }, { k: false, n: { a: 'b' } }], u: 'q' }, 'A'), []);
    assert.deepEqual(check(d, { x: 's', y: null, z: [], u: 'p' }, 'A'), []);
    const problems = check(d, { y: 1, z: [{ k: true, extra: 1 }], u: 'r', w: 2 }, 'A');
    const text = problems.join('\n');
    assert.match(text, /\$\.w: not declared in interface A/);
    assert.match(text, /\$\.x: declared \(not optional\) in interface A but absent/);
    assert.match(text, /\$\.z\[0\]: fits none of/);
    assert.match(text, /\$\.z\[0\]\.extra: not declared/);
    assert.match(text, /\$\.u: fits none of/);
    assert.deepEqual(check(d, { x: 1, z: [], u: 'p' }, 'A'), ['$.x: 1 is not a string']);
    assert.throws(() => check(d, {}, 'Missing'), /unknown type Missing/);
  });

  test('index.d.ts declares the result interfaces this file checks', () => {
    for (const name of ['VerificationResult', 'CertificateSigner', 'KeySigner', 'VerifiedLogEntry', 'NpmVerificationResult', 'NpmLogInfo', 'PypiVerificationResult', 'PypiVerifiedAttestation']) {
      assert.ok(decls.interfaces.has(name), `interface ${name}`);
    }
    assert.ok(decls.aliases.has('VerifiedTime'), 'type VerifiedTime');
  });
});

describe('index.d.ts matches the bundle verification result (VerificationResult)', () => {
  const verifierFor = verifierCache(api, fixtures);
  const fits = (r) => assert.deepEqual(check(decls, r, 'VerificationResult'), [], JSON.stringify(r, null, 1));

  test('message signature with a Fulcio certificate (happy-path-v0.3)', () => {
    const r = verifyCase('PATH-happy-path-v0.3', verifierFor);
    assert.equal(r.signer.type, 'certificate');
    assert.ok(Object.keys(r.signer.extensions).length > 0, 'Fulcio extensions');
    assert.ok(!('statement' in r) && !('predicateType' in r), 'no statement for a message signature');
    assert.ok(r.verifiedTimes.some((t) => t.source === 'tlog'));
    fits(r);
  });

  test('DSSE with an in-toto statement (happy-path-intoto-in-dsse-v3)', () => {
    const r = verifyCase('PATH-happy-path-intoto-in-dsse-v3', verifierFor);
    assert.equal(typeof r.predicateType, 'string');
    assert.equal(typeof r.statement, 'object');
    assert.equal(r.tlogEntries[0].kind, 'dsse');
    fits(r);
  });

  test('managed key (managed-key-happy-path)', () => {
    const r = verifyCase('PATH-managed-key-happy-path', verifierFor);
    assert.equal(r.signer.type, 'publicKey');
    fits(r);
  });

  test('Rekor v2 with an RFC 3161 timestamp (rekor2-happy-path)', () => {
    const r = verifyCase('PATH-rekor2-happy-path', verifierFor);
    assert.ok(r.verifiedTimes.some((t) => t.source === 'rfc3161'), 'an RFC 3161 verified time');
    assert.equal(r.tlogEntries[0].integratedTime, null, 'Rekor v2 entries carry no integrated time');
    fits(r);
  });

  test('every conformance entry that verifies', () => {
    const ok = fixtures.cases.filter((c) => c.expected.verified);
    assert.ok(ok.length >= 40, `${ok.length} verified entries`);
    for (const c of ok) {
      const r = verifyCase(c.id, verifierFor);
      assert.deepEqual(check(decls, r, 'VerificationResult'), [], c.id);
    }
  });
});

describe('index.d.ts matches the npm verification result (NpmVerificationResult)', () => {
  const keys = readFileSync(join(npmData, 'keys.json'), 'utf8');
  const file = (name, version, suffix) => join(npmData, `${name.replace('/', '%2f')}@${version}.${suffix}`);
  const fits = (r) => assert.deepEqual(check(decls, r, 'NpmVerificationResult'), [], JSON.stringify(r, null, 1));

  // The vendored versions with their real packuments (registry signatures) and attestations.
  for (const [name, version] of [['sigstore', '1.0.0'], ['tuf-js', '1.0.0']]) {
    test(`${name}@${version}: verifyNpmDocuments and NpmVerifier, with and without the packument`, () => {
      const packument = readFileSync(file(name, version, 'packument.json'), 'utf8');
      const attestations = readFileSync(file(name, version, 'attestations.json'), 'utf8');
      const integrity = JSON.parse(packument).dist.integrity;
      const r = serialised(api.verifyNpmDocuments({ name, version, integrity, attestations, packument, keys }));
      assert.ok(r.provenance && r.publish && Array.isArray(r.registrySignatures), 'provenance, publish, registry signatures');
      fits(r);
      const v = new api.NpmVerifier({ keys });
      try {
        const bare = serialised(v.verify({ name, version, integrity, attestations }));
        assert.equal(bare.registrySignatures, null);
        fits(bare);
      } finally {
        v.free();
      }
    });
  }

  // The vendored tarballs (SLSA provenance v1): integrity from the tarball, no packument.
  for (const [name, version] of [['gundam-visor', '1.0.1'], ['@playwright/cli', '0.1.1']]) {
    test(`${name}@${version}: attestations checked against the tarball's sha512`, () => {
      const integrity = `sha512-${createHash('sha512').update(readFileSync(file(name, version, 'tgz'))).digest('base64')}`;
      const attestations = readFileSync(file(name, version, 'attestations.json'), 'utf8');
      const r = serialised(api.verifyNpmDocuments({ name, version, integrity, attestations, keys }));
      assert.equal(r.provenance.predicateType, 'https://slsa.dev/provenance/v1');
      fits(r);
    });
  }

  test('verifyNpmPackage adds registry and tarball (stand-in registry, pkg/test/registry.mjs)', async () => {
    const registry = await startRegistry();
    try {
      const base = `${registry.url}/r/ok`;
      const listed = serialised(await api.verifyNpmPackage('sigstore', '1.0.0', { registry: base }));
      assert.equal(listed.registry, base);
      assert.equal(listed.tarball, null);
      fits(listed);
      const streamed = serialised(await api.verifyNpmPackage('gundam-visor', '1.0.1', { registry: base, tarball: true }));
      assert.equal(streamed.tarball.integrityVerified, true);
      fits(streamed);
    } finally {
      await registry.close();
    }
  });

  test('verifyNpmLock results fit NpmLockAudit (verified and failed packages, skipped entries)', async () => {
    const registry = await startRegistry();
    try {
      const lock = JSON.parse(readFileSync(join(npmData, 'package-lock.json'), 'utf8'));
      lock.packages['node_modules/left-pad'] = { version: '1.3.0', integrity: lock.packages['node_modules/sigstore'].integrity };
      const r = serialised(await api.verifyNpmLock(lock, { registry: `${registry.url}/r/ok`, tuf: false }));
      assert.deepEqual(r.summary, { packages: 6, verified: 5, withProvenance: 5, noProvenance: 0, failed: 1, skipped: 3 });
      assert.deepEqual(check(decls, r, 'NpmLockAudit'), [], JSON.stringify(r, null, 1));
    } finally {
      await registry.close();
    }
  });
});

describe('index.d.ts matches the GitHub attestation batch (AttestationBatch)', () => {
  test('verifyAttestation and Verifier.verifyAttestations on real GitHub Actions-signed bundles', async () => {
    const read = (p) => JSON.parse(readFileSync(join(root, 'tests', 'data', p), 'utf8'));
    const beacon = read('conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json');
    const msg = read('conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json');
    const digest = 'sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';
    const r = serialised(await api.verifyAttestation([msg, beacon], { owner: 'sigstore-conformance', artifact: digest, tuf: false }));
    assert.equal(r.verified.length, 1);
    assert.equal(r.failed.length, 1);
    assert.deepEqual(check(decls, r, 'AttestationBatch'), [], JSON.stringify(r, null, 1));
    assert.equal(api.GITHUB_API, 'https://api.github.com');
  });
});

describe('index.d.ts matches the PyPI verification result (PypiVerificationResult)', () => {
  const fits = (r) => assert.deepEqual(check(decls, r, 'PypiVerificationResult'), [], JSON.stringify(r, null, 1));
  test('PypiVerifier and verifyPypiDistribution (stand-in index, pkg/test/pypi-index.mjs), every publisher kind', async () => {
    const registry = await startRegistry();
    try {
      const { DISTRIBUTIONS } = await import('./pypi-fixtures.js');
      for (const d of DISTRIBUTIONS) {
        const r = serialised(await api.verifyPypiDistribution(d.project, d.version, d.filename, { index: `${registry.url}/pypi/ok`, tuf: false, file: true }));
        assert.equal(r.attestations[0].publisher.kind, d.publisher.kind);
        fits(r);
        const provenance = readFileSync(join(root, 'tests', 'data', 'pypi', `${d.filename}.provenance`), 'utf8');
        const v = new api.PypiVerifier();
        fits(serialised(v.verify({ filename: d.filename, sha256: r.sha256, provenance })));
        v.free();
      }
    } finally {
      await registry.close();
    }
  });
});
