// The error class every entry point throws, shared by api.js and npm.js.

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
 * When a verifier builds its trusted keys' fixed-base tables (src/crypto/table.rs): about 80 ms
 * once, after which each bundle's trusted-key signature checks cost about a third. `'auto'`
 * (default) builds them on the PRECOMPUTE_AFTER-th verification, `true` at construction,
 * `false` never. Returns the call count at which to build them.
 */
export const PRECOMPUTE_AFTER = 3;

export function precomputeAt(option) {
  if (option === undefined || option === null || option === 'auto') return PRECOMPUTE_AFTER;
  if (option === true) return 0;
  if (option === false) return Infinity;
  throw new VerificationError('INPUT_INVALID', 'input', "precompute must be 'auto', true or false");
}
