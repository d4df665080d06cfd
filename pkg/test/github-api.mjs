// A stand-in GitHub REST API on 127.0.0.1 for the attestation tests: serves
//
//   GET /api/SCENARIO/repos/OWNER/REPO/attestations/sha256:HEX
//   GET /api/SCENARIO/orgs/OWNER/attestations/sha256:HEX
//
// with a REST response built from real public-good bundles signed by GitHub Actions (vendored
// under tests/data): for the sigstore-conformance beacon's repository and a.txt's digest, the
// playwright-cli npm provenance (another artifact: fails ARTIFACT_MISMATCH) then the beacon's
// SLSA v1 attestation (verifies). Any other repository or digest is a 404, as GitHub answers.
// Scenarios: `ok`; `private` (a 404 unless `Authorization: Bearer test-token`); `down` (HTTP
// 500); `slow` (answers after 5 s); `bad-json` (a body that is not JSON); `empty` (no
// attestations). Also serves the repository's files under /repo/ for the browser pages.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveRepoFile } from './registry.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p) => readFileSync(join(root, 'tests', 'data', p));

export const REPO = 'sigstore-conformance/extremely-dangerous-public-oidc-beacon';
export const OWNER = 'sigstore-conformance';
export const WORKFLOW = `${REPO}/.github/workflows/extremely-dangerous-oidc-beacon.yml`;
export const COMMIT = '82a3bfe6dd50fe9c71d6315eae66da15307856cf';
export const A_TXT_SHA256 = 'sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf';
export const TOKEN = 'test-token';

export const BEACON = JSON.parse(read('conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json'));
export const MESSAGE_SIGNATURE = JSON.parse(read('conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json'));
export const NPM_PROVENANCE = JSON.parse(read('npm/@playwright%2fcli@0.1.1.attestations.json')).attestations.find((a) => a.predicateType === 'https://slsa.dev/provenance/v1').bundle;
export const A_TXT = new Uint8Array(read('conformance/bundle-verify/a.txt'));

export const SCENARIOS = ['ok', 'private', 'down', 'slow', 'bad-json', 'empty'];

export function restResponse() {
  return { attestations: [ { bundle: NPM_PROVENANCE, repository_id: 273562379 }, { bundle: BEACON, repository_id: 632596897 } ] };
}

/** Start the stand-in. Resolves to `{ url, api(scenario), requests, close }`; `requests` lists `{ path, authorization }`. */
export async function startGitHubApi({ port = 0, host = '127.0.0.1' } = {}) {
  const requests = [];
  const timers = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`);
    requests.push({ path: url.pathname + url.search, authorization: req.headers.authorization ?? null });
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, accept, x-github-api-version');
    if (req.method === 'OPTIONS') return res.end();
    if (url.pathname.startsWith('/repo/') && serveRepoFile(res, url.pathname.slice('/repo/'.length))) return;
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const m = /^\/api\/([a-z-]+)\/(?:repos\/([^/]+\/[^/]+)|orgs\/([^/]+))\/attestations\/([^/]+)$/.exec(url.pathname);
    if (!m || !SCENARIOS.includes(m[1])) return json(404, { message: 'Not Found' });
    const [, scenario, repo, org, digest] = m;
    const ours = (repo ? repo.toLowerCase() === REPO : org.toLowerCase() === OWNER) && digest === A_TXT_SHA256;
    if (scenario === 'down') return json(500, { message: 'stand-in: scenario "down"' });
    if (scenario === 'bad-json') return json(200, '{"attestations": [ this is not JSON');
    if (scenario === 'private' && req.headers.authorization !== `Bearer ${TOKEN}`) return json(404, { message: 'Not Found' });
    if (!ours) return json(404, { message: 'Not Found' });
    if (scenario === 'empty') return json(200, { attestations: [] });
    if (scenario === 'slow') {
      const t = setTimeout(() => {
        timers.delete(t);
        json(200, restResponse());
      }, 5000);
      timers.add(t);
      return;
    }
    return json(200, restResponse());
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const url = `http://${host}:${server.address().port}`;
  return {
    url,
    api: (scenario = 'ok') => `${url}/api/${scenario}`,
    requests,
    close: () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const r = await startGitHubApi({ port: i > 0 ? Number(process.argv[i + 1]) : 0 });
  console.log(r.url);
}
