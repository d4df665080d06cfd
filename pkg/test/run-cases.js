// Runtime-neutral conformance runner: every case of fixtures.json (see fixtures.mjs) through the
// package's public API, compared with the native CLI's verdict. Used by the Node, Deno, workerd
// and Chromium tests alike; it touches no file, network or runtime-specific global.

function base64Bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// JSON with object keys sorted, so results compare whatever order the keys were built in.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Run one case. Returns null when the package agrees with the CLI, else a description.
 * `api` is the package module; `verifierFor(trustedRootPath|null)` gives a (reused) Verifier.
 */
export function runCase(api, c, verifierFor) {
  const artifact = c.artifact.digest ? { digest: c.artifact.digest } : base64Bytes(c.artifact.base64);
  const want = c.expected;
  let got;
  try {
    const result = verifierFor(c.trustedRoot).verify(c.bundle, artifact, c.policy);
    got = { verified: true, result };
  } catch (e) {
    if (!(e instanceof api.VerificationError)) {
      // A trap (WebAssembly.RuntimeError) or any other non-verification exception.
      return `threw ${e?.name ?? typeof e}: ${e?.message ?? e}`;
    }
    if (typeof e.step !== 'string' || typeof e.message !== 'string') return `VerificationError without step/message: ${e.code}`;
    got = { verified: false, code: e.code, message: e.message };
  }
  if (want.verified && !got.verified) return `CLI verified, package threw ${got.code}: ${got.message}`;
  if (!want.verified && got.verified) return `CLI rejected with ${want.code}, package verified`;
  if (!want.verified && got.code !== want.code) return `CLI code ${want.code}, package code ${got.code}: ${got.message}`;
  if (want.verified) {
    // The CLI is given the production root as a file (`trust: { source: 'given' }`), the package
    // uses its embedded copy for those cases: `trust` is checked apart, the rest must be equal.
    const { trust, ...rest } = got.result;
    const { trust: cliTrust, ...wantRest } = want.result;
    const expectTrust = c.trustedRoot ? cliTrust : { source: 'embedded', instance: 'public-good' };
    if (canonical(trust) !== canonical(expectTrust)) return `trust ${canonical(trust)}, expected ${canonical(expectTrust)}`;
    if (canonical(rest) !== canonical(wantRest)) {
      return `result differs from the CLI's --json:\n  package ${canonical(rest)}\n  CLI     ${canonical(wantRest)}`;
    }
  }
  return null;
}

/** A verifierFor() that parses each trusted root once (the default Verifier for null). */
export function verifierCache(api, fixtures, options = {}) {
  const cache = new Map();
  return (path) => {
    const key = path ?? '';
    if (!cache.has(key)) {
      let v;
      try {
        v = path ? new api.Verifier({ ...options, trustedRoot: fixtures.trustedRoots[path] }) : new api.Verifier(options);
      } catch (e) {
        // An unusable trusted root fails at construction: every case using it gets that error.
        v = { verify: () => { throw e; } };
      }
      cache.set(key, v);
    }
    return cache.get(key);
  };
}

/** Run every case; returns { passed, failed, failures: [{ id, why }] }. */
export function runAll(api, fixtures, options = {}) {
  const verifierFor = verifierCache(api, fixtures, options);
  const failures = [];
  for (const c of fixtures.cases) {
    const why = runCase(api, c, verifierFor);
    if (why) failures.push({ id: c.id, why });
  }
  return { passed: fixtures.cases.length - failures.length, failed: failures.length, failures };
}

// verifyAsync (WebCrypto path, crates/wasm/src/plan.rs + src/async.js): the same cases, judged by runCase
// against the CLI, and also against the synchronous verify of the same verifier (same code, step
// and message, or the same result).

function outcomeOf(e) {
  return e instanceof Error ? { ok: false, error: e, key: `${e.name}|${e.code}|${e.step}|${e.message}` } : { ok: false, error: e, key: String(e) };
}

/**
 * Run one case through `verifyAsync(…, options)`. Returns null when it agrees with the CLI and with
 * the synchronous `verify`, else a description. `options.stats` accumulates the path counts.
 */
