// PyPI: verify a distribution's PEP 740 attestations (the provenance PyPI's Trusted Publishing
// records) in any runtime with `fetch`. The checks run in the wasm core (crates/pypi); this file
// fetches the index's documents (the JSON simple API of PEP 691 for the file's URL and sha256,
// the integrity API for the provenance) and, when asked, streams the file through the sha256
// hasher.
import { WasmPypiVerifier, checkPypiCoordinates } from '../wasm/sigstore_wasm.js';
import { VerificationError, rethrow, precomputeSchedule } from './errors.js';
import { Sha256 } from './api.js';
import { tufTrust } from './tuf.js';
import { httpBase, getDocument, streamDigest, httpUrl } from './http.js';

// A wasm verifier built by fromTuf, handed to the constructor.
const INNER = Symbol('inner');

/** The public index. */
export const PYPI_INDEX = 'https://pypi.org';
/** The media type of the JSON simple API (PEP 691). */
export const PYPI_SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';

// Prepared verifiers (trusted root checked, policy parsed) live this long per trust and policy.
const VERIFIER_TTL_MS = 10 * 60 * 1000;
const MAX_CACHED = 16;

function fetchFailed(message) {
  return new VerificationError('PYPI_FETCH_FAILED', 'input', message);
}

function documentInvalid(message) {
  return new VerificationError('PYPI_DOCUMENT_INVALID', 'input', message);
}

/** A policy object copied (so a Proxy or a later change cannot reach the wasm side). */
function policyCopy(policy) {
  if (policy == null) return undefined;
  return typeof policy === 'object' ? JSON.parse(JSON.stringify(policy)) : policy;
}

/** Trusted root and publisher policy checked once; `verify` per distribution (synchronous). */
export class PypiVerifier {
  #inner;
  #tables;

  /**
   * `trustedRoot`: trusted_root.json (default: the embedded Sigstore production root);
   * `policy`: omitted for the publisher each attestation bundle names (reported),
   * `{ repository: 'OWNER/REPO' }` for that GitHub or GitLab repository's publisher, or
   * `{ publisher: { kind: 'GitHub', repository, workflow, environment? } }` (also GitLab with
   * `workflow_filepath`, Google with `email`, CircleCI with `project_id` and
   * `pipeline_definition_id`) for exactly that publisher; `precompute` as for NpmVerifier.
   */
  constructor({ trustedRoot, policy, precompute, [INNER]: inner } = {}) {
    this.#tables = precomputeSchedule(precompute, () => this.#inner.precompute());
    try {
      this.#inner = inner ?? new WasmPypiVerifier(trustedRoot ?? undefined, policyCopy(policy));
    } catch (e) {
      rethrow(e);
    }
    this.#tables.constructed();
  }

  /**
   * The trusted root over TUF (tuf.js), verified and cached. Options: the TUF options of
   * `Verifier.fromTuf` (`instance`, `url`, `root`, `cache`, `fetch`, `offline`, `requireFresh`,
   * `now`, `signal`, `timeoutMs`), plus `policy` and `precompute`.
   */
  static async fromTuf(options = {}) {
    const { policy, precompute, ...tuf } = options ?? {};
    const trust = await pypiTrust(tuf, {});
    return trust.build(policy, precompute);
  }

  /** Build the trusted keys' fixed-base tables now (idempotent); returns their size in bytes. */
  precompute() {
    return this.#inner.precompute();
  }

  /**
   * Verify one distribution from documents already fetched: `filename` (the wheel or sdist
   * name), `sha256` (64 hex digits or the 32-byte digest) and `provenance` (the integrity API's
   * object or its JSON text). Returns the result object or throws a VerificationError.
   */
  verify({ filename, sha256, provenance }) {
    this.#tables.verifying();
    try {
      return this.#inner.verify(String(filename), sha256, provenance ?? undefined);
    } catch (e) {
      rethrow(e);
    }
  }

  free() {
    this.#inner?.free();
    this.#inner = undefined;
  }
}

const clientIds = new WeakMap();
let nextClientId = 1;

/** Where the trust comes from: a pinned root, the embedded one (`tuf: false`) or TUF (default). */
async function pypiTrust(tuf, { fetchFn, signal, trustedRoot }) {
  const plain = (id) => ({ id, build: (policy, precompute) => new PypiVerifier({ trustedRoot, policy, precompute }) });
  if (trustedRoot != null) return plain('given');
  if (tuf === false) return plain('embedded');
  const opts = { ...(tuf ?? {}) };
  if (fetchFn) opts.fetch ??= fetchFn;
  if (signal) opts.signal ??= signal;
  const t = await tufTrust(opts);
  if (t.kind === 'embedded') return plain('embedded');
  const client = t.client;
  if (!clientIds.has(client)) clientIds.set(client, nextClientId++);
  return {
    id: `tuf:${clientIds.get(client)}`,
    build(policy, precompute) {
      let inner;
      try {
        inner = WasmPypiVerifier.fromTuf(client, policyCopy(policy));
      } catch (e) {
        rethrow(e);
      }
      return new PypiVerifier({ precompute, [INNER]: inner });
    },
  };
}

const verifiers = new Map();

function cachedVerifier(trust, policy) {
  const key = `${trust.id}\n${JSON.stringify(policy ?? null)}`;
  const hit = verifiers.get(key);
  if (hit && Date.now() - hit.at < VERIFIER_TTL_MS) return hit.verifier;
  const verifier = trust.build(policy);
  if (hit) hit.verifier.free();
  verifiers.delete(key);
  for (const [k, v] of verifiers) {
    if (verifiers.size < MAX_CACHED) break;
    v.verifier.free();
    verifiers.delete(k);
  }
  verifiers.set(key, { verifier, at: Date.now() });
  return verifier;
}

