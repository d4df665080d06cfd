//! Multi-buffer SHA-256 / SHA-384 / SHA-512: many independent messages hashed at once, one per
//! SIMD lane (four for SHA-256 in `u32x4`, two for SHA-512/384 in `u64x2`), for batch work such as
//! a lock-file audit that hashes hundreds of tarballs or wheels.
//!
//! A single SHA-2 stream is a chain of dependent rounds that SIMD cannot shorten; independent
//! messages side by side can: every lane runs the same round on its own message. The messages
//! are scheduled over the lanes longest first; when a lane's message ends, its padding block(s)
//! go through, its digest is taken out, and the next message takes the lane (idle lanes hash a
//! zero block whose result is dropped). When fewer lanes than [`Engine::SIMD_FROM`] are left
//! busy and no message waits, the rest of each is finished by `sha2`'s one-stream compression,
//! which is faster than a mostly idle vector.
//!
//! The vector code runs on `wasm32` with `simd128` (`lanes::simd`). Elsewhere the public
//! functions hash each message with `sha2` (natively it has SHA-NI / AVX2 and beats this); the
//! tests run the same lane algorithm over the portable lanes (`lanes::Portable32`/`Portable64`)
//! against `sha2`.

use super::lanes::{U32x4, U64x2};
use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;
use core::marker::PhantomData;

/// SHA-256 of each message, in order.
pub fn sha256_many(messages: &[&[u8]]) -> Vec<[u8; 32]> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let words = run::<Sha256x4<super::lanes::simd::V32>, 64, 4>(messages, H256, Sha256x4::<super::lanes::simd::V32>::SIMD_FROM);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let words = one_by_one::<u32, 64>(messages, H256, sha2::block_api::compress256, 8);
    words.into_iter().map(be_bytes::<u32, 4, 8, 32>).collect()
}

/// SHA-512 of each message, in order.
pub fn sha512_many(messages: &[&[u8]]) -> Vec<[u8; 64]> {
    sha512_words(messages, H512).into_iter().map(be_bytes::<u64, 8, 8, 64>).collect()
}

/// SHA-384 of each message, in order (SHA-512 with another initial value, truncated).
pub fn sha384_many(messages: &[&[u8]]) -> Vec<[u8; 48]> {
    sha512_words(messages, H384)
        .into_iter()
        .map(|h| {
            let [a, b, c, d, e, f, ..] = h;
            be_bytes::<u64, 8, 6, 48>([a, b, c, d, e, f])
        })
        .collect()
}

fn sha512_words(messages: &[&[u8]], iv: [u64; 8]) -> Vec<[u64; 8]> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return run::<Sha512x2<super::lanes::simd::V64>, 128, 2>(messages, iv, Sha512x2::<super::lanes::simd::V64>::SIMD_FROM);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    one_by_one::<u64, 128>(messages, iv, sha2::block_api::compress512, 16)
}

/// The words of a state, big-endian: `N` words of `W` bytes into `O = N·W` bytes.
fn be_bytes<T: BeWord<W>, const W: usize, const N: usize, const O: usize>(words: [T; N]) -> [u8; O] {
    let mut out = [0u8; O];
    for (o, w) in out.as_chunks_mut::<W>().0.iter_mut().zip(words) {
        *o = w.be();
    }
    out
}

trait BeWord<const W: usize>: Copy {
    fn be(self) -> [u8; W];
}
impl BeWord<4> for u32 {
    fn be(self) -> [u8; 4] {
        self.to_be_bytes()
    }
}
impl BeWord<8> for u64 {
    fn be(self) -> [u8; 8] {
        self.to_be_bytes()
    }
}

/// Initial hash value of SHA-256, FIPS 180-4 §5.3.3.
pub(crate) const H256: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// Initial hash value of SHA-512, FIPS 180-4 §5.3.5.
pub(crate) const H512: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

