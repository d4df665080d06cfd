// Any other runtime (Bun, or a tool that knows none of the other conditions): read the .wasm
// from disk when this package sits on a file system, else fetch it.
import { initSync } from '../wasm/sigstore_wasm.js';
import { wasmUrl as url } from './load.js';

async function load() {
  if (url.protocol === 'file:') {
    if (typeof Deno !== 'undefined') return Deno.readFile(url);
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`sigstore-wasm: cannot fetch ${url}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

initSync({ module: await WebAssembly.compile(await load()) });

export * from './api.js';
