//! The GitHub REST API paths that list an artifact's attestations:
//!
//! ```text
//! GET /repos/OWNER/REPO/attestations/sha256:HEX
//! GET /orgs/OWNER/attestations/sha256:HEX
//! ```
//! Names are checked as GitHub names ([`check_owner`], [`check_repo`]) and percent-encoded
//! anyway, so no value can leave its path segment; the digest must be `sha256:` (or `sha512:`)
//! with hex of the right length, written lowercase.

use alloc::format;
use alloc::string::String;

use crate::error::{err, Code, Result};

/// At most this long: GitHub logins and organisation names are at most 39 characters,
/// repository names at most 100.
const MAX_OWNER: usize = 39;
const MAX_REPO: usize = 100;

/// Whose attestations: a repository's, or an organisation's (or user's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `OWNER/REPO`.
    Repo(String),
    /// `OWNER`.
    Owner(String),
}

/// A GitHub user or organisation name: ASCII letters, digits, `-` and `_` (managed users),
/// 1 to 39 characters, not starting with `-` (`ATTEST_NAME_INVALID`).
pub fn check_owner(owner: &str) -> Result<()> {
    let ok =
        !owner.is_empty() && owner.len() <= MAX_OWNER && !owner.starts_with('-') && owner.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return err(Code::NameInvalid, format!("owner {owner:?} is not a GitHub user or organisation name"));
    }
    Ok(())
}

/// `OWNER/REPO`: a valid owner, and a repository name of ASCII letters, digits, `-`, `_` and
/// `.`, 1 to 100 characters, neither `.` nor `..` (`ATTEST_NAME_INVALID`). Returns the parts.
pub fn check_repo(repo: &str) -> Result<(&str, &str)> {
    let Some((owner, name)) = repo.split_once('/') else {
        return err(Code::NameInvalid, format!("repository {repo:?} is not OWNER/REPO"));
    };
    check_owner(owner).map_err(|e| e.at(&format!("repository {repo:?}")))?;
    let ok = !name.is_empty()
        && name.len() <= MAX_REPO
        && name != "."
        && name != ".."
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if !ok {
        return err(Code::NameInvalid, format!("repository {repo:?} is not OWNER/REPO with a GitHub repository name"));
    }
    Ok((owner, name))
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `sha256:HEX` or `sha512:HEX` in the form the API takes (algorithm and hex lowercase);
/// `INPUT_INVALID` otherwise.
pub fn api_digest(digest: &str) -> Result<String> {
    let lower = digest.to_ascii_lowercase();
    let ok = match lower.split_once(':') {
        Some(("sha256", hex)) => hex.len() == 64,
        Some(("sha512", hex)) => hex.len() == 128,
        _ => false,
    } && lower.bytes().skip(7).all(|b| b.is_ascii_hexdigit());
    if !ok {
        return err(Code::Core(sigstore_verifier::Code::InputInvalid), format!("digest {digest:?} is not sha256:HEX (64 hex digits) or sha512:HEX"));
    }
    Ok(lower)
}

/// The API path (no host, no query) listing the attestations of `digest` in `scope`.
pub fn attestations_path(scope: &Scope, digest: &str) -> Result<String> {
    let digest = api_digest(digest)?;
    match scope {
        Scope::Repo(r) => {
            let (owner, name) = check_repo(r)?;
            Ok(format!("/repos/{}/{}/attestations/{digest}", percent_encode(owner), percent_encode(name)))
        }
        Scope::Owner(o) => {
            check_owner(o)?;
            Ok(format!("/orgs/{}/attestations/{digest}", percent_encode(o)))
        }
    }
}
