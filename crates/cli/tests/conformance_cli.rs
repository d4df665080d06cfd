//! All 140 entries of the Sigstore conformance suite (tests/data/conformance/cases.json) through
//! the `sigstore-verify` binary, and its exit codes. No entry is skipped or special-cased.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

#[path = "../../../tests/common.rs"]
mod common;

use std::process::Command;

#[test]
fn conformance_through_cli() {
    let cli = env!("CARGO_BIN_EXE_sigstore-verify");
    let cases = common::cases();
    let codes = common::expected_codes();
    let mut wrong = Vec::new();
    // Without --trusted-root the CLI uses TUF: keep its cache out of the user's home. With no
    // network here it warns once per run and uses the embedded root.
    let cache = std::env::temp_dir().join(format!("cli-conformance-cache-{}", std::process::id()));
    for c in &cases {
        let mut cmd = Command::new(cli);
        cmd.env("XDG_CACHE_HOME", &cache);
        cmd.arg("verify-bundle").arg("--bundle").arg(&c.bundle);
        match &c.key {
            Some(k) => {
                cmd.arg("--key").arg(k);
            }
            None => {
                cmd.arg("--certificate-identity").arg(c.identity.as_deref().unwrap_or(common::NO_IDENTITY));
                cmd.arg("--certificate-oidc-issuer").arg(c.issuer.as_deref().unwrap_or(common::NO_IDENTITY));
            }
        }
        if let Some(t) = &c.trusted_root {
            cmd.arg("--trusted-root").arg(t);
        }
        match (&c.artifact_digest, &c.artifact) {
            (Some(d), _) => cmd.arg(d),
            (None, Some(p)) => cmd.arg(p),
            _ => unreachable!(),
        };
        let out = cmd.output().unwrap();
        let code = out.status.code();
        let want = if c.expect_pass { 0 } else { 1 };
        let stderr = String::from_utf8_lossy(&out.stderr);
        if code != Some(want) {
            wrong.push(format!("{}: expected exit {want}, got {code:?}: {}", c.id, stderr.trim()));
        }
        if !c.expect_pass {
            let line = stderr.lines().last().unwrap_or("");
            let code_part = line.strip_prefix("error: ").and_then(|l| l.split(':').next()).unwrap_or("");
            if codes.get(&c.id).map(String::as_str) != Some(code_part) {
                wrong.push(format!("{}: expected `error: {:?}: ...`, got {line}", c.id, codes.get(&c.id)));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&cache);
    println!("{} passed, {} failed", cases.len() - wrong.len(), wrong.len());
    assert!(wrong.is_empty(), "wrong CLI results:\n{}", wrong.join("\n"));
}

/// Usage errors exit 2; `--help` exits 0 and documents every flag; failures print one line
/// `error: CODE: ...`.
#[test]
fn cli_exit_codes() {
    let cli = env!("CARGO_BIN_EXE_sigstore-verify");
    let c = common::case("PATH-happy-path-v0.3");
    let run = |args: &[&str]| Command::new(cli).args(args).output().unwrap();
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--bundle",
        "--certificate-identity",
        "--certificate-identity-regexp",
        "--certificate-oidc-issuer",
        "--certificate-oidc-issuer-regexp",
        "--key",
        "--trusted-root",
        "--json",
        "--instance",
        "--tuf-url",
        "--tuf-root",
        "--tuf-cache",
        "--offline",
        "--require-fresh-trust",
        "--insecure-tuf-time",
    ] {
        assert!(text.contains(flag), "--help does not mention {flag}");
    }
    let bundle = c.bundle.to_str().unwrap();
    let artifact = c.artifact.as_ref().unwrap().to_str().unwrap();
    let id = c.identity.as_deref().unwrap();
    let iss = c.issuer.as_deref().unwrap();
    assert_eq!(run(&["verify-bundle", "--bundle", bundle, "--bogus", artifact]).status.code(), Some(2));
    assert_eq!(
        run(&["verify-bundle", "--bundle", "/nonexistent", "--certificate-identity", id, "--certificate-oidc-issuer", iss, artifact]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["verify-bundle", "--bundle", bundle, "--certificate-identity", id, artifact]).status.code(), Some(2));
    assert_eq!(
        run(&["verify-bundle", "--bundle", bundle, "--certificate-identity-regexp", "(", "--certificate-oidc-issuer", iss, artifact]).status.code(),
        Some(2)
    );
    let ok = run(&["verify-bundle", "--bundle", bundle, "--certificate-identity", id, "--certificate-oidc-issuer", iss, "--json", artifact]);
    assert_eq!(ok.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(json["verified"], true);
    assert_eq!(json["signer"]["identity"], id);
    let bad = run(&[
        "verify-bundle",
        "--bundle",
        bundle,
        "--certificate-identity",
        "someone@else",
        "--certificate-oidc-issuer",
        iss,
        "--json",
        "--offline",
        artifact,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(json["error"]["code"], "IDENTITY_MISMATCH");
    assert_eq!(json["error"]["step"], "policy");
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.starts_with("error: IDENTITY_MISMATCH: "), "{stderr}");
}

/// A document that is not UTF-8 is malformed input (exit 1 with the document's code), not a
/// usage error: only an unreadable file is.
#[test]
fn cli_non_utf8_documents() {
    let cli = env!("CARGO_BIN_EXE_sigstore-verify");
    let c = common::case("PATH-happy-path-v0.3");
    let dir = std::env::temp_dir().join(format!("cli-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bad = std::fs::read(&c.bundle).unwrap();
    bad.insert(1, 0xff);
    let bad_path = dir.join("bundle.json");
    std::fs::write(&bad_path, &bad).unwrap();
    let root_path = dir.join("root.json");
    std::fs::write(&root_path, [b'{', 0xc3, b'}']).unwrap();
    let (id, iss) = (c.identity.as_deref().unwrap(), c.issuer.as_deref().unwrap());
    let artifact = c.artifact.as_ref().unwrap().to_str().unwrap();
    let run = |bundle: &std::path::Path, root: Option<&std::path::Path>| {
        let mut cmd = Command::new(cli);
        cmd.args(["verify-bundle", "--bundle"]).arg(bundle).args(["--certificate-identity", id, "--certificate-oidc-issuer", iss]);
        match root {
            Some(r) => cmd.arg("--trusted-root").arg(r),
            None => cmd.arg("--offline"),
        };
        let out = cmd.arg(artifact).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, err) = run(&bad_path, None);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("error: BUNDLE_PARSE: the bundle is not UTF-8 text"), "{err}");
    let (code, err) = run(&c.bundle, Some(&root_path));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("error: TRUST_ROOT_INVALID: "), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A bundle or trusted root over its size limit is refused from its metadata, before it is read:
/// exit 1 with the document's code; a key file over its limit is a usage error (exit 2).
#[test]
fn cli_file_size_limits() {
    let cli = env!("CARGO_BIN_EXE_sigstore-verify");
    let c = common::case("PATH-happy-path-v0.3");
    let dir = std::env::temp_dir().join(format!("cli-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Sparse files: the size is in the metadata, no data is written.
    let big = |name: &str, len: u64| {
        let p = dir.join(name);
        std::fs::File::create(&p).unwrap().set_len(len).unwrap();
        p
    };
    let bundle = big("bundle.json", 33 << 20);
    // Over the CLI's file limit for trusted roots (a set of them, JSON lines: 4 MiB), and over the
    // core's limit for one trusted root (1 MiB) within it.
    let root = big("root.json", (4 << 20) + 1);
    let one_root = big("one-root.json", (1 << 20) + 1);
    let key = big("key.pem", (1 << 20) + 1);
    let (id, iss) = (c.identity.as_deref().unwrap(), c.issuer.as_deref().unwrap());
    let artifact = c.artifact.as_ref().unwrap().to_str().unwrap();
    let run = |args: Vec<std::ffi::OsString>| {
        let out = Command::new(cli).arg("verify-bundle").args(args).arg(artifact).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let ident = ["--certificate-identity", id, "--certificate-oidc-issuer", iss].map(std::ffi::OsString::from);
    let mut a: Vec<std::ffi::OsString> = vec!["--bundle".into(), bundle.clone().into(), "--offline".into()];
    a.extend(ident.clone());
    let (code, err) = run(a);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("error: BUNDLE_LIMIT_EXCEEDED: the bundle ") && err.contains("over the limit"), "{err}");
    let mut a: Vec<std::ffi::OsString> = vec!["--bundle".into(), c.bundle.clone().into(), "--trusted-root".into(), root.into()];
    a.extend(ident.clone());
    let (code, err) = run(a);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("error: TRUST_ROOT_INVALID: the trusted root ") && err.contains("over the limit"), "{err}");
    let mut a: Vec<std::ffi::OsString> = vec!["--bundle".into(), c.bundle.clone().into(), "--trusted-root".into(), one_root.into()];
    a.extend(ident);
    let (code, err) = run(a);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.starts_with("error: TRUST_ROOT_INVALID: ") && err.contains("MAX_TRUSTED_ROOT_BYTES"), "{err}");
    let a: Vec<std::ffi::OsString> = vec!["--bundle".into(), c.bundle.clone().into(), "--key".into(), key.into(), "--offline".into()];
    let (code, err) = run(a);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("over the limit"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
