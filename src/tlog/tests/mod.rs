//! Tests of [`verify_entry`] on the conformance bundles, plus mutations.
extern crate std;

use super::*;
use crate::artifact::{Artifact, Hashed};
use crate::bundle::Bundle;
use crate::crypto::{RustCrypto, SignatureVerifier};
use crate::encoding::{b64_decode, b64_encode};
use crate::trust_root::TrustedRoot;
use alloc::string::ToString;
use serde_json::Value;
use std::fs;

const DIR: &str = "tests/data/conformance/bundle-verify";

struct Case {
    bundle: Value,
    root: TrustedRoot,
    artifact: Vec<u8>,
    key: Option<PublicKey>,
}

fn load(name: &str) -> Case {
    let dir = format!("{DIR}/{name}");
    let bundle = serde_json::from_str(&fs::read_to_string(format!("{dir}/bundle.sigstore.json")).unwrap()).unwrap();
    let root_text = fs::read_to_string(format!("{dir}/trusted_root.json"))
        .unwrap_or_else(|_| fs::read_to_string("tests/data/conformance/trusted_roots/production.json").unwrap());
    let root = TrustedRoot::from_json(&root_text).unwrap();
    let artifact = fs::read(format!("{dir}/artifact")).unwrap_or_else(|_| fs::read(format!("{DIR}/a.txt")).unwrap());
    let key = fs::read_to_string(format!("{dir}/key.pub")).ok().map(|p| PublicKey::from_pem(&p).unwrap());
    Case { bundle, root, artifact, key }
}

impl Case {
    /// Verify entry 0 and run the queued signature checks.
    fn run(&self) -> Result<VerifiedEntry> {
        self.run_with(&Artifact::Bytes(&self.artifact))
    }

    fn run_with(&self, artifact: &Artifact) -> Result<VerifiedEntry> {
        let artifact = &Hashed::new(artifact);
        let b = Bundle::from_value(&self.bundle).unwrap();
        let signer = match (&self.key, b.material.leaf()) {
            (Some(k), _) => Signer::Key(k),
            (None, Some(c)) => Signer::Cert(c),
            (None, None) => panic!("no signer"),
        };
        let expected = Expected { signer, content: &b.content, artifact };
        let mut checks = Vec::new();
        let v = verify_entry(&b.tlog_entries[0], b.media_type, &self.root.tlogs, &expected, &mut checks)?;
        RustCrypto.run_all(&checks)?;
        Ok(v)
    }

    fn entry(&mut self) -> &mut Value {
        &mut self.bundle["verificationMaterial"]["tlogEntries"][0]
    }

    /// Rewrite the canonicalized body through `f` (breaks SET and proof; for body checks).
    fn edit_body(&mut self, f: impl FnOnce(&mut Value)) {
        let e = self.entry();
        let raw = b64_decode(e["canonicalizedBody"].as_str().unwrap()).unwrap();
        let mut body: Value = serde_json::from_slice(&raw).unwrap();
        f(&mut body);
        e["canonicalizedBody"] = Value::String(b64_encode(serde_json::to_string(&body).unwrap().as_bytes()));
    }

    fn checkpoint(&mut self) -> &mut Value {
        &mut self.entry()["inclusionProof"]["checkpoint"]["envelope"]
    }

    fn edit_checkpoint(&mut self, f: impl FnOnce(&str) -> String) {
        let cp = self.checkpoint();
        let new = f(cp.as_str().unwrap());
        *cp = Value::String(new);
    }
}

fn code(name: &str) -> Code {
    load(name).run().unwrap_err().code
}

#[test]
fn happy_paths() {
    for name in [
        "happy-path-v0.1",
        "happy-path-v0.2",
        "happy-path-v0.3",
        "happy-path-v0.3-new-mediaType",
        "happy-path-intoto-in-dsse-v3",
        "intoto-with-custom-trust-root",
        "managed-key-happy-path",
        "managed-key-and-trusted-root",
        "rekor2-happy-path",
        "rekor2-dsse-happy-path",
        "rekor2-checkpoint-cosigned",
        "rekor2-checkpoint-multiple-cosigs",
        "rekor2-checkpoint-origin-not-first",
        "rekor2-checkpoint-two-sigs-cosigned",
        "rekor2-checkpoint-two-sigs-from-origin",
        "trust-root-tlog-validity-end-inclusive",
        "bundle-with-sct-with-extensions",
        "rekor2-timestamp-with-embedded-cert",
    ] {
        let v = load(name).run().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.rekor_v2, name.starts_with("rekor2") || name.starts_with("bundle-with-sct"), "{name}");
        assert_eq!(v.integrated_time.is_none(), v.rekor_v2, "{name}");
    }
}

