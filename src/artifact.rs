//! The artifact being verified: its bytes, or only a digest of them.

use alloc::vec::Vec;

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
}
