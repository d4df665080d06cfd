// Deno (deno test): all 140 conformance entries through the package's `deno` entry, compared with
// the native CLI (fixtures.json, path in FIXTURES), plus a hasher and stream check.
import * as api from '../src/deno.js';
import { asyncPathChecks, runCase, runCaseAsync, verifierCache } from './run-cases.js';
import { tufHappyTests } from './tuf-cases.js';

const fixtures = JSON.parse(await Deno.readTextFile(Deno.env.get('FIXTURES')));
const verifierFor = verifierCache(api, fixtures);

for (const c of fixtures.cases) {
  Deno.test(c.id, () => {
    const why = runCase(api, c, verifierFor);
    if (why) throw new Error(why);
  });
}

// verifyAsync (WebCrypto path): the same cases, then the path checks on one happy path.
for (const c of fixtures.cases) {
  Deno.test(`verifyAsync ${c.id}`, async () => {
    const why = await runCaseAsync(api, c, verifierFor);
    if (why) throw new Error(why);
  });
}

Deno.test('verifyAsync: WebCrypto used, forced failures fall back to wasm', async () => {
  const happy = fixtures.cases.find((c) => c.id.includes('happy-path-v0.3') && c.expected.verified);
  const problems = await asyncPathChecks(api, happy, verifierFor(happy.trustedRoot));
  if (problems.length) throw new Error(problems.join('\n'));
});

Deno.test('Sha256 and hashStream agree with WebCrypto', async () => {
  const data = new Uint8Array(1 << 20).map((_, i) => i & 255);
  const want = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data)), (b) => b.toString(16).padStart(2, '0')).join('');
  if (new api.Sha256().update(data).digest('hex') !== want) throw new Error('Sha256 differs');
  if ((await api.hashStream(new Blob([data]).stream())) !== `sha256:${want}`) throw new Error('hashStream differs');
});

// Trust over TUF against the stand-in repository (tuf-repo.mjs, started by scripts/test-js.sh).
const tufUrl = Deno.env.get('TUF_URL');
if (tufUrl) for (const { name, run } of tufHappyTests(api, tufUrl, fixtures)) Deno.test(`tuf: ${name}`, run);
else Deno.test('tuf: TUF_URL is set', () => { throw new Error('TUF_URL is not set: the TUF tests did not run'); });
