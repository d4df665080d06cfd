// badge.html's script (a file, not inline, so the page runs under `script-src 'self'`): records
// every sigstore-provenance event for the test (badge-browser.mjs), then defines the element.
window.events = [];
document.addEventListener('sigstore-provenance', (e) => window.events.push({ id: e.target.id, ...e.detail, result: e.detail.result ? { name: e.detail.result.name, trust: (e.detail.result.provenance ?? e.detail.result.publish)?.bundle?.trust ?? null } : undefined }));
await import('../src/badge.js');
window.ready = true;
