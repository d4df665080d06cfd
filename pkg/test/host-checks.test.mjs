// Node (node --test, imported by node.test.mjs): `verify`'s signature checks in node:crypto
// (src/host-checks.js, src/node-checks.js). Every signature check of every conformance entry
// decided by node:crypto and by the wasm, compared; `verify` consults the host and takes its
// verdicts; `hostChecks: false` leaves every check to wasm. (The conformance suites of
// node.test.mjs run `verify` both ways.)
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { describe, test } from 'node:test';

import * as api from 'sigstore-wasm';
import { artifact, bundle, fixtures, policy } from './node-inputs.mjs';
import { WasmVerifier } from '../wasm/sigstore_wasm.js';
import { host } from '../src/host-checks.js';
import { nodeChecks } from '../src/node-checks.js';

const bun = Boolean(process.versions.bun);
const base64Bytes = (b64) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));

describe('host checks: node:crypto', { skip: bun && 'Bun: host checks are off (its node:crypto is BoringSSL)' }, () => {
  test('installed by the Node entry', () => {
    assert.equal(host.checks, nodeChecks);
  });

  test('every signature check of every conformance entry: node:crypto gives the wasm verdict', () => {
    const verifiers = new Map();
    const keys = nodeChecks.newKeys();
    const decided = { host: 0, wasm: 0, hostFalse: 0 };
    for (const c of fixtures.cases) {
      const path = c.trustedRoot ?? '';
      if (!verifiers.has(path)) {
        try {
          verifiers.set(path, new WasmVerifier(path ? fixtures.trustedRoots[path] : undefined, undefined));
        } catch {
          verifiers.set(path, null);
        }
      }
      const w = verifiers.get(path);
      if (!w) continue;
      const a = c.artifact.digest ? { digest: c.artifact.digest } : base64Bytes(c.artifact.base64);
      let plan;
      try {
        plan = w.plan(c.bundle, a, c.policy);
      } catch {
        continue; // failed before any signature check
      }
      try {
        plan.checks().forEach((check, i) => {
          const mine = check ? nodeChecks.verdict(keys, check) : undefined;
          const theirs = plan.verifyInWasm(i);
          if (mine === undefined) {
            decided.wasm++;
            return;
          }
          decided.host++;
          if (!mine) decided.hostFalse++;
          assert.equal(mine, theirs, `${c.id} check ${i} (${check.alg.name} ${check.alg.namedCurve ?? ''}): node:crypto ${mine}, wasm ${theirs}`);
          // A corrupted signature or message never verifies.
          const sig = check.signature.slice();
          sig[sig.length - 1] ^= 1;
          assert.notEqual(nodeChecks.verdict(keys, { ...check, signature: sig }), true, `${c.id} check ${i}: corrupted signature accepted`);
          const msg = check.data.slice();
          if (msg.length) msg[0] ^= 1;
          if (msg.length) assert.notEqual(nodeChecks.verdict(keys, { ...check, data: msg }), true, `${c.id} check ${i}: corrupted message accepted`);
        });
      } finally {
        plan.free();
      }
    }
    assert.ok(decided.host > 150, JSON.stringify(decided));
    assert.ok(decided.hostFalse > 0, `no failing check among the entries: ${JSON.stringify(decided)}`);
    console.log(`host checks over the conformance entries: ${JSON.stringify(decided)}`);
  });

  test('each WebCrypto form, including those no conformance entry has: the verdict of crypto.subtle', async () => {
    // The plan hands node:crypto checks in the form crypto.subtle takes; the adapter must judge
    // as crypto.subtle.verify does: genuine, corrupted signature or message, wrong PSS salt length.
    const { subtle } = webcrypto;
    const forms = [
      ...['P-256', 'P-384', 'P-521'].flatMap((namedCurve) => ['SHA-256', 'SHA-384', 'SHA-512'].map((hash) => ({ gen: { name: 'ECDSA', namedCurve }, alg: { name: 'ECDSA', namedCurve, hash } }))),
      { gen: { name: 'Ed25519' }, alg: { name: 'Ed25519' } },
      ...['SHA-256', 'SHA-384', 'SHA-512'].map((hash) => ({ gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash }, alg: { name: 'RSASSA-PKCS1-v1_5', hash } })),
      ...[['SHA-256', 32], ['SHA-384', 48], ['SHA-512', 64]].map(([hash, saltLength]) => ({ gen: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash }, alg: { name: 'RSA-PSS', hash, saltLength } })),
    ];
    const keys = nodeChecks.newKeys();
    let compared = 0;
    for (const { gen, alg } of forms) {
      let pair;
      try {
        pair = await subtle.generateKey(gen, true, ['sign', 'verify']);
      } catch {
        continue; // this Node's WebCrypto lacks the algorithm (Ed25519 on Node 18)
      }
      const spki = new Uint8Array(await subtle.exportKey('spki', pair.publicKey));
      const data = new TextEncoder().encode(`signed with ${JSON.stringify(alg)}`);
      const signature = new Uint8Array(await subtle.sign(alg, pair.privateKey, data));
      const badSig = signature.slice();
      badSig[badSig.length >> 1] ^= 0x40;
      const badData = data.slice();
      badData[0] ^= 1;
      const variants = [
        { signature, data },
        { signature: badSig, data },
        { signature, data: badData },
        ...(alg.name === 'RSA-PSS' ? [{ signature, data, alg: { ...alg, saltLength: alg.saltLength - 1 } }] : []),
      ];
      for (const v of variants) {
        const a = v.alg ?? alg;
        const key = await subtle.importKey('spki', spki, a, false, ['verify']);
        const want = await subtle.verify(a, key, v.signature, v.data);
        assert.equal(nodeChecks.verdict(keys, { alg: a, spki, signature: v.signature, data: v.data }), want, `${JSON.stringify(a)}: node:crypto differs from crypto.subtle`);
        compared++;
      }
    }
    assert.ok(compared >= 40, `only ${compared} comparisons`);
  });

  test('a key of another type than the algorithm names, or an unknown algorithm: left to wasm', () => {
    const keys = nodeChecks.newKeys();
    const w = new WasmVerifier(undefined, undefined);
    const plan = w.plan(bundle, artifact, policy);
    const checks = plan.checks();
    plan.free();
    const ecdsa = checks.find((c) => c?.alg.name === 'ECDSA');
    assert.ok(ecdsa);
    assert.equal(nodeChecks.verdict(keys, ecdsa), true);
    const otherCurve = ecdsa.alg.namedCurve === 'P-256' ? 'P-384' : 'P-256';
    assert.equal(nodeChecks.verdict(keys, { ...ecdsa, alg: { ...ecdsa.alg, namedCurve: otherCurve } }), undefined);
    assert.equal(nodeChecks.verdict(keys, { ...ecdsa, alg: { name: 'Ed25519' } }), undefined);
    assert.equal(nodeChecks.verdict(keys, { ...ecdsa, alg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } }), undefined);
    assert.equal(nodeChecks.verdict(keys, { ...ecdsa, alg: { ...ecdsa.alg, hash: 'MD5' } }), undefined);
    assert.equal(nodeChecks.verdict(keys, { ...ecdsa, alg: { name: 'HMAC' } }), undefined);
    assert.equal(nodeChecks.verdict(keys, { ...ecdsa, spki: new Uint8Array([0x30, 0x03, 1, 2, 3]) }), undefined);
  });

  test('verify takes the host verdicts; hostChecks: false leaves every check to wasm', () => {
    const want = JSON.stringify(new api.Verifier({ hostChecks: false }).verify(bundle, artifact, policy));
    assert.equal(JSON.stringify(new api.Verifier().verify(bundle, artifact, policy)), want);
    const saved = host.checks;
    try {
      let asked = 0;
      host.checks = { name: 'liar', newKeys: () => null, verdict: () => (asked++, false) };
      assert.throws(
        () => new api.Verifier().verify(bundle, artifact, policy),
        (e) => e instanceof api.VerificationError && e.code !== 'INPUT_INVALID' && asked > 0,
      );
      asked = 0;
      assert.equal(JSON.stringify(new api.Verifier({ hostChecks: false }).verify(bundle, artifact, policy)), want);
      assert.equal(asked, 0, 'hostChecks: false asked the host');
      host.checks = { name: 'abstains', newKeys: () => null, verdict: () => undefined };
      assert.equal(JSON.stringify(new api.Verifier().verify(bundle, artifact, policy)), want);
    } finally {
      host.checks = saved;
    }
  });

  test('hostChecks other than true or false: INPUT_INVALID', () => {
    for (const bad of ['yes', 1, 0, {}]) {
      assert.throws(() => new api.Verifier({ hostChecks: bad }), (e) => e instanceof api.VerificationError && e.code === 'INPUT_INVALID');
    }
  });
});
