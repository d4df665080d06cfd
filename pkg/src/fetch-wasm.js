// Browsers: fetch a .wasm and compile it as it streams in (compileStreaming needs the
// application/wasm content type; a server that omits it gets the whole-buffer compile). Used by
// compile.js (the full build) and web-browser.js (the web build).

/** The compiled WebAssembly.Module at `url`. */
export async function fetchAndCompile(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`sigstore-wasm: cannot fetch ${url}: HTTP ${res.status}`);
  if (typeof WebAssembly.compileStreaming === 'function' && (res.headers.get('content-type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}
