//! Fixed-base tables for ECDSA verification with trusted keys (issue 5, "fast signature checks").
//!
//! A [`FixedBase`] holds, for one point `P`, the affine points `j·2^(W·i)·P` for every window
//! `i` and `1 <= j <= 2^(W-1)`. A scalar is recoded into signed base-`2^W` digits, so `k·P` is
//! one mixed addition (or subtraction) per non-zero digit: no doublings at all. ECDSA
//! verification (SEC 1 v2 §4.1.4) computes `u1·G + u2·Q` with a table for the generator `G`
//! (shared by all keys of a curve) and one for the trusted key `Q`.
//!
//! Everything here is variable-time: it only ever sees public data (keys, signatures, digests).

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use p256::elliptic_curve::group::Group;
use p256::elliptic_curve::ops::{Invert, Reduce};
use p256::elliptic_curve::point::AffineCoordinates;
use p256::elliptic_curve::scalar::IsHigh;
use p256::elliptic_curve::{FieldBytes, PrimeField, Scalar};
use primeorder::elliptic_curve::BatchNormalize;
use primeorder::{AffinePoint, PrimeCurveParams, ProjectivePoint};

/// Window width in bits. Each window stores `2^(W-1)` points; a 256-bit scalar has 52 signed
/// digits, a 384-bit one 77: 58.5 KiB per P-256 table, 125 KiB per P-384 table (64-bit
/// targets). Measured natively, W = 4 costs ~25% more per check for 37% less memory and set-up
/// time, W = 6 saves ~10% per check for 65% more of both; 5 is the middle.
const W: usize = 5;
/// Points per window: the multiples `1..=HALF` (negative digits use the negated point).
const HALF: usize = 1 << (W - 1);

/// `j·2^(W·i)·P` for `i < windows`, `1 <= j <= HALF`, stored window by window.
pub struct FixedBase<C: PrimeCurveParams> {
    points: Vec<AffinePoint<C>>,
}

/// Windows needed for a signed-digit recoding of any scalar below the curve order: the top
/// digit may absorb one carry, hence `NUM_BITS + 1` bits.
fn windows<C: PrimeCurveParams>() -> usize {
    // NUM_BITS is at most 521 here, so it fits in any usize.
    (usize::try_from(Scalar::<C>::NUM_BITS).unwrap_or(usize::MAX - 1) + 1).div_ceil(W)
}

impl<C: PrimeCurveParams> FixedBase<C> {
    /// Build the table for `p` (`p` is never the identity for a parsed public key or `G`).
    pub fn new(p: ProjectivePoint<C>) -> Self {
        let n = windows::<C>();
        let mut proj: Vec<ProjectivePoint<C>> = Vec::with_capacity(n * HALF);
        let mut base = p;
        for _ in 0..n {
            // base = 2^(W·i)·P; the window holds base, 2·base, ..., HALF·base (the addition
            // formulas are complete, so base + base is fine).
            let mut acc = base;
            proj.push(acc);
            for _ in 1..HALF {
                acc += &base;
                proj.push(acc);
            }
            // 2^W·base = 2·(HALF·base).
            base = acc.double();
        }
        // One field inversion for the whole table.
        let points = <ProjectivePoint<C> as BatchNormalize<[ProjectivePoint<C>]>>::batch_normalize(proj.as_slice());
        FixedBase { points }
    }

    /// Heap bytes held by the table.
    pub fn bytes(&self) -> usize {
        self.points.len() * core::mem::size_of::<AffinePoint<C>>()
    }

