// What the registry faces (npm.js, pypi.js) share for talking to a registry or an index: the
// base-URL check, a bounded document GET and a streamed download hashed chunk by chunk. Each
// face passes its own `fail(message)` (NPM_FETCH_FAILED, PYPI_FETCH_FAILED, ...), so the codes
// stay with the face that raises them.
import { VerificationError } from './errors.js';

// Registry documents are small (an attestations document is tens of KB); refuse a response
// larger than this rather than buffer whatever a hostile server sends.
export const MAX_DOCUMENT_BYTES = 8 << 20;

/** An http(s) base URL without trailing slashes (`what` names it in the INPUT_INVALID message). */
export function httpBase(base, what) {
  let url;
  try {
    url = new URL(base);
  } catch {
    throw new VerificationError('INPUT_INVALID', 'input', `${what} is not a URL: ${base}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new VerificationError('INPUT_INVALID', 'input', `${what} must be an http(s) URL: ${base}`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * GET a document as text, at most MAX_DOCUMENT_BYTES. `optional`: a 404 resolves to undefined;
 * `accept`: the Accept header (default JSON). Any other status than 200, a network error or an
 * oversized body rejects with `fail(message)`.
 */
export async function getDocument(fetchFn, url, { signal, fail, optional = false, accept = 'application/json' }) {
  let res;
  try {
    res = await fetchFn(url, { headers: { accept }, signal });
  } catch (e) {
    throw fail(`GET ${url}: ${e?.message ?? e}`);
  }
  if (optional && res.status === 404) return undefined;
  if (res.status !== 200) throw fail(`GET ${url}: HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length'));
  if (declared > MAX_DOCUMENT_BYTES) throw fail(`GET ${url}: ${declared} bytes (limit ${MAX_DOCUMENT_BYTES})`);
  let text;
  try {
    text = await res.text();
  } catch (e) {
    throw fail(`GET ${url}: ${e?.message ?? e}`);
  }
  if (text.length > MAX_DOCUMENT_BYTES) throw fail(`GET ${url}: larger than ${MAX_DOCUMENT_BYTES} bytes`);
  return text;
}

/**
 * Stream `url` (already checked to be http(s)) through `hasher` (a Sha256/Sha512 of api.js),
 * never holding the body whole. Resolves to `{ digest, bytes }`.
 */
export async function streamDigest(fetchFn, url, hasher, { signal, fail }) {
  let res;
  try {
    res = await fetchFn(url, { signal });
  } catch (e) {
    throw fail(`GET ${url}: ${e?.message ?? e}`);
  }
  if (res.status !== 200 || !res.body) throw fail(`GET ${url}: HTTP ${res.status}`);
  const reader = res.body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      hasher.update(value);
    }
  } catch (e) {
    if (e instanceof VerificationError) throw e;
    throw fail(`GET ${url}: ${e?.message ?? e}`);
  } finally {
    reader.releaseLock();
  }
  return { digest: hasher.digest(), bytes };
}

/** `url` as an http(s) URL (resolved against `base` when relative), or undefined. */
export function httpUrl(url, base) {
  let u;
  try {
    u = new URL(url, base);
  } catch {
    return undefined;
  }
  return u.protocol === 'https:' || u.protocol === 'http:' ? u : undefined;
}
