// Node.js: read the .wasm from the package folder and compile it synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/sigstore_wasm.js';

initSync({ module: new WebAssembly.Module(readFileSync(new URL('../wasm/sigstore_wasm_bg.wasm', import.meta.url))) });

export * from './api.js';
