//! Which signature checks WebCrypto decides exactly as [`RustCrypto`](super::RustCrypto) does,
//! and in what form `crypto.subtle.importKey('spki', …)` + `crypto.subtle.verify` take them.
//!
//! A host that runs the batch itself (the JS layer's `verifyAsync`) hands WebCrypto only the
//! checks [`webcrypto_form`] returns; every other check (`None`) runs here, so the verdict of the
//! whole batch never depends on the host. `None` for: prehashed messages (WebCrypto hashes the
//! message itself), PKCS#1 RSA keys (not SPKI), RSA signatures not exactly the modulus length,
//! Ed25519 keys or R points that are small-order or not canonically encoded, S not below the
//! group order (WebCrypto implementations differ there; `verify_strict` rejects them), and ECDSA
//! signatures whose DER does not parse strictly or whose scalars are out of range.

use alloc::vec::Vec;

#[cfg(not(feature = "native-crypto"))]
use super::structural;
use super::{oid, HashAlg, Key, Message, Scheme, SigCheck};

/// The WebCrypto algorithm of a check (the `algorithm` argument of `importKey` and `verify`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebAlgorithm {
    /// `{ name: "ECDSA", namedCurve, hash }`.
    Ecdsa { curve: &'static str, hash: &'static str },
    /// `{ name: "Ed25519" }`.
    Ed25519,
    /// `{ name: "RSASSA-PKCS1-v1_5", hash }`.
    RsaPkcs1 { hash: &'static str },
    /// `{ name: "RSA-PSS", hash, saltLength }` (salt length = digest length, as Sigstore signs).
    RsaPss { hash: &'static str, salt_length: usize },
}

/// One check in WebCrypto's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebCryptoCheck<'a> {
    pub algorithm: WebAlgorithm,
    /// The key as DER SubjectPublicKeyInfo.
    pub spki: &'a [u8],
    /// The signed message (WebCrypto hashes it).
    pub data: &'a [u8],
    /// The signature as WebCrypto wants it: IEEE P1363 `r || s` for ECDSA, else as signed.
    pub signature: Vec<u8>,
}

/// The WebCrypto hash name.
pub fn hash_name(h: HashAlg) -> &'static str {
    match h {
        HashAlg::Sha256 => "SHA-256",
        HashAlg::Sha384 => "SHA-384",
        HashAlg::Sha512 => "SHA-512",
    }
}

/// IEEE P1363 `r || s` from a DER signature, parsed as strictly as RustCrypto's verifier parses
/// it (and with r, s in 1..n). `None` makes the check run in RustCrypto, which then rejects it.
/// The web build parses it on bytes ([`structural::ecdsa_p1363`], tested to agree).
#[cfg(feature = "native-crypto")]
macro_rules! p1363 {
    ($curve:ty, $der:expr) => {
        ecdsa::der::Signature::<$curve>::from_bytes($der).ok().and_then(|s| ecdsa::Signature::<$curve>::try_from(s).ok()).map(|s| s.to_bytes().to_vec())
    };
}
#[cfg(not(feature = "native-crypto"))]
macro_rules! p1363 {
    (p256::NistP256, $der:expr) => {
        structural::ecdsa_p1363(structural::Curve::P256, $der)
    };
    (p384::NistP384, $der:expr) => {
        structural::ecdsa_p1363(structural::Curve::P384, $der)
    };
    (p521::NistP521, $der:expr) => {
        structural::ecdsa_p1363(structural::Curve::P521, $der)
    };
}

