// The public API of sigstore-wasm, shared by every runtime entry (browser.js, node.js, deno.js,
// workerd.js, default.js). An entry instantiates the WebAssembly module first, then re-exports this.
import { WasmVerifier, Sha256 as RawSha256, Sha512 as RawSha512, hashMany as rawHashMany } from '../wasm/sigstore_wasm.js';
import { VerificationError, rethrow, precomputeSchedule } from './errors.js';
import { runPlan } from './async.js';
import { hostChecksFor, verifyWithHost } from './host-checks.js';
import { tufTrust, TRUSTED_ROOT_TARGET } from './tuf.js';

export { VerificationError };
export * from './npm.js';
export * from './attest.js';
export * from './pypi.js';
export { memoryCache, fileCache, cacheApiCache, indexedDbCache, chromeStorageCache, defaultCache, resetTufSessions } from './tuf.js';

// A wasm verifier built elsewhere (fromTuf), handed to the constructor.
const INNER = Symbol('inner');

function bytesOf(x) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return null;
}

/** The verifier configuration options: thresholds over what the trusted root implies. */
const CONFIG_OPTIONS = ['tlogThreshold', 'timestampThreshold', 'requireSct', 'lowerThresholdsUnsafe'];

/** The threshold options given (only those: the binding refuses unknown fields), or undefined. */
function configOf(options) {
  const c = {};
  for (const k of CONFIG_OPTIONS) if (options?.[k] !== undefined) c[k] = options[k];
  return Object.keys(c).length ? c : undefined;
}

export class Verifier {
  #inner;
  #tables;
  #host;
  #keys;

  /**
   * Parse and check the trusted roots once (the embedded production root by default).
   * `trustedRoot`: a trusted_root.json (text or object), several (an array, or JSON lines as
   * `gh attestation trusted-root` prints: each bundle is checked against the instance whose CA
   * issued its certificate), or an instance name. Thresholds follow each root (no transparency
   * log: an RFC 3161 timestamp is required instead; no CT log: no SCT); `tlogThreshold`,
   * `timestampThreshold`, `requireSct` raise them, and lowering one below the root's default
   * also needs `lowerThresholdsUnsafe: true` (else CONFIG_UNSAFE).
   * `precompute`: when to build the trusted keys' tables ('auto' | true | false; see errors.js).
   * `hostChecks` (default true): in Node, `verify` hands the signature checks to node:crypto
   * (host-checks.js, node-checks.js); false decides every check in wasm, as other runtimes do.
   */
  constructor(options = {}) {
    const trustedRoot = options?.trustedRoot ?? undefined;
    this.#host = hostChecksFor(options?.hostChecks);
    this.#keys = this.#host?.newKeys();
    this.#tables = precomputeSchedule(options?.precompute, () => this.#inner.precompute());
    try {
      this.#inner = options?.[INNER] ?? new WasmVerifier(trustedRoot, configOf(options));
    } catch (e) {
      rethrow(e);
    }
    this.#tables.constructed();
  }

  /**
   * A verifier over the trusted root of a Sigstore TUF repository (the public-good instance by
   * default), verified by the TUF client and cached (tuf.js). Options: `instance`
   * ('public-good' | 'github'), `url`, `root` (initial root.json), `cache`, `fetch`, `offline`,
   * `requireFresh`, `now`, `signal`, `timeoutMs`, `precompute`. Results report the TUF metadata
   * as `trust` (`source: 'tuf'`), or `source: 'embedded'` when the repository could not be
   * reached and no verified cache was there. The threshold options are as the constructor's.
   */
  static async fromTuf(options = {}) {
    const config = configOf(options);
    const tufOptions = { ...options };
    for (const k of CONFIG_OPTIONS) delete tufOptions[k];
    const t = await tufTrust(tufOptions, [TRUSTED_ROOT_TARGET]);
    if (t.kind === 'embedded') return new Verifier({ precompute: options?.precompute, hostChecks: options?.hostChecks, ...config });
    let inner;
    try {
      inner = WasmVerifier.fromTuf(t.client, config);
    } catch (e) {
      rethrow(e);
    }
    return new Verifier({ precompute: options?.precompute, hostChecks: options?.hostChecks, [INNER]: inner });
  }

