//! Byte encodings met in bundles and trusted roots: base64 (standard or URL-safe, as protobuf
//! JSON parsers accept), lower-case hex, and PEM armour for public keys.

use alloc::string::String;
use alloc::vec::Vec;
use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};

/// Decode protobuf-JSON `bytes`: standard base64, or URL-safe, padded or not.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    // Go's decoder (and so protojson) skips line breaks: MIME-wrapped base64 is accepted.
    let unwrapped: String;
    let s = if s.contains(['\n', '\r']) {
        unwrapped = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        unwrapped.as_str()
    } else {
        s
    };
    let s = s.trim_end_matches('=');
    if s.bytes().any(|c| c == b'-' || c == b'_') {
        Base64UrlUnpadded::decode_vec(s).ok()
    } else {
        Base64Unpadded::decode_vec(s).ok()
    }
}

/// Decode strict standard base64 with padding (used where the format fixes it, e.g. note signatures).
pub fn b64_decode_strict(s: &str) -> Option<Vec<u8>> {
    Base64::decode_vec(s).ok()
}

pub fn b64_encode(b: &[u8]) -> String {
    Base64::encode_string(b)
}

#[allow(dead_code)]
pub fn b64url_encode(b: &[u8]) -> String {
    Base64Url::encode_string(b)
}

pub fn hex_encode(b: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(char::from(HEX[usize::from(x >> 4)]));
        s.push(char::from(HEX[usize::from(x & 15)]));
    }
    s
}

/// Decode hex (either case). None on odd length or a non-hex character.
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks_exact(2)
        .map(|p| match p {
            [h, l] => Some((nibble(*h)? << 4) | nibble(*l)?),
            _ => None,
        })
        .collect()
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Extract the DER body of the first PEM block with the given label (e.g. "PUBLIC KEY").
pub fn pem_decode(pem: &str, label: &str) -> Option<Vec<u8>> {
    let mut body = String::new();
    let mut inside = false;
    for line in pem.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            if inside || rest.strip_suffix("-----")? != label {
                return None;
            }
            inside = true;
        } else if let Some(rest) = line.strip_prefix("-----END ") {
            if !inside || rest.strip_suffix("-----")? != label {
                return None;
            }
            return Base64::decode_vec(&body).ok();
        } else if inside {
            body.push_str(line);
        }
    }
    None
}

/// Encode DER as PEM with the given label (64-character lines).
pub fn pem_encode(der: &[u8], label: &str) -> String {
    let b64 = b64_encode(der);
    let mut out = String::with_capacity(b64.len() + 80);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    let mut rest = b64.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_variants() {
        assert_eq!(b64_decode("+/8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(b64_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert!(b64_decode("INVALID!!!BASE64!!!ENCODING====").is_none());
        assert_eq!(b64_decode("+/\n8=\r\n").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn hex_and_pem() {
        assert_eq!(hex_decode("0aFf").unwrap(), [10, 255]);
        assert!(hex_decode("0g").is_none());
        assert_eq!(hex_encode(&[10, 255]), "0aff");
        let pem = pem_encode(&[1, 2, 3], "PUBLIC KEY");
        assert_eq!(pem_decode(&pem, "PUBLIC KEY").unwrap(), [1, 2, 3]);
        assert!(pem_decode(&pem, "CERTIFICATE").is_none());
    }
}
