// Browsers (and bundlers that honour the `browser` condition): fetch the .wasm next to this
// package and compile it as it streams in (compile.js), then instantiate it.
import { initSync } from '../wasm/sigstore_wasm.js';
import { loading } from './load.js';
import { compileWasm } from './compile.js';

loading.done = compileWasm().then((module) => initSync({ module })).catch((e) => {
  // A CSP without 'wasm-unsafe-eval' refuses compiling (Chromium, Firefox) or instantiating (WebKit).
  throw /CSP|Content.Security/i.test(e?.message) ? new Error(`sigstore-wasm: cannot load WebAssembly: the Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src (${e.message})`, { cause: e }) : e;
});
await loading.done;

export * from './api.js';
