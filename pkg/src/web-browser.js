// The web build (`sigstore-wasm/web`) in browsers and extensions: fetch pkg/wasm-web's .wasm next
// to this package and compile it as it streams in (as browser.js does for the full build).
import { initSync } from '../wasm-web/sigstore_wasm.js';
import { fetchAndCompile } from './fetch-wasm.js';

const url = new URL('../wasm-web/sigstore_wasm_bg.wasm', import.meta.url);

try {
  initSync({ module: await fetchAndCompile(url) });
} catch (e) {
  // A CSP without 'wasm-unsafe-eval' refuses compiling (Chromium, Firefox) or instantiating (WebKit).
  throw /CSP|Content.Security/i.test(e?.message) ? new Error(`sigstore-wasm: cannot load WebAssembly: the Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src (${e.message})`, { cause: e }) : e;
}

export * from './web-api.js';
