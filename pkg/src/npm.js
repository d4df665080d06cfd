// npm provenance: verify a published package version's attestations (SLSA provenance + npm
// publish attestation) and registry signatures, as `npm audit signatures` does, in any runtime
// with `fetch`. The checks run in the wasm core (crates/npm); this file fetches the registry's
// documents and streams the tarball through the sha512 hasher.
import { WasmNpmVerifier, checkNpmCoordinates, sriSha512 } from '../wasm/sigstore_wasm.js';
import { VerificationError, rethrow, precomputeSchedule } from './errors.js';
import { Sha512 } from './api.js';
import { tufTrust, TRUSTED_ROOT_TARGET, NPM_KEYS_TARGET } from './tuf.js';
import { httpBase, getDocument, streamDigest, httpUrl } from './http.js';

// A wasm verifier built by fromTuf, handed to the constructor.
const INNER = Symbol('inner');

/** The public npm registry. */
export const NPM_REGISTRY = 'https://registry.npmjs.org';

// Prepared verifiers (keys parsed, trusted root checked) are kept for this long per registry
// and policy, so a page or an edge function verifying many packages pays that once.
const KEYS_TTL_MS = 10 * 60 * 1000;
const MAX_CACHED = 16;

function fetchFailed(message) {
  return new VerificationError('NPM_FETCH_FAILED', 'input', message);
}

/** Keys, trusted root and policy parsed once; `verify` per package version (synchronous). */
export class NpmVerifier {
  #inner;
  #tables;

  /**
   * `keys`: the registry's `/-/npm/v1/keys` document (object or JSON text);
   * `trustedRoot`: trusted_root.json (default: the embedded Sigstore production root);
   * `policy`: `{ repository: 'OWNER/REPO' }` or `{ identityRegex, issuer | issuerRegex }`
   * (default: any GitHub Actions workflow or GitLab.com pipeline), plus `requireProvenance`,
   * `requirePublish` (default true); `precompute`: when to build the trusted keys' tables
   * ('auto': on the third verification; true: now; false: never; see errors.js).
   */
  constructor({ keys, trustedRoot, policy, precompute, [INNER]: inner } = {}) {
    const p = policy != null && typeof policy === 'object' ? { ...policy } : policy;
    this.#tables = precomputeSchedule(precompute, () => this.#inner.precompute());
    try {
      this.#inner = inner ?? new WasmNpmVerifier(keys, trustedRoot ?? undefined, p ?? undefined);
    } catch (e) {
      rethrow(e);
    }
    this.#tables.constructed();
  }

  /**
   * Keys and trusted root over TUF (tuf.js): the trusted root and the registry keys target
   * `registry.npmjs.org/keys.json` of the Sigstore TUF repository, verified and cached. Options:
   * the TUF options of `Verifier.fromTuf` (`instance`, `url`, `root`, `cache`, `fetch`,
   * `offline`, `requireFresh`, `now`, `signal`, `timeoutMs`), plus `policy`, `precompute`,
   * `keys` (a keys document instead of the TUF target) and `registry` (whose
   * `/-/npm/v1/keys` is fetched only when TUF lists no keys or could not be reached).
   */
  static async fromTuf(options = {}) {
    const o = options ?? {};
    const fetchFn = o.fetch ?? globalThis.fetch?.bind(globalThis);
    const trust = await npmTrust(o, { fetchFn, signal: o.signal, keysFromTuf: o.keys == null });
    const keysText = o.keys != null ? keysDocument(o.keys) : trust.keysFromTuf ? undefined : await registryKeys(fetchFn, registryBase(o.registry ?? NPM_REGISTRY), o.signal);
    return trust.build(keysText, o.policy, o.precompute);
  }

  /** Build the trusted keys' fixed-base tables now (idempotent); returns their size in bytes. */
  precompute() {
    return this.#inner.precompute();
  }

  /**
   * Verify one version from documents already fetched. `integrity` is `dist.integrity`
   * (`sha512-…`) or the tarball's 64-byte sha512; `attestations` the
   * `/-/npm/v1/attestations/NAME@VERSION` document (omit when the registry has none);
   * `packument` the version document (`/NAME/VERSION`) or the full packument, whose registry
   * signatures are then checked. Returns the result object or throws a VerificationError.
   */
  verify({ name, version, integrity, attestations, packument }) {
    this.#tables.verifying();
    try {
      return this.#inner.verify(String(name), String(version), integrity, attestations ?? undefined, packument ?? undefined);
    } catch (e) {
      rethrow(e);
    }
  }

