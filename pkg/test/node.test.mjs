// Node (node --test): all 140 conformance entries through the package, compared with the native
// CLI (target/js-tests/fixtures.json), plus the API surface: errors, hashers, streams, exports,
// and index.d.ts against real results (types.test.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Through the package's own exports map (self-reference resolves the `node` condition).
import * as api from 'sigstore-wasm';
import { runCase, verifierCache } from './run-cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, '..');
const root = resolve(pkgDir, '..');
const fixtures = JSON.parse(readFileSync(process.env.FIXTURES ?? join(root, 'target', 'js-tests', 'fixtures.json'), 'utf8'));
const data = join(root, 'tests', 'data', 'conformance');

describe('conformance (same verdicts and codes as the native CLI)', () => {
  const verifierFor = verifierCache(api, fixtures);
  for (const c of fixtures.cases) {
    test(c.id, () => {
      const why = runCase(api, c, verifierFor);
      assert.equal(why, null, why ?? '');
    });
  }
});

// In Node the suite above has its signature checks decided by node:crypto (host-checks.test.mjs);
// this one decides them all in wasm, as the other runtimes do.
describe('conformance, every check in wasm (hostChecks: false)', () => {
  const verifierFor = verifierCache(api, fixtures, { hostChecks: false });
  for (const c of fixtures.cases) {
    test(c.id, () => {
      const why = runCase(api, c, verifierFor);
      assert.equal(why, null, why ?? '');
    });
  }
});

