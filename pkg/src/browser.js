// Browsers (and bundlers that honour the `browser` condition): fetch the .wasm next to this
// package and compile it as it streams in.
import { initSync } from '../wasm/sigstore_wasm.js';
import { wasmUrl as url } from './load.js';

async function compile() {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`sigstore-wasm: cannot fetch ${url}: HTTP ${res.status}`);
  // compileStreaming needs the application/wasm content type; fall back when a server omits it.
  if (typeof WebAssembly.compileStreaming === 'function' && (res.headers.get('content-type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

initSync({ module: await compile() });

export * from './api.js';
