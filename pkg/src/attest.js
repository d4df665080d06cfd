// GitHub artifact attestations (actions/attest, actions/attest-build-provenance): verify them with
// the policy of `gh attestation verify`, in any runtime with `fetch`. The checks run in the wasm
// core (crates/attest); this file fetches the attestations from the GitHub REST API when asked,
// and hashes a streamed artifact.
import { attestationsPath } from '../wasm/sigstore_wasm.js';
import { VerificationError, rethrow } from './errors.js';
import { Verifier, hashStream } from './api.js';

/** The GitHub REST API. */
export const GITHUB_API = 'https://api.github.com';

// The REST response is refused above this size (sigstore-attest's input limit, 64 MiB).
const MAX_RESPONSE_BYTES = 64 << 20;
const DEFAULT_TIMEOUT_MS = 30_000;
// Policy option names (sigstore_attest::PolicySpec::FIELDS); the rest of `options` is this file's.
const POLICY_FIELDS = ['owner', 'repo', 'signerWorkflow', 'signerRepo', 'certIdentity', 'certIdentityRegex', 'sourceRef', 'sourceDigest', 'signerDigest', 'certOidcIssuer', 'predicateType', 'denySelfHostedRunners'];
const THRESHOLD_FIELDS = ['tlogThreshold', 'timestampThreshold', 'requireSct', 'lowerThresholdsUnsafe'];
const OTHER_FIELDS = ['artifact', 'digestAlg', 'apiBase', 'token', 'timeoutMs', 'fetch', 'signal', 'verifier', 'trustedRoot', 'tuf', ...THRESHOLD_FIELDS];

function fetchFailed(message) {
  return new VerificationError('ATTEST_FETCH_FAILED', 'input', message);
}

function inputInvalid(message) {
  return new VerificationError('INPUT_INVALID', 'input', message);
}