describe('api', () => {
  const bundle = readFileSync(join(data, 'bundle-verify', 'happy-path-v0.3', 'bundle.sigstore.json'), 'utf8');
  const artifact = readFileSync(join(data, 'bundle-verify', 'a.txt'));
  const policy = {
    identity: 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
    issuer: 'https://token.actions.githubusercontent.com',
  };
  const fails = (fn, code, step) => {
    assert.throws(fn, (e) => {
      assert.ok(e instanceof api.VerificationError, `not a VerificationError: ${e}`);
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'VerificationError');
      assert.equal(e.code, code, e.message);
      if (step) assert.equal(e.step, step);
      assert.equal(typeof e.message, 'string');
      return true;
    });
  };

  test('bundle as object and as string give the same verdict', () => {
    const v = new api.Verifier();
    const outcome = (b) => {
      try {
        return JSON.stringify(v.verify(b, artifact, policy));
      } catch (e) {
        return e.code;
      }
    };
    assert.equal(outcome(JSON.parse(bundle)), outcome(bundle));
    assert.equal(outcome(JSON.parse(bundle)), outcome(bundle.replace(/\n/g, ' ')));
  });

  test('policy, artifact and bundle input errors', () => {
    const v = new api.Verifier();
    fails(() => v.verify(bundle, artifact, { identity: 'x', issuerRegex: '(' }), 'POLICY_INVALID', 'policy');
    fails(() => v.verify(bundle, artifact, { identity: 'x' }), 'INPUT_INVALID', 'input');
    fails(() => v.verify(bundle, artifact, { identity: 'x', identityRegex: 'x', issuer: 'y' }), 'INPUT_INVALID');
    fails(() => v.verify(bundle, artifact, { identity: 'x', issuerRegexp: 'y' }), 'INPUT_INVALID');
    fails(() => v.verify(bundle, artifact, { publicKey: 'not a pem' }), 'INPUT_INVALID');
    fails(() => v.verify(bundle, artifact, { publicKey: 'k', identity: 'x', issuer: 'y' }), 'INPUT_INVALID');
    fails(() => v.verify(bundle, artifact, null), 'INPUT_INVALID');
    // Values JSON.stringify would drop or turn into null never read as "not given".
    fails(() => v.verify(bundle, artifact, { identity: () => 'x', issuer: 'y' }), 'INPUT_INVALID');
    fails(() => v.verify(bundle, artifact, { identity: Symbol('x'), issuer: 'y' }), 'INPUT_INVALID');
    fails(() => new api.Verifier({ tlogThreshold: NaN }), 'INPUT_INVALID');
    fails(() => new api.Verifier({ timestampThreshold: Infinity }), 'INPUT_INVALID');
    fails(() => new api.Verifier({ tlogThreshold: 1n }), 'INPUT_INVALID');
    fails(() => new api.Verifier({ tlogThreshold: 1.5 }), 'INPUT_INVALID');
    fails(() => v.verify(bundle, { digest: 'sha256:00' }, policy), 'INPUT_INVALID');
    fails(() => v.verify(bundle, { digest: 'md5:00' }, policy), 'INPUT_INVALID');
    fails(() => v.verify(bundle, 'a.txt', policy), 'INPUT_INVALID');
    fails(() => v.verify('{', artifact, policy), 'BUNDLE_PARSE', 'bundle');
    fails(() => v.verify(42, artifact, policy), 'BUNDLE_PARSE');
    const cyclic = {};
    cyclic.self = cyclic;
    fails(() => v.verify(cyclic, artifact, policy), 'BUNDLE_PARSE');
    let deep = [];
    for (let i = 0; i < 100000; i++) deep = [deep];
    fails(() => v.verify(deep, artifact, policy), 'BUNDLE_PARSE');
    fails(() => v.verify('['.repeat(100000), artifact, policy), 'BUNDLE_PARSE');
    fails(() => v.verify({ toJSON() { throw new Error('boom'); } }, artifact, policy), 'BUNDLE_PARSE');
    const evil = new Proxy({}, { ownKeys() { throw new Error('boom'); } });
    assert.throws(() => v.verify(bundle, artifact, evil), /boom/);
    assert.throws(() => v.verify(bundle, { get digest() { throw new Error('boom'); } }, policy), /boom/);
    // The instance is still usable after all of these.
    assert.throws(() => v.verify(bundle, artifact, { identity: 'x', issuer: 'y' }), api.VerificationError);
  });

  test('trusted root errors at construction', () => {
    fails(() => new api.Verifier({ trustedRoot: 'nope' }), 'TRUST_ROOT_INVALID', 'trusted_root');
    fails(() => new api.Verifier({ trustedRoot: { mediaType: 'application/x-other' } }), 'TRUST_ROOT_INVALID');
    const prod = readFileSync(join(data, 'trusted_roots', 'production.json'), 'utf8');
    new api.Verifier({ trustedRoot: prod }).free();
    new api.Verifier({ trustedRoot: JSON.parse(prod) }).free();
  });

  test('verifyBundle agrees with Verifier.verify', () => {
    const outcome = (fn) => {
      try {
        return JSON.stringify(fn());
      } catch (e) {
        return e.code;
      }
    };
    const prod = readFileSync(join(data, 'trusted_roots', 'production.json'), 'utf8');
    const a = outcome(() => api.verifyBundle(bundle, artifact, policy));
    assert.equal(a, outcome(() => new api.Verifier().verify(bundle, artifact, policy)));
    // The same root given as a file: the same result but for `trust` (given, not embedded).
    const given = JSON.parse(outcome(() => api.verifyBundle(bundle, artifact, policy, { trustedRoot: prod })));
    assert.deepEqual(given.trust, { source: 'given' });
    assert.deepEqual(JSON.parse(a), { ...given, trust: { source: 'embedded', instance: 'public-good' } });
    assert.equal(a, outcome(() => api.verifyBundle(bundle, { digest: `sha256:${createHash('sha256').update(artifact).digest('hex')}` }, policy)));
  });

  test('Sha256 / Sha512 match node:crypto, in any chunking', () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 255);
    for (const [Cls, alg] of [[api.Sha256, 'sha256'], [api.Sha512, 'sha512']]) {
      const want = createHash(alg).update(big).digest('hex');
      assert.equal(new Cls().update(big).digest('hex'), want);
      const h = new Cls();
      for (let i = 0; i < big.length; i += 65537) h.update(big.subarray(i, i + 65537));
      assert.equal(h.digestString(), `${alg}:${want}`);
      assert.deepEqual(new Cls().update(big.buffer).digest(), new Uint8Array(createHash(alg).update(big).digest()));
      assert.equal(new Cls().update('héllo').digest('hex'), createHash(alg).update('héllo').digest('hex'));
      assert.equal(new Cls().digest('hex'), createHash(alg).digest('hex'));
      const spent = new Cls();
      spent.digest();
      fails(() => spent.update('x'), 'INPUT_INVALID');
      fails(() => spent.digest(), 'INPUT_INVALID');
      assert.throws(() => new Cls().digest('base64'), TypeError);
    }
  });

  test('hashMany matches node:crypto: lengths around the blocks, batches of every size, input kinds', () => {
    let seed = 11;
    const rand = (n) => new Uint8Array(n).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const lens = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 65537, 1 << 20];
    const bufs = lens.map(rand);
    for (const alg of ['sha256', 'sha384', 'sha512']) {
      const want = (b) => createHash(alg).update(b).digest('hex');
      assert.deepEqual(api.hashMany(alg, bufs), bufs.map(want), alg);
      // Every batch size 1..9 (lanes that empty at different times), in different orders.
      for (let n = 1; n <= 9; n++) {
        const batch = Array.from({ length: n }, (_, i) => bufs[(i * 7 + n) % bufs.length]);
        assert.deepEqual(api.hashMany(alg, batch), batch.map(want), `${alg}, ${n} buffers`);
      }
      assert.deepEqual(api.hashMany(alg, []), []);
    }
    // Any bytes, strings as UTF-8, any iterable.
    const u = rand(300);
    const got = api.hashMany('sha256', new Set([u.buffer, new DataView(u.buffer, 5, 100), 'héllo', u.subarray(3)]));
    assert.deepEqual(got, [createHash('sha256').update(u).digest('hex'), createHash('sha256').update(u.subarray(5, 105)).digest('hex'), createHash('sha256').update('héllo').digest('hex'), createHash('sha256').update(u.subarray(3)).digest('hex')]);
    // More than one batch (64 MiB each): 70 MiB in 1 MiB buffers of the same pattern.
    const mib = rand(1 << 20);
    const many = Array.from({ length: 70 }, (_, i) => (i % 2 ? mib : mib.subarray(i)));
    assert.deepEqual(api.hashMany('sha512', many), many.map((b) => createHash('sha512').update(b).digest('hex')));
    assert.throws(() => api.hashMany('md5', [u]), TypeError);
    assert.throws(() => api.hashMany('sha256', u), TypeError);
    assert.throws(() => api.hashMany('sha256', 'abc'), TypeError);
    assert.throws(() => api.hashMany('sha256', [u, 42]), TypeError);
  });

  test('hashStream over a web ReadableStream and a Node stream', async () => {
    const file = join(data, 'bundle-verify', 'a.txt');
    const want = `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    assert.equal(await api.hashStream(new Blob([readFileSync(file)]).stream()), want);
    assert.equal(await api.hashStream(createReadStream(file)), want);
    const want512 = `sha512:${createHash('sha512').update(readFileSync(file)).digest('hex')}`;
    assert.equal(await api.hashStream(createReadStream(file, { highWaterMark: 3 }), 'sha512'), want512);
    await assert.rejects(api.hashStream(createReadStream(file), 'md5'), TypeError);
    await assert.rejects(api.hashStream('not a stream'), TypeError);
  });

  test('exports map: each runtime condition picks its entry', () => {
    const want = { workerd: 'workerd.js', deno: 'deno.js', browser: 'browser.js', node: 'node.js' };
    for (const [cond, file] of Object.entries(want)) {
      const r = spawnSync(process.execPath, ['--conditions', cond, '--input-type=module', '-e', "console.log(import.meta.resolve('sigstore-wasm'))"], { cwd: pkgDir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.ok(r.stdout.trim().endsWith(`/src/${file}`), `${cond} -> ${r.stdout}`);
    }
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'workerd', 'deno', 'browser', 'node', 'default']);
  });

  test('the default entry works in Node too', async () => {
    const d = await import('../src/default.js');
    const h = new d.Sha256().update('abc').digest('hex');
    assert.equal(h, createHash('sha256').update('abc').digest('hex'));
  });
});

// verifyAsync (the WebCrypto path) has its own file.
import './async.test.mjs';
// verify's signature checks in node:crypto.
import './host-checks.test.mjs';
// The error codes the JS layer raises itself, against docs/errors.md.
import './error-codes.test.mjs';
// index.d.ts against the results of real bundles and npm documents.
import './types.test.mjs';

describe('fixed-base tables for the trusted keys (precompute)', () => {
  test('every conformance entry gives the same verdict and code with tables built up front', () => {
    const withTables = verifierCache(api, fixtures, { precompute: true, hostChecks: false });
    for (const c of fixtures.cases) {
      const why = runCase(api, c, withTables);
      assert.equal(why, null, `${c.id}: ${why}`);
    }
  });

  test("'auto' builds them on the third verification; true at once; false never", () => {
    const bundle = readFileSync(join(data, 'bundle-verify', 'happy-path-v0.3', 'bundle.sigstore.json'), 'utf8');
    const artifact = readFileSync(join(data, 'bundle-verify', 'a.txt'));
    const policy = {
      identity: 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
      issuer: 'https://token.actions.githubusercontent.com',
    };
    const eager = new api.Verifier({ precompute: true });
    const built = eager.precompute();
    assert.ok(built > 100_000, `tables of ${built} bytes`);
    const auto = new api.Verifier({ hostChecks: false });
    const first = JSON.stringify(auto.verify(bundle, artifact, policy));
    for (let i = 0; i < 3; i++) assert.equal(JSON.stringify(auto.verify(bundle, artifact, policy)), first);
    assert.equal(auto.precompute(), built, 'already built by the third verification, same size');
    assert.equal(JSON.stringify(eager.verify(bundle, artifact, policy)), first);
    assert.throws(() => new api.Verifier({ precompute: 'sometimes' }), (e) => e.code === 'INPUT_INVALID');
  });

  test('one schedule (errors.js precomputeSchedule) for Verifier and NpmVerifier: when build() runs', async () => {
    const { precomputeSchedule, PRECOMPUTE_AFTER } = await import('../src/errors.js');
    assert.equal(PRECOMPUTE_AFTER, 3);
    // The verification (1-based) on which build() ran, over ten verifications; 0: at construction.
    const builds = (option) => {
      const at = [];
      let n = 0;
      const s = precomputeSchedule(option, () => at.push(n));
      s.constructed();
      for (n = 1; n <= 10; n++) s.verifying();
      return at;
    };
    assert.deepEqual(builds('auto'), [3]);
    assert.deepEqual(builds(undefined), [3]);
    assert.deepEqual(builds(null), [3]);
    assert.deepEqual(builds(true), [0]);
    assert.deepEqual(builds(false), []);
    for (const bad of ['sometimes', 1, 0, 'true', {}]) {
      assert.throws(() => precomputeSchedule(bad, () => assert.fail('built')), (e) => e instanceof api.VerificationError && e.code === 'INPUT_INVALID');
    }
    // NpmVerifier takes the same option through the same schedule.
    const keys = readFileSync(join(root, 'tests', 'data', 'npm', 'keys.json'), 'utf8');
    assert.throws(() => new api.NpmVerifier({ keys, precompute: 'sometimes' }), (e) => e.code === 'INPUT_INVALID');
    const eager = new api.NpmVerifier({ keys, precompute: true });
    assert.ok(eager.precompute() > 100_000);
    eager.free();
  });
});

describe('WebAssembly SIMD (the build needs simd128)', () => {
  test('the probe passes here, and the entries load wasm/', async () => {
    const { requireSimd, wasmUrl } = await import('../src/load.js');
    requireSimd();
    assert.ok(wasmUrl.pathname.endsWith('/wasm/sigstore_wasm_bg.wasm'), wasmUrl.href);
    assert.throws(() => requireSimd(() => false), (e) => e instanceof api.VerificationError && e.code === 'WASM_SIMD_UNSUPPORTED' && e.step === 'input' && /WebAssembly SIMD/.test(e.message));
  });

  test('without it, importing the package throws WASM_SIMD_UNSUPPORTED', () => {
    // A runtime without SIMD, as far as the package can tell: WebAssembly.validate refuses the probe.
    const script = `WebAssembly.validate = () => false;
      try { await import(${JSON.stringify(join(pkgDir, 'src', 'node.js'))}); console.log('loaded'); }
      catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, step: e.step, message: e.message })); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const e = JSON.parse(r.stdout);
    assert.equal(e.name, 'VerificationError');
    assert.equal(e.code, 'WASM_SIMD_UNSUPPORTED');
    assert.equal(e.step, 'input');
    assert.match(e.message, /needs WebAssembly SIMD \(simd128\).*Chromium 91\+.*Node 16\.4\+/);
  });
});