  /**
   * The effective thresholds of each trusted root, in order:
   * `[{ tlogEntries, signedTimestamps, verifiedTimes, sct }]`.
   */
  get thresholds() {
    return this.#inner.thresholds;
  }

  /** Build the trusted keys' fixed-base tables now (idempotent); returns their size in bytes. */
  precompute() {
    return this.#inner.precompute();
  }

  /**
   * Verify a bundle; returns the CLI's `--json` result, or throws a VerificationError. With host
   * checks (Node), the signature checks run in node:crypto and the rest in wasm: the same result
   * or error as wasm alone; the trusted keys' tables are then not built unless `precompute: true`.
   */
  verify(bundle, artifact, policy) {
    // Plain copies: getters and proxies run here, in JS, not in the middle of a wasm call.
    const a = bytesOf(artifact) ?? (artifact !== null && typeof artifact === 'object' ? { digest: artifact.digest } : artifact);
    const p = policy !== null && typeof policy === 'object' ? { ...policy } : policy;
    if (!this.#host) this.#tables.verifying();
    try {
      if (this.#host) return verifyWithHost(this.#host, this.#keys, this.#inner.plan(bundle, a, p));
      return this.#inner.verify(bundle, a, p);
    } catch (e) {
      rethrow(e);
    }
  }

  /**
   * `verify` with the signature checks run in parallel through WebCrypto where the runtime can
   * (async.js): the same result, or the same VerificationError. Options (tests, diagnostics):
   * `stats` (an object that receives counts), `subtle` (replaces crypto.subtle; null: wasm only).
   */
  async verifyAsync(bundle, artifact, policy, options) {
    const a = bytesOf(artifact) ?? (artifact !== null && typeof artifact === 'object' ? { digest: artifact.digest } : artifact);
    const p = policy !== null && typeof policy === 'object' ? { ...policy } : policy;
    let plan;
    this.#tables.verifying();
    try {
      plan = this.#inner.plan(bundle, a, p);
    } catch (e) {
      rethrow(e);
    }
    return runPlan(this, plan, options, rethrow);
  }

  /**
   * Every bundle of a GitHub attestations input (a bundle, a list, JSON lines or the REST
   * response) against the policy of `gh attestation verify` (see verifyAttestation in
   * attest.js): the batch `{ form, verified, failed }`, whatever the verdicts; throws only for
   * an unusable input, artifact or policy.
   */
  verifyAttestations(input, artifact, policy) {
    const a = bytesOf(artifact) ?? (artifact !== null && typeof artifact === 'object' ? { digest: artifact.digest } : artifact);
    const p = policy !== null && typeof policy === 'object' ? { ...policy } : policy;
    this.#tables.verifying();
    try {
      return this.#inner.verifyAttestations(input, a, p);
    } catch (e) {
      rethrow(e);
    }
  }

  /** Release the wasm memory now rather than at garbage collection. */
  free() {
    this.#inner?.free();
    this.#inner = undefined;
  }
}

let productionVerifier;

/** One-shot verification; the production-root verifier is created once and kept. */
export function verifyBundle(bundle, artifact, policy, options = {}) {
  if (options?.trustedRoot == null) {
    productionVerifier ??= new Verifier();
    return productionVerifier.verify(bundle, artifact, policy);
  }
  const v = new Verifier(options);
  try {
    return v.verify(bundle, artifact, policy);
  } finally {
    v.free();
  }
}

/** One-shot `verifyAsync`; shares `verifyBundle`'s production-root verifier. */
export async function verifyBundleAsync(bundle, artifact, policy, options = {}) {
  if (options?.trustedRoot == null) {
    productionVerifier ??= new Verifier();
    return productionVerifier.verifyAsync(bundle, artifact, policy);
  }
  const v = new Verifier(options);
  try {
    return await v.verifyAsync(bundle, artifact, policy);
  } finally {
    v.free();
  }
}

// At most this much is copied into wasm memory per call, however large the chunk.
const SLICE = 1 << 20;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

class Hasher {
  #raw;
  #name;

  constructor(raw, name) {
    this.#raw = raw;
    this.#name = name;
  }

  /** Add bytes (Uint8Array, ArrayBuffer, any ArrayBufferView, or a string as UTF-8). */
  update(chunk) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : bytesOf(chunk);
    if (!bytes) throw new TypeError(`${this.#name}.update: expected bytes or a string`);
    try {
      for (let off = 0; off < bytes.length; off += SLICE) this.#raw.update(bytes.subarray(off, off + SLICE));
    } catch (e) {
      rethrow(e);
    }
    return this;
  }

  /** The digest: bytes by default, lowercase hex with 'hex'. The hasher is spent afterwards. */
  digest(encoding = 'bytes') {
    if (encoding !== 'bytes' && encoding !== 'hex') throw new TypeError("digest encoding must be 'bytes' or 'hex'");
    let out;
    try {
      out = this.#raw.finish();
    } catch (e) {
      rethrow(e);
    }
    this.#raw.free();
    this.#raw = new Spent(this.#name);
    if (encoding === 'bytes') return out;
    let hex = '';
    for (const b of out) hex += HEX[b];
    return hex;
  }

  /** `sha256:HEX` / `sha512:HEX`, the artifact form `verify` takes as `{ digest }`. */
  digestString() {
    return `${this.#name.toLowerCase()}:${this.digest('hex')}`;
  }
}

// Stands in for a finished hasher's freed wasm object.
class Spent {
  constructor(name) {
    this.name = name;
  }
  fail() {
    throw new VerificationError('INPUT_INVALID', 'input', `${this.name}: hasher already finalized: create a new one`);
  }
  update() {
    this.fail();
  }
  finish() {
    this.fail();
  }
  free() {}
}

export class Sha256 extends Hasher {
  constructor() {
    super(new RawSha256(), 'SHA256');
  }
}

export class Sha512 extends Hasher {
  constructor() {
    super(new RawSha512(), 'SHA512');
  }
}

/**
 * Hash a stream in pieces: a WHATWG ReadableStream (fetch bodies, Blob.stream(), Deno files) or
 * any async iterable of byte chunks (Node streams). Resolves to `sha256:HEX` / `sha512:HEX`.
 */
export async function hashStream(stream, alg = 'sha256') {
  const h = alg === 'sha256' ? new Sha256() : alg === 'sha512' ? new Sha512() : null;
  if (!h) throw new TypeError("hashStream: alg must be 'sha256' or 'sha512'");
  if (stream && typeof stream.getReader === 'function') {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        h.update(value);
      }
    } finally {
      reader.releaseLock();
    }
  } else if (stream && typeof stream[Symbol.asyncIterator] === 'function') {
    for await (const chunk of stream) h.update(chunk);
  } else {
    throw new TypeError('hashStream: expected a ReadableStream or an async iterable of bytes');
  }
  return h.digestString();
}