/// The check in the form WebCrypto takes, or `None` when its verdict could differ from RustCrypto's.
pub fn webcrypto_form(c: &SigCheck) -> Option<WebCryptoCheck<'_>> {
    let Message::Raw(data) = &c.message else { return None };
    let (algorithm, signature) = match (&c.key.key, c.scheme) {
        (Key::P256(_), Scheme::Ecdsa(h)) => (WebAlgorithm::Ecdsa { curve: "P-256", hash: hash_name(h) }, p1363!(p256::NistP256, &c.signature)?),
        (Key::P384(_), Scheme::Ecdsa(h)) => (WebAlgorithm::Ecdsa { curve: "P-384", hash: hash_name(h) }, p1363!(p384::NistP384, &c.signature)?),
        (Key::P521(_), Scheme::Ecdsa(h)) => (WebAlgorithm::Ecdsa { curve: "P-521", hash: hash_name(h) }, p1363!(p521::NistP521, &c.signature)?),
        (Key::Ed25519(k), Scheme::Ed25519) => (WebAlgorithm::Ed25519, ed25519_plain(k, &c.signature)?),
        (Key::Rsa(k), Scheme::RsaPkcs1(h) | Scheme::RsaPss(h)) => {
            // A bare RSA key from a trusted root is PKCS#1, which `importKey('spki')` refuses.
            if !is_rsa_spki(c.key.der()) {
                return None;
            }
            // The rsa crate wants exactly the modulus length; some WebCrypto backends left-pad.
            #[cfg(feature = "native-crypto")]
            let size = rsa::traits::PublicKeyParts::size(k);
            #[cfg(not(feature = "native-crypto"))]
            let size = k.size();
            if c.signature.len() != size {
                return None;
            }
            let algorithm = match c.scheme {
                Scheme::RsaPss(_) => WebAlgorithm::RsaPss { hash: hash_name(h), salt_length: h.output_len() },
                _ => WebAlgorithm::RsaPkcs1 { hash: hash_name(h) },
            };
            (algorithm, c.signature.clone())
        }
        _ => return None,
    };
    Some(WebCryptoCheck { algorithm, spki: c.key.der(), data, signature })
}

/// The Ed25519 signature when WebCrypto's verdict equals `verify_strict`'s: the key and R are
/// canonical encodings of points that are not of small order, and S is below the group order.
/// Then every verifier computes the same cofactorless equation over the same bytes.
#[cfg(feature = "native-crypto")]
fn ed25519_plain(k: &ed25519_dalek::VerifyingKey, sig: &[u8]) -> Option<Vec<u8>> {
    let sig: &[u8; 64] = sig.try_into().ok()?;
    let (r, s) = sig.split_at(32);
    let r: &[u8; 32] = r.try_into().ok()?;
    if !canonical_point(&k.to_bytes()) || !canonical_point(r) || !scalar_below_order(s) {
        return None;
    }
    Some(sig.to_vec())
}

/// The web build's [`ed25519_plain`]: the same conditions judged on bytes
/// ([`structural::ed25519_canonical_not_small`]; a key or R that is no curve point passes here,
/// and WebCrypto then refuses the key or rejects the signature).
#[cfg(not(feature = "native-crypto"))]
fn ed25519_plain(k: &structural::Ed25519Key, sig: &[u8]) -> Option<Vec<u8>> {
    let sig: &[u8; 64] = sig.try_into().ok()?;
    let (r, s) = sig.split_at(32);
    let r: &[u8; 32] = r.try_into().ok()?;
    if !structural::ed25519_canonical_not_small(k.as_bytes()) || !structural::ed25519_canonical_not_small(r) || !scalar_below_order(s) {
        return None;
    }
    Some(sig.to_vec())
}

/// A canonically encoded Edwards point that is not of small order.
#[cfg(feature = "native-crypto")]
fn canonical_point(b: &[u8; 32]) -> bool {
    match ed25519_dalek::VerifyingKey::from_bytes(b) {
        Ok(p) => !p.is_weak() && p.to_edwards().compress().to_bytes() == *b,
        Err(_) => false,
    }
}

/// `s < ℓ = 2^252 + 27742317777372353535851937790883648493`, both little-endian.
fn scalar_below_order(s: &[u8]) -> bool {
    const L: [u8; 32] =
        [0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10];
    if s.len() != 32 {
        return false;
    }
    // Most significant byte first (the last, in little-endian).
    for (a, b) in s.iter().rev().zip(L.iter().rev()) {
        if a != b {
            return a < b;
        }
    }
    false
}

