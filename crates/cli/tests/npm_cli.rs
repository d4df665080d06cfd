//! The `verify-npm` / `verify-npm-lock` commands on real registry data (tests/data/npm/SOURCE.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/npm")
}

fn json_of(file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir().join(file)).unwrap()).unwrap()
}

const SIGSTORE_INTEGRITY: &str = "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==";
const NEW_KEY: &str = "SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U";

/// Run the CLI offline (no TUF update: the embedded trusted root, keys from the given files).
fn cli(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"));
    cmd.args(args).current_dir(dir()).env("XDG_CACHE_HOME", std::env::temp_dir().join(format!("npm-cli-cache-{}", std::process::id())));
    if args.first().is_some_and(|a| a.starts_with("verify-")) && !args.contains(&"--help") {
        cmd.arg("--offline");
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn cli_verify_npm() {
    let (rc, out, _) = cli(&[
        "verify-npm",
        "sigstore@1.0.0",
        "--keys",
        "keys.json",
        "--attestations",
        "sigstore@1.0.0.attestations.json",
        "--packument",
        "sigstore@1.0.0.packument.json",
        "--integrity",
        SIGSTORE_INTEGRITY,
    ]);
    assert_eq!(rc, 0);
    assert!(out.contains("source     https://github.com/sigstore/sigstore-js @ 06528997c3c8ab9f864fad9a3658446aca7fd86d"), "{out}");
    assert!(out.contains("registry signature verified"), "{out}");

    let (rc, out, _) = cli(&[
        "verify-npm",
        "@playwright/cli@0.1.1",
        "--keys=keys.json",
        "--attestations",
        "@playwright%2fcli@0.1.1.attestations.json",
        "--tarball",
        "@playwright%2fcli@0.1.1.tgz",
        "--json",
    ]);
    assert_eq!(rc, 0);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["provenance"]["sourceRepository"], "https://github.com/microsoft/playwright-cli");
    assert_eq!(j["publish"]["keyid"], NEW_KEY);

    // Not verified: exit 1 with the code on stderr (and in the JSON).
    let (rc, out, err) = cli(&[
        "verify-npm",
        "sigstore@1.0.0",
        "--keys",
        "keys.json",
        "--attestations",
        "sigstore@1.0.0.attestations.json",
        "--integrity",
        SIGSTORE_INTEGRITY,
        "--repository",
        "npm/cli",
        "--json",
    ]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: IDENTITY_MISMATCH: "), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["error"]["code"], "IDENTITY_MISMATCH");
    let (rc, _, err) =
        cli(&["verify-npm", "tuf-js@1.0.0", "--keys", "keys.json", "--attestations", "sigstore@1.0.0.attestations.json", "--integrity", SIGSTORE_INTEGRITY]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: NPM_SUBJECT_MISMATCH: "), "{err}");
    let (rc, _, err) =
        cli(&["verify-npm", "sigstore@1.0.0", "--keys", "keys.json", "--attestations", "sigstore@1.0.0.attestations.json", "--integrity", "sha512-nope"]);
    assert_eq!(rc, 1, "{err}");

    // Usage errors: exit 2.
    for args in [
        &["verify-npm", "sigstore", "--keys", "keys.json", "--integrity", SIGSTORE_INTEGRITY][..],
        &["verify-npm", "sigstore@1.0.0", "--keys", "keys.json"],
        &["verify-npm", "sigstore@1.0.0", "--keys", "keys.json", "--integrity", SIGSTORE_INTEGRITY, "--tarball", "x.tgz"],
        &["verify-npm", "sigstore@1.0.0", "--keys", "missing.json", "--integrity", SIGSTORE_INTEGRITY],
        &["verify-npm", "sigstore@1.0.0", "--keys", "keys.json", "--integrity", SIGSTORE_INTEGRITY, "--bogus"],
        &["verify-npm", "sigstore@1.0.0", "--keys", "keys.json", "--integrity", SIGSTORE_INTEGRITY, "--certificate-identity-regexp", ".*"],
        &["verify-npm", "sigstore@1.0.0", "--keys", "keys.json", "--integrity", SIGSTORE_INTEGRITY, "--repository", "nope"],
    ] {
        assert_eq!(cli(args).0, 2, "{args:?}");
    }
    // Without --keys the keys come from TUF; offline with no cache there are none.
    let (rc, _, err) = cli(&["verify-npm", "sigstore@1.0.0", "--integrity", SIGSTORE_INTEGRITY]);
    assert_eq!(rc, 1, "{err}");
    assert!(err.starts_with("error: TUF_TARGET_NOT_FOUND: no registry keys"), "{err}");
    let (rc, out, _) = cli(&["verify-npm", "--help"]);
    assert_eq!(rc, 0);
    assert!(out.contains("verify-npm-lock package-lock.json --docs DIR"));
    assert!(cli(&["--help"]).1.contains("verify-npm NAME@VERSION"));
}

#[test]
fn cli_verify_npm_lock() {
    let (rc, out, err) = cli(&["verify-npm-lock", "package-lock.json", "--docs", "."]);
    assert_eq!(rc, 0, "{out}{err}");
    assert!(out.contains("ok    @playwright/cli@0.1.1  provenance https://github.com/microsoft/playwright-cli @ d1c6d1113932"), "{out}");
    assert!(out.contains("ok    sigstore@1.0.0  provenance https://github.com/sigstore/sigstore-js @ 06528997c3c8 (.github/workflows/publish.yml), publish attestation, registry signature"), "{out}");
    assert!(out.ends_with("5 packages: 5 verified (5 with provenance), 0 failed; 3 lock entries skipped\n"), "{out}");

    // A copy of the documents with one tampered tarball integrity and one package without
    // documents: both fail, exit 1, JSON summary.
    let tmp = std::env::temp_dir().join(format!("npm-lock-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for e in std::fs::read_dir(dir()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, tmp.join(p.file_name().unwrap())).unwrap();
    }
    let mut lock = json_of("package-lock.json");
    lock["packages"]["node_modules/gundam-visor"]["integrity"] = json!(SIGSTORE_INTEGRITY);
    lock["packages"]["node_modules/left-pad"] = json!({ "version": "1.3.0", "integrity": SIGSTORE_INTEGRITY });
    std::fs::write(tmp.join("package-lock.json"), lock.to_string()).unwrap();
    let (rc, out, _) = cli(&["verify-npm-lock", tmp.join("package-lock.json").to_str().unwrap(), "--docs", tmp.to_str().unwrap()]);
    assert_eq!(rc, 1);
    assert!(out.contains("FAIL  gundam-visor@1.0.1  ARTIFACT_MISMATCH: "), "{out}");
    assert!(out.contains("FAIL  left-pad@1.3.0  NPM_ATTESTATION_MISSING: "), "{out}");
    assert!(out.contains("6 packages: 4 verified (4 with provenance), 2 failed"), "{out}");
    let (rc, out, _) = cli(&["verify-npm-lock", tmp.join("package-lock.json").to_str().unwrap(), "--docs", tmp.to_str().unwrap(), "--json"]);
    assert_eq!(rc, 1);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["summary"], json!({ "packages": 6, "verified": 4, "withProvenance": 4, "failed": 2, "skipped": 3 }));
    // --require-attestations and a missing docs dir.
    assert_eq!(cli(&["verify-npm-lock", "package-lock.json", "--docs", ".", "--require-attestations"]).0, 0);
    assert_eq!(cli(&["verify-npm-lock", "package-lock.json", "--docs", "/nonexistent"]).0, 2);
    assert_eq!(cli(&["verify-npm-lock", "package-lock.json"]).0, 2);
    std::fs::write(tmp.join("bad-lock.json"), "{").unwrap();
    assert_eq!(cli(&["verify-npm-lock", tmp.join("bad-lock.json").to_str().unwrap(), "--docs", "."]).0, 1);
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// `--jobs N` verifies N packages at a time; what it prints (text and JSON) and its exit status
/// are those of `--jobs 1`, in lock order, whatever N.
#[test]
fn cli_verify_npm_lock_jobs() {
    let tmp = std::env::temp_dir().join(format!("npm-lock-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for e in std::fs::read_dir(dir()).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, tmp.join(p.file_name().unwrap())).unwrap();
    }
    // The five attested packages, two with registry signatures only (no attestations), one
    // with a tampered integrity and two without any document: nine packages, pass and fail mixed.
    let mut lock = json_of("package-lock.json");
    let packs = lock["packages"].as_object_mut().unwrap();
    for (name, file) in [("kms-demo", "kms-demo@1.0.0.packument.json"), ("@npmcli/arborist", "@npmcli%2farborist@1.0.14.packument.json")] {
        let doc = json_of(file);
        packs.insert(format!("node_modules/{name}"), json!({ "version": doc["version"], "integrity": doc["dist"]["integrity"] }));
    }
    packs["node_modules/gundam-visor"]["integrity"] = json!(SIGSTORE_INTEGRITY);
    packs.insert("node_modules/left-pad".into(), json!({ "version": "1.3.0", "integrity": SIGSTORE_INTEGRITY }));
    packs.insert("node_modules/a/node_modules/zzz".into(), json!({ "version": "0.0.1", "integrity": SIGSTORE_INTEGRITY }));
    let lockfile = tmp.join("package-lock.json");
    std::fs::write(&lockfile, lock.to_string()).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["verify-npm-lock", lockfile.to_str().unwrap(), "--docs", tmp.to_str().unwrap()];
        args.extend_from_slice(extra);
        cli(&args)
    };
    let one = run(&["--jobs", "1"]);
    assert_eq!(one.0, 1, "{}{}", one.1, one.2);
    assert!(one.1.contains("FAIL  gundam-visor@1.0.1  ARTIFACT_MISMATCH: "), "{}", one.1);
    assert!(one.1.contains("FAIL  zzz@0.0.1  NPM_ATTESTATION_MISSING: "), "{}", one.1);
    assert!(one.1.contains("\n9 packages: "), "{}", one.1);
    assert_eq!(run(&["--jobs", "4"]), one);
    assert_eq!(run(&["--jobs=3"]), one);
    assert_eq!(run(&[]), one);
    let json_one = run(&["--jobs", "1", "--json"]);
    assert_eq!(json_one.0, 1);
    assert_eq!(run(&["--jobs", "4", "--json"]), json_one);
    // An unreadable document (here a directory) is a usage error after the lines before it.
    std::fs::create_dir_all(tmp.join("left-pad@1.3.0.attestations.json")).unwrap();
    let one = run(&["--jobs", "1"]);
    assert_eq!(one.0, 2, "{}{}", one.1, one.2);
    assert_eq!(run(&["--jobs", "4"]), one);
    for bad in [&["--jobs", "0"][..], &["--jobs", "x"], &["--jobs", "1", "--jobs", "2"], &["--jobs"]] {
        assert_eq!(run(bad).0, 2, "{bad:?}");
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}
