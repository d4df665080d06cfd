//! Identity policy: which signer the caller accepts.
//!
//! A certificate's SAN and OIDC issuer are matched exactly, or by a regular expression that must
//! match the whole value (the pattern is anchored here, never left to the caller). A managed key
//! policy accepts exactly one public key instead.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use regex_automata::meta::Regex;
use regex_automata::util::syntax;

use crate::crypto::PublicKey;
use crate::error::{Code, Error, Result};
use crate::x509::fulcio::FulcioIdentity;

/// Upper bounds on hostile patterns.
const MAX_PATTERN_LEN: usize = 4096;
const NFA_SIZE_LIMIT: usize = 1 << 20;
const NEST_LIMIT: u32 = 64;

/// A string expectation: exact, or a whole-value regular expression (RE2-like syntax, without
/// Unicode classes such as `\p{L}`: `\w`, `\d` and `.` work on ASCII bytes).
#[derive(Clone, Debug)]
pub enum Matcher {
    Exact(String),
    Regex { pattern: String, re: Box<Regex> },
}

impl Matcher {
    pub fn exact(s: impl Into<String>) -> Self {
        Matcher::Exact(s.into())
    }

    /// Compile `pattern`, anchored at both ends. `POLICY_INVALID` if it does not compile.
    pub fn regex(pattern: &str) -> Result<Self> {
        if pattern.len() > MAX_PATTERN_LEN {
            return Err(Error::new(Code::PolicyInvalid, format!("regular expression longer than {MAX_PATTERN_LEN} bytes")));
        }
        let anchored = format!("^(?:{pattern})$");
        let re = Regex::builder()
            // Byte-oriented matching without Unicode classes: identities are URLs and email
            // addresses, and the Unicode tables would triple the WebAssembly size.
            .syntax(syntax::Config::new().nest_limit(NEST_LIMIT).unicode(false).utf8(false))
            .configure(Regex::config().nfa_size_limit(Some(NFA_SIZE_LIMIT)))
            .build(&anchored)
            .map_err(|e| Error::new(Code::PolicyInvalid, format!("invalid regular expression {pattern:?}: {e}")))?;
        Ok(Matcher::Regex { pattern: pattern.into(), re: Box::new(re) })
    }

    pub fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Exact(s) => s == value,
            Matcher::Regex { re, .. } => re.is_match(value),
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
mod tests {
    use super::*;

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
