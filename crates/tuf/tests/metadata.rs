//! Signed metadata parsing and signature thresholds on the real public-good metadata.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use sigstore_tuf::metadata::{parse_envelope, verify_role, Root};
use sigstore_tuf::Code;

fn data(p: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../tests/data/tuf/{p}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn root_12_is_self_signed_and_signs_13() {
    let e12 = parse_envelope(&data("metadata/root_history/12.root.json"), 1 << 20).unwrap();
    let r12 = Root::parse(&e12).unwrap();
    assert_eq!(r12.common.version, 12);
    assert!(r12.consistent_snapshot);
    verify_role(&e12, r12.role("root").unwrap(), &r12.keys, "12.root.json").unwrap();
    let e13 = parse_envelope(&data("metadata/root_history/13.root.json"), 1 << 20).unwrap();
    verify_role(&e13, r12.role("root").unwrap(), &r12.keys, "13.root.json").unwrap();
}

#[test]
fn flipped_signature_byte_misses_threshold() {
    let raw = data("metadata/timestamp.json");
    let root = Root::parse(&parse_envelope(&data("metadata/root_history/15.root.json"), 1 << 20).unwrap()).unwrap();
    let good = parse_envelope(&raw, 1 << 20).unwrap();
    verify_role(&good, root.role("timestamp").unwrap(), &root.keys, "timestamp").unwrap();
    let mut bad = good.clone();
    let last = bad.signatures[0].1.len() - 1;
    bad.signatures[0].1[last] ^= 1;
    assert_eq!(verify_role(&bad, root.role("timestamp").unwrap(), &root.keys, "timestamp").unwrap_err().code, Code::SignatureThresholdNotMet);
    // The same valid signature listed twice counts once.
    let mut twice = good.clone();
    twice.signatures.push(twice.signatures[0].clone());
    let mut role = root.role("timestamp").unwrap().clone();
    role.threshold = 2;
    assert_eq!(verify_role(&twice, &role, &root.keys, "timestamp").unwrap_err().code, Code::SignatureThresholdNotMet);
}

#[test]
fn oversized_and_malformed() {
    let raw = data("metadata/timestamp.json");
    assert_eq!(parse_envelope(&raw, 100).unwrap_err().code, Code::TooLarge);
    assert_eq!(parse_envelope(b"{\"signed\": 1}", 100).unwrap_err().code, Code::MetadataInvalid);
    assert_eq!(parse_envelope(b"not json", 100).unwrap_err().code, Code::MetadataInvalid);
}

#[test]
fn github_tuf_on_ci_root_with_extension_fields() {
    // tuf-on-ci's `x-tuf-on-ci-*` fields are tolerated and covered by the signatures.
    let raw = data("github-root.json");
    let env = parse_envelope(&raw, 1 << 20).unwrap();
    let root = Root::parse(&env).unwrap();
    assert_eq!(root.common.version, 3);
    verify_role(&env, root.role("root").unwrap(), &root.keys, "github root").unwrap();
    sigstore_tuf::Client::new(&raw, sigstore_verifier::Time::from_unix(0)).unwrap();
}

#[test]
fn truncated_or_corrupted_input_never_panics() {
    let raw = data("metadata/root_history/13.root.json");
    let root12 = data("metadata/root_history/12.root.json");
    for n in (0..raw.len()).step_by(29) {
        let mut c = sigstore_tuf::Client::new(&root12, sigstore_verifier::Time::from_unix(1_787_000_000)).unwrap();
        assert!(c.feed(&raw[..n]).is_err());
    }
    for i in (0..raw.len()).step_by(53) {
        let mut m = raw.clone();
        m[i] = m[i].wrapping_add(1);
        let mut c = sigstore_tuf::Client::new(&root12, sigstore_verifier::Time::from_unix(1_787_000_000)).unwrap();
        let _ = c.feed(&m);
    }
}

#[test]
fn key_type_must_fit_its_scheme_and_unknown_keys_are_skipped() {
    let raw = data("metadata/root_history/15.root.json");
    let mut v: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    let id = v["signed"]["roles"]["timestamp"]["keyids"][0].as_str().unwrap().to_string();
    // An unknown key type: skipped, so the role it served has no usable key.
    let mut unknown = v.clone();
    unknown["signed"]["keys"][&id]["keytype"] = "sphincs".into();
    let env = parse_envelope(&serde_json::to_vec(&unknown).unwrap(), 1 << 20).unwrap();
    let root = Root::parse(&env).unwrap();
    assert!(!root.keys.contains_key(&id));
    // An ECDSA P-256 PEM declared as an RSA-PSS key: malformed.
    v["signed"]["keys"][&id]["keytype"] = "rsa".into();
    v["signed"]["keys"][&id]["scheme"] = "rsassa-pss-sha256".into();
    let env = parse_envelope(&serde_json::to_vec(&v).unwrap(), 1 << 20).unwrap();
    assert_eq!(Root::parse(&env).unwrap_err().code, Code::MetadataInvalid);
}
