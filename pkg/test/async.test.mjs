// Node (node --test, imported by node.test.mjs): verifyAsync, the WebCrypto path. All 140
// conformance entries compared with the native CLI and with the synchronous verify; the WebCrypto
// path taken; a failing WebCrypto falling back to wasm; the key cache; verifyBundleAsync.
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import * as api from 'sigstore-wasm';
import { artifact, bundle, data, fixtures, policy } from './node-inputs.mjs';
import { asyncPathChecks, runCaseAsync, verifierCache } from './run-cases.js';

describe('verifyAsync: conformance (same verdicts and codes as the native CLI and as verify)', () => {
  const verifierFor = verifierCache(api, fixtures);
  const stats = {};
  for (const c of fixtures.cases) {
    test(c.id, async () => {
      const why = await runCaseAsync(api, c, verifierFor, { stats });
      assert.equal(why, null, why ?? '');
    });
  }
  after(() => console.log(`verifyAsync conformance paths: ${JSON.stringify(stats)}`));
});

// Node 18 has no global `crypto` in modules: there verifyAsync decides every check in wasm (the
// conformance cases above), and the key cache is tested with node:crypto's webcrypto.
const globalCrypto = globalThis.crypto !== undefined;

describe('verifyAsync: paths', () => {
  const happy = fixtures.cases.find((c) => c.id.includes('happy-path-v0.3') && c.expected.verified) ?? fixtures.cases.find((c) => c.expected.verified);

  test('WebCrypto is used; a failing WebCrypto falls back to wasm; verdicts come from WebCrypto', { skip: !globalCrypto && 'no global crypto (Node 18)' }, async () => {
    const v = new api.Verifier(happy.trustedRoot ? { trustedRoot: fixtures.trustedRoots[happy.trustedRoot] } : {});
    assert.deepEqual(await asyncPathChecks(api, happy, v), []);
  });

  test('without a global crypto (Node 18) every check is decided in wasm', { skip: globalCrypto && 'this runtime has a global crypto' }, async () => {
    const stats = {};
    await new api.Verifier().verifyAsync(bundle, artifact, policy, { stats });
    assert.ok(stats.wasm > 0 && !stats.webcrypto && !stats.fallback, JSON.stringify(stats));
  });

  test('imported keys are cached per verifier', async () => {
    let imports = 0;
    const subtle = {
      importKey: (...a) => (imports++, webcrypto.subtle.importKey(...a)),
      verify: (...a) => webcrypto.subtle.verify(...a),
    };
    const v = new api.Verifier();
    await v.verifyAsync(bundle, artifact, policy, { subtle });
    const first = imports;
    assert.ok(first > 0);
    await v.verifyAsync(bundle, artifact, policy, { subtle });
    assert.equal(imports, first, 'the same bundle again imports no key');
  });

  test('input errors reject with the codes verify throws', async () => {
    const v = new api.Verifier();
    for (const [b, a, p] of [
      [bundle, artifact, { identity: 'x', issuerRegex: '(' }],
      [bundle, artifact, { identity: 'x' }],
      [bundle, { digest: 'md5:00' }, policy],
      ['{', artifact, policy],
      [bundle, artifact, { identity: 'x', issuer: 'y' }],
      [bundle, new Uint8Array([1, 2, 3]), policy],
    ]) {
      let want;
      try {
        v.verify(b, a, p);
      } catch (e) {
        want = e;
      }
      await assert.rejects(v.verifyAsync(b, a, p), (e) => {
        assert.ok(e instanceof api.VerificationError);
        assert.deepEqual([e.code, e.step, e.message], [want.code, want.step, want.message]);
        return true;
      });
    }
  });

  test('verifyBundleAsync agrees with verifyBundle', async () => {
    assert.deepEqual(await api.verifyBundleAsync(bundle, artifact, policy), api.verifyBundle(bundle, artifact, policy));
    const prod = readFileSync(join(data, 'trusted_roots', 'production.json'), 'utf8');
    // The same root given as a file: the same result but for `trust` (given, not embedded).
    const given = await api.verifyBundleAsync(bundle, artifact, policy, { trustedRoot: prod });
    assert.deepEqual(given.trust, { source: 'given' });
    assert.deepEqual({ ...given, trust: undefined }, { ...api.verifyBundle(bundle, artifact, policy), trust: undefined });
    await assert.rejects(api.verifyBundleAsync(bundle, artifact, { identity: 'x', issuer: 'y' }), { code: 'IDENTITY_MISMATCH' });
  });
});
