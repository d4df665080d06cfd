// The extension's service worker: the only place that fetches from the registry and verifies.
// Content scripts send { type: 'verify', name, version } (version may be null: the registry's
// latest), or { type: 'verify-pypi', project, version, filename }; the answer is { result } or
// { error: { code, step, message } }.
//
// Service workers allow neither top-level await nor import(), so this imports the package's API
// and wasm glue statically (no browser.js) and instantiates the module on the first request.
import { initSync } from './pkg/wasm/sigstore_wasm.js';
import { verifyNpmPackage, verifyPypiDistribution, NPM_REGISTRY, PYPI_INDEX, VerificationError, chromeStorageCache } from './pkg/src/api.js';

let ready;
function init() {
  ready ??= (async () => {
    const res = await fetch(chrome.runtime.getURL('pkg/wasm/sigstore_wasm_bg.wasm'));
    initSync({ module: await WebAssembly.compile(await res.arrayBuffer()) });
  })();
  return ready;
}

// config.json (written by scripts/build-extension.mjs): { registry, tarball, tuf: { url, offline } }.
// chrome.storage.local overrides it:
//   registry     a registry (a mirror; the tests' stand-in registry)
//   index        a Python package index (default https://pypi.org; the tests' stand-in index)
//   tufUrl       the TUF repository (default Sigstore's public-good, https://tuf-repo-cdn.sigstore.dev)
//   tufRoot      root.json text to start from (a repository other than public-good)
//   tufOffline   true: never fetch TUF metadata (the cached, else the embedded trusted root)
//   trustedRoot  trusted_root.json text to pin (no TUF)
//   tufNow       test only: the time TUF expiry is checked at (ISO 8601)
// The TUF metadata is cached in chrome.storage.local (chromeStorageCache), per repository.
const KEYS = ['registry', 'index', 'tufUrl', 'tufRoot', 'tufOffline', 'trustedRoot', 'tufNow'];
const caches = new Map();
async function settings() {
  const config = await (await fetch(chrome.runtime.getURL('config.json'))).json();
  const stored = await chrome.storage.local.get(KEYS);
  const registry = stored.registry || config.registry || NPM_REGISTRY;
  const trust = {};
  if (stored.trustedRoot) {
    trust.trustedRoot = String(stored.trustedRoot);
  } else {
    const tuf = {};
    const url = stored.tufUrl || config.tuf?.url;
    if (url) tuf.url = String(url).replace(/\/+$/, '');
    if (stored.tufRoot) tuf.root = String(stored.tufRoot);
    if (stored.tufOffline ?? config.tuf?.offline) tuf.offline = true;
    if (stored.tufNow) tuf.now = new Date(stored.tufNow);
    const ns = tuf.url ? encodeURIComponent(tuf.url) : 'public-good';
    if (!caches.has(ns)) caches.set(ns, chromeStorageCache(ns));
    tuf.cache = caches.get(ns);
    trust.tuf = tuf;
  }
  return { registry, index: stored.index || config.index || PYPI_INDEX, tarball: Boolean(config.tarball), trust };
}

// The registry's `latest` dist-tag, for a page whose URL names no version.
async function latest(registry, name) {
  const res = await fetch(`${registry.replace(/\/+$/, '')}/${name.replace('/', '%2f')}/latest`, { headers: { accept: 'application/json' } });
  if (res.status !== 200) throw new VerificationError('NPM_FETCH_FAILED', 'input', `GET ${name}/latest: HTTP ${res.status}`);
  const v = (await res.json())?.version;
  if (typeof v !== 'string') throw new VerificationError('NPM_DOCUMENT_INVALID', 'input', `${name}/latest: no version`);
  return v;
}

async function verify({ name, version }) {
  const { registry, tarball, trust } = await settings();
  try {
    await init();
    const v = version ?? (await latest(registry, name));
    const result = await verifyNpmPackage(String(name), String(v), { registry, tarball, ...trust });
    // The Sigstore bundles' full results are not needed to draw the badge; their trust is kept.
    result.trust = (result.provenance ?? result.publish)?.bundle?.trust ?? null;
    for (const part of [result.provenance, result.publish]) if (part) delete part.bundle;
    return { name, version: v, registry, result };
  } catch (e) {
    return { name, version, registry, error: { code: e?.code ?? 'LOAD_FAILED', step: e?.step ?? 'input', message: String(e?.message ?? e) } };
  }
}

// PyPI project pages (content-pypi.js): { type: 'verify-pypi', project, version, filename }.
async function verifyPypi({ project, version, filename }) {
  const { index, trust } = await settings();
  try {
    await init();
    const result = await verifyPypiDistribution(String(project), String(version), String(filename), { index, ...trust });
    result.trust = result.attestations[0]?.bundle?.trust ?? null;
    for (const a of result.attestations) delete a.bundle;
    return { index, result };
  } catch (e) {
    return { index, error: { code: e?.code ?? 'LOAD_FAILED', step: e?.step ?? 'input', message: String(e?.message ?? e) } };
  }
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  if (msg?.type === 'verify-pypi' && typeof msg.project === 'string') {
    verifyPypi(msg).then(sendResponse);
    return true;
  }
  if (msg?.type !== 'verify' || typeof msg.name !== 'string') return false;
  verify(msg).then(sendResponse);
  return true; // answers asynchronously
});
