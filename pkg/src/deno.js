// Deno: read the .wasm from the package folder (file: URLs; npm: and local imports), or fetch it
// when the package is imported over HTTP(S).
import { initSync } from '../wasm/sigstore_wasm.js';

const url = new URL('../wasm/sigstore_wasm_bg.wasm', import.meta.url);
const bytes = url.protocol === 'file:' ? Deno.readFileSync(url) : new Uint8Array(await (await fetch(url)).arrayBuffer());
initSync({ module: new WebAssembly.Module(bytes) });

export * from './api.js';
