// A stand-in Sigstore TUF repository for tests: the real public-good metadata of tests/data/tuf
// (root-signing 60cf2ce: roots 12..15, timestamp v762, snapshot v165, targets v14, the
// registry.npmjs.org delegation v8, trusted_root.json and the npm keys) laid out as the CDN
// serves it, under
//
//   /tuf/SCENARIO/12.root.json ... 15.root.json, timestamp.json, 165.snapshot.json,
//   14.targets.json, 8.registry.npmjs.org.json, targets/<sha256>.trusted_root.json,
//   targets/registry.npmjs.org/<sha256>.keys.json
//
// SCENARIO `ok` serves it as is; every other scenario changes one thing (FAULTS below). The
// requests each scenario received are recorded (`requests`), to assert what was fetched.
// Mounted by the stand-in registry (registry.mjs) so browser, Worker and Deno tests reach it on
// the same origin; `startTufRepo()` runs it alone.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = (p) => readFileSync(join(root, 'tests', 'data', 'tuf', p));
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** 2026-08-22T00:00:00Z: inside every file's validity (timestamp v762 expires 2026-08-28T19:25:56Z). */
export const TUF_NOW = '2026-08-22T00:00:00Z';
/** After the timestamp's expiry, before root 15's (2026-11-20). */
export const TUF_AFTER_TIMESTAMP = '2026-09-01T00:00:00Z';

function files() {
  const m = new Map();
  for (let v = 12; v <= 15; v++) m.set(`${v}.root.json`, data(`metadata/root_history/${v}.root.json`));
  m.set('timestamp.json', data('metadata/timestamp.json'));
  m.set('165.snapshot.json', data('metadata/snapshot.json'));
  m.set('14.targets.json', data('metadata/targets.json'));
  m.set('8.registry.npmjs.org.json', data('metadata/registry.npmjs.org.json'));
  const tr = data('targets/trusted_root.json');
  m.set(`targets/${sha256(tr)}.trusted_root.json`, tr);
  const keys = data('targets/registry.npmjs.org/keys.json');
  m.set(`targets/registry.npmjs.org/${sha256(keys)}.keys.json`, keys);
  return m;
}

const REPO = files();
export const TRUSTED_ROOT_PATH = [...REPO.keys()].find((k) => k.endsWith('.trusted_root.json'));
export const NPM_KEYS_PATH = [...REPO.keys()].find((k) => k.endsWith('.keys.json'));

/** The real files, for tests that compare a cache with them. */
export function repoFile(name) {
  return REPO.get(name);
}

function rewrite(bytes, f) {
  const v = JSON.parse(bytes.toString('utf8'));
  f(v);
  return Buffer.from(JSON.stringify(v, null, 2));
}

/**
 * Each fault: what the scenario serves for a path (`null`: 404; `{ status }`: that status;
 * `'reset'`: drop the connection; `'hang'`: never answer), or undefined for the real file.
 */
export const FAULTS = {
  ok: () => undefined,
  'timestamp-404': (p) => (p === 'timestamp.json' ? null : undefined),
  'timestamp-500': (p) => (p === 'timestamp.json' ? { status: 500 } : undefined),
  'all-503': () => ({ status: 503 }),
  reset: () => 'reset',
  'slow-timestamp': (p) => (p === 'timestamp.json' ? 'hang' : undefined),
  // The first half of the file, served as a complete response.
  'truncated-timestamp': (p) => (p === 'timestamp.json' ? REPO.get(p).subarray(0, REPO.get(p).length >> 1) : undefined),
  'truncated-target': (p) => (p === TRUSTED_ROOT_PATH ? REPO.get(p).subarray(0, REPO.get(p).length - 100) : undefined),
  // Past the client's 16 KiB limit for timestamp metadata.
  'oversized-timestamp': (p) => (p === 'timestamp.json' ? Buffer.concat([REPO.get(p), Buffer.alloc(17 * 1024, 0x20)]) : undefined),
  'malformed-timestamp': (p) => (p === 'timestamp.json' ? Buffer.from('{"signed": {"_type": "timestamp", ') : undefined),
  // A lower version than the real (cached) v762: its signature no longer verifies.
  'rollback-timestamp': (p) => (p === 'timestamp.json' ? rewrite(REPO.get(p), (v) => (v.signed.version = 761)) : undefined),
  // Mix and match: the npm keys target's bytes where the trusted root's are listed.
  'swapped-target': (p) => (p === TRUSTED_ROOT_PATH ? REPO.get(NPM_KEYS_PATH) : undefined),
  // Mix and match: the snapshot served as the targets metadata the snapshot lists.
  'snapshot-as-targets': (p) => (p === '14.targets.json' ? REPO.get('165.snapshot.json') : undefined),
  // A repository whose targets list no npm keys (the delegated role's metadata is missing from
  // the snapshot's point of view: it lists the role, the file is not there).
  'no-npm-role': (p) => (p === '8.registry.npmjs.org.json' ? null : undefined),
};

/**
 * Handle `/tuf/...` for a Node http server; returns false for other paths. `log(scenario, path)`
 * is called for each request.
 */
export function handleTuf(req, res, pathname, log = () => {}) {
  const m = /^\/tuf\/([a-z0-9-]+)\/(.+)$/.exec(pathname);
  if (!m) return false;
  const [, scenario, path] = m;
  const fault = FAULTS[scenario];
  res.setHeader('access-control-allow-origin', '*');
  if (!fault) {
    res.writeHead(404).end();
    return true;
  }
  log(scenario, path);
  const f = fault(path);
  if (f === 'reset') {
    req.socket.destroy();
    return true;
  }
  if (f === 'hang') {
    // Never answered; the connection closes when the client gives up (or at server close).
    return true;
  }
  if (f && !(f instanceof Uint8Array) && f.status) {
    res.writeHead(f.status, { 'content-type': 'text/plain' }).end('unavailable');
    return true;
  }
  const body = f === null ? undefined : (f ?? REPO.get(path));
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return true;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(body);
  return true;
}

/** Run the repository alone: resolves to `{ url, repo(scenario), requests, close }`. */
export async function startTufRepo({ port = 0, host = '127.0.0.1' } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (!handleTuf(req, res, pathname, (s, p) => requests.push(`${s}/${p}`))) res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}`;
  return {
    url,
    repo: (scenario = 'ok') => `${url}/tuf/${scenario}`,
    requests,
    close: () => {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await startTufRepo({ port: Number(process.argv[process.argv.indexOf('--port') + 1]) || 0 });
  console.log(r.repo());
}
