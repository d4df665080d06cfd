// The error class every entry point throws, and the fixed-base tables' schedule, shared by api.js
// and npm.js.

/** A failed verification: `code` (e.g. "IDENTITY_MISMATCH"), `step` (e.g. "policy"), `message`. */
export class VerificationError extends Error {
  constructor(code, step, message) {
    super(message);
    this.name = 'VerificationError';
    this.code = code;
    this.step = step;
  }
}

// The wasm layer throws plain Errors carrying code/step; give callers the class.
export function rethrow(e) {
  if (e instanceof VerificationError) throw e;
  if (e && typeof e === 'object' && e.name === 'VerificationError' && typeof e.code === 'string') {
    throw new VerificationError(e.code, e.step, e.message);
  }
  throw e;
}

/**
 * When Verifier and NpmVerifier build their trusted keys' fixed-base tables (src/crypto/table.rs;
 * ~80 ms once, then each trusted-key check costs about a third): `'auto'` (default) on the
 * PRECOMPUTE_AFTER-th verification, `true` at construction, `false` never. `option` is checked
 * here, before any wasm object exists; `build()` builds the tables. The verifier calls
 * `constructed()` once its wasm object exists and `verifying()` as each verification starts.
 */
export const PRECOMPUTE_AFTER = 3;

export function precomputeSchedule(option, build) {
  let at;
  if (option === undefined || option === null || option === 'auto') at = PRECOMPUTE_AFTER;
  else if (option === true) at = 0;
  else if (option === false) at = Infinity;
  else throw new VerificationError('INPUT_INVALID', 'input', "precompute must be 'auto', true or false");
  let uses = 0;
  return {
    constructed() {
      if (at === 0) build();
    },
    verifying() {
      if (++uses === at) build();
    },
  };
}
