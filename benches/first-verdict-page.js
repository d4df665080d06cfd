// The page of first-verdict.mjs: one <sigstore-provenance> badge (badge.js, loaded as a page
// loads it: a module script), pointed at the stand-in registry and trust the query string names:
//   ?registry=URL&package=NAME&version=V&trust=tuf&tuf=URL&now=ISO   the stand-in TUF repository
//                                                                    (tuf-url, tuf-root; `now` inside
//                                                                    its metadata's validity)
//   ...&trust=embedded                                               the embedded trusted root (no TUF)
// window.verdict = { ms, state, code, source, entries } once the badge's `sigstore-provenance` event
// fires; ms is performance.now() then: milliseconds since the navigation started.
import '../pkg/src/badge.js';

const q = new URLSearchParams(location.search);
const b = document.createElement('sigstore-provenance');
b.addEventListener('sigstore-provenance', (e) => {
  const ms = performance.now();
  const res = (name) => performance.getEntriesByType('resource').find((r) => r.name.endsWith(name));
  const wasm = res('.wasm');
  const nav = performance.getEntriesByType('navigation')[0];
  window.verdict = {
    ms,
    state: b.state,
    code: e.detail.error?.code ?? null,
    message: e.detail.error?.message ?? null,
    source: e.detail.result?.trust?.source ?? e.detail.result?.provenance?.bundle?.trust?.source ?? null,
    // Where the time went (ms since navigation start): the document, badge.js, the .wasm response.
    steps: {
      document: nav?.responseEnd,
      badge_js: res('/badge.js')?.responseEnd,
      wasm_request: wasm?.startTime,
      wasm_response: wasm?.responseEnd,
      wasm_from_cache: wasm ? wasm.transferSize === 0 : null,
    },
  };
}, { once: true });
if (q.get('trust') === 'tuf') {
  b.tufOptions = { now: new Date(q.get('now')) };
  b.setAttribute('tuf-url', q.get('tuf'));
  b.setAttribute('tuf-root', `${q.get('tuf')}/12.root.json`);
} else {
  b.tufOptions = false;
}
b.setAttribute('registry', q.get('registry'));
b.setAttribute('package', q.get('package') ?? 'gundam-visor');
b.setAttribute('version', q.get('version') ?? '1.0.1');
document.body.append(b);
