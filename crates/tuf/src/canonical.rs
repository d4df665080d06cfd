//! Canonical JSON as TUF signatures cover it: securesystemslib's (OLPC) form, not RFC 8785.
//!
//! Object keys sorted by code point (UTF-8 byte order), no whitespace, strings written as raw
//! UTF-8 with only `"` and `\` escaped, numbers integers only (a float cannot be canonicalized).

use alloc::vec::Vec;

use serde_json::Value;

use crate::error::{err, Result};
use crate::Code;

/// The canonical bytes of a JSON value. Depth is bounded by the parser (serde_json refuses input
/// nested deeper than 128), so the recursion here is bounded too.
pub fn canonicalize(v: &Value) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write(v, &mut out)?;
    Ok(out)
}

fn write(v: &Value, out: &mut Vec<u8>) -> Result<()> {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.extend_from_slice(alloc::format!("{i}").as_bytes());
            } else if let Some(u) = n.as_u64() {
                out.extend_from_slice(alloc::format!("{u}").as_bytes());
            } else {
                return err(Code::MetadataInvalid, "canonical JSON has no floating-point numbers");
            }
        }
        Value::String(s) => write_str(s, out),
        Value::Array(a) => {
            out.push(b'[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out)?;
            }
            out.push(b']');
        }
        Value::Object(m) => {
            // serde_json's map (without `preserve_order`) is a BTreeMap<String, _>: iteration is
            // already in byte order, but sort explicitly so the form never depends on a feature.
            let mut keys: Vec<&alloc::string::String> = m.keys().collect();
            keys.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push(b'{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(k, out);
                out.push(b':');
                if let Some(val) = m.get(k.as_str()) {
                    write(val, out)?;
                }
            }
            out.push(b'}');
        }
    }
    Ok(())
}

fn write_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' || b == b'\\' {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    fn canon(s: &str) -> alloc::string::String {
        let v: Value = serde_json::from_str(s).unwrap();
        alloc::string::String::from_utf8(canonicalize(&v).unwrap()).unwrap()
    }

    #[test]
    fn sorts_keys_and_drops_whitespace() {
        assert_eq!(canon(r#"{ "b": 1, "a": [true, false, null], "c": {"z": -3, "y": "x"} }"#), r#"{"a":[true,false,null],"b":1,"c":{"y":"x","z":-3}}"#);
    }

    #[test]
    fn escapes_only_quote_and_backslash() {
        // A newline and a tab stay raw bytes; a non-ASCII character stays UTF-8.
        assert_eq!(canon(r#"{"k":"a\"b\\c\nd\te\u00e9"}"#), "{\"k\":\"a\\\"b\\\\c\nd\te\u{e9}\"}");
    }

    #[test]
    fn key_order_is_code_point_order() {
        assert_eq!(canon(r#"{"\u00e9":1,"z":2,"A":3,"_":4}"#), "{\"A\":3,\"_\":4,\"z\":2,\"\u{e9}\":1}");
    }

    #[test]
    fn large_integers_and_no_floats() {
        assert_eq!(canon("[18446744073709551615,-9223372036854775808,0]"), "[18446744073709551615,-9223372036854775808,0]");
        let v: Value = serde_json::from_str("[1.5]").unwrap();
        assert_eq!(canonicalize(&v).unwrap_err().code, Code::MetadataInvalid);
    }
}
