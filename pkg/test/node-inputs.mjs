// What the Node test files share: the conformance fixtures scripts/test-js.sh writes (the native
// CLI's verdicts, target/js-tests/fixtures.json, or $FIXTURES) and the happy-path v0.3 bundle of
// the conformance suite with its artifact and policy.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const fixtures = JSON.parse(readFileSync(process.env.FIXTURES ?? join(root, 'target', 'js-tests', 'fixtures.json'), 'utf8'));
export const data = join(root, 'tests', 'data', 'conformance');
export const bundle = readFileSync(join(data, 'bundle-verify', 'happy-path-v0.3', 'bundle.sigstore.json'), 'utf8');
export const artifact = readFileSync(join(data, 'bundle-verify', 'a.txt'));
export const policy = {
  identity: 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
};
