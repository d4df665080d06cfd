//! Issue 15, the sealed API at run time (the compile-time half is the `compile_fail` examples in
//! `src/sealed.rs`): a plan finishes only with one passing verdict for each check it listed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

mod common;

use sigstore_verifier::crypto::RustCrypto;
use sigstore_verifier::{Artifact, Bundle, Code, Plan};

fn plan() -> Plan {
    let c = common::case("PATH-happy-path-v0.3");
    let bytes = c.artifact_bytes().unwrap();
    let bundle = Bundle::from_json(&std::fs::read_to_string(&c.bundle).unwrap()).unwrap();
    c.verifier().unwrap().plan(&bundle, &Artifact::Bytes(&bytes), &c.policy().unwrap()).unwrap()
}

#[test]
fn every_listed_check_needs_a_verdict() {
    let n = plan().checks().len();
    assert!(n >= 3, "a Fulcio bundle with a log entry lists several checks, got {n}");
    for verdicts in [Vec::new(), vec![true; n - 1], vec![true; n + 1]] {
        let e = plan().finish_with(&verdicts).unwrap_err();
        assert_eq!(e.code, Code::InputInvalid, "{} verdicts for {n} checks", verdicts.len());
    }
    assert!(plan().finish_with(&vec![true; n]).is_ok());
}

#[test]
fn a_failing_verdict_fails_with_that_checks_code() {
    let p = plan();
    let codes: Vec<Code> = p.checks().iter().map(|c| c.code).collect();
    for i in 0..codes.len() {
        let mut verdicts = vec![true; codes.len()];
        verdicts[i] = false;
        let e = plan().finish_with(&verdicts).unwrap_err();
        assert_eq!(e.code, codes[i], "check {i}");
    }
}

#[test]
fn finish_runs_the_listed_checks() {
    let r = plan().finish(&RustCrypto).unwrap();
    assert_eq!(r.to_json()["verified"], serde_json::Value::Bool(true));
}
