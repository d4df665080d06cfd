// workerd (`workerd test`): the web build (`sigstore-wasm/web` through its workerd entry, the .wasm
// imported as a compiled module) against all conformance entries (web-cases.js), with the full
// build's workerd entry beside it as the oracle for SIGNATURE_NEEDS_FULL_BUILD. Prints one line
// per failure and `web-workerd: N passed, M failed`; throws (exit 1) on any failure.
import * as web from '../src/web-workerd.js';
import * as full from '../src/workerd.js';
import fixtures from '../../target/js-tests/fixtures.json';
import { runAllWeb } from './web-cases.js';

export default {
  async test() {
    const r = await runAllWeb(web, full, fixtures);
    console.log(`web build paths: ${JSON.stringify(r.stats)}`);
    for (const w of r.webOnly) console.log(`  SIGNATURE_NEEDS_FULL_BUILD (the full build needed wasm here too): ${w.id}: ${w.message}`);
    for (const f of r.failures) console.log(`FAIL ${f.id}: ${f.why}`);
    console.log(`web-workerd: ${r.passed} passed, ${r.failed} failed`);
    if (r.failed) throw new Error(`${r.failed} cases failed`);
  },
};