  free() {
    this.#inner?.free();
    this.#inner = undefined;
  }
}

/** One-shot form of `new NpmVerifier({ keys, trustedRoot, policy }).verify(documents)`. */
export function verifyNpmDocuments(documents, { trustedRoot, policy } = {}) {
  const v = new NpmVerifier({ keys: documents.keys, trustedRoot, policy });
  try {
    return v.verify(documents);
  } finally {
    v.free();
  }
}

/** `@scope/name` as npm writes it in registry paths: `@scope%2fname`. */
function escapedName(name) {
  return name.startsWith('@') ? name.replace('/', '%2f') : name;
}

function registryBase(registry) {
  return httpBase(registry, 'registry');
}

function get(fetchFn, url, signal, { optional = false } = {}) {
  return getDocument(fetchFn, url, { signal, fail: fetchFailed, optional });
}

/**
 * Stream a tarball and return its sha512, never holding it whole: each chunk goes through the
 * hasher as it arrives.
 */
async function tarballSha512(fetchFn, url, signal) {
  const u = httpUrl(url);
  if (!u) throw new VerificationError('NPM_DOCUMENT_INVALID', 'input', `dist.tarball must be an http(s) URL: ${url}`);
  const { digest, bytes } = await streamDigest(fetchFn, u.href, new Sha512(), { signal, fail: fetchFailed });
  return { sha512: digest, bytes };
}

function keysDocument(keys) {
  return typeof keys === 'string' ? keys : JSON.stringify(keys);
}

const clientIds = new WeakMap();
let nextClientId = 1;

/**
 * Where an npm verifier's trust comes from: a pinned trusted root, the embedded one (`tuf:
 * false`), or TUF (default). Resolves to `{ id, keysFromTuf, build(keysText, policy,
 * precompute) }`; `keysFromTuf` is true when the TUF client verified the registry keys target.
 */
async function npmTrust(tuf, { fetchFn, signal, keysFromTuf, trustedRoot }) {
  if (trustedRoot != null) {
    return { id: 'given', keysFromTuf: false, build: (keys, policy, precompute) => new NpmVerifier({ keys, trustedRoot, policy, precompute }) };
  }
  if (tuf === false) {
    return { id: 'embedded', keysFromTuf: false, build: (keys, policy, precompute) => new NpmVerifier({ keys, policy, precompute }) };
  }
  const opts = { ...(tuf ?? {}) };
  opts.fetch ??= fetchFn;
  opts.signal ??= signal;
  const t = await tufTrust(opts, keysFromTuf ? [TRUSTED_ROOT_TARGET, NPM_KEYS_TARGET] : [TRUSTED_ROOT_TARGET]);
  if (t.kind === 'embedded') {
    return { id: 'embedded', keysFromTuf: false, build: (keys, policy, precompute) => new NpmVerifier({ keys, policy, precompute }) };
  }
  const client = t.client;
  if (!clientIds.has(client)) clientIds.set(client, nextClientId++);
  const fromTuf = keysFromTuf && !t.absent.has(NPM_KEYS_TARGET);
  return {
    id: `tuf:${clientIds.get(client)}`,
    keysFromTuf: fromTuf,
    build(keys, policy, precompute) {
      const p = policy != null && typeof policy === 'object' ? { ...policy } : policy;
      let inner;
      try {
        inner = WasmNpmVerifier.fromTuf(client, keys ?? undefined, p ?? undefined);
      } catch (e) {
        rethrow(e);
      }
      return new NpmVerifier({ precompute, [INNER]: inner });
    },
  };
}

const verifierCache = new Map();

function cachedVerifier(base, keysText, policy, trust) {
  const id = `${base}\n${JSON.stringify(policy ?? null)}`;
  const hit = verifierCache.get(id);
  if (hit && hit.keysText === keysText && hit.trustId === trust.id && Date.now() - hit.at < KEYS_TTL_MS) return hit.verifier;
  const verifier = trust.build(keysText, policy);
  hit?.verifier.free();
  verifierCache.delete(id);
  if (verifierCache.size >= MAX_CACHED) {
    const [oldest, entry] = verifierCache.entries().next().value;
    entry.verifier.free();
    verifierCache.delete(oldest);
  }
  verifierCache.set(id, { verifier, keysText, trustId: trust.id, at: Date.now() });
  return verifier;
}