#[test]
fn happy_path_fields() {
    let v = load("happy-path-v0.1").run().unwrap();
    assert_eq!(v.log_url, "https://rekor.sigstore.dev");
    assert_eq!(v.log_index, 27246492);
    assert_eq!(v.integrated_time, Some(Time::from_unix(1689177396)));
    assert_eq!((v.kind.as_str(), v.version.as_str()), ("hashedrekord", "0.0.1"));
    let v = load("rekor2-dsse-happy-path").run().unwrap();
    assert_eq!(v.log_url, "https://log2025-alpha3.rekor.sigstage.dev");
    assert_eq!((v.kind.as_str(), v.version.as_str(), v.integrated_time), ("hashedrekord", "0.0.2", None));
}

#[test]
fn failing_conformance_cases() {
    use Code::*;
    for (name, want) in [
        ("checkpoint-bad-keyhint_fail", TlogCheckpointSignatureInvalid),
        ("checkpoint-wrong-roothash_fail", TlogCheckpointMismatch),
        ("inclusion-proof-corrupted-hash_fail", TlogInclusionProofInvalid),
        ("invalid-checkpoint-signature_fail", TlogCheckpointSignatureInvalid),
        ("set-invalid-signature_fail", TlogSetInvalid),
        ("incorrect-public-key_fail", TlogBodyMismatch),
        ("wrong-hashedrekord-artifact_fail", TlogBodyMismatch),
        ("wrong-hashedrekord-cert-and-sig_fail", TlogBodyMismatch),
        ("wrong-hashedrekord-entry_fail", TlogBodyMismatch),
        ("dsse-mismatch-envelope_fail", TlogBodyMismatch),
        ("dsse-mismatch-sig_fail", TlogBodyMismatch),
        ("intoto-log-entry-mismatch_fail", TlogBodyMismatch),
        ("intoto-missing-inclusion-proof_fail", TlogInclusionProofMissing),
        ("rekor2-checkpoint-missing-log-signature_fail", TlogCheckpointSignatureInvalid),
        ("rekor2-checkpoint-missing-origin_fail", TlogCheckpointInvalid),
        ("rekor2-checkpoint-missing-root-hash_fail", TlogCheckpointInvalid),
        ("rekor2-checkpoint-missing-size_fail", TlogCheckpointInvalid),
        ("rekor2-checkpoint-no-matching-signature_fail", TlogCheckpointSignatureInvalid),
        ("rekor2-dsse-mismatch-envelope_fail", TlogBodyMismatch),
        ("rekor2-dsse-mismatch-sig_fail", TlogBodyMismatch),
        ("rekor2-no-inclusion-proof_fail", TlogInclusionProofMissing),
        ("invalid-inclusion-proof_fail", TlogInclusionProofInvalid),
        ("trust-root-tlog-missing-validity-start_fail", TrustRootInvalid),
        ("bundle-from-wrong-instance_fail", TlogUnknownLog),
        // The wrong artifact: the logged digest is a.txt's.
        ("wrong-material_fail", TlogBodyMismatch),
        // The bundle signature altered: the logged one differs (the signature step fails too).
        ("signature-mismatch_fail", TlogBodyMismatch),
        ("dsse-invalid-sig_fail", TlogBodyMismatch),
        ("rekor2-dsse-invalid-sig_fail", TlogBodyMismatch),
        // A 2023 v0.1 bundle whose proof has no checkpoint (sigstore-go refuses those too).
        ("bundle-with-root-cert_fail", TlogCheckpointInvalid),
    ] {
        assert_eq!(code(name), want, "{name}");
    }
}

