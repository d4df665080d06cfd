// The web build (`sigstore-wasm/web`) on Cloudflare Workers / workerd: the .wasm imported as a
// compiled module (Workers forbid compiling WebAssembly from bytes), as workerd.js does.
import wasmModule from '../wasm-web/sigstore_wasm_bg.wasm';
import { initSync } from '../wasm-web/sigstore_wasm.js';

initSync({ module: wasmModule });

export * from './web-api.js';
