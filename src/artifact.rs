//! The artifact being verified: its bytes, or only a digest of them.

use alloc::vec::Vec;
use core::cell::{Cell, OnceCell};

use crate::crypto::HashAlg;
use crate::encoding::hex_decode;
use crate::error::{err, Code, Result};

/// What the caller gives as the artifact.
#[derive(Clone, Debug)]
pub enum Artifact<'a> {
    /// The artifact's bytes: every digest can be computed, pure Ed25519 can be verified.
    Bytes(&'a [u8]),
    /// Only a digest (`sha256:HEX`, `sha384:HEX`, `sha512:HEX`; npm integrity is sha512).
    Digest(HashAlg, Vec<u8>),
}

impl<'a> Artifact<'a> {
    /// Parse `sha256:HEX` / `sha384:HEX` / `sha512:HEX`.
    pub fn parse_digest(s: &str) -> Result<Artifact<'static>> {
        let Some((alg, hex)) = s.split_once(':') else {
            return err(Code::InputInvalid, "artifact digest must look like sha256:HEX");
        };
        let Some(alg) = HashAlg::from_name(&alg.to_ascii_lowercase()) else {
            return err(Code::InputInvalid, "artifact digest algorithm must be sha256, sha384 or sha512");
        };
        match hex_decode(hex) {
            Some(d) if d.len() == alg.output_len() => Ok(Artifact::Digest(alg, d)),
            _ => err(Code::InputInvalid, "artifact digest is not hex of the right length"),
        }
    }

    /// The digest under `alg`, when it can be known.
    pub fn digest(&self, alg: HashAlg) -> Option<Vec<u8>> {
        match self {
            Artifact::Bytes(b) => Some(alg.digest(b)),
            Artifact::Digest(a, d) if *a == alg => Some(d.clone()),
            Artifact::Digest(..) => None,
        }
    }

    pub fn bytes(&self) -> Option<&'a [u8]> {
        match self {
            Artifact::Bytes(b) => Some(b),
            Artifact::Digest(..) => None,
        }
    }
}

/// The artifact as the checks see it: each digest of its bytes is computed at most once per
/// algorithm, however many in-toto subjects, log entries and message digests ask for it, so a
/// hostile bundle cannot make a large artifact be hashed again and again.
#[derive(Debug)]
pub struct Hashed<'a> {
    artifact: &'a Artifact<'a>,
    sha256: OnceCell<Option<Vec<u8>>>,
    sha384: OnceCell<Option<Vec<u8>>>,
    sha512: OnceCell<Option<Vec<u8>>>,
    hashed: Cell<usize>,
}

impl<'a> Hashed<'a> {
    pub fn new(artifact: &'a Artifact<'a>) -> Self {
        Hashed { artifact, sha256: OnceCell::new(), sha384: OnceCell::new(), sha512: OnceCell::new(), hashed: Cell::new(0) }
    }

    pub fn artifact(&self) -> &'a Artifact<'a> {
        self.artifact
    }

    /// The digest under `alg`, when it can be known; computed on first use only.
    pub fn digest(&self, alg: HashAlg) -> Option<&[u8]> {
        let cell = match alg {
            HashAlg::Sha256 => &self.sha256,
            HashAlg::Sha384 => &self.sha384,
            HashAlg::Sha512 => &self.sha512,
        };
        cell.get_or_init(|| {
            self.hashed.set(self.hashed.get().saturating_add(self.artifact.bytes().map_or(0, <[u8]>::len)));
            self.artifact.digest(alg)
        })
        .as_deref()
    }

    /// Bytes of the artifact hashed so far (its length once per algorithm asked for).
    pub fn hashed_bytes(&self) -> usize {
        self.hashed.get()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn digest_strings() {
        let a = Artifact::parse_digest("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf").unwrap();
        assert!(a.digest(HashAlg::Sha256).is_some());
        assert!(a.digest(HashAlg::Sha512).is_none());
        assert_eq!(Artifact::parse_digest("md5:00").unwrap_err().code, Code::InputInvalid);
        assert_eq!(Artifact::parse_digest("sha256:00").unwrap_err().code, Code::InputInvalid);
    }

    #[test]
    fn digests_computed_once() {
        let a = Artifact::Bytes(b"hello");
        let h = Hashed::new(&a);
        let first = h.digest(HashAlg::Sha256).unwrap();
        // The same buffer comes back: the artifact was hashed once.
        assert!(core::ptr::eq(first, h.digest(HashAlg::Sha256).unwrap()));
        assert_eq!(first, HashAlg::Sha256.digest(b"hello").as_slice());
        assert_eq!(h.digest(HashAlg::Sha512).unwrap().len(), 64);
        let d = Artifact::parse_digest("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf").unwrap();
        assert!(Hashed::new(&d).digest(HashAlg::Sha384).is_none());
    }
}
