//! All 140 entries of the Sigstore conformance suite (tests/data/conformance/cases.json), through
//! the library API (crates/cli/tests runs them through the CLI binary). No entry is skipped or
//! special-cased.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

mod common;

#[test]
fn conformance_through_library() {
    let cases = common::cases();
    assert_eq!(cases.len(), 140);
    let codes = common::expected_codes();
    let mut wrong = Vec::new();
    for c in &cases {
        let r = c.verify();
        if r.is_ok() != c.expect_pass {
            wrong.push(format!("{}: expected {}, got {:?}", c.id, if c.expect_pass { "pass" } else { "fail" }, r.err().map(|e| e.to_string())));
        } else if let Err(e) = &r {
            if codes.get(&c.id).map(String::as_str) != Some(e.code.as_str()) {
                wrong.push(format!("{}: expected code {:?}, got {e}", c.id, codes.get(&c.id)));
            }
        }
    }
    println!("{} passed, {} failed", cases.len() - wrong.len(), wrong.len());
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}
