// The web build (`sigstore-wasm/web`) anywhere else (Node, Deno, Bun; bundlers without the
// `browser` condition): read pkg/wasm-web's .wasm from disk on a file system, else fetch it.
import { initSync } from '../wasm-web/sigstore_wasm.js';

const url = new URL('../wasm-web/sigstore_wasm_bg.wasm', import.meta.url);

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

export * from './web-api.js';