const keysCache = new Map();

async function registryKeys(fetchFn, base, signal) {
  const hit = keysCache.get(base);
  if (hit && Date.now() - hit.at < KEYS_TTL_MS) return hit.text;
  const text = await get(fetchFn, `${base}/-/npm/v1/keys`, signal);
  keysCache.set(base, { text, at: Date.now() });
  return text;
}

/** `GET REGISTRY/NAME/VERSION` and `GET REGISTRY/-/npm/v1/attestations/NAME@VERSION` (404: none). */
async function versionDocuments(fetchFn, base, name, version, signal) {
  const spec = escapedName(name);
  const [packument, attestations] = await Promise.all([
    get(fetchFn, `${base}/${spec}/${version}`, signal),
    get(fetchFn, `${base}/-/npm/v1/attestations/${spec}@${version}`, signal, { optional: true }),
  ]);
  return { packument, attestations };
}

/**
 * The trust of `verifyNpmPackage` and `verifyNpmLock` (see their `keys`, `trustedRoot` and `tuf`
 * options): resolves to `{ trust (npmTrust's), keysText (undefined: the TUF target) }`.
 */
async function registryTrust(base, { keys, trustedRoot, tuf, fetchFn, signal }) {
  const keysSource = keys == null ? (base === NPM_REGISTRY ? 'tuf' : 'registry') : keys === 'tuf' || keys === 'registry' ? keys : 'given';
  const keysFromTuf = keysSource === 'tuf' && trustedRoot == null && tuf !== false;
  const trust = await npmTrust(tuf, { fetchFn, signal, keysFromTuf, trustedRoot });
  const keysText = keysSource === 'given' ? keysDocument(keys) : trust.keysFromTuf ? undefined : await registryKeys(fetchFn, base, signal);
  return { trust, keysText };
}

/**
 * Fetch and verify a published package version:
 *   GET REGISTRY/NAME/VERSION                          (dist.integrity, dist.signatures, dist.tarball)
 *   GET REGISTRY/-/npm/v1/attestations/NAME@VERSION    (404: the version has none)
 * with the trusted root and the registry keys from Sigstore's TUF repository (tuf.js: verified,
 * cached, done once per process), and with `tarball: true` the tarball itself, hashed while it
 * streams in; its sha512 then replaces `dist.integrity` as the value every attestation subject
 * must carry.
 *
 * Options: `registry` (default https://registry.npmjs.org), `fetch` (default globalThis.fetch),
 * `policy` (see NpmVerifier), `tarball`, `signal` (an AbortSignal), and where the trust comes from:
 *   `tuf`          TUF options (`url`, `root`, `cache`, `offline`, `requireFresh`, `now`,
 *                  `timeoutMs`, `instance`; see Verifier.fromTuf), or `false` for the embedded root
 *   `trustedRoot`  a trusted_root.json to pin (no TUF)
 *   `keys`         a keys document to use; or 'tuf' (the TUF target `registry.npmjs.org/keys.json`)
 *                  or 'registry' (GET REGISTRY/-/npm/v1/keys, cached for 10 minutes). Default:
 *                  'tuf' for the public registry, 'registry' for another; the registry's endpoint
 *                  also when TUF lists no keys or could not be reached.
 * Resolves to the result object (`verified: true`, provenance: source repository, commit,
 * workflow, …, `trust`) or rejects with a VerificationError.
 */
