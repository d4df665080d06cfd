// Browsers (and bundlers that honour the `browser` condition): fetch the .wasm next to this
// package and compile it as it streams in.
import { initSync } from '../wasm/sigstore_wasm.js';
import { loading, wasmUrl as url } from './load.js';

async function compile() {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`sigstore-wasm: cannot fetch ${url}: HTTP ${res.status}`);
  // compileStreaming needs the application/wasm content type; fall back when a server omits it.
  if (typeof WebAssembly.compileStreaming === 'function' && (res.headers.get('content-type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

loading.done = compile().then((module) => initSync({ module })).catch((e) => {
  // A CSP without 'wasm-unsafe-eval' refuses compiling (Chromium, Firefox) or instantiating (WebKit).
  throw /CSP|Content.Security/i.test(e?.message) ? new Error(`sigstore-wasm: cannot load WebAssembly: the Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src (${e.message})`, { cause: e }) : e;
});
await loading.done;

export * from './api.js';
