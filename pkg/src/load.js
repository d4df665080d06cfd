// The .wasm every entry but workerd.js loads, after checking that this runtime has WebAssembly
// SIMD (simd128), which the build requires (multi-buffer hashing; the `sha2` crate's message
// schedule). Every runtime the package supports has it: Chromium 91+, Firefox 89+, Safari 16.4+,
// Node 16.4+, Deno, Bun, workerd.
import { VerificationError } from './errors.js';

// A 43-byte module whose one function returns a v128 constant: valid only where SIMD is.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b, // code: v128.const 0; end
]);

/** Throws WASM_SIMD_UNSUPPORTED unless `validate` (WebAssembly.validate) accepts the SIMD probe. */
export function requireSimd(validate = (bytes) => WebAssembly.validate(bytes)) {
  if (!validate(SIMD_PROBE)) {
    throw new VerificationError('WASM_SIMD_UNSUPPORTED', 'input', 'sigstore-wasm needs WebAssembly SIMD (simd128), which this runtime lacks: use Chromium 91+, Firefox 89+, Safari 16.4+, Node 16.4+, Deno, Bun or workerd');
  }
}

requireSimd();

/** The .wasm to load here (a literal URL, so that bundlers find the file). */
export const wasmUrl = new URL('../wasm/sigstore_wasm_bg.wasm', import.meta.url);

// browser.js's instantiation (badge.js awaits it: WebKit can resolve an import() early).
export const loading = { done: null };
