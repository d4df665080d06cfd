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
