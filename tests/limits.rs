//! Issue 15: hostile bundles built from the vendored conformance data are rejected with their
//! code, and the work they cause stays bounded (counted through `Plan::checks()` and
//! `Plan::budget()`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

mod common;

use serde_json::Value;
use sigstore_verifier::limits::{self, MAX_SIGNATURE_CHECKS};
use sigstore_verifier::{Artifact, Bundle, Code, Plan, TrustedRoot};

const CASE: &str = "PATH-happy-path-v0.3";

fn happy() -> (common::Case, Value) {
    let c = common::case(CASE);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&c.bundle).unwrap()).unwrap();
    (c, v)
}

fn plan(c: &common::Case, v: &Value) -> Result<Plan, sigstore_verifier::Error> {
    let bytes = c.artifact_bytes().unwrap();
    let bundle = Bundle::from_json(&v.to_string())?;
    c.verifier()?.plan(&bundle, &Artifact::Bytes(&bytes), &c.policy()?)
}

fn envelope(v: &mut Value, entry: usize) -> &mut Value {
    &mut v["verificationMaterial"]["tlogEntries"][entry]["inclusionProof"]["checkpoint"]["envelope"]
}

#[test]
fn one_entry_copied_32_times_costs_one_entry() {
    let (c, mut v) = happy();
    let one = plan(&c, &v).unwrap();
    let entry = v["verificationMaterial"]["tlogEntries"][0].clone();
    v["verificationMaterial"]["tlogEntries"] = Value::Array(vec![entry; 32]);
    let many = plan(&c, &v).unwrap();
    assert_eq!(many.checks().len(), one.checks().len());
    assert_eq!(many.budget(), one.budget());
    c.verify_bundle_text(&v.to_string()).unwrap();
}

#[test]
fn checkpoint_line_repeated_100_times_costs_one_line() {
    let (c, mut v) = happy();
    let one = plan(&c, &v).unwrap();
    let note = envelope(&mut v, 0).as_str().unwrap().to_string();
    let (text, sig) = note.split_once("\n\n").unwrap();
    let repeated = format!("{text}\n\n{}", sig.repeat(100));
    *envelope(&mut v, 0) = Value::String(repeated);
    let entry = v["verificationMaterial"]["tlogEntries"][0].clone();
    v["verificationMaterial"]["tlogEntries"] = Value::Array(vec![entry; 32]);
    let many = plan(&c, &v).unwrap();
    assert_eq!(many.checks().len(), one.checks().len());
    c.verify_bundle_text(&v.to_string()).unwrap();
}

#[test]
fn checkpoint_with_1_mib_extension_line() {
    let (c, mut v) = happy();
    let note = envelope(&mut v, 0).as_str().unwrap().to_string();
    let (text, sig) = note.split_once("\n\n").unwrap();
    let hostile = format!("{text}\n{}\n\n{}", "x".repeat(1 << 20), sig.repeat(100));
    *envelope(&mut v, 0) = Value::String(hostile);
    let entry = v["verificationMaterial"]["tlogEntries"][0].clone();
    v["verificationMaterial"]["tlogEntries"] = Value::Array(vec![entry; 32]);
    // 32 such entries are over the bundle's own size limit.
    let e = c.verify_bundle_text(&v.to_string()).unwrap_err();
    assert_eq!(e.code, Code::BundleLimitExceeded, "{e:?}");
    // One is over the checkpoint's.
    let entry = v["verificationMaterial"]["tlogEntries"][0].clone();
    v["verificationMaterial"]["tlogEntries"] = Value::Array(vec![entry]);
    let e = c.verify_bundle_text(&v.to_string()).unwrap_err();
    assert_eq!(e.code, Code::BundleLimitExceeded, "{e:?}");
    assert!(e.context.contains("MAX_CHECKPOINT_BYTES"), "{}", e.context);
    // A line over the line limit in a note under the note limit.
    let hostile = format!("{text}\n{}\n\n{sig}", "x".repeat(limits::MAX_CHECKPOINT_LINE_BYTES + 1));
    *envelope(&mut v, 0) = Value::String(hostile);
    let e = c.verify_bundle_text(&v.to_string()).unwrap_err();
    assert_eq!(e.code, Code::BundleLimitExceeded, "{e:?}");
    assert!(e.context.contains("MAX_CHECKPOINT_LINE_BYTES"), "{}", e.context);
}

#[test]
fn distinct_signature_lines_run_out_the_budget() {
    use base64ct::{Base64, Encoding};
    let (c, mut v) = happy();
    let note = envelope(&mut v, 0).as_str().unwrap().to_string();
    let (text, sig) = note.split_once("\n\n").unwrap();
    let (name, b64) = sig.trim_end().rsplit_once(' ').unwrap();
    let raw = Base64::decode_vec(b64).unwrap();
    let entry = v["verificationMaterial"]["tlogEntries"][0].clone();
    let entries: Vec<Value> = (0..32u8)
        .map(|i| {
            let mut e = entry.clone();
            let lines: String = (0..8u8)
                .map(|j| {
                    let mut s = raw.clone();
                    s.extend_from_slice(&[i, j]);
                    format!("{name} {}\n", Base64::encode_string(&s))
                })
                .collect();
            e["inclusionProof"]["checkpoint"]["envelope"] = Value::String(format!("{text}\n\n{lines}"));
            e
        })
        .collect();
    v["verificationMaterial"]["tlogEntries"] = Value::Array(entries);
    let e = plan(&c, &v).unwrap_err();
    assert_eq!(e.code, Code::BundleLimitExceeded, "{e:?}");
    assert!(e.context.contains("signature checks") && e.context.contains(&MAX_SIGNATURE_CHECKS.to_string()), "{}", e.context);
}

