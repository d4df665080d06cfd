// The edge gate's tests, written once and run against the Worker in workerd (gate/test/workerd.mjs)
// and against gate.js in Deno (gate/test/gate.deno.test.js). The stand-in registry
// (pkg/test/registry.mjs) is both the gate's upstream and its registry; each CONFIG below is one
// gate (one workerd service, one createGate in Deno) with its own settings.
//
// `gateTests({ request, registryRequests, registry })`: `request(config, path, init)` asks that
// gate and resolves to a Response; `registryRequests()` lists the paths the stand-in registry
// has been asked for so far; `registry` is its base URL. Each test is `{ name, run }`.

import { pypiGateConfigs, pypiGateTests } from './pypi-cases.js';

const REPOS = 'ramonpetgrave64/gundam-visor, trishankatdatadog/*, https://github.com/microsoft/playwright-cli';
const GITHUB = 'https://token.actions.githubusercontent.com';

/**
 * Gate settings per config, given the stand-in registry's base URL and the texts of the stand-in
 * TUF repository's root 12 (`tufRoot`, tests/data/tuf/metadata/root_history/12.root.json) and of
 * its trusted_root.json (`trustedRoot`, tests/data/tuf/targets/trusted_root.json).
 */
export function gateConfigs(base, { tufRoot, trustedRoot } = {}) {
  // Every config gets its trust from the stand-in TUF repository (below) unless it says otherwise.
  const localTuf = tufRoot ? { TUF_URL: `${base}/tuf/ok`, TUF_ROOT: tufRoot, TUF_NOW: '2026-08-22T00:00:00Z' } : {};
  const at = (scenario, extra = {}) => ({ UPSTREAM: `${base}/r/${scenario}`, REGISTRY: `${base}/r/${scenario}`, ...localTuf, ...extra });
  return {
    ok: at('ok', {
      ALLOWED_REPOSITORIES: REPOS,
      ALLOWED_WORKFLOWS: '.github/workflows/npm-publish.yml .github/workflows/publish.yml',
      ALLOWED_ISSUERS: GITHUB,
      GATE_VERSION_DOCUMENTS: 'true',
    }),
    cache: at('ok'),
    deny: at('ok', { NON_PACKAGE: 'deny' }),
    'expired-key': at('expired-key'),
    'docs-expired-key': at('expired-key', { GATE_VERSION_DOCUMENTS: 'true' }),
    'unknown-key': at('unknown-key'),
    'bad-registry-signature': at('bad-registry-signature'),
    'wrong-integrity': at('wrong-integrity'),
    'wrong-predicate': at('wrong-predicate'),
    'no-attestations': at('no-attestations'),
    down: at('down'),
    // Verified against the real documents (registry /r/ok), tarball from a tampering origin.
    tampered: { REGISTRY: `${base}/r/ok`, UPSTREAM: `${base}/r/tampered-tarball`, ...localTuf },
    'tampered-stream': { REGISTRY: `${base}/r/ok`, UPSTREAM: `${base}/r/tampered-tarball`, MAX_BUFFER_BYTES: '0', ...localTuf },
    'ok-stream': at('ok', { MAX_BUFFER_BYTES: '0' }),
    'repo-denied': at('ok', { ALLOWED_REPOSITORIES: 'sigstore/sigstore-js' }),
    'workflow-denied': at('ok', { ALLOWED_WORKFLOWS: '.github/workflows/release.yml' }),
    'issuer-denied': at('ok', { ALLOWED_ISSUERS: 'https://gitlab.com' }),
    // The packages were signed 2023-05 … 2026-02: 24 h ago is long past, a million hours is not.
    'cool-pass': at('ok', { MIN_AGE_HOURS: '24' }),
    'cool-fail': at('ok', { MIN_AGE_HOURS: '1000000' }),
    'bad-config': at('ok', { MIN_AGE_HOURS: 'soon' }),
    // Trust from the stand-in TUF repository (pkg/test/tuf-repo.mjs, mounted at /tuf/ok), from
    // root 12, at a time inside its metadata's validity (TUF_NOW, test only); pinned; misconfigured.
    tuf: at('ok', { TUF_URL: `${base}/tuf/ok`, TUF_ROOT: tufRoot, TUF_NOW: '2026-08-22T00:00:00Z', ALLOWED_REPOSITORIES: REPOS }),
    'tuf-pinned': { UPSTREAM: `${base}/r/ok`, REGISTRY: `${base}/r/ok`, TRUSTED_ROOT: trustedRoot },
    'tuf-bad-config': at('ok', { TUF_URL: `${base}/tuf/ok`, TUF_NOW: 'yesterday' }),
    ...pypiGateConfigs(base, localTuf),
  };
}