export async function verifyNpmPackage(name, version, options = {}) {
  const { registry = NPM_REGISTRY, policy, trustedRoot, keys, tarball = false, signal, tuf } = options ?? {};
  const fetchFn = options?.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchFn !== 'function') throw new VerificationError('INPUT_INVALID', 'input', 'no fetch: pass options.fetch');
  try {
    checkNpmCoordinates(String(name), String(version));
  } catch (e) {
    rethrow(e);
  }
  const base = registryBase(registry);
  const [{ packument, attestations }, { trust, keysText }] = await Promise.all([
    versionDocuments(fetchFn, base, name, version, signal),
    registryTrust(base, { keys, trustedRoot, tuf, fetchFn, signal }),
  ]);

  let dist;
  try {
    dist = JSON.parse(packument)?.dist;
  } catch {
    throw new VerificationError('NPM_DOCUMENT_INVALID', 'input', `${name}@${version}: the version document is not JSON`);
  }
  const field = tarball ? 'tarball' : 'integrity';
  if (typeof dist?.[field] !== 'string') throw new VerificationError('NPM_DOCUMENT_INVALID', 'input', `${name}@${version}: dist.${field} is missing`);
  let integrity = dist.integrity;
  let tarballInfo = null;
  if (tarball) {
    // The streamed tarball's own sha512 replaces the listed integrity: the core then checks that
    // dist.integrity, the registry signature and every attestation subject agree with it.
    const { sha512, bytes } = await tarballSha512(fetchFn, dist.tarball, signal);
    integrity = sha512;
    tarballInfo = { url: dist.tarball, bytes };
  }

  const pinned = trustedRoot != null;
  const verifier = pinned ? trust.build(keysText, policy) : cachedVerifier(base, keysText, policy, trust);
  try {
    const result = verifier.verify({ name, version, integrity, attestations, packument });
    result.registry = base;
    result.tarball = tarballInfo ? { ...tarballInfo, integrityVerified: true } : null;
    return result;
  } finally {
    if (pinned) verifier.free();
  }
}

/** The sha512 digest inside an npm `integrity` string (`sha512-…`), as bytes. */
export function integritySha512(integrity) {
  try {
    return sriSha512(String(integrity));
  } catch (e) {
    rethrow(e);
  }
}

// ---- lock-file audit ----

// The CLI's bounds (crates/cli/src/npm_lock.rs).
const MAX_LOCK_ENTRIES = 100_000;
const MAX_LOCK_NESTING = 48;

const lockInvalid = (m) => new VerificationError('NPM_DOCUMENT_INVALID', 'input', `package-lock.json: ${m}`);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The registry packages of a package-lock.json (object or text), read as the CLI's
 * `verify-npm-lock` reads them (crates/cli/src/npm_lock.rs): `{ packages: [{ name, version,
 * integrity }] (by name, then version; each once), skipped: [{ path, reason }] }`.
 */
export function npmLockPackages(lock) {
  let doc = lock;
  if (typeof lock === 'string') {
    try {
      doc = JSON.parse(lock);
    } catch (e) {
      throw lockInvalid(`not JSON: ${e?.message ?? e}`);
    }
  }
  if (!isObject(doc)) throw lockInvalid('must be a JSON object');
  const packages = [];
  const skipped = [];
  const entry = (path, name, e) => {
    if (packages.length + skipped.length >= MAX_LOCK_ENTRIES) throw lockInvalid(`more than ${MAX_LOCK_ENTRIES} entries`);
    const s = (k) => (typeof e[k] === 'string' ? e[k] : undefined);
    const n = s('name') ?? name;
    const version = s('version');
    const integrity = s('integrity');
    const reason =
      e.link === true ? 'link'
      : e.inBundle === true || e.bundled === true ? 'bundled inside another package'
      : n === undefined || version === undefined ? 'no name or version'
      : !integrity?.includes('sha512-') ? 'no sha512 integrity (not from a registry)'
      // Aliases (`npm:real@1.0.0`) and non-registry sources carry their spec in `version`.
      : /[:/]/.test(version) ? 'not a registry version'
      : null;
    if (reason) skipped.push({ path, reason });
    else packages.push({ name: n, version, integrity });
  };
  if (doc.packages !== undefined) {
    // lockfileVersion 2/3, keyed by install path; '' is the project, others workspace folders.
    if (!isObject(doc.packages)) throw lockInvalid('packages must be an object');
    for (const [path, e] of Object.entries(doc.packages)) {
      if (!isObject(e)) throw lockInvalid(`packages[${JSON.stringify(path)}] must be an object`);
      const i = path.lastIndexOf('node_modules/');
      const name = i < 0 ? '' : path.slice(i + 13);
      if (name) entry(path, name, e);
      else skipped.push({ path, reason: path ? 'workspace folder' : 'the project itself' });
    }
  } else if (isObject(doc.dependencies)) {
    // lockfileVersion 1, nested by name.
    const walk = (deps, prefix, depth) => {
      if (depth > MAX_LOCK_NESTING) throw lockInvalid('dependencies nest too deeply');
      for (const [name, e] of Object.entries(deps)) {
        if (!isObject(e)) throw lockInvalid(`dependencies[${JSON.stringify(name)}] must be an object`);
        const path = `${prefix}node_modules/${name}`;
        entry(path, name, e);
        if (isObject(e.dependencies)) walk(e.dependencies, `${path}/`, depth + 1);
      }
    };
    walk(doc.dependencies, '', 0);
  } else {
    throw lockInvalid('has neither packages nor dependencies');
  }
  // Code-unit order, as Rust compares strings.
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  packages.sort((a, b) => cmp(a.name, b.name) || cmp(a.version, b.version));
  const same = (a, b) => a.name === b.name && a.version === b.version && a.integrity === b.integrity;
  return { packages: packages.filter((p, i) => !i || !same(p, packages[i - 1])), skipped };
}

