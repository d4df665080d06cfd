// Browsers: fetch the .wasm next to this package and compile it as it streams in, once per page.
// browser.js instantiates the result; badge.js starts it when the first badge connects, so the
// download and compilation run while the package's other modules are still loading.
import { fetchAndCompile } from './fetch-wasm.js';
import { wasmUrl as url } from './load.js';

let compiling;

/** The compiled module (a promise, shared by every caller). */
export function compileWasm() {
  compiling ??= fetchAndCompile(url);
  return compiling;
}
