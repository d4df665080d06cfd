//! The signed entry timestamp (SET, "inclusion promise") of Rekor v1: the log's signature over
//! the RFC 8785 (JCS) canonical JSON of `{body, integratedTime, logID, logIndex}`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::crypto::{Message, SigCheck};
use crate::encoding::{b64_encode, hex_encode};
use crate::error::{err, Code, Result};
use crate::trust_root::TransparencyLog;

/// Largest integer an RFC 8785 number (an IEEE 754 double) holds exactly: 2^53.
const MAX_EXACT_INT: u64 = 1 << 53;

/// A JSON value of the only kinds the SET payload needs.
#[derive(Clone, Copy, Debug)]
pub enum JcsValue<'a> {
    Str(&'a str),
    Int(u64),
}

/// RFC 8785 canonical JSON of a flat object: members sorted by the UTF-16 code units of their
/// names (§3.2.3), no whitespace (§3.2.1), strings escaped as ECMAScript's JSON.stringify does
/// (§3.2.2.2), integers in plain decimal (§3.2.2.3; only exact integers up to 2^53 accepted).
pub fn canonical_object(members: &[(&str, JcsValue<'_>)]) -> Result<Vec<u8>> {
    let mut sorted: Vec<&(&str, JcsValue<'_>)> = members.iter().collect();
    sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    let mut out = String::from("{");
    for (i, (name, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, name);
        out.push(':');
        match value {
            JcsValue::Str(s) => push_string(&mut out, s),
            JcsValue::Int(n) if *n <= MAX_EXACT_INT => out.push_str(&format!("{n}")),
            JcsValue::Int(n) => return err(Code::TlogEntryInvalid, format!("{n} is beyond the integers canonical JSON represents exactly")),
        }
    }
    out.push('}');
    Ok(out.into_bytes())
}

/// RFC 8785 §3.2.2.2: `"` and `\` escaped, U+0008/09/0A/0C/0D as `\b \t \n \f \r`, other
/// controls below U+0020 as `\u00xx` (lower-case hex); everything else verbatim (UTF-8). Runs
/// without escapes are copied whole (every escaped character is ASCII, so a byte scan finds them
/// and each cut falls on a character boundary).
fn push_string(out: &mut String, s: &str) {
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0C => "\\f",
            b'\r' => "\\r",
            0..=0x1F => "",
            _ => continue,
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        if esc.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(esc);
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// The message a Rekor v1 SET signs (Rekor `pkg/api` `VerifySET`): canonical JSON of
/// `{"body": base64(canonicalizedBody), "integratedTime": t, "logID": hex(log ID), "logIndex": i}`.
pub fn set_message(body: &[u8], integrated_time: i64, log_id: &[u8], log_index: u64) -> Result<Vec<u8>> {
    let t = u64::try_from(integrated_time).map_err(|_| crate::error::Error::new(Code::TlogEntryInvalid, "integratedTime is negative"))?;
    let body_b64 = b64_encode(body);
    let log_id_hex = hex_encode(log_id);
    canonical_object(&[
        ("body", JcsValue::Str(&body_b64)),
        ("integratedTime", JcsValue::Int(t)),
        ("logID", JcsValue::Str(&log_id_hex)),
        ("logIndex", JcsValue::Int(log_index)),
    ])
}

/// Queue the SET check: the log's key over [`set_message`] -> `TLOG_SET_INVALID` if it fails.
pub fn check_set(set: &[u8], body: &[u8], integrated_time: i64, log: &TransparencyLog, log_index: u64, checks: &mut Vec<SigCheck>) -> Result<()> {
    let message = set_message(body, integrated_time, &log.log_id, log_index)?;
    checks.push(SigCheck {
        code: Code::TlogSetInvalid,
        what: format!("inclusionPromise (log {})", log.base_url),
        key: log.key.clone(),
        scheme: log.scheme,
        message: Message::Raw(message),
        signature: set.to_vec(),
    });
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn jcs_sorts_and_escapes() {
        let s = "a\"b\\c\n\t\u{1}\u{1f}é\u{7f}/\u{2028}";
        let out = canonical_object(&[("z", JcsValue::Int(7)), ("a", JcsValue::Str(s)), ("\u{e9}", JcsValue::Int(0)), ("B", JcsValue::Int(1))]).unwrap();
        let text = core::str::from_utf8(&out).unwrap();
        assert_eq!(text, "{\"B\":1,\"a\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001fé\u{7f}/\u{2028}\",\"z\":7,\"é\":0}");
        // Round-trips through a JSON parser to the same string.
        let v: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(v["a"], s);
        assert_eq!(canonical_object(&[("n", JcsValue::Int(MAX_EXACT_INT + 1))]).unwrap_err().code, Code::TlogEntryInvalid);
    }

    #[test]
    fn jcs_sorts_by_utf16_units() {
        // U+FB01 sorts after U+1F600 in UTF-8/code points but before it in UTF-16 (surrogates 0xD83D).
        let out = canonical_object(&[("\u{FB01}", JcsValue::Int(2)), ("\u{1F600}", JcsValue::Int(1))]).unwrap();
        assert_eq!(core::str::from_utf8(&out).unwrap(), "{\"\u{1F600}\":1,\"\u{FB01}\":2}");
    }

    #[test]
    fn set_message_layout() {
        let m = set_message(b"{}", 1689177396, &[0xc0, 0xd2], 27246492).unwrap();
        assert_eq!(core::str::from_utf8(&m).unwrap(), r#"{"body":"e30=","integratedTime":1689177396,"logID":"c0d2","logIndex":27246492}"#);
        assert_eq!(set_message(b"", -1, &[], 0).unwrap_err().code, Code::TlogEntryInvalid);
    }
}