/**
 * Audit a lock file: each registry package (npmLockPackages) fetched as `verifyNpmPackage` fetches
 * it (same options but `tarball`), `concurrency` at a time (default 8), and checked by one
 * verifier against the lock's `integrity`. Without attestations (and none listed) a package
 * passes on its registry signature unless `requireAttestations`. Resolves to `{ packages, skipped,
 * summary }` (see index.d.ts, NpmLockAudit); one package's failure is its row, never a rejection.
 */
export async function verifyNpmLock(lock, options = {}) {
  const { registry = NPM_REGISTRY, policy, trustedRoot, keys, signal, tuf, requireAttestations = false, concurrency = 8 } = options ?? {};
  const fetchFn = options?.fetch ?? globalThis.fetch?.bind(globalThis);
  const bad = (m) => new VerificationError('INPUT_INVALID', 'input', m);
  if (typeof fetchFn !== 'function') throw bad('no fetch: pass options.fetch');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw bad('concurrency must be a whole number of at least 1');
  if (typeof requireAttestations !== 'boolean') throw bad('requireAttestations must be true or false');
  const base = registryBase(registry);
  const { packages, skipped } = npmLockPackages(lock);
  const { trust, keysText } = await registryTrust(base, { keys, trustedRoot, tuf, fetchFn, signal });
  // This audit's own verifiers, freed after it (a cached one could be freed by another call).
  const verifier = trust.build(keysText, policy);
  let sigOnly; // without attestations only the registry signature is required
  const aborted = () => {
    if (signal?.aborted) throw new VerificationError('NPM_FETCH_FAILED', 'input', `aborted: ${signal.reason?.message ?? signal.reason}`);
  };
  const check = async ({ name, version, integrity }) => {
    try {
      checkNpmCoordinates(name, version);
    } catch (e) {
      rethrow(e);
    }
    const { packument, attestations } = await versionDocuments(fetchFn, base, name, version, signal);
    if (attestations === undefined && requireAttestations) {
      throw new VerificationError('NPM_ATTESTATION_MISSING', 'policy', `${name}@${version}: the registry has no attestations (requireAttestations)`);
    }
    const v = attestations !== undefined ? verifier : (sigOnly ??= trust.build(keysText, { ...(isObject(policy) ? policy : {}), requireProvenance: false, requirePublish: false }));
    return v.verify({ name, version, integrity, attestations, packument });
  };
  const rows = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    for (let i = next++; i < packages.length && !stopped; i = next++) {
      aborted();
      const { name, version, integrity } = packages[i];
      try {
        const result = await check(packages[i]);
        result.registry = base;
        result.tarball = null;
        rows[i] = { name, version, integrity, status: result.provenance ? 'verified' : 'no-provenance', verified: true, result };
      } catch (e) {
        aborted();
        if (!(e instanceof VerificationError)) throw e;
        rows[i] = { name, version, integrity, status: 'failed', verified: false, error: { code: e.code, step: e.step, message: e.message } };
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, packages.length) }, worker));
  } finally {
    stopped = true;
    verifier.free();
    sigOnly?.free();
  }
  const count = (status) => rows.filter((r) => r.status === status).length;
  const failed = count('failed');
  return {
    packages: rows,
    skipped,
    summary: { packages: rows.length, verified: rows.length - failed, withProvenance: count('verified'), noProvenance: count('no-provenance'), failed, skipped: skipped.length },
  };
}
