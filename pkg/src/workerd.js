// Cloudflare Workers / workerd: the .wasm is imported as a compiled module (Workers forbid
// compiling WebAssembly from bytes at run time). Workers run V8, which has WebAssembly SIMD (the
// build needs it; load.js checks it for the other entries). Wrangler bundles `.wasm` imports this way; a raw
// workerd config lists it as a `wasm` module under the same relative name.
import wasmModule from '../wasm/sigstore_wasm_bg.wasm';
import { initSync } from '../wasm/sigstore_wasm.js';

initSync({ module: wasmModule });

export * from './api.js';
