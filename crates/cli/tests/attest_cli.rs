//! `verify-attestation` on real public-good bundles signed by GitHub Actions workflows (the
//! sigstore-conformance beacon's SLSA v1 attestation, npm provenance), offline against the
//! embedded root: each policy flag accepted and refused, the three input forms, the artifact as
//! a file or a digest, exit statuses and `--json`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

const CONF: &str = "conformance/bundle-verify";
const DSSE: &str = "conformance/bundle-verify/happy-path-intoto-in-dsse-v3/bundle.sigstore.json";
const MSG: &str = "conformance/bundle-verify/happy-path-v0.3/bundle.sigstore.json";
const REPO: &str = "sigstore-conformance/extremely-dangerous-public-oidc-beacon";
const WORKFLOW: &str = "sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml";
const SHA: &str = "82a3bfe6dd50fe9c71d6315eae66da15307856cf";
const A_TXT_SHA256: &str = "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf";

fn data_dir() -> PathBuf {
    PathBuf::from(format!("{}/../../tests/data", env!("CARGO_MANIFEST_DIR")))
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"));
    cmd.arg("verify-attestation").args(args).current_dir(data_dir()).env("XDG_CACHE_HOME", scratch("cache"));
    if !args.contains(&"--help") {
        cmd.arg("--offline");
    }
    let out = cmd.output().unwrap();
    (out.status.code().unwrap(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A directory of this test binary's own under target/tmp.
fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("attest-cli-{}", std::process::id())).join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(name: &str, text: &str) -> String {
    let p = scratch("inputs").join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

fn json_of(f: &str) -> Value {
    serde_json::from_slice(&std::fs::read(data_dir().join(f)).unwrap()).unwrap()
}

fn npm_provenance(name: &str) -> Value {
    let doc = json_of(&format!("npm/{name}.attestations.json"));
    doc["attestations"].as_array().unwrap().iter().find(|a| a["predicateType"] == "https://slsa.dev/provenance/v1").unwrap()["bundle"].clone()
}

/// The beacon attestation against a.txt with `extra` flags: (exit status, the one failure's code).
fn beacon(extra: &[&str]) -> (i32, Option<String>) {
    let mut args = vec!["--bundle", DSSE, "--json"];
    args.extend_from_slice(extra);
    args.push(A_TXT_SHA256);
    let (rc, out, err) = cli(&args);
    if rc == 2 {
        return (2, None);
    }
    let j: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (rc, j["failed"][0]["code"].as_str().map(String::from))
}

#[test]
fn a_bundle_verifies_against_a_file_or_a_digest() {
    let a_txt = format!("{CONF}/a.txt");
    let (rc, out, err) = cli(&["--bundle", DSSE, "--repo", REPO, &a_txt]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.starts_with(&format!("1 of 1 attestation(s) of {A_TXT_SHA256} verified")), "{out}");
    assert!(out.contains(&format!("repository  {REPO} refs/heads/main @ {SHA}")), "{out}");
    let (rc, out, _) = cli(&["--bundle", DSSE, "--owner", "sigstore-conformance", "--json", A_TXT_SHA256]);
    assert_eq!(rc, 0);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["form"], "bundle");
    assert_eq!(j["failed"], json!([]));
    let v = &j["verified"][0];
    assert_eq!(v["index"], 0);
    assert_eq!(v["predicateType"], "https://slsa.dev/provenance/v1");
    assert_eq!(v["signer"]["repository"], REPO);
    assert_eq!(v["signer"]["sourceDigest"], SHA);
    assert_eq!(v["signer"]["runnerEnvironment"], "github-hosted");
    assert_eq!(v["statement"]["subject"][0]["name"], "a.txt");
    assert_eq!(v["trust"]["source"], "embedded");
    // Another file: its sha256 is no subject of the statement.
    let (rc, _, err) = cli(&["--bundle", DSSE, "--repo", REPO, &format!("{CONF}/README.md")]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: ATTEST_NONE_VERIFIED: none of 1 attestation(s) verified; [0]: ARTIFACT_MISMATCH: "), "{err}");
}

#[test]
fn each_policy_flag_accepts_and_refuses() {
    let wf_wrong = format!("{REPO}/.github/workflows/release.yml");
    let id = format!("https://github.com/{WORKFLOW}@refs/heads/main");
    let zeros = "0".repeat(40);
    let cases: &[(&[&str], Option<&str>)] = &[
        (&["--repo", REPO], None),
        (&["--repo", "sigstore-conformance/other"], Some("ATTEST_REPO_MISMATCH")),
        (&["--owner", "SIGSTORE-conformance"], None),
        (&["--owner", "sigstore"], Some("ATTEST_OWNER_MISMATCH")),
        (&["--repo", REPO, "--signer-workflow", WORKFLOW], None),
        (&["--repo", REPO, "--signer-workflow", &format!("github.com/{WORKFLOW}")], None),
        (&["--repo", REPO, "--signer-workflow", &wf_wrong], Some("ATTEST_SIGNER_MISMATCH")),
        (&["--owner", "sigstore-conformance", "--signer-repo", REPO], None),
        (&["--owner", "sigstore-conformance", "--signer-repo", "actions/attest-build-provenance"], Some("ATTEST_SIGNER_MISMATCH")),
        (&["--repo", REPO, "--cert-identity", &id], None),
        (&["--repo", REPO, "--cert-identity", "https://github.com/x/y/.github/workflows/z.yml@refs/heads/main"], Some("ATTEST_SIGNER_MISMATCH")),
        (&["--repo", REPO, "--cert-identity-regex", "refs/heads/main$"], None),
        (&["--repo", REPO, "--cert-identity-regex", "refs/tags/"], Some("ATTEST_SIGNER_MISMATCH")),
        (&["--repo", REPO, "--source-ref", "refs/heads/main"], None),
        (&["--repo", REPO, "--source-ref", "refs/heads/main2"], Some("ATTEST_SOURCE_REF_MISMATCH")),
        (&["--repo", REPO, "--source-digest", SHA], None),
        (&["--repo", REPO, "--source-digest", &zeros], Some("ATTEST_SOURCE_DIGEST_MISMATCH")),
        (&["--repo", REPO, "--signer-digest", SHA], None),
        (&["--repo", REPO, "--signer-digest", &zeros], Some("ATTEST_SIGNER_DIGEST_MISMATCH")),
        (&["--repo", REPO, "--cert-oidc-issuer", "https://token.actions.githubusercontent.com"], None),
        (&["--repo", REPO, "--cert-oidc-issuer", "https://token.actions.octo.ghe.com"], Some("ATTEST_ISSUER_MISMATCH")),
        (&["--repo", REPO, "--predicate-type", "https://slsa.dev/provenance/v1"], None),
        (&["--repo", REPO, "--predicate-type", "https://in-toto.io/attestation/release/v0.1"], Some("ATTEST_PREDICATE_MISMATCH")),
        // The beacon ran on a GitHub-hosted runner (the refusal is in crates/attest's tests).
        (&["--repo", REPO, "--deny-self-hosted-runners"], None),
    ];
    for (flags, want) in cases {
        let (rc, code) = beacon(flags);
        assert_eq!(code.as_deref(), *want, "{flags:?}");
        assert_eq!(rc, if want.is_some() { 1 } else { 0 }, "{flags:?}");
    }
}

#[test]
fn npm_provenance_with_a_sha512_digest() {
    let p = write("gundam.json", &npm_provenance("gundam-visor@1.0.1").to_string());
    let tgz = "npm/gundam-visor@1.0.1.tgz";
    let wf = "ramonpetgrave64/gundam-visor/.github/workflows/npm-publish.yml";
    let (rc, _, err) = cli(&[
        "--bundle",
        &p,
        "--repo",
        "ramonpetgrave64/gundam-visor",
        "--signer-workflow",
        wf,
        "--source-ref",
        "refs/tags/v1.0.1",
        "--digest-alg",
        "sha512",
        tgz,
    ]);
    assert_eq!(rc, 0, "{err}");
    // By default the file is hashed with sha256, which no subject of npm provenance carries.
    let (rc, _, err) = cli(&["--bundle", &p, "--repo", "ramonpetgrave64/gundam-visor", tgz]);
    assert_eq!(rc, 1);
    assert!(err.contains("ARTIFACT_MISMATCH"), "{err}");
}

#[test]
fn json_lines_and_rest_responses() {
    let dsse = json_of(DSSE);
    let msg = json_of(MSG);
    let npm = npm_provenance("@playwright%2fcli@0.1.1");
    let lines = write("bundles.jsonl", &format!("{msg}\n{npm}\n\n{dsse}\n"));
    let (rc, out, err) = cli(&["--bundle", &lines, "--repo", REPO, "--json", A_TXT_SHA256]);
    assert_eq!(rc, 0, "{err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["form"], "jsonLines");
    assert_eq!(j["verified"].as_array().unwrap().len(), 1);
    assert_eq!(j["verified"][0]["index"], 2);
    assert_eq!(j["failed"][0]["code"], "ATTEST_STATEMENT_MISSING");
    assert_eq!(j["failed"][1]["code"], "ARTIFACT_MISMATCH");
    assert!(j.get("error").is_none());

    let rest =
        write("rest.json", &json!({ "attestations": [ { "bundle": npm, "repository_id": 1 }, { "bundle": dsse, "repository_id": 632596897 } ] }).to_string());
    let (rc, out, _) = cli(&["--bundle", &rest, "--repo", REPO, A_TXT_SHA256]);
    assert_eq!(rc, 0);
    assert!(out.starts_with("1 of 2 attestation(s)"), "{out}");
    assert!(out.contains("[0] not verified: ARTIFACT_MISMATCH: "), "{out}");
    // Nothing verifies: every reason in the JSON, exit 1.
    let (rc, out, err) = cli(&["--bundle", &rest, "--repo", "microsoft/playwright-cli", "--json", A_TXT_SHA256]);
    assert_eq!(rc, 1);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["verified"], json!([]));
    assert_eq!(j["failed"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect::<Vec<_>>(), ["ARTIFACT_MISMATCH", "ATTEST_OWNER_MISMATCH"]);
    assert_eq!(j["error"]["code"], "ATTEST_NONE_VERIFIED");
    assert!(err.starts_with("error: ATTEST_NONE_VERIFIED: "), "{err}");
}

#[test]
fn malformed_inputs_and_usage_errors() {
    let bad = write("bad.json", "this is not json");
    let (rc, out, err) = cli(&["--bundle", &bad, "--repo", REPO, "--json", A_TXT_SHA256]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: ATTEST_DOCUMENT_INVALID: "), "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["error"]["code"], "ATTEST_DOCUMENT_INVALID");
    let (rc, _, err) = cli(&["--bundle", DSSE, "--repo", REPO, "sha256:00"]);
    assert_eq!(rc, 1);
    assert!(err.starts_with("error: INPUT_INVALID: "), "{err}");
    for args in [
        &["--bundle", DSSE, A_TXT_SHA256][..],
        &["--bundle", DSSE, "--owner", "a", "--repo", REPO, A_TXT_SHA256],
        &["--bundle", DSSE, "--repo", "no-slash", A_TXT_SHA256],
        &["--bundle", DSSE, "--repo", REPO, "--signer-repo", REPO, "--signer-workflow", WORKFLOW, A_TXT_SHA256],
        &["--bundle", DSSE, "--repo", REPO, "--signer-workflow", "a/b/(", A_TXT_SHA256],
        &["--bundle", DSSE, "--repo", REPO, "--digest-alg", "md5", A_TXT_SHA256],
        &["--bundle", DSSE, "--repo", REPO, "--frobnicate", A_TXT_SHA256],
        &["--bundle", DSSE, "--repo", REPO],
        &["--repo", REPO, A_TXT_SHA256],
        &["--bundle", "/nonexistent", "--repo", REPO, A_TXT_SHA256],
        &["--bundle", DSSE, "--repo", REPO, "/nonexistent"],
        &["--bundle", DSSE, "--repo", REPO, "--trusted-root", "/nonexistent", A_TXT_SHA256],
    ] {
        assert_eq!(cli(args).0, 2, "{args:?}");
    }
    let (rc, out, _) = cli(&["--help"]);
    assert_eq!(rc, 0);
    assert!(out.contains("--deny-self-hosted-runners") && out.contains("--instance github"));
}

#[test]
fn a_trusted_root_file() {
    let root = "conformance/trusted_roots/production.json";
    let (rc, out, err) = cli(&["--bundle", DSSE, "--repo", REPO, "--trusted-root", root, "--json", A_TXT_SHA256]);
    assert_eq!(rc, 0, "{err}");
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["verified"][0]["trust"]["source"], "given");
}