    /// `acc += k·P`, by table lookups and mixed additions only (variable time).
    pub fn add_mul_vartime(&self, acc: &mut ProjectivePoint<C>, k: &Scalar<C>) {
        let repr = k.to_repr();
        let bytes: &[u8] = repr.as_ref();
        let mut carry = 0usize;
        for (i, row) in self.points.chunks_exact(HALF).enumerate() {
            // Signed digit: d = window + carry, taken as d - 2^W (and carry 1) when above HALF.
            let d = window_bits(bytes, i * W) + carry;
            let (neg, mag) = if d > HALF { (true, (1 << W) - d) } else { (false, d) };
            carry = usize::from(d > HALF);
            let Some(pt) = mag.checked_sub(1).and_then(|j| row.get(j)) else { continue };
            if neg {
                *acc -= pt;
            } else {
                *acc += pt;
            }
        }
        debug_assert_eq!(carry, 0, "scalar wider than the table");
    }
}

/// Bits `pos..pos+W` of the big-endian integer `be` (bits past its end are zero).
fn window_bits(be: &[u8], pos: usize) -> usize {
    let mut v = 0;
    for b in 0..W {
        let bit = pos + b;
        let byte = be.len().checked_sub(1 + bit / 8).and_then(|i| be.get(i)).copied().unwrap_or(0);
        v |= usize::from((byte >> (bit % 8)) & 1) << b;
    }
    v
}

impl<C: PrimeCurveParams> fmt::Debug for FixedBase<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FixedBase({} points, {} bytes)", self.points.len(), self.bytes())
    }
}

/// The tables one ECDSA verification needs: the curve's generator (shared) and the key.
pub struct KeyTable<C: PrimeCurveParams> {
    pub g: Arc<FixedBase<C>>,
    pub q: FixedBase<C>,
}

impl<C: PrimeCurveParams> fmt::Debug for KeyTable<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyTable({} bytes, generator table shared)", self.q.bytes())
    }
}

/// `e` of SEC 1 v2 §4.1.4 steps 3–4: the leftmost `8·len(n)` bits of the digest as an
/// integer (left-padded with zeros when the digest is shorter), reduced mod n. This matches
/// `ecdsa::hazmat::bytes2scalar` for curves whose order is a whole number of bytes (P-256,
/// P-384); not used for P-521.
fn digest_scalar<C: PrimeCurveParams>(digest: &[u8]) -> Scalar<C> {
    let mut fb = FieldBytes::<C>::default();
    let out: &mut [u8] = fb.as_mut();
    let take = digest.len().min(out.len());
    let start = out.len() - take;
    if let (Some(dst), Some(src)) = (out.get_mut(start..), digest.get(..take)) {
        dst.copy_from_slice(src);
    }
    <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&fb)
}

