// Runs in its own process (node.test.mjs spawns it): loads the scalar build (no simd128,
// pkg/wasm-scalar/), which runtimes without WebAssembly SIMD get from src/load.js, then runs every
// conformance entry and checks the hashers against node:crypto. Prints a JSON summary.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/sigstore_wasm.js';

initSync({ module: new WebAssembly.Module(readFileSync(new URL('../wasm-scalar/sigstore_wasm_bg.wasm', import.meta.url))) });
const api = await import('../src/api.js');
const { runAll } = await import('./run-cases.js');

const fixtures = JSON.parse(readFileSync(process.env.FIXTURES, 'utf8'));
const results = runAll(api, fixtures);
const hashFailures = [];
let seed = 7;
for (const size of [0, 1, 55, 56, 63, 64, 111, 112, 127, 128, 1000, 65537, 1 << 20]) {
  const data = new Uint8Array(size).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  for (const [alg, Ctor] of [['sha256', api.Sha256], ['sha512', api.Sha512]]) {
    const h = new Ctor();
    for (let o = 0; o < size; o += 4093) h.update(data.subarray(o, o + 4093));
    const got = h.digest('hex');
    const want = createHash(alg).update(data).digest('hex');
    if (got !== want) hashFailures.push(`${alg} of ${size} bytes`);
  }
}
console.log(JSON.stringify({ ...results, hashFailures, simdInModule: false }));