#[test]
fn bundle_over_the_size_limit() {
    let (c, v) = happy();
    let mut text = v.to_string();
    text.insert_str(1, &" ".repeat(limits::MAX_BUNDLE_BYTES));
    let e = Bundle::from_json(&text).unwrap_err();
    assert_eq!(e.code, Code::BundleLimitExceeded);
    assert!(e.context.contains("MAX_BUNDLE_BYTES"), "{}", e.context);
    assert_eq!(c.verify_bundle_text(&text).unwrap_err().code, Code::BundleLimitExceeded);
}

#[test]
fn base64_field_of_60_mb() {
    let (_, v) = happy();
    let big = "A".repeat(60_000_000);
    for (ptr, field) in [
        ("/messageSignature", "signature"),
        ("/verificationMaterial/tlogEntries/0", "canonicalizedBody"),
        ("/verificationMaterial/certificate", "rawBytes"),
        ("/verificationMaterial/tlogEntries/0/inclusionProof", "rootHash"),
    ] {
        let mut w = v.clone();
        w.pointer_mut(ptr).unwrap()[field] = Value::String(big.clone());
        let e = Bundle::from_value(&w).unwrap_err();
        assert_eq!(e.code, Code::BundleLimitExceeded, "{field}: {e:?}");
        assert!(e.context.contains(field) && e.context.contains("limit"), "{}", e.context);
    }
    // A DSSE payload.
    let d = common::case("PATH-happy-path-intoto-in-dsse-v3");
    let mut w: Value = serde_json::from_str(&std::fs::read_to_string(&d.bundle).unwrap()).unwrap();
    w["dsseEnvelope"]["payload"] = Value::String(big);
    let e = Bundle::from_value(&w).unwrap_err();
    assert_eq!(e.code, Code::BundleLimitExceeded);
    assert!(e.context.contains("dsseEnvelope.payload"), "{}", e.context);
}

#[test]
fn trusted_root_over_the_size_limit() {
    let mut text = sigstore_verifier::trust_root::PRODUCTION_JSON.to_string();
    text.insert_str(1, &" ".repeat(limits::MAX_TRUSTED_ROOT_BYTES));
    let e = TrustedRoot::from_json(&text).unwrap_err();
    assert_eq!(e.code, Code::TrustRootInvalid);
    assert!(e.context.contains("MAX_TRUSTED_ROOT_BYTES"), "{}", e.context);
}

/// Each base64 field of a trusted root has its own limit, checked on the encoded text before
/// decoding: a certificate, a log key and a log ID of 200 KB each are refused by name.
#[test]
fn trusted_root_fields_over_their_limits() {
    let big = "A".repeat(200_000);
    let root: Value = serde_json::from_str(sigstore_verifier::trust_root::PRODUCTION_JSON).unwrap();
    type Field = fn(&mut Value) -> &mut Value;
    let fields: [(&str, Field); 3] = [
        ("certificates[0].rawBytes", |r| &mut r["certificateAuthorities"][0]["certChain"]["certificates"][0]["rawBytes"]),
        ("publicKey.rawBytes", |r| &mut r["tlogs"][0]["publicKey"]["rawBytes"]),
        ("keyId", |r| &mut r["ctlogs"][0]["logId"]["keyId"]),
    ];
    for (name, field) in fields {
        let mut r = root.clone();
        *field(&mut r) = Value::String(big.clone());
        let e = TrustedRoot::from_json(&r.to_string()).unwrap_err();
        assert_eq!(e.code, Code::TrustRootInvalid, "{name}");
        assert!(e.context.contains(name) && e.context.contains("over the limit"), "{name}: {}", e.context);
    }
}

#[test]
fn budget_limits() {
    let mut b = limits::Budget::for_artifact(0);
    for _ in 0..MAX_SIGNATURE_CHECKS {
        b.signature_check(0).unwrap();
    }
    assert_eq!(b.signature_check(0).unwrap_err().code, Code::BundleLimitExceeded);
    let mut b = limits::Budget::for_artifact(0);
    b.hash(limits::MAX_HASHED_FIXED_BYTES).unwrap();
    assert!(b.hash(1).unwrap_err().context.contains("hashed bytes"));
    let mut b = limits::Budget::for_artifact(10);
    b.signature_check(limits::MAX_MESSAGE_FIXED_BYTES + 10).unwrap();
    assert!(b.signature_check(1).unwrap_err().context.contains("message bytes"));
    // The real bundles stay far inside it.
    for c in common::cases().iter().filter(|c| c.expect_pass) {
        let text = std::fs::read_to_string(&c.bundle).unwrap();
        let bytes = c.artifact_bytes();
        let artifact = match (&bytes, &c.artifact_digest) {
            (_, Some(d)) => Artifact::parse_digest(d).unwrap(),
            (Some(b), None) => Artifact::Bytes(b),
            _ => continue,
        };
        let p = c.verifier().unwrap().plan(&Bundle::from_json(&text).unwrap(), &artifact, &c.policy().unwrap()).unwrap();
        assert!(p.budget().signature_checks() <= 10, "{}: {:?}", c.id, p.budget());
        assert_eq!(p.budget().signature_checks(), p.checks().len());
    }
}