/// Initial hash value of SHA-384, FIPS 180-4 §5.3.4.
pub(crate) const H384: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];

/// Round constants of SHA-256, FIPS 180-4 §4.2.2.
const K256: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
    0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
    0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
    0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
    0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Round constants of SHA-512, FIPS 180-4 §4.2.3.
const K512: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

/// One lane engine: `L` messages of `B`-byte blocks side by side.
pub(crate) trait Engine<const B: usize, const L: usize> {
    /// u32 (SHA-256) or u64 (SHA-512).
    type Word: Copy;
    /// The eight working words of all `L` lanes.
    type State;
    /// Bytes of the message length at the end of the padding (FIPS 180-4 §5.1).
    const LEN_BYTES: usize;
    /// Below this many busy lanes (and no message waiting) the rest is hashed one stream at a time.
    const SIMD_FROM: usize;
    fn state() -> Self::State;
    fn set_lane(s: &mut Self::State, lane: usize, h: [Self::Word; 8]);
    fn lane(s: &Self::State, lane: usize) -> [Self::Word; 8];
    /// One block per lane.
    fn compress(s: &mut Self::State, blocks: [&[u8; B]; L]);
    /// One stream: `sha2`'s compression function.
    fn one(h: &mut [Self::Word; 8], blocks: &[[u8; B]]);
}

/// A message in a lane: the whole blocks still to hash, then its padded last block(s).
struct Lane<'a, const B: usize> {
    /// Where its digest goes.
    index: usize,
    body: &'a [[u8; B]],
    tail: [[u8; B]; 2],
    tail_len: usize,
    tail_at: usize,
}

impl<'a, const B: usize> Lane<'a, B> {
    /// Splits `msg` into whole blocks and the padded rest: `0x80`, zeros, the bit length in the
    /// last `len_bytes` bytes, big-endian (FIPS 180-4 §5.1.1, §5.1.2), in one or two blocks.
    fn new(index: usize, msg: &'a [u8], len_bytes: usize) -> Self {
        let (body, rest) = msg.as_chunks::<B>();
        let mut tail = [[0u8; B]; 2];
        let flat = tail.as_flattened_mut();
        if let Some(dst) = flat.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        if let Some(p) = flat.get_mut(rest.len()) {
            *p = 0x80;
        }
        let tail_len = if rest.len() + 1 + len_bytes <= B { 1 } else { 2 };
        // usize is at most 64 bits on every target: the conversion is lossless, the length mod 2^128.
        let bits = u128::try_from(msg.len()).unwrap_or(u128::MAX).wrapping_mul(8).to_be_bytes();
        let end = tail_len * B;
        if let (Some(dst), Some(src)) = (flat.get_mut(end.saturating_sub(len_bytes)..end), bits.get(16usize.saturating_sub(len_bytes)..)) {
            dst.copy_from_slice(src);
        }
        Self { index, body, tail, tail_len, tail_at: 0 }
    }

    fn block(&self) -> Option<&[u8; B]> {
        self.body.first().or_else(|| self.tail.get(self.tail_at).filter(|_| self.tail_at < self.tail_len))
    }

    fn advance(&mut self) {
        match self.body.split_first() {
            Some((_, rest)) => self.body = rest,
            None => self.tail_at += 1,
        }
    }

    fn done(&self) -> bool {
        self.body.is_empty() && self.tail_at >= self.tail_len
    }

    /// The blocks not hashed yet, as two runs.
    fn rest(&self) -> (&'a [[u8; B]], &[[u8; B]]) {
        (self.body, self.tail.get(self.tail_at..self.tail_len).unwrap_or(&[]))
    }
}

