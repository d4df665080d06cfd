// sigstore-wasm edge gate: sits in front of an npm registry (or any origin serving npm tarballs
// at registry paths) and lets a tarball through only when the version's provenance verifies and
// satisfies the configured policy. Runtime-neutral: it needs `fetch`, `Request`/`Response`,
// `crypto.subtle` and the sigstore-wasm API, which the caller passes in (gate/src/worker.js for
// Cloudflare Workers, gate/deno.js for Deno).
//
//   const gate = createGate(api, env);      // api: the sigstore-wasm module; env: settings (below)
//   const response = await gate.handle(request, { waitUntil });
//
// Requests it gates: GET/HEAD `/NAME/-/LEAF-VERSION.tgz` (NAME `pkg`, `@scope/pkg` or
// `@scope%2fpkg`; LEAF the name without its scope), and with GATE_VERSION_DOCUMENTS also
// `/NAME/VERSION`. Everything else is proxied unchanged (NON_PACKAGE=pass, the default) or
// refused with 404 (NON_PACKAGE=deny).
//
// Verdicts: verifying a version (provenance + publish attestations + registry signature, via
// `verifyNpmPackage`) is cached per isolate and in the Workers Cache API (`caches.default`),
// keyed by NAME@VERSION and a hash of the settings; the policy checks that depend on the request
// time (MIN_AGE_HOURS) run on every request. The tarball itself is hashed on every request
// (sha512, streamed) and compared with the verified integrity.

import { createPypiGate } from './pypi.js';

export const GATE_CODES = {
  GATE_TOO_RECENT: 'signed more recently than MIN_AGE_HOURS before the request',
  GATE_SIGNING_TIME_UNKNOWN: 'MIN_AGE_HOURS is set but the provenance has no SET-verified log time',
  GATE_REPOSITORY_NOT_ALLOWED: 'the provenance source repository is not in ALLOWED_REPOSITORIES (or there is no provenance)',
  GATE_WORKFLOW_NOT_ALLOWED: 'the provenance workflow is not in ALLOWED_WORKFLOWS',
  GATE_ISSUER_NOT_ALLOWED: 'the provenance OIDC issuer is not in ALLOWED_ISSUERS',
  GATE_REQUEST_INVALID: 'a tarball path whose file name does not match the package name (400)',
  GATE_UPSTREAM_FAILED: 'the upstream could not be reached for the tarball (502)',
  GATE_CONFIG_INVALID: 'the gate settings are unusable (500)',
  GATE_NOT_A_PACKAGE: 'NON_PACKAGE=deny and the path is not a gated package path (404)',
};

const DEFAULTS = {
  VERDICT_TTL_SECONDS: 3600,
  FAILURE_TTL_SECONDS: 60,
  MAX_BUFFER_BYTES: 32 << 20,
  MAX_MEMORY_ENTRIES: 1000,
};

export class GateError extends Error {
  constructor(code, step, message, status = 403) {
    super(message);
    this.code = code;
    this.step = step;
    this.status = status;
  }
}

function list(v) {
  if (v == null || v === '') return [];
  if (Array.isArray(v)) return v.map(String).map((s) => s.trim()).filter(Boolean);
  const s = String(v).trim();
  if (s.startsWith('[')) return list(JSON.parse(s));
  return s.split(/[\s,]+/).filter(Boolean);
}

function bool(v, dflt, name) {
  if (v == null || v === '') return dflt;
  if (v === true || v === false) return v;
  const s = String(v).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(s)) return true;
  if (['false', '0', 'no'].includes(s)) return false;
  throw new GateError('GATE_CONFIG_INVALID', 'input', `${name} must be true or false, not ${JSON.stringify(v)}`, 500);
}