/// SEC 1 v2 §4.1.4 (ECDSA verification) with tables for `G` and `Q`. `sig` already holds `r`
/// and `s` in `[1, n-1]` (step 1, enforced by `ecdsa::Signature`).
pub fn verify_prehash<C>(t: &KeyTable<C>, digest: &[u8], sig: &ecdsa::Signature<C>) -> bool
where
    C: PrimeCurveParams + ecdsa::EcdsaCurve,
{
    let (r, s) = sig.split_scalars();
    // Same rule as `ecdsa::hazmat::verify_prehashed` (never true for P-256 / P-384).
    if C::NORMALIZE_S && bool::from(s.is_high()) {
        return false;
    }
    // Steps 2–4: e from the digest.
    let e = digest_scalar::<C>(digest);
    // Step 5: u1 = e·s^-1, u2 = r·s^-1 mod n.
    let w = *s.invert_vartime();
    let u1 = e * w;
    let u2 = *r * w;
    // Step 5: R = u1·G + u2·Q; reject the point at infinity.
    let mut acc = ProjectivePoint::<C>::IDENTITY;
    t.g.add_mul_vartime(&mut acc, &u1);
    t.q.add_mul_vartime(&mut acc, &u2);
    if bool::from(acc.is_identity()) {
        return false;
    }
    // Steps 6–8: v = x_R mod n; accept iff v == r.
    let x = acc.to_affine().x();
    <Scalar<C> as Reduce<FieldBytes<C>>>::reduce(&x) == *r
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    extern crate std;
    use super::*;
    use crate::crypto::{verify_one, EcTable, Generators, HashAlg, Key, Message, PublicKey, Scheme};
    use alloc::vec;
    use sha2::Digest;

    /// Deterministic test bytes: SHA-512 of (seed, counter).
    struct Rng(u64, u64);
    impl Rng {
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            let mut out = Vec::new();
            while out.len() < n {
                self.1 += 1;
                let mut h = sha2::Sha512::new();
                h.update(self.0.to_be_bytes());
                h.update(self.1.to_be_bytes());
                out.extend_from_slice(&h.finalize());
            }
            out.truncate(n);
            out
        }
        fn below(&mut self, n: usize) -> usize {
            self.bytes(1).first().map_or(0, |b| usize::from(*b) % n)
        }
    }

    /// DER `Ecdsa-Sig-Value` (RFC 3279 §2.2.3) from big-endian r and s, minimally encoded.
    fn der_sig(r: &[u8], s: &[u8]) -> Vec<u8> {
        fn int(v: &[u8]) -> Vec<u8> {
            let v: Vec<u8> = v.iter().copied().skip_while(|b| *b == 0).collect();
            let mut body = if v.first().is_some_and(|b| b & 0x80 != 0) || v.is_empty() { vec![0] } else { vec![] };
            body.extend_from_slice(&v);
            let mut out = vec![0x02, body.len() as u8];
            out.extend(body);
            out
        }
        let mut body = int(r);
        body.extend(int(s));
        let mut out = vec![0x30, body.len() as u8];
        out.extend(body);
        out
    }

    fn be_add(a: &[u8], k: u8) -> Vec<u8> {
        let mut v = a.to_vec();
        let mut carry = u16::from(k);
        for b in v.iter_mut().rev() {
            let x = u16::from(*b) + carry;
            *b = x as u8;
            carry = x >> 8;
        }
        v
    }

    macro_rules! curve_tests {
        ($m:ident, $c:ident, $k:ident, $variant:ident, $field:expr) => {
            mod $m {
                use super::*;
                use $k::elliptic_curve::NonZeroScalar;
                type C = $k::$c;
                type S = Scalar<C>;
                type P = ProjectivePoint<C>;

                fn scalar(rng: &mut Rng) -> S {
                    let mut fb = FieldBytes::<C>::default();
                    fb.copy_from_slice(&rng.bytes($field));
                    <S as Reduce<FieldBytes<C>>>::reduce(&fb)
                }

                fn nonzero(rng: &mut Rng) -> NonZeroScalar<C> {
                    loop {
                        if let Some(s) = Option::from(NonZeroScalar::<C>::new(scalar(rng))) {
                            return s;
                        }
                    }
                }

                /// n as big-endian bytes: (n - 1) + 1.
                fn order() -> Vec<u8> {
                    be_add((-S::ONE).to_repr().as_ref(), 1)
                }

                fn keys(rng: &mut Rng) -> (NonZeroScalar<C>, PublicKey, PublicKey, Generators) {
                    let d = nonzero(rng);
                    let q = (P::GENERATOR * *d).to_affine();
                    let vk = ecdsa::VerifyingKey::<C>::from_affine(q).unwrap();
                    let plain = PublicKey { key: Key::$variant(vk), der: Vec::new(), table: None };
                    let mut fast = plain.clone();
                    let mut gens = Generators::default();
                    assert!(fast.precompute(&mut gens));
                    assert!(fast.table.is_some() && plain.table.is_none());
                    (d, plain, fast, gens)
                }

                #[test]
                fn table_mul_matches_reference() {
                    let mut rng = Rng(1, 0);
                    let q = P::GENERATOR * *nonzero(&mut rng);
                    let (tg, tq) = (FixedBase::new(P::GENERATOR), FixedBase::new(q));
                    let mut ks = vec![S::ZERO, S::ONE, -S::ONE, -S::ONE - S::ONE, S::from(15u64), S::from(16u64), S::from(17u64), S::from(31u64), S::from(32u64), S::from(33u64)];
                    ks.push(S::from(u64::MAX));
                    // 2^(bits-1) and 2^(bits-1) - 1: the top windows and the final carry.
                    let mut top = S::ONE;
                    for _ in 0..(S::NUM_BITS - 1) {
                        top = top.double();
                    }
                    ks.extend([top, top - S::ONE, top + top - S::ONE]);
                    for _ in 0..40 {
                        ks.push(scalar(&mut rng));
                    }
                    for k in ks {
                        for (t, p) in [(&tg, P::GENERATOR), (&tq, q)] {
                            let mut acc = P::IDENTITY;
                            t.add_mul_vartime(&mut acc, &k);
                            assert_eq!(acc, p * k);
                        }
                    }
                }

                /// Verdicts of the key without and with its table, through `verify_one`.
                fn same(plain: &PublicKey, fast: &PublicKey, h: HashAlg, digest: &[u8], sig: &[u8]) -> bool {
                    let m = Message::Prehashed(h, digest.to_vec());
                    let a = verify_one(plain, Scheme::Ecdsa(h), &m, sig).unwrap();
                    let b = verify_one(fast, Scheme::Ecdsa(h), &m, sig).unwrap();
                    assert_eq!(a, b, "verdicts differ for {h:?} digest {digest:02x?} sig {sig:02x?}");
                    a
                }

                #[test]
                fn random_signatures_same_verdict() {
                    let mut rng = Rng(2, 0);
                    let (d, plain, fast, _) = keys(&mut rng);
                    let (mut valid, mut high_s) = (0, 0);
                    for i in 0..120 {
                        let h = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512][i % 3];
                        let mut digest = rng.bytes(h.output_len());
                        let k = nonzero(&mut rng);
                        let (sig, _) = ecdsa::hazmat::sign_prehashed::<C>(&d, &k, &digest).unwrap();
                        let (r, s) = (sig.r().to_repr(), sig.s().to_repr());
                        let (r, s) = (r.as_slice(), s.as_slice());
                        let neg_s = (-*sig.s()).to_repr();
                        high_s += usize::from(bool::from(sig.s().is_high()));
                        // Valid, with s and with n - s (both verify: no low-S rule).
                        assert!(same(&plain, &fast, h, &digest, &der_sig(r, s)));
                        assert!(same(&plain, &fast, h, &digest, &der_sig(r, neg_s.as_slice())));
                        valid += 1;
                        // Swapped, off by one, bit flips in r, s, digest.
                        assert!(!same(&plain, &fast, h, &digest, &der_sig(s, r)));
                        assert!(!same(&plain, &fast, h, &digest, &der_sig(&be_add(r, 1), s)));
                        let mut r2 = r.to_vec();
                        let j = rng.below(r2.len());
                        r2[j] ^= 1 << rng.below(8);
                        same(&plain, &fast, h, &digest, &der_sig(&r2, s));
                        let mut s2 = s.to_vec();
                        s2[j] ^= 0x80;
                        same(&plain, &fast, h, &digest, &der_sig(r, &s2));
                        let good = der_sig(r, s);
                        let j = rng.below(digest.len());
                        digest[j] ^= 1 << rng.below(8);
                        // Bits past the field size are not part of e (SEC 1 §4.1.4 step 3).
                        let ignored = j >= $field;
                        assert_eq!(same(&plain, &fast, h, &digest, &good), ignored);
                        // Truncated and trailing-garbage DER.
                        same(&plain, &fast, h, &digest, &good[..good.len() - 1]);
                        let mut long = good.clone();
                        long.push(0);
                        same(&plain, &fast, h, &digest, &long);
                    }
                    assert!(valid > 0 && high_s > 0 && high_s < 120);
                }

                #[test]
                fn out_of_range_scalars_rejected_by_both() {
                    let mut rng = Rng(3, 0);
                    let (_, plain, fast, _) = keys(&mut rng);
                    let n = order();
                    let n1 = be_add(&(-S::ONE).to_repr(), 0);
                    let one = [1u8];
                    let digest = rng.bytes(64);
                    let ff = vec![0xff; $field];
                    let big = vec![0x7f; $field + 1];
                    for (r, s) in [
                        (&[0u8][..], &one[..]),
                        (&one[..], &[0u8][..]),
                        (&[0u8][..], &[0u8][..]),
                        (&n[..], &one[..]),
                        (&one[..], &n[..]),
                        (&be_add(&n, 1)[..], &one[..]),
                        (&ff[..], &one[..]),
                        (&one[..], &ff[..]),
                        (&big[..], &one[..]),
                        (&n1[..], &n1[..]),
                        (&one[..], &one[..]),
                    ] {
                        for h in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
                            assert!(!same(&plain, &fast, h, &digest[..h.output_len()], &der_sig(r, s)));
                        }
                    }
                    // Negative INTEGERs and a non-minimal encoding are refused by the DER parser.
                    assert!(!same(&plain, &fast, HashAlg::Sha256, &digest[..32], &[0x30, 6, 2, 1, 0x81, 2, 1, 1]));
                    assert!(!same(&plain, &fast, HashAlg::Sha256, &digest[..32], &[0x30, 7, 2, 2, 0, 1, 2, 1, 1]));
                }

                /// The table's own `e` (digest of any length, SEC 1 §4.1.4 step 3) against a
                /// signature made over the same truncated/padded integer.
                #[test]
                fn any_digest_length() {
                    let mut rng = Rng(4, 0);
                    let (d, _, fast, _) = keys(&mut rng);
                    let Some(EcTable::$variant(t)) = fast.table.as_deref() else { panic!("no table") };
                    for len in [0usize, 1, 20, 31, 32, 33, 47, 48, 49, 64, 100] {
                        let digest = rng.bytes(len);
                        let k = nonzero(&mut rng);
                        // Sign the field-sized form, which the reference reads without ambiguity.
                        let mut fb = vec![0u8; $field];
                        let take = len.min($field);
                        fb[$field - take..].copy_from_slice(&digest[..take]);
                        let (sig, _) = ecdsa::hazmat::sign_prehashed::<C>(&d, &k, &fb).unwrap();
                        assert!(verify_prehash(t, &digest, &sig), "length {len}");
                        assert!(!verify_prehash(t, &be_add(&fb, 1), &sig), "length {len}");
                        // And the ecdsa crate agrees on every length.
                        let Key::$variant(vk) = &fast.key else { panic!("key type") };
                        assert!(signature::hazmat::PrehashVerifier::verify_prehash(vk, &digest, &sig).is_ok(), "length {len}");
                    }
                }
            }
        };
    }

    curve_tests!(p256_tests, NistP256, p256, P256, 32);
    curve_tests!(p384_tests, NistP384, p384, P384, 48);

    #[test]
    fn clones_share_the_table_and_equality_ignores_it() {
        let root = crate::trust_root::TrustedRoot::production().unwrap();
        let mut gens = Generators::default();
        let mut k = root.tlogs[0].key.clone();
        assert!(k.precompute(&mut gens));
        let c = k.clone();
        assert!(Arc::ptr_eq(k.table.as_ref().unwrap(), c.table.as_ref().unwrap()));
        assert_eq!(k, root.tlogs[0].key);
        assert!(std::format!("{k:?}").contains("KeyTable("));
        // Ed25519 keys get no table.
        let mut ed = root.tlogs[1].key.clone();
        assert!(!ed.precompute(&mut gens));
        assert_eq!(ed.table_bytes(), 0);
    }
}