/// Hashes `messages` over the `L` lanes of `E`, starting each from `iv`; returns the final
/// states in the order of `messages`. `simd_from`: [`Engine::SIMD_FROM`] (the tests also use 1,
/// never leaving the lanes).
pub(crate) fn run<E: Engine<B, L>, const B: usize, const L: usize>(messages: &[&[u8]], iv: [E::Word; 8], simd_from: usize) -> Vec<[E::Word; 8]> {
    let mut out = alloc::vec![iv; messages.len()];
    // Longest first, so that the lanes run out of work at about the same time (a heap: less code
    // than a sort).
    let mut waiting: BinaryHeap<(usize, Reverse<usize>)> = messages.iter().enumerate().map(|(i, m)| (m.len(), Reverse(i))).collect();
    let mut lanes: [Option<Lane<'_, B>>; L] = core::array::from_fn(|_| None);
    let mut state = E::state();
    let zero = [0u8; B];
    loop {
        let mut busy = 0;
        for (i, slot) in lanes.iter_mut().enumerate() {
            if let Some(lane) = slot.take_if(|l| l.done()) {
                if let Some(o) = out.get_mut(lane.index) {
                    *o = E::lane(&state, i);
                }
            }
            if slot.is_none() {
                if let Some((index, msg)) = waiting.pop().and_then(|(_, Reverse(i))| Some((i, *messages.get(i)?))) {
                    *slot = Some(Lane::new(index, msg, E::LEN_BYTES));
                    E::set_lane(&mut state, i, iv);
                }
            }
            busy += usize::from(slot.is_some());
        }
        if busy == 0 {
            break;
        }
        if busy < simd_from {
            // Nothing waits (else every lane would be busy): finish each one stream at a time.
            for (i, slot) in lanes.iter_mut().enumerate() {
                if let Some(lane) = slot.take() {
                    let mut h = E::lane(&state, i);
                    let (body, tail) = lane.rest();
                    E::one(&mut h, body);
                    E::one(&mut h, tail);
                    if let Some(o) = out.get_mut(lane.index) {
                        *o = h;
                    }
                }
            }
            break;
        }
        let blocks: [&[u8; B]; L] = core::array::from_fn(|i| lanes.get(i).and_then(|s| s.as_ref()).and_then(Lane::block).unwrap_or(&zero));
        E::compress(&mut state, blocks);
        for lane in lanes.iter_mut().flatten() {
            lane.advance();
        }
    }
    out
}

/// Without SIMD lanes: `sha2`'s compression, one message after the other (same padding).
#[cfg_attr(all(target_arch = "wasm32", target_feature = "simd128"), allow(dead_code))]
fn one_by_one<W: Copy, const B: usize>(messages: &[&[u8]], iv: [W; 8], compress: impl Fn(&mut [W; 8], &[[u8; B]]), len_bytes: usize) -> Vec<[W; 8]> {
    messages
        .iter()
        .map(|m| {
            let lane = Lane::<B>::new(0, m, len_bytes);
            let (body, tail) = lane.rest();
            let mut h = iv;
            compress(&mut h, body);
            compress(&mut h, tail);
            h
        })
        .collect()
}

/// One round, FIPS 180-4 §6.2.2 step 3 / §6.4.2 step 3, with `h` and `d` updated in place (the
/// caller renames the variables instead of moving them). `Ch(e,f,g) = g ⊕ (e ∧ (f ⊕ g))`,
/// `Maj(a,b,c) = b ⊕ ((a ⊕ b) ∧ (b ⊕ c))` with `b ⊕ c` carried over from the round before.
macro_rules! round {
    ($big0:ident, $big1:ident, $wk:expr, $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $bc:ident) => {
        let t1 = $h.add($big1($e)).add($g.xor($e.and($f.xor($g)))).add($wk);
        $d = $d.add(t1);
        let ab = $a.xor($b);
        $h = t1.add($big0($a)).add($b.xor(ab.and($bc)));
        $bc = ab;
    };
}

/// Sixteen rounds: `W[i] + K[i]` for `i` in 0..16 of the 16-word ring `w` and of the group `k` of
/// 16 constants, then the round, the variables rotating by one each round (back in place after
/// eight). `next`: the ring first moves on to the next 16 schedule words, one per round (FIPS 180-4
/// step 1: `W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]`, in the slot of `W[t-16]`).
/// Written once for the first 16 rounds and once for a loop over the other groups: all 64 (80)
/// unrolled would be twice (2.5 times) the code for no measured gain.
macro_rules! rounds16 {
    ($mode:ident, $k:ident, $big0:ident, $big1:ident, $small0:ident, $small1:ident, $w:ident,
     $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $bc:ident) => {
        rounds8!($mode, $k, $big0, $big1, $small0, $small1, $w, 0, $a, $b, $c, $d, $e, $f, $g, $h, $bc);
        rounds8!($mode, $k, $big0, $big1, $small0, $small1, $w, 8, $a, $b, $c, $d, $e, $f, $g, $h, $bc);
    };
}

macro_rules! rounds8 {
    ($mode:ident, $k:ident, $big0:ident, $big1:ident, $small0:ident, $small1:ident, $w:ident, $i:expr,
     $a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $bc:ident) => {
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i), $a, $b, $c, $d, $e, $f, $g, $h, $bc);
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i + 1), $h, $a, $b, $c, $d, $e, $f, $g, $bc);
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i + 2), $g, $h, $a, $b, $c, $d, $e, $f, $bc);
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i + 3), $f, $g, $h, $a, $b, $c, $d, $e, $bc);
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i + 4), $e, $f, $g, $h, $a, $b, $c, $d, $bc);
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i + 5), $d, $e, $f, $g, $h, $a, $b, $c, $bc);
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i + 6), $c, $d, $e, $f, $g, $h, $a, $b, $bc);
        round!($big0, $big1, wk!($mode, $k, $small0, $small1, $w, $i + 7), $b, $c, $d, $e, $f, $g, $h, $a, $bc);
    };
}

