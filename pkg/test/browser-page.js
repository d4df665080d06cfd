// browser.html's script (a file, not inline, so the page runs under `script-src 'self'`): runs
// browser-suite.js in the page, or with `?worker=1` in a module Worker (browser-worker.js), and
// leaves the results in window.results for the test driver (conformance-browser.mjs).
const params = new URLSearchParams(location.search);
const options = {
  fixturesUrl: new URL(params.get('fixtures') ?? '../../target/js-tests/fixtures.json', location.href).href,
  tufUrl: params.get('tuf'),
  // ?web=1: the web build (sigstore-wasm/web) instead, in the page only (web-cases.js).
  web: params.get('web') === '1',
};

function inWorker() {
  return new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker(new URL('./browser-worker.js', import.meta.url), { type: 'module' });
    } catch (e) {
      resolve({ passed: 0, failed: 1, failures: [{ id: 'worker', why: `new Worker: ${e?.message ?? e}` }] });
      return;
    }
    worker.onmessage = (e) => resolve({ ...e.data, where: 'worker' });
    // A module Worker that fails to load (or throws outside the suite) posts nothing.
    worker.onerror = (e) => resolve({ passed: 0, failed: 1, failures: [{ id: 'worker', why: `worker error: ${e.message ?? 'failed to load'}` }] });
    worker.postMessage(options);
  });
}

let results;
try {
  if (params.get('worker')) {
    results = await inWorker();
  } else {
    const { runSuite } = await import('./browser-suite.js');
    results = { ...(await runSuite(options)), where: 'page' };
  }
} catch (e) {
  results = { passed: 0, failed: 1, failures: [{ id: 'page', why: String(e?.stack ?? e) }] };
}
window.results = results;
document.getElementById('out').textContent = JSON.stringify(results, null, 1);
