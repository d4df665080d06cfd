//! The three forms a set of attestations comes in, told apart by their shape:
//!
//! - one Sigstore bundle (a JSON object that is not a REST response);
//! - JSON lines: one bundle per line (`gh attestation download` writes these), blank lines
//!   skipped; also a JSON array of bundles (the JS face's list);
//! - the GitHub REST response `{ "attestations": [ { "bundle": {…}, … } ] }`.
//!
//! Each bundle is parsed on its own: one that is malformed becomes a failed entry with its code,
//! and the rest are still verified. Only an input that is none of the three, or over its limits,
//! fails as a whole (`ATTEST_DOCUMENT_INVALID`, `ATTEST_LIMIT_EXCEEDED`).

use alloc::format;
use alloc::vec::Vec;
use serde_json::Value;

use crate::error::{err, Code, Error, Result};
use sigstore_verifier::Bundle;

/// At most this many bytes of input (one bundle alone has the core's 32 MiB limit).
pub const MAX_INPUT_BYTES: usize = 64 << 20;
/// At most this many bundles in one input (the REST API serves at most 100 a page).
pub const MAX_BUNDLES: usize = 256;

/// Which form the input had.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Form {
    Bundle,
    JsonLines,
    List,
    RestResponse,
}

/// The bundles of an input, in order; each parsed, or the reason it could not be.
#[derive(Debug)]
pub struct Input {
    pub form: Form,
    pub bundles: Vec<Result<Bundle>>,
}

fn count(n: usize, what: &str) -> Result<()> {
    if n > MAX_BUNDLES {
        return err(Code::LimitExceeded, format!("{what} holds {n} bundles (at most {MAX_BUNDLES})"));
    }
    Ok(())
}

fn bundle_of(v: &Value) -> Result<Bundle> {
    Bundle::from_value(v).map_err(Error::from)
}

impl Input {
    /// Parse an input's text.
    pub fn parse(text: &str) -> Result<Input> {
        if text.len() > MAX_INPUT_BYTES {
            return err(Code::LimitExceeded, format!("the input is {} bytes (at most {MAX_INPUT_BYTES})", text.len()));
        }
        let lines = || text.lines().filter(|l| !l.trim().is_empty());
        let whole = sigstore_protojson::parse(text, Code::DocumentInvalid, "the input");
        match whole {
            Ok(v) => Input::from_value(&v),
            // Several lines that are not one JSON value, the first of which is one: JSON lines,
            // one bundle each (a broken pretty-printed document is not taken for lines).
            Err(_) if lines().nth(1).is_some() && lines().next().is_some_and(|l| serde_json::from_str::<Value>(l).is_ok()) => {
                let n = lines().count();
                count(n, "the JSON lines")?;
                let bundles =
                    lines().enumerate().map(|(i, l)| Bundle::from_json(l.trim()).map_err(|e| Error::from(e).at(&format!("line {}", i + 1)))).collect();
                Ok(Input { form: Form::JsonLines, bundles })
            }
            Err(e) => Err(Error::new(
                Code::DocumentInvalid,
                format!("{}: not a bundle, JSON lines of bundles, or a REST response {{\"attestations\": [...]}}", e.context),
            )),
        }
    }

    /// An input already parsed as one JSON value: a bundle, a list, or a REST response.
    pub fn from_value(v: &Value) -> Result<Input> {
        match v {
            Value::Object(o) if o.contains_key("attestations") => {
                let Some(list) = o.get("attestations").and_then(Value::as_array) else {
                    return err(Code::DocumentInvalid, "the REST response's attestations is not an array");
                };
                count(list.len(), "the REST response")?;
                let bundles = list
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let place = format!("attestations[{i}]");
                        match a.get("bundle") {
                            Some(b @ Value::Object(_)) => bundle_of(b).map_err(|e| e.at(&place)),
                            _ if a.get("bundle_url").is_some_and(Value::is_string) => err(
                                Code::DocumentInvalid,
                                format!("{place} has no inline bundle, only a bundle_url (not fetched here: download it with `gh attestation download`)"),
                            ),
                            _ => err(Code::DocumentInvalid, format!("{place}.bundle is missing or not an object")),
                        }
                    })
                    .collect();
                Ok(Input { form: Form::RestResponse, bundles })
            }
            Value::Object(_) => Ok(Input { form: Form::Bundle, bundles: alloc::vec![bundle_of(v)] }),
            Value::Array(list) => {
                count(list.len(), "the list")?;
                let bundles = list.iter().enumerate().map(|(i, b)| bundle_of(b).map_err(|e| e.at(&format!("[{i}]")))).collect();
                Ok(Input { form: Form::List, bundles })
            }
            _ => err(Code::DocumentInvalid, "the input is not a bundle, a list of bundles, or a REST response {\"attestations\": [...]}"),
        }
    }
}
