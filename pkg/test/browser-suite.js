// The browser conformance suite, run in a page (browser-page.js) or in a module Worker
// (browser-worker.js) alike: every fixture case through `verify` (with and without the trusted
// keys' fixed-base tables) and `verifyAsync` (WebCrypto path), the WebCrypto path checks, the
// hashers (streaming and hashMany) against WebCrypto, and the TUF happy path against the stand-in repository.
// Returns { passed, failed, failures: [{ id, why }], asyncStats, evalAllowed }; a failure to load
// the package (a CSP without 'wasm-unsafe-eval', say) is one failure plus `loadError`, its message.

export async function runSuite({ fixturesUrl, tufUrl, web }) {
  // Whether this realm may compile JavaScript from strings: no under the tests' CSP, which shows
  // the policy is in force here (a Worker has its own, from its script's response).
  let evalAllowed = true;
  try {
    new Function('return 1')();
  } catch {
    evalAllowed = false;
  }
  const out = web ? await loadWeb(fixturesUrl) : await load(fixturesUrl, tufUrl);
  return { ...out, evalAllowed };
}

// The web build (web-cases.js), with the full build loaded beside it as the oracle for the cases
// that give SIGNATURE_NEEDS_FULL_BUILD.
async function loadWeb(fixturesUrl) {
  let web;
  let full;
  try {
    web = await import('../src/web-browser.js');
    full = await import('../src/browser.js');
  } catch (e) {
    return { passed: 0, failed: 1, failures: [{ id: 'load', why: String(e?.message ?? e) }], loadError: String(e?.message ?? e) };
  }
  try {
    const { runAllWeb } = await import('./web-cases.js');
    const fixtures = await (await fetch(fixturesUrl)).json();
    const r = await runAllWeb(web, full, fixtures);
    return { ...r, asyncStats: r.stats };
  } catch (e) {
    return { passed: 0, failed: 1, failures: [{ id: 'suite', why: String(e?.stack ?? e) }] };
  }
}

async function load(fixturesUrl, tufUrl) {
  let api;
  try {
    api = await import('../src/browser.js');
  } catch (e) {
    return { passed: 0, failed: 1, failures: [{ id: 'load', why: String(e?.message ?? e) }], loadError: String(e?.message ?? e) };
  }
  try {
    return await suite(api, fixturesUrl, tufUrl);
  } catch (e) {
    return { passed: 0, failed: 1, failures: [{ id: 'suite', why: String(e?.stack ?? e) }] };
  }
}

async function suite(api, fixturesUrl, tufUrl) {
  const { runAll, runAllAsync, asyncPathChecks } = await import('./run-cases.js');
  const fixtures = await (await fetch(fixturesUrl)).json();
  const results = runAll(api, fixtures);
  const add = (name, part) => {
    for (const f of part.failures) results.failures.push({ id: f.id ? `${name} ${f.id}` : name, why: f.why });
    results.passed += part.passed;
    results.failed += part.failed;
  };
  // The same cases with the trusted keys' fixed-base tables built up front.
  add('tables', runAll(api, fixtures, { precompute: true }));
  // verifyAsync (WebCrypto path): the same cases, then the path checks on one happy path.
  const async = await runAllAsync(api, fixtures);
  add('verifyAsync', async);
  results.asyncStats = async.stats;
  const happy = fixtures.cases.find((c) => c.id.includes('happy-path-v0.3') && c.expected.verified);
  const problems = await asyncPathChecks(api, happy, new api.Verifier(happy.trustedRoot ? { trustedRoot: fixtures.trustedRoots[happy.trustedRoot] } : {}));
  add('verifyAsync paths', { passed: problems.length ? 0 : 1, failed: problems.length ? 1 : 0, failures: problems.map((why) => ({ id: '', why })) });
  // The streaming hasher against WebCrypto.
  const data = new Uint8Array(3 << 20).map((_, i) => (i * 7) & 255);
  const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
  const extra = [];
  const want256 = hex(await crypto.subtle.digest('SHA-256', data));
  if ((await api.hashStream(new Blob([data]).stream())) !== `sha256:${want256}`) extra.push('hashStream sha256 differs from WebCrypto');
  const want512 = hex(await crypto.subtle.digest('SHA-512', data));
  if (new api.Sha512().update(data).digest('hex') !== want512) extra.push('Sha512 differs from WebCrypto');
  // Multi-buffer: five buffers of different lengths (four SHA-256 lanes, two SHA-512 lanes).
  const bufs = [data, data.subarray(0, 55), data.subarray(1, 1 << 20), new Uint8Array(0), data.subarray(64, 64 + 65537)];
  for (const [alg, web] of [['sha256', 'SHA-256'], ['sha512', 'SHA-512']]) {
    const want = await Promise.all(bufs.map(async (b) => hex(await crypto.subtle.digest(web, b))));
    if (JSON.stringify(api.hashMany(alg, bufs)) !== JSON.stringify(want)) extra.push(`hashMany ${alg} differs from WebCrypto`);
  }
  add('hashers', { passed: 4 - extra.length, failed: extra.length, failures: extra.map((why) => ({ id: '', why })) });
  // Trust over TUF against the stand-in repository (tuf-cases.js).
  if (!tufUrl) {
    add('tuf', { passed: 0, failed: 1, failures: [{ id: '', why: 'no tuf= parameter: the TUF tests did not run' }] });
    return results;
  }
  const { tufHappyTests } = await import('./tuf-cases.js');
  for (const { name, run } of tufHappyTests(api, tufUrl, fixtures)) {
    try {
      await run();
      results.passed++;
    } catch (e) {
      results.failed++;
      results.failures.push({ id: `tuf: ${name}`, why: String(e?.message ?? e) });
    }
  }
  return results;
}
