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

/**
 * Thresholds over what each trusted root implies (a root without transparency logs requires an
 * RFC 3161 timestamp instead of a log entry; one without CT logs requires no SCT). Lowering one
 * below the root's default also needs `lowerThresholdsUnsafe: true`, else `CONFIG_UNSAFE`.
 */
export interface ThresholdOptions {
  /** Verified transparency-log entries required. */
  tlogThreshold?: number;
  /** Verified RFC 3161 timestamps required (one per TSA). */
  timestampThreshold?: number;
  /** Require an SCT from a trusted CT log in the certificate. */
  requireSct?: boolean;
  /** Permit settings below the instance's defaults: a weaker verification than its own. */
  lowerThresholdsUnsafe?: boolean;
}

export interface VerifierOptions extends ThresholdOptions {
  /**
   * A trusted_root.json document (text or object), several (an array, or JSON lines as
   * `gh attestation trusted-root` prints: each bundle is checked against the instance whose CA
   * issued its certificate), or a Sigstore instance name ('public-good'); default the built-in
   * public-good root.
   */
  trustedRoot?: JsonInput | JsonInput[] | null;
  /**
   * When to build fixed-base tables for the trusted root's ECDSA keys (~80 ms once; then each
   * bundle verifies about twice as fast): `'auto'` (default) on the third verification, `true`
   * now, `false` never. In Node `verify` checks signatures in node:crypto and builds them only
   * when `true`.
   */
  precompute?: Precompute;
  /**
   * In Node (default true), `verify` hands its signature checks to node:crypto (OpenSSL) and does
   * the rest in wasm: the same result or error, about twice as fast. `false`: every check in
   * wasm, as in browsers, Deno, Bun and workerd (where this option changes nothing).
   */
  hostChecks?: boolean;
}

export type Precompute = 'auto' | boolean;

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
  /** Which trusted root the verdict rests on. */
  trust: TrustSource;
  /** What the verification required (from the trusted root and the options) and what it verified. */
  thresholds: { required: Thresholds; verified: Thresholds };
  /**
   * RFC 3161 tokens left out: not over this bundle's signature, or from no trusted TSA (a token
   * over this signature from a trusted TSA that fails its checks fails the bundle instead).
   */
  skippedTimestamps: { index: number; code: ErrorCode; message: string }[];
}

/** Counts of verified log entries, RFC 3161 timestamps (one per TSA) and verified times; whether an SCT is required (was verified). */
export interface Thresholds {
  tlogEntries: number;
  signedTimestamps: number;
  verifiedTimes: number;
  sct: boolean;
}

/** Where a trusted root came from. */
export type TrustSource =
  | { source: 'embedded'; instance: string }
  | { source: 'given' }
  | TufTrust;

