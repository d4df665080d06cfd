// Signature checks the runtime decides synchronously for `Verifier.verify`, where the runtime has
// a native crypto library faster than the wasm's own curve and RSA code: node.js installs
// node-checks.js (node:crypto, OpenSSL) here; the other entries leave it empty and `verify`
// decides every check in wasm.
//
// The path is the one verifyAsync takes (async.js), without the Promises: the wasm plan does
// every structural check, lists the signature checks (each in WebCrypto form, or null where a host
// library could judge differently from RustCrypto: src/crypto/webcrypto.rs), and `finish` turns the
// verdicts into exactly the result or error the wasm-only `verify` gives. A check the host does not
// decide (`undefined`: no WebCrypto form, an algorithm or key it refuses) is decided in wasm.

import { VerificationError } from './errors.js';

/** The installed host: `{ name, newKeys(): cache, verdict(cache, check): boolean | undefined }`. */
export const host = { checks: null };

/** The host checks a Verifier uses: `option` false turns them off (every check in wasm). */
export function hostChecksFor(option) {
  if (option === undefined || option === null || option === true) return host.checks;
  if (option === false) return null;
  throw new VerificationError('INPUT_INVALID', 'input', 'hostChecks must be true or false');
}

/** Verify through a plan: the host decides what it can, wasm the rest; `finish` gives the result. */
export function verifyWithHost(hostChecks, keys, plan) {
  try {
    const verdicts = plan.checks().map((check, i) => (check ? hostChecks.verdict(keys, check) : undefined) ?? plan.verifyInWasm(i));
    return plan.finish(verdicts);
  } finally {
    plan.free();
  }
}