function apiBaseOf(apiBase) {
  let url;
  try {
    url = new URL(apiBase);
  } catch {
    throw inputInvalid(`apiBase is not a URL: ${apiBase}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw inputInvalid(`apiBase must be an http(s) URL: ${apiBase}`);
  return url.href.replace(/\/+$/, '');
}

/** `GET {apiBase}/repos/OWNER/REPO/attestations/DIGEST` (or `/orgs/OWNER/...`): the response text. */
async function fetchAttestations({ kind, name, digest }, o) {
  let path;
  try {
    path = attestationsPath(kind, name, digest);
  } catch (e) {
    rethrow(e);
  }
  const fetchFn = o.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchFn !== 'function') throw inputInvalid('no fetch: pass options.fetch');
  const url = `${apiBaseOf(o.apiBase ?? GITHUB_API)}${path}?per_page=100`;
  const headers = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  if (o.token != null) headers.authorization = `Bearer ${o.token}`;
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  const onAbort = () => abort.abort(o.signal.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const why = (e) => (abort.signal.aborted && abort.signal.reason?.message ? abort.signal.reason.message : e?.message ?? String(e));
  try {
    let res;
    try {
      res = await fetchFn(url, { headers, signal: abort.signal });
    } catch (e) {
      throw fetchFailed(`GET ${url}: ${why(e)}`);
    }
    if (res.status === 404) throw fetchFailed(`GET ${url}: HTTP 404: no attestations for ${digest} there (or no access: private repositories need a token)`);
    if (res.status !== 200) throw fetchFailed(`GET ${url}: HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length'));
    if (declared > MAX_RESPONSE_BYTES) throw fetchFailed(`GET ${url}: ${declared} bytes (limit ${MAX_RESPONSE_BYTES})`);
    let text;
    try {
      text = await res.text();
    } catch (e) {
      throw fetchFailed(`GET ${url}: ${why(e)}`);
    }
    if (text.length > MAX_RESPONSE_BYTES) throw fetchFailed(`GET ${url}: larger than ${MAX_RESPONSE_BYTES} bytes`);
    return text;
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** `{ repo | owner, digest }`: attestations to fetch; anything else is the attestations themselves. */
function fetchSpec(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input) || typeof input.digest !== 'string') return null;
  if ('attestations' in input || 'mediaType' in input) return null;
  const { repo, owner, digest } = input;
  if ((repo == null) === (owner == null)) throw new VerificationError('ATTEST_POLICY_INVALID', 'input', 'give repo (OWNER/REPO) or owner (ORG) with the digest, not both');
  return repo != null ? { kind: 'repo', name: String(repo), digest } : { kind: 'owner', name: String(owner), digest };
}

/** The artifact for the wasm layer: bytes, `{ digest }`, or a stream hashed here. */
async function artifactOf(artifact, alg) {
  if (typeof artifact === 'string') return { digest: artifact };
  if (artifact instanceof Uint8Array) return artifact;
  if (artifact instanceof ArrayBuffer) return new Uint8Array(artifact);
  if (ArrayBuffer.isView(artifact)) return new Uint8Array(artifact.buffer, artifact.byteOffset, artifact.byteLength);
  if (artifact && (typeof artifact.getReader === 'function' || typeof artifact[Symbol.asyncIterator] === 'function')) {
    return { digest: await hashStream(artifact, alg) };
  }
  if (artifact && typeof artifact === 'object' && typeof artifact.digest === 'string') return { digest: artifact.digest };
  throw inputInvalid('artifact must be bytes, a ReadableStream, or "sha256:HEX"');
}

/**
 * Where verifyAttestation gets what verifies each bundle: `options.verifier` (a Verifier, e.g.
 * from Verifier.fromTuf), `trustedRoot` (pinned: one root, or several — an array or the JSON
 * lines of `gh attestation trusted-root` — each bundle checked against its own instance),
 * `tuf: false` (the embedded public-good root), else Verifier.fromTuf(tuf options;
 * `instance: 'github'` for GitHub's instance); with the threshold options. Returns
 * `{ verifier, owned }`: an owned verifier is freed after use.
 */
async function attestationVerifier(o) {
  if (o.verifier != null) {
    if (!(o.verifier instanceof Verifier)) throw inputInvalid('verifier must be a Verifier');
    return { verifier: o.verifier, owned: false };
  }
  const thresholds = {};
  for (const k of THRESHOLD_FIELDS) if (o[k] !== undefined) thresholds[k] = o[k];
  if (o.trustedRoot != null) return { verifier: new Verifier({ trustedRoot: o.trustedRoot, ...thresholds }), owned: true };
  if (o.tuf === false) return { verifier: new Verifier(thresholds), owned: true };
  return { verifier: await Verifier.fromTuf({ fetch: o.fetch, signal: o.signal, ...(o.tuf ?? {}), ...thresholds }), owned: true };
}

/**
 * Verify GitHub artifact attestations with the policy of `gh attestation verify`.
 *
 * `input`: a Sigstore bundle (object or JSON text), a list of bundles, JSON lines, the REST
 * response `{ attestations: [{ bundle }] }`, or `{ repo: 'OWNER/REPO' | owner: 'ORG', digest:
 * 'sha256:HEX' }` to fetch `GET {apiBase}/repos/OWNER/REPO/attestations/sha256:HEX` (or
 * `/orgs/ORG/...`) first; `repo`/`owner` is then also the policy's unless options name one.
 *
 * Options: the policy (`owner` | `repo`, `signerWorkflow`, `signerRepo`, `certIdentity`,
 * `certIdentityRegex`, `sourceRef`, `sourceDigest`, `signerDigest`, `certOidcIssuer`,
 * `predicateType`, `denySelfHostedRunners`); `artifact` (bytes, a ReadableStream or async
 * iterable hashed with `digestAlg`, default sha256, or 'sha256:HEX'; default: the fetched
 * digest); `apiBase` (default https://api.github.com), `token` (sent as `Authorization: Bearer`),
 * `timeoutMs` (default 30000), `fetch`, `signal`; trust: `verifier`, `trustedRoot`, `tuf`.
 *
 * Resolves to `{ form, verified: [{ index, predicateType, statement, signer, verifiedTimes,
 * tlogEntries, trust }], failed: [{ index, code, step, message }] }` when at least one bundle
 * verified; otherwise rejects with a VerificationError `ATTEST_NONE_VERIFIED` whose `failed`
 * lists every bundle's reason (or with the code of an input, policy or fetch that failed).
 */
export async function verifyAttestation(input, options = {}) {
  const o = options ?? {};
  if (typeof o !== 'object') throw inputInvalid('options must be an object');
  for (const k of Object.keys(o)) {
    if (!POLICY_FIELDS.includes(k) && !OTHER_FIELDS.includes(k)) throw inputInvalid(`options: unknown field ${JSON.stringify(k)}`);
  }
  const policy = {};
  for (const k of POLICY_FIELDS) if (o[k] != null) policy[k] = o[k];
  const spec = fetchSpec(input);
  if (spec && policy.owner == null && policy.repo == null) policy[spec.kind] = spec.name;
  const alg = o.digestAlg ?? 'sha256';
  if (alg !== 'sha256' && alg !== 'sha512') throw inputInvalid("digestAlg must be 'sha256' or 'sha512'");
  if (o.artifact == null && !spec) throw inputInvalid('artifact is required (bytes, a ReadableStream or "sha256:HEX")');
  const settled = await Promise.allSettled([artifactOf(o.artifact ?? spec.digest, alg), spec ? fetchAttestations(spec, o) : input, attestationVerifier(o)]);
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) {
    if (settled[2].status === 'fulfilled' && settled[2].value.owned) settled[2].value.verifier.free();
    throw failure.reason;
  }
  const [artifact, attestations, trust] = settled.map((r) => r.value);
  let batch;
  try {
    batch = trust.verifier.verifyAttestations(attestations, artifact, policy);
  } finally {
    if (trust.owned) trust.verifier.free();
  }
  if (batch.verified.length > 0) return batch;
  const first = batch.failed[0];
  const message = first ? `none of ${batch.failed.length} attestation(s) verified; [${first.index}]: ${first.code}: ${first.message}` : 'the input holds no attestation';
  const e = new VerificationError('ATTEST_NONE_VERIFIED', 'policy', message);
  e.failed = batch.failed;
  e.form = batch.form;
  throw e;
}
