// The TUF happy path, written once and run in Node (tuf.test.mjs), Chromium (tuf.html via
// tuf-chromium.mjs), workerd (workerd-worker.js) and Deno (deno.test.js): against the stand-in
// repository of tuf-repo.mjs at `repo` (…/tuf/ok), start from root 12 (served by the repository
// as 12.root.json, as the CDN does) at 2026-08-22T00:00:00Z, update to root 15, get
// trusted_root.json and the npm keys, verify the conformance happy paths that use the production
// root, and check `result.trust`. Each test is `{ name, run: async () => void }`.

export const TUF_NOW = '2026-08-22T00:00:00Z';

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

// Key order aside (the CLI's and the package's JSON order keys differently), as run-cases.js.
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

function base64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Every conformance case that verifies with the production root (no trustedRoot of its own). */
export function happyCases(fixtures) {
  return fixtures.cases.filter((c) => c.expected.verified && !c.trustedRoot && c.id.includes('happy-path'));
}

function checkTrust(trust, where) {
  check(trust?.source === 'tuf', `${where}: trust.source ${trust?.source}`);
  check(trust.rootVersion === 15, `${where}: rootVersion ${trust.rootVersion}`);
  check(trust.timestampVersion === 762, `${where}: timestampVersion ${trust.timestampVersion}`);
  check(trust.snapshotVersion === 165 && trust.targetsVersion === 14, `${where}: snapshot/targets ${trust.snapshotVersion}/${trust.targetsVersion}`);
  check(trust.fresh === true && Array.isArray(trust.expired) && trust.expired.length === 0, `${where}: fresh ${trust.fresh} expired ${trust.expired}`);
  check(trust.rootExpires === '2026-11-20T13:58:18Z' && trust.timestampExpires === '2026-08-28T19:25:56Z', `${where}: expiry ${trust.rootExpires} ${trust.timestampExpires}`);
}

export function tufHappyTests(api, repo, fixtures, { fetch: fetchFn } = {}) {
  const tests = [];
  const t = (name, run) => tests.push({ name, run });
  const now = new Date(TUF_NOW);
  let rootBytes;
  const root = async () => (rootBytes ??= new Uint8Array(await (await (fetchFn ?? fetch)(`${repo}/12.root.json`)).arrayBuffer()));
  const cache = api.memoryCache();
  const opts = async (o = {}) => ({ url: repo, root: await root(), now, cache, ...(fetchFn ? { fetch: fetchFn } : {}), ...o });

  t('Verifier.fromTuf: root 12 -> 15, conformance happy paths verify with trust from TUF', async () => {
    const v = await api.Verifier.fromTuf(await opts());
    const cases = happyCases(fixtures);
    check(cases.length >= 2, `only ${cases.length} happy-path cases`);
    for (const c of cases) {
      const artifact = c.artifact.base64 ? base64(c.artifact.base64) : c.artifact;
      const r = v.verify(c.bundle, artifact, c.policy);
      checkTrust(r.trust, c.id);
      const { trust: _a, ...got } = r;
      const { trust: _b, ...want } = c.expected.result;
      check(canonical(got) === canonical(want), `${c.id}: result differs from the CLI's (besides trust)`);
    }
    v.free();
  });

  t('the cache is used: a second verifier in a new session fetches nothing', async () => {
    const calls = [];
    const counting = (url, init) => {
      calls.push(String(url));
      return (fetchFn ?? fetch)(url, init);
    };
    const v = await api.Verifier.fromTuf(await opts({ fetch: counting, timeoutMs: 19_999 }));
    check(calls.length === 0, `fetched with a complete cache: ${calls}`);
    const c = happyCases(fixtures)[0];
    checkTrust(v.verify(c.bundle, c.artifact.base64 ? base64(c.artifact.base64) : c.artifact, c.policy).trust, 'cached');
    v.free();
  });

  t('NpmVerifier.fromTuf: trusted root and the npm keys from the delegated target', async () => {
    const v = await api.NpmVerifier.fromTuf(await opts());
    check(typeof v.verify === 'function', 'an NpmVerifier');
    v.free();
  });

  t('offline with the cache: the same trust, no fetch', async () => {
    const v = await api.Verifier.fromTuf(await opts({ offline: true, fetch: () => Promise.reject(new Error('fetched offline')) }));
    const c = happyCases(fixtures)[0];
    checkTrust(v.verify(c.bundle, c.artifact.base64 ? base64(c.artifact.base64) : c.artifact, c.policy).trust, 'offline');
    v.free();
  });

  return tests;
}