/// A DER SubjectPublicKeyInfo with the plain rsaEncryption OID (not a PKCS#1 RSAPublicKey, not an
/// id-RSASSA-PSS key, whose parameters some WebCrypto backends would enforce on their own terms).
fn is_rsa_spki(der: &[u8]) -> bool {
    use der::Decode;
    spki::SubjectPublicKeyInfoRef::from_der(der).is_ok_and(|k| k.algorithm.oid == oid::RSA_ENCRYPTION)
}

#[cfg(all(test, feature = "native-crypto"))]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use crate::crypto::PublicKey;
    use crate::Code;
    use alloc::string::ToString;
    use alloc::vec;

    fn check(key: PublicKey, scheme: Scheme, message: Message, signature: Vec<u8>) -> SigCheck {
        SigCheck { code: Code::SignatureInvalid, what: "test".to_string(), key, scheme, message, signature }
    }

    /// The Ed25519 base point (canonical, prime order): a valid key encoding.
    const BASE: [u8; 32] = [
        0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
        0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
    ];

    fn ed_key(bytes: [u8; 32]) -> Option<PublicKey> {
        // SPKI: SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING key }.
        let mut der = vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];
        der.extend_from_slice(&bytes);
        PublicKey::from_spki_der(&der).ok()
    }

    #[test]
    fn scalar_order_bound() {
        let mut l = [0u8; 32];
        l[..16].copy_from_slice(&[0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14]);
        l[31] = 0x10;
        assert!(!scalar_below_order(&l));
        let mut below = l;
        below[0] -= 1;
        assert!(scalar_below_order(&below));
        assert!(scalar_below_order(&[0; 32]) && !scalar_below_order(&[0; 31]));
    }

    #[test]
    fn ed25519_canonical_points_only() {
        let key = ed_key(BASE).unwrap();
        let mut sig = vec![0u8; 64];
        sig[..32].copy_from_slice(&BASE);
        let msg = || Message::Raw(b"m".to_vec());
        let c = check(key.clone(), Scheme::Ed25519, msg(), sig.clone());
        let form = webcrypto_form(&c).unwrap();
        assert_eq!(form.algorithm, WebAlgorithm::Ed25519);
        assert_eq!(form.signature, sig);
        // R = the identity point (small order) runs in RustCrypto.
        let mut small = sig.clone();
        small[..32].copy_from_slice(&{
            let mut id = [0u8; 32];
            id[0] = 1;
            id
        });
        assert!(webcrypto_form(&check(key.clone(), Scheme::Ed25519, msg(), small)).is_none());
        // S = ℓ (not reduced) runs in RustCrypto.
        let mut big = sig.clone();
        big[32..48].copy_from_slice(&[0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14]);
        big[63] = 0x10;
        assert!(webcrypto_form(&check(key.clone(), Scheme::Ed25519, msg(), big)).is_none());
        // A prehashed message never goes to WebCrypto.
        assert!(webcrypto_form(&check(key, Scheme::Ed25519, Message::Prehashed(HashAlg::Sha256, vec![0; 32]), sig)).is_none());
    }

    #[test]
    fn ecdsa_der_to_p1363() {
        // The P-256 generator as an SPKI key; a DER signature with r = 1, s = 2.
        let spki = crate::encoding::b64_decode(
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaxfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpZP40Li/hp/m47n60p8D54WK84zV2sxXs7LtkBoN79R9Q==",
        )
        .unwrap();
        let key = PublicKey::from_spki_der(&spki).unwrap();
        let der = vec![0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02];
        let c = check(key.clone(), Scheme::Ecdsa(HashAlg::Sha256), Message::Raw(b"m".to_vec()), der);
        let form = webcrypto_form(&c).unwrap();
        assert_eq!(form.algorithm, WebAlgorithm::Ecdsa { curve: "P-256", hash: "SHA-256" });
        assert_eq!(form.signature.len(), 64);
        assert_eq!((form.signature[31], form.signature[63]), (1, 2));
        assert_eq!(form.spki, spki.as_slice());
        // r = 0 is out of range; a non-minimal DER integer is not strict DER.
        for bad in [vec![0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02], vec![0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02]] {
            assert!(webcrypto_form(&check(key.clone(), Scheme::Ecdsa(HashAlg::Sha256), Message::Raw(b"m".to_vec()), bad)).is_none());
        }
    }
}