macro_rules! wk {
    (first, $k:ident, $small0:ident, $small1:ident, $w:ident, $i:expr) => {
        $w[$i].add($k[$i])
    };
    (next, $k:ident, $small0:ident, $small1:ident, $w:ident, $i:expr) => {{
        $w[$i] = $small1($w[($i + 14) % 16]).add($w[($i + 9) % 16]).add($small0($w[($i + 1) % 16])).add($w[$i]);
        $w[$i].add($k[$i])
    }};
}

/// Σ0, Σ1, σ0, σ1 of SHA-256, FIPS 180-4 (4.4)–(4.7), lane-wise. Nested, e.g.
/// `Σ0(a) = ROTR²(ROTR¹¹(ROTR⁹(a) ⊕ a) ⊕ a)`: the same value as the sum of three rotations
/// with fewer values live at once (fewer register spills in V8's code; the rounds are bound by
/// throughput, not by this longer chain).
#[inline(always)]
fn big0_256<V: U32x4>(x: V) -> V {
    x.rotr(9).xor(x).rotr(11).xor(x).rotr(2)
}
#[inline(always)]
fn big1_256<V: U32x4>(x: V) -> V {
    x.rotr(14).xor(x).rotr(5).xor(x).rotr(6)
}
#[inline(always)]
fn small0_256<V: U32x4>(x: V) -> V {
    x.rotr(11).xor(x).rotr(7).xor(x.shr(3))
}
#[inline(always)]
fn small1_256<V: U32x4>(x: V) -> V {
    x.rotr(2).xor(x).rotr(17).xor(x.shr(10))
}

/// Σ0, Σ1, σ0, σ1 of SHA-512, FIPS 180-4 (4.10)–(4.13), lane-wise, nested as for SHA-256.
#[inline(always)]
fn big0_512<V: U64x2>(x: V) -> V {
    x.rotr(5).xor(x).rotr(6).xor(x).rotr(28)
}
#[inline(always)]
fn big1_512<V: U64x2>(x: V) -> V {
    x.rotr(23).xor(x).rotr(4).xor(x).rotr(14)
}
#[inline(always)]
fn small0_512<V: U64x2>(x: V) -> V {
    // Flat: ROTR⁸ is one byte shuffle in wasm.
    x.rotr(1).xor(x.rotr(8)).xor(x.shr(7))
}
#[inline(always)]
fn small1_512<V: U64x2>(x: V) -> V {
    x.rotr(42).xor(x).rotr(19).xor(x.shr(6))
}

