//! Issue 13 through the CLI: thresholds that follow the trusted root, the flags that raise them
//! (and, only with --insecure-lower-thresholds, lower them), and a trusted-root set as JSON
//! lines, on the generated GitHub-instance bundles (tests/data/github) and a conformance bundle.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

#[path = "../../../tests/common.rs"]
mod common;

use std::process::Command;

const GH_ID: &str = "https://github.com/octo-org/private-app/.github/workflows/release.yml@refs/heads/main";
const GH_ISSUER: &str = "https://token.actions.githubusercontent.com";

/// (exit status, stdout, stderr) of verify-bundle on a GitHub-instance bundle.
fn gh(bundle: &str, roots: &str, extra: &[&str]) -> (i32, String, String) {
    let d = common::repo_root().join("tests/data/github");
    let out = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"))
        .arg("verify-bundle")
        .arg("--bundle")
        .arg(d.join(bundle))
        .args(["--certificate-identity", GH_ID, "--certificate-oidc-issuer", GH_ISSUER, "--trusted-root"])
        .arg(d.join(roots))
        .args(extra)
        .arg(d.join("my-app-1.0.0.txt"))
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn github_instance_needs_a_timestamp_not_a_log_entry() {
    for roots in ["trusted_root.json", "trusted_roots.jsonl"] {
        let (rc, out, err) = gh("happy-path.sigstore.json", roots, &["--json"]);
        assert_eq!(rc, 0, "{roots}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let t = &v["thresholds"];
        assert_eq!(t["required"]["tlogEntries"], 0, "{t}");
        assert_eq!(t["required"]["signedTimestamps"], 1, "{t}");
        assert_eq!(t["required"]["sct"], false, "{t}");
        assert_eq!(t["verified"]["signedTimestamps"], 1, "{t}");
    }
    let (rc, _, err) = gh("no-timestamp_fail.sigstore.json", "trusted_roots.jsonl", &[]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TIMESTAMP_THRESHOLD_NOT_MET"), "{err}");
}

#[test]
fn raised_thresholds_are_enforced() {
    let (rc, _, err) = gh("happy-path.sigstore.json", "trusted_roots.jsonl", &["--tlog-threshold", "1"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TLOG_THRESHOLD_NOT_MET"), "{err}");
    let (rc, _, err) = gh("happy-path.sigstore.json", "trusted_roots.jsonl", &["--timestamp-threshold=2"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: TIMESTAMP_THRESHOLD_NOT_MET"), "{err}");
    // The GitHub instance has no CT log: an SCT cannot be had.
    let (rc, _, err) = gh("happy-path.sigstore.json", "trusted_root.json", &["--require-sct"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: SCT_"), "{err}");
}

#[test]
fn lowering_a_threshold_is_named_unsafe() {
    let (rc, _, err) = gh("happy-path.sigstore.json", "trusted_root.json", &["--timestamp-threshold", "0"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: CONFIG_UNSAFE"), "{err}");
    let (rc, out, err) = gh("no-timestamp_fail.sigstore.json", "trusted_root.json", &["--timestamp-threshold", "0", "--insecure-lower-thresholds", "--json"]);
    // Without any verified time the certificate cannot be checked at a time: still rejected.
    assert_eq!(rc, 1, "{out}{err}");
    assert!(err.contains("THRESHOLD_NOT_MET"), "{err}");
    let (rc, _, err) = gh("happy-path.sigstore.json", "trusted_root.json", &["--tlog-threshold", "many"]);
    assert_eq!(rc, 2, "{err}");
}

/// A public-good bundle through the same JSON-lines set picks the public-good root, with its
/// own thresholds (a log entry and an SCT).
#[test]
fn a_set_picks_each_bundles_instance() {
    let c = common::case("PATH-happy-path-v0.3");
    let out = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"))
        .arg("verify-bundle")
        .arg("--bundle")
        .arg(&c.bundle)
        .arg("--certificate-identity")
        .arg(c.identity.as_deref().unwrap())
        .arg("--certificate-oidc-issuer")
        .arg(c.issuer.as_deref().unwrap())
        .arg("--trusted-root")
        .arg(common::repo_root().join("tests/data/github/trusted_roots.jsonl"))
        .arg("--json")
        .arg(c.artifact.as_ref().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["thresholds"]["required"]["tlogEntries"], 1);
    assert_eq!(v["thresholds"]["required"]["sct"], true);
    assert_eq!(v["thresholds"]["verified"]["sct"], true);
    let (rc, _, err) = gh("public-good-leaf_fail.sigstore.json", "trusted_roots.jsonl", &[]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: CERT_CHAIN_UNTRUSTED"), "{err}");
}

/// verify-attestation on a private repository's attestation (GitHub's instance: timestamps, no
/// log), with the set of trusted roots `gh attestation trusted-root` prints.
#[test]
fn private_repository_attestation() {
    let d = common::repo_root().join("tests/data/github");
    let run = |bundle: &str, extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"))
            .arg("verify-attestation")
            .arg("--bundle")
            .arg(d.join(bundle))
            .arg("--trusted-root")
            .arg(d.join("trusted_roots.jsonl"))
            .args(extra)
            .arg(d.join("my-app-1.0.0.txt"))
            .output()
            .unwrap();
        (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (rc, out, err) = run("happy-path.sigstore.json", &["--repo", "octo-org/private-app", "--json"]);
    assert_eq!(rc, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verified"][0]["signer"]["repository"], "octo-org/private-app", "{v}");
    let (rc, _, err) = run("self-hosted-runner.sigstore.json", &["--owner", "octo-org", "--deny-self-hosted-runners"]);
    assert_eq!(rc, 1);
    assert!(err.contains("ATTEST_SELF_HOSTED_RUNNER"), "{err}");
    let (rc, _, err) = run("no-timestamp_fail.sigstore.json", &["--owner", "octo-org"]);
    assert_eq!(rc, 1);
    assert!(err.contains("TIMESTAMP_THRESHOLD_NOT_MET"), "{err}");
    let (rc, _, err) = run("happy-path.sigstore.json", &["--owner", "octo-org", "--tlog-threshold", "1"]);
    assert_eq!(rc, 1);
    assert!(err.contains("TLOG_THRESHOLD_NOT_MET"), "{err}");
}
