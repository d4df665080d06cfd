//! SHA-256 / SHA-384 / SHA-512: streaming hashers for artifacts fed in chunks of any size, and
//! multi-buffer hashing of many messages at once ([`sha256_many`] and friends, `multi.rs`).
//!
//! The streaming hashers are the `sha2` crate (on wasm32 with simd128 it vectorises the message
//! schedule itself). A vectorised single-stream schedule of our own measured 1.0× `sha2` in Node
//! and 0.84× in Chromium (issue 16) and was removed: one SHA-2 stream is a chain of dependent
//! rounds. Many independent messages are where SIMD pays: `multi.rs` runs one per lane.

// The lane code is reachable from the public API in simd128 builds only; always compiled, so
// that the tests run it natively over the portable lanes.
#[cfg_attr(not(any(test, all(target_arch = "wasm32", target_feature = "simd128"))), allow(dead_code))]
mod lanes;
#[cfg_attr(not(any(test, all(target_arch = "wasm32", target_feature = "simd128"))), allow(dead_code))]
mod multi;

pub use multi::{sha256_many, sha384_many, sha512_many};

use crate::crypto::HashAlg;
use alloc::vec::Vec;
use sha2::Digest;

/// Streaming SHA-256.
#[derive(Clone)]
pub struct Sha256Hasher(sha2::Sha256);

impl Sha256Hasher {
    pub fn new() -> Self {
        Self(sha2::Sha256::new())
    }
    /// Absorbs `data`; chunks may have any length, including 0.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

impl Default for Sha256Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// Streaming SHA-512.
#[derive(Clone)]
pub struct Sha512Hasher(sha2::Sha512);

impl Sha512Hasher {
    pub fn new() -> Self {
        Self(sha2::Sha512::new())
    }
    /// Absorbs `data`; chunks may have any length, including 0.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }
    pub fn finalize(self) -> [u8; 64] {
        self.0.finalize().into()
    }
}

impl Default for Sha512Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// Streaming SHA-384.
#[derive(Clone)]
pub struct Sha384Hasher(sha2::Sha384);

impl Sha384Hasher {
    pub fn new() -> Self {
        Self(sha2::Sha384::new())
    }
    /// Absorbs `data`; chunks may have any length, including 0.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }
    pub fn finalize(self) -> [u8; 48] {
        self.0.finalize().into()
    }
}

impl Default for Sha384Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// The digest of each message with `alg`, in order: [`sha256_many`], [`sha384_many`] or
/// [`sha512_many`] (multi-buffer SIMD on wasm32 simd128).
pub fn digest_many(alg: HashAlg, messages: &[&[u8]]) -> Vec<Vec<u8>> {
    match alg {
        HashAlg::Sha256 => sha256_many(messages).iter().map(|d| d.to_vec()).collect(),
        HashAlg::Sha384 => sha384_many(messages).iter().map(|d| d.to_vec()).collect(),
        HashAlg::Sha512 => sha512_many(messages).iter().map(|d| d.to_vec()).collect(),
    }
}

/// A streaming hasher for any [`HashAlg`].
#[derive(Clone)]
pub enum StreamingHasher {
    Sha256(Sha256Hasher),
    Sha384(Sha384Hasher),
    Sha512(Sha512Hasher),
}

impl StreamingHasher {
    pub fn new(alg: HashAlg) -> Self {
        match alg {
            HashAlg::Sha256 => Self::Sha256(Sha256Hasher::new()),
            HashAlg::Sha384 => Self::Sha384(Sha384Hasher::new()),
            HashAlg::Sha512 => Self::Sha512(Sha512Hasher::new()),
        }
    }

    pub fn alg(&self) -> HashAlg {
        match self {
            Self::Sha256(_) => HashAlg::Sha256,
            Self::Sha384(_) => HashAlg::Sha384,
            Self::Sha512(_) => HashAlg::Sha512,
        }
    }

    /// Absorbs `data`; chunks may have any length, including 0.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
        }
    }

    /// The digest, `alg().output_len()` bytes long.
    pub fn finalize(self) -> Vec<u8> {
        match self {
            Self::Sha256(h) => h.finalize().to_vec(),
            Self::Sha384(h) => h.finalize().to_vec(),
            Self::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests;
