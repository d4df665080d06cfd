// Trust over TUF: obtain Sigstore's trusted_root.json (and npm's registry keys) from a TUF
// repository, verified by the sans-I/O client of crates/tuf (WasmTufClient, crates/wasm/src/tuf.rs).
// This file does the I/O the client asks for: the cache, the fetches, their limits and timeouts,
// and the choice of what to fall back to when the repository cannot be reached.
//
// One session per repository, cache and options per process/page: concurrent `fromTuf` calls
// share one update, and later calls reuse its result until the timestamp expires.
import { WasmTufClient, tufInstance, tufRootVersion } from '../wasm/sigstore_wasm.js';
import { VerificationError, rethrow } from './errors.js';
import { defaultCache, memoryCache } from './tuf-cache.js';

export { memoryCache, fileCache, cacheApiCache, indexedDbCache, chromeStorageCache, defaultCache } from './tuf-cache.js';

/** The targets this package uses. */
export const TRUSTED_ROOT_TARGET = 'trusted_root.json';
export const NPM_KEYS_TARGET = 'registry.npmjs.org/keys.json';

const DEFAULT_TIMEOUT_MS = 20_000;
// A fallback (stale cache or embedded) is kept this long before the repository is tried again.
const FALLBACK_TTL_MS = 5 * 60 * 1000;
const NOT_FOUND = Symbol('not found');

function fetchFailed(message) {
  return new VerificationError('TUF_FETCH_FAILED', 'trusted_root', message);
}

function tufError(code, message) {
  return new VerificationError(code, 'trusted_root', message);
}

function inputError(message) {
  return new VerificationError('INPUT_INVALID', 'input', message);
}

// The wasm layer's errors as VerificationError (same code/step/message).
function wasm(fn) {
  try {
    return fn();
  } catch (e) {
    rethrow(e);
  }
}

const encoder = new TextEncoder();

function bytesOf(x, what) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (typeof x === 'string') return encoder.encode(x);
  throw inputError(`${what} must be bytes (Uint8Array) or JSON text`);
}

