//! A tiny "vector" abstraction: the few 4 × u32 and 2 × u64 lane operations that the SHA-2 message
//! schedules need.
//!
//! The schedule and compression code in `sha256.rs` / `sha512.rs` is written once against the
//! [`U32x4`] and [`U64x2`] traits. Two implementations exist:
//! - [`Portable32`] / [`Portable64`]: plain arrays, compiled everywhere, so the very same algorithm
//!   is unit-tested natively in `cargo test`;
//! - `simd::V32` / `simd::V64` (only on `wasm32` with the `simd128` target feature): thin wrappers
//!   over `core::arch::wasm32::v128`, using only the safe lane-arithmetic intrinsics (no
//!   `v128_load`/`v128_store`).

/// Four u32 lanes (SHA-256 message words).
pub(crate) trait U32x4: Copy {
    fn new(a: u32, b: u32, c: u32, d: u32) -> Self;
    /// Reverses the bytes of each lane (turns little-endian loads into big-endian words).
    fn bswap(self) -> Self;
    fn add(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    /// Logical shift right of each lane; `n` is always a constant below 32.
    fn shr(self, n: u32) -> Self;
    /// Shift left of each lane; `n` is always a constant below 32.
    fn shl(self, n: u32) -> Self;
    /// `[self1, self2, self3, next0]`: the window one word further on.
    fn window1(self, next: Self) -> Self;
    /// `[self2, self3, 0, 0]`.
    fn high_to_low(self) -> Self;
    /// `[0, 0, self0, self1]`.
    fn low_to_high(self) -> Self;
    fn to_array(self) -> [u32; 4];
}

/// Two u64 lanes (SHA-512 message words).
pub(crate) trait U64x2: Copy {
    fn new(a: u64, b: u64) -> Self;
    /// Reverses the bytes of each lane.
    fn bswap(self) -> Self;
    fn add(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    /// Logical shift right of each lane; `n` is always a constant below 64.
    fn shr(self, n: u32) -> Self;
    /// Shift left of each lane; `n` is always a constant below 64.
    fn shl(self, n: u32) -> Self;
    /// `[self1, next0]`: the window one word further on.
    fn window1(self, next: Self) -> Self;
    fn to_array(self) -> [u64; 2];
}

/// Portable `[u32; 4]` implementation of [`U32x4`].
#[cfg_attr(not(test), allow(dead_code))] // only the tests use it in simd128 builds
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Portable32(pub [u32; 4]);

#[cfg_attr(not(test), allow(dead_code))]
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
    fn shr(self, n: u32) -> Self {
        self.map(|x| x.wrapping_shr(n))
    }
    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        self.map(|x| x.wrapping_shl(n))
    }
    #[inline(always)]
    fn window1(self, next: Self) -> Self {
        let [_, a1, a2, a3] = self.0;
        let [b0, ..] = next.0;
        Self([a1, a2, a3, b0])
    }
    #[inline(always)]
    fn high_to_low(self) -> Self {
        let [_, _, a2, a3] = self.0;
        Self([a2, a3, 0, 0])
    }
    #[inline(always)]
    fn low_to_high(self) -> Self {
        let [a0, a1, _, _] = self.0;
        Self([0, 0, a0, a1])
    }
    #[inline(always)]
    fn to_array(self) -> [u32; 4] {
        self.0
    }
}

/// Portable `[u64; 2]` implementation of [`U64x2`].
#[cfg_attr(not(test), allow(dead_code))] // only the tests use it in simd128 builds
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Portable64(pub [u64; 2]);

impl U64x2 for Portable64 {
    #[inline(always)]
    fn new(a: u64, b: u64) -> Self {
        Self([a, b])
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
    fn shr(self, n: u32) -> Self {
        let [a, b] = self.0;
        Self([a.wrapping_shr(n), b.wrapping_shr(n)])
    }
    #[inline(always)]
    fn shl(self, n: u32) -> Self {
        let [a, b] = self.0;
        Self([a.wrapping_shl(n), b.wrapping_shl(n)])
    }
    #[inline(always)]
    fn window1(self, next: Self) -> Self {
        let ([_, a1], [b0, _]) = (self.0, next.0);
        Self([a1, b0])
    }
    #[inline(always)]
    fn to_array(self) -> [u64; 2] {
        self.0
    }
}

/// `core::arch::wasm32` implementations (compile-time selected: wasm has no runtime detection).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod simd {
    use super::{U32x4, U64x2};
    use core::arch::wasm32::{
        i8x16_shuffle, u32x4, u32x4_add, u32x4_extract_lane, u32x4_shl, u32x4_shr, u32x4_shuffle, u64x2, u64x2_add, u64x2_extract_lane, u64x2_shl, u64x2_shr,
        u64x2_shuffle, v128, v128_xor,
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
        fn shr(self, n: u32) -> Self {
            Self(u32x4_shr(self.0, n))
        }
        #[inline(always)]
        fn shl(self, n: u32) -> Self {
            Self(u32x4_shl(self.0, n))
        }
        #[inline(always)]
        fn window1(self, next: Self) -> Self {
            Self(u32x4_shuffle::<1, 2, 3, 4>(self.0, next.0))
        }
        #[inline(always)]
        fn high_to_low(self) -> Self {
            Self(u32x4_shuffle::<2, 3, 4, 4>(self.0, u32x4(0, 0, 0, 0)))
        }
        #[inline(always)]
        fn low_to_high(self) -> Self {
            Self(u32x4_shuffle::<4, 4, 0, 1>(self.0, u32x4(0, 0, 0, 0)))
        }
        #[inline(always)]
        fn to_array(self) -> [u32; 4] {
            [u32x4_extract_lane::<0>(self.0), u32x4_extract_lane::<1>(self.0), u32x4_extract_lane::<2>(self.0), u32x4_extract_lane::<3>(self.0)]
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
        fn shr(self, n: u32) -> Self {
            Self(u64x2_shr(self.0, n))
        }
        #[inline(always)]
        fn shl(self, n: u32) -> Self {
            Self(u64x2_shl(self.0, n))
        }
        #[inline(always)]
        fn window1(self, next: Self) -> Self {
            Self(u64x2_shuffle::<1, 2>(self.0, next.0))
        }
        #[inline(always)]
        fn to_array(self) -> [u64; 2] {
            [u64x2_extract_lane::<0>(self.0), u64x2_extract_lane::<1>(self.0)]
        }
    }
}
