//! `verify-pypi-lock` over pylock.toml and requirements.txt, against real PEP 740 provenance
//! (tests/data/pypi/SOURCE.md) copied into a temporary DIR, offline against the embedded root:
//! verdicts, exit codes, `--json`, and each failure's code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const GCB: &str = "gcb_attestation_test-0.0.0.tar.gz";
const CIRCLE: &str = "circleci_sign_publish_example-0.0.1.dev137-py3-none-any.whl";

fn data(f: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/pypi").join(f)
}

fn sha256(f: &str) -> String {
    use sigstore_verifier::crypto::HashAlg;
    base16ct::lower::encode_string(&HashAlg::Sha256.digest(&std::fs::read(data(f)).unwrap()))
}

/// A fresh folder with the provenance documents of `files`, and a lock file `name` holding `lock`.
fn setup(test: &str, files: &[&str], name: &str, lock: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("pypi-lock-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let docs = dir.join("provenance");
    std::fs::create_dir_all(&docs).unwrap();
    for f in files {
        std::fs::copy(data(&format!("{f}.provenance")), docs.join(format!("{f}.provenance"))).unwrap();
    }
    let lockfile = dir.join(name);
    std::fs::write(&lockfile, lock).unwrap();
    (lockfile, docs)
}

fn cli(lockfile: &Path, docs: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"));
    cmd.arg("verify-pypi-lock").arg(lockfile).arg("--provenance-dir").arg(docs).args(extra).arg("--offline");
    cmd.env("XDG_CACHE_HOME", std::env::temp_dir().join(format!("pypi-lock-cache-{}", std::process::id())));
    let out = cmd.output().unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn pylock(gcb_sha: &str) -> String {
    format!(
        "lock-version = \"1.0\"\ncreated-by = \"test\"\n\n\
         [[packages]]\nname = \"gcb-attestation-test\"\nversion = \"0.0.0\"\n\
         sdist = {{ name = \"{GCB}\", url = \"https://files.example/{GCB}\", hashes = {{ sha256 = \"{gcb_sha}\" }} }}\n\n\
         [[packages]]\nname = \"circleci-sign-publish-example\"\nversion = \"0.0.1.dev137\"\n\
         [[packages.wheels]]\nurl = \"https://files.example/{CIRCLE}\"\nhashes = {{ sha256 = \"{}\" }}\n\n\
         [[packages]]\nname = \"from-git\"\nvcs = {{ type = \"git\", url = \"https://example/x.git\", commit-id = \"abc\" }}\n",
        sha256(CIRCLE)
    )
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn pylock_verifies_every_pinned_file() {
    let (lock, docs) = setup("pylock-ok", &[GCB, CIRCLE], "pylock.toml", &pylock(&sha256(GCB)));
    let (rc, out, err) = cli(&lock, &docs, &[]);
    assert_eq!(rc, 0, "{out}{err}");
    assert!(out.contains(&format!("ok       gcb-attestation-test==0.0.0 {GCB}  Google ")), "{out}");
    assert!(out.contains("CircleCI project fdd9283f"), "{out}");
    assert!(out.contains("2 files: 2 verified, 0 failed, 0 without provenance; 1 lock entries skipped"), "{out}");
    let (rc, out, _) = cli(&lock, &docs, &["--json"]);
    assert_eq!(rc, 0);
    let j = json(&out);
    assert_eq!(j["summary"]["verified"], 2);
    assert_eq!(j["skipped"][0]["reason"], "installed from version control");
    assert_eq!(j["files"][0]["filename"], GCB);
    assert_eq!(j["files"][0]["result"]["attestations"][0]["publisher"]["kind"], "Google");
}

#[test]
fn requirements_verify_the_documents_of_each_pinned_version() {
    let req = format!(
        "# hashes from pip-compile --generate-hashes\ngcb-attestation-test==0.0.0 \\\n    --hash=sha256:{} \\\n    --hash=sha256:{}\nCircleCI_Sign_Publish_Example==0.0.1.dev137 --hash=sha256:{}\n",
        "0".repeat(64),
        sha256(GCB),
        sha256(CIRCLE)
    );
    let (lock, docs) = setup("req-ok", &[GCB, CIRCLE], "requirements.txt", &req);
    let (rc, out, err) = cli(&lock, &docs, &["--json"]);
    assert_eq!(rc, 0, "{out}{err}");
    assert_eq!(json(&out)["summary"]["verified"], 2);
    // The attested digest is not among the hashes a requirement pins.
    let req = format!("gcb-attestation-test==0.0.0 --hash=sha256:{} --hash=sha256:{}\n", "0".repeat(64), "1".repeat(64));
    let (lock, docs) = setup("req-hash", &[GCB], "requirements.txt", &req);
    let (rc, out, _) = cli(&lock, &docs, &[]);
    assert_eq!(rc, 1);
    assert!(out.contains("FAIL     gcb-attestation-test==0.0.0 gcb_attestation_test-0.0.0.tar.gz  PYPI_SUBJECT_MISMATCH: "), "{out}");
}

#[test]
fn failures_have_their_codes() {
    // Another sha256 for the file than the attested one: the core's artifact check.
    let (lock, docs) = setup("wrong-sha", &[GCB, CIRCLE], "pylock.toml", &pylock(&"ab".repeat(32)));
    let (rc, out, _) = cli(&lock, &docs, &["--json"]);
    assert_eq!(rc, 1);
    let j = json(&out);
    assert_eq!(j["files"][0]["error"]["code"], "ARTIFACT_MISMATCH", "{out}");
    assert_eq!(j["files"][1]["verified"], true);
    assert_eq!(j["summary"]["failed"], 1);
    // No document for a pinned file: failed, or listed with --allow-missing.
    let (lock, docs) = setup("missing", &[GCB], "pylock.toml", &pylock(&sha256(GCB)));
    let (rc, out, _) = cli(&lock, &docs, &[]);
    assert_eq!(rc, 1);
    assert!(out.contains(&format!("{CIRCLE}  PYPI_ATTESTATION_MISSING: no {CIRCLE}.provenance in ")), "{out}");
    let (rc, out, _) = cli(&lock, &docs, &["--allow-missing", "--json"]);
    assert_eq!(rc, 0, "{out}");
    assert_eq!(json(&out)["summary"]["missing"], 1);
    let (lock, docs) = setup("req-missing", &[], "requirements.txt", &format!("rfc8785==0.1.2 --hash=sha256:{}\n", sha256(GCB)));
    let (rc, out, _) = cli(&lock, &docs, &[]);
    assert_eq!(rc, 1);
    assert!(out.contains("PYPI_ATTESTATION_MISSING: no provenance document of rfc8785 0.1.2 in "), "{out}");
    // A file the lock names under another project.
    let (lock, docs) = setup("other-project", &[GCB], "pylock.toml", &pylock(&sha256(GCB)).replace("name = \"gcb-attestation-test\"", "name = \"other\""));
    let (rc, out, _) = cli(&lock, &docs, &["--json"]);
    assert_eq!(rc, 1);
    assert_eq!(json(&out)["files"][0]["error"]["code"], "PYPI_FILENAME_INVALID", "{out}");
    // A publisher pin that the attestations do not meet.
    let (lock, docs) = setup("publisher", &[GCB, CIRCLE], "pylock.toml", &pylock(&sha256(GCB)));
    let (rc, out, _) = cli(&lock, &docs, &["--repository", "someone/else", "--json"]);
    assert_eq!(rc, 1);
    assert_eq!(json(&out)["files"][0]["error"]["code"], "PYPI_PUBLISHER_MISMATCH", "{out}");
    // A malformed lock file.
    let (lock, docs) = setup("malformed", &[], "pylock.toml", "lock-version = [");
    let (rc, out, err) = cli(&lock, &docs, &["--json"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: PYPI_DOCUMENT_INVALID: "), "{err}");
    assert_eq!(json(&out)["error"]["code"], "PYPI_DOCUMENT_INVALID");
}

#[test]
fn usage_errors_exit_2() {
    let (lock, docs) = setup("usage", &[], "pylock.toml", "lock-version = \"1.0\"\n");
    assert_eq!(cli(&lock, &docs, &[]).0, 0);
    assert_eq!(cli(&lock, &docs.join("nope"), &[]).0, 2);
    assert_eq!(cli(&lock, &docs, &["--provenance", "x"]).0, 2);
    assert_eq!(cli(&lock, &docs, &["--publisher-kind", "forgejo"]).0, 2);
    let bin = env!("CARGO_BIN_EXE_sigstore-verify");
    assert_eq!(Command::new(bin).args(["verify-pypi-lock", "pylock.toml"]).output().unwrap().status.code(), Some(2));
    let help = Command::new(bin).args(["verify-pypi-lock", "--help"]).output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("DIR/<filename>.provenance"));
}