/// Big-endian word `t` of each of four 64-byte blocks, as lanes: little-endian scalar loads and
/// one lane-wise byte swap (wasm has a byte shuffle, no scalar byte swap).
#[inline(always)]
fn load4<V: U32x4>(b: &[&[u8; 64]; 4], t: usize) -> V {
    let [b0, b1, b2, b3] = b;
    let w = |x: &[u8; 64]| x.as_chunks::<4>().0.get(t).map_or(0, |c| u32::from_le_bytes(*c));
    V::new(w(b0), w(b1), w(b2), w(b3)).bswap()
}

/// Big-endian word `t` of each of two 128-byte blocks, as lanes.
#[inline(always)]
fn load2<V: U64x2>(b: &[&[u8; 128]; 2], t: usize) -> V {
    let [b0, b1] = b;
    let w = |x: &[u8; 128]| x.as_chunks::<8>().0.get(t).map_or(0, |c| u64::from_le_bytes(*c));
    V::new(w(b0), w(b1)).bswap()
}

/// SHA-256 in four lanes.
pub(crate) struct Sha256x4<V>(PhantomData<V>);

/// The working state of the lanes, and the round constants in every lane in `G` groups of 16
/// (read from memory: as immediates, V8 builds each vector constant with three instructions).
pub(crate) struct LaneState<V, const G: usize> {
    h: [V; 8],
    k: [[V; 16]; G],
}

/// `K` in groups of 16, each constant in every lane.
fn groups<W: Copy + Default, V: Copy, const G: usize>(k: &[W], splat: impl Fn(W) -> V) -> [[V; 16]; G] {
    core::array::from_fn(|g| core::array::from_fn(|i| splat(k.get(16 * g + i).copied().unwrap_or_default())))
}

impl<V: U32x4> Sha256x4<V> {
    /// One block per lane, FIPS 180-4 §6.2.2.
    // The last round's `bc` update is dead.
    #[allow(unused_assignments)]
    #[cfg_attr(sigstore_optimize_attr, optimize(speed))]
    #[inline(never)]
    fn compress4(state: &mut LaneState<V, 4>, blocks: [&[u8; 64]; 4]) {
        let mut w: [V; 16] = [
            load4(&blocks, 0),
            load4(&blocks, 1),
            load4(&blocks, 2),
            load4(&blocks, 3),
            load4(&blocks, 4),
            load4(&blocks, 5),
            load4(&blocks, 6),
            load4(&blocks, 7),
            load4(&blocks, 8),
            load4(&blocks, 9),
            load4(&blocks, 10),
            load4(&blocks, 11),
            load4(&blocks, 12),
            load4(&blocks, 13),
            load4(&blocks, 14),
            load4(&blocks, 15),
        ];
        let [k0, k1, k2, k3] = &state.k;
        let [s0, s1, s2, s3, s4, s5, s6, s7] = state.h;
        let (mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h) = (s0, s1, s2, s3, s4, s5, s6, s7);
        let mut bc = b.xor(c);
        rounds16!(first, k0, big0_256, big1_256, small0_256, small1_256, w, a, b, c, d, e, f, g, h, bc);
        for k in [k1, k2, k3] {
            rounds16!(next, k, big0_256, big1_256, small0_256, small1_256, w, a, b, c, d, e, f, g, h, bc);
        }
        // FIPS 180-4 §6.2.2 step 4
        state.h = [s0.add(a), s1.add(b), s2.add(c), s3.add(d), s4.add(e), s5.add(f), s6.add(g), s7.add(h)];
    }
}

