// The demo page's npm provenance badges. `?registry=URL` points them at another registry (the
// tests' stand-in registry); it is applied before the element is defined, so each verifies once.
const registry = new URLSearchParams(location.search).get('registry');
if (registry) for (const b of document.querySelectorAll('sigstore-provenance')) b.setAttribute('registry', registry);
await import('../pkg/src/badge.js');
