//! Streaming hashers for artifacts hashed in pieces (`hashStream` in JS): the core's (SIMD on
//! wasm32 simd128), and the plain `sha2` crate's as a baseline for the benchmarks (`scalarHasher`).

use sha2::Digest;
use wasm_bindgen::prelude::*;

use crate::input_error;
use crate::js_error;

/// A streaming hash; `finish` once, then the object is spent.
fn finished() -> JsValue {
    js_error(&input_error("hasher already finalized: create a new one"))
}

/// A streaming hasher class: `new`, `update(chunk)`, `finish()` (bytes), `finishHex()`.
macro_rules! hasher {
    ($name:ident, $js:literal, $alg:ty, $doc:expr) => {
        #[doc = $doc]
        #[wasm_bindgen(js_name = $js)]
        pub struct $name {
            state: Option<$alg>,
        }

        #[wasm_bindgen(js_class = $js)]
        impl $name {
            #[wasm_bindgen(constructor)]
            #[allow(clippy::new_without_default)]
            pub fn new() -> $name {
                $name { state: Some(<$alg>::new()) }
            }

            pub fn update(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
                self.state.as_mut().ok_or_else(finished)?.update(chunk);
                Ok(())
            }

            /// The digest bytes; the hasher is spent afterwards.
            pub fn finish(&mut self) -> Result<Vec<u8>, JsValue> {
                Ok(self.state.take().ok_or_else(finished)?.finalize().to_vec())
            }

            /// The digest as lowercase hex; the hasher is spent afterwards.
            #[wasm_bindgen(js_name = finishHex)]
            pub fn finish_hex(&mut self) -> Result<String, JsValue> {
                Ok(base16ct::lower::encode_string(&self.finish()?))
            }
        }
    };
}

hasher!(Sha256, "Sha256", sigstore_verifier::Sha256Hasher, "Streaming SHA-256 for artifacts hashed in pieces (`crate::hash`: SIMD on wasm32 simd128).");
hasher!(Sha512, "Sha512", sigstore_verifier::Sha512Hasher, "Streaming SHA-512 for artifacts hashed in pieces (`crate::hash`: SIMD on wasm32 simd128).");

hasher!(ScalarSha256, "ScalarSha256", sha2::Sha256, "Streaming SHA-256 with the plain `sha2` crate (no SIMD): a baseline for benchmarks.");
hasher!(ScalarSha512, "ScalarSha512", sha2::Sha512, "Streaming SHA-512 with the plain `sha2` crate (no SIMD): a baseline for benchmarks.");
