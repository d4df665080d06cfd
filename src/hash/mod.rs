//! Streaming SHA-256 / SHA-384 / SHA-512 hashers for artifacts fed in chunks of any size.
//!
//! Bit-identical to the `sha2` crate. The backend is chosen at compile time (wasm has no runtime
//! feature detection; the JS layer loads either a `simd128` or a plain build):
//! - `wasm32` with `target_feature = "simd128"`: our own implementation whose message schedule and
//!   `W + K` run four (SHA-256) or two (SHA-512/384) lanes at a time in `v128`, with fully unrolled
//!   scalar rounds (see [`BACKEND`]);
//! - everywhere else: `sha2` itself.
//!
//! The vectorised algorithm is written against the small lane abstraction in `lanes.rs`, so the
//! very same code is unit-tested natively with a plain-array implementation of those lanes.

// Only reachable from the public API in simd128 builds; always compiled so that tests cover it.
#[cfg_attr(not(any(test, all(target_arch = "wasm32", target_feature = "simd128"))), allow(dead_code))]
mod lanes;
#[cfg_attr(not(any(test, all(target_arch = "wasm32", target_feature = "simd128"))), allow(dead_code))]
mod sha256;
#[cfg_attr(not(any(test, all(target_arch = "wasm32", target_feature = "simd128"))), allow(dead_code))]
mod sha512;

