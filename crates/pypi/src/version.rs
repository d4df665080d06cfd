//! PEP 440 versions, parsed and compared as the specification orders them (the "Version
//! specifiers" spec: normalisation and ordering), so that `1.0` and `1.0.0`, `1.0a1` and
//! `1.0.0-alpha.1`, `1.0.post0` and `1.0-0` are the same version. Only what an equality needs:
//! the normal form, with trailing zeros of the release dropped for comparison.

use alloc::string::String;
use alloc::vec::Vec;

/// A parsed version: `epoch!release[{a|b|rc}N][.postN][.devN][+local]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub epoch: u64,
    /// The release numbers without trailing zeros (`1.0.0` -> `[1]`).
    pub release: Vec<u64>,
    /// `a`, `b` or `rc`, and its number.
    pub pre: Option<(&'static str, u64)>,
    pub post: Option<u64>,
    pub dev: Option<u64>,
    /// Lower case, `-` and `_` as `.`.
    pub local: Option<String>,
}

/// A run of ASCII digits at the start of `s` (at most 18, so the value fits), and the rest.
fn number(s: &str) -> Option<(u64, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 18 {
        return None;
    }
    let (d, rest) = s.split_at_checked(n)?;
    Some((d.parse().ok()?, rest))
}

/// An optional `.`, `-` or `_` separator.
fn sep(s: &str) -> &str {
    s.strip_prefix(['.', '-', '_']).unwrap_or(s)
}

/// A keyword, then an optional separator and number (implicitly 0).
fn keyword<'a>(s: &'a str, words: &[&str]) -> Option<(u64, &'a str)> {
    let s = sep(s);
    let w = words.iter().find(|w| s.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))?;
    let rest = s.get(w.len()..)?;
    match number(sep(rest)) {
        Some((n, r)) => Some((n, r)),
        None => Some((0, rest)),
    }
}

impl Version {
    /// Parse a version in any of PEP 440's permitted spellings; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Version> {
        let t = text.trim();
        let mut s = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let mut epoch = 0;
        if let Some((e, rest)) = number(s).filter(|(_, r)| r.starts_with('!')) {
            epoch = e;
            s = rest.get(1..)?;
        }
        let mut release = Vec::new();
        loop {
            let (n, rest) = number(s)?;
            release.push(n);
            if release.len() > 32 {
                return None;
            }
            match rest.strip_prefix('.').filter(|r| r.starts_with(|c: char| c.is_ascii_digit())) {
                Some(r) => s = r,
                None => {
                    s = rest;
                    break;
                }
            }
        }
        while release.last() == Some(&0) && release.len() > 1 {
            release.pop();
        }
        if release == [0] {
            release.clear();
        }
        let mut pre = None;
        for (words, name) in [(&["alpha", "a"][..], "a"), (&["beta", "b"][..], "b"), (&["rc", "c", "preview", "pre"][..], "rc")] {
            if let Some((n, rest)) = keyword(s, words) {
                pre = Some((name, n));
                s = rest;
                break;
            }
        }
        let mut post = None;
        if let Some((n, rest)) = keyword(s, &["post", "rev", "r"]) {
            post = Some(n);
            s = rest;
        } else if let Some(r) = s.strip_prefix('-') {
            if let Some((n, rest)) = number(r) {
                post = Some(n);
                s = rest;
            }
        }
        let mut dev = None;
        if let Some((n, rest)) = keyword(s, &["dev"]) {
            dev = Some(n);
            s = rest;
        }
        let mut local = None;
        if let Some(l) = s.strip_prefix('+') {
            if l.is_empty() || !l.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_')) {
                return None;
            }
            local = Some(l.chars().map(|c| if c == '-' || c == '_' { '.' } else { c.to_ascii_lowercase() }).collect());
            s = "";
        }
        if !s.is_empty() {
            return None;
        }
        Some(Version { epoch, release, pre, post, dev, local })
    }
}
