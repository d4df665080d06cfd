//! Every TUF code is documented in docs/errors.md ("TUF codes") with its step, and some test
//! expects it (`Code::<Variant>` appears in an assertion of a test file other than this one).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use sigstore_tuf::{Code, Error};

fn read(p: &str) -> String {
    std::fs::read_to_string(format!("{}/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn every_code_is_documented() {
    let doc = read("../../docs/errors.md");
    let section = doc.split("## TUF codes").nth(1).expect("docs/errors.md has a TUF codes section");
    let section = section.split("\n## ").next().unwrap();
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| `TUF_")).collect();
    assert_eq!(rows.len(), Code::ALL.len(), "one row per code");
    for c in Code::ALL {
        let row = format!("| `{}` | {} | ", c.as_str(), c.step().as_str());
        assert!(rows.iter().any(|r| r.starts_with(&row)), "{} is not documented as `{row}`", c.as_str());
        let e = Error::new(*c, "x");
        assert_eq!(e.report().code, c.as_str());
        assert_eq!(e.report().step, "trusted_root");
    }
}

#[test]
fn every_code_has_a_negative_test() {
    let tests: String = ["tests/public_good.rs", "tests/generated.rs", "tests/metadata.rs"].iter().map(|p| read(p)).collect();
    for c in Code::ALL {
        let variant = format!("{c:?}");
        let needle = format!("Code::{variant}");
        let expected = tests.lines().any(|l| l.contains(&needle) && (l.contains("assert_eq!") || l.contains("unwrap_err")));
        assert!(expected, "no test asserts {}", c.as_str());
    }
}
