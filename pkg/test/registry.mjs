// A stand-in npm registry on 127.0.0.1 for tests: serves the real vendored documents of
// tests/data/npm (attestations, version documents, tarballs, registry keys) under
//
//   http://127.0.0.1:PORT/r/SCENARIO/...        e.g. /r/ok/-/npm/v1/keys
//
// so that a test points `registry` at `${url}/r/ok` for the real data, or at another scenario
// for one fault (below). Versions whose real registry signature is not vendored (the ones with
// a vendored tarball) are signed by this stand-in's own P-256 key, listed in its keys document
// beside npm's real keys; the attestations are always the real ones.
//
// Also serves, for browser tests, the repository's files under /repo/ (pkg/, www/, ...), and the
// stand-in TUF repository of tuf-repo.mjs under /tuf/SCENARIO/, and the stand-in Python package
// index of pypi-index.mjs under /pypi/SCENARIO/.
//
// usage: node pkg/test/registry.mjs [--port N]  (prints the URL; runs until killed)
//        import { startRegistry } from './registry.mjs'; const r = await startRegistry();
import { createServer } from 'node:http';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize, extname } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = join(root, 'tests', 'data', 'npm');
const file = (n) => join(data, n.replace('/', '%2f'));

import { PACKAGES, SCENARIOS } from './npm-fixtures.js';
import { handleTuf } from './tuf-repo.mjs';
import { handlePypi } from './pypi-index.mjs';

export { PACKAGES, SCENARIOS };

const standIn = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const standInSpki = standIn.publicKey.export({ type: 'spki', format: 'der' });
export const STAND_IN_KEYID = `SHA256:${createHash('sha256').update(standInSpki).digest('base64').replace(/=+$/, '')}`;

const sri = (bytes) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
const registrySig = (name, version, integrity) =>
  sign('sha256', Buffer.from(`${name}@${version}:${integrity}`), standIn.privateKey).toString('base64');

function realKeys() {
  return JSON.parse(readFileSync(join(data, 'keys.json'), 'utf8'));
}

function keysDocument(scenario) {
  const doc = realKeys();
  if (scenario === 'expired-key') for (const k of doc.keys) k.expires = '2020-01-01T00:00:00.000Z';
  if (scenario === 'unknown-key') doc.keys = [];
  doc.keys.push({ expires: null, keyid: STAND_IN_KEYID, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: standInSpki.toString('base64') });
  return doc;
}

function tarballBytes(p, scenario) {
  const bytes = Buffer.from(readFileSync(file(`${p.name}@${p.version}.tgz`)));
  if (scenario === 'tampered-tarball') bytes[bytes.length >> 1] ^= 1;
  return bytes;
}

function attestations(p, scenario) {
  const doc = JSON.parse(readFileSync(file(`${p.name}@${p.version}.attestations.json`), 'utf8'));
  if (scenario === 'wrong-predicate') {
    const a = doc.attestations.find((x) => x.predicateType.startsWith('https://slsa.dev/provenance/'));
    a.predicateType = a.predicateType.endsWith('v1') ? 'https://slsa.dev/provenance/v0.2' : 'https://slsa.dev/provenance/v1';
  }
  return doc;
}

