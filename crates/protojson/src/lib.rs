//! Bounded JSON parsing and protobuf-JSON field access over `serde_json::Value`, for the
//! documents Sigstore verifiers read (bundles, trusted roots, registry documents, TUF metadata).
//!
//! Protobuf JSON parsers accept both the lowerCamelCase and the original snake_case field names,
//! int64 as a decimal string or a number, and bytes as standard or URL-safe base64; these helpers
//! do the same, and turn every malformed field into an error naming its path.
//!
//! The crate knows no error type of its own callers: each caller passes the code its failures
//! carry (any type implementing [`ErrorCode`]), and gets back its own error type. It depends on
//! `serde_json` and `base64` only, and is `no_std` + `alloc`. The base64 forms every Sigstore
//! crate reads and writes live here too ([`b64_decode`], [`b64_decode_strict`], [`b64_encode`]).
#![no_std]
#![forbid(unsafe_code)]
extern crate alloc;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use base64::engine::general_purpose::{GeneralPurpose, STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{Map, Value};

/// The code a caller's failures carry, and how it builds its error from a context string.
pub trait ErrorCode: Copy {
    /// The caller's error type.
    type Error;
    /// An error with this code and `context` (what failed, and where).
    fn error(self, context: String) -> Self::Error;
}

/// Decode protobuf-JSON `bytes`: standard base64, or URL-safe, padded or not.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    // One pass over the bytes: line breaks (Go's decoder, and so protojson, skips them:
    // MIME-wrapped base64 is accepted) and the URL-safe alphabet's two characters.
    let (mut breaks, mut url_safe) = (false, false);
    for b in s.bytes() {
        match b {
            b'\n' | b'\r' => breaks = true,
            b'-' | b'_' => url_safe = true,
            _ => {}
        }
    }
    let unwrapped: String;
    let s = if breaks {
        unwrapped = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        unwrapped.as_str()
    } else {
        s
    };
    let s = s.trim_end_matches('=');
    let engine: &GeneralPurpose = if url_safe { &URL_SAFE_NO_PAD } else { &STANDARD_NO_PAD };
    engine.decode(s).ok()
}

/// Decode strict standard base64 with canonical padding (where the format fixes it: note
/// signatures, registry keys, SRI digests).
pub fn b64_decode_strict(s: &str) -> Option<Vec<u8>> {
    STANDARD.decode(s).ok()
}

/// Standard base64 with padding.
pub fn b64_encode(b: &[u8]) -> String {
    STANDARD.encode(b)
}

/// Hard bound on JSON nesting (bundles nest about 8 deep; in-toto predicates more).
pub const MAX_DEPTH: usize = 64;

/// Parse JSON after checking its nesting depth without recursion.
pub fn parse<C: ErrorCode>(text: &str, code: C, what: &str) -> Result<Value, C::Error> {
    check_depth(text.as_bytes(), MAX_DEPTH).map_err(|m| code.error(format!("{what}: {m}")))?;
    serde_json::from_str(text).map_err(|e| code.error(format!("{what} is not valid JSON: {e}")))
}

/// Reject JSON nested deeper than `max` (arrays and objects), scanning strings correctly.
pub fn check_depth(b: &[u8], max: usize) -> Result<(), String> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    for &c in b {
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Err(format!("JSON nested deeper than {max} levels"));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A JSON object together with its path, for error messages.
#[derive(Clone, Copy)]
pub struct Obj<'a, C> {
    pub map: &'a Map<String, Value>,
    pub path: &'a str,
    pub code: C,
}

impl<'a, C: ErrorCode> Obj<'a, C> {
    pub fn new(v: &'a Value, path: &'a str, code: C) -> Result<Self, C::Error> {
        match v {
            Value::Object(map) => Ok(Obj { map, path, code }),
            _ => Err(code.error(format!("{path} must be a JSON object"))),
        }
    }

    /// The error for `field` of this object.
    pub fn fail(&self, field: &str, msg: &str) -> C::Error {
        self.code.error(format!("{}.{field}: {msg}", self.path))
    }