/** The cache name of a target: one path segment under `targets/`. */
export function targetCacheName(name) {
  return `targets/${encodeURIComponent(name).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

// FNV-1a, for a cache namespace per repository URL (not a security boundary: each cached file is
// verified again on load).
function shortHash(s) {
  let h = 0x811c9dc5;
  for (const b of encoder.encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function checkCache(cache) {
  if (cache == null || typeof cache.get !== 'function' || typeof cache.set !== 'function') {
    throw inputError('cache must be { get(name) -> Promise<Uint8Array|undefined>, set(name, bytes) -> Promise<void> }');
  }
  return cache;
}

/** The options of `fromTuf`, checked and with defaults. */
function configure(options = {}) {
  const o = options ?? {};
  if (typeof o !== 'object') throw inputError('TUF options must be an object');
  let instance = o.instance ?? 'public-good';
  if (typeof instance !== 'string') throw inputError('instance must be a string');
  let seed;
  let url;
  const known = instance === 'public-good' || instance === 'github';
  if (known) {
    const i = wasm(() => tufInstance(instance));
    seed = i.seed;
    url = i.url;
  } else if (o.root == null || o.url == null) {
    throw inputError(`unknown TUF instance ${JSON.stringify(instance)} (known: public-good, github; another repository needs url and root)`);
  }
  if (o.url != null) {
    let u;
    try {
      u = new URL(String(o.url));
    } catch {
      throw inputError(`TUF url is not a URL: ${o.url}`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw inputError(`TUF url must be http(s): ${o.url}`);
    url = u.href.replace(/\/+$/, '');
  }
  if (o.root != null) seed = bytesOf(o.root, 'root');
  let now;
  if (o.now != null) {
    now = o.now instanceof Date ? o.now.getTime() : Number(o.now);
    if (!Number.isFinite(now)) throw inputError('now must be a Date');
  }
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw inputError('timeoutMs must be a positive number');
  const fetchFn = o.fetch ?? globalThis.fetch?.bind(globalThis);
  if (!o.offline && typeof fetchFn !== 'function') throw inputError('no fetch: pass options.fetch (or offline: true)');
  const namespace = url === (known ? wasm(() => tufInstance(instance)).url : undefined) ? instance : `${instance}-${shortHash(url)}`;
  const cache = o.cache != null ? checkCache(o.cache) : undefined;
  return {
    instance,
    url,
    seed,
    now,
    timeoutMs,
    fetchFn,
    signal: o.signal ?? undefined,
    offline: o.offline === true,
    requireFresh: o.requireFresh === true,
    cache,
    namespace,
  };
}

// Identities of caller-given objects, for the session key.
const ids = new WeakMap();
let nextId = 1;
function idOf(obj) {
  if (obj == null) return '-';
  if (!ids.has(obj)) ids.set(obj, nextId++);
  return String(ids.get(obj));
}

const sessions = new Map();

function sessionFor(cfg) {
  const key = [cfg.instance, cfg.url, shortHash(String.fromCharCode(...cfg.seed.subarray(0, 4096))) + cfg.seed.length, cfg.now ?? 'live', cfg.offline, cfg.requireFresh, idOf(cfg.cache), idOf(cfg.fetchFn), cfg.timeoutMs].join('\n');
  const hit = sessions.get(key);
  if (hit && !hit.done()) return hit;
  const s = new Session(cfg, () => sessions.get(key) === s && sessions.delete(key));
  sessions.set(key, s);
  return s;
}

/** Forget every session (tests; a long-lived page that wants to re-check the repository now). */
export function resetTufSessions() {
  sessions.clear();
}

/**
 * The trust for `targets` (target names): resolves to
 *   { kind: 'tuf', client, absent }   the targets verified by `client` (WasmTufClient); `absent`
 *                                     names the targets no trusted role lists
 *   { kind: 'embedded' }              the repository could not be reached (or offline with no
 *                                     cache): the embedded public-good snapshot
 * or rejects with a VerificationError (TUF_* codes, INPUT_INVALID).
 */
export async function tufTrust(options, targets = [TRUSTED_ROOT_TARGET]) {
  const cfg = configure(options);
  return sessionFor(cfg).trust(targets);
}

class Session {
  #cfg;
  #forget;
  #queue = Promise.resolve();
  #cache;
  #cached; // undefined: not loaded yet; null: no usable cache; else { client, have: Map }
  #online; // the updated client: { client, writes, have }
  #until = Infinity;
  #warned = false;

  constructor(cfg, forget) {
    this.#cfg = cfg;
    this.#forget = forget;
  }

  done() {
    return Date.now() >= this.#until;
  }

  trust(targets) {
    const run = () => this.#resolve(targets);
    const p = this.#queue.then(run, run);
    this.#queue = p.catch(() => {});
    return p.catch((e) => {
      this.#forget();
      throw e;
    });
  }

  #now() {
    return this.#cfg.now ?? Date.now();
  }

  async #store() {
    this.#cache ??= this.#cfg.cache ?? (await defaultCache(this.#cfg.namespace)) ?? memoryCache();
    return this.#cache;
  }

  async #get(name) {
    const cache = await this.#store();
    try {
      const v = await cache.get(name);
      return v == null ? undefined : bytesOf(v, `cached ${name}`);
    } catch {
      return undefined; // an unreadable cache entry is a miss
    }
  }

  async #resolve(targets) {
    const cfg = this.#cfg;
    if (this.#cached === undefined) this.#cached = await this.#loadCache();
    const fromCache = this.#cached && (await this.#targetsFromCache(this.#cached, targets));
    const expired = fromCache ? this.#cached.client.summary.expired : [];
    if (fromCache && expired.length === 0) {
      this.#keepUntil(this.#cached.client, false);
      return { kind: 'tuf', client: this.#cached.client, absent: fromCache.absent };
    }
    if (cfg.offline) {
      if (fromCache) {
        if (cfg.requireFresh) throw tufError('TUF_EXPIRED', `offline, and the cached TUF metadata has expired (${expired.join(', ')})`);
        return { kind: 'tuf', client: this.#cached.client, absent: fromCache.absent };
      }
      if (cfg.requireFresh) throw fetchFailed(`offline, and the cache has no verified TUF metadata for ${targets.join(', ')}`);
      return this.#embedded(null);
    }
    try {
      this.#online ??= await this.#update();
      const absent = await this.#targetsOnline(this.#online, targets);
      await this.#persist(this.#online.writes);
      this.#keepUntil(this.#online.client, false);
      return { kind: 'tuf', client: this.#online.client, absent };
    } catch (e) {
      this.#online = undefined;
      // Only an unreachable repository (or one whose metadata has expired: a frozen mirror)
      // falls back; a repository that serves bad metadata is an error the caller sees.
      if (!(e instanceof VerificationError) || (e.code !== 'TUF_FETCH_FAILED' && e.code !== 'TUF_EXPIRED')) throw e;
      if (cfg.requireFresh) throw e;
      this.#until = Date.now() + FALLBACK_TTL_MS;
      if (fromCache) {
        this.#warn(`${e.code}: ${e.message}; using the cached TUF metadata (expired: ${expired.join(', ') || 'none'})`);
        return { kind: 'tuf', client: this.#cached.client, absent: fromCache.absent };
      }
      return this.#embedded(e);
    }
  }

  #keepUntil(client, _) {
    if (this.#cfg.now != null) return;
    const t = Date.parse(client.summary.timestampExpires ?? '');
    this.#until = Number.isFinite(t) ? t : Date.now() + FALLBACK_TTL_MS;
  }

  #embedded(e) {
    if (this.#cfg.instance !== 'public-good') {
      throw e ?? fetchFailed(`offline, and the cache has no verified TUF metadata for ${this.#cfg.instance}`);
    }
    if (e) this.#warn(`${e.code}: ${e.message}; using the embedded public-good trusted root`);
    return { kind: 'embedded' };
  }

  #warn(message) {
    if (this.#warned) return;
    this.#warned = true;
    console.warn(`sigstore-wasm: TUF repository ${this.#cfg.url}: ${message}`);
  }

  // The root an update starts from: the cached root when it verifies and is newer than the seed.
  async #startRoot() {
    const seed = this.#cfg.seed;
    const cached = await this.#get('root.json');
    if (!cached) return seed;
    let cv;
    try {
      cv = tufRootVersion(cached, this.#now());
    } catch {
      return seed; // not valid root metadata: start from the seed (the update replaces it)
    }
    const sv = wasm(() => tufRootVersion(seed, this.#now()));
    return cv > sv ? cached : seed;
  }

  // Re-verify the whole cache offline (WasmTufClient in from-cache mode): null when it is
  // incomplete or does not verify.
  async #loadCache() {
    const root = await this.#startRoot();
    let client;
    try {
      client = new WasmTufClient(root, this.#now(), true, this.#cfg.instance, this.#cfg.url);
    } catch (e) {
      rethrow(e);
    }
    try {
      for (let req; (req = client.nextRequest()); ) {
        if (req.local === 'root.json') {
          client.notFound();
          continue;
        }
        const bytes = await this.#get(req.local);
        if (!bytes) return null;
        client.feed(bytes);
      }
    } catch {
      return null;
    }
    return client.ready ? { client, have: new Set() } : null;
  }

  // The targets from the cache through the re-verified client; null when one is missing or
  // does not verify (then the network is needed).
  async #targetsFromCache(cached, targets) {
    const absent = new Set();
    for (const name of targets) {
      if (cached.have.has(name)) continue;
      let done = false;
      for (let i = 0; i < 64 && !done; i++) {
        let r;
        try {
          r = cached.client.lookup(name);
        } catch (e) {
          if (e?.code === 'TUF_TARGET_NOT_FOUND') {
            absent.add(name);
            done = true;
            break;
          }
          return null;
        }
        if (r.fetch) {
          const bytes = await this.#get(r.fetch.local);
          if (!bytes) return null;
          try {
            cached.client.feed(bytes);
          } catch {
            return null;
          }
        } else {
          const bytes = await this.#get(targetCacheName(name));
          if (!bytes) return null;
          try {
            cached.client.verifyTarget(name, bytes);
          } catch {
            return null;
          }
          cached.have.add(name);
          done = true;
        }
      }
      if (!done) return null;
    }
    return { absent };
  }

  // Answer one request of the client: the cached copy when the client takes it as final, else
  // the repository's file (404/403: notFound); what the client now trusts is queued in `writes`.
  async #serve(client, req, writes) {
    if (req.local !== 'root.json') {
      const cached = await this.#get(req.local);
      if (cached) {
        try {
          if (client.feedCached(cached)) return;
        } catch {
          // not usable as final: fetch it (the error does not end the update)
        }
      }
    }
    const bytes = await this.#fetch(`${this.#cfg.url}/${req.name}`, req.maxLength);
    if (bytes === NOT_FOUND) {
      wasm(() => client.notFound());
      return;
    }
    if (wasm(() => client.feed(bytes)) === 'trusted') writes.set(req.local, bytes);
  }

  // The update (TUF §5) from the cached root or the seed, offering each cached file first.
  async #update() {
    const cfg = this.#cfg;
    const root = await this.#startRoot();
    const client = wasm(() => new WasmTufClient(root, this.#now(), false, cfg.instance, cfg.url));
    const writes = new Map();
    for (let req; (req = client.nextRequest()); ) await this.#serve(client, req, writes);
    if (!client.ready) throw tufError('TUF_UNEXPECTED_INPUT', 'the TUF update ended before the targets metadata');
    return { client, writes, have: new Set() };
  }

  async #targetsOnline(online, targets) {
    const cfg = this.#cfg;
    const { client, writes } = online;
    const absent = new Set();
    for (const name of targets) {
      if (online.have.has(name)) continue;
      for (let i = 0; ; i++) {
        if (i >= 64) throw tufError('TUF_LIMIT_EXCEEDED', `lookup of ${name} does not end`);
        let r;
        try {
          r = client.lookup(name);
        } catch (e) {
          if (e?.code === 'TUF_TARGET_NOT_FOUND') {
            absent.add(name);
            break;
          }
          rethrow(e);
        }
        if (r.fetch) {
          await this.#serve(client, r.fetch, writes);
          continue;
        }
        const found = r.found;
        const key = targetCacheName(name);
        const cached = await this.#get(key);
        if (cached) {
          try {
            client.verifyTarget(name, cached);
            online.have.add(name);
            break;
          } catch {
            // a stale or damaged cached copy: download the listed one
          }
        }
        const bytes = await this.#fetch(`${cfg.url}/targets/${found.downloadPath}`, found.length);
        if (bytes === NOT_FOUND) throw tufError('TUF_METADATA_MISSING', `the repository has no targets/${found.downloadPath}`);
        wasm(() => client.verifyTarget(name, bytes));
        writes.set(key, bytes);
        online.have.add(name);
        break;
      }
    }
    return absent;
  }

  // Store what this run verified (metadata the client called trusted, targets that matched
  // their hashes). A cache that cannot be written only costs a fetch next time.
  async #persist(writes) {
    const cache = await this.#store();
    for (const [name, bytes] of writes) {
      try {
        await cache.set(name, bytes);
      } catch (e) {
        this.#warn(`cannot write ${name} to the TUF cache: ${e?.message ?? e}`);
      }
    }
    writes.clear();
  }

  // GET at most `max` bytes (one more is read so the client can say TUF_TOO_LARGE). 404/403 ->
  // NOT_FOUND; network errors, timeouts and other statuses -> TUF_FETCH_FAILED.
  async #fetch(url, max) {
    const cfg = this.#cfg;
    if (cfg.signal?.aborted) throw fetchFailed(`GET ${url}: aborted`);
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), cfg.timeoutMs);
    const onAbort = () => ctl.abort();
    cfg.signal?.addEventListener?.('abort', onAbort, { once: true });
    try {
      let res;
      try {
        res = await cfg.fetchFn(url, { signal: ctl.signal, cache: 'no-store' });
      } catch (e) {
        throw fetchFailed(`GET ${url}: ${ctl.signal.aborted ? (cfg.signal?.aborted ? 'aborted' : `no response within ${cfg.timeoutMs} ms`) : (e?.message ?? e)}`);
      }
      if (res.status === 404 || res.status === 403) {
        await res.body?.cancel?.().catch(() => {});
        return NOT_FOUND;
      }
      if (res.status !== 200) {
        await res.body?.cancel?.().catch(() => {});
        throw fetchFailed(`GET ${url}: HTTP ${res.status}`);
      }
      try {
        return await readLimited(res, max);
      } catch (e) {
        throw fetchFailed(`GET ${url}: ${ctl.signal.aborted ? `body not complete within ${cfg.timeoutMs} ms` : (e?.message ?? e)}`);
      }
    } finally {
      clearTimeout(timer);
      cfg.signal?.removeEventListener?.('abort', onAbort);
    }
  }
}

// The body, or its first max + 1 bytes when it is longer.
async function readLimited(res, max) {
  const limit = Math.min(Number.isFinite(max) ? max : 0, 2 ** 31) + 1;
  if (!res.body?.getReader) {
    const b = new Uint8Array(await res.arrayBuffer());
    return b.length > limit ? b.subarray(0, limit) : b;
  }
  const reader = res.body.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total >= limit) {
        await reader.cancel().catch(() => {});
        break;
      }
    }
  } finally {
    reader.releaseLock?.();
  }
  const out = new Uint8Array(Math.min(total, limit));
  let off = 0;
  for (const c of chunks) {
    const n = Math.min(c.byteLength, out.length - off);
    out.set(c.subarray(0, n), off);
    off += n;
    if (off >= out.length) break;
  }
  return out;
}

/** The trust a fromTuf result rests on, as results report it (for logs; results carry it too). */
export function tufSummary(client) {
  return client.summary;
}