function versionDocument(p, base, scenario, requested) {
  const escaped = requested.replace('/', '%2f');
  let doc;
  if (p.tarball) {
    const integrity = sri(tarballBytes(p, 'ok'));
    const leaf = requested.split('/').pop();
    doc = {
      name: p.name,
      version: p.version,
      dist: {
        integrity,
        tarball: `${base}/${escaped}/-/${leaf}-${p.version}.tgz`,
        signatures: [{ keyid: STAND_IN_KEYID, sig: registrySig(p.name, p.version, integrity) }],
      },
    };
  } else {
    doc = JSON.parse(readFileSync(file(`${p.name}@${p.version}.packument.json`), 'utf8'));
    delete doc.dist.tarball; // not vendored
  }
  doc.dist.attestations = { url: `${base}/-/npm/v1/attestations/${escaped}@${p.version}`, provenance: { predicateType: p.provenance } };
  if (scenario === 'wrong-integrity') {
    // Another tarball's integrity, validly signed by the stand-in registry.
    const integrity = `sha512-${Buffer.alloc(64, 0x42).toString('base64')}`;
    doc.dist.integrity = integrity;
    doc.dist.signatures = [{ keyid: STAND_IN_KEYID, sig: registrySig(p.name, p.version, integrity) }];
  }
  if (requested !== p.name) {
    doc.name = requested;
    doc.dist.signatures = [{ keyid: STAND_IN_KEYID, sig: registrySig(requested, p.version, doc.dist.integrity) }];
  }
  if (scenario === 'bad-registry-signature') {
    doc.dist.signatures = [{ keyid: STAND_IN_KEYID, sig: registrySig(p.name, p.version, `${doc.dist.integrity}x`) }];
  }
  return doc;
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml' };

export function serveRepoFile(res, rel, headers) {
  const path = normalize(join(root, rel));
  if (!path.startsWith(root) || !existsSync(path) || !statSync(path).isFile()) return false;
  res.writeHead(200, { ...headers, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(readFileSync(path));
  return true;
}

/**
 * Start the stand-in registry. Resolves to `{ url, registry(scenario), requests, close }`;
 * `requests` lists every path asked for (to assert caching). `headers` are added to the
 * repository files under /repo/ (the browser tests' Content-Security-Policy).
 */
export async function startRegistry({ port = 0, host = '127.0.0.1', headers = {} } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    requests.push(url.pathname);
    res.setHeader('access-control-allow-origin', '*');
    if (url.pathname.startsWith('/repo/') && serveRepoFile(res, url.pathname.slice('/repo/'.length), headers)) return;
    // The stand-in TUF repository (tuf-repo.mjs): /tuf/SCENARIO/...
    if (handleTuf(req, res, url.pathname)) return;
    // The stand-in Python package index (pypi-index.mjs): /pypi/SCENARIO/...
    if (handlePypi(req, res, url.pathname, req.headers.host)) return;
    const m = /^\/r\/([a-z-]+)(\/.*)$/.exec(url.pathname);
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m || !(m[1] in SCENARIOS)) return json(404, { error: 'Not found' });
    const [, scenario, rest] = m;
    if (scenario === 'down') return json(500, { error: 'stand-in registry: scenario "down"' });
    const base = `http://${req.headers.host}/r/${scenario}`;
    const name = (s) => {
      const n = s.replace(/%2f/gi, '/');
      return scenario === 'wrong-purl' && n.endsWith('-typo') ? n.slice(0, -'-typo'.length) : n;
    };
    if (rest === '/-/npm/v1/keys') return json(200, keysDocument(scenario));
    let a = /^\/-\/npm\/v1\/attestations\/(.+)@([^@/]+)$/.exec(rest);
    if (a) {
      const p = PACKAGES.find((x) => x.name === name(a[1]) && x.version === a[2]);
      if (!p || scenario === 'no-attestations') return json(404, { error: 'Not found' });
      return json(200, attestations(p, scenario));
    }
    a = /^\/((?:@[^/]+(?:\/|%2f))?[^/@]+)\/-\/[^/]+-([^/]+)\.tgz$/i.exec(rest);
    if (a) {
      const p = PACKAGES.find((x) => x.name === name(a[1]) && x.version === a[2] && x.tarball);
      if (!p) return json(404, { error: 'Not found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(tarballBytes(p, scenario));
    }
    a = /^\/((?:@[^/]+(?:\/|%2f))?[^/@]+)\/([^/]+)$/i.exec(rest);
    if (a) {
      const p = PACKAGES.find((x) => x.name === name(a[1]) && x.version === a[2]);
      if (!p) return json(404, { error: 'Not found' });
      return json(200, versionDocument(p, base, scenario, a[1].replace(/%2f/gi, '/')));
    }
    a = /^\/((?:@[^/]+(?:\/|%2f))?[^/@]+)$/i.exec(rest);
    if (a) {
      // A full packument: the vendored version (published long ago) and a "9.9.9" published a
      // minute ago and tagged latest, for cooling-period filters.
      const p = PACKAGES.find((x) => x.name === name(a[1]));
      if (!p) return json(404, { error: 'Not found' });
      const requested = a[1].replace(/%2f/gi, '/');
      const doc = versionDocument(p, base, scenario, requested);
      const fresh = { ...doc, version: '9.9.9' };
      return json(200, {
        name: requested,
        'dist-tags': { latest: '9.9.9', old: p.version },
        versions: { [p.version]: doc, '9.9.9': fresh },
        time: { [p.version]: '2023-01-01T00:00:00.000Z', '9.9.9': new Date(Date.now() - 60_000).toISOString() },
      });
    }
    return json(404, { error: 'Not found' });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}`;
  return {
    url,
    registry: (scenario = 'ok') => `${url}/r/${scenario}`,
    requests,
    close: () => {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const r = await startRegistry({ port: i > 0 ? Number(process.argv[i + 1]) : 0 });
  console.log(r.url);
}
