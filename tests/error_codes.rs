//! One negative test per error code reachable through the public API, each asserting the exact
//! code. Most mutate one field of a passing conformance bundle. Codes that need hand-built DER
//! (certificate usage, SCT and timestamp signatures, unsupported kinds) are covered by the unit
//! tests next to their checks; `every_code_is_tested` keeps the two lists honest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

mod common;

use base64ct::{Base64, Encoding};
use serde_json::{json, Value};
use sigstore_verifier::{Artifact, Bundle, Code, Config, Matcher, Policy, TrustedRoot, Verifier};

fn load(case: &str) -> Value {
    let p = common::data_dir().join("bundle-verify").join(case).join("bundle.sigstore.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Verify the mutated bundle with the inputs of conformance entry `id`; return the error code.
fn code_of(id: &str, bundle: &Value) -> Code {
    let c = common::case(id);
    c.verify_bundle_text(&bundle.to_string()).err().map(|e| e.code).unwrap_or_else(|| panic!("{id}: mutated bundle verified"))
}

/// Verify a conformance entry unchanged; return its error code.
fn case_code(id: &str) -> Code {
    common::case(id).verify().err().map(|e| e.code).unwrap_or_else(|| panic!("{id} verified"))
}

fn flip_b64(v: &mut Value, at: usize) {
    let mut b = Base64::decode_vec(v.as_str().unwrap()).unwrap();
    let i = at.min(b.len() - 1);
    b[i] ^= 0x01;
    *v = Value::String(Base64::encode_string(&b));
}

const V1: &str = "PATH-happy-path-v0.1";
const V3: &str = "PATH-happy-path-v0.3";
const DSSE: &str = "PATH-happy-path-intoto-in-dsse-v3";
const REKOR2: &str = "PATH-rekor2-happy-path";
const KEY: &str = "PATH-managed-key-happy-path";

#[test]
fn input_invalid() {
    assert_eq!(Artifact::parse_digest("md5:00").unwrap_err().code, Code::InputInvalid);
    assert_eq!(Policy::key_pem("not a key").unwrap_err().code, Code::InputInvalid);
}

#[test]
fn config_unsafe() {
    let root = || TrustedRoot::production().unwrap();
    let lower = |f: fn(&mut Config)| {
        let mut c = Config::default();
        f(&mut c);
        Verifier::new(root(), c).map(|_| ()).map_err(|e| e.code)
    };
    assert_eq!(lower(|c| c.tlog_threshold = Some(0)), Err(Code::ConfigUnsafe));
    assert_eq!(lower(|c| c.observer_timestamp_threshold = Some(0)), Err(Code::ConfigUnsafe));
    assert_eq!(lower(|c| c.require_sct = Some(false)), Err(Code::ConfigUnsafe));
    // Raising one is fine; lowering with the unsafe switch is allowed.
    assert_eq!(lower(|c| c.signed_timestamp_threshold = Some(1)), Ok(()));
    assert_eq!(lower(|c| c.tlog_threshold = Some(2)), Ok(()));
    assert_eq!(
        lower(|c| {
            c.tlog_threshold = Some(0);
            c.lower_thresholds_unsafe = true
        }),
        Ok(())
    );
    let t = Verifier::new(root(), Config::default()).unwrap().thresholds();
    assert_eq!((t.tlog_entries, t.signed_timestamps, t.verified_times, t.sct), (1, 0, 1, true));
    // A root without transparency logs requires a timestamp instead; without CT logs no SCT.
    let mut bare: Value = serde_json::from_str(sigstore_verifier::trust_root::PRODUCTION_JSON).unwrap();
    bare["tlogs"] = json!([]);
    bare["ctlogs"] = json!([]);
    let bare = || TrustedRoot::from_json(&bare.to_string()).unwrap();
    let t = Verifier::new(bare(), Config::default()).unwrap().thresholds();
    assert_eq!((t.tlog_entries, t.signed_timestamps, t.verified_times, t.sct), (0, 1, 1, false));
    let c = Config { signed_timestamp_threshold: Some(0), ..Config::default() };
    assert_eq!(Verifier::new(bare(), c).unwrap_err().code, Code::ConfigUnsafe);
}

#[test]
fn policy_invalid() {
    assert_eq!(Matcher::regex("(unclosed").unwrap_err().code, Code::PolicyInvalid);
}

#[test]
fn trust_root_invalid() {
    assert_eq!(TrustedRoot::from_json("{").unwrap_err().code, Code::TrustRootInvalid);
    assert_eq!(case_code("PATH-trust-root-tlog-missing-validity-start_fail"), Code::TrustRootInvalid);
}

#[test]
fn bundle_parse() {
    assert_eq!(case_code("PATH-bundle-malformed-json_fail"), Code::BundleParse);
    let mut b = load("happy-path-v0.1");
    b["messageSignature"]["signature"] = json!("INVALID!!!BASE64!!!ENCODING====");
    assert_eq!(code_of(V1, &b), Code::BundleParse);
}

#[test]
fn bundle_unsupported_media_type() {
    assert_eq!(case_code("PATH-bundle-unknown-version_fail"), Code::BundleUnsupportedMediaType);
}

#[test]
fn bundle_invalid() {
    assert_eq!(case_code("PATH-bundle-empty-certificate-chain_fail"), Code::BundleInvalid);
    let mut b = load("happy-path-v0.3");
    b.as_object_mut().unwrap().remove("messageSignature");
    assert_eq!(code_of(V3, &b), Code::BundleInvalid);
}

#[test]
fn bundle_limit_exceeded() {
    let mut b = load("happy-path-v0.1");
    let e = b["verificationMaterial"]["tlogEntries"][0].clone();
    b["verificationMaterial"]["tlogEntries"] = Value::Array(vec![e; 33]);
    assert_eq!(code_of(V1, &b), Code::BundleLimitExceeded);
}

#[test]
fn cert_invalid() {
    let mut b = load("happy-path-v0.3");
    b["verificationMaterial"]["certificate"]["rawBytes"] = json!("MIIBAAAA");
    assert_eq!(code_of(V3, &b), Code::CertInvalid);
}

#[test]
fn cert_chain_contains_root() {
    // happy-path-v0.1 with the trusted Fulcio root appended to its x509CertificateChain.
    let root: Value = serde_json::from_str(sigstore_verifier::trust_root::PRODUCTION_JSON).unwrap();
    let mut b = load("happy-path-v0.1");
    for ca in root["certificateAuthorities"].as_array().unwrap() {
        let certs = ca["certChain"]["certificates"].as_array().unwrap();
        let mut m = b.clone();
        m["verificationMaterial"]["x509CertificateChain"]["certificates"].as_array_mut().unwrap().push(certs.last().unwrap().clone());
        assert_eq!(code_of(V1, &m), Code::CertChainContainsRoot);
    }
    // The suite's own case also carries a root, but its v0.1 inclusion proof has no checkpoint,
    // which fails first.
    assert!(common::case("PATH-bundle-with-root-cert_fail").verify().is_err());
    b["verificationMaterial"]["x509CertificateChain"]["certificates"].as_array_mut().unwrap().truncate(1);
    assert!(code_of_ok(V1, &b));
}

fn code_of_ok(id: &str, bundle: &Value) -> bool {
    common::case(id).verify_bundle_text(&bundle.to_string()).is_ok()
}

#[test]
fn cert_chain_untrusted() {
    let c = common::case(V1);
    let mut root: Value = serde_json::from_str(&c.root_text()).unwrap();
    root["certificateAuthorities"] = json!([]);
    let verifier = Verifier::new(TrustedRoot::from_json(&root.to_string()).unwrap(), Config::default()).unwrap();
    let bundle = Bundle::from_json(&std::fs::read_to_string(&c.bundle).unwrap()).unwrap();
    let bytes = c.artifact_bytes().unwrap();
    let e = verifier.verify(&bundle, &Artifact::Bytes(&bytes), &c.policy().unwrap()).unwrap_err();
    assert_eq!(e.code, Code::CertChainUntrusted);
}

#[test]
fn cert_not_valid_at_time() {
    assert_eq!(case_code("PATH-integrated-time-in-future_fail"), Code::CertNotValidAtTime);
    assert_eq!(case_code("PATH-intoto-expired-certificate_fail"), Code::CertNotValidAtTime);
}

#[test]
fn sct_missing() {
    assert_eq!(case_code("PATH-invalid-ct-key_fail"), Code::SctMissing);
}

#[test]
fn tlog_unknown_log() {
    let mut b = load("happy-path-v0.1");
    flip_b64(&mut b["verificationMaterial"]["tlogEntries"][0]["logId"]["keyId"], 0);
    assert_eq!(code_of(V1, &b), Code::TlogUnknownLog);

    // A Rekor v2 log whose key window starts after the RFC 3161 time of the entry.
    let c = common::case(REKOR2);
    let mut root: Value = serde_json::from_str(&c.root_text()).unwrap();
    for log in root["tlogs"].as_array_mut().unwrap() {
        log["publicKey"]["validFor"]["start"] = json!("2030-01-01T00:00:00Z");
    }
    let verifier = Verifier::new(TrustedRoot::from_json(&root.to_string()).unwrap(), Config::default()).unwrap();
    let e = c.verify_with(&verifier, &std::fs::read_to_string(&c.bundle).unwrap()).unwrap_err();
    assert_eq!(e.code, Code::TlogUnknownLog);
    assert!(e.context.contains("not valid at the timestamp"), "{e}");
}

#[test]
fn tlog_entry_invalid() {
    let mut b = load("happy-path-v0.1");
    b["verificationMaterial"]["tlogEntries"][0]["logIndex"] = json!("-1");
    assert_eq!(code_of(V1, &b), Code::TlogEntryInvalid);
}

#[test]
fn tlog_body_mismatch() {
    assert_eq!(case_code("PATH-wrong-hashedrekord-entry_fail"), Code::TlogBodyMismatch);
    assert_eq!(case_code("PATH-signature-mismatch_fail"), Code::TlogBodyMismatch);
}

#[test]
fn tlog_set_missing() {
    let mut b = load("happy-path-v0.1");
    b["verificationMaterial"]["tlogEntries"][0].as_object_mut().unwrap().remove("inclusionPromise");
    assert_eq!(code_of(V1, &b), Code::TlogSetMissing);
}

#[test]
fn tlog_set_invalid() {
    assert_eq!(case_code("PATH-set-invalid-signature_fail"), Code::TlogSetInvalid);
    let mut b = load("happy-path-v0.1");
    b["verificationMaterial"]["tlogEntries"][0]["integratedTime"] = json!("1689177397");
    assert_eq!(code_of(V1, &b), Code::TlogSetInvalid);
}

#[test]
fn tlog_inclusion_proof_missing() {
    assert_eq!(case_code("PATH-rekor2-no-inclusion-proof_fail"), Code::TlogInclusionProofMissing);
    let mut b = load("happy-path-v0.3");
    b["verificationMaterial"]["tlogEntries"][0].as_object_mut().unwrap().remove("inclusionProof");
    assert_eq!(code_of(V3, &b), Code::TlogInclusionProofMissing);
}

#[test]
fn tlog_inclusion_proof_invalid() {
    assert_eq!(case_code("PATH-inclusion-proof-corrupted-hash_fail"), Code::TlogInclusionProofInvalid);
    let mut b = load("happy-path-v0.3");
    let hashes = b["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["hashes"].as_array_mut().unwrap();
    hashes.pop();
    assert_eq!(code_of(V3, &b), Code::TlogInclusionProofInvalid);
}

#[test]
fn tlog_checkpoint_invalid() {
    assert_eq!(case_code("PATH-rekor2-checkpoint-missing-origin_fail"), Code::TlogCheckpointInvalid);
    let mut b = load("happy-path-v0.3");
    b["verificationMaterial"]["tlogEntries"][0]["inclusionProof"].as_object_mut().unwrap().remove("checkpoint");
    assert_eq!(code_of(V3, &b), Code::TlogCheckpointInvalid);
}

#[test]
fn tlog_checkpoint_signature_invalid() {
    assert_eq!(case_code("PATH-invalid-checkpoint-signature_fail"), Code::TlogCheckpointSignatureInvalid);
    assert_eq!(case_code("PATH-rekor2-checkpoint-missing-log-signature_fail"), Code::TlogCheckpointSignatureInvalid);
}

#[test]
fn tlog_checkpoint_mismatch() {
    assert_eq!(case_code("PATH-checkpoint-wrong-roothash_fail"), Code::TlogCheckpointMismatch);
}

#[test]
fn tlog_threshold_not_met() {
    let mut b = load("happy-path-v0.3");
    b["verificationMaterial"]["tlogEntries"] = json!([]);
    assert_eq!(code_of(V3, &b), Code::TlogThresholdNotMet);
}

#[test]
fn timestamp_invalid() {
    let mut b = load("rekor2-happy-path");
    b["verificationMaterial"]["timestampVerificationData"]["rfc3161Timestamps"][0]["signedTimestamp"] = json!("MAMCAQA=");
    assert_eq!(code_of(REKOR2, &b), Code::TimestampInvalid);
}

#[test]
fn timestamp_untrusted() {
    assert_eq!(case_code("PATH-rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail"), Code::TimestampUntrusted);
    assert_eq!(case_code("PATH-rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail"), Code::TimestampUntrusted);
}

#[test]
fn timestamp_imprint_mismatch() {
    assert_eq!(case_code("PATH-rekor2-timestamp-payload-mismatch_fail"), Code::TimestampImprintMismatch);
}

#[test]
fn timestamp_not_valid_at_time() {
    assert_eq!(case_code("PATH-rekor2-timestamp-outside-trust-root-tsa-validity_fail"), Code::TimestampNotValidAtTime);
    assert_eq!(case_code("PATH-rekor2-timestamp-outside-tsa-cert-validity_fail"), Code::TimestampNotValidAtTime);
}

#[test]
fn timestamp_threshold_not_met() {
    assert_eq!(case_code("PATH-rekor2-no-timestamp_fail"), Code::TimestampThresholdNotMet);
}

/// A managed-key bundle with no log entry or timestamp, verified with thresholds off, so that
/// nothing but the artifact signature itself is checked.
fn verify_key_bundle_bare(b: &Value, artifact: &Artifact, policy: &Policy) -> Result<(), Code> {
    let mut b = b.clone();
    let vm = b["verificationMaterial"].as_object_mut().unwrap();
    vm.remove("tlogEntries");
    vm.remove("timestampVerificationData");
    let c = common::case(KEY);
    let verifier = Verifier::new(TrustedRoot::from_json(&c.root_text()).unwrap(), Config::without_thresholds_unsafe()).unwrap();
    let bundle = Bundle::from_json(&b.to_string()).unwrap();
    verifier.verify(&bundle, artifact, policy).map(|_| ()).map_err(|e| e.code)
}

#[test]
fn signature_invalid() {
    let c = common::case(KEY);
    let bytes = c.artifact_bytes().unwrap();
    let policy = c.policy().unwrap();
    let mut b = load("managed-key-happy-path");
    // Unchanged, the bare bundle verifies: the mutation below is what fails.
    assert_eq!(verify_key_bundle_bare(&b, &Artifact::Bytes(&bytes), &policy), Ok(()));
    flip_b64(&mut b["messageSignature"]["signature"], 40);
    assert_eq!(verify_key_bundle_bare(&b, &Artifact::Bytes(&bytes), &policy), Err(Code::SignatureInvalid));
}

#[test]
fn digest_only_unsupported() {
    // The Ed25519 key of a Rekor v2 log stands in for a managed Ed25519 signing key.
    let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAPn+AREHoBaZ7wgS1zBqpxmLSGnyhxXj4lFxSdWVB8o8=\n-----END PUBLIC KEY-----\n";
    let policy = Policy::key_pem(pem).unwrap();
    let b = load("managed-key-happy-path");
    let artifact = Artifact::parse_digest("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf").unwrap();
    assert_eq!(verify_key_bundle_bare(&b, &artifact, &policy), Err(Code::DigestOnlyUnsupported));
}

#[test]
fn dsse_invalid() {
    let mut b = load("happy-path-intoto-in-dsse-v3");
    let s = b["dsseEnvelope"]["signatures"][0].clone();
    b["dsseEnvelope"]["signatures"] = json!([s.clone(), s]);
    assert_eq!(code_of(DSSE, &b), Code::DsseInvalid);
}

#[test]
fn artifact_mismatch() {
    assert_eq!(case_code("PATH-message-digest-mismatch_fail"), Code::ArtifactMismatch);
    assert_eq!(case_code("DIGEST-message-digest-mismatch_fail"), Code::ArtifactMismatch);
    assert_eq!(case_code("PATH-wrong-material_fail"), Code::ArtifactMismatch);
}

#[test]
fn intoto_invalid() {
    let mut b = load("happy-path-intoto-in-dsse-v3");
    b["dsseEnvelope"]["payload"] = json!(Base64::encode_string(br#"{"_type":"https://example.com/NotAStatement"}"#));
    assert_eq!(code_of(DSSE, &b), Code::IntotoInvalid);
}

#[test]
fn identity_mismatch() {
    let mut c = common::case(V1);
    c.identity = Some("https://github.com/someone-else/repo/.github/workflows/x.yml@refs/heads/main".into());
    assert_eq!(c.verify().unwrap_err().code, Code::IdentityMismatch);
}

#[test]
fn issuer_mismatch() {
    let mut c = common::case(V1);
    c.issuer = Some("https://accounts.google.com".into());
    assert_eq!(c.verify().unwrap_err().code, Code::IssuerMismatch);
}

#[test]
fn key_mismatch() {
    assert_eq!(case_code("PATH-managed-key-no-key_fail"), Code::KeyMismatch);
}

/// Codes whose negative tests live in unit tests beside their checks (src/).
const UNIT_TESTED: &[Code] =
    &[Code::CertSignatureInvalid, Code::CertUsageInvalid, Code::SctInvalid, Code::TlogKindUnsupported, Code::TimestampSignatureInvalid, Code::KeyUnsupported];

#[test]
fn every_code_is_tested() {
    let this = include_str!("error_codes.rs");
    for code in Code::ALL {
        let variant = format!("{code:?}");
        let here = this.matches(&format!("Code::{variant})")).count() + this.matches(&format!("Code::{variant});")).count();
        assert!(here > 0 || UNIT_TESTED.contains(code), "no negative test expects {}", code.as_str());
    }
}

#[test]
fn every_code_is_documented() {
    let doc = include_str!("../docs/errors.md");
    for code in Code::ALL {
        assert!(doc.contains(&format!("| `{}` |", code.as_str())), "{} missing from docs/errors.md", code.as_str());
    }
}
