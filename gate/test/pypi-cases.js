// The edge gate's PyPI mode (MODE=pypi, gate/src/pypi.js), run with the npm cases (cases.js) in
// workerd and Deno: the stand-in index (pkg/test/pypi-index.mjs, under /pypi/SCENARIO of the
// stand-in registry) is the upstream. Pages keep only verified, allowed files (their URLs on the
// gate), downloads are served when the bytes have the verified sha256, every refusal its code.
import { DISTRIBUTIONS } from '../../pkg/test/pypi-fixtures.js';

const [gh, google, circle] = DISTRIBUTIONS;
const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';

/** The PyPI gate configs, given the stand-in's base URL and the npm configs' trust settings. */
export function pypiGateConfigs(base, trust) {
  const at = (scenario, extra = {}) => ({ MODE: 'pypi', UPSTREAM: `${base}/pypi/${scenario}`, ...trust, ...extra });
  return {
    'pypi-ok': at('ok'),
    'pypi-repo': at('ok', { ALLOWED_REPOSITORIES: 'trailofbits/pypi-attestations', ALLOWED_WORKFLOWS: 'release.yml' }),
    'pypi-workflow': at('ok', { ALLOWED_WORKFLOWS: '.github/workflows/other.yml' }),
    'pypi-issuer': at('ok', { ALLOWED_ISSUERS: 'https://accounts.google.com' }),
    // The files were signed 2024 … 2026: 24 h ago is long past, a million hours is not.
    'pypi-cool-pass': at('ok', { MIN_AGE_HOURS: '24' }),
    'pypi-cool-fail': at('ok', { MIN_AGE_HOURS: '1000000' }),
    'pypi-no-provenance': at('no-provenance'),
    'pypi-tampered': at('tampered-file'),
    'pypi-tampered-stream': at('tampered-file', { MAX_BUFFER_BYTES: '0' }),
    'pypi-down': at('down'),
    'pypi-deny': at('ok', { NON_PACKAGE: 'deny' }),
    'pypi-bad-mode': at('ok', { MODE: 'cargo' }),
  };
}

