// The web build (`sigstore-wasm/web`, pkg/src/web-api.js) against the conformance fixtures, in any
// runtime (browsers: browser-suite.js with ?web=1; workerd: workerd-web-worker.js). Every case
// through `Verifier.create` + `verifyAsync` must give the native CLI's verdict and code (runCase),
// except SIGNATURE_NEEDS_FULL_BUILD, which is accepted only where the full build (`full`, the
// package's default entry, loaded in the same realm) needed wasm for some check of that bundle:
// a check without a WebCrypto form, or one this runtime's WebCrypto refused. Plus the web-only
// API: the constructor and `verify` refuse with a TypeError, a WebCrypto that refuses every key
// gives SIGNATURE_NEEDS_FULL_BUILD naming the check and the full build, one that says "invalid"
// fails the bundle with the full build's code.
import { runCase } from './run-cases.js';

function base64Bytes(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const artifactOf = (c) => (c.artifact.digest ? { digest: c.artifact.digest } : base64Bytes(c.artifact.base64));

/** Returns { passed, failed, failures: [{ id, why }], stats, webOnly: [{ id, message }] }. */
export async function runAllWeb(web, full, fixtures) {
  const failures = [];
  let passed = 0;
  const stats = {};
  const webOnly = [];
  const verifiers = new Map();
  const webVerifier = (path) => {
    const key = path ?? '';
    if (!verifiers.has(key)) {
      const options = path ? { trustedRoot: fixtures.trustedRoots[path] } : {};
      verifiers.set(key, web.Verifier.create({ ...options, stats }).then((v) => ({ v }), (error) => ({ error })));
    }
    return verifiers.get(key);
  };
  const fullVerifiers = new Map();
  const fullVerifier = (path) => {
    const key = path ?? '';
    if (!fullVerifiers.has(key)) fullVerifiers.set(key, new full.Verifier(path ? { trustedRoot: fixtures.trustedRoots[path] } : {}));
    return fullVerifiers.get(key);
  };
  for (const c of fixtures.cases) {
    const artifact = artifactOf(c);
    let got;
    const made = await webVerifier(c.trustedRoot);
    try {
      if (made.error) throw made.error;
      got = { ok: true, result: await made.v.verifyAsync(c.bundle, artifact, c.policy, { stats }) };
    } catch (e) {
      got = { ok: false, error: e };
    }
    if (!got.ok && got.error?.code === web.NEEDS_FULL_BUILD) {
      // Legitimate only where the full build needed wasm for a check of this bundle.
      const fstats = {};
      let why = null;
      if (made.error) why = `the trusted root's checks gave ${web.NEEDS_FULL_BUILD}: ${got.error.message}`;
      else {
        try {
          await fullVerifier(c.trustedRoot).verifyAsync(c.bundle, artifact, c.policy, { stats: fstats });
        } catch {
          // Its verdict does not matter here, only which path its checks took.
        }
        if (!(fstats.wasm > 0)) why = `${web.NEEDS_FULL_BUILD} where the full build decided every check in WebCrypto (${JSON.stringify(fstats)}): ${got.error.message}`;
        else if (!/full build \(sigstore-wasm's default entry\)/.test(got.error.message) || got.error.step !== 'signature') why = `unclear ${web.NEEDS_FULL_BUILD} error: step ${got.error.step}, ${got.error.message}`;
      }
      if (why) failures.push({ id: c.id, why });
      else {
        passed++;
        webOnly.push({ id: c.id, message: got.error.message });
      }
      continue;
    }
    const why = runCase(web, c, () => ({
      verify() {
        if (got.ok) return got.result;
        throw got.error;
      },
    }));
    if (why) failures.push({ id: c.id, why: `web: ${why}` });
    else passed++;
  }
  // The web-only API, on one happy path.
  const happy = fixtures.cases.find((c) => c.id.includes('happy-path-v0.3') && c.expected.verified);
  const options = happy.trustedRoot ? { trustedRoot: fixtures.trustedRoots[happy.trustedRoot] } : {};
  const artifact = artifactOf(happy);
  const check = async (name, fn) => {
    try {
      const problem = await fn();
      if (problem) failures.push({ id: `web api: ${name}`, why: problem });
      else passed++;
    } catch (e) {
      failures.push({ id: `web api: ${name}`, why: `threw ${e?.stack ?? e}` });
    }
  };
  const v = await web.Verifier.create(options);
  await check('constructor refused', () => {
    try {
      new web.Verifier(options);
      return 'new Verifier() did not throw';
    } catch (e) {
      return e instanceof TypeError && /Verifier\.create/.test(e.message) ? null : `threw ${e}`;
    }
  });
  await check('verify refused', () => {
    try {
      v.verify(happy.bundle, artifact, happy.policy);
      return 'verify did not throw';
    } catch (e) {
      return e instanceof TypeError && /verifyAsync/.test(e.message) && /full build/.test(e.message) ? null : `threw ${e}`;
    }
  });
  await check('thresholds', () => (Array.isArray(v.thresholds) && v.thresholds.length >= 1 && typeof v.thresholds[0].tlogEntries === 'number' ? null : `thresholds ${JSON.stringify(v.thresholds)}`));
  const real = globalThis.crypto.subtle;
  const refusing = { importKey: async () => { throw new Error('algorithm not supported (forced)'); }, verify: (...a) => real.verify(...a) };
  await check(`a WebCrypto that refuses every key gives ${web.NEEDS_FULL_BUILD}`, async () => {
    try {
      await v.verifyAsync(happy.bundle, artifact, happy.policy, { subtle: refusing });
      return 'verified';
    } catch (e) {
      if (!(e instanceof web.VerificationError) || e.code !== web.NEEDS_FULL_BUILD || e.step !== 'signature') return `threw ${e?.code ?? e}: ${e?.message}`;
      return /^\S.*: the web build cannot decide this signature check: this runtime's WebCrypto refused it \(algorithm not supported \(forced\)\); the full build \(sigstore-wasm's default entry\) decides it$/.test(e.message) ? null : `message: ${e.message}`;
    }
  });
  await check(`Verifier.create with such a WebCrypto gives ${web.NEEDS_FULL_BUILD}`, async () => {
    try {
      await web.Verifier.create({ ...options, subtle: refusing });
      return 'created';
    } catch (e) {
      return e?.code === web.NEEDS_FULL_BUILD && /^trustedRoots\[0\]: (certificate|timestamp)Authorities\[\d+\]/.test(e.message) ? null : `threw ${e?.code ?? e}: ${e?.message}`;
    }
  });
  await check('a WebCrypto that says "invalid" fails the bundle with the full build\'s code', async () => {
    const liar = { importKey: (...a) => real.importKey(...a), verify: async () => false };
    let want;
    try {
      await fullVerifier(happy.trustedRoot).verifyAsync(happy.bundle, artifact, happy.policy, { subtle: liar });
    } catch (e) {
      want = `${e.code}|${e.step}|${e.message}`;
    }
    try {
      await v.verifyAsync(happy.bundle, artifact, happy.policy, { subtle: liar });
      return 'verified';
    } catch (e) {
      const got = `${e.code}|${e.step}|${e.message}`;
      return got === want ? null : `web ${got}, full ${want}`;
    }
  });
  v.free();
  return { passed, failed: failures.length, failures, stats, webOnly };
}
