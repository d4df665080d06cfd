// Build target/js-tests/fixtures.json: all 140 conformance entries of
// tests/data/conformance/cases.json with their inputs inlined (so a browser or a Worker, which
// cannot read files, gets them in one piece) and the native CLI's verdict for each as the
// expected result (`sigstore-verify verify-bundle ... --json`: exit code, the code on stderr's
// `error: CODE: ...` line, and the JSON result of a verified bundle).
//
// usage: node pkg/test/fixtures.mjs [--cli target/release/sigstore-verify] [--out FILE]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const cli = resolve(root, arg('--cli', 'target/release/sigstore-verify'));
const out = resolve(root, arg('--out', 'target/js-tests/fixtures.json'));
const base = join(root, 'tests', 'data', 'conformance');
const NO_IDENTITY = 'https://no-identity.invalid';
const emptyCache = mkdtempSync(join(tmpdir(), 'fixtures-tuf-'));
// The embedded root of the package is this file: cases that name it use the default Verifier.
const PRODUCTION = 'trusted_roots/production.json';

const cases = JSON.parse(readFileSync(join(base, 'cases.json'), 'utf8'));
const trustedRoots = {};
const fixtures = [];
for (const c of cases) {
  const args = ['verify-bundle', '--bundle', join(base, c.bundle), '--json'];
  const policy = {};
  if (c.key) {
    args.push('--key', join(base, c.key));
    policy.publicKey = readFileSync(join(base, c.key), 'utf8');
  } else {
    policy.identity = c.identity ?? NO_IDENTITY;
    policy.issuer = c.issuer ?? NO_IDENTITY;
    args.push('--certificate-identity', policy.identity, '--certificate-oidc-issuer', policy.issuer);
  }
  if (c.trusted_root && c.trusted_root !== PRODUCTION) {
    args.push('--trusted-root', join(base, c.trusted_root));
    trustedRoots[c.trusted_root] ??= readFileSync(join(base, c.trusted_root), 'utf8');
  } else {
    // The production root is the embedded one (the same file): the CLI uses it offline, with an
    // empty TUF cache, so that both sides report `trust: {source: 'embedded'}`.
    args.push('--offline', '--tuf-cache', emptyCache);
  }
  let artifact;
  if (c.artifact_digest) {
    args.push(c.artifact_digest);
    artifact = { digest: c.artifact_digest };
  } else {
    args.push(join(base, c.artifact));
    artifact = { base64: readFileSync(join(base, c.artifact)).toString('base64') };
  }
  const r = spawnSync(cli, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${cli}: ${r.error.message}`);
  let expected;
  if (r.status === 0) {
    expected = { verified: true, code: null, result: JSON.parse(r.stdout) };
  } else if (r.status === 1 || r.status === 2) {
    // Exit 2 only for a usage error such as a bad regex (POLICY_INVALID); the line is the same.
    const line = r.stderr.trim().split('\n').find((l) => /^error: [A-Z_]+: /.test(l));
    if (!line) throw new Error(`${c.id}: CLI exit ${r.status} without an 'error: CODE: ...' line: ${r.stderr}`);
    expected = { verified: false, code: line.split(':')[1].trim(), exit: r.status };
  } else {
    throw new Error(`${c.id}: CLI exit ${r.status ?? r.signal}: ${r.stderr}`);
  }
  fixtures.push({
    id: c.id,
    expect: c.expect,
    bundle: readFileSync(join(base, c.bundle), 'utf8'),
    artifact,
    policy,
    trustedRoot: c.trusted_root && c.trusted_root !== PRODUCTION ? c.trusted_root : null,
    expected,
  });
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ cli, trustedRoots, cases: fixtures }));
rmSync(emptyCache, { recursive: true, force: true });
const pass = fixtures.filter((f) => f.expected.verified).length;
console.error(`fixtures: ${fixtures.length} cases, native CLI verified ${pass}, rejected ${fixtures.length - pass} -> ${out}`);
