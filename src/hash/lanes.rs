//! The lanes of the multi-buffer SHA-2 (`multi.rs`): four u32 lanes (SHA-256, one message per
//! lane) and two u64 lanes (SHA-512/384), with the few lane-wise operations the rounds and the
//! message schedule need.
//!
//! `multi.rs` is written once against the [`U32x4`] and [`U64x2`] traits. Two implementations:
//! - [`Portable32`] / [`Portable64`]: plain arrays, compiled everywhere, so that the very same
//!   algorithm is unit-tested natively in `cargo test`;
//! - `simd::V32` / `simd::V64` (only on `wasm32` with the `simd128` target feature): thin wrappers
//!   over `core::arch::wasm32::v128`, using only the safe lane-arithmetic intrinsics (no
//!   `v128_load`/`v128_store`: the core has no unsafe code). Wasm has no vector rotate, so
//!   `rotr` is two shifts and an or.

/// Four u32 lanes.
pub(crate) trait U32x4: Copy {
    fn new(a: u32, b: u32, c: u32, d: u32) -> Self;
    fn splat(x: u32) -> Self;
    /// Reverses the bytes of each lane (turns little-endian loads into big-endian words).
    fn bswap(self) -> Self;
    fn add(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    fn and(self, o: Self) -> Self;
    /// Logical shift right of each lane; `n` is always a constant below 32.
    fn shr(self, n: u32) -> Self;
    /// Rotation right of each lane; `n` is always a constant in 1..32.
    fn rotr(self, n: u32) -> Self;
    /// Lane `i` (0 when `i` is not below 4).
    fn lane(self, i: usize) -> u32;
    /// Lane `i` replaced by `x` (unchanged when `i` is not below 4).
    fn with_lane(self, i: usize, x: u32) -> Self;
}

/// Two u64 lanes.
pub(crate) trait U64x2: Copy {
    fn new(a: u64, b: u64) -> Self;
    fn splat(x: u64) -> Self;
    /// Reverses the bytes of each lane.
    fn bswap(self) -> Self;
    fn add(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    fn and(self, o: Self) -> Self;
    /// Logical shift right of each lane; `n` is always a constant below 64.
    fn shr(self, n: u32) -> Self;
    /// Rotation right of each lane; `n` is always a constant in 1..64.
    fn rotr(self, n: u32) -> Self;
    /// Lane `i` (0 when `i` is not below 2).
    fn lane(self, i: usize) -> u64;
    /// Lane `i` replaced by `x` (unchanged when `i` is not below 2).
    fn with_lane(self, i: usize, x: u64) -> Self;
}

/// Portable `[u32; 4]` implementation of [`U32x4`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Portable32(pub [u32; 4]);

impl Portable32 {
    #[inline(always)]
    fn map(self, f: impl Fn(u32) -> u32) -> Self {
        let [a, b, c, d] = self.0;
        Self([f(a), f(b), f(c), f(d)])
    }
    #[inline(always)]
    fn zip(self, o: Self, f: impl Fn(u32, u32) -> u32) -> Self {
        let [a, b, c, d] = self.0;
        let [e, g, h, i] = o.0;
        Self([f(a, e), f(b, g), f(c, h), f(d, i)])
    }
}

impl U32x4 for Portable32 {
    #[inline(always)]
    fn new(a: u32, b: u32, c: u32, d: u32) -> Self {
        Self([a, b, c, d])
    }
    #[inline(always)]
    fn splat(x: u32) -> Self {
        Self([x; 4])
    }
    #[inline(always)]
    fn bswap(self) -> Self {
        self.map(u32::swap_bytes)
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        self.zip(o, u32::wrapping_add)
    }
    #[inline(always)]
    fn xor(self, o: Self) -> Self {
        self.zip(o, |x, y| x ^ y)
    }
    #[inline(always)]
    fn and(self, o: Self) -> Self {
        self.zip(o, |x, y| x & y)
    }
    #[inline(always)]
    fn shr(self, n: u32) -> Self {
        self.map(|x| x.wrapping_shr(n))
    }
    #[inline(always)]
    fn rotr(self, n: u32) -> Self {
        self.map(|x| x.rotate_right(n))
    }
    #[inline(always)]
    fn lane(self, i: usize) -> u32 {
        self.0.get(i).copied().unwrap_or(0)
    }
    #[inline(always)]
    fn with_lane(mut self, i: usize, x: u32) -> Self {
        if let Some(l) = self.0.get_mut(i) {
            *l = x;
        }
        self
    }
}

/// Portable `[u64; 2]` implementation of [`U64x2`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Portable64(pub [u64; 2]);

impl U64x2 for Portable64 {
    #[inline(always)]
    fn new(a: u64, b: u64) -> Self {
        Self([a, b])
    }
    #[inline(always)]
    fn splat(x: u64) -> Self {
        Self([x; 2])
    }
    #[inline(always)]
    fn bswap(self) -> Self {
        let [a, b] = self.0;
        Self([a.swap_bytes(), b.swap_bytes()])
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        let ([a, b], [c, d]) = (self.0, o.0);
        Self([a.wrapping_add(c), b.wrapping_add(d)])
    }
    #[inline(always)]
    fn xor(self, o: Self) -> Self {
        let ([a, b], [c, d]) = (self.0, o.0);
        Self([a ^ c, b ^ d])
    }
    #[inline(always)]
    fn and(self, o: Self) -> Self {
        let ([a, b], [c, d]) = (self.0, o.0);
        Self([a & c, b & d])
    }
    #[inline(always)]
    fn shr(self, n: u32) -> Self {
        let [a, b] = self.0;
        Self([a.wrapping_shr(n), b.wrapping_shr(n)])
    }
    #[inline(always)]
    fn rotr(self, n: u32) -> Self {
        let [a, b] = self.0;
        Self([a.rotate_right(n), b.rotate_right(n)])
    }
    #[inline(always)]
    fn lane(self, i: usize) -> u64 {
        self.0.get(i).copied().unwrap_or(0)
    }
    #[inline(always)]
    fn with_lane(mut self, i: usize, x: u64) -> Self {
        if let Some(l) = self.0.get_mut(i) {
            *l = x;
        }
        self
    }
}

/// `core::arch::wasm32` implementations (compile-time selected: wasm has no runtime detection).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod simd {
    use super::{U32x4, U64x2};
    use core::arch::wasm32::{
        i8x16_shuffle, u32x4, u32x4_add, u32x4_extract_lane, u32x4_replace_lane, u32x4_shl, u32x4_shr, u32x4_splat, u64x2, u64x2_add, u64x2_extract_lane,
        u64x2_replace_lane, u64x2_shl, u64x2_shr, u64x2_splat, v128, v128_and, v128_or, v128_xor,
    };

