// The edge gate's PyPI mode (MODE=pypi): a PEP 503 / PEP 691 simple-index proxy in front of a
// Python package index (UPSTREAM, default https://pypi.org) that lists only the files whose PEP 740
// provenance verifies (sigstore-wasm's PypiVerifier, trust as for the npm gate) under the gate's
// policy, and serves those files only when their bytes have the verified sha256. pip and uv
// pointed at the gate (`--index-url https://GATE/simple/`) then resolve to a verified file
// instead of failing on a refused one.
//
//   GET /simple/PROJECT/      the upstream's project page (fetched as PEP 691 JSON), without the
//                             files that do not verify or fail the policy, each remaining file's
//                             URL pointing at /files/PROJECT/FILENAME on the gate; answered as
//                             PEP 691 JSON when the client accepts it, else PEP 503 HTML
//   GET /files/PROJECT/FILENAME   the file, when listed, verified and allowed; its sha256 is
//                             checked as it streams (PYPI_HASH_MISMATCH), as the npm gate checks
//                             tarballs
//
// Policy (gate/README.md): ALLOWED_REPOSITORIES (GitHub or GitLab Trusted Publishers of these
// repositories), ALLOWED_WORKFLOWS (their workflow file), ALLOWED_ISSUERS (the certificates' OIDC
// issuers), MIN_AGE_HOURS (against the attestation's verified log time, not the index's upload
// time). Verdicts are kept per file and sha256 for VERDICT_TTL_SECONDS (FAILURE_TTL_SECONDS for
// failures); the time-dependent check runs on every request.
import { GateError, json, upstreamRequest, checkedResponse } from './gate.js';

const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
const CONCURRENCY = 4;

/** A distribution filename's version (wheel: the second field; sdist: after the last `-`). */
function versionOf(filename) {
  if (filename.endsWith('.whl')) return filename.split('-')[1] ?? '';
  const stem = filename.replace(/\.(tar\.gz|zip)$/, '');
  return stem.slice(stem.lastIndexOf('-') + 1);
}

function hexBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the gate keeps of a verified distribution. */
function summarize(r) {
  const atts = r.attestations.map((a) => ({
    predicateType: a.predicateType,
    publisher: a.publisher,
    issuer: a.issuer,
    signedAt: a.bundle?.tlogEntries?.find((t) => t.integratedTime)?.integratedTime ?? null,
  }));
  return { ok: true, sha256: r.sha256, attestations: atts };
}

/** The gate's policy on a verified file at request time `now` (ms); throws a GateError. */
export function checkPypiPolicy(cfg, v, now) {
  for (const a of v.attestations) {
    if (cfg.allowedIssuers.length && !cfg.allowedIssuers.includes(a.issuer)) {
      throw new GateError('GATE_ISSUER_NOT_ALLOWED', 'policy', `attestation issuer ${JSON.stringify(a.issuer)} is not one of ALLOWED_ISSUERS`);
    }
    const p = a.publisher ?? {};
    const host = p.kind === 'GitHub' ? 'github.com' : p.kind === 'GitLab' ? 'gitlab.com' : null;
    const repo = host ? `https://${host}/${p.repository}` : null;
    if (cfg.repositoryMatchers.length && !(repo && cfg.repositoryMatchers.some((m) => m(repo)))) {
      throw new GateError('GATE_REPOSITORY_NOT_ALLOWED', 'policy', repo ? `Trusted Publisher repository ${repo} is not one of ALLOWED_REPOSITORIES` : `a ${p.kind} publisher has no repository`);
    }
    const wf = p.workflow ?? p.workflow_filepath;
    if (cfg.allowedWorkflows.length && !(wf && cfg.allowedWorkflows.some((w) => w === wf || w === `.github/workflows/${wf}`))) {
      throw new GateError('GATE_WORKFLOW_NOT_ALLOWED', 'policy', `publisher workflow ${JSON.stringify(wf ?? null)} is not one of ALLOWED_WORKFLOWS`);
    }
  }
  if (cfg.minAgeHours > 0) {
    const times = v.attestations.map((a) => Date.parse(a.signedAt ?? ''));
    if (!times.length || times.some((t) => !Number.isFinite(t))) throw new GateError('GATE_SIGNING_TIME_UNKNOWN', 'policy', 'MIN_AGE_HOURS is set but an attestation has no verified log time');
    const ageHours = (now - Math.max(...times)) / 3.6e6;
    if (ageHours < cfg.minAgeHours) throw new GateError('GATE_TOO_RECENT', 'policy', `signed ${ageHours.toFixed(1)} h before the request; MIN_AGE_HOURS is ${cfg.minAgeHours}`);
  }
}

