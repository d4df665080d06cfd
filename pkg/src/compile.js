// Browsers: fetch the .wasm next to this package and compile it as it streams in, once per page.
// browser.js instantiates the result; badge.js starts it when the first badge connects, so the
// download and compilation run while the package's other modules are still loading.
import { wasmUrl as url } from './load.js';

let compiling;

/** The compiled module (a promise, shared by every caller). */
export function compileWasm() {
  compiling ??= compile();
  return compiling;
}

async function compile() {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`sigstore-wasm: cannot fetch ${url}: HTTP ${res.status}`);
  // compileStreaming needs the application/wasm content type; fall back when a server omits it.
  if (typeof WebAssembly.compileStreaming === 'function' && (res.headers.get('content-type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}
