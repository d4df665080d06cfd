//! All 140 entries of the Sigstore conformance suite (tests/data/conformance/cases.json), through
//! the library API and through the CLI binary. No entry is skipped or special-cased.

mod common;

use std::process::Command;

#[test]
fn conformance_through_library() {
    let cases = common::cases();
    assert_eq!(cases.len(), 140);
    let codes = common::expected_codes();
    let mut wrong = Vec::new();
    for c in &cases {
        let r = c.verify();
        if r.is_ok() != c.expect_pass {
            wrong.push(format!("{}: expected {}, got {:?}", c.id, if c.expect_pass { "pass" } else { "fail" }, r.err().map(|e| e.to_string())));
        } else if let Err(e) = &r {
            if codes.get(&c.id).map(String::as_str) != Some(e.code.as_str()) {
                wrong.push(format!("{}: expected code {:?}, got {e}", c.id, codes.get(&c.id)));
            }
        }
    }
    println!("{} passed, {} failed", cases.len() - wrong.len(), wrong.len());
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}

#[test]
fn conformance_through_cli() {
    let cli = env!("CARGO_BIN_EXE_sigstore-verify");
    let cases = common::cases();
    let codes = common::expected_codes();
    let mut wrong = Vec::new();
    for c in &cases {
        let mut cmd = Command::new(cli);
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
    println!("{} passed, {} failed", cases.len() - wrong.len(), wrong.len());
    assert!(wrong.is_empty(), "wrong CLI results:\n{}", wrong.join("\n"));
}
