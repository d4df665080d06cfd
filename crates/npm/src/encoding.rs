//! Base64 and hex as npm documents carry them: strict standard base64 with padding (registry
//! keys, signatures, SRI digests) from `sigstore-protojson`, hex through `base16ct`.

use alloc::vec::Vec;

pub(crate) use sigstore_protojson::{b64_decode_strict, b64_encode};

/// Hex of either case (in-toto subject digests).
pub(crate) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    base16ct::mixed::decode_vec(s).ok()
}
