// Deno: read the .wasm from the package folder (file: URLs; npm: and local imports), or fetch it
// when the package is imported over HTTP(S).
import { initSync } from '../wasm/sigstore_wasm.js';
import { wasmUrl as url } from './load.js';
const bytes = url.protocol === 'file:' ? Deno.readFileSync(url) : new Uint8Array(await (await fetch(url)).arrayBuffer());
initSync({ module: new WebAssembly.Module(bytes) });

export * from './api.js';
