// Node.js: read the .wasm from the package folder and compile it synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from '../wasm/sigstore_wasm.js';
import { wasmUrl } from './load.js';

initSync({ module: new WebAssembly.Module(readFileSync(wasmUrl)) });

export * from './api.js';
