// Cold start to first verdict: import the verifier, build it, verify one bundle, exit.
// usage: node cold.mjs <sigstore-js|sigstore-wasm>
import { CASES } from './cases.mjs';
import * as subjects from './subjects.mjs';

const s = process.argv[2] === 'sigstore-js' ? await subjects.sigstoreJs() : await subjects.sigstoreWasm();
const c = CASES[0];
s.verify(s.prepare(c), c);
