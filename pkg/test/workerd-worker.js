// workerd (`workerd test`): all 140 conformance entries through the package's `workerd` entry,
// which imports the .wasm as a compiled module. fixtures.json is embedded as a JSON module by the
// generated config (scripts/test-js.sh). Prints one line per failure and `N passed, M failed`;
// throws (exit 1) when any case disagrees with the native CLI.
import * as api from '../src/workerd.js';
import fixtures from '../../target/js-tests/fixtures.json';
import { asyncPathChecks, runAll, runAllAsync } from './run-cases.js';
import { tufHappyTests } from './tuf-cases.js';

export default {
  async test(controller, env) {
    let { passed, failed, failures } = runAll(api, fixtures);
    // verifyAsync (WebCrypto path): the same cases, then the path checks on one happy path.
    const async = await runAllAsync(api, fixtures);
    for (const f of async.failures) failures.push({ id: `verifyAsync ${f.id}`, why: f.why });
    const happy = fixtures.cases.find((c) => c.id.includes('happy-path-v0.3') && c.expected.verified);
    const problems = await asyncPathChecks(api, happy, new api.Verifier(happy.trustedRoot ? { trustedRoot: fixtures.trustedRoots[happy.trustedRoot] } : {}));
    for (const p of problems) failures.push({ id: 'verifyAsync paths', why: p });
    passed += async.passed + (problems.length ? 0 : 1);
    failed += async.failed + (problems.length ? 1 : 0);
    console.log(`verifyAsync conformance paths: ${JSON.stringify(async.stats)}`);
    for (const f of failures) console.log(`FAIL ${f.id}: ${f.why}`);
    const h = await api.hashStream(new Blob(['abc']).stream());
    if (h !== 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad') throw new Error(`hashStream: ${h}`);
    // Trust over TUF against the stand-in repository (tuf-repo.mjs on 127.0.0.1, via the
    // config's network service; TUF_URL is a text binding).
    if (!env?.TUF_URL) throw new Error('TUF_URL binding missing');
    for (const { name, run } of tufHappyTests(api, env.TUF_URL, fixtures)) {
      try {
        await run();
        passed++;
      } catch (e) {
        failed++;
        console.log(`FAIL tuf: ${name}: ${e?.message ?? e}`);
      }
    }
    console.log(`workerd: ${passed} passed, ${failed} failed`);
    if (failed) throw new Error(`${failed} cases failed`);
  },
};
