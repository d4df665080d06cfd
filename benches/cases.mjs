// The bundles both verifiers run: conformance happy paths of each kind.
import { readFileSync } from 'node:fs';

const base = new URL('../tests/data/conformance/', import.meta.url);
const read = (p) => readFileSync(new URL(p, base));
const BEACON = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const GHA = 'https://token.actions.githubusercontent.com';

function caseOf(name, dir, opts = {}) {
  const folder = `bundle-verify/${dir}/`;
  let root;
  try { root = read(folder + 'trusted_root.json'); } catch { root = read('trusted_roots/production.json'); }
  let artifact;
  try { artifact = read(folder + 'artifact'); } catch { artifact = read('bundle-verify/a.txt'); }
  const key = opts.key ? read(folder + 'key.pub').toString() : undefined;
  return {
    name, dir,
    bundle: JSON.parse(read(folder + 'bundle.sigstore.json')),
    trustedRoot: JSON.parse(root),
    artifact,
    policy: key ? { publicKey: key } : { identity: opts.identity ?? BEACON, issuer: opts.issuer ?? GHA },
  };
}

export const CASES = [
  caseOf('Fulcio + Rekor v1', 'happy-path-v0.3'),
  caseOf('Rekor v2 + TSA', 'rekor2-happy-path'),
  caseOf('DSSE (in-toto)', 'happy-path-intoto-in-dsse-v3'),
  caseOf('managed key', 'managed-key-happy-path', { key: true }),
];
