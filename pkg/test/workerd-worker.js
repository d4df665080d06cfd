// workerd (`workerd test`): all 140 conformance entries through the package's `workerd` entry,
// which imports the .wasm as a compiled module. fixtures.json is embedded as a JSON module by the
// generated config (scripts/test-js.sh). Prints one line per failure and `N passed, M failed`;
// throws (exit 1) when any case disagrees with the native CLI.
import * as api from '../src/workerd.js';
import fixtures from '../../target/js-tests/fixtures.json';
import { runAll } from './run-cases.js';

export default {
  async test() {
    const { passed, failed, failures } = runAll(api, fixtures);
    for (const f of failures) console.log(`FAIL ${f.id}: ${f.why}`);
    const h = await api.hashStream(new Blob(['abc']).stream());
    if (h !== 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad') throw new Error(`hashStream: ${h}`);
    console.log(`workerd: ${passed} passed, ${failed} failed`);
    if (failed) throw new Error(`${failed} conformance cases disagree with the native CLI`);
  },
};