/** The packages whose tarballs the stand-in serves (see pkg/test/npm-fixtures.js). */
const TARBALLS = [
  { name: 'gundam-visor', version: '1.0.1', repository: 'ramonpetgrave64/gundam-visor' },
  { name: '@trishankatdatadog/supreme-goggles', version: '1.0.5', repository: 'trishankatdatadog/supreme-goggles' },
  { name: '@playwright/cli', version: '0.1.1', repository: 'microsoft/playwright-cli' },
];

const tarballPath = (p, escaped = false) => `/${escaped ? p.name.replace('/', '%2f') : p.name}/-/${p.name.split('/').pop()}-${p.version}.tgz`;

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function bytesOf(res) {
  return new Uint8Array(await res.arrayBuffer());
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A refusal: status, JSON body `{ verified: false, package, version, error: { code, step, message } }`. */
async function refused(res, code, p, status = 403) {
  const text = await res.text();
  check(res.status === status, `expected ${status} ${code}, got ${res.status}: ${text.slice(0, 300)}`);
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`not JSON: ${text.slice(0, 200)}`);
  }
  check(body.verified === false, 'verified: false');
  check(body.error?.code === code, `expected ${code}, got ${body.error?.code}: ${body.error?.message}`);
  check(typeof body.error.step === 'string' && typeof body.error.message === 'string' && body.error.message.length > 0, 'step and message');
  if (p) check(body.package === p.name && body.version === p.version, `package ${body.package}@${body.version}`);
  check((res.headers.get('x-sigstore-verdict') ?? '').startsWith(`refused; code=${code}`), `x-sigstore-verdict: ${res.headers.get('x-sigstore-verdict')}`);
  return body;
}