/** The PyPI gate: `{ handle(request), config, stats }`. */
export function createPypiGate(api, cfg, fetchFn) {
  const memory = new Map(); // `${filename}\n${sha256}` -> { verdict, expires }
  const stats = { verifications: 0, memoryHits: 0 };
  let verifier;
  const getVerifier = () =>
    (verifier ??= cfg.trust.trustedRoot
      ? Promise.resolve(new api.PypiVerifier({ trustedRoot: cfg.trust.trustedRoot }))
      : api.PypiVerifier.fromTuf({ fetch: fetchFn, ...(cfg.trust.tuf ?? {}) })).catch((e) => {
      verifier = undefined;
      throw e;
    });

  const fail = (e) => ({ ok: false, error: { code: e.code, step: e.step, message: e.message } });

  async function verifyFile(project, f) {
    stats.verifications++;
    const url = `${cfg.upstream}/integrity/${project}/${encodeURIComponent(versionOf(f.filename))}/${encodeURIComponent(f.filename)}/provenance`;
    let res;
    try {
      res = await fetchFn(url, { headers: { accept: 'application/json' } });
    } catch (e) {
      return fail({ code: 'PYPI_FETCH_FAILED', step: 'input', message: `GET ${url}: ${e?.message ?? e}` });
    }
    if (res.status === 404) return fail({ code: 'PYPI_ATTESTATION_MISSING', step: 'policy', message: `${url}: HTTP 404 (the file has no provenance)` });
    if (res.status !== 200) return fail({ code: 'PYPI_FETCH_FAILED', step: 'input', message: `GET ${url}: HTTP ${res.status}` });
    try {
      const v = await getVerifier();
      return summarize(v.verify({ filename: f.filename, sha256: f.sha256, provenance: await res.text() }));
    } catch (e) {
      if (e && typeof e.code === 'string' && typeof e.step === 'string') return fail(e);
      throw e;
    }
  }

  async function verdictFor(project, f) {
    const key = `${f.filename}\n${f.sha256}`;
    const hit = memory.get(key);
    if (hit && hit.expires > Date.now()) {
      stats.memoryHits++;
      return hit.verdict;
    }
    const verdict = await verifyFile(project, f);
    const ttl = verdict.ok ? cfg.verdictTtl : cfg.failureTtl;
    if (ttl > 0) {
      if (memory.size >= 1000) memory.delete(memory.keys().next().value);
      memory.set(key, { verdict, expires: Date.now() + ttl * 1000 });
    }
    return verdict;
  }

  /** The upstream project page (PEP 691 JSON) and each listed file with its verdict and policy outcome. */
  async function projectFiles(request, project) {
    const url = `${cfg.upstream}/simple/${project}/`;
    let res;
    try {
      res = await fetchFn(url, { headers: { accept: SIMPLE_JSON }, redirect: 'follow' });
    } catch (e) {
      throw new GateError('GATE_UPSTREAM_FAILED', 'input', `GET ${url}: ${e?.message ?? e}`, 502);
    }
    if (res.status === 404) throw new GateError('GATE_NOT_A_PACKAGE', 'input', `the upstream has no project ${project}`, 404);
    if (res.status !== 200) throw new GateError('GATE_UPSTREAM_FAILED', 'input', `GET ${url}: HTTP ${res.status}`, 502);
    let page;
    try {
      page = await res.json();
    } catch {
      throw new GateError('GATE_UPSTREAM_FAILED', 'input', `GET ${url}: not PEP 691 JSON`, 502);
    }
    const listed = Array.isArray(page?.files) ? page.files : [];
    const files = [];
    for (const f of listed) {
      const sha256 = typeof f?.hashes?.sha256 === 'string' ? f.hashes.sha256.toLowerCase() : '';
      if (typeof f?.filename !== 'string' || typeof f.url !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) continue;
      let fileUrl;
      try {
        fileUrl = new URL(f.url, url).href;
      } catch {
        continue;
      }
      files.push({ entry: f, filename: f.filename, sha256, url: fileUrl });
    }
    const now = Date.now();
    for (let i = 0; i < files.length; i += CONCURRENCY) {
      await Promise.all(
        files.slice(i, i + CONCURRENCY).map(async (f) => {
          f.verdict = await verdictFor(project, f);
          if (!f.verdict.ok) return;
          try {
            checkPypiPolicy(cfg, f.verdict, now);
          } catch (e) {
            if (!(e instanceof GateError)) throw e;
            f.refused = e;
          }
        }),
      );
    }
    return { page, files };
  }

  async function simplePage(request, url, project) {
    const { page, files } = await projectFiles(request, project);
    const kept = files.filter((f) => f.verdict.ok && !f.refused);
    const origin = url.origin;
    const out = {
      ...page,
      files: kept.map((f) => {
        const { provenance: _p, ...entry } = f.entry;
        return { ...entry, url: `${origin}/files/${project}/${encodeURIComponent(f.filename)}` };
      }),
    };
    const header = `simple; ${kept.length} of ${files.length} file(s) verified and allowed`;
    const accept = request.headers.get('accept') ?? '';
    const body = request.method === 'HEAD' ? null : undefined;
    if (accept.includes(SIMPLE_JSON) || accept.includes('application/json')) {
      return new Response(body ?? JSON.stringify(out), { status: 200, headers: { 'content-type': SIMPLE_JSON, 'x-sigstore-gate': header, 'cache-control': 'no-store' } });
    }
    const links = out.files.map((f) => `<a href="${escapeHtml(`${f.url}#sha256=${f.hashes.sha256}`)}"${f['requires-python'] ? ` data-requires-python="${escapeHtml(f['requires-python'])}"` : ''}>${escapeHtml(f.filename)}</a><br>`);
    const html = `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"><title>Links for ${escapeHtml(project)}</title></head><body>\n<h1>Links for ${escapeHtml(project)}</h1>\n${links.join('\n')}\n</body></html>\n`;
    return new Response(body ?? html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'x-sigstore-gate': header, 'cache-control': 'no-store' } });
  }

  async function file(request, project, filename) {
    const { files } = await projectFiles(request, project);
    const f = files.find((x) => x.filename === filename);
    if (!f) throw new GateError('GATE_NOT_A_PACKAGE', 'input', `the upstream's page for ${project} lists no file ${filename}`, 404);
    if (!f.verdict.ok) throw new GateError(f.verdict.error.code, f.verdict.error.step, f.verdict.error.message);
    if (f.refused) throw f.refused;
    let res;
    try {
      res = await fetchFn(new Request(f.url, { method: request.method === 'HEAD' ? 'HEAD' : 'GET', redirect: 'follow' }));
    } catch (e) {
      throw new GateError('GATE_UPSTREAM_FAILED', 'input', `GET ${f.url}: ${e?.message ?? e}`, 502);
    }
    const headers = new Headers(res.headers);
    headers.delete('content-encoding');
    const pubs = f.verdict.attestations.map((a) => a.publisher?.repository ?? a.publisher?.email ?? a.publisher?.project_id ?? a.publisher?.kind).join(',');
    headers.set('x-sigstore-verdict', `verified; publisher=${pubs}; sha256=${f.sha256}`);
    if (request.method === 'HEAD' || res.status !== 200 || !res.body) return new Response(request.method === 'HEAD' ? null : res.body, { status: res.status, headers });
    const mismatch = () => new GateError('PYPI_HASH_MISMATCH', 'artifact', `the upstream file's sha256 is not the verified ${f.sha256}`);
    return checkedResponse(res, headers, new api.Sha256(), hexBytes(f.sha256), mismatch, cfg.maxBufferBytes);
  }

  async function handle(request) {
    const url = new URL(request.url);
    const get = request.method === 'GET' || request.method === 'HEAD';
    const simple = get && /^\/simple\/([^/]+)\/?$/.exec(url.pathname);
    const dl = get && /^\/files\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!simple && !dl) {
      if (cfg.nonPackage === 'deny') return json(404, { error: { code: 'GATE_NOT_A_PACKAGE', step: 'input', message: `${url.pathname} is not a project page or a file` } });
      return fetchFn(upstreamRequest(cfg, request, url));
    }
    let project;
    let filename = null;
    try {
      project = decodeURIComponent((simple ?? dl)[1]).toLowerCase().replace(/[-_.]+/g, '-');
      if (dl) filename = decodeURIComponent(dl[2]);
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(project)) throw new GateError('GATE_REQUEST_INVALID', 'input', `${JSON.stringify(project)} is not a project name`, 400);
      if (dl) api.pypiCoordinates(project, versionOf(filename), filename);
      return simple ? await simplePage(request, url, project) : await file(request, project, filename);
    } catch (e) {
      if (e && typeof e.code === 'string' && typeof e.step === 'string') {
        const status = e instanceof GateError ? e.status : e.code === 'PYPI_FILENAME_INVALID' || e.code === 'INPUT_INVALID' ? 400 : 403;
        return json(status, { verified: false, package: project ?? null, version: filename ? versionOf(filename) : null, file: filename, error: { code: e.code, step: e.step, message: e.message } }, { 'x-sigstore-verdict': `refused; code=${e.code}` });
      }
      if (e instanceof URIError) return json(400, { verified: false, error: { code: 'GATE_REQUEST_INVALID', step: 'input', message: 'malformed percent-encoding' } });
      throw e;
    }
  }

  return { handle, config: cfg, stats };
}
