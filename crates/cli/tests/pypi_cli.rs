//! `verify-pypi` on real PEP 740 attestations (tests/data/pypi/SOURCE.md), offline against the
//! embedded root: verdicts, exit codes and `--json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use std::process::Command;

use serde_json::Value;

fn cli(args: &[&str]) -> (i32, String, String) {
    let dir = format!("{}/../../tests/data/pypi", env!("CARGO_MANIFEST_DIR"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"));
    cmd.args(args).current_dir(dir).env("XDG_CACHE_HOME", std::env::temp_dir().join(format!("pypi-cli-cache-{}", std::process::id())));
    if !args.contains(&"--help") {
        cmd.arg("--offline");
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

const GH: &str = "pypi_attestations-0.0.19.tar.gz";
const GH_PROV: &str = "pypi_attestations-0.0.19.tar.gz.provenance";

#[test]
fn verify_pypi_provenance_and_attestations() {
    let (rc, out, err) = cli(&["verify-pypi", GH, "--provenance", GH_PROV]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.contains("publisher  GitHub trailofbits/pypi-attestations release.yml"), "{out}");
    let (rc, out, _) = cli(&["verify-pypi", GH, "--provenance", GH_PROV, "--json", "--repository", "trailofbits/pypi-attestations"]);
    assert_eq!(rc, 0);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["verified"], true);
    assert_eq!(j["attestations"][0]["publisher"]["repository"], "trailofbits/pypi-attestations");
    let (rc, _, err) = cli(&[
        "verify-pypi",
        GH,
        "--attestation",
        "pypi_attestations-0.0.19.tar.gz.slsa.attestation",
        "--publisher-kind",
        "github",
        "--repository",
        "trailofbits/pypi-attestations",
        "--workflow",
        "release.yml",
    ]);
    assert_eq!(rc, 0, "{err}");
    let f = "gcb_attestation_test-0.0.0.tar.gz";
    assert_eq!(cli(&["verify-pypi", f, "--provenance", &format!("{f}.provenance")]).0, 0);
}

#[test]
fn verify_pypi_failures() {
    let (rc, out, err) = cli(&["verify-pypi", GH, "--provenance", GH_PROV, "--repository", "someone/else", "--json"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: PYPI_PUBLISHER_MISMATCH: "), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["error"]["code"], "PYPI_PUBLISHER_MISMATCH");
    let (rc, _, err) = cli(&[
        "verify-pypi",
        GH,
        "--provenance",
        GH_PROV,
        "--publisher-kind",
        "github",
        "--repository",
        "trailofbits/pypi-attestations",
        "--workflow",
        "other.yml",
    ]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: PYPI_PUBLISHER_MISMATCH: "), "{err}");
    // Another file under the attested name: the core's artifact check.
    let (rc, _, err) = cli(&["verify-pypi", "rfc8785-0.1.2-py3-none-any.whl", "--provenance", GH_PROV]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: PYPI_SUBJECT_MISMATCH: ") || err.starts_with("error: ARTIFACT_MISMATCH: "), "{err}");
    // A provenance document that is not one.
    let (rc, _, err) = cli(&["verify-pypi", GH, "--provenance", "SOURCE.md"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: PYPI_DOCUMENT_INVALID: "), "{err}");
    // Usage errors.
    for args in [
        &["verify-pypi", GH][..],
        &["verify-pypi", GH, "--provenance", GH_PROV, "--attestation", GH_PROV],
        &["verify-pypi", GH, "--attestation", "pypi_attestations-0.0.19.tar.gz.publish.attestation"],
        &["verify-pypi", GH, "--provenance", GH_PROV, "--publisher-kind", "github", "--repository", "a/b"],
        &["verify-pypi", GH, "--provenance", GH_PROV, "--publisher-kind", "forgejo"],
        &["verify-pypi", GH, "--provenance", "/nonexistent"],
        &["verify-pypi", "--provenance", GH_PROV],
    ] {
        assert_eq!(cli(args).0, 2, "{args:?}");
    }
    let (rc, out, _) = cli(&["verify-pypi", "--help"]);
    assert_eq!(rc, 0);
    assert!(out.contains("--publisher-kind"));
}
