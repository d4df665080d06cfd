// The web build's API (`sigstore-wasm/web`), shared by its runtime entries (web-browser.js,
// web-workerd.js, web.js): bundle verification with every signature check run by the runtime's
// WebCrypto. Its wasm (pkg/wasm-web, crates/wasm without `full`) has no curve or big-integer
// arithmetic: it does every structural check, lists the signature checks (the trusted root's
// own at `Verifier.create`, each bundle's at `verifyAsync`), and turns WebCrypto's verdicts into
// exactly the full build's result or error. A check WebCrypto cannot decide as the full build
// does (a signature over a digest the caller gave, a form the full build judges itself) or that
// this runtime's WebCrypto refuses (an algorithm it lacks) fails the bundle with
// SIGNATURE_NEEDS_FULL_BUILD, unless an earlier check already failed; the full build (the
// package's default entry) decides those.
import { WasmVerifier } from '../wasm-web/sigstore_wasm.js';
import { VerificationError, rethrow } from './errors.js';
import { verdictsOf } from './async.js';

export { VerificationError };

/** The code of a check only the full build decides. */
export const NEEDS_FULL_BUILD = 'SIGNATURE_NEEDS_FULL_BUILD';

const CONFIG_OPTIONS = ['tlogThreshold', 'timestampThreshold', 'requireSct', 'lowerThresholdsUnsafe'];
const INNER = Symbol('inner');
// The CryptoKey cache's owner for the trusted roots' checks (CA keys repeat across verifiers).
const ROOTS = {};

function configOf(options) {
  const c = {};
  for (const k of CONFIG_OPTIONS) if (options?.[k] !== undefined) c[k] = options[k];
  return Object.keys(c).length ? c : undefined;
}

function bytesOf(x) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return null;
}

/**
 * Run a plan's checks through WebCrypto and finish it (`finish(verdicts)`), or throw the first
 * failure in list order: a check that failed (the plan's error, as the full build gives it), or
 * one nobody here could decide (SIGNATURE_NEEDS_FULL_BUILD). `options.stats` receives counts:
 * `webcrypto`, `fallback` (WebCrypto threw), `wasm` (decided without arithmetic: an unsupported
 * combination) and `undecided`.
 */
async function runWeb(owner, plan, options) {
  const stats = options?.stats;
  const count = (f) => {
    if (stats) stats[f] = (stats[f] ?? 0) + 1;
  };
  try {
    const reasons = new Map();
    const verdicts = await verdictsOf(owner, plan, options, (i, error) => {
      const v = plan.verifyInWasm(i);
      if (typeof v === 'boolean') {
        count('wasm');
        return v;
      }
      count('undecided');
      reasons.set(i, error);
      return undefined;
    });
    const first = verdicts.findIndex((v) => v !== true);
    if (first >= 0 && verdicts[first] === undefined) {
      const e = reasons.get(first);
      const why = e ? `this runtime's WebCrypto refused it (${e?.message ?? e})` : 'WebCrypto cannot verify it exactly as the full build does (e.g. a signature over a digest rather than the signed bytes)';
      throw new VerificationError('SIGNATURE_NEEDS_FULL_BUILD', 'signature', `${plan.what(first)}: the web build cannot decide this signature check: ${why}; the full build (sigstore-wasm's default entry) decides it`);
    }
    return plan.finish(verdicts);
  } catch (e) {
    rethrow(e);
  } finally {
    plan.free();
  }
}

export class Verifier {
  #inner;

  /** Use `await Verifier.create(options)`: the trusted root's own checks run through WebCrypto. */
  constructor(options) {
    if (!options?.[INNER]) {
      throw new TypeError('sigstore-wasm/web: the trusted root is checked through WebCrypto, asynchronously: use `await Verifier.create(options)`');
    }
    this.#inner = options[INNER];
  }

  /**
   * Parse and check the trusted roots (the embedded production root by default), with the
   * signature checks of their certificate and timestamp authority chains run through WebCrypto.
   * Options as the full build's `new Verifier(options)`: `trustedRoot`, `tlogThreshold`,
   * `timestampThreshold`, `requireSct`, `lowerThresholdsUnsafe` (no `precompute`: the web build
   * has no fixed-base tables). `subtle` and `stats` as `verifyAsync`'s.
   */
  static async create(options = {}) {
    let plan;
    try {
      plan = WasmVerifier.prepare(options?.trustedRoot ?? undefined, configOf(options));
    } catch (e) {
      rethrow(e);
    }
    return new Verifier({ [INNER]: await runWeb(ROOTS, plan, options) });
  }

  /**
   * The effective thresholds of each trusted root, in order:
   * `[{ tlogEntries, signedTimestamps, verifiedTimes, sct }]`.
   */
  get thresholds() {
    return this.#inner.thresholds;
  }

  /** The web build verifies asynchronously only: use verifyAsync (or the full build's verify). */
  verify() {
    throw new TypeError("sigstore-wasm/web: verify is synchronous and the web build's signature checks run in WebCrypto: use `await verifier.verifyAsync(bundle, artifact, policy)`, or the full build (`sigstore-wasm`) for `verify`");
  }

  /**
   * Verify a bundle: the full build's result, or its VerificationError, or
   * SIGNATURE_NEEDS_FULL_BUILD for a check only the full build decides. Options (tests,
   * diagnostics): `stats` (an object that receives counts), `subtle` (replaces crypto.subtle).
   */
  async verifyAsync(bundle, artifact, policy, options) {
    const a = bytesOf(artifact) ?? (artifact !== null && typeof artifact === 'object' ? { digest: artifact.digest } : artifact);
    const p = policy !== null && typeof policy === 'object' ? { ...policy } : policy;
    let plan;
    try {
      plan = this.#inner.plan(bundle, a, p);
    } catch (e) {
      rethrow(e);
    }
    return runWeb(this, plan, options);
  }

  /** Release the wasm memory now rather than at garbage collection. */
  free() {
    this.#inner?.free();
    this.#inner = undefined;
  }
}

let production;

/** One-shot verifyAsync; the production-root verifier is created once and kept. */
export async function verifyBundleAsync(bundle, artifact, policy, options = {}) {
  if (options?.trustedRoot == null) {
    production ??= Verifier.create();
    return (await production).verifyAsync(bundle, artifact, policy);
  }
  const v = await Verifier.create(options);
  try {
    return await v.verifyAsync(bundle, artifact, policy);
  } finally {
    v.free();
  }
}