export async function runCaseAsync(api, c, verifierFor, options) {
  const artifact = c.artifact.digest ? { digest: c.artifact.digest } : base64Bytes(c.artifact.base64);
  const v = verifierFor(c.trustedRoot);
  let got;
  try {
    // verifierCache's stand-in for an unusable trusted root has only `verify` (it throws).
    const result = await (v.verifyAsync ? v.verifyAsync(c.bundle, artifact, c.policy, options) : v.verify(c.bundle, artifact, c.policy));
    got = { ok: true, result, key: canonical(result) };
  } catch (e) {
    got = outcomeOf(e);
  }
  let sync;
  try {
    sync = { key: canonical(v.verify(c.bundle, artifact, c.policy)) };
  } catch (e) {
    sync = outcomeOf(e);
  }
  const why = runCase(api, c, () => ({
    verify() {
      if (got.ok) return got.result;
      throw got.error;
    },
  }));
  if (why) return `verifyAsync: ${why}`;
  if (got.key !== sync.key) return `verifyAsync differs from verify:\n  async ${got.key}\n  sync  ${sync.key}`;
  return null;
}

/** Every case through verifyAsync; returns { passed, failed, failures, stats }. */
export async function runAllAsync(api, fixtures, options = {}) {
  const verifierFor = verifierCache(api, fixtures);
  const stats = options.stats ?? {};
  const failures = [];
  for (const c of fixtures.cases) {
    const why = await runCaseAsync(api, c, verifierFor, { ...options, stats });
    if (why) failures.push({ id: c.id, why });
  }
  return { passed: fixtures.cases.length - failures.length, failed: failures.length, failures, stats };
}

/**
 * The checks that the WebCrypto path is taken and that a failing WebCrypto falls back to wasm,
 * on one bundle (the happy path of `c`). Returns a list of problems (empty: all good).
 */
export async function asyncPathChecks(api, c, verifier) {
  const problems = [];
  const artifact = c.artifact.digest ? { digest: c.artifact.digest } : base64Bytes(c.artifact.base64);
  const want = canonical(verifier.verify(c.bundle, artifact, c.policy));
  const real = globalThis.crypto.subtle;
  const run = async (what, options, expect) => {
    const stats = {};
    let got;
    try {
      got = canonical(await verifier.verifyAsync(c.bundle, artifact, c.policy, { ...options, stats }));
    } catch (e) {
      got = `threw ${e?.code ?? e}`;
    }
    if (got !== want) problems.push(`${what}: result differs from verify: ${got}`);
    const bad = expect(stats);
    if (bad) problems.push(`${what}: ${bad} (stats ${JSON.stringify(stats)})`);
  };
  await run('WebCrypto used', {}, (s) => (s.webcrypto > 0 ? null : 'WebCrypto decided no check'));
  const failing = (which) => ({
    importKey: which === 'importKey' ? async () => { throw new Error('forced'); } : (...a) => real.importKey(...a),
    verify: which === 'verify' ? async () => { throw new Error('forced'); } : (...a) => real.verify(...a),
  });
  for (const which of ['importKey', 'verify']) {
    await run(`forced ${which} failure`, { subtle: failing(which) }, (s) => (s.fallback > 0 && !s.webcrypto && s.wasm >= s.fallback ? null : 'no fallback to wasm'));
  }
  await run('no WebCrypto', { subtle: null }, (s) => (s.wasm > 0 && !s.webcrypto && !s.fallback ? null : 'wasm did not decide every check'));
  // Verdicts come from WebCrypto: one that says "invalid" to everything fails the bundle.
  const liar = { importKey: (...a) => real.importKey(...a), verify: async () => false };
  try {
    await verifier.verifyAsync(c.bundle, artifact, c.policy, { subtle: liar });
    problems.push('a WebCrypto saying "invalid" did not fail the bundle');
  } catch (e) {
    if (!(e instanceof api.VerificationError)) problems.push(`lying WebCrypto: threw ${e}`);
  }
  return problems;
}
