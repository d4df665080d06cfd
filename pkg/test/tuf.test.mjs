// Node (node --test): trust over TUF (pkg/src/tuf.js) against the stand-in repository of
// tuf-repo.mjs on 127.0.0.1: the happy path (tuf-cases.js, also run in Chromium, workerd and
// Deno), then one fault per test, each asserting the exact code and that the cache still holds
// only verified bytes (the real files, never the fault's).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import * as api from 'sigstore-wasm';
import { tufHappyTests, happyCases } from './tuf-cases.js';
import { startTufRepo, repoFile, TUF_NOW, TUF_AFTER_TIMESTAMP, TRUSTED_ROOT_PATH } from './tuf-repo.mjs';

const fixtures = JSON.parse(readFileSync(process.env.FIXTURES ?? new URL('../../target/js-tests/fixtures.json', import.meta.url), 'utf8'));
const root12 = readFileSync(new URL('../../tests/data/tuf/metadata/root_history/12.root.json', import.meta.url));
const happy = happyCases(fixtures)[0];
const artifact = (c) => (c.artifact.base64 ? Buffer.from(c.artifact.base64, 'base64') : c.artifact);

const repo = await startTufRepo();
after(() => repo.close());

describe('TUF happy path (shared with Chromium, workerd, Deno)', () => {
  for (const { name, run } of tufHappyTests(api, repo.repo('ok'), fixtures)) test(name, run);
});

/** A memory cache that records writes, and whose contents can be compared with the real files. */
function recordingCache() {
  const inner = api.memoryCache();
  const names = new Set();
  return {
    names,
    writes: [],
    get: (n) => inner.get(n),
    async set(n, b) {
      this.writes.push(n);
      names.add(n);
      await inner.set(n, b);
    },
  };
}

// The real bytes each cache name must hold.
const REAL = {
  'root.json': repoFile('15.root.json'),
  'timestamp.json': repoFile('timestamp.json'),
  'snapshot.json': repoFile('165.snapshot.json'),
  'targets.json': repoFile('14.targets.json'),
  'registry.npmjs.org.json': repoFile('8.registry.npmjs.org.json'),
  'targets/trusted_root.json': repoFile(TRUSTED_ROOT_PATH),
  'targets/registry.npmjs.org%2Fkeys.json': readFileSync(new URL('../../tests/data/tuf/targets/registry.npmjs.org/keys.json', import.meta.url)),
};

async function assertOnlyVerified(cache) {
  for (const n of cache.names) {
    assert.ok(REAL[n], `unexpected cache entry ${n}`);
    assert.deepEqual(Buffer.from(await cache.get(n)), Buffer.from(REAL[n]), `${n} holds other bytes than the verified file`);
  }
}