function num(v, dflt, name) {
  if (v == null || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new GateError('GATE_CONFIG_INVALID', 'input', `${name} must be a number >= 0, not ${JSON.stringify(v)}`, 500);
  return n;
}

function baseUrl(v, name) {
  let u;
  try {
    u = new URL(String(v));
  } catch {
    throw new GateError('GATE_CONFIG_INVALID', 'input', `${name} is not a URL: ${JSON.stringify(v)}`, 500);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new GateError('GATE_CONFIG_INVALID', 'input', `${name} must be http(s): ${v}`, 500);
  return u.href.replace(/\/+$/, '');
}

/** `OWNER/REPO`, `https://github.com/OWNER/REPO` or `OWNER/*` → a matcher on repository URLs. */
export function repositoryMatcher(entry) {
  const url = /^https?:\/\//.test(entry) ? entry.replace(/\/+$/, '') : `https://github.com/${entry.replace(/^\/+|\/+$/g, '')}`;
  if (url.endsWith('/*')) {
    const prefix = url.slice(0, -1);
    return (repo) => repo.startsWith(prefix) && !repo.slice(prefix.length).includes('/') && repo.length > prefix.length;
  }
  return (repo) => repo === url;
}

function jsonText(v, name) {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  try {
    JSON.parse(text);
  } catch {
    throw new GateError('GATE_CONFIG_INVALID', 'input', `${name} is not JSON`, 500);
  }
  return text;
}

/**
 * Where the trusted root and npm keys come from: verifyNpmPackage's `trustedRoot` (TRUSTED_ROOT:
 * trusted_root.json to pin, no TUF) or `tuf` options (TUF_URL, TUF_ROOT: root.json text to start
 * from, TUF_OFFLINE, TUF_REQUIRE_FRESH, and the test-only TUF_NOW: the time TUF expiry is checked
 * at). Default: Sigstore's public-good TUF repository.
 */
function trustConfig(env) {
  if (env.TRUSTED_ROOT != null && env.TRUSTED_ROOT !== '') return { trustedRoot: jsonText(env.TRUSTED_ROOT, 'TRUSTED_ROOT') };
  const tuf = {};
  if (env.TUF_URL) tuf.url = baseUrl(env.TUF_URL, 'TUF_URL');
  if (env.TUF_ROOT != null && env.TUF_ROOT !== '') tuf.root = jsonText(env.TUF_ROOT, 'TUF_ROOT');
  if (bool(env.TUF_OFFLINE, false, 'TUF_OFFLINE')) tuf.offline = true;
  if (bool(env.TUF_REQUIRE_FRESH, false, 'TUF_REQUIRE_FRESH')) tuf.requireFresh = true;
  if (env.TUF_NOW != null && env.TUF_NOW !== '') {
    const now = new Date(String(env.TUF_NOW));
    if (!Number.isFinite(now.getTime())) throw new GateError('GATE_CONFIG_INVALID', 'input', `TUF_NOW must be an ISO 8601 time, not ${JSON.stringify(env.TUF_NOW)}`, 500);
    tuf.now = now;
  }
  return Object.keys(tuf).length ? { tuf } : {};
}

/** Parse and check the settings (env vars / wrangler [vars]); throws GATE_CONFIG_INVALID. */
export function gateConfig(env = {}) {
  const mode = String(env.MODE ?? 'npm').trim().toLowerCase();
  if (mode !== 'npm' && mode !== 'pypi') throw new GateError('GATE_CONFIG_INVALID', 'input', `MODE must be npm or pypi, not ${JSON.stringify(env.MODE)}`, 500);
  const upstream = baseUrl(env.UPSTREAM ?? env.REGISTRY ?? (mode === 'pypi' ? 'https://pypi.org' : 'https://registry.npmjs.org'), 'UPSTREAM');
  const registry = baseUrl(env.REGISTRY ?? upstream, 'REGISTRY');
  const nonPackage = String(env.NON_PACKAGE ?? 'pass').trim().toLowerCase();
  if (nonPackage !== 'pass' && nonPackage !== 'deny') throw new GateError('GATE_CONFIG_INVALID', 'input', `NON_PACKAGE must be pass or deny, not ${JSON.stringify(env.NON_PACKAGE)}`, 500);
  const cfg = {
    mode,
    upstream,
    registry,
    allowedRepositories: list(env.ALLOWED_REPOSITORIES),
    allowedWorkflows: list(env.ALLOWED_WORKFLOWS).map((w) => w.replace(/^\/+/, '')),
    allowedIssuers: list(env.ALLOWED_ISSUERS),
    requireProvenance: bool(env.REQUIRE_PROVENANCE, true, 'REQUIRE_PROVENANCE'),
    requirePublish: bool(env.REQUIRE_PUBLISH, true, 'REQUIRE_PUBLISH'),
    minAgeHours: num(env.MIN_AGE_HOURS, 0, 'MIN_AGE_HOURS'),
    versionDocuments: bool(env.GATE_VERSION_DOCUMENTS, false, 'GATE_VERSION_DOCUMENTS'),
    // With a cooling period, packuments lose their too-recent versions so that npm resolves to
    // an older one instead of failing on the tarball's 403.
    filterPackuments: bool(env.FILTER_PACKUMENTS, true, 'FILTER_PACKUMENTS'),
    nonPackage,
    verdictTtl: num(env.VERDICT_TTL_SECONDS, DEFAULTS.VERDICT_TTL_SECONDS, 'VERDICT_TTL_SECONDS'),
    failureTtl: num(env.FAILURE_TTL_SECONDS, DEFAULTS.FAILURE_TTL_SECONDS, 'FAILURE_TTL_SECONDS'),
    maxBufferBytes: num(env.MAX_BUFFER_BYTES, DEFAULTS.MAX_BUFFER_BYTES, 'MAX_BUFFER_BYTES'),
    trust: trustConfig(env),
  };
  cfg.repositoryMatchers = cfg.allowedRepositories.map(repositoryMatcher);
  return cfg;
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * What a path asks for: `{ kind: 'tarball' | 'version', name, version }`, `{ kind: 'invalid',
 * message }` for a tarball path that names another package, or null (not a package path).
 */
export function parsePackagePath(pathname) {
  let p;
  try {
    p = decodeURIComponent(pathname.replace(/%2f/gi, '%252f')).replace(/%2f/gi, '/');
  } catch {
    return null;
  }
  let m = /^\/((?:@[^/@]+\/)?[^/@]+)\/-\/([^/]+)\.tgz$/.exec(p);
  if (m) {
    const [, name, file] = m;
    const leaf = name.split('/').pop();
    if (!file.startsWith(`${leaf}-`)) return { kind: 'invalid', name, message: `tarball ${file}.tgz is not named after ${name}` };
    const version = file.slice(leaf.length + 1);
    if (!SEMVER.test(version)) return { kind: 'invalid', name, message: `tarball ${file}.tgz: ${JSON.stringify(version)} is not a version` };
    return { kind: 'tarball', name, version };
  }
  m = /^\/((?:@[^/@]+\/)?[^/@]+)\/([^/]+)$/.exec(p);
  if (m && !m[1].startsWith('-') && SEMVER.test(m[2])) return { kind: 'version', name: m[1], version: m[2] };
  m = /^\/((?:@[^/@]+\/)?[^/@]+)$/.exec(p);
  if (m && !m[1].startsWith('-') && !m[1].startsWith('.')) return { kind: 'packument', name: m[1] };
  return null;
}

/**
 * Drop from a full packument every version published less than `minAgeHours` before `now`
 * according to its `time` entry (or without one), and the dist-tags naming them; `latest` then
 * names the most recently published remaining release. The registry's `time` is not signed: this
 * only steers npm's resolution, the tarball gate still checks the verified signing time.
 * Returns the versions removed.
 */
export function filterPackument(doc, minAgeHours, now) {
  const cutoff = now - minAgeHours * 3600 * 1000;
  const versions = doc.versions && typeof doc.versions === 'object' ? doc.versions : {};
  const time = doc.time && typeof doc.time === 'object' ? doc.time : {};
  const removed = [];
  for (const v of Object.keys(versions)) {
    const t = Date.parse(time[v]);
    if (!(t <= cutoff)) {
      delete versions[v];
      removed.push(v);
    }
  }
  const tags = doc['dist-tags'] && typeof doc['dist-tags'] === 'object' ? doc['dist-tags'] : {};
  for (const [tag, v] of Object.entries(tags)) if (!Object.hasOwn(versions, v)) delete tags[tag];
  if (!tags.latest) {
    const releases = Object.keys(versions).filter((v) => !v.includes('-'));
    releases.sort((a, b) => Date.parse(time[b]) - Date.parse(time[a]));
    if (releases.length) tags.latest = releases[0];
  }
  return removed;
}

function b64(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

async function sha256Hex(text) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

function errorBody(name, version, e) {
  return { verified: false, package: name, version, error: { code: e.code, step: e.step, message: e.message } };
}

/** The part of a verification result the gate keeps (and caches). */
function trustSummary(t) {
  if (!t?.source) return null;
  const out = { source: t.source };
  for (const k of ['instance', 'url', 'rootVersion', 'timestampVersion', 'fresh']) if (t[k] !== undefined) out[k] = t[k];
  return out;
}

function summarize(r) {
  const p = r.provenance;
  return {
    ok: true,
    integrity: r.integrity,
    sourceRepository: p?.sourceRepository ?? null,
    workflow: p?.workflow ?? null,
    issuer: p?.identity?.issuer ?? null,
    san: p?.identity?.san ?? null,
    commit: p?.commit ?? null,
    trigger: p?.trigger ?? null,
    builder: p?.builder ?? null,
    signedAt: p?.tlog?.integratedTime ?? null,
    logIndex: p?.tlog?.logIndex ?? null,
    publish: r.publish != null,
    registrySignatures: r.registrySignatures?.length ?? 0,
    // Where the trusted root came from (tuf, embedded, given) and, over TUF, the root version.
    trust: trustSummary((p ?? r.publish)?.bundle?.trust),
  };
}

/**
 * The gate's own policy on a verified version, at request time `now` (ms). Throws a GateError.
 */
export function checkPolicy(cfg, v, now) {
  if (cfg.allowedIssuers.length && !cfg.allowedIssuers.includes(v.issuer)) {
    throw new GateError('GATE_ISSUER_NOT_ALLOWED', 'policy', `provenance issuer ${JSON.stringify(v.issuer)} is not one of ALLOWED_ISSUERS`);
  }
  if (cfg.repositoryMatchers.length && !(v.sourceRepository && cfg.repositoryMatchers.some((m) => m(v.sourceRepository)))) {
    throw new GateError('GATE_REPOSITORY_NOT_ALLOWED', 'policy', v.sourceRepository ? `source repository ${v.sourceRepository} is not one of ALLOWED_REPOSITORIES` : 'no provenance: the source repository is unknown');
  }
  if (cfg.allowedWorkflows.length && !(v.workflow && cfg.allowedWorkflows.includes(v.workflow))) {
    throw new GateError('GATE_WORKFLOW_NOT_ALLOWED', 'policy', `workflow ${JSON.stringify(v.workflow)} is not one of ALLOWED_WORKFLOWS`);
  }
  if (cfg.minAgeHours > 0) {
    const t = v.signedAt ? Date.parse(v.signedAt) : NaN;
    if (!Number.isFinite(t)) throw new GateError('GATE_SIGNING_TIME_UNKNOWN', 'policy', 'MIN_AGE_HOURS is set but the provenance has no SET-verified log time');
    const ageHours = (now - t) / 3.6e6;
    if (ageHours < cfg.minAgeHours) {
      throw new GateError('GATE_TOO_RECENT', 'policy', `signed at ${v.signedAt}, ${ageHours.toFixed(1)} h before the request; MIN_AGE_HOURS is ${cfg.minAgeHours}`);
    }
  }
}

function verdictHeader(v, cacheState) {
  const parts = ['verified'];
  if (v.sourceRepository) parts.push(`repository=${v.sourceRepository}`);
  if (v.workflow) parts.push(`workflow=${v.workflow}`);
  if (v.commit) parts.push(`commit=${v.commit}`);
  if (v.signedAt) parts.push(`signed=${v.signedAt}`);
  if (v.logIndex != null) parts.push(`logIndex=${v.logIndex}`);
  parts.push(`publish=${v.publish}`);
  if (v.trust?.source) parts.push(`trust=${v.trust.source}`);
  parts.push(`cache=${cacheState}`);
  return parts.join('; ');
}

export function json(status, body, extra = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra } });
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'te', 'trailer'];

// Dropped from gated requests: the gate must receive the whole current body to check it (no
// partial content, no 304 for bytes it never saw).
const CONDITIONAL = ['range', 'if-range', 'if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since'];

/**
 * The request to the upstream. Gated requests follow redirects (the bytes the client gets must be
 * the bytes the gate hashed); others pass redirects back to the client.
 */
export function upstreamRequest(cfg, request, url, gated = false) {
  const headers = new Headers(request.headers);
  for (const h of HOP_BY_HOP) headers.delete(h);
  if (gated) for (const h of CONDITIONAL) headers.delete(h);
  const init = { method: request.method, headers, redirect: gated ? 'follow' : 'manual' };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    init.body = request.body;
    init.duplex = 'half';
  }
  return new Request(`${cfg.upstream}${url.pathname}${url.search}`, init);
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/**
 * The 200 response for an upstream body that must hash (`hasher`: a Sha256/Sha512 of the package)
 * to `expected`: up to `maxBufferBytes` it is hashed whole and answered with the bytes or a
 * `mismatch()` GateError; beyond, it streams with the last chunk held back until the digest is
 * known (a mismatch ends the stream with an error). Shared by the npm tarballs and the PyPI files.
 */
export async function checkedResponse(res, headers, hasher, expected, mismatch, maxBufferBytes) {
  const h = hasher;
  const reader = res.body.getReader();
  const chunks = [];
  let n = 0;
  let overflow = false;
  // Up to MAX_BUFFER_BYTES: hash all of it, then answer 200 with the bytes or 403.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    h.update(value);
    chunks.push(value);
    n += value.byteLength;
    if (n > maxBufferBytes) {
      overflow = true;
      break;
    }
  }
  if (!overflow) {
    if (!bytesEqual(h.digest(), expected)) throw mismatch();
    const body = new Uint8Array(n);
    let off = 0;
    for (const c of chunks) {
      body.set(c, off);
      off += c.byteLength;
    }
    headers.set('x-sigstore-integrity', 'checked');
    headers.set('content-length', String(n));
    return new Response(body, { status: 200, headers });
  }
  // Larger: stream the rest through the hasher, always holding back the last chunk until the
  // digest is known; on a mismatch the response ends with an error instead of that chunk, so a
  // client never receives a complete body that did not verify.
  headers.set('x-sigstore-integrity', 'streamed');
  let pending = chunks.pop();
  const body = new ReadableStream({
    async pull(controller) {
      if (chunks.length) return controller.enqueue(chunks.shift());
      let r;
      try {
        r = await reader.read();
      } catch (e) {
        return controller.error(e);
      }
      if (r.done) {
        if (!bytesEqual(h.digest(), expected)) return controller.error(mismatch());
        controller.enqueue(pending);
        return controller.close();
      }
      h.update(r.value);
      controller.enqueue(pending);
      pending = r.value;
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: 200, headers });
}

/**
 * Build a gate. `api`: the sigstore-wasm module (verifyNpmPackage, Sha512, integritySha512);
 * `env`: settings; `options.fetch`: the fetch to use (default globalThis.fetch); `options.cache`:
 * a Cache API cache (default `caches.default` when the runtime has one, e.g. Workers), `null`
 * for none.
 */
export function createGate(api, env = {}, options = {}) {
  let cfg;
  let cfgError;
  try {
    cfg = gateConfig(env);
  } catch (e) {
    cfgError = e;
  }
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  // MODE=pypi: a PEP 503 / PEP 691 simple-index proxy instead (gate/src/pypi.js).
  if (cfg?.mode === 'pypi') return createPypiGate(api, cfg, fetchFn);
  const cache = options.cache !== undefined ? options.cache : (globalThis.caches?.default ?? null);
  const memory = new Map(); // key -> { verdict, expires }
  const inflight = new Map(); // key -> Promise<verdict>
  const maxEntries = options.maxMemoryEntries ?? DEFAULTS.MAX_MEMORY_ENTRIES;
  let policyHash;
  const stats = { verifications: 0, memoryHits: 0, cacheApiHits: 0 };

  const verifierPolicy = () => ({ requireProvenance: cfg.requireProvenance, requirePublish: cfg.requirePublish });

  async function keyFor(name, version, host) {
    policyHash ??= (
      await sha256Hex(
        JSON.stringify({
          v: 1,
          registry: cfg.registry,
          policy: verifierPolicy(),
          repositories: cfg.allowedRepositories,
          workflows: cfg.allowedWorkflows,
          issuers: cfg.allowedIssuers,
          trust: cfg.trust,
        }),
      )
    ).slice(0, 32);
    // On the request's own host: the Workers Cache API is per zone (a key is a URL of it).
    return `https://${host}/.sigstore-gate/v1/${policyHash}/${encodeURIComponent(name)}@${encodeURIComponent(version)}`;
  }

  async function verify(name, version) {
    stats.verifications++;
    try {
      const r = await api.verifyNpmPackage(name, version, { registry: cfg.registry, fetch: fetchFn, policy: verifierPolicy(), ...cfg.trust });
      return summarize(r);
    } catch (e) {
      if (e && typeof e.code === 'string' && typeof e.step === 'string') return { ok: false, error: { code: e.code, step: e.step, message: e.message } };
      throw e;
    }
  }

  async function verdictFor(name, version, waitUntil, host = 'sigstore-gate.invalid') {
    const key = await keyFor(name, version, host);
    const now = Date.now();
    const hit = memory.get(key);
    if (hit && hit.expires > now) {
      stats.memoryHits++;
      return { verdict: hit.verdict, cacheState: 'memory' };
    }
    if (hit) memory.delete(key);
    let p = inflight.get(key);
    let cacheState = 'shared';
    if (!p) {
      cacheState = 'miss';
      p = (async () => {
        if (cache) {
          try {
            const res = await cache.match(key);
            if (res) {
              const verdict = await res.json();
              const expires = Number(res.headers.get('x-gate-expires'));
              if (Number.isFinite(expires) && expires > Date.now()) {
                stats.cacheApiHits++;
                return { verdict, expires, from: 'cache-api' };
              }
            }
          } catch {
            // An unusable cache is no cache.
          }
        }
        const verdict = await verify(name, version);
        const ttl = verdict.ok ? cfg.verdictTtl : cfg.failureTtl;
        const expires = Date.now() + ttl * 1000;
        if (cache && ttl > 0) {
          const put = cache
            .put(key, new Response(JSON.stringify(verdict), { headers: { 'content-type': 'application/json', 'cache-control': `max-age=${Math.ceil(ttl)}`, 'x-gate-expires': String(expires) } }))
            .catch(() => {});
          if (waitUntil) waitUntil(put);
          else await put;
        }
        return { verdict, expires, from: 'miss' };
      })();
      inflight.set(key, p);
      p.finally(() => inflight.delete(key)).catch(() => {});
    }
    const { verdict, expires, from } = await p;
    if (expires > Date.now()) {
      if (memory.size >= maxEntries) memory.delete(memory.keys().next().value);
      memory.set(key, { verdict, expires });
    }
    return { verdict, cacheState: cacheState === 'miss' ? from : cacheState };
  }

  /** Proxy the tarball, checking its sha512 against the verified integrity. */
  /**
   * Fetch a gated path from the upstream; the response headers carry the verdict, without
   * hop-by-hop headers and content-encoding (fetch has already decoded the body).
   */
  async function fetchGated(request, url, header) {
    let res;
    try {
      res = await fetchFn(upstreamRequest(cfg, request, url, true));
    } catch (e) {
      throw new GateError('GATE_UPSTREAM_FAILED', 'input', `GET ${cfg.upstream}${url.pathname}: ${e?.message ?? e}`, 502);
    }
    const headers = new Headers(res.headers);
    headers.set('x-sigstore-verdict', header);
    for (const h of HOP_BY_HOP) headers.delete(h);
    headers.delete('content-encoding');
    return { res, headers };
  }

  async function proxyTarball(request, url, target, verdict, header) {
    const { res, headers } = await fetchGated(request, url, header);
    if (request.method === 'HEAD' || res.status !== 200 || !res.body) {
      return new Response(request.method === 'HEAD' ? null : res.body, { status: res.status, statusText: res.statusText, headers });
    }
    const expected = api.integritySha512(verdict.integrity);
    const mismatch = () => new GateError('ARTIFACT_MISMATCH', 'artifact', `the upstream tarball's sha512 is not the verified integrity ${verdict.integrity}`);
    return checkedResponse(res, headers, new api.Sha512(), expected, mismatch, cfg.maxBufferBytes);
  }

  /** Proxy a version document, checking that its dist.integrity is the verified one. */
  async function proxyVersionDocument(request, url, verdict, header) {
    const { res, headers } = await fetchGated(request, url, header);
    headers.delete('content-length');
    if (request.method === 'HEAD' || res.status !== 200) return new Response(request.method === 'HEAD' ? null : res.body, { status: res.status, headers });
    const text = await res.text();
    let integrity;
    try {
      integrity = JSON.parse(text)?.dist?.integrity;
    } catch {
      integrity = undefined;
    }
    if (integrity !== verdict.integrity) throw new GateError('ARTIFACT_MISMATCH', 'artifact', `the upstream version document's dist.integrity is not the verified ${verdict.integrity}`);
    return new Response(text, { status: 200, headers });
  }

  /** A packument without the versions inside the cooling period (see filterPackument). */
  async function filteredPackument(request, url) {
    const headers = new Headers(request.headers);
    for (const h of [...HOP_BY_HOP, ...CONDITIONAL]) headers.delete(h);
    // The full document: the abbreviated one npm asks for has no `time`.
    headers.set('accept', 'application/json');
    let res;
    try {
      res = await fetchFn(new Request(`${cfg.upstream}${url.pathname}${url.search}`, { headers, redirect: 'follow' }));
    } catch (e) {
      throw new GateError('GATE_UPSTREAM_FAILED', 'input', `GET ${cfg.upstream}${url.pathname}: ${e?.message ?? e}`, 502);
    }
    if (res.status !== 200) return res;
    let doc;
    try {
      doc = await res.json();
    } catch {
      throw new GateError('GATE_UPSTREAM_FAILED', 'input', `GET ${cfg.upstream}${url.pathname}: not JSON`, 502);
    }
    const removed = filterPackument(doc, cfg.minAgeHours, Date.now());
    return new Response(request.method === 'HEAD' ? null : JSON.stringify(doc), {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-sigstore-gate': `packument; ${removed.length} version(s) younger than MIN_AGE_HOURS=${cfg.minAgeHours} hidden` },
    });
  }

  async function handle(request, ctx = {}) {
    const url = new URL(request.url);
    if (cfgError) return json(cfgError.status, { verified: false, error: { code: cfgError.code, step: cfgError.step, message: cfgError.message } });
    const target = request.method === 'GET' || request.method === 'HEAD' ? parsePackagePath(url.pathname) : null;
    if (target?.kind === 'packument') {
      if (cfg.minAgeHours > 0 && cfg.filterPackuments) {
        try {
          return await filteredPackument(request, url);
        } catch (e) {
          if (e instanceof GateError) return json(e.status, errorBody(target.name, null, e));
          throw e;
        }
      }
      if (cfg.nonPackage === 'deny') return json(404, { error: { code: 'GATE_NOT_A_PACKAGE', step: 'input', message: `${url.pathname} is not a package tarball` } });
      return fetchFn(upstreamRequest(cfg, request, url));
    }
    const gated = target && (target.kind !== 'version' || cfg.versionDocuments);
    if (!gated) {
      if (cfg.nonPackage === 'deny') return json(404, { error: { code: 'GATE_NOT_A_PACKAGE', step: 'input', message: `${url.pathname} is not a package tarball` } });
      return fetchFn(upstreamRequest(cfg, request, url));
    }
    const { name, version } = target;
    try {
      if (target.kind === 'invalid') throw new GateError('GATE_REQUEST_INVALID', 'input', target.message, 400);
      const { verdict, cacheState } = await verdictFor(name, version, ctx.waitUntil?.bind(ctx), url.host);
      if (!verdict.ok) return json(403, { verified: false, package: name, version, error: verdict.error }, { 'x-sigstore-verdict': `refused; code=${verdict.error.code}; cache=${cacheState}` });
      checkPolicy(cfg, verdict, Date.now());
      const header = verdictHeader(verdict, cacheState);
      return target.kind === 'tarball' ? await proxyTarball(request, url, target, verdict, header) : await proxyVersionDocument(request, url, verdict, header);
    } catch (e) {
      if (e instanceof GateError) return json(e.status, errorBody(name, version, e), { 'x-sigstore-verdict': `refused; code=${e.code}` });
      if (e && typeof e.code === 'string' && typeof e.step === 'string') return json(403, errorBody(name, version, e), { 'x-sigstore-verdict': `refused; code=${e.code}` });
      throw e;
    }
  }

  return { handle, config: cfg, stats, verdictFor };
}
