//! Key and signature checks done on bytes alone, with no curve or big-integer arithmetic: what
//! the web build (no `native-crypto`) checks itself before a signature goes to WebCrypto. Both
//! builds compile these functions; the full build's tests assert that they agree with the curve
//! and RSA crates the full build uses (`tests` below and in `webcrypto.rs`).
//!
//! What bytes cannot tell (an EC point off its curve, an Ed25519 key that is no curve point) is
//! left to WebCrypto's `importKey`, which refuses such keys: the web build then fails the check
//! with its own code (`SIGNATURE_NEEDS_FULL_BUILD`, pkg/src/web-api.js) where the full build
//! refused the key at parse.

use alloc::vec::Vec;
use der::asn1::UintRef;
use der::Decode;

/// The NIST curves the verifier supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

/// SEC 1 field primes and group orders, big-endian, each the curve's field length.
const P256_P: [u8; 32] = hex32(*b"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
const P256_N: [u8; 32] = hex32(*b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const P384_P: [u8; 48] = hex48(*b"fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff");
const P384_N: [u8; 48] = hex48(*b"ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973");
const P521_P: [u8; 66] =
    hex66(*b"01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
const P521_N: [u8; 66] =
    hex66(*b"01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409");

const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => 0,
    }
}

macro_rules! hex_fn {
    ($name:ident, $n:literal) => {
        // Const evaluation of fixed literals: the indexes are in range by construction.
        #[allow(clippy::indexing_slicing)]
        const fn $name(s: [u8; 2 * $n]) -> [u8; $n] {
            let mut out = [0u8; $n];
            let mut i = 0;
            while i < $n {
                out[i] = (nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]);
                i += 1;
            }
            out
        }
    };
}
hex_fn!(hex32, 32);
hex_fn!(hex48, 48);
hex_fn!(hex66, 66);

impl Curve {
    /// Field (and scalar) length in bytes.
    pub fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    fn prime(self) -> &'static [u8] {
        match self {
            Curve::P256 => &P256_P,
            Curve::P384 => &P384_P,
            Curve::P521 => &P521_P,
        }
    }

    fn order(self) -> &'static [u8] {
        match self {
            Curve::P256 => &P256_N,
            Curve::P384 => &P384_N,
            Curve::P521 => &P521_N,
        }
    }
}

/// `a < b` for big-endian byte strings of the same length.
fn below(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a < b
}

/// An EC public key as its SEC 1 encoding, checked as far as bytes allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcPoint(Vec<u8>);

impl EcPoint {
    pub fn as_sec1(&self) -> &[u8] {
        &self.0
    }
}

/// A SEC 1 point encoding the curve crates could accept: uncompressed `04 || x || y` or
/// compressed `02|03 || x`, each coordinate below the field prime (the identity `00` is refused,
/// as `VerifyingKey::from_sec1_bytes` refuses it). Whether the point is on the curve is left to
/// WebCrypto's `importKey`.
pub fn ec_point(curve: Curve, sec1: &[u8]) -> Option<EcPoint> {
    let l = curve.field_len();
    let (&tag, rest) = sec1.split_first()?;
    let ok = match tag {
        0x04 if rest.len() == 2 * l => {
            let (x, y) = rest.split_at(l);
            below(x, curve.prime()) && below(y, curve.prime())
        }
        0x02 | 0x03 if rest.len() == l => below(rest, curve.prime()),
        _ => false,
    };
    ok.then(|| EcPoint(sec1.to_vec()))
}

/// `SEQUENCE { INTEGER r, INTEGER s }` (RFC 5912 §6), decoded as the ecdsa crate decodes it.
struct EcdsaSig<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

impl<'a> der::DecodeValue<'a> for EcdsaSig<'a> {
    type Error = der::Error;
    fn decode_value<R: der::Reader<'a>>(reader: &mut R, _header: der::Header) -> der::Result<Self> {
        Ok(EcdsaSig { r: UintRef::decode(reader)?, s: UintRef::decode(reader)? })
    }
}
impl<'a> der::Sequence<'a> for EcdsaSig<'a> {}

