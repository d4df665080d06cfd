// Types of sigstore-wasm: the same API from every entry (browser, node, deno, workerd, default).

/** JSON text, or the parsed object (it is serialized with JSON.stringify and parsed by the core). */
export type JsonInput = string | object;

/** The artifact: its bytes, or only its digest (`sha256:HEX`, `sha384:HEX` or `sha512:HEX`). */
export type ArtifactInput = Uint8Array | ArrayBuffer | ArrayBufferView | { digest: string };

/**
 * Who may have signed. Certificate identity: the SAN (`identity`, exact, or `identityRegex`, a
 * regular expression that must match the whole value) and the OIDC issuer (`issuer` or
 * `issuerRegex`), one of each. Managed key: `publicKey`, a PEM SubjectPublicKeyInfo. Unknown
 * fields are rejected with `INPUT_INVALID`.
 */
export type Policy =
  | ({ identity: string; identityRegex?: never } | { identityRegex: string; identity?: never }) &
      ({ issuer: string; issuerRegex?: never } | { issuerRegex: string; issuer?: never }) & { publicKey?: never }
  | { publicKey: string; identity?: never; identityRegex?: never; issuer?: never; issuerRegex?: never };

export interface VerifierOptions {
  /** trusted_root.json (text or object); default: the embedded Sigstore public-good production root. */
  trustedRoot?: JsonInput | null;
}

/** The certificate (Fulcio) signer: SAN, OIDC issuer and the certificate's Fulcio extensions. */
export interface CertificateSigner {
  type: 'certificate';
  identity: string;
  identityType: 'email' | 'uri' | 'otherName';
  issuer: string;
  /** Fulcio extensions by name, e.g. `sourceRepositoryUri`, `buildSignerUri`, `runnerEnvironment`. */
  extensions: Record<string, string>;
}

export interface KeySigner {
  type: 'publicKey';
  keyType: string;
}

export type VerifiedTime =
  | { time: string; source: 'tlog'; logUrl: string; logIndex: number }
  | { time: string; source: 'rfc3161'; tsaUri: string };

export interface VerifiedLogEntry {
  logUrl: string;
  logIndex: number;
  kind: string;
  version: string;
  /** RFC 3339; null for entries without a verified integrated time (Rekor v2). */
  integratedTime: string | null;
}

/** What was proven; the same object as the CLI's `sigstore-verify --json` prints on success. */
export interface VerificationResult {
  verified: true;
  mediaType: string;
  signer: CertificateSigner | KeySigner;
  verifiedTimes: VerifiedTime[];
  tlogEntries: VerifiedLogEntry[];
  /** DSSE in-toto bundles only. */
  predicateType?: string;
  statement?: Record<string, unknown>;
}

/** A stable code from docs/errors.md (e.g. `IDENTITY_MISMATCH`). */
export type ErrorCode = string;

/** The verification step a failure belongs to. */
export type Step =
  | 'input' | 'trusted_root' | 'bundle' | 'certificate' | 'sct' | 'tlog' | 'timestamp' | 'signature' | 'artifact' | 'policy';

/** Thrown when a bundle does not verify, or an input is unusable. */
export class VerificationError extends Error {
  readonly name: 'VerificationError';
  readonly code: ErrorCode;
  readonly step: Step;
  /** What failed and where (the CLI's `error: CODE: <message>`). */
  readonly message: string;
}

/** Trusted material parsed and checked once; reuse it for many bundles. */
export class Verifier {
  /** @throws VerificationError `TRUST_ROOT_INVALID` for an unusable trusted root. */
  constructor(options?: VerifierOptions);
  /**
   * Verify `bundle` (a .sigstore.json, v0.1–v0.3) for `artifact` under `policy`.
   * @throws VerificationError
   */
  verify(bundle: JsonInput, artifact: ArtifactInput, policy: Policy): VerificationResult;
  /**
   * `verify` with the signature checks run in parallel through WebCrypto where the runtime supports
   * the algorithm (wasm otherwise): the same result, or a rejection with the same VerificationError.
   */
  verifyAsync(bundle: JsonInput, artifact: ArtifactInput, policy: Policy, options?: VerifyAsyncOptions): Promise<VerificationResult>;
  /** Release the wasm memory now (it is otherwise released at garbage collection). */
  free(): void;
}

/** One-shot verification. Without `trustedRoot`, a production-root Verifier is made once and kept. */
export function verifyBundle(bundle: JsonInput, artifact: ArtifactInput, policy: Policy, options?: VerifierOptions): VerificationResult;

/** Diagnostics and tests of `verifyAsync`. */
export interface VerifyAsyncOptions {
  /** Receives counts: `webcrypto` (checks WebCrypto decided), `wasm` (checks wasm decided), `fallback` (WebCrypto threw; wasm decided). */
  stats?: { webcrypto?: number; wasm?: number; fallback?: number };
  /** Replaces `globalThis.crypto.subtle`; `null` runs every check in wasm. */
  subtle?: Pick<SubtleCrypto, 'importKey' | 'verify'> | null;
}

/** One-shot `verifyAsync`; without `trustedRoot` it shares `verifyBundle`'s production-root Verifier. */
export function verifyBundleAsync(bundle: JsonInput, artifact: ArtifactInput, policy: Policy, options?: VerifierOptions): Promise<VerificationResult>;

/** A streaming hash computed in wasm (WebCrypto has no streaming digest). */
export interface Hasher {
  /** Add bytes (a string is hashed as UTF-8). Chainable. */
  update(chunk: Uint8Array | ArrayBuffer | ArrayBufferView | string): this;
  /** The digest bytes; the hasher is spent afterwards. */
  digest(encoding?: 'bytes'): Uint8Array;
  /** The digest as lowercase hex; the hasher is spent afterwards. */
  digest(encoding: 'hex'): string;
  /** `sha256:HEX` or `sha512:HEX`, ready for `{ digest }`; the hasher is spent afterwards. */
  digestString(): string;
}

export class Sha256 implements Hasher {
  constructor();
  update(chunk: Uint8Array | ArrayBuffer | ArrayBufferView | string): this;
  digest(encoding?: 'bytes'): Uint8Array;
  digest(encoding: 'hex'): string;
  digestString(): `sha256:${string}`;
}

export class Sha512 implements Hasher {
  constructor();
  update(chunk: Uint8Array | ArrayBuffer | ArrayBufferView | string): this;
  digest(encoding?: 'bytes'): Uint8Array;
  digest(encoding: 'hex'): string;
  digestString(): `sha512:${string}`;
}

/**
 * Hash a ReadableStream (fetch body, Blob.stream(), Deno file) or an async iterable of byte chunks
 * (Node streams) piece by piece. Resolves to `sha256:HEX` (default) or `sha512:HEX`.
 */
export function hashStream(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | ArrayBuffer | ArrayBufferView | string>,
  alg?: 'sha256' | 'sha512',
): Promise<string>;

/** The same hasher API over the plain `sha2` crate (no SIMD): a baseline for comparisons. */
export function scalarHasher(alg: 'sha256' | 'sha512'): new () => Hasher;