/**
 * The file entry of `filename` in a PEP 691 project page (JSON text): `{ url, sha256,
 * uploadTime, yanked }`, the URL resolved against the page's.
 */
export function pypiFileEntry(pageText, filename, pageUrl) {
  let page;
  try {
    page = JSON.parse(pageText);
  } catch {
    throw documentInvalid(`${pageUrl}: the simple API page is not JSON`);
  }
  if (!Array.isArray(page?.files)) throw documentInvalid(`${pageUrl}: the simple API page has no files list`);
  const entry = page.files.find((f) => f?.filename === filename);
  if (!entry) throw new VerificationError('PYPI_FILE_NOT_FOUND', 'input', `${pageUrl} lists no file ${filename}`);
  const sha256 = entry.hashes?.sha256;
  if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) throw documentInvalid(`${pageUrl}: ${filename} has no sha256 hash`);
  const url = typeof entry.url === 'string' ? httpUrl(entry.url, pageUrl) : undefined;
  if (!url) throw documentInvalid(`${pageUrl}: ${filename} has no http(s) URL`);
  const uploadTime = typeof entry['upload-time'] === 'string' ? entry['upload-time'] : null;
  return { url: url.href, sha256: sha256.toLowerCase(), uploadTime, yanked: entry.yanked != null && entry.yanked !== false };
}

function hex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Fetch and verify one distribution file of a project version:
 *   GET INDEX/simple/PROJECT/                                      (PEP 691 JSON: URL, sha256)
 *   GET INDEX/integrity/PROJECT/VERSION/FILENAME/provenance       (PEP 740 provenance)
 * with the trusted root from Sigstore's TUF repository (as verifyNpmPackage), and with
 * `file: true` the file itself, hashed while it streams in; its sha256 must be the one the index
 * lists (`PYPI_HASH_MISMATCH`) and is the one every attestation subject must carry.
 *
 * Options: `index` (default https://pypi.org), `fetch`, `policy` (see PypiVerifier), `file`,
 * `signal`, and the trust: `tuf` (TUF options, or `false` for the embedded root) or
 * `trustedRoot` (a trusted_root.json to pin). Resolves to the result object (`verified: true`,
 * `attestations` with each publisher and signer, `project`, `version`, `purl`, `index`, `url`,
 * `uploadTime`, `yanked`, `file`) or rejects with a VerificationError.
 */
export async function verifyPypiDistribution(project, version, filename, options = {}) {
  const { index = PYPI_INDEX, policy, trustedRoot, file = false, signal, tuf } = options ?? {};
  const fetchFn = options?.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchFn !== 'function') throw new VerificationError('INPUT_INVALID', 'input', 'no fetch: pass options.fetch');
  let normalized;
  try {
    normalized = checkPypiCoordinates(String(project), String(version), String(filename));
  } catch (e) {
    rethrow(e);
  }
  const base = httpBase(index, 'index');
  const pageUrl = `${base}/simple/${normalized}/`;
  const provUrl = `${base}/integrity/${normalized}/${encodeURIComponent(version)}/${encodeURIComponent(filename)}/provenance`;
  const [page, provenance, trust] = await Promise.all([
    getDocument(fetchFn, pageUrl, { signal, fail: fetchFailed, accept: PYPI_SIMPLE_JSON }),
    getProvenance(fetchFn, provUrl, signal),
    pypiTrust(tuf, { fetchFn, signal, trustedRoot }),
  ]);
  const entry = pypiFileEntry(page, String(filename), pageUrl);
  let sha256 = entry.sha256;
  let fileInfo = null;
  if (file) {
    const { digest, bytes } = await streamDigest(fetchFn, entry.url, new Sha256(), { signal, fail: fetchFailed });
    const got = hex(digest);
    if (got !== entry.sha256) {
      throw new VerificationError('PYPI_HASH_MISMATCH', 'artifact', `${entry.url}: sha256 ${got}, but the index lists ${entry.sha256}`);
    }
    sha256 = digest;
    fileInfo = { url: entry.url, bytes, sha256Verified: true };
  }
  const pinned = trustedRoot != null;
  const verifier = pinned ? trust.build(policy) : cachedVerifier(trust, policy);
  try {
    const result = verifier.verify({ filename, sha256, provenance });
    Object.assign(result, {
      project: normalized,
      version: String(version),
      purl: `pkg:pypi/${normalized}@${version}`,
      index: base,
      url: entry.url,
      uploadTime: entry.uploadTime,
      yanked: entry.yanked,
      file: fileInfo,
    });
    return result;
  } finally {
    if (pinned) verifier.free();
  }
}

async function getProvenance(fetchFn, url, signal) {
  // 403: the index refuses the provenance (PyPI: attestations disabled for the project).
  const fail = (m) => fetchFailed(m.endsWith('HTTP 403') ? `${m} (the index refuses the provenance)` : m);
  const text = await getDocument(fetchFn, url, { signal, fail, optional: true });
  if (text === undefined) throw new VerificationError('PYPI_ATTESTATION_MISSING', 'policy', `${url}: HTTP 404 (the file has no provenance)`);
  return text;
}

/** The PEP 503 normalised name of a project, after checking project, version and filename. */
export function pypiCoordinates(project, version, filename) {
  try {
    return checkPypiCoordinates(String(project), String(version), String(filename));
  } catch (e) {
    rethrow(e);
  }
}