export function gateTests({ request, registryRequests, registry }) {
  const tests = [];
  const t = (name, run) => tests.push({ name, run });
  const upstreamBytes = async (p) => bytesOf(await fetch(`${registry}/r/ok${tarballPath(p)}`));
  const [gundam, goggles, playwright] = TARBALLS;

  for (const p of TARBALLS) {
    t(`${p.name}@${p.version}: verified tarball proxied, 200 with the exact bytes and a verdict header`, async () => {
      const res = await request('ok', tarballPath(p));
      const body = await bytesOf(res);
      check(res.status === 200, `status ${res.status}: ${new TextDecoder().decode(body.slice(0, 300))}`);
      check(sameBytes(body, await upstreamBytes(p)), `bytes differ (${body.length} bytes)`);
      const v = res.headers.get('x-sigstore-verdict') ?? '';
      check(v.startsWith('verified; ') && v.includes(`repository=https://github.com/${p.repository};`), `x-sigstore-verdict: ${v}`);
      check(/; signed=20\d\d-\d\d-\d\dT/.test(v) && /; logIndex=\d+/.test(v) && v.includes('publish=true'), `x-sigstore-verdict: ${v}`);
      check(res.headers.get('x-sigstore-integrity') === 'checked', 'integrity checked');
      check(v.includes('; trust=tuf;'), `trust from the local TUF repository: ${v}`);
    });
  }

  t('scoped tarball requested with %2f: same verdict and bytes', async () => {
    const res = await request('ok', tarballPath(goggles, true));
    const body = await bytesOf(res);
    check(res.status === 200, `status ${res.status}`);
    check(sameBytes(body, await upstreamBytes(goggles)), 'bytes differ');
  });

  t('HEAD of a verified tarball: 200, verdict header, no body', async () => {
    const res = await request('ok', tarballPath(gundam), { method: 'HEAD' });
    check(res.status === 200, `status ${res.status}`);
    check((res.headers.get('x-sigstore-verdict') ?? '').startsWith('verified; '), 'verdict header');
    check((await bytesOf(res)).length === 0, 'no body');
  });

  t('version document gated (GATE_VERSION_DOCUMENTS): 200 JSON with the verified integrity', async () => {
    const res = await request('ok', `/${playwright.name}/${playwright.version}`);
    check(res.status === 200, `status ${res.status}`);
    const doc = await res.json();
    check(doc.version === playwright.version && doc.dist.integrity.startsWith('sha512-'), JSON.stringify(doc).slice(0, 200));
    check((res.headers.get('x-sigstore-verdict') ?? '').startsWith('verified; '), 'verdict header');
  });

  t('version document of a failing scenario: 403 with the verifier code', async () => {
    await refused(await request('docs-expired-key', `/${gundam.name}/${gundam.version}`), 'NPM_KEY_EXPIRED', gundam);
  });

  const scenarios = [
    ['expired-key', 'NPM_KEY_EXPIRED'],
    ['unknown-key', 'NPM_KEY_UNKNOWN'],
    ['bad-registry-signature', 'NPM_REGISTRY_SIGNATURE_INVALID'],
    ['wrong-integrity', 'ARTIFACT_MISMATCH'],
    ['wrong-predicate', 'NPM_DOCUMENT_INVALID'],
    ['no-attestations', 'NPM_ATTESTATION_MISSING'],
    ['down', 'NPM_FETCH_FAILED'],
  ];
  for (const [config, code] of scenarios) {
    t(`registry scenario ${config}: 403 ${code}`, async () => {
      await refused(await request(config, tarballPath(gundam)), code, gundam);
    });
  }

  t('tampered tarball from the upstream (documents verify): 403 ARTIFACT_MISMATCH', async () => {
    const body = await refused(await request('tampered', tarballPath(goggles)), 'ARTIFACT_MISMATCH', goggles);
    check(body.error.step === 'artifact', `step ${body.error.step}`);
  });

  t('tampered tarball, streamed (MAX_BUFFER_BYTES=0): the body never completes', async () => {
    const res = await request('tampered-stream', tarballPath(goggles));
    check(res.status === 200 && res.headers.get('x-sigstore-integrity') === 'streamed', `status ${res.status}`);
    let body;
    try {
      body = await bytesOf(res);
    } catch {
      return; // the stream ended with an error: what a client must see
    }
    const good = await upstreamBytes(goggles);
    check(body.length < good.length, `a complete body of ${body.length} bytes arrived`);
  });

  t('verified tarball, streamed (MAX_BUFFER_BYTES=0): exact bytes', async () => {
    const res = await request('ok-stream', tarballPath(playwright));
    check(res.status === 200 && res.headers.get('x-sigstore-integrity') === 'streamed', `status ${res.status}`);
    check(sameBytes(await bytesOf(res), await upstreamBytes(playwright)), 'bytes differ');
  });

  t('repository not in ALLOWED_REPOSITORIES: 403 GATE_REPOSITORY_NOT_ALLOWED', async () => {
    const body = await refused(await request('repo-denied', tarballPath(gundam)), 'GATE_REPOSITORY_NOT_ALLOWED', gundam);
    check(body.error.message.includes('https://github.com/ramonpetgrave64/gundam-visor'), body.error.message);
  });

  t('workflow not in ALLOWED_WORKFLOWS: 403 GATE_WORKFLOW_NOT_ALLOWED', async () => {
    const body = await refused(await request('workflow-denied', tarballPath(gundam)), 'GATE_WORKFLOW_NOT_ALLOWED', gundam);
    check(body.error.message.includes('.github/workflows/npm-publish.yml'), body.error.message);
  });

  t('issuer not in ALLOWED_ISSUERS: 403 GATE_ISSUER_NOT_ALLOWED', async () => {
    await refused(await request('issuer-denied', tarballPath(playwright)), 'GATE_ISSUER_NOT_ALLOWED', playwright);
  });

  t('cooling period shorter than the package age (MIN_AGE_HOURS=24): 200', async () => {
    const res = await request('cool-pass', tarballPath(playwright));
    check(res.status === 200, `status ${res.status}: ${await res.text()}`);
    await res.arrayBuffer().catch(() => {});
  });

  t('cooling period longer than the package age (MIN_AGE_HOURS=1000000): 403 GATE_TOO_RECENT', async () => {
    const body = await refused(await request('cool-fail', tarballPath(playwright)), 'GATE_TOO_RECENT', playwright);
    check(body.error.message.includes('2026-02-14T23:28:43Z'), body.error.message);
  });

  t('with a cooling period, packuments hide the versions inside it and re-point latest', async () => {
    const res = await request('cool-pass', '/gundam-visor', { headers: { accept: 'application/vnd.npm.install-v1+json' } });
    check(res.status === 200, `status ${res.status}`);
    check(/1 version\(s\) younger/.test(res.headers.get('x-sigstore-gate') ?? ''), res.headers.get('x-sigstore-gate'));
    const doc = await res.json();
    check(JSON.stringify(Object.keys(doc.versions)) === '["1.0.1"]', JSON.stringify(Object.keys(doc.versions)));
    check(doc['dist-tags'].latest === '1.0.1' && doc['dist-tags'].old === '1.0.1', JSON.stringify(doc['dist-tags']));
    const all = await (await request('cool-fail', '/@playwright%2fcli')).json();
    check(Object.keys(all.versions).length === 0 && !all['dist-tags'].latest, JSON.stringify(all['dist-tags']));
    // Without a cooling period the packument passes through untouched.
    const plain = await (await request('cache', '/gundam-visor')).json();
    check(plain['dist-tags'].latest === '9.9.9' && Object.keys(plain.versions).length === 2, JSON.stringify(plain['dist-tags']));
  });

  t('verdicts are cached: a second request fetches only the tarball', async () => {
    const countDocs = () => registryRequests().filter((u) => u === '/r/ok/gundam-visor/1.0.1' || u.startsWith('/r/ok/-/npm/v1/attestations/gundam-visor@')).length;
    const countTarballs = () => registryRequests().filter((u) => u === `/r/ok${tarballPath(gundam)}`).length;
    const docs0 = countDocs();
    const tar0 = countTarballs();
    const first = await request('cache', tarballPath(gundam));
    await first.arrayBuffer();
    check(first.status === 200, `first: ${first.status}`);
    const docs1 = countDocs();
    check(docs1 === docs0 + 2, `first request: ${docs1 - docs0} document requests (expected 2)`);
    const second = await request('cache', tarballPath(gundam));
    await second.arrayBuffer();
    check(second.status === 200, `second: ${second.status}`);
    check(countDocs() === docs1, `second request fetched ${countDocs() - docs1} documents again`);
    check(countTarballs() === tar0 + 2, `tarball fetched ${countTarballs() - tar0} times (expected 2)`);
    check((second.headers.get('x-sigstore-verdict') ?? '').includes('cache=memory'), `x-sigstore-verdict: ${second.headers.get('x-sigstore-verdict')}`);
  });

  t('failures are cached too: a second refused request fetches nothing', async () => {
    const count = () => registryRequests().filter((u) => u.startsWith('/r/expired-key/')).length;
    await refused(await request('expired-key', tarballPath(playwright)), 'NPM_KEY_EXPIRED', playwright);
    const n = count();
    const res = await request('expired-key', tarballPath(playwright));
    await refused(res, 'NPM_KEY_EXPIRED', playwright);
    check(count() === n, `${count() - n} more registry requests`);
  });

  t('non-package paths pass through (NON_PACKAGE=pass)', async () => {
    const res = await request('ok', '/-/npm/v1/keys');
    check(res.status === 200, `status ${res.status}`);
    const doc = await res.json();
    check(Array.isArray(doc.keys) && doc.keys.length > 0, 'keys document');
    check(res.headers.get('x-sigstore-verdict') === null, 'no verdict header');
  });

  t('non-package paths refused with NON_PACKAGE=deny: 404 GATE_NOT_A_PACKAGE', async () => {
    const res = await request('deny', '/-/npm/v1/keys');
    check(res.status === 404, `status ${res.status}`);
    check((await res.json()).error.code === 'GATE_NOT_A_PACKAGE', 'code');
  });

  t('a tarball path naming another package: 400 GATE_REQUEST_INVALID', async () => {
    await refused(await request('ok', '/gundam-visor/-/evil-1.0.1.tgz'), 'GATE_REQUEST_INVALID', null, 400);
  });

  t('unusable settings: 500 GATE_CONFIG_INVALID', async () => {
    const res = await request('bad-config', tarballPath(gundam));
    check(res.status === 500, `status ${res.status}`);
    const body = await res.json();
    check(body.error.code === 'GATE_CONFIG_INVALID' && body.error.message.includes('MIN_AGE_HOURS'), JSON.stringify(body));
  });

  t('TUF_URL / TUF_ROOT / TUF_NOW: the trusted root from the local TUF repository (trust=tuf)', async () => {
    for (const p of [gundam, goggles]) {
      const res = await request('tuf', tarballPath(p));
      const body = await bytesOf(res);
      check(res.status === 200, `status ${res.status}: ${new TextDecoder().decode(body.slice(0, 300))}`);
      check(sameBytes(body, await upstreamBytes(p)), 'bytes differ');
      const v = res.headers.get('x-sigstore-verdict') ?? '';
      check(v.startsWith('verified; ') && v.includes('; trust=tuf;'), `x-sigstore-verdict: ${v}`);
    }
    const tuf = registryRequests().filter((u) => u.startsWith('/tuf/ok/'));
    check(['/tuf/ok/13.root.json', '/tuf/ok/14.root.json', '/tuf/ok/15.root.json', '/tuf/ok/timestamp.json'].every((u) => tuf.includes(u)), `TUF requests: ${tuf.join(', ')}`);
    check(tuf.some((u) => u.endsWith('.trusted_root.json')), `no trusted_root.json target fetched: ${tuf.join(', ')}`);
  });

  t('TRUSTED_ROOT pins the trusted root (trust=given), no TUF', async () => {
    const res = await request('tuf-pinned', tarballPath(gundam));
    await res.arrayBuffer();
    check(res.status === 200, `status ${res.status}`);
    const v = res.headers.get('x-sigstore-verdict') ?? '';
    check(v.includes('; trust=given;'), `x-sigstore-verdict: ${v}`);
  });

  t('an invalid TUF_NOW: 500 GATE_CONFIG_INVALID', async () => {
    const res = await request('tuf-bad-config', tarballPath(gundam));
    check(res.status === 500, `status ${res.status}`);
    const body = await res.json();
    check(body.error.code === 'GATE_CONFIG_INVALID' && body.error.message.includes('TUF_NOW'), JSON.stringify(body));
  });

  tests.push(...pypiGateTests({ request, registry }));
  return tests;
}

export async function runGateTests(ctx, log = console.log) {
  let passed = 0;
  let failed = 0;
  for (const { name, run } of gateTests(ctx)) {
    try {
      await run();
      passed++;
      log(`  ok   ${name}`);
    } catch (e) {
      failed++;
      log(`  FAIL ${name}: ${e?.message ?? e}`);
    }
  }
  return { passed, failed };
}