    /// Four u32 lanes in a `v128`.
    #[derive(Clone, Copy)]
    pub(crate) struct V32(v128);

    impl U32x4 for V32 {
        #[inline(always)]
        fn new(a: u32, b: u32, c: u32, d: u32) -> Self {
            Self(u32x4(a, b, c, d))
        }
        #[inline(always)]
        fn splat(x: u32) -> Self {
            Self(u32x4_splat(x))
        }
        #[inline(always)]
        fn bswap(self) -> Self {
            Self(i8x16_shuffle::<3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12>(self.0, self.0))
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            Self(u32x4_add(self.0, o.0))
        }
        #[inline(always)]
        fn xor(self, o: Self) -> Self {
            Self(v128_xor(self.0, o.0))
        }
        #[inline(always)]
        fn and(self, o: Self) -> Self {
            Self(v128_and(self.0, o.0))
        }
        #[inline(always)]
        fn shr(self, n: u32) -> Self {
            Self(u32x4_shr(self.0, n))
        }
        #[inline(always)]
        fn rotr(self, n: u32) -> Self {
            Self(v128_or(u32x4_shr(self.0, n), u32x4_shl(self.0, 32 - n)))
        }
        #[inline(always)]
        fn lane(self, i: usize) -> u32 {
            match i {
                0 => u32x4_extract_lane::<0>(self.0),
                1 => u32x4_extract_lane::<1>(self.0),
                2 => u32x4_extract_lane::<2>(self.0),
                3 => u32x4_extract_lane::<3>(self.0),
                _ => 0,
            }
        }
        #[inline(always)]
        fn with_lane(self, i: usize, x: u32) -> Self {
            Self(match i {
                0 => u32x4_replace_lane::<0>(self.0, x),
                1 => u32x4_replace_lane::<1>(self.0, x),
                2 => u32x4_replace_lane::<2>(self.0, x),
                3 => u32x4_replace_lane::<3>(self.0, x),
                _ => self.0,
            })
        }
    }

    /// Two u64 lanes in a `v128`.
    #[derive(Clone, Copy)]
    pub(crate) struct V64(v128);

    impl U64x2 for V64 {
        #[inline(always)]
        fn new(a: u64, b: u64) -> Self {
            Self(u64x2(a, b))
        }
        #[inline(always)]
        fn splat(x: u64) -> Self {
            Self(u64x2_splat(x))
        }
        #[inline(always)]
        fn bswap(self) -> Self {
            Self(i8x16_shuffle::<7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8>(self.0, self.0))
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            Self(u64x2_add(self.0, o.0))
        }
        #[inline(always)]
        fn xor(self, o: Self) -> Self {
            Self(v128_xor(self.0, o.0))
        }
        #[inline(always)]
        fn and(self, o: Self) -> Self {
            Self(v128_and(self.0, o.0))
        }
        #[inline(always)]
        fn shr(self, n: u32) -> Self {
            Self(u64x2_shr(self.0, n))
        }
        #[inline(always)]
        fn rotr(self, n: u32) -> Self {
            if n == 8 {
                // A whole-byte rotation is one byte shuffle.
                return Self(i8x16_shuffle::<1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8>(self.0, self.0));
            }
            Self(v128_or(u64x2_shr(self.0, n), u64x2_shl(self.0, 64 - n)))
        }
        #[inline(always)]
        fn lane(self, i: usize) -> u64 {
            match i {
                0 => u64x2_extract_lane::<0>(self.0),
                1 => u64x2_extract_lane::<1>(self.0),
                _ => 0,
            }
        }
        #[inline(always)]
        fn with_lane(self, i: usize, x: u64) -> Self {
            Self(match i {
                0 => u64x2_replace_lane::<0>(self.0, x),
                1 => u64x2_replace_lane::<1>(self.0, x),
                _ => self.0,
            })
        }
    }
}
