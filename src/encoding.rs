//! Byte encodings met in bundles, trusted roots and log entries: base64 (`sigstore-protojson`'s,
//! through the `base64` crate: the lenient protobuf-JSON form, the strict padded form where the
//! format fixes it, e.g. note signatures, and encoding), hex (`base16ct`) and PEM armour
//! (`pem-rfc7468`).

use alloc::string::String;
use alloc::vec::Vec;

pub(crate) use sigstore_protojson::{b64_decode, b64_decode_strict, b64_encode};

/// Lower-case hex.
pub(crate) fn hex_encode(b: &[u8]) -> String {
    base16ct::lower::encode_string(b)
}

/// Decode hex (either case). None on odd length or a non-hex character.
pub(crate) fn hex_decode(s: &str) -> Option<Vec<u8>> {
    base16ct::mixed::decode_vec(s).ok()
}

/// The DER body of the PEM block with the given label (e.g. "PUBLIC KEY"). Text before the
/// block's first line (an explanatory header, a blank line) is skipped, as Go's `pem.Decode`
/// skips it; the block itself must be RFC 7468 armour, its base64 wrapped at any one width
/// (Go and npm write 64 columns, some signers one long line).
pub(crate) fn pem_decode(pem: &str, label: &str) -> Option<Vec<u8>> {
    let block = pem.get(pem.find("-----BEGIN ")?..)?.trim_end();
    let width = block.lines().nth(1).map_or(64, |l| l.trim_end_matches('\r').len()).max(4);
    let mut decoder = pem_rfc7468::Decoder::new_wrapped(block.as_bytes(), width).ok()?;
    if decoder.type_label() != label {
        return None;
    }
    let mut der = Vec::new();
    decoder.decode_to_end(&mut der).ok()?;
    Some(der)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_pem() {
        assert_eq!(hex_decode("0aFf").unwrap(), [10, 255]);
        assert!(hex_decode("0g").is_none() && hex_decode("abc").is_none());
        assert_eq!(hex_encode(&[10, 255]), "0aff");
        let pem = "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n";
        assert_eq!(pem_decode(pem, "PUBLIC KEY").unwrap(), [1, 2, 3]);
        assert_eq!(pem_decode(&alloc::format!("a key:\r\n\r\n{}", pem.replace('\n', "\r\n")), "PUBLIC KEY").unwrap(), [1, 2, 3]);
        assert!(pem_decode(pem, "CERTIFICATE").is_none());
        let long = alloc::format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----", "AAAA".repeat(22));
        assert_eq!(pem_decode(&long, "PUBLIC KEY").unwrap().len(), 66);
        assert!(pem_decode("-----BEGIN PUBLIC KEY-----\nAQ!D\n-----END PUBLIC KEY-----\n", "PUBLIC KEY").is_none());
    }
}
