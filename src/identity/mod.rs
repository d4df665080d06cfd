//! Identity policy: which signer the caller accepts.
//!
//! A certificate's SAN and OIDC issuer are matched exactly, or by a regular expression that must
//! match the whole value ([`pattern`]: our own small matcher; the pattern is anchored there,
//! never left to the caller). A managed key policy accepts exactly one public key instead.

pub mod pattern;

use alloc::format;
use alloc::string::String;
use serde::Deserialize;

use crate::crypto::PublicKey;
use crate::error::{Code, Error, Result};
use crate::x509::fulcio::FulcioIdentity;
use pattern::Regex;

/// A string expectation: exact, or a whole-value regular expression (RE2 / Rust `regex` syntax,
/// byte-oriented: `\w`, `\d`, `.` and case folding work on ASCII; see [`pattern`] for the
/// syntax and the bounds).
#[derive(Clone, Debug)]
pub enum Matcher {
    Exact(String),
    Regex { pattern: String, re: Regex },
}

impl Matcher {
    pub fn exact(s: impl Into<String>) -> Self {
        Matcher::Exact(s.into())
    }

    /// Compile `pattern`, anchored at both ends. `POLICY_INVALID` if it does not compile.
    pub fn regex(pattern: &str) -> Result<Self> {
        if pattern.len() > pattern::MAX_LEN {
            return Err(Error::new(Code::PolicyInvalid, format!("regular expression longer than {} bytes", pattern::MAX_LEN)));
        }
        let re = Regex::new(pattern).map_err(|e| Error::new(Code::PolicyInvalid, format!("invalid regular expression {pattern:?}: {e}")))?;
        Ok(Matcher::Regex { pattern: pattern.into(), re })
    }

    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Exact(s) => s == value,
            Matcher::Regex { re, .. } => re.is_match(value.as_bytes()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Matcher::Exact(s) => format!("{s:?}"),
            Matcher::Regex { pattern, .. } => format!("/{pattern}/"),
        }
    }
}

/// What the caller accepts as signer.
#[derive(Clone, Debug)]
pub enum Policy {
    /// A Fulcio certificate whose SAN and OIDC issuer both match.
    Identity { san: Matcher, issuer: Matcher },
    /// A managed key: the bundle must carry a `publicKey` hint and verify under exactly this key.
    Key(PublicKey),
}

impl Policy {
    pub fn identity(san: Matcher, issuer: Matcher) -> Self {
        Policy::Identity { san, issuer }
    }

    pub fn key_pem(pem: &str) -> Result<Self> {
        PublicKey::from_pem(pem).map(Policy::Key).map_err(|e| Error::new(Code::InputInvalid, format!("managed key: {}", e.context)))
    }
}

impl Matcher {
    /// One expectation from its two spellings, exact or regular expression: at most one may be
    /// given (`INPUT_INVALID` naming `name` otherwise); a pattern must compile (`POLICY_INVALID`).
    pub fn from_spec(exact: Option<&str>, regex: Option<&str>, name: &str) -> Result<Option<Matcher>> {
        match (exact, regex) {
            (Some(_), Some(_)) => Err(Error::new(Code::InputInvalid, format!("policy: give {name} or {name}Regex, not both"))),
            (Some(s), None) => Ok(Some(Matcher::exact(s))),
            (None, Some(r)) => Matcher::regex(r).map(Some),
            (None, None) => Ok(None),
        }
    }
}

/// A policy as callers spell it: the CLI's flags and the JS policy object both become one of
/// these, and [`PolicySpec::build`] is the one place that turns it into a [`Policy`].
///
/// `identity` or `identityRegex`, and `issuer` or `issuerRegex`; or `publicKey` (PEM) alone.
/// In JSON (and JS) the field names are camelCase and unknown fields are refused, so that a
/// misspelt field cannot weaken a policy.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicySpec {
    pub identity: Option<String>,
    pub identity_regex: Option<String>,
    pub issuer: Option<String>,
    pub issuer_regex: Option<String>,
    pub public_key: Option<String>,
}