// hashMany hands the buffers to wasm in batches of at most this many bytes (one buffer larger
// than that goes alone): wasm memory grows to the largest batch and never shrinks.
const MANY_BATCH = 64 << 20;

/**
 * The digest of each buffer (Uint8Array, ArrayBuffer, any ArrayBufferView, or a string as UTF-8),
 * lowercase hex, in order. Multi-buffer SIMD: four buffers at a time for SHA-256, two for
 * SHA-384/512, each in its own lane; for batch work (many files), not for one buffer.
 */
export function hashMany(alg, buffers) {
  if (alg !== 'sha256' && alg !== 'sha384' && alg !== 'sha512') throw new TypeError("hashMany: alg must be 'sha256', 'sha384' or 'sha512'");
  if (buffers == null || typeof buffers[Symbol.iterator] !== 'function' || typeof buffers === 'string') throw new TypeError('hashMany: expected an array of buffers');
  const out = [];
  let batch = [];
  let size = 0;
  const flush = () => {
    if (!batch.length) return;
    try {
      for (const d of rawHashMany(alg, batch)) out.push(d);
    } catch (e) {
      rethrow(e);
    }
    batch = [];
    size = 0;
  };
  for (const b of buffers) {
    const bytes = typeof b === 'string' ? encoder.encode(b) : bytesOf(b);
    if (!bytes) throw new TypeError(`hashMany: buffer ${out.length + batch.length} is not bytes or a string`);
    if (size + bytes.length > MANY_BATCH) flush();
    batch.push(bytes);
    size += bytes.length;
  }
  flush();
  return out;
}
