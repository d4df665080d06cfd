//! `sigstore-verify ... --json | head -c 0`: a reader that goes away before the output is
//! written ends the output, not the process — no panic, no backtrace, the verdict's exit status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]

#[path = "../../../tests/common.rs"]
mod common;

use std::process::{Command, Stdio};

#[test]
fn closed_stdout_is_not_a_crash() {
    let c = common::case("PATH-happy-path-v0.3");
    let cache = std::env::temp_dir().join(format!("cli-closed-stdout-cache-{}", std::process::id()));
    for (help, args) in [(false, vec!["verify-bundle".to_string(), "--json".into()]), (true, vec!["--help".to_string()])] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigstore-verify"));
        cmd.env("XDG_CACHE_HOME", &cache).env("RUST_BACKTRACE", "1").args(&args);
        if !help {
            cmd.arg("--bundle").arg(&c.bundle);
            cmd.arg("--certificate-identity").arg(c.identity.as_deref().unwrap());
            cmd.arg("--certificate-oidc-issuer").arg(c.issuer.as_deref().unwrap());
            cmd.arg("--trusted-root").arg(c.trusted_root.as_ref().unwrap());
            cmd.arg(c.artifact.as_ref().unwrap());
        }
        // The read end of stdout is closed before the CLI writes to it.
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
