// A stand-in Python package index on 127.0.0.1 for tests, mounted in the stand-in registry's
// server (registry.mjs) under
//
//   http://127.0.0.1:PORT/pypi/SCENARIO/simple/PROJECT/                     PEP 691 JSON (PEP 503 HTML on Accept: text/html)
//   http://127.0.0.1:PORT/pypi/SCENARIO/integrity/PROJECT/VERSION/FILE/provenance   PEP 740 provenance
//   http://127.0.0.1:PORT/pypi/SCENARIO/files/FILE                          the distribution
//
// serving the real files and provenance of tests/data/pypi (pypi-fixtures.js), so that a test
// points `index` at `${url}/pypi/ok`, or at another scenario for one fault (PYPI_SCENARIOS).
//
// usage: node pkg/test/pypi-index.mjs [--port N]   (prints the index URL; runs until killed)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { DISTRIBUTIONS, PYPI_SCENARIOS } from './pypi-fixtures.js';

export { DISTRIBUTIONS, PYPI_SCENARIOS };

const data = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'data', 'pypi');
const normalize = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The file's bytes as the scenario serves them (one byte flipped when it "changed"). */
export function fileBytes(d, scenario = 'ok') {
  const bytes = Buffer.from(readFileSync(join(data, d.filename)));
  if (scenario === 'tampered-file' || scenario === 'hash-changed') bytes[bytes.length >> 1] ^= 1;
  return bytes;
}

/** The PEP 691 project page; `uploadTime` (ISO) overrides the files' upload time. */
export function projectPage(project, base, scenario = 'ok', { uploadTime = '2024-06-01T00:00:00.000000Z' } = {}) {
  const ds = DISTRIBUTIONS.filter((d) => d.project === project);
  const files = ds
    .filter(() => scenario !== 'unlisted')
    .map((d) => ({
      filename: d.filename,
      url: `${base}/files/${d.filename}`,
      hashes: { sha256: sha256(fileBytes(d, scenario === 'hash-changed' ? scenario : 'ok')) },
      'requires-python': '>=3.8',
      'upload-time': uploadTime,
      provenance: `${base}/integrity/${d.project}/${d.version}/${d.filename}/provenance`,
      yanked: false,
    }));
  return { meta: { 'api-version': '1.1' }, name: project, versions: [...new Set(ds.map((d) => d.version))], files };
}

const html = (page) =>
  `<!DOCTYPE html><html><body><h1>Links for ${page.name}</h1>\n${page.files
    .map((f) => `<a href="${f.url}#sha256=${f.hashes.sha256}" data-requires-python="&gt;=3.8">${f.filename}</a><br>`)
    .join('\n')}\n</body></html>`;

/**
 * Answer a request under /pypi/SCENARIO/; returns false for any other path (so that the caller's
 * other handlers may). `host` is the request's Host header, for absolute URLs.
 */
export function handlePypi(req, res, pathname, host) {
  const m = /^\/pypi\/([a-z-]+)(\/.*)$/.exec(pathname);
  if (!m) return false;
  const [, scenario, rest] = m;
  const send = (status, type, body) => {
    res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*' });
    res.end(body);
    return true;
  };
  const json = (status, body, type = 'application/json') => send(status, type, typeof body === 'string' ? body : JSON.stringify(body));
  if (!(scenario in PYPI_SCENARIOS)) return json(404, { message: 'Not Found' });
  if (scenario === 'down') return json(500, { message: 'stand-in index: scenario "down"' });
  const base = `http://${host}/pypi/${scenario}`;
  let a = /^\/simple\/([^/]+)\/$/.exec(rest);
  if (a) {
    const project = normalize(decodeURIComponent(a[1]));
    if (!DISTRIBUTIONS.some((d) => d.project === project)) return json(404, { message: 'Not Found' });
    if (scenario === 'malformed-index') return json(200, '{"meta": {"api-version": "1.1"}, "files": [', 'application/vnd.pypi.simple.v1+json');
    const page = projectPage(project, base, scenario);
    if (/text\/html/.test(req.headers.accept ?? '') && !/vnd\.pypi\.simple\.v1\+json/.test(req.headers.accept ?? '')) return send(200, 'text/html', html(page));
    return json(200, page, 'application/vnd.pypi.simple.v1+json');
  }
  a = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/.exec(rest);
  if (a) {
    const [project, version, filename] = a.slice(1).map(decodeURIComponent);
    const d = DISTRIBUTIONS.find((x) => x.project === normalize(project) && x.version === version && x.filename === filename);
    if (!d || scenario === 'no-provenance') return json(404, { message: 'Not Found' });
    if (scenario === 'disabled') return json(403, { message: 'Attestations disabled' });
    if (scenario === 'malformed-provenance') return json(200, '{"version": 1, "attestation_bundles": [{');
    return json(200, readFileSync(join(data, `${d.filename}.provenance`), 'utf8'));
  }
  a = /^\/files\/([^/]+)$/.exec(rest);
  if (a) {
    const d = DISTRIBUTIONS.find((x) => x.filename === decodeURIComponent(a[1]));
    if (!d) return json(404, { message: 'Not Found' });
    return send(200, 'application/octet-stream', fileBytes(d, scenario));
  }
  return json(404, { message: 'Not Found' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startRegistry } = await import('./registry.mjs');
  const i = process.argv.indexOf('--port');
  const r = await startRegistry({ port: i > 0 ? Number(process.argv[i + 1]) : 0 });
  console.log(`${r.url}/pypi/ok`);
}
