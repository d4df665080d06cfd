// Caches for the TUF metadata and targets (tuf.js): `{ get(name) -> Promise<Uint8Array|undefined>,
// set(name, bytes) -> Promise<void> }`. Names are `root.json`, `timestamp.json`, `snapshot.json`,
// `targets.json`, `<percent-encoded role>.json` and `targets/<percent-encoded target>`: one or two
// path segments of [A-Za-z0-9._~%-]. Nothing read from a cache is trusted as such: the TUF client
// verifies every file again on load.

const NAME = /^[A-Za-z0-9._~%-]+(\/[A-Za-z0-9._~%-]+)?$/;

function checkName(name) {
  const s = String(name);
  if (!NAME.test(s) || s.split('/').some((p) => p === '.' || p === '..')) throw new TypeError(`bad TUF cache name: ${s}`);
  return s;
}

function copy(bytes) {
  return new Uint8Array(bytes);
}

/** An in-memory cache (per object): what runtimes without storage use. */
export function memoryCache() {
  const m = new Map();
  return {
    kind: 'memory',
    async get(name) {
      const v = m.get(checkName(name));
      return v ? copy(v) : undefined;
    },
    async set(name, bytes) {
      m.set(checkName(name), copy(bytes));
    },
  };
}

function env(name) {
  try {
    if (typeof Deno !== 'undefined') return Deno.env.get(name);
    return globalThis.process?.env?.[name];
  } catch {
    return undefined; // Deno without --allow-env
  }
}

/** The default directory of the file-system cache: `$XDG_CACHE_HOME/sigstore-verify/tuf/<namespace>`. */
export function defaultCacheDir(namespace) {
  const base = env('XDG_CACHE_HOME') || (env('LOCALAPPDATA') ?? (env('HOME') ? `${env('HOME')}/.cache` : undefined));
  return base ? `${base}/sigstore-verify/tuf/${namespace}` : undefined;
}

/**
 * A cache in a directory (Node, Deno, Bun). Files are written to a temporary name and renamed,
 * so a reader never sees half a file.
 */
export function fileCache(dir) {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('fileCache: dir must be a path');
  const path = (name) => `${dir}/${checkName(name)}`;
  let fsp;
  const fs = async () => {
    if (typeof Deno !== 'undefined') {
      return {
        readFile: (p) => Deno.readFile(p),
        writeFile: (p, b) => Deno.writeFile(p, b),
        rename: (a, b) => Deno.rename(a, b),
        mkdir: (p) => Deno.mkdir(p, { recursive: true }),
      };
    }
    fsp ??= await import('node:fs/promises');
    return { readFile: (p) => fsp.readFile(p), writeFile: (p, b) => fsp.writeFile(p, b), rename: (a, b) => fsp.rename(a, b), mkdir: (p) => fsp.mkdir(p, { recursive: true }) };
  };
  return {
    kind: 'file',
    dir,
    async get(name) {
      const p = path(name);
      try {
        return new Uint8Array(await (await fs()).readFile(p));
      } catch {
        return undefined;
      }
    },
    async set(name, bytes) {
      const p = path(name);
      const f = await fs();
      await f.mkdir(p.slice(0, p.lastIndexOf('/')));
      const tmp = `${p}.${Date.now().toString(36)}${Math.random().toString(36).slice(2)}.tmp`;
      await f.writeFile(tmp, copy(bytes));
      await f.rename(tmp, p);
    },
  };
}

const CACHE_BASE = 'https://sigstore-wasm.invalid/tuf/';

/** The Cache API (browsers, service workers, Cloudflare Workers): one cache entry per file. */
export function cacheApiCache(namespace, { cacheName = 'sigstore-wasm-tuf' } = {}) {
  const url = (name) => `${CACHE_BASE}${encodeURIComponent(namespace)}/${checkName(name)}`;
  const open = () => (globalThis.caches.open ? globalThis.caches.open(cacheName) : Promise.resolve(globalThis.caches.default));
  return {
    kind: 'cache-api',
    async get(name) {
      const res = await (await open()).match(url(name));
      return res ? new Uint8Array(await res.arrayBuffer()) : undefined;
    },
    async set(name, bytes) {
      const res = new Response(copy(bytes), { headers: { 'content-type': 'application/octet-stream', 'cache-control': 'max-age=31536000' } });
      await (await open()).put(url(name), res);
    },
  };
}

/** IndexedDB (browsers without the Cache API in this context). */
export function indexedDbCache(namespace, { dbName = 'sigstore-wasm-tuf' } = {}) {
  let db;
  const openDb = () =>
    (db ??= new Promise((resolve, reject) => {
      const req = globalThis.indexedDB.open(dbName, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('files');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    }));
  const op = async (mode, fn) => {
    const d = await openDb();
    return new Promise((resolve, reject) => {
      const tx = d.transaction('files', mode);
      const req = fn(tx.objectStore('files'));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  };
  const key = (name) => `${namespace}/${checkName(name)}`;
  return {
    kind: 'indexeddb',
    async get(name) {
      const v = await op('readonly', (s) => s.get(key(name)));
      return v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : undefined;
    },
    async set(name, bytes) {
      await op('readwrite', (s) => s.put(copy(bytes), key(name)));
    },
  };
}

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** `chrome.storage.local` (browser extensions; values are JSON, so bytes are kept as base64). */
export function chromeStorageCache(namespace, storage = globalThis.chrome?.storage?.local) {
  if (!storage) throw new TypeError('chromeStorageCache: no chrome.storage.local');
  const key = (name) => `sigstore-wasm-tuf/${namespace}/${checkName(name)}`;
  return {
    kind: 'chrome-storage',
    async get(name) {
      const k = key(name);
      const v = (await storage.get(k))?.[k];
      return typeof v === 'string' ? fromBase64(v) : undefined;
    },
    async set(name, bytes) {
      await storage.set({ [key(name)]: toBase64(bytes) });
    },
  };
}

/**
 * The cache this runtime keeps by default for a repository (`namespace`: the instance name, or
 * the name and a hash of a custom URL): chrome.storage.local in an extension, the file system in
 * Node and Deno (when it is writable and the environment readable), the Cache API in browsers and
 * Workers, IndexedDB where there is no Cache API, else memory (per page/process).
 */
export async function defaultCache(namespace) {
  if (globalThis.chrome?.storage?.local && globalThis.chrome?.runtime?.id) return chromeStorageCache(namespace);
  const isDeno = typeof Deno !== 'undefined';
  // Workers with nodejs_compat have a `process` too, but no file system to keep.
  const isNode = !isDeno && typeof globalThis.process?.versions?.node === 'string' && globalThis.navigator?.userAgent !== 'Cloudflare-Workers';
  if (isDeno || isNode) {
    const dir = defaultCacheDir(namespace);
    if (dir && (await writable(dir))) return fileCache(dir);
    return memoryCache();
  }
  if (globalThis.caches && typeof Response === 'function') return cacheApiCache(namespace);
  if (globalThis.indexedDB) return indexedDbCache(namespace);
  return memoryCache();
}

async function writable(dir) {
  try {
    if (typeof Deno !== 'undefined') {
      await Deno.mkdir(dir, { recursive: true });
    } else {
      const fsp = await import('node:fs/promises');
      await fsp.mkdir(dir, { recursive: true });
      await fsp.access(dir, fsp.constants?.W_OK ?? 2);
    }
    return true;
  } catch {
    return false;
  }
}
