// Cold start to first verdict: import the verifier, build it, verify one bundle, exit.
// usage: node cold.mjs <sigstore-js|sigstore-wasm|sigstore-wasm-async>
// (sigstore-wasm-async: the first verdict through verifyAsync, the signatures checked by the
// runtime's WebCrypto instead of the wasm's own curve code, which a fresh process runs in V8's
// baseline tier.)
import { CASES } from './cases.mjs';
import * as subjects from './subjects.mjs';

const mode = process.argv[2];
const s = mode === 'sigstore-js' ? await subjects.sigstoreJs() : await subjects.sigstoreWasm();
const c = CASES[0];
if (mode === 'sigstore-wasm-async') await s.verifyAsync(s.prepare(c), c);
else s.verify(s.prepare(c), c);