/// IEEE P1363 `r || s` (each left-padded to the curve's length) from a DER ECDSA signature,
/// parsed as strictly as `ecdsa::der::Signature::from_bytes` + `Signature::try_from` do: DER
/// (minimal lengths and integers, nothing after the sequence), r and s no longer than the curve's
/// length and both in 1..n.
pub fn ecdsa_p1363(curve: Curve, der: &[u8]) -> Option<Vec<u8>> {
    let sig = EcdsaSig::from_der(der).ok()?;
    let l = curve.field_len();
    let mut out = alloc::vec![0u8; 2 * l];
    let (r_out, s_out) = out.split_at_mut(l);
    for (v, slot) in [(sig.r.as_bytes(), r_out), (sig.s.as_bytes(), s_out)] {
        let start = l.checked_sub(v.len())?;
        slot.get_mut(start..)?.copy_from_slice(v);
        if slot.iter().all(|&b| b == 0) || !below(slot, curve.order()) {
            return None;
        }
    }
    Some(out)
}

/// An Ed25519 public key (RFC 8032 encoding), unchecked: whether it decodes to a curve point is
/// left to WebCrypto.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ed25519Key([u8; 32]);

impl Ed25519Key {
    pub fn from_bytes(b: [u8; 32]) -> Self {
        Ed25519Key(b)
    }
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }
}

/// The canonical encodings of the eight points of small order (the identity, the point of order
/// 2, two of order 4, four of order 8), little-endian y with x's sign in the top bit.
const SMALL_ORDER: [[u8; 32]; 8] = {
    let mut order8a = hex32(*b"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
    let order8b = hex32(*b"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut minus_one = [0xffu8; 32];
    minus_one[0] = 0xec;
    minus_one[31] = 0x7f;
    let mut order4b = [0u8; 32];
    order4b[31] = 0x80;
    let mut order8c = order8a;
    order8c[31] |= 0x80;
    let mut order8d = order8b;
    order8d[31] |= 0x80;
    order8a[31] &= 0x7f;
    [identity, minus_one, [0u8; 32], order4b, order8a, order8c, order8b, order8d]
};

/// Whether `b` is the canonical encoding of a point that is not of small order, judged on bytes:
/// y below p = 2^255 - 19, not the sign bit set with x = 0 (y = ±1: the encoder writes sign 0),
/// not one of the eight small-order encodings. For an encoding of a curve point this is exactly
/// "canonical and not small order" (tested against curve25519-dalek); an encoding of no curve
/// point passes here, and every verifier then rejects the signature (WebCrypto's `verify` says
/// false, as `verify_strict` does).
pub fn ed25519_canonical_not_small(b: &[u8; 32]) -> bool {
    // p = 2^255 - 19 and p - 1 = -1, little-endian.
    const P: [u8; 32] = {
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        p
    };
    const MINUS_ONE: [u8; 32] = {
        let mut m = P;
        m[0] = 0xec;
        m
    };
    const ONE: [u8; 32] = {
        let mut one = [0u8; 32];
        one[0] = 1;
        one
    };
    let mut y = *b;
    let sign = y.last().is_some_and(|&t| t & 0x80 != 0);
    if let Some(last) = y.last_mut() {
        *last &= 0x7f;
    }
    // Compare as little-endian integers: most significant byte first.
    if !y.iter().rev().lt(P.iter().rev()) {
        return false;
    }
    if sign && (y == ONE || y == MINUS_ONE) {
        return false;
    }
    !SMALL_ORDER.contains(b)
}

/// An RSA public key: what WebCrypto needs beyond its DER (the modulus length in bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKey {
    size: usize,
}

impl RsaKey {
    /// `k`, the modulus length in octets (RFC 8017: `ceil(modBits / 8)`), as
    /// `rsa::traits::PublicKeyParts::size`.
    pub fn size(&self) -> usize {
        self.size
    }
}

/// A PKCS#1 RSAPublicKey (RFC 8017 §A.1.1) with the checks `rsa::PublicKey::from_pkcs1_der` does:
/// DER, a modulus of 1024..=8192 bits that is odd, an odd exponent of 3..=2^33-1 below the
/// modulus. Returns the key and the modulus's storage precision in bits as the rsa crate reports
/// it (`n_bits_precision`: the encoded length rounded up to crypto-bigint's 64-bit limbs, which it
/// uses on x86_64, aarch64 and wasm32), which the caller bounds.
pub fn rsa_key(pkcs1: &[u8]) -> Option<(RsaKey, usize)> {
    let RsaPub { n, e } = RsaPub::from_der(pkcs1).ok()?;
    let (n, e) = (n.as_bytes(), e.as_bytes());
    let width = |v: &[u8]| -> usize {
        let v = strip(v);
        v.first().map_or(0, |&top| (v.len() - 1) * 8 + usize::try_from(8 - top.leading_zeros()).unwrap_or(0))
    };
    let odd = |v: &[u8]| v.last().is_some_and(|&b| b & 1 == 1);
    let bits = width(n);
    if !(1024..=8192).contains(&bits) || !odd(n) || !odd(e) {
        return None;
    }
    // e < n: both minimal big-endian.
    let (sn, se) = (strip(n), strip(e));
    if !(se.len() < sn.len() || (se.len() == sn.len() && se < sn)) {
        return None;
    }
    // 2 <= e <= 2^33 - 1 (odd, so e >= 3 once e > 1).
    if width(e) < 2 || width(e) > 33 {
        return None;
    }
    let precision = n.len().checked_mul(8)?.div_ceil(64).checked_mul(64)?;
    Some((RsaKey { size: bits.div_ceil(8) }, precision))
}

fn strip(v: &[u8]) -> &[u8] {
    let zeros = v.iter().take_while(|&&b| b == 0).count();
    v.get(zeros..).unwrap_or(&[])
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
struct RsaPub<'a> {
    n: UintRef<'a>,
    e: UintRef<'a>,
}

impl<'a> der::DecodeValue<'a> for RsaPub<'a> {
    type Error = der::Error;
    fn decode_value<R: der::Reader<'a>>(reader: &mut R, _header: der::Header) -> der::Result<Self> {
        Ok(RsaPub { n: reader.decode()?, e: reader.decode()? })
    }
}
impl<'a> der::Sequence<'a> for RsaPub<'a> {}