use crate::crypto::HashAlg;
use alloc::vec::Vec;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod backend {
    use super::lanes::simd::{V32, V64};
    use super::sha512::{H384, H512};

    pub(super) const NAME: &str = "wasm32-simd128";

    #[derive(Clone)]
    pub(super) struct S256(super::sha256::Sha256Core<V32>);
    impl S256 {
        pub(super) fn new() -> Self {
            Self(super::sha256::Sha256Core::new())
        }
        pub(super) fn update(&mut self, data: &[u8]) {
            self.0.update(data)
        }
        pub(super) fn finalize(self) -> [u8; 32] {
            self.0.finalize()
        }
    }

    #[derive(Clone)]
    pub(super) struct S512(super::sha512::Sha512Core<V64>);
    impl S512 {
        pub(super) fn new(sha384: bool) -> Self {
            Self(super::sha512::Sha512Core::with_iv(if sha384 { H384 } else { H512 }))
        }
        pub(super) fn update(&mut self, data: &[u8]) {
            self.0.update(data)
        }
        pub(super) fn finalize(self) -> [u8; 64] {
            self.0.finalize()
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod backend {
    use sha2::Digest;

    pub(super) const NAME: &str = "sha2";

    #[derive(Clone)]
    pub(super) struct S256(sha2::Sha256);
    impl S256 {
        pub(super) fn new() -> Self {
            Self(sha2::Sha256::new())
        }
        pub(super) fn update(&mut self, data: &[u8]) {
            self.0.update(data)
        }
        pub(super) fn finalize(self) -> [u8; 32] {
            self.0.finalize().into()
        }
    }

    #[derive(Clone)]
    pub(super) enum S512 {
        Sha384(sha2::Sha384),
        Sha512(sha2::Sha512),
    }
    impl S512 {
        pub(super) fn new(sha384: bool) -> Self {
            if sha384 {
                Self::Sha384(sha2::Sha384::new())
            } else {
                Self::Sha512(sha2::Sha512::new())
            }
        }
        pub(super) fn update(&mut self, data: &[u8]) {
            match self {
                Self::Sha384(h) => h.update(data),
                Self::Sha512(h) => h.update(data),
            }
        }
        /// SHA-384 fills the first 48 bytes.
        pub(super) fn finalize(self) -> [u8; 64] {
            let mut out = [0u8; 64];
            match self {
                Self::Sha384(h) => {
                    let d: [u8; 48] = h.finalize().into();
                    for (o, v) in out.iter_mut().zip(d) {
                        *o = v;
                    }
                }
                Self::Sha512(h) => out = h.finalize().into(),
            }
            out
        }
    }
}

/// Which implementation this build uses: `"wasm32-simd128"` or `"sha2"`.
pub const BACKEND: &str = backend::NAME;

/// Streaming SHA-256.
#[derive(Clone)]
pub struct Sha256Hasher(backend::S256);

impl Sha256Hasher {
    pub fn new() -> Self {
        Self(backend::S256::new())
    }
    /// Absorbs `data`; chunks may have any length, including 0.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize()
    }
}

impl Default for Sha256Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// Streaming SHA-512.
#[derive(Clone)]
pub struct Sha512Hasher(backend::S512);

impl Sha512Hasher {
    pub fn new() -> Self {
        Self(backend::S512::new(false))
    }
    /// Absorbs `data`; chunks may have any length, including 0.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }
    pub fn finalize(self) -> [u8; 64] {
        self.0.finalize()
    }
}

impl Default for Sha512Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// Streaming SHA-384 (SHA-512 compression, other initial value, truncated output).
#[derive(Clone)]
pub struct Sha384Hasher(backend::S512);

impl Sha384Hasher {
    pub fn new() -> Self {
        Self(backend::S512::new(true))
    }
    /// Absorbs `data`; chunks may have any length, including 0.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data)
    }
    pub fn finalize(self) -> [u8; 48] {
        let mut out = [0u8; 48];
        for (o, v) in out.iter_mut().zip(self.0.finalize()) {
            *o = v;
        }
        out
    }
}

impl Default for Sha384Hasher {
    fn default() -> Self {
        Self::new()
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

/// Block buffering and Merkle–Damgård padding shared by the SHA-2 cores (FIPS 180-4 §5.1).
/// Invariant: `len < B`.
#[derive(Clone)]
pub(crate) struct BlockBuf<const B: usize> {
    buf: [u8; B],
    len: usize,
    /// Total message length in bytes (wrapping; only the low bits of the bit length are encoded).
    total: u128,
}

#[cfg_attr(not(any(test, all(target_arch = "wasm32", target_feature = "simd128"))), allow(dead_code))]
impl<const B: usize> BlockBuf<B> {
    pub(crate) fn new() -> Self {
        Self { buf: [0u8; B], len: 0, total: 0 }
    }

    /// Feeds `data`, calling `compress` on every complete block (whole runs of input blocks are
    /// passed straight from `data`, without copying).
    pub(crate) fn update(&mut self, mut data: &[u8], mut compress: impl FnMut(&[[u8; B]])) {
        // usize is at most 64 bits on every target, so this conversion is lossless.
        self.total = self.total.wrapping_add(u128::try_from(data.len()).unwrap_or(u128::MAX));
        if self.len > 0 {
            let take = B.saturating_sub(self.len).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.buf.get_mut(self.len..self.len + take) {
                dst.copy_from_slice(head);
            }
            self.len += take;
            data = rest;
            if self.len < B {
                return;
            }
            compress(core::slice::from_ref(&self.buf));
            self.len = 0;
        }
        let (blocks, rest) = data.as_chunks::<B>();
        if !blocks.is_empty() {
            compress(blocks);
        }
        if let Some(dst) = self.buf.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
            self.len = rest.len();
        }
    }

    /// Appends the padding `0x80 0x00.. <bit length, L bytes big-endian>` and compresses the
    /// last block(s).
    pub(crate) fn finish<const L: usize>(&mut self, mut compress: impl FnMut(&[[u8; B]])) {
        let bits = self.total.wrapping_mul(8).to_be_bytes();
        if let Some(p) = self.buf.get_mut(self.len) {
            *p = 0x80;
        }
        if let Some(tail) = self.buf.get_mut(self.len + 1..) {
            tail.fill(0);
        }
        if self.len + 1 + L > B {
            compress(core::slice::from_ref(&self.buf));
            self.buf.fill(0);
        }
        let len_at = B.saturating_sub(L);
        if let (Some(dst), Some(src)) = (self.buf.get_mut(len_at..), bits.get(16usize.saturating_sub(L)..)) {
            dst.copy_from_slice(src);
        }
        compress(core::slice::from_ref(&self.buf));
        self.len = 0;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests;