function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function sha256Hex(bytes) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `check` helpers bound to a gate `request(config, path, init)`. */
export function pypiGateTests({ request, registry }) {
  const tests = [];
  const t = (name, run) => tests.push({ name, run });
  const page = async (config, d, accept = SIMPLE_JSON) => {
    const res = await request(config, `/simple/${d.project}/`, { headers: { accept } });
    check(res.status === 200, `${config} /simple/${d.project}/: status ${res.status}: ${(await res.clone().text()).slice(0, 300)}`);
    return res;
  };
  const listed = async (config, d) => (await (await page(config, d)).json()).files.map((f) => f.filename);
  const refused = async (res, code, status = 403) => {
    const text = await res.text();
    check(res.status === status, `expected ${status} ${code}, got ${res.status}: ${text.slice(0, 300)}`);
    const body = JSON.parse(text);
    check(body.verified === false && body.error?.code === code, `expected ${code}: ${text.slice(0, 300)}`);
    check((res.headers.get('x-sigstore-verdict') ?? '').startsWith(`refused; code=${code}`), `x-sigstore-verdict: ${res.headers.get('x-sigstore-verdict')}`);
  };
  const fileOf = (d) => `/files/${d.project}/${d.filename}`;

  t('pypi: every verified file is listed (PEP 691 JSON), its URL on the gate, its hash the upstream one', async () => {
    for (const d of DISTRIBUTIONS) {
      const res = await page('pypi-ok', d);
      check(res.headers.get('content-type') === SIMPLE_JSON, res.headers.get('content-type'));
      check(/^simple; 1 of 1 file/.test(res.headers.get('x-sigstore-gate') ?? ''), res.headers.get('x-sigstore-gate'));
      const doc = await res.json();
      const up = await (await fetch(`${registry}/pypi/ok/simple/${d.project}/`, { headers: { accept: SIMPLE_JSON } })).json();
      check(doc.files.length === 1 && doc.files[0].filename === d.filename, JSON.stringify(doc.files));
      check(new URL(doc.files[0].url).pathname === fileOf(d), doc.files[0].url);
      check(doc.files[0].hashes.sha256 === up.files[0].hashes.sha256, 'hash');
    }
  });

  t('pypi: PEP 503 HTML for clients that do not ask for JSON, links to the gate with #sha256=', async () => {
    const html = await (await page('pypi-ok', gh, 'text/html')).text();
    check(/<a href="http:\/\/[^"]+\/files\/pypi-attestations\/pypi_attestations-0\.0\.19\.tar\.gz#sha256=[0-9a-f]{64}"[^>]*>pypi_attestations-0\.0\.19\.tar\.gz<\/a>/.test(html), html.slice(0, 400));
  });

  t('pypi: a verified file downloads with its exact bytes and a verdict header (also when streamed)', async () => {
    for (const config of ['pypi-ok', 'pypi-cool-pass']) {
      for (const d of DISTRIBUTIONS) {
        const res = await request(config, fileOf(d));
        const bytes = new Uint8Array(await res.arrayBuffer());
        check(res.status === 200, `${config} ${d.filename}: status ${res.status}: ${new TextDecoder().decode(bytes.slice(0, 300))}`);
        const want = await sha256Hex(new Uint8Array(await (await fetch(`${registry}/pypi/ok/files/${d.filename}`)).arrayBuffer()));
        check((await sha256Hex(bytes)) === want, 'bytes differ');
        check((res.headers.get('x-sigstore-verdict') ?? '').startsWith('verified; publisher='), res.headers.get('x-sigstore-verdict'));
        check(res.headers.get('x-sigstore-integrity') === 'checked', 'integrity checked');
      }
    }
  });

  t('pypi: ALLOWED_REPOSITORIES / ALLOWED_WORKFLOWS / ALLOWED_ISSUERS leave out other publishers, whose downloads are refused', async () => {
    check((await listed('pypi-repo', gh)).length === 1, 'the allowed repository is listed');
    check((await listed('pypi-repo', google)).length === 0, 'a Google publisher is not a repository');
    await refused(await request('pypi-repo', fileOf(google)), 'GATE_REPOSITORY_NOT_ALLOWED');
    check((await listed('pypi-workflow', gh)).length === 0, 'another workflow');
    await refused(await request('pypi-workflow', fileOf(gh)), 'GATE_WORKFLOW_NOT_ALLOWED');
    check((await listed('pypi-issuer', google)).length === 1 && (await listed('pypi-issuer', circle)).length === 0, 'issuers');
    await refused(await request('pypi-issuer', fileOf(circle)), 'GATE_ISSUER_NOT_ALLOWED');
  });

  t('pypi: files younger than MIN_AGE_HOURS (by the verified log time) are left out and refused', async () => {
    check((await listed('pypi-cool-fail', gh)).length === 0, 'listed inside the cooling period');
    await refused(await request('pypi-cool-fail', fileOf(gh)), 'GATE_TOO_RECENT');
  });

  t('pypi: a file without provenance is left out (PYPI_ATTESTATION_MISSING on download)', async () => {
    check((await listed('pypi-no-provenance', gh)).length === 0, 'listed without provenance');
    await refused(await request('pypi-no-provenance', fileOf(gh)), 'PYPI_ATTESTATION_MISSING');
  });

  t('pypi: a file whose bytes changed is refused (PYPI_HASH_MISMATCH), or its stream ends in an error', async () => {
    check((await listed('pypi-tampered', gh)).length === 1, 'the listing still verifies');
    await refused(await request('pypi-tampered', fileOf(gh)), 'PYPI_HASH_MISMATCH');
    const res = await request('pypi-tampered-stream', fileOf(gh));
    let complete = true;
    try {
      await res.arrayBuffer();
    } catch {
      complete = false;
    }
    check(!(res.status === 200 && complete), `a complete tampered body was served (status ${res.status})`);
  });

  t('pypi: unlisted files and projects are 404 GATE_NOT_A_PACKAGE; bad names 400; upstream down 502', async () => {
    await refused(await request('pypi-ok', `/files/${gh.project}/pypi_attestations-0.0.20.tar.gz`), 'GATE_NOT_A_PACKAGE', 404);
    await refused(await request('pypi-ok', '/simple/no-such-project/'), 'GATE_NOT_A_PACKAGE', 404);
    await refused(await request('pypi-ok', `/files/${gh.project}/${google.filename}`), 'PYPI_FILENAME_INVALID', 400);
    await refused(await request('pypi-down', `/simple/${gh.project}/`), 'GATE_UPSTREAM_FAILED', 502);
    const res = await request('pypi-deny', '/pypi/other');
    check(res.status === 404 && (await res.json()).error.code === 'GATE_NOT_A_PACKAGE', `deny: ${res.status}`);
    const bad = await request('pypi-bad-mode', `/simple/${gh.project}/`);
    check(bad.status === 500 && (await bad.json()).error.code === 'GATE_CONFIG_INVALID', `MODE=cargo: ${bad.status}`);
  });

  return tests;
}