async function filled() {
  const cache = recordingCache();
  const v = await api.NpmVerifier.fromTuf({ url: repo.repo('ok'), root: root12, now: new Date(TUF_NOW), cache });
  v.free();
  assert.deepEqual([...cache.names].sort(), Object.keys(REAL).sort());
  await assertOnlyVerified(cache);
  cache.writes.length = 0;
  return cache;
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof api.VerificationError, `not a VerificationError: ${e?.stack ?? e}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.step, code.startsWith('TUF_') ? 'trusted_root' : e.step);
    return true;
  });
}

/** console.warn calls made while `fn` runs. */
async function warnings(fn) {
  const seen = [];
  const orig = console.warn;
  console.warn = (...a) => seen.push(a.join(' '));
  try {
    return { value: await fn(), seen };
  } finally {
    console.warn = orig;
  }
}

const opts = (scenario, o = {}) => ({ url: repo.repo(scenario), root: root12, now: new Date(TUF_NOW), ...o });

describe('TUF faults: exact codes, cache never holds unverified bytes', () => {
  // Faults in what the repository serves are errors (no fallback), from an empty cache and
  // from a complete one whose timestamp must be refreshed (now after its expiry).
  const served = [
    ['timestamp-404', 'TUF_METADATA_MISSING'],
    ['truncated-timestamp', 'TUF_METADATA_INVALID'],
    ['oversized-timestamp', 'TUF_TOO_LARGE'],
    ['malformed-timestamp', 'TUF_METADATA_INVALID'],
    ['truncated-target', 'TUF_LENGTH_OR_HASH_MISMATCH'],
    ['swapped-target', 'TUF_LENGTH_OR_HASH_MISMATCH'],
    ['snapshot-as-targets', 'TUF_SIGNATURE_THRESHOLD_NOT_MET'],
    ['no-npm-role', 'TUF_METADATA_MISSING'],
  ];
  for (const [scenario, code] of served) {
    test(`${scenario}: ${code}, nothing cached`, async () => {
      const cache = recordingCache();
      await rejectsWith(api.NpmVerifier.fromTuf(opts(scenario, { cache })), code);
      assert.deepEqual(cache.writes, [], 'a failed update writes nothing');
    });
  }

  test('rollback: a lower-version timestamp after the real one is cached -> TUF_SIGNATURE_THRESHOLD_NOT_MET, cache kept', async () => {
    // The real v762 is cached; the repository now serves v761, made by editing the signed
    // version (nobody but the repository's key holders can sign a real older one): its
    // signature fails before the version comparison could. now: after v762's expiry, so the
    // timestamp must be refreshed. (The version check itself, TUF_ROLLBACK, is the crate's:
    // crates/tuf/tests.)
    const cache = await filled();
    await rejectsWith(api.Verifier.fromTuf(opts('rollback-timestamp', { cache, now: new Date(TUF_AFTER_TIMESTAMP), requireFresh: true })), 'TUF_SIGNATURE_THRESHOLD_NOT_MET');
    await rejectsWith(api.Verifier.fromTuf(opts('rollback-timestamp', { cache, now: new Date(TUF_AFTER_TIMESTAMP) })), 'TUF_SIGNATURE_THRESHOLD_NOT_MET');
    assert.deepEqual(cache.writes, []);
    await assertOnlyVerified(cache);
  });

  test('a tampered cached file is not used and is replaced by the verified one', async () => {
    const cache = await filled();
    await cache.set('targets/trusted_root.json', new TextEncoder().encode('{"mediaType":"x"}'));
    await cache.set('snapshot.json', new TextEncoder().encode('{}'));
    cache.writes.length = 0;
    const v = await api.Verifier.fromTuf(opts('ok', { cache, timeoutMs: 10_001 }));
    assert.equal(v.verify(happy.bundle, artifact(happy), happy.policy).trust.source, 'tuf');
    assert.deepEqual(cache.writes.sort(), ['snapshot.json', 'targets/trusted_root.json']);
    await assertOnlyVerified(cache);
  });

  // Unreachable repositories fall back to the newest verified trust.
  const unreachable = [
    ['timestamp-500', {}],
    ['all-503', {}],
    ['reset', {}],
    ['slow-timestamp', { timeoutMs: 300 }],
  ];
  for (const [scenario, o] of unreachable) {
    test(`${scenario}: no cache -> embedded root with one warning; requireFresh -> TUF_FETCH_FAILED`, async () => {
      const cache = recordingCache();
      const { value: v, seen } = await warnings(() => api.Verifier.fromTuf(opts(scenario, { cache, ...o })));
      const r = v.verify(happy.bundle, artifact(happy), happy.policy);
      assert.deepEqual(r.trust, { source: 'embedded', instance: 'public-good' });
      assert.equal(seen.length, 1, `warnings: ${seen}`);
      assert.match(seen[0], /TUF_FETCH_FAILED/);
      await rejectsWith(api.Verifier.fromTuf(opts(scenario, { cache, requireFresh: true, ...o })), 'TUF_FETCH_FAILED');
      assert.deepEqual(cache.writes, []);
    });
  }

  test('unreachable with an expired cache -> the stale cache (fresh: false), requireFresh -> TUF_FETCH_FAILED', async () => {
    const cache = await filled();
    const late = { cache, now: new Date(TUF_AFTER_TIMESTAMP) };
    const { value: v, seen } = await warnings(() => api.Verifier.fromTuf(opts('all-503', late)));
    const t = v.verify(happy.bundle, artifact(happy), happy.policy).trust;
    assert.equal(t.source, 'tuf');
    assert.equal(t.fresh, false);
    assert.deepEqual(t.expired, ['timestamp']);
    assert.equal(t.rootVersion, 15);
    assert.equal(seen.length, 1);
    await rejectsWith(api.Verifier.fromTuf(opts('all-503', { ...late, requireFresh: true })), 'TUF_FETCH_FAILED');
    assert.deepEqual(cache.writes, []);
    await assertOnlyVerified(cache);
  });

  test('expired timestamp served (now after 2026-08-28): cache -> stale, requireFresh -> TUF_EXPIRED; no cache -> embedded', async () => {
    const cache = await filled();
    const late = { now: new Date(TUF_AFTER_TIMESTAMP) };
    const { value: v } = await warnings(() => api.Verifier.fromTuf(opts('ok', { ...late, cache })));
    const t = v.verify(happy.bundle, artifact(happy), happy.policy).trust;
    assert.equal(t.source, 'tuf');
    assert.equal(t.fresh, false);
    assert.deepEqual(t.expired, ['timestamp']);
    await rejectsWith(api.Verifier.fromTuf(opts('ok', { ...late, cache, requireFresh: true, timeoutMs: 12_345 })), 'TUF_EXPIRED');
    assert.deepEqual(cache.writes, []);
    await assertOnlyVerified(cache);
    const empty = recordingCache();
    const { value: e, seen } = await warnings(() => api.Verifier.fromTuf(opts('ok', { ...late, cache: empty })));
    assert.equal(e.verify(happy.bundle, artifact(happy), happy.policy).trust.source, 'embedded');
    assert.equal(seen.length, 1);
    assert.match(seen[0], /TUF_EXPIRED/);
    assert.deepEqual(empty.writes, []);
  });

  test('offline: with a cache no fetch; expired cache is stale (requireFresh: TUF_EXPIRED); no cache -> embedded (requireFresh: TUF_FETCH_FAILED)', async () => {
    const cache = await filled();
    const noFetch = () => Promise.reject(new Error('fetched while offline'));
    const v = await api.NpmVerifier.fromTuf(opts('ok', { cache, offline: true, fetch: noFetch }));
    v.free();
    const stale = await api.Verifier.fromTuf(opts('ok', { cache, offline: true, fetch: noFetch, now: new Date(TUF_AFTER_TIMESTAMP) }));
    const t = stale.verify(happy.bundle, artifact(happy), happy.policy).trust;
    assert.equal(t.fresh, false);
    await rejectsWith(api.Verifier.fromTuf(opts('ok', { cache, offline: true, fetch: noFetch, now: new Date(TUF_AFTER_TIMESTAMP), requireFresh: true })), 'TUF_EXPIRED');
    const none = await api.Verifier.fromTuf(opts('ok', { cache: api.memoryCache(), offline: true, fetch: noFetch }));
    assert.equal(none.verify(happy.bundle, artifact(happy), happy.policy).trust.source, 'embedded');
    await rejectsWith(api.Verifier.fromTuf(opts('ok', { cache: api.memoryCache(), offline: true, fetch: noFetch, requireFresh: true })), 'TUF_FETCH_FAILED');
  });

  test('concurrent fromTuf calls share one update', async () => {
    const calls = [];
    const f = (url, init) => {
      calls.push(String(url));
      return fetch(url, init);
    };
    const o = opts('ok', { cache: api.memoryCache(), fetch: f });
    const vs = await Promise.all([api.Verifier.fromTuf(o), api.Verifier.fromTuf(o), api.NpmVerifier.fromTuf(o), api.Verifier.fromTuf(o)]);
    assert.equal(calls.filter((u) => u.endsWith('/timestamp.json')).length, 1, `${calls}`);
    assert.equal(new Set(calls).size, calls.length, `a file fetched twice: ${calls}`);
    for (const v of vs) v.free();
  });

  test('input errors: INPUT_INVALID', async () => {
    await rejectsWith(api.Verifier.fromTuf({ instance: 'staging' }), 'INPUT_INVALID');
    await rejectsWith(api.Verifier.fromTuf({ url: 'ftp://x' }), 'INPUT_INVALID');
    await rejectsWith(api.Verifier.fromTuf({ ...opts('ok'), now: new Date('x') }), 'INPUT_INVALID');
    await rejectsWith(api.Verifier.fromTuf({ ...opts('ok'), cache: {} }), 'INPUT_INVALID');
    await rejectsWith(api.Verifier.fromTuf({ ...opts('ok'), root: 42 }), 'INPUT_INVALID');
    await rejectsWith(api.Verifier.fromTuf({ ...opts('ok'), root: '{}', cache: api.memoryCache() }), 'TUF_METADATA_INVALID');
  });
});

describe('file-system cache (the Node default)', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sigstore-wasm-tuf-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the default cache is under $XDG_CACHE_HOME/sigstore-verify/tuf/<instance>', async () => {
    const old = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = dir;
    try {
      const v = await api.Verifier.fromTuf(opts('ok'));
      v.free();
      const ns = readdirSync(join(dir, 'sigstore-verify', 'tuf'));
      assert.equal(ns.length, 1);
      assert.match(ns[0], /^public-good-[0-9a-f]{8}$/);
      const files = readdirSync(join(dir, 'sigstore-verify', 'tuf', ns[0])).sort();
      assert.deepEqual(files, ['root.json', 'snapshot.json', 'targets', 'targets.json', 'timestamp.json']);
      const c = api.fileCache(join(dir, 'sigstore-verify', 'tuf', ns[0]));
      assert.deepEqual(Buffer.from(await c.get('targets/trusted_root.json')), Buffer.from(REAL['targets/trusted_root.json']));
      await assert.rejects(c.get('../x'), TypeError);
    } finally {
      if (old === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = old;
    }
  });
});
