//! Protobuf-JSON field access over `serde_json::Value`.
//!
//! Protobuf JSON parsers accept both the lowerCamelCase and the original snake_case field names,
//! int64 as a decimal string or a number, and bytes as standard or URL-safe base64; these helpers
//! do the same, and turn every malformed field into an error naming its path.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{Map, Value};

use crate::encoding::b64_decode;
use crate::error::{Code, Error, Result};

/// Hard bound on JSON nesting (bundles nest about 8 deep; in-toto predicates more).
pub const MAX_DEPTH: usize = 64;

/// Parse JSON after checking its nesting depth without recursion.
pub fn parse(text: &str, code: Code, what: &str) -> Result<Value> {
    check_depth(text.as_bytes(), MAX_DEPTH).map_err(|m| Error::new(code, format!("{what}: {m}")))?;
    serde_json::from_str(text).map_err(|e| Error::new(code, format!("{what} is not valid JSON: {e}")))
}

/// Reject JSON nested deeper than `max` (arrays and objects), scanning strings correctly.
pub fn check_depth(b: &[u8], max: usize) -> core::result::Result<(), String> {
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
pub struct Obj<'a> {
    pub map: &'a Map<String, Value>,
    pub path: &'a str,
    pub code: Code,
}

impl<'a> Obj<'a> {
    pub fn new(v: &'a Value, path: &'a str, code: Code) -> Result<Self> {
        match v {
            Value::Object(map) => Ok(Obj { map, path, code }),
            _ => Err(Error::new(code, format!("{path} must be a JSON object"))),
        }
    }

    pub fn fail(&self, field: &str, msg: &str) -> Error {
        Error::new(self.code, format!("{}.{field}: {msg}", self.path))
    }

    /// Field by camelCase name, or its snake_case alias. JSON null counts as absent.
    pub fn get(&self, camel: &str) -> Option<&'a Value> {
        let v = self.map.get(camel).or_else(|| {
            let snake = to_snake(camel);
            if snake != camel { self.map.get(&snake) } else { None }
        });
        match v {
            Some(Value::Null) | None => None,
            Some(v) => Some(v),
        }
    }

    pub fn obj(&self, camel: &str) -> Result<Option<Value>> {
        match self.get(camel) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
            Some(_) => Err(self.fail(camel, "must be an object")),
        }
    }

    pub fn str(&self, camel: &str) -> Result<Option<&'a str>> {
        match self.get(camel) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(self.fail(camel, "must be a string")),
        }
    }

    pub fn req_str(&self, camel: &str) -> Result<&'a str> {
        self.str(camel)?.ok_or_else(|| self.fail(camel, "is missing"))
    }

    pub fn bytes(&self, camel: &str) -> Result<Option<Vec<u8>>> {
        match self.str(camel)? {
            None => Ok(None),
            Some(s) => b64_decode(s).map(Some).ok_or_else(|| self.fail(camel, "is not valid base64")),
        }
    }

    pub fn req_bytes(&self, camel: &str) -> Result<Vec<u8>> {
        self.bytes(camel)?.ok_or_else(|| self.fail(camel, "is missing"))
    }

    /// int64 as a decimal string or a JSON integer.
    pub fn i64(&self, camel: &str) -> Result<Option<i64>> {
        match self.get(camel) {
            None => Ok(None),
            Some(Value::String(s)) => parse_int(s).map(Some).ok_or_else(|| self.fail(camel, "is not a decimal integer")),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| self.fail(camel, "is not an integer")),
            Some(_) => Err(self.fail(camel, "must be an integer")),
        }
    }

    pub fn arr(&self, camel: &str) -> Result<&'a [Value]> {
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
mod tests {
    use super::*;

    #[test]
    fn depth_limit() {
        let deep = "[".repeat(65) + &"]".repeat(65);
        assert!(check_depth(deep.as_bytes(), 64).is_err());
        assert!(check_depth(br#"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#, 64).is_ok());
    }

    #[test]
    fn snake_case_alias() {
        let v: Value = serde_json::from_str(r#"{"log_index":"12","nullField":null}"#).unwrap();
        let o = Obj::new(&v, "e", Code::BundleParse).unwrap();
        assert_eq!(o.i64("logIndex").unwrap(), Some(12));
        assert!(o.get("nullField").is_none());
    }
}