/// Failures that are not the tlog's business must pass here (they fail in other steps).
#[test]
fn other_steps_failures_pass_the_tlog() {
    for name in [
        "rekor2-no-timestamp_fail",
        "message-digest-mismatch_fail",
        "invalid-ct-key_fail",
        "intoto-expired-certificate_fail",
        "integrated-time-in-future_fail",
        "intoto-set-outside-signing-cert-validity_fail",
        "rekor2-timestamp-payload-mismatch_fail",
    ] {
        load(name).run().unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn unknown_log_and_validity_window() {
    let mut c = load("happy-path-v0.1");
    c.entry()["logId"]["keyId"] = Value::String(b64_encode(&[7; 32]));
    assert_eq!(c.run().unwrap_err().code, Code::TlogUnknownLog);

    // End inclusive passes (tested above); one second later the key is no longer valid.
    let mut c = load("trust-root-tlog-validity-end-inclusive");
    c.entry()["integratedTime"] = Value::String("1689177397".into());
    let e = c.run().unwrap_err();
    assert_eq!(e.code, Code::TlogUnknownLog);
    assert!(e.context.contains("not valid"), "{e}");
    // Before the start, too.
    let mut c = load("happy-path-v0.1");
    c.root.tlogs[0].valid_for = Some(Validity { start: Time::from_unix(1689177397), end: None });
    assert_eq!(c.run().unwrap_err().code, Code::TlogUnknownLog);
}

#[test]
fn malformed_entries() {
    // Body not JSON.
    let mut c = load("happy-path-v0.1");
    c.entry()["canonicalizedBody"] = Value::String(b64_encode(b"{not json"));
    assert_eq!(c.run().unwrap_err().code, Code::TlogEntryInvalid);
    // Body without spec.data.
    let mut c = load("happy-path-v0.1");
    c.edit_body(|b| {
        b["spec"].as_object_mut().unwrap().remove("data");
    });
    assert_eq!(c.run().unwrap_err().code, Code::TlogEntryInvalid);
    // Rekor v1 entry without integratedTime.
    let mut c = load("happy-path-v0.3");
    c.entry().as_object_mut().unwrap().remove("integratedTime");
    assert_eq!(c.run().unwrap_err().code, Code::TlogEntryInvalid);
    // Rekor v2 entry claiming an integrated time or a SET.
    let mut c = load("rekor2-happy-path");
    c.entry()["integratedTime"] = Value::String("1749729740".into());
    assert_eq!(c.run().unwrap_err().code, Code::TlogEntryInvalid);
    let mut c = load("rekor2-happy-path");
    c.entry()["inclusionPromise"] = serde_json::json!({"signedEntryTimestamp": "AAAA"});
    assert_eq!(c.run().unwrap_err().code, Code::TlogEntryInvalid);
    // Rekor v2 verifier with neither certificate nor key.
    let mut c = load("rekor2-happy-path");
    c.edit_body(|b| {
        b["spec"]["hashedRekordV002"]["signature"]["verifier"].as_object_mut().unwrap().remove("x509Certificate");
    });
    assert_eq!(c.run().unwrap_err().code, Code::TlogEntryInvalid);
}

#[test]
fn kind_version_is_untrusted() {
    let mut c = load("happy-path-v0.1");
    c.entry()["kindVersion"] = serde_json::json!({"kind": "dsse", "version": "0.0.1"});
    assert_eq!(c.run().unwrap_err().code, Code::TlogBodyMismatch);
    let mut c = load("rekor2-happy-path");
    c.entry()["kindVersion"]["version"] = Value::String("0.0.1".into());
    assert_eq!(c.run().unwrap_err().code, Code::TlogBodyMismatch);
}

#[test]
fn unsupported_kind() {
    let mut c = load("happy-path-v0.1");
    c.edit_body(|b| b["kind"] = Value::String("rekord".into()));
    c.entry()["kindVersion"]["kind"] = Value::String("rekord".into());
    assert_eq!(c.run().unwrap_err().code, Code::TlogKindUnsupported);
    let mut c = load("rekor2-happy-path");
    c.edit_body(|b| b["apiVersion"] = Value::String("0.0.3".into()));
    c.entry()["kindVersion"]["version"] = Value::String("0.0.3".into());
    assert_eq!(c.run().unwrap_err().code, Code::TlogKindUnsupported);
}

#[test]
fn body_field_mismatches() {
    // hashedrekord 0.0.1: a managed key body checked against a certificate signer and back.
    let c = load("managed-key-happy-path");
    let b = Bundle::from_value(&c.bundle).unwrap();
    let other = load("happy-path-v0.3");
    let ob = Bundle::from_value(&other.bundle).unwrap();
    let art_bytes = Artifact::Bytes(&c.artifact);
    let art = Hashed::new(&art_bytes);
    let expected = Expected { signer: Signer::Cert(ob.material.leaf().unwrap()), content: &b.content, artifact: &art };
    let e = verify_entry(&b.tlog_entries[0], b.media_type, &c.root.tlogs, &expected, &mut Vec::new()).unwrap_err();
    assert_eq!(e.code, Code::TlogBodyMismatch);
    // Another key of the same type (the Rekor v2 happy path's leaf key) is not the signer.
    let r2 = load("rekor2-happy-path");
    let r2b = Bundle::from_value(&r2.bundle).unwrap();
    let other_key = r2b.material.leaf().unwrap().public_key().unwrap();
    let expected = Expected { signer: Signer::Key(other_key), content: &b.content, artifact: &art };
    let e = verify_entry(&b.tlog_entries[0], b.media_type, &c.root.tlogs, &expected, &mut Vec::new()).unwrap_err();
    assert_eq!(e.code, Code::TlogBodyMismatch);

    // DSSE bundle against a hashedrekord 0.0.1 entry and the reverse.
    let dsse = load("happy-path-intoto-in-dsse-v3");
    let db = Bundle::from_value(&dsse.bundle).unwrap();
    let hr = load("happy-path-v0.3");
    let hb = Bundle::from_value(&hr.bundle).unwrap();
    let art_bytes = Artifact::Bytes(&hr.artifact);
    let art = Hashed::new(&art_bytes);
    for (entry_bundle, content_bundle, root) in [(&hb, &db, &hr.root), (&db, &hb, &dsse.root)] {
        let expected = Expected { signer: Signer::Cert(entry_bundle.material.leaf().unwrap()), content: &content_bundle.content, artifact: &art };
        let e = verify_entry(&entry_bundle.tlog_entries[0], entry_bundle.media_type, &root.tlogs, &expected, &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::TlogBodyMismatch);
    }

    // Rekor v2 hashedrekord: altered digest, signature, verifier.
    for edit in [
        |b: &mut Value| b["spec"]["hashedRekordV002"]["data"]["digest"] = Value::String(b64_encode(&[0; 32])),
        |b: &mut Value| b["spec"]["hashedRekordV002"]["signature"]["content"] = Value::String(b64_encode(b"sig")),
        |b: &mut Value| b["spec"]["hashedRekordV002"]["signature"]["verifier"]["x509Certificate"]["rawBytes"] = Value::String(b64_encode(b"cert")),
    ] {
        let mut c = load("rekor2-happy-path");
        c.edit_body(edit);
        assert_eq!(c.run().unwrap_err().code, Code::TlogBodyMismatch);
    }

    // intoto 0.0.2: payloadType, payload, signature count.
    for edit in [
        |b: &mut Value| b["spec"]["content"]["envelope"]["payloadType"] = Value::String("text/plain".into()),
        |b: &mut Value| b["spec"]["content"]["envelope"]["payload"] = Value::String(b64_encode(b64_encode(b"other").as_bytes())),
        |b: &mut Value| {
            let s = b["spec"]["content"]["envelope"]["signatures"][0].clone();
            b["spec"]["content"]["envelope"]["signatures"].as_array_mut().unwrap().push(s);
        },
        |b: &mut Value| b["spec"]["content"]["payloadHash"]["value"] = Value::String("00".repeat(32)),
    ] {
        let mut c = load("intoto-with-custom-trust-root");
        c.edit_body(edit);
        assert_eq!(c.run().unwrap_err().code, Code::TlogBodyMismatch);
    }
}

/// A Rekor v2 dsse 0.0.2 body, rebuilt from the rekor2-dsse-happy-path bundle (no fixture
/// holds one): it matches, and each altered field is caught.
#[test]
fn dsse_v002_body() {
    let c = load("rekor2-dsse-happy-path");
    let b = Bundle::from_value(&c.bundle).unwrap();
    let Content::Dsse(env) = &b.content else { panic!() };
    let cert = b.material.leaf().unwrap();
    let good = serde_json::json!({
        "payloadHash": {"algorithm": "SHA2_256", "digest": b64_encode(&crate::crypto::sha256(&env.payload))},
        "signatures": [{"content": b64_encode(&env.signatures[0].sig), "verifier": {"x509Certificate": {"rawBytes": b64_encode(cert.der())}, "keyDetails": "PKIX_ECDSA_P256_SHA_256"}}],
    });
    let art_bytes = Artifact::Bytes(&c.artifact);
    let art = Hashed::new(&art_bytes);
    let expected = Expected { signer: Signer::Cert(cert), content: &b.content, artifact: &art };
    let check = |spec: Value| {
        let raw = serde_json::json!({"apiVersion": "0.0.2", "kind": "dsse", "spec": { "dsseV002": spec }}).to_string();
        let body = body::parse(raw.as_bytes(), "dsse", "0.0.2")?;
        assert_eq!(body.kind, body::Kind::DsseV002);
        body::check(&body, &expected)
    };
    check(good.clone()).unwrap();
    let mut bad = good.clone();
    bad["payloadHash"]["digest"] = Value::String(b64_encode(&[1; 32]));
    assert_eq!(check(bad).unwrap_err().code, Code::TlogBodyMismatch);
    let mut bad = good.clone();
    bad["signatures"][0]["content"] = Value::String(b64_encode(b"x"));
    assert_eq!(check(bad).unwrap_err().code, Code::TlogBodyMismatch);
    let mut bad = good.clone();
    bad["signatures"] = Value::Array(Vec::new());
    assert_eq!(check(bad).unwrap_err().code, Code::TlogBodyMismatch);
    let mut bad = good;
    bad["payloadHash"]["algorithm"] = Value::String("MD5".into());
    assert_eq!(check(bad).unwrap_err().code, Code::TlogEntryInvalid);
}

#[test]
fn digest_only_artifacts() {
    let c = load("happy-path-v0.1");
    let sha256 = crate::crypto::HashAlg::Sha256.digest(&c.artifact);
    c.run_with(&Artifact::Digest(crate::crypto::HashAlg::Sha256, sha256)).unwrap();
    let sha512 = crate::crypto::HashAlg::Sha512.digest(&c.artifact);
    let e = c.run_with(&Artifact::Digest(crate::crypto::HashAlg::Sha512, sha512)).unwrap_err();
    assert_eq!(e.code, Code::TlogBodyMismatch);
    assert!(e.context.contains("cannot be compared"), "{e}");
    // Rekor v2 too.
    let c = load("rekor2-happy-path");
    let sha384 = crate::crypto::HashAlg::Sha384.digest(&c.artifact);
    assert_eq!(c.run_with(&Artifact::Digest(crate::crypto::HashAlg::Sha384, sha384)).unwrap_err().code, Code::TlogBodyMismatch);
}

#[test]
fn required_evidence() {
    // v0.1 without SET.
    let mut c = load("happy-path-v0.1");
    c.entry().as_object_mut().unwrap().remove("inclusionPromise");
    assert_eq!(c.run().unwrap_err().code, Code::TlogSetMissing);
    // v0.2/v0.3 without proof (the SET alone is not enough).
    for name in ["happy-path-v0.2", "happy-path-v0.3"] {
        let mut c = load(name);
        c.entry().as_object_mut().unwrap().remove("inclusionProof");
        assert_eq!(c.run().unwrap_err().code, Code::TlogInclusionProofMissing);
    }
    // A proof without a checkpoint is refused, even in v0.1 where the proof is optional.
    let mut c = load("happy-path-v0.1");
    c.entry()["inclusionProof"].as_object_mut().unwrap().remove("checkpoint");
    assert_eq!(c.run().unwrap_err().code, Code::TlogCheckpointInvalid);
    // v0.1 with only a SET still verifies; the proof is checked when present.
    let mut c = load("happy-path-v0.1");
    c.entry().as_object_mut().unwrap().remove("inclusionProof");
    c.run().unwrap();
    // v0.3 with the proof but no SET: passes, but the integrated time is then unvouched for.
    let mut c = load("happy-path-v0.3");
    c.entry().as_object_mut().unwrap().remove("inclusionPromise");
    let v = c.run().unwrap();
    assert_eq!(v.integrated_time, None);
}

#[test]
fn proof_and_checkpoint_mutations() {
    // Rekor v2: the proof index must be the entry's.
    let mut c = load("rekor2-happy-path");
    c.entry()["logIndex"] = Value::String("734".into());
    assert_eq!(c.run().unwrap_err().code, Code::TlogInclusionProofInvalid);
    // An extra hash: wrong length.
    let mut c = load("happy-path-v0.1");
    c.entry()["inclusionProof"]["hashes"].as_array_mut().unwrap().push(Value::String(b64_encode(&[0; 32])));
    assert_eq!(c.run().unwrap_err().code, Code::TlogInclusionProofInvalid);
    // Tree size beyond the checkpoint's.
    let mut c = load("rekor2-happy-path");
    c.edit_checkpoint(|s| s.replacen("\n736\n", "\n737\n", 1));
    assert_eq!(c.run().unwrap_err().code, Code::TlogCheckpointMismatch);
    // Wrong origin (Rekor v1 form on a v2 log).
    let mut c = load("rekor2-happy-path");
    c.edit_checkpoint(|s| s.replacen("log2025-alpha1.rekor.sigstage.dev\n", "log2025-alpha1.rekor.sigstage.dev - 1\n", 1));
    assert_eq!(c.run().unwrap_err().code, Code::TlogCheckpointMismatch);
    // Rekor v1: the origin is bound to the log by the signature only, so another origin is
    // signed text the log's key did not sign.
    let mut c = load("happy-path-v0.1");
    c.edit_checkpoint(|s| s.replacen("rekor.sigstore.dev - 2605736670972794746\n", "rekor.sigstore.dev\n", 1));
    assert_eq!(c.run().unwrap_err().code, Code::TlogCheckpointSignatureInvalid);
    // Text altered after signing (extension line): the signature check fails.
    let mut c = load("happy-path-v0.1");
    c.edit_checkpoint(|s| s.replacen("Timestamp: 1689177396617352539", "Timestamp: 1689177396617352540", 1));
    assert_eq!(c.run().unwrap_err().code, Code::TlogCheckpointSignatureInvalid);
    // A second, bad signature by the log's own key under its own name: refused (a known key's
    // failing signature invalidates the note).
    let mut c = load("happy-path-v0.1");
    c.edit_checkpoint(|s| {
        let line = s.lines().last().unwrap().to_string();
        let mut bad = line.clone();
        bad.replace_range(line.len() - 8.., "AAAAAAAA");
        format!("{s}{bad}\n")
    });
    assert_eq!(c.run().unwrap_err().code, Code::TlogCheckpointSignatureInvalid);
}

/// The body and the checkpoint are parsed once, with the bundle; a parse failure is kept in
/// the typed evidence and raised where the entry's checks always raised it.
#[test]
fn body_and_checkpoint_parsed_once() {
    let c = load("happy-path-v0.1");
    let b = Bundle::from_value(&c.bundle).unwrap();
    let body = b.tlog_entries[0].body.as_ref().unwrap();
    assert_eq!((body.kind, body.kind_name.as_str(), body.version.as_str()), (body::Kind::HashedRekordV001, "hashedrekord", "0.0.1"));
    let Ok(body::Spec::HashedRekordV001 { data_hash: Ok(data_hash), verifier: Ok(verifier), .. }) = &body.spec else { panic!("{:?}", body.spec) };
    assert_eq!(data_hash.alg, crate::crypto::HashAlg::Sha256);
    assert_eq!(data_hash.digest, crate::crypto::HashAlg::Sha256.digest(&c.artifact));
    assert_eq!(*verifier, body::LoggedVerifier::Certificate(b.material.leaf().unwrap().der().to_vec()));
    let cp = b.tlog_entries[0].inclusion_proof.as_ref().unwrap().checkpoint.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(cp.origin, "rekor.sigstore.dev - 2605736670972794746");

    // A wrong kind: the bundle parses; the body holds the failure.
    let mut c = load("happy-path-v0.1");
    c.edit_body(|b| b["kind"] = Value::String("rekord".into()));
    c.entry()["kindVersion"]["kind"] = Value::String("rekord".into());
    let b = Bundle::from_value(&c.bundle).unwrap();
    assert_eq!(b.tlog_entries[0].body.as_ref().unwrap_err().code, Code::TlogKindUnsupported);
    // ... and it is raised after the log is selected: an unknown log still wins.
    c.entry()["logId"]["keyId"] = Value::String(b64_encode(&[7; 32]));
    assert_eq!(c.run().unwrap_err().code, Code::TlogUnknownLog);

    // A malformed spec field: the header parses, the field holds the failure, raised by the
    // body check, after the required evidence (here: a v0.3 entry without its proof).
    let mut c = load("happy-path-v0.3");
    c.edit_body(|b| {
        b["spec"].as_object_mut().unwrap().remove("data");
    });
    let b = Bundle::from_value(&c.bundle).unwrap();
    let Ok(body::Spec::HashedRekordV001 { data_hash, signature, .. }) = &b.tlog_entries[0].body.as_ref().unwrap().spec else { panic!() };
    assert_eq!(data_hash.as_ref().unwrap_err().code, Code::TlogEntryInvalid);
    assert!(signature.is_ok());
    assert_eq!(c.run().unwrap_err().code, Code::TlogEntryInvalid);
    c.entry().as_object_mut().unwrap().remove("inclusionProof");
    assert_eq!(c.run().unwrap_err().code, Code::TlogInclusionProofMissing);
    // Fields fail in schema order: a malformed later field does not hide an earlier mismatch.
    let mut c = load("happy-path-v0.3");
    c.edit_body(|b| {
        b["spec"]["data"]["hash"]["value"] = Value::String("00".repeat(32));
        b["spec"]["signature"].as_object_mut().unwrap().remove("publicKey");
    });
    assert_eq!(c.run().unwrap_err().code, Code::TlogBodyMismatch);

    // A checkpoint with a bad tree-size line: kept as the checkpoint's failure, raised after
    // the Merkle proof (a corrupted proof hash still wins).
    let mut c = load("happy-path-v0.1");
    c.edit_checkpoint(|s| s.replacen("\n23083062\n", "\n023083062\n", 1));
    let b = Bundle::from_value(&c.bundle).unwrap();
    let note = b.tlog_entries[0].inclusion_proof.as_ref().unwrap().checkpoint.as_ref().unwrap();
    assert_eq!(note.as_ref().unwrap_err().code, Code::TlogCheckpointInvalid);
    assert_eq!(c.run().unwrap_err().code, Code::TlogCheckpointInvalid);
    c.entry()["inclusionProof"]["hashes"][0] = Value::String(b64_encode(&[0; 32]));
    assert_eq!(c.run().unwrap_err().code, Code::TlogInclusionProofInvalid);
}

/// The body check compares typed values only: the same parsed body against another bundle's
/// content fails on the first field that differs.
#[test]
fn typed_body_comparison() {
    let c = load("rekor2-happy-path");
    let b = Bundle::from_value(&c.bundle).unwrap();
    let mut body = b.tlog_entries[0].body.clone().unwrap();
    let art_bytes = Artifact::Bytes(&c.artifact);
    let art = Hashed::new(&art_bytes);
    let expected = Expected { signer: Signer::Cert(b.material.leaf().unwrap()), content: &b.content, artifact: &art };
    body::check(&body, &expected).unwrap();
    let Ok(body::Spec::HashedRekordV002 { signature: Ok(signature), .. }) = &mut body.spec else { panic!() };
    signature.push(0);
    assert_eq!(body::check(&body, &expected).unwrap_err().code, Code::TlogBodyMismatch);
    let Ok(body::Spec::HashedRekordV002 { verifier, signature: Ok(signature), .. }) = &mut body.spec else { panic!() };
    signature.pop();
    *verifier = Ok(body::LoggedVerifier::PublicKey(b.material.leaf().unwrap().der().to_vec()));
    assert_eq!(body::check(&body, &expected).unwrap_err().code, Code::TlogBodyMismatch);
}
