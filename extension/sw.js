// The extension's service worker: the only place that fetches from the registry and verifies.
// Content scripts send { type: 'verify', name, version } (version may be null: the registry's
// latest); the answer is { result } or { error: { code, step, message } }.
//
// Service workers allow neither top-level await nor import(), so this imports the package's API
// and wasm glue statically (no browser.js) and instantiates the module on the first request.
import { initSync } from './pkg/wasm/sigstore_wasm.js';
import { verifyNpmPackage, NPM_REGISTRY, VerificationError } from './pkg/src/api.js';

let ready;
function init() {
  ready ??= (async () => {
    const res = await fetch(chrome.runtime.getURL('pkg/wasm/sigstore_wasm_bg.wasm'));
    initSync({ module: await WebAssembly.compile(await res.arrayBuffer()) });
  })();
  return ready;
}

// config.json (written by scripts/build-extension.mjs): { registry, tarball }. A `registry`
// in chrome.storage.local overrides it (a mirror; the tests' stand-in registry).
async function settings() {
  const config = await (await fetch(chrome.runtime.getURL('config.json'))).json();
  const stored = await chrome.storage.local.get(['registry']);
  return { registry: stored.registry || config.registry || NPM_REGISTRY, tarball: Boolean(config.tarball) };
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
  const { registry, tarball } = await settings();
  try {
    await init();
    const v = version ?? (await latest(registry, name));
    const result = await verifyNpmPackage(String(name), String(v), { registry, tarball });
    // The Sigstore bundles' full results are not needed to draw the badge.
    for (const part of [result.provenance, result.publish]) if (part) delete part.bundle;
    return { name, version: v, registry, result };
  } catch (e) {
    return { name, version, registry, error: { code: e?.code ?? 'LOAD_FAILED', step: e?.step ?? 'input', message: String(e?.message ?? e) } };
  }
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || msg?.type !== 'verify' || typeof msg.name !== 'string') return false;
  verify(msg).then(sendResponse);
  return true; // answers asynchronously
});