    /// Field by camelCase name, or its snake_case alias. JSON null counts as absent.
    pub fn get(&self, camel: &str) -> Option<&'a Value> {
        let v = self.map.get(camel).or_else(|| {
            let snake = to_snake(camel);
            if snake != camel {
                self.map.get(&snake)
            } else {
                None
            }
        });
        match v {
            Some(Value::Null) | None => None,
            Some(v) => Some(v),
        }
    }

    pub fn str(&self, camel: &str) -> Result<Option<&'a str>, C::Error> {
        match self.get(camel) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(self.fail(camel, "must be a string")),
        }
    }

    pub fn req_str(&self, camel: &str) -> Result<&'a str, C::Error> {
        self.str(camel)?.ok_or_else(|| self.fail(camel, "is missing"))
    }

    pub fn bytes(&self, camel: &str) -> Result<Option<Vec<u8>>, C::Error> {
        match self.str(camel)? {
            None => Ok(None),
            Some(s) => b64_decode(s).map(Some).ok_or_else(|| self.fail(camel, "is not valid base64")),
        }
    }

    pub fn req_bytes(&self, camel: &str) -> Result<Vec<u8>, C::Error> {
        self.bytes(camel)?.ok_or_else(|| self.fail(camel, "is missing"))
    }

    /// int64 as a decimal string or a JSON integer.
    pub fn i64(&self, camel: &str) -> Result<Option<i64>, C::Error> {
        match self.get(camel) {
            None => Ok(None),
            Some(Value::String(s)) => parse_int(s).map(Some).ok_or_else(|| self.fail(camel, "is not a decimal integer")),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| self.fail(camel, "is not an integer")),
            Some(_) => Err(self.fail(camel, "must be an integer")),
        }
    }

    pub fn arr(&self, camel: &str) -> Result<&'a [Value], C::Error> {
        match self.get(camel) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a.as_slice()),
            Some(_) => Err(self.fail(camel, "must be an array")),
        }
    }
}

fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || digits.len() > 19 || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn to_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use alloc::vec;

    /// The decoders before this crate used `base64` (base64ct's), as the reference.
    fn reference_lenient(s: &str) -> Option<Vec<u8>> {
        use base64ct::{Base64Unpadded, Base64UrlUnpadded, Encoding};
        let s: String = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
        let s = s.trim_end_matches('=');
        if s.bytes().any(|c| c == b'-' || c == b'_') {
            Base64UrlUnpadded::decode_vec(s).ok()
        } else {
            Base64Unpadded::decode_vec(s).ok()
        }
    }

    #[test]
    fn base64_as_base64ct_decided() {
        use base64ct::{Base64, Encoding};
        // Every string of up to 4 characters over an alphabet with both alphabets' extra
        // characters, padding, line breaks and an invalid character; then longer random ones.
        const CHARS: &[u8] = b"AQgw/+_-=\n\r!";
        let mut all = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for p in &frontier {
                for &c in CHARS {
                    let mut q = p.clone();
                    q.push(char::from(c));
                    next.push(q);
                }
            }
            all.extend(next.iter().cloned());
            frontier = next;
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut t = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = usize::try_from(x % 40).unwrap();
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let pool: &[u8] = if x.is_multiple_of(50) { CHARS } else { b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" };
                t.push(char::from(pool[usize::try_from((x >> 8) % pool.len() as u64).unwrap()]));
            }
            all.push(t);
        }
        for s in &all {
            assert_eq!(b64_decode(s), reference_lenient(s), "lenient {s:?}");
            assert_eq!(b64_decode_strict(s), Base64::decode_vec(s).ok(), "strict {s:?}");
        }
        for n in 0..70u8 {
            let b: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(b64_encode(&b), Base64::encode_string(&b));
            assert_eq!(b64_decode_strict(&b64_encode(&b)).unwrap(), b);
        }
    }

    #[test]
    fn base64_variants() {
        assert_eq!(b64_decode("+/8=").unwrap(), [0xfb, 0xff]);
        assert_eq!(b64_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert!(b64_decode("INVALID!!!BASE64!!!ENCODING====").is_none());
        assert_eq!(b64_decode("+/\n8=\r\n").unwrap(), [0xfb, 0xff]);
        let bad = Obj::new(&Value::Null, "x", Plain).err().unwrap();
        assert_eq!(bad, "x must be a JSON object");
    }

    #[test]
    fn depth_limit() {
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert!(check_depth(deep.as_bytes(), 64).is_err());
        assert!(check_depth(br#"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#, 64).is_ok());
    }

    #[derive(Clone, Copy)]
    struct Plain;
    impl ErrorCode for Plain {
        type Error = String;
        fn error(self, context: String) -> String {
            context
        }
    }

    #[test]
    fn snake_case_alias() {
        let v: Value = serde_json::from_str(r#"{"log_index":"12","nullField":null}"#).unwrap();
        let o = Obj::new(&v, "e", Plain).unwrap();
        assert_eq!(o.i64("logIndex").unwrap(), Some(12));
        assert!(o.get("nullField").is_none());
    }
}