impl<V: U32x4> Engine<64, 4> for Sha256x4<V> {
    type Word = u32;
    type State = LaneState<V, 4>;
    const LEN_BYTES: usize = 8;
    const SIMD_FROM: usize = 2;
    fn state() -> Self::State {
        LaneState { h: [V::splat(0); 8], k: groups(&K256, V::splat) }
    }
    fn set_lane(s: &mut Self::State, lane: usize, h: [u32; 8]) {
        for (v, x) in s.h.iter_mut().zip(h) {
            *v = v.with_lane(lane, x);
        }
    }
    fn lane(s: &Self::State, lane: usize) -> [u32; 8] {
        s.h.map(|v| v.lane(lane))
    }
    fn compress(s: &mut Self::State, blocks: [&[u8; 64]; 4]) {
        Self::compress4(s, blocks)
    }
    fn one(h: &mut [u32; 8], blocks: &[[u8; 64]]) {
        sha2::block_api::compress256(h, blocks)
    }
}

/// SHA-512 (and SHA-384) in two lanes.
pub(crate) struct Sha512x2<V>(PhantomData<V>);

impl<V: U64x2> Sha512x2<V> {
    /// One block per lane, FIPS 180-4 §6.4.2.
    #[allow(unused_assignments)]
    #[cfg_attr(sigstore_optimize_attr, optimize(speed))]
    #[inline(never)]
    fn compress2(state: &mut LaneState<V, 5>, blocks: [&[u8; 128]; 2]) {
        let mut w: [V; 16] = [
            load2(&blocks, 0),
            load2(&blocks, 1),
            load2(&blocks, 2),
            load2(&blocks, 3),
            load2(&blocks, 4),
            load2(&blocks, 5),
            load2(&blocks, 6),
            load2(&blocks, 7),
            load2(&blocks, 8),
            load2(&blocks, 9),
            load2(&blocks, 10),
            load2(&blocks, 11),
            load2(&blocks, 12),
            load2(&blocks, 13),
            load2(&blocks, 14),
            load2(&blocks, 15),
        ];
        let [k0, k1, k2, k3, k4] = &state.k;
        let [s0, s1, s2, s3, s4, s5, s6, s7] = state.h;
        let (mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h) = (s0, s1, s2, s3, s4, s5, s6, s7);
        let mut bc = b.xor(c);
        rounds16!(first, k0, big0_512, big1_512, small0_512, small1_512, w, a, b, c, d, e, f, g, h, bc);
        for k in [k1, k2, k3, k4] {
            rounds16!(next, k, big0_512, big1_512, small0_512, small1_512, w, a, b, c, d, e, f, g, h, bc);
        }
        // FIPS 180-4 §6.4.2 step 4
        state.h = [s0.add(a), s1.add(b), s2.add(c), s3.add(d), s4.add(e), s5.add(f), s6.add(g), s7.add(h)];
    }
}

impl<V: U64x2> Engine<128, 2> for Sha512x2<V> {
    type Word = u64;
    type State = LaneState<V, 5>;
    const LEN_BYTES: usize = 16;
    const SIMD_FROM: usize = 2;
    fn state() -> Self::State {
        LaneState { h: [V::splat(0); 8], k: groups(&K512, V::splat) }
    }
    fn set_lane(s: &mut Self::State, lane: usize, h: [u64; 8]) {
        for (v, x) in s.h.iter_mut().zip(h) {
            *v = v.with_lane(lane, x);
        }
    }
    fn lane(s: &Self::State, lane: usize) -> [u64; 8] {
        s.h.map(|v| v.lane(lane))
    }
    fn compress(s: &mut Self::State, blocks: [&[u8; 128]; 2]) {
        Self::compress2(s, blocks)
    }
    fn one(h: &mut [u64; 8], blocks: &[[u8; 128]]) {
        sha2::block_api::compress512(h, blocks)
    }
}
