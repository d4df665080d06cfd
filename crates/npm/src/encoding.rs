//! Base64 and hex as npm documents carry them, through `base64ct` and `base16ct`.

use alloc::string::String;
use alloc::vec::Vec;
use base64ct::{Base64, Encoding};

/// Strict standard base64 with padding (registry keys, signatures, SRI digests).
pub(crate) fn b64_decode_strict(s: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(s).ok()
}

pub(crate) fn b64_encode(b: &[u8]) -> String {
    Base64::encode_string(b)
}

/// Hex of either case (in-toto subject digests).
pub(crate) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    base16ct::mixed::decode_vec(s).ok()
}
