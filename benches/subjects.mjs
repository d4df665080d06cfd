// The verifiers under test, each behind the same small interface:
//   prepare(trustedRoot) -> verifier (done once, outside the timed loop)
//   verify(verifier, case) (sync) / verifyAsync(verifier, case)
import { createPublicKey } from 'node:crypto';

export async function sigstoreJs() {
  const { Verifier, toSignedEntity, toTrustMaterial } = await import('@sigstore/verify');
  const { bundleFromJSON } = await import('@sigstore/bundle');
  const { TrustedRoot } = await import('@sigstore/protobuf-specs');
  return {
    name: 'sigstore-js (@sigstore/verify 4)',
    prepare(c) {
      let keys;
      if (c.policy.publicKey) {
        const hint = c.bundle.verificationMaterial.publicKey.hint;
        const der = createPublicKey(c.policy.publicKey).export({ type: 'spki', format: 'der' });
        keys = { [hint]: { rawBytes: der, keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: new Date(0) } } };
      }
      const tm = toTrustMaterial(TrustedRoot.fromJSON(c.trustedRoot), keys);
      const v = new Verifier(tm, { tlogThreshold: 1, ctlogThreshold: c.policy.publicKey ? 0 : 1, timestampThreshold: 1 });
      return v;
    },
    verify(v, c) {
      const entity = toSignedEntity(bundleFromJSON(c.bundle), Buffer.from(c.artifact));
      const policy = c.policy.publicKey ? {} : { subjectAlternativeName: c.policy.identity, extensions: { issuer: c.policy.issuer } };
      v.verify(entity, policy);
    },
  };
}

// `options`: Verifier options (hostChecks: false for the wasm's own signature checks in Node).
export async function sigstoreWasm(options = {}) {
  const pkg = await import('../pkg/src/node.js');
  return {
    name: options.hostChecks === false ? 'sigstore-wasm (sync, every check in wasm)' : 'sigstore-wasm (sync; in Node, signature checks in node:crypto)',
    pkg,
    prepare(c) {
      return new pkg.Verifier({ ...options, trustedRoot: c.trustedRoot });
    },
    verify(v, c) {
      v.verify(c.bundle, c.artifact, c.policy);
    },
    async verifyAsync(v, c) {
      return v.verifyAsync ? v.verifyAsync(c.bundle, c.artifact, c.policy) : v.verify(c.bundle, c.artifact, c.policy);
    },
  };
}
