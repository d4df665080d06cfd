// Types of `sigstore-wasm/web`: the web build (bundle verification, every signature check run by
// the runtime's WebCrypto; pkg/src/web-api.js). Inputs, results and errors are the full build's.
import type { ArtifactInput, JsonInput, Policy, ThresholdOptions, Thresholds, VerificationResult } from './index.js';

export { VerificationError } from './index.js';
export type { ArtifactInput, JsonInput, Policy, ThresholdOptions, Thresholds, VerificationResult } from './index.js';

/** The code of a signature check only the full build (`sigstore-wasm`) decides. */
export const NEEDS_FULL_BUILD: 'SIGNATURE_NEEDS_FULL_BUILD';

/** Diagnostics and tests of the web build's WebCrypto runs. */
export interface WebRunOptions {
  /** Receives counts: `webcrypto` (checks WebCrypto decided), `fallback` (WebCrypto threw), `wasm` (decided without arithmetic), `undecided`. */
  stats?: { webcrypto?: number; fallback?: number; wasm?: number; undecided?: number };
  /** Replaces `globalThis.crypto.subtle`. */
  subtle?: Pick<SubtleCrypto, 'importKey' | 'verify'> | null;
}

export interface WebVerifierOptions extends ThresholdOptions, WebRunOptions {
  /** As the full build's `trustedRoot`: a trusted_root.json (text or object), several, or an instance name; default the built-in public-good root. */
  trustedRoot?: JsonInput | JsonInput[] | null;
}

export class Verifier {
  /** Throws a TypeError: use `Verifier.create`. */
  private constructor();
  /**
   * Parse the trusted roots and check their certificate and timestamp authority chains through WebCrypto.
   * @throws VerificationError `TRUST_ROOT_INVALID`, `CONFIG_UNSAFE`, `SIGNATURE_NEEDS_FULL_BUILD`.
   */
  static create(options?: WebVerifierOptions): Promise<Verifier>;
  /** The effective thresholds of each trusted root, in order. */
  readonly thresholds: Thresholds[];
  /** Throws a TypeError: the web build verifies asynchronously (`verifyAsync`). */
  verify(bundle: JsonInput, artifact: ArtifactInput, policy: Policy): never;
  /**
   * The full build's result, or its VerificationError; `SIGNATURE_NEEDS_FULL_BUILD` for a check
   * WebCrypto cannot decide as the full build does (or this runtime's WebCrypto refuses).
   */
  verifyAsync(bundle: JsonInput, artifact: ArtifactInput, policy: Policy, options?: WebRunOptions): Promise<VerificationResult>;
  /** Release the wasm memory now. */
  free(): void;
}

/** One-shot `verifyAsync`; without `trustedRoot` a production-root Verifier is made once and kept. */
export function verifyBundleAsync(bundle: JsonInput, artifact: ArtifactInput, policy: Policy, options?: WebVerifierOptions): Promise<VerificationResult>;
