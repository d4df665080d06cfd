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
  if (want.verified && canonical(got.result) !== canonical(want.result)) {
    return `result differs from the CLI's --json:\n  package ${canonical(got.result)}\n  CLI     ${canonical(want.result)}`;
  }
  return null;
}

/** A verifierFor() that parses each trusted root once (the default Verifier for null). */
export function verifierCache(api, fixtures) {
  const cache = new Map();
  return (path) => {
    const key = path ?? '';
    if (!cache.has(key)) {
      let v;
      try {
        v = path ? new api.Verifier({ trustedRoot: fixtures.trustedRoots[path] }) : new api.Verifier();
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
export function runAll(api, fixtures) {
  const verifierFor = verifierCache(api, fixtures);
  const failures = [];
  for (const c of fixtures.cases) {
    const why = runCase(api, c, verifierFor);
    if (why) failures.push({ id: c.id, why });
  }
  return { passed: fixtures.cases.length - failures.length, failed: failures.length, failures };
}
