// Which .wasm this runtime can run: the simd128 build (SIMD SHA-2 message schedules), or the
// scalar build for runtimes without WebAssembly SIMD. Both have the same exports and share the
// JS glue (../wasm/sigstore_wasm.js); the build checks that.

// A 43-byte module whose one function returns a v128 constant: valid only where SIMD is.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b, // code: v128.const 0; end
]);

/** Whether this runtime validates WebAssembly SIMD (simd128). */
export const simd = WebAssembly.validate(SIMD_PROBE);

/** The .wasm to load here (two literal URLs, so that bundlers find both files). */
export const wasmUrl = simd
  ? new URL('../wasm/sigstore_wasm_bg.wasm', import.meta.url)
  : new URL('../wasm-scalar/sigstore_wasm_bg.wasm', import.meta.url);

// browser.js's instantiation (badge.js awaits it: WebKit can resolve an import() early).
export const loading = { done: null };
