// Node (node --test): verifyAttestation against the stand-in GitHub API on 127.0.0.1
// (github-api.mjs serving real GitHub Actions-signed bundles); the same tests run in Chromium
// through attest-chromium.mjs.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

import * as api from 'sigstore-wasm';
import { attestTests, loadData } from './attest-cases.js';
import { startGitHubApi } from './github-api.mjs';

const data = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'data');
const github = await startGitHubApi();
const fixtures = await loadData(async (p) => new Uint8Array(await readFile(join(data, p))));
describe('verifyAttestation (stand-in GitHub API)', () => {
  after(() => github.close());
  for (const { name, run } of attestTests(api, github.url, fixtures)) test(name, run);
  test('the token is sent as a Bearer authorization, only when given', () => {
    const auth = github.requests.filter((r) => r.path.startsWith('/api/private/')).map((r) => r.authorization);
    if (!auth.includes(null) || !auth.includes('Bearer test-token')) throw new Error(JSON.stringify(auth));
    if (!github.requests.every((r) => !r.path.includes('/attestations/') || r.path.endsWith('?per_page=100'))) throw new Error('per_page');
  });
});