/// The arithmetic-free checks against the curve and RSA crates, on many inputs.
#[cfg(all(test, feature = "native-crypto"))]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use alloc::vec;

    use crate::test_rng::Rng;

    fn crate_p1363(curve: Curve, der: &[u8]) -> Option<Vec<u8>> {
        match curve {
            Curve::P256 => ecdsa::der::Signature::<p256::NistP256>::from_bytes(der)
                .ok()
                .and_then(|s| ecdsa::Signature::<p256::NistP256>::try_from(s).ok())
                .map(|s| s.to_bytes().to_vec()),
            Curve::P384 => ecdsa::der::Signature::<p384::NistP384>::from_bytes(der)
                .ok()
                .and_then(|s| ecdsa::Signature::<p384::NistP384>::try_from(s).ok())
                .map(|s| s.to_bytes().to_vec()),
            Curve::P521 => ecdsa::der::Signature::<p521::NistP521>::from_bytes(der)
                .ok()
                .and_then(|s| ecdsa::Signature::<p521::NistP521>::try_from(s).ok())
                .map(|s| s.to_bytes().to_vec()),
        }
    }

    /// DER INTEGER of a big-endian magnitude, minimal (or with `pad` extra leading zeros).
    fn der_int(v: &[u8], pad: usize) -> Vec<u8> {
        let v = strip(v);
        let mut body = vec![0u8; pad];
        if v.is_empty() {
            body.push(0);
        } else {
            if v[0] & 0x80 != 0 {
                body.push(0);
            }
            body.extend_from_slice(v);
        }
        let mut out = vec![0x02];
        push_len(&mut out, body.len());
        out.extend(body);
        out
    }

    fn push_len(out: &mut Vec<u8>, n: usize) {
        if n < 0x80 {
            out.push(n as u8);
        } else if n < 0x100 {
            out.extend([0x81, n as u8]);
        } else {
            out.extend([0x82, (n >> 8) as u8, n as u8]);
        }
    }

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = parts.concat();
        let mut out = vec![0x30];
        push_len(&mut out, body.len());
        out.extend(body);
        out
    }

    /// Scalars near the interesting values: 0, 1, n - 1, n, n + 1, p, random, random of every length.
    fn scalar(rng: &mut Rng, curve: Curve) -> Vec<u8> {
        let l = curve.field_len();
        let add = |v: &[u8], d: i8| {
            let mut v = v.to_vec();
            if d > 0 {
                for b in v.iter_mut().rev() {
                    let (s, c) = b.overflowing_add(1);
                    *b = s;
                    if !c {
                        break;
                    }
                }
            } else {
                for b in v.iter_mut().rev() {
                    let (s, c) = b.overflowing_sub(1);
                    *b = s;
                    if !c {
                        break;
                    }
                }
            }
            v
        };
        let mut v = match rng.below(9) {
            0 => vec![0u8; l],
            1 => {
                let mut v = vec![0u8; l];
                v[l - 1] = 1;
                v
            }
            2 => add(curve.order(), -1),
            3 => curve.order().to_vec(),
            4 => add(curve.order(), 1),
            5 => curve.prime().to_vec(),
            6 => rng.bytes(l + 1),
            7 => {
                let n = 1 + rng.below(l);
                rng.bytes(n)
            }
            _ => rng.bytes(l),
        };
        if curve == Curve::P521 && v.len() == 66 && rng.below(2) == 0 {
            v[0] &= 1;
        }
        v
    }

    #[test]
    fn ecdsa_der_agrees_with_the_ecdsa_crate() {
        let mut rng = Rng(0x5eed_1234_abcd_0001);
        let mut accepted = 0;
        for curve in [Curve::P256, Curve::P384, Curve::P521] {
            for i in 0..6000 {
                let (r, s) = (scalar(&mut rng, curve), scalar(&mut rng, curve));
                let mut der = seq(&[der_int(&r, usize::from(i % 97 == 0)), der_int(&s, 0)]);
                match rng.below(12) {
                    0 => der.push(0),
                    1 => {
                        let j = rng.below(der.len());
                        der[j] ^= 1 << rng.below(8);
                    }
                    2 => der.truncate(rng.below(der.len())),
                    _ => {}
                }
                let ours = ecdsa_p1363(curve, &der);
                assert_eq!(ours, crate_p1363(curve, &der), "{curve:?} {der:02x?}");
                accepted += usize::from(ours.is_some());
            }
        }
        assert!(accepted > 2000, "{accepted} accepted: too few valid cases to compare");
    }

    fn crate_point(curve: Curve, sec1: &[u8]) -> bool {
        match curve {
            Curve::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(sec1).is_ok(),
            Curve::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(sec1).is_ok(),
            Curve::P521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(sec1).is_ok(),
        }
    }

    /// The crates' accepted points are a subset of ours (they also check the curve equation), and
    /// the two agree on every point of the curve (real keys, compressed and not).
    #[test]
    fn ec_points_agree_with_the_curve_crates() {
        let mut rng = Rng(0x5eed_0000_0000_0002);
        for curve in [Curve::P256, Curve::P384, Curve::P521] {
            let l = curve.field_len();
            for _ in 0..3000 {
                let tag = [0u8, 2, 3, 4, 5, 6, 7][rng.below(7)];
                let mut v = vec![tag];
                let coord = |rng: &mut Rng| match rng.below(4) {
                    0 => curve.prime().to_vec(),
                    _ => {
                        let mut c = rng.bytes(l);
                        if curve == Curve::P521 {
                            c[0] &= 1;
                        }
                        c
                    }
                };
                v.extend(coord(&mut rng));
                if tag >= 4 || rng.below(3) == 0 {
                    v.extend(coord(&mut rng));
                }
                if rng.below(10) == 0 {
                    v.pop();
                }
                if crate_point(curve, &v) {
                    assert!(ec_point(curve, &v).is_some(), "{curve:?} {v:02x?}");
                }
            }
        }
        // Points on the curves: k·G for several k, uncompressed and compressed.
        use p256::elliptic_curve::sec1::ToSec1Point;
        for k in 1u64..40 {
            let p = (p256::ProjectivePoint::GENERATOR * p256::Scalar::from(k)).to_affine();
            for c in [false, true] {
                let e = p.to_sec1_point(c);
                assert_eq!(ec_point(Curve::P256, e.as_bytes()).is_some(), crate_point(Curve::P256, e.as_bytes()));
                assert!(crate_point(Curve::P256, e.as_bytes()));
            }
            let p = (p384::ProjectivePoint::GENERATOR * p384::Scalar::from(k)).to_affine();
            for c in [false, true] {
                let e = p.to_sec1_point(c);
                assert!(ec_point(Curve::P384, e.as_bytes()).is_some() && crate_point(Curve::P384, e.as_bytes()));
            }
            let p = (p521::ProjectivePoint::GENERATOR * p521::Scalar::from(k)).to_affine();
            for c in [false, true] {
                let e = p.to_sec1_point(c);
                assert!(ec_point(Curve::P521, e.as_bytes()).is_some() && crate_point(Curve::P521, e.as_bytes()));
            }
        }
    }

    /// curve25519-dalek's verdict: the encoding decodes to a point, is canonical, not small order.
    fn dalek_canonical(b: &[u8; 32]) -> Option<bool> {
        let p = ed25519_dalek::VerifyingKey::from_bytes(b).ok()?;
        Some(!p.is_weak() && p.to_edwards().compress().to_bytes() == *b)
    }

    #[test]
    fn ed25519_bytes_agree_with_dalek() {
        let mut rng = Rng(0x5eed_0000_0000_0003);
        let mut cases: Vec<[u8; 32]> = SMALL_ORDER.to_vec();
        // The small-order points' non-canonical twins (y + p where it fits, the x = 0 sign bit).
        for s in SMALL_ORDER {
            let mut t = s;
            t[31] ^= 0x80;
            cases.push(t);
        }
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        for d in 0u8..40 {
            let mut v = p;
            v[0] = v[0].wrapping_add(d);
            cases.push(v);
            v[31] |= 0x80;
            cases.push(v);
        }
        // Real public keys: multiples of the base point.
        for k in 1u64..200 {
            let pt = curve25519_dalek_base_mul(k);
            cases.push(pt);
            let mut neg = pt;
            neg[31] ^= 0x80;
            cases.push(neg);
        }
        for _ in 0..20000 {
            cases.push(rng.bytes(32).try_into().unwrap());
        }
        let mut on_curve = 0;
        for b in &cases {
            // An encoding of no curve point the full build refuses (at parse, or as R: verify fails).
            if let Some(v) = dalek_canonical(b) {
                on_curve += 1;
                assert_eq!(ed25519_canonical_not_small(b), v, "{b:02x?}");
            }
        }
        assert!(on_curve > 10000, "{on_curve} on-curve encodings compared");
    }

    /// k·B as an Ed25519 encoding, through ed25519-dalek's signing key (its public key is a·B
    /// for a clamped scalar a): different seeds give different points, which is all we need.
    fn curve25519_dalek_base_mul(k: u64) -> [u8; 32] {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&k.to_le_bytes());
        ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes()
    }

    #[test]
    fn rsa_agrees_with_the_rsa_crate() {
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::traits::PublicKeyParts;
        let mut rng = Rng(0x5eed_0000_0000_0004);
        let mut accepted = 0;
        for i in 0..3000 {
            let len = [96usize, 127, 128, 129, 200, 248, 249, 255, 256, 257, 384, 511, 512, 513, 1024, 1025][rng.below(16)];
            let mut n = rng.bytes(len);
            match rng.below(5) {
                0 => n[0] = 0,
                1 => n[0] |= 0x80,
                _ => {}
            }
            if rng.below(4) != 0 {
                n[len - 1] |= 1;
            }
            let e: Vec<u8> = match rng.below(8) {
                0 => vec![1, 0, 1],
                1 => vec![3],
                2 => vec![1],
                3 => vec![2],
                4 => vec![0x01, 0xff, 0xff, 0xff, 0xff],
                5 => vec![0x02, 0x00, 0x00, 0x00, 0x01],
                6 => n.clone(),
                _ => {
                    let n = 1 + rng.below(6);
                    rng.bytes(n)
                }
            };
            let mut der = seq(&[der_int(&n, usize::from(i % 101 == 0)), der_int(&e, 0)]);
            if rng.below(15) == 0 {
                der.push(0);
            }
            let theirs = rsa::PublicKey::from_pkcs1_der(&der).ok();
            let ours = rsa_key(&der);
            assert_eq!(ours.is_some(), theirs.is_some(), "n {} bytes, e {e:02x?}", n.len());
            if let (Some((k, prec)), Some(t)) = (ours, theirs) {
                accepted += 1;
                assert_eq!(k.size(), t.size());
                assert_eq!(prec, t.n_bits_precision() as usize);
            }
        }
        assert!(accepted > 500, "{accepted} accepted");
    }
}