/** The TUF metadata a trusted root was verified with. */
export interface TufTrust {
  source: 'tuf';
  /** `public-good`, `github`, or `custom` for a repository given by URL. */
  instance: string;
  url: string;
  rootVersion: number;
  rootExpires: string;
  timestampVersion: number;
  timestampExpires: string;
  snapshotVersion: number;
  targetsVersion: number;
  targetsExpires: string;
  /** False for a stale cache used offline or because the repository was unreachable. */
  fresh: boolean;
  /** The roles whose metadata had expired (empty when fresh). */
  expired: string[];
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
/** A cache for TUF metadata and targets (names like `root.json`, `targets/trusted_root.json`). */
export interface TufCache {
  get(name: string): Promise<Uint8Array | undefined>;
  set(name: string, bytes: Uint8Array): Promise<void>;
}

/** Where `fromTuf` gets the trust from (pkg/README.md, "Trust updates"). */
export interface TufOptions {
  /** Default 'public-good'; another name needs `url` and `root`. */
  instance?: 'public-good' | 'github' | string;
  /** The repository (metadata at URL/, targets at URL/targets/); default: the instance's. */
  url?: string;
  /** The root.json to start from (bytes or text); default: the instance's embedded seed. */
  root?: Uint8Array | ArrayBuffer | string;
  /** Default: this runtime's (file system in Node/Deno, Cache API, IndexedDB, chrome.storage.local, memory). */
  cache?: TufCache;
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** Never fetch: the verified cache (possibly stale), else the embedded root. */
  offline?: boolean;
  /** Fail (TUF_FETCH_FAILED / TUF_EXPIRED) instead of falling back to stale or embedded trust. */
  requireFresh?: boolean;
  /** The time expiry is checked at (tests); default now. */
  now?: Date;
  signal?: AbortSignal;
  /** Per request; default 20000. */
  timeoutMs?: number;
}

export function memoryCache(): TufCache;
export function fileCache(dir: string): TufCache;
export function cacheApiCache(namespace: string, options?: { cacheName?: string }): TufCache;
export function indexedDbCache(namespace: string, options?: { dbName?: string }): TufCache;
export function chromeStorageCache(namespace: string, storage?: unknown): TufCache;
export function defaultCache(namespace: string): Promise<TufCache>;
/** Forget the per-process TUF sessions (the next fromTuf re-reads the cache). */
export function resetTufSessions(): void;

export class Verifier {
  /** @throws VerificationError `TRUST_ROOT_INVALID` for an unusable trusted root. */
  constructor(options?: VerifierOptions);
  /**
   * A verifier over the `trusted_root.json` of a Sigstore TUF repository, verified and cached;
   * results report it as `trust` (`source: 'tuf'`, or `'embedded'` after a fallback).
   * @throws VerificationError `TUF_*` codes, `INPUT_INVALID`.
   */
  static fromTuf(options?: TufOptions & ThresholdOptions & { precompute?: Precompute; hostChecks?: boolean }): Promise<Verifier>;
  /** The effective thresholds of each trusted root, in order. */
  readonly thresholds: Thresholds[];
  /** Build the trusted keys' tables now (idempotent); returns their size in bytes. */
  precompute(): number;
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
  /**
   * Every bundle of a GitHub attestations input (a bundle, a list, JSON lines or the REST
   * response) for `artifact` under the policy of `gh attestation verify`: the batch, whatever the
   * verdicts (see `verifyAttestation`).
   * @throws VerificationError for an unusable input (`ATTEST_DOCUMENT_INVALID`,
   * `ATTEST_LIMIT_EXCEEDED`), policy (`ATTEST_POLICY_INVALID`, `ATTEST_NAME_INVALID`) or artifact.
   */
  verifyAttestations(input: AttestationsInput, artifact: ArtifactInput, policy: AttestationPolicy): AttestationBatch;
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

/**
 * The digest of each buffer (a string is hashed as UTF-8), lowercase hex, in order: multi-buffer
 * SIMD in wasm, four buffers at a time in the lanes for SHA-256, two for SHA-384/512. For batch
 * work (many files at once); for one buffer `Sha256` or WebCrypto's `digest` is as fast or faster.
 * The buffers go to wasm in batches of at most 64 MiB.
 */
export function hashMany(
  alg: 'sha256' | 'sha384' | 'sha512',
  buffers: Iterable<Uint8Array | ArrayBuffer | ArrayBufferView | string>,
): string[];

// ---- GitHub artifact attestations (src/attest.js) ----

/** The GitHub REST API, `verifyAttestation`'s default `apiBase`. */
export const GITHUB_API: 'https://api.github.com';

/**
 * The policy of `gh attestation verify` (its flags in camelCase): `owner` or `repo` (exactly one);
 * at most one of `signerWorkflow`, `signerRepo`, `certIdentity`, `certIdentityRegex`.
 */
export interface AttestationPolicy {
  owner?: string;
  repo?: string;
  /** `[HOST/]OWNER/REPO/PATH/TO/WORKFLOW.yml`: the SAN starts with `https://HOST/` + this (a regular expression, as gh). */
  signerWorkflow?: string;
  /** `OWNER/REPO` of a reusable workflow that signed. */
  signerRepo?: string;
  certIdentity?: string;
  certIdentityRegex?: string;
  sourceRef?: string;
  sourceDigest?: string;
  signerDigest?: string;
  /** Default `https://token.actions.githubusercontent.com`. */
  certOidcIssuer?: string;
  /** Default `https://slsa.dev/provenance/v1`. */
  predicateType?: string;
  denySelfHostedRunners?: boolean;
}

/** A Sigstore bundle, a list of them, JSON lines (text), or the REST response `{ attestations: [{ bundle }] }`. */
export type AttestationsInput = JsonInput | object[];

/** The signer of a verified attestation, from its Fulcio certificate's claims (null when absent). */
export interface AttestationSigner {
  /** The SAN: `https://github.com/OWNER/REPO/PATH@REF` of the signer workflow. */
  identity: string;
  issuer: string | null;
  /** `OWNER/REPO` (from `sourceRepositoryUri`). */
  repository: string | null;
  sourceRepositoryUri: string | null;
  sourceRef: string | null;
  sourceDigest: string | null;
  /** The workflow that ran (Build Config URI). */
  buildWorkflow: string | null;
  /** The workflow that signed (Build Signer URI); another one when a reusable workflow signed. */
  signerWorkflow: string | null;
  signerDigest: string | null;
  runnerEnvironment: string | null;
  runInvocationUri: string | null;
  sourceRepositoryVisibility: string | null;
  buildTrigger: string | null;
}

export interface VerifiedAttestation {
  /** Position in the input (JSON lines: among the non-blank lines). */
  index: number;
  predicateType: string;
  statement: Record<string, unknown>;
  signer: AttestationSigner;
  verifiedTimes: VerifiedTime[];
  tlogEntries: VerifiedLogEntry[];
  trust: TrustSource;
}

/** A bundle that did not verify, with its code (a core code or an `ATTEST_*` code). */
export interface AttestationFailure {
  index: number;
  code: ErrorCode;
  step: Step;
  message: string;
}

/** Every bundle's verdict (the CLI's `verify-attestation --json`). */
export interface AttestationBatch {
  form: 'bundle' | 'jsonLines' | 'list' | 'restResponse';
  verified: VerifiedAttestation[];
  failed: AttestationFailure[];
}

export interface VerifyAttestationOptions extends AttestationPolicy, ThresholdOptions {
  /** Bytes, a stream (hashed with `digestAlg` as it arrives) or `sha256:HEX`; default: the digest fetched by. */
  artifact?: Uint8Array | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | string;
  /** For a streamed artifact; default sha256. */
  digestAlg?: 'sha256' | 'sha512';
  /** Default `https://api.github.com`. */
  apiBase?: string;
  /** Sent as `Authorization: Bearer TOKEN` (private repositories). */
  token?: string;
  /** The API request's timeout; default 30000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** A Verifier to use (e.g. `Verifier.fromTuf({ instance: 'github' })`). */
  verifier?: Verifier;
  /**
   * Trusted roots to pin (no TUF): one trusted_root.json, or several (an array, or the JSON lines
   * of `gh attestation trusted-root`), each bundle checked against the instance that issued it.
   */
  trustedRoot?: JsonInput | JsonInput[] | null;
  /** TUF options for `Verifier.fromTuf` (default public-good), or `false` for the embedded root. */
  tuf?: TufOptions | false;
}

/**
 * Verify GitHub artifact attestations with the policy of `gh attestation verify`. `input` is the
 * attestations, or `{ repo | owner, digest }` to fetch `GET {apiBase}/repos/OWNER/REPO/attestations/DIGEST`
 * (`/orgs/OWNER/...`) first. Resolves when at least one bundle verified.
 * @throws VerificationError `ATTEST_NONE_VERIFIED` (with `failed`: every bundle's reason),
 * `ATTEST_FETCH_FAILED`, `ATTEST_DOCUMENT_INVALID`, `ATTEST_POLICY_INVALID`, `ATTEST_NAME_INVALID`, `INPUT_INVALID`, `TUF_*`.
 */
export function verifyAttestation(
  input: AttestationsInput | { repo: string; owner?: never; digest: string } | { owner: string; repo?: never; digest: string },
  options?: VerifyAttestationOptions,
): Promise<AttestationBatch>;

// ---- npm provenance (src/npm.js) ----

/**
 * Which CI may have built an npm package: `{ repository: 'OWNER/REPO' }` (GitHub Actions
 * workflows of that repository), or `{ identityRegex, issuer | issuerRegex }`; neither means any
 * GitHub Actions workflow or GitLab.com pipeline. `requireProvenance` / `requirePublish` (default
 * true) make each attestation optional. Unknown fields are rejected with `INPUT_INVALID`.
 */
export interface NpmPolicy {
  repository?: string;
  identityRegex?: string;
  issuer?: string;
  issuerRegex?: string;
  requireProvenance?: boolean;
  requirePublish?: boolean;
}

export interface NpmLogInfo {
  logUrl: string;
  logIndex: number;
  /** RFC 3339, when a verified SET vouches for it. */
  integratedTime: string | null;
}

/** What was verified about one package version (the CLI's `verify-npm --json`). */
export interface NpmVerificationResult {
  verified: true;
  name: string;
  version: string;
  /** `pkg:npm/NAME@VERSION` (a scope's `@` as `%40`). */
  purl: string;
  /** `sha512-…` of the tarball every attestation subject carries. */
  integrity: string;
  predicateTypes: string[];
  provenance: null | {
    predicateType: string;
    identity: { rule: string; san: string; issuer: string };
    sourceRepository: string | null;
    sourceRef: string | null;
    commit: string | null;
    workflow: string | null;
    trigger: string | null;
    builder: string | null;
    runnerEnvironment: string | null;
    runInvocation: string | null;
    tlog: NpmLogInfo | null;
    bundle: VerificationResult;
  };
  publish: null | {
    predicateType: string;
    keyid: string;
    keyExpires: string | null;
    tlog: NpmLogInfo | null;
    bundle: VerificationResult;
  };
  /** Key ids of the registry signatures that verified; null when no packument was given. */
  registrySignatures: string[] | null;
  /** `verifyNpmPackage` only: the registry's base URL. */
  registry?: string;
  /** `verifyNpmPackage` with `tarball: true`: the tarball streamed and hashed. */
  tarball?: { url: string; bytes: number; integrityVerified: true } | null;
}

export interface NpmDocuments {
  name: string;
  version: string;
  /** `dist.integrity` (`sha512-…`) or the tarball's 64-byte sha512. */
  integrity: string | Uint8Array;
  /** `GET /-/npm/v1/attestations/NAME@VERSION`; omit when the registry has none. */
  attestations?: JsonInput | null;
  /** `GET /NAME/VERSION` or the full packument: its registry signatures are then checked. */
  packument?: JsonInput | null;
}

export const NPM_REGISTRY: 'https://registry.npmjs.org';

/** Registry keys, trusted root and policy parsed once. */
export class NpmVerifier {
  constructor(options: { keys: JsonInput; trustedRoot?: JsonInput | null; policy?: NpmPolicy | null; precompute?: Precompute });
  /** Trusted root and registry keys (`registry.npmjs.org/keys.json`) over TUF. */
  static fromTuf(options?: TufOptions & { keys?: JsonInput; registry?: string; policy?: NpmPolicy | null; precompute?: Precompute }): Promise<NpmVerifier>;
  verify(documents: NpmDocuments): NpmVerificationResult;
  /** Build the trusted keys' tables now (idempotent); returns their size in bytes. */
  precompute(): number;
  free(): void;
}

/** One-shot verification of documents already fetched. */
export function verifyNpmDocuments(
  documents: NpmDocuments & { keys: JsonInput },
  options?: { trustedRoot?: JsonInput | null; policy?: NpmPolicy | null },
): NpmVerificationResult;

export interface VerifyNpmPackageOptions {
  /** Default `https://registry.npmjs.org`. */
  registry?: string;
  /** Default `globalThis.fetch`. */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  policy?: NpmPolicy | null;
  /** A trusted root to pin (no TUF). */
  trustedRoot?: JsonInput | null;
  /** TUF options (default: the public-good repository), or false for the embedded root. */
  tuf?: TufOptions | false;
  /**
   * A registry keys document, or where to get it: 'tuf' (the TUF target; default for the public
   * registry) or 'registry' (`/-/npm/v1/keys`; default for another registry).
   */
  keys?: JsonInput | 'tuf' | 'registry';
  /** Download the tarball and check its sha512 while it streams (never held whole in memory). */
  tarball?: boolean;
  signal?: AbortSignal;
}

/** Fetch a version's documents from the registry and verify them; rejects with a VerificationError. */
export function verifyNpmPackage(name: string, version: string, options?: VerifyNpmPackageOptions): Promise<NpmVerificationResult>;

/** The sha512 inside an npm `integrity` string, as bytes. */
export function integritySha512(integrity: string): Uint8Array;

/** A registry package a lock file installs (`npmLockPackages`). */
export interface NpmLockPackage {
  name: string;
  version: string;
  /** The lock's `integrity` (`sha512-…`). */
  integrity: string;
}

/** A lock entry not checked, and why (`link`, `workspace folder`, `not a registry version`, …). */
export interface NpmLockSkipped {
  path: string;
  reason: string;
}

/**
 * The registry packages of a package-lock.json (object or JSON text; lockfileVersion 1-3), as the
 * CLI's `verify-npm-lock` reads them: sorted by name, then version, each once.
 * @throws VerificationError `NPM_DOCUMENT_INVALID` for a malformed lock.
 */
export function npmLockPackages(lock: JsonInput): { packages: NpmLockPackage[]; skipped: NpmLockSkipped[] };

export interface VerifyNpmLockOptions extends Omit<VerifyNpmPackageOptions, 'tarball'> {
  /** Packages fetched and verified at a time (default 8). */
  concurrency?: number;
  /** Fail packages the registry has no attestations for (default: they pass on their registry signature). */
  requireAttestations?: boolean;
}

/**
 * One package of `verifyNpmLock`: `verified` (its provenance verified), `no-provenance` (passed
 * without a provenance attestation: the registry signature alone) or `failed` (why, in `error`).
 */
export type NpmLockResult =
  | { name: string; version: string; integrity: string; status: 'verified' | 'no-provenance'; verified: true; result: NpmVerificationResult }
  | { name: string; version: string; integrity: string; status: 'failed'; verified: false; error: { code: string; step: string; message: string } };

export interface NpmLockAudit {
  /** In the CLI's order: by name, then version. */
  packages: NpmLockResult[];
  skipped: NpmLockSkipped[];
  summary: { packages: number; verified: number; withProvenance: number; noProvenance: number; failed: number; skipped: number };
}

/**
 * Fetch and verify every registry package of a lock file (its version document and attestations,
 * as `verifyNpmPackage` does, against the lock's integrity) with one verifier. One package's
 * failure is reported in its result, never thrown.
 * @throws VerificationError `NPM_DOCUMENT_INVALID` (the lock), `INPUT_INVALID` (options),
 * `NPM_FETCH_FAILED` (the registry keys, or an aborted `signal`), `TUF_*`.
 */
export function verifyNpmLock(lock: JsonInput, options?: VerifyNpmLockOptions): Promise<NpmLockAudit>;

// ---- PyPI PEP 740 attestations (src/pypi.js) ----

/** A PyPI Trusted Publisher, as a PEP 740 attestation bundle names it (snake_case fields). */
export type PypiPublisher =
  | { kind: 'GitHub'; repository: string; workflow: string; environment?: string | null }
  | { kind: 'GitLab'; repository: string; workflow_filepath: string; environment?: string | null }
  | { kind: 'Google'; email: string }
  | { kind: 'CircleCI'; project_id: string; pipeline_definition_id: string; vcs_origin?: string | null; vcs_ref?: string | null };

/**
 * Which publisher the attestations must come from: omitted (or `null`) for the publisher each
 * attestation bundle names (reported), `{ repository: 'OWNER/REPO' }` for that GitHub or GitLab
 * repository's publisher, or `{ publisher }` for exactly that publisher. Anything else is
 * `INPUT_INVALID`.
 */
export type PypiPolicy = { repository: string } | { publisher: PypiPublisher };

/** One verified attestation. */
export interface PypiVerifiedAttestation {
  /** `https://docs.pypi.org/attestations/publish/v1` or `https://slsa.dev/provenance/v1`. */
  predicateType: string;
  /** The publisher whose policy the signing certificate satisfied. */
  publisher: PypiPublisher;
  /** The certificate's SAN and OIDC issuer. */
  identity: string;
  issuer: string;
  /** The core's result for the attestation's Sigstore bundle. */
  bundle: VerificationResult;
}

/** What was verified about one distribution (the CLI's `verify-pypi --json`). */
export interface PypiVerificationResult {
  verified: true;
  filename: string;
  /** Lowercase hex. */
  sha256: string;
  attestations: PypiVerifiedAttestation[];
  /** `verifyPypiDistribution` only: the PEP 503 normalised project name. */
  project?: string;
  version?: string;
  /** `pkg:pypi/PROJECT@VERSION`. */
  purl?: string;
  /** The index's base URL, the file's URL, its upload time and yanked flag as the simple API lists them. */
  index?: string;
  url?: string;
  uploadTime?: string | null;
  yanked?: boolean;
  /** With `file: true`: the file streamed and hashed. */
  file?: { url: string; bytes: number; sha256Verified: true } | null;
}

/** The public index, `https://pypi.org`. */
export const PYPI_INDEX: 'https://pypi.org';
/** `application/vnd.pypi.simple.v1+json` (PEP 691). */
export const PYPI_SIMPLE_JSON: 'application/vnd.pypi.simple.v1+json';

/** Trusted root and publisher policy checked once; `verify` per distribution (synchronous). */
export class PypiVerifier {
  constructor(options?: { trustedRoot?: JsonInput | null; policy?: PypiPolicy | null; precompute?: Precompute });
  /** The trusted root over TUF. */
  static fromTuf(options?: TufOptions & { policy?: PypiPolicy | null; precompute?: Precompute }): Promise<PypiVerifier>;
  /** `sha256`: 64 hex digits or the 32-byte digest; `provenance`: the integrity API's object or text. */
  verify(documents: { filename: string; sha256: string | Uint8Array; provenance: JsonInput }): PypiVerificationResult;
  precompute(): number;
  free(): void;
}

export interface VerifyPypiDistributionOptions {
  /** Default `https://pypi.org`. */
  index?: string;
  /** Default `globalThis.fetch`. */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  policy?: PypiPolicy | null;
  /** A trusted root to pin (no TUF). */
  trustedRoot?: JsonInput | null;
  /** TUF options (default: the public-good repository), or false for the embedded root. */
  tuf?: TufOptions | false;
  /** Download the file and check its sha256 against the index's while it streams. */
  file?: boolean;
  signal?: AbortSignal;
}

/**
 * Fetch a distribution's listing (PEP 691 simple API) and provenance (integrity API) from the
 * index and verify them; rejects with a VerificationError.
 */
export function verifyPypiDistribution(project: string, version: string, filename: string, options?: VerifyPypiDistributionOptions): Promise<PypiVerificationResult>;

/** The file entry of `filename` in a PEP 691 JSON page (text), its URL resolved against `pageUrl`. */
export function pypiFileEntry(pageText: string, filename: string, pageUrl: string): { url: string; sha256: string; uploadTime: string | null; yanked: boolean };

/** The PEP 503 normalised project name, after checking the project, version and filename. */
export function pypiCoordinates(project: string, version: string, filename: string): string;

// ---- the <sigstore-provenance> badge (sigstore-wasm/badge, src/badge.js; runtime exports in badge.d.ts) ----

/** What a badge shows; `renderBadge` draws one from it. */
export interface BadgeModel {
  /** `'github'`: a GitHub artifact (`name` the repository or owner, `version` the digest, `result` an AttestationBatch). */
  kind?: 'npm' | 'github';
  state: 'idle' | 'pending' | 'verified' | 'failed';
  name?: string | null;
  version?: string | null;
  registry?: string | null;
  result?: NpmVerificationResult | PypiVerificationResult | AttestationBatch | null;
  error?: { code: ErrorCode; step: Step | string; message: string; failed?: AttestationFailure[] } | null;
  /** 'pypi' for the PyPI mode (registry="pypi"): `name` is the project, with `filename` and `index`; 'github' for a GitHub artifact (`repo`/`owner` + `digest`). */
  kind?: 'pypi' | 'github';
  filename?: string | null;
  index?: string | null;
}

/** `event.detail` of the `sigstore-provenance` event: a result or an error, never both. */
export type SigstoreProvenanceEventDetail =
  | { name: string; version: string; result: NpmVerificationResult | PypiVerificationResult; error?: never }
  | { name: string; version: string; error: { code: ErrorCode; step: Step | string; message: string }; result?: never }
  | { repo?: string; owner?: string; digest: string; result: AttestationBatch; error?: never }
  | { repo?: string; owner?: string; digest: string; error: { code: ErrorCode; step: Step | string; message: string; failed?: AttestationFailure[] }; result?: never };

/**
 * `<sigstore-provenance package version [registry] [repository] [tarball]>`: verifies in the page
 * and shows the verdict; every attribute change verifies again.
 */
export interface SigstoreProvenanceElement extends HTMLElement {
  readonly state: BadgeModel['state'];
  /** An NpmVerificationResult, a PypiVerificationResult with registry="pypi", an AttestationBatch for a GitHub artifact. */
  readonly result: NpmVerificationResult | PypiVerificationResult | AttestationBatch | null;
  readonly error: BadgeModel['error'];
  /** The text equivalent, e.g. "Provenance verified: built by github.com/o/r at commit abc1234". */
  readonly text: string;
  /**
   * TUF options merged last into verifyNpmPackage's `tuf` option (after the `tuf-url`,
   * `tuf-root`, `tuf-offline` attributes), or `false` for the embedded trusted root. Tests set
   * `{ now, root }` here. Setting it verifies again.
   */
  tufOptions: TufOptions | false | null;
  /** A trusted_root.json to pin (no TUF); wins over the `trusted-root` attribute. */
  trustedRoot: string | object | null;
  /** GitHub mode (`repo` | `owner` with `digest`): a token for the API; a property, never an attribute. */
  token: string | null;
}

declare global {
  interface HTMLElementTagNameMap {
    'sigstore-provenance': SigstoreProvenanceElement;
  }
  interface HTMLElementEventMap {
    'sigstore-provenance': CustomEvent<SigstoreProvenanceEventDetail>;
  }
}

