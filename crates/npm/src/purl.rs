//! Package coordinates: the npm package URL (purl) an attestation names, and the tarball
//! `integrity` (Subresource Integrity string) whose sha512 it carries.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::encoding::b64_decode_strict;
use crate::error::{err, Code, Result};
use sigstore_verifier::Code as CoreCode;

/// Longest package name npm accepts (npm `validate-npm-package-name`: 214 characters).
const MAX_NAME_LEN: usize = 214;
/// A generous bound on version strings (semver has no limit; npm's is 256).
const MAX_VERSION_LEN: usize = 256;

/// Check a package name and version enough to build an unambiguous purl: no empty parts,
/// no whitespace, `?`, `#`, `%` or control characters; a scope is `@scope/name`.
pub fn check_coordinates(name: &str, version: &str) -> Result<()> {
    // npm `validate-npm-package-name`: no part starts with a period. This also keeps `.`/`..`
    // out of the registry URLs the JS layer builds from these coordinates.
    let bad = |s: &str| s.is_empty() || s.starts_with('.') || s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '%' | '\\'));
    if bad(name) || name.len() > MAX_NAME_LEN {
        return err(Code::Core(CoreCode::InputInvalid), format!("invalid npm package name {name:?}"));
    }
    if bad(version) || version.len() > MAX_VERSION_LEN || version.contains('/') || version.contains('@') {
        return err(Code::Core(CoreCode::InputInvalid), format!("invalid npm package version {version:?}"));
    }
    let scoped_ok = match name.strip_prefix('@') {
        Some(rest) => matches!(rest.split_once('/'), Some((scope, n)) if !bad(scope) && !bad(n) && !n.contains('/')),
        None => !name.contains('/'),
    };
    if !scoped_ok {
        return err(Code::Core(CoreCode::InputInvalid), format!("invalid npm package name {name:?}: expected NAME or @SCOPE/NAME"));
    }
    Ok(())
}

/// The package URL npm writes as the in-toto subject name (npm-package-arg `toPurl`, purl-spec
/// `npm` type): `pkg:npm/NAME@VERSION`, the leading `@` of a scope percent-encoded as `%40`.
pub fn purl(name: &str, version: &str) -> String {
    match name.strip_prefix('@') {
        Some(rest) => format!("pkg:npm/%40{rest}@{version}"),
        None => format!("pkg:npm/{name}@{version}"),
    }
}

/// Split `NAME@VERSION` (the name may itself start with `@`).
pub fn split_spec(spec: &str) -> Result<(&str, &str)> {
    let at = spec.get(1..).and_then(|s| s.rfind('@')).map(|i| i + 1);
    match at.and_then(|i| Some((spec.get(..i)?, spec.get(i + 1..)?))) {
        Some((n, v)) if !n.is_empty() && !v.is_empty() => Ok((n, v)),
        _ => err(Code::Core(CoreCode::InputInvalid), format!("{spec:?} is not NAME@VERSION")),
    }
}

/// The sha512 digest in an SRI string (W3C Subresource Integrity §3.5: whitespace-separated
/// `alg-base64[?options]` entries). npm's `dist.integrity` is `sha512-<base64>`; other entries
/// (e.g. `sha1-…`) are ignored. Two different sha512 values are refused as ambiguous.
pub fn sri_sha512(integrity: &str) -> Result<Vec<u8>> {
    let mut found: Option<Vec<u8>> = None;
    for entry in integrity.split_ascii_whitespace() {
        let Some(b64) = entry.strip_prefix("sha512-") else { continue };
        let b64 = b64.split_once('?').map_or(b64, |(b, _)| b);
        let d = match b64_decode_strict(b64) {
            Some(d) if d.len() == 64 => d,
            _ => return err(Code::Core(CoreCode::InputInvalid), format!("integrity {entry:?} is not sha512-<base64 of 64 bytes>")),
        };
        if found.as_ref().is_some_and(|f| *f != d) {
            return err(Code::Core(CoreCode::InputInvalid), "integrity holds two different sha512 digests");
        }
        found = Some(d);
    }
    found.ok_or_else(|| crate::Error::new(Code::Core(CoreCode::InputInvalid), format!("integrity {integrity:?} has no sha512- entry")))
}

/// `sha512-<base64>` for a digest (the form npm writes).
pub fn sri_from_sha512(digest: &[u8]) -> String {
    format!("sha512-{}", crate::encoding::b64_encode(digest))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn purls() {
        assert_eq!(purl("sigstore", "1.0.0"), "pkg:npm/sigstore@1.0.0");
        assert_eq!(purl("@playwright/cli", "0.1.1"), "pkg:npm/%40playwright/cli@0.1.1");
    }

    #[test]
    fn specs() {
        assert_eq!(split_spec("@a/b@1.2.3").unwrap(), ("@a/b", "1.2.3"));
        assert_eq!(split_spec("x@1").unwrap(), ("x", "1"));
        for bad in ["x", "@a/b", "x@", "@", ""] {
            assert_eq!(split_spec(bad).unwrap_err().code, Code::Core(CoreCode::InputInvalid), "{bad}");
        }
    }

    #[test]
    fn coordinates() {
        check_coordinates("@a/b", "1.0.0").unwrap();
        check_coordinates("left-pad", "1.0.0-beta.1+x").unwrap();
        for (n, v) in [
            ("", "1"),
            ("a b", "1"),
            ("@a", "1"),
            ("@/b", "1"),
            ("a/b", "1"),
            ("@a/b/c", "1"),
            ("a", ""),
            ("a", "1?x"),
            ("a", "1/2"),
            ("a%40", "1"),
            ("..", "1"),
            (".a", "1"),
            ("@./b", "1"),
            ("@a/..", "1"),
            ("a", ".."),
            ("a\\b", "1"),
        ] {
            assert_eq!(check_coordinates(n, v).unwrap_err().code, Code::Core(CoreCode::InputInvalid), "{n}@{v}");
        }
    }

    #[test]
    fn sri() {
        let s = "sha512-e+qfbn/zf1+rCza/BhIA//Awmf0v1pa5HQS8Xk8iXrn9bgytytVLqYD0P7NSqZ6IELTgq+tcDvLPkQjNHyWLNg==";
        let d = sri_sha512(s).unwrap();
        assert_eq!(d.len(), 64);
        assert_eq!(sri_from_sha512(&d), s);
        assert_eq!(sri_sha512(&format!("sha1-AAAA {s}?foo")).unwrap(), d);
        for bad in ["", "sha1-AAAA", "sha512-AAAA", "sha512-!!!!", "sha256-e+qfbn"] {
            assert_eq!(sri_sha512(bad).unwrap_err().code, Code::Core(CoreCode::InputInvalid), "{bad}");
        }
        let other = sri_from_sha512(&[7u8; 64]);
        assert_eq!(sri_sha512(&format!("{s} {other}")).unwrap_err().code, Code::Core(CoreCode::InputInvalid));
    }
}