impl PolicySpec {
    /// The JSON field names (for faces that check fields themselves, e.g. on JS objects).
    pub const FIELDS: [&'static str; 5] = ["identity", "identityRegex", "issuer", "issuerRegex", "publicKey"];

    /// Check the spec's shape alone: `INPUT_INVALID` for a spec that names no signer, names one
    /// twice, or mixes a key with an identity. (The CLI reports this as a usage error.)
    pub fn check_shape(&self) -> Result<()> {
        let twice = |a: &Option<String>, b: &Option<String>, name: &str| match (a, b) {
            (Some(_), Some(_)) => Err(Error::new(Code::InputInvalid, format!("policy: give {name} or {name}Regex, not both"))),
            _ => Ok(a.is_some() || b.is_some()),
        };
        let san = twice(&self.identity, &self.identity_regex, "identity")?;
        let issuer = twice(&self.issuer, &self.issuer_regex, "issuer")?;
        match (self.public_key.is_some(), san, issuer) {
            (true, false, false) | (false, true, true) => Ok(()),
            (true, _, _) => Err(Error::new(Code::InputInvalid, "policy: publicKey cannot be combined with identity or issuer")),
            (false, _, _) => Err(Error::new(Code::InputInvalid, "policy: give identity (or identityRegex) and issuer (or issuerRegex), or publicKey")),
        }
    }

    /// The policy: the shape checked ([`PolicySpec::check_shape`]), then the patterns compiled
    /// (`POLICY_INVALID`) or the key parsed (`INPUT_INVALID`).
    pub fn build(&self) -> Result<Policy> {
        self.check_shape()?;
        if let Some(pem) = &self.public_key {
            return Policy::key_pem(pem);
        }
        let san = Matcher::from_spec(self.identity.as_deref(), self.identity_regex.as_deref(), "identity")?;
        let issuer = Matcher::from_spec(self.issuer.as_deref(), self.issuer_regex.as_deref(), "issuer")?;
        match (san, issuer) {
            (Some(san), Some(issuer)) => Ok(Policy::identity(san, issuer)),
            // Unreachable after check_shape; kept as an error rather than a panic.
            _ => Err(Error::new(Code::InputInvalid, "policy: give identity (or identityRegex) and issuer (or issuerRegex), or publicKey")),
        }
    }
}

/// Check a certificate identity against the policy's SAN and issuer matchers.
pub fn check_identity(id: &FulcioIdentity, san: &Matcher, issuer: &Matcher) -> Result<()> {
    if !san.matches(&id.san) {
        return Err(Error::new(Code::IdentityMismatch, format!("certificate identity {:?} does not match {}", id.san, san.describe())));
    }
    let Some(iss) = id.issuer.as_deref() else {
        return Err(Error::new(Code::IssuerMismatch, "certificate carries no OIDC issuer extension"));
    };
    if !issuer.matches(iss) {
        return Err(Error::new(Code::IssuerMismatch, format!("certificate OIDC issuer {iss:?} does not match {}", issuer.describe())));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn policy_spec() {
        let spec = |f: &dyn Fn(&mut PolicySpec)| {
            let mut s = PolicySpec::default();
            f(&mut s);
            s.build().map(|_| ()).map_err(|e| e.code)
        };
        assert_eq!(
            spec(&|s| {
                s.identity = Some("a".into());
                s.issuer_regex = Some("b.*".into())
            }),
            Ok(())
        );
        assert_eq!(spec(&|_| {}), Err(Code::InputInvalid));
        assert_eq!(spec(&|s| { s.identity = Some("a".into()) }), Err(Code::InputInvalid));
        assert_eq!(
            spec(&|s| {
                s.identity = Some("a".into());
                s.identity_regex = Some("a".into());
                s.issuer = Some("b".into())
            }),
            Err(Code::InputInvalid)
        );
        assert_eq!(
            spec(&|s| {
                s.identity_regex = Some("(".into());
                s.issuer = Some("b".into())
            }),
            Err(Code::PolicyInvalid)
        );
        assert_eq!(
            spec(&|s| {
                s.public_key = Some("x".into());
                s.issuer = Some("b".into())
            }),
            Err(Code::InputInvalid)
        );
        let parsed: PolicySpec = serde_json::from_str(r#"{"identity":"a","issuerRegex":"b"}"#).unwrap();
        assert_eq!(parsed.issuer_regex.as_deref(), Some("b"));
        assert!(serde_json::from_str::<PolicySpec>(r#"{"identity":"a","isuer":"b"}"#).is_err());
    }

    #[test]
    fn regex_matches_whole_value() {
        let m = Matcher::regex("https://github.com/org/.*").unwrap();
        assert!(m.matches("https://github.com/org/repo"));
        assert!(!m.matches("evil https://github.com/org/repo"));
        let m = Matcher::regex("a|b").unwrap();
        assert!(m.matches("a") && !m.matches("ab"));
        assert_eq!(Matcher::regex("(").unwrap_err().code, Code::PolicyInvalid);
    }
}
