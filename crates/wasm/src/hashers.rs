//! Streaming hashers for artifacts hashed in pieces (`hashStream` in JS; the core's, which are
//! the `sha2` crate), and multi-buffer hashing of many buffers at once (`hashMany` in JS; the
//! core's `sha256_many` and friends, one buffer per SIMD lane).

use js_sys::{Array, Uint8Array};
use sigstore_verifier::crypto::HashAlg;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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

hasher!(Sha256, "Sha256", sigstore_verifier::Sha256Hasher, "Streaming SHA-256 for artifacts hashed in pieces (the `sha2` crate).");
hasher!(Sha512, "Sha512", sigstore_verifier::Sha512Hasher, "Streaming SHA-512 for artifacts hashed in pieces (the `sha2` crate).");

/// The digest of each `Uint8Array` in `buffers` with `alg` (`"sha256"`, `"sha384"` or
/// `"sha512"`), as lowercase hex, in order: multi-buffer, four buffers at a time in the SIMD lanes
/// for SHA-256, two for SHA-384/512 (`sigstore_verifier::digest_many`). The buffers are copied
/// into wasm memory first (api.js hands them over in batches of at most 64 MiB).
#[wasm_bindgen(js_name = hashMany)]
pub fn hash_many(alg: &str, buffers: &Array) -> Result<Array, JsValue> {
    let alg = HashAlg::from_name(alg).ok_or_else(|| js_error(&input_error("alg must be \"sha256\", \"sha384\" or \"sha512\"")))?;
    let mut owned: Vec<Vec<u8>> = Vec::with_capacity(usize::try_from(buffers.length()).unwrap_or(0));
    for (i, v) in buffers.iter().enumerate() {
        let a = v.dyn_into::<Uint8Array>().map_err(|_| js_error(&input_error(format!("buffers[{i}] is not a Uint8Array"))))?;
        owned.push(a.to_vec());
    }
    let messages: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
    let out = Array::new();
    for d in sigstore_verifier::digest_many(alg, &messages) {
        out.push(&JsValue::from_str(&base16ct::lower::encode_string(&d)));
    }
    Ok(out)
}
