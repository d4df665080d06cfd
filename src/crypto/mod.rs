//! The one narrow interface to signature algorithms.
//!
//! Verification never calls a curve crate directly: every check the verifier needs is written
//! down as a [`SigCheck`] (key, scheme, message or prehash, signature, and the error to report),
//! collected into a list, and run as a batch by a [`SignatureVerifier`]. The default
//! [`RustCrypto`] backend runs them in WASM/native code; a host (e.g. WebCrypto in JS) can run the
//! same list itself.
//!
//! Without the `native-crypto` feature (the binding's web build) there is no backend here: keys
//! are parsed and checked on their bytes ([`structural`]) and every check goes to the host.

use alloc::string::String;
#[cfg(feature = "native-crypto")]
use alloc::sync::Arc;
use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::Decode;
use sha2::Digest;
#[cfg(feature = "native-crypto")]
use signature::hazmat::PrehashVerifier;
use spki::SubjectPublicKeyInfoRef;

use crate::error::{err, Code, Error, Result};

pub mod structural;
#[cfg(feature = "native-crypto")]
mod table;
pub mod webcrypto;

pub mod oid {
    use const_oid::ObjectIdentifier as O;
    pub const EC_PUBLIC_KEY: O = O::new_unwrap("1.2.840.10045.2.1");
    pub const SECP256R1: O = O::new_unwrap("1.2.840.10045.3.1.7");
    pub const SECP384R1: O = O::new_unwrap("1.3.132.0.34");
    pub const SECP521R1: O = O::new_unwrap("1.3.132.0.35");
    pub const ED25519: O = O::new_unwrap("1.3.101.112");
    pub const RSA_ENCRYPTION: O = O::new_unwrap("1.2.840.113549.1.1.1");
    pub const RSASSA_PSS: O = O::new_unwrap("1.2.840.113549.1.1.10");
    pub const SHA256_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.11");
    pub const SHA384_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.12");
    pub const SHA512_WITH_RSA: O = O::new_unwrap("1.2.840.113549.1.1.13");
    pub const ECDSA_WITH_SHA256: O = O::new_unwrap("1.2.840.10045.4.3.2");
    pub const ECDSA_WITH_SHA384: O = O::new_unwrap("1.2.840.10045.4.3.3");
    pub const ECDSA_WITH_SHA512: O = O::new_unwrap("1.2.840.10045.4.3.4");
    pub const SHA256: O = O::new_unwrap("2.16.840.1.101.3.4.2.1");
    pub const SHA384: O = O::new_unwrap("2.16.840.1.101.3.4.2.2");
    pub const SHA512: O = O::new_unwrap("2.16.840.1.101.3.4.2.3");
    /// id-mgf1 (RFC 8017 §B.2.1)
    pub const MGF1: O = O::new_unwrap("1.2.840.113549.1.1.8");
}

/// Hash algorithms the verifier computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha256 => sha2::Sha256::digest(data).to_vec(),
            HashAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
            HashAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    pub fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 => 64,
        }
    }

    /// Lower-case name as in in-toto digests and `sha256:` artifact strings.
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha256",
            HashAlg::Sha384 => "sha384",
            HashAlg::Sha512 => "sha512",
        }
    }

    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "sha256" => Some(HashAlg::Sha256),
            "sha384" => Some(HashAlg::Sha384),
            "sha512" => Some(HashAlg::Sha512),
            _ => None,
        }
    }

    /// Protobuf `HashAlgorithm` enum names (`SHA2_256`, ...).
    pub fn from_proto(s: &str) -> Option<Self> {
        match s {
            "SHA2_256" => Some(HashAlg::Sha256),
            "SHA2_384" => Some(HashAlg::Sha384),
            "SHA2_512" => Some(HashAlg::Sha512),
            _ => None,
        }
    }

    pub fn from_oid(o: &ObjectIdentifier) -> Option<Self> {
        match *o {
            oid::SHA256 => Some(HashAlg::Sha256),
            oid::SHA384 => Some(HashAlg::Sha384),
            oid::SHA512 => Some(HashAlg::Sha512),
            _ => None,
        }
    }
}

/// A parsed public key of a supported type, with the DER it was parsed from.
#[derive(Clone, Debug)]
pub struct PublicKey {
    pub key: Key,
    /// The DER the key was read from (SPKI, or PKCS#1 for bare RSA keys).
    der: Vec<u8>,
    /// Fixed-base tables for a trusted ECDSA key ([`PublicKey::precompute`]); clones share it.
    #[cfg(feature = "native-crypto")]
    table: Option<Arc<EcTable>>,
}

/// The tables of one precomputed P-256 or P-384 key.
#[cfg(feature = "native-crypto")]
#[derive(Debug)]
enum EcTable {
    P256(table::KeyTable<p256::NistP256>),
    P384(table::KeyTable<p384::NistP384>),
}

/// Generator tables, built on first need and shared (by reference count) by every key
/// precomputed with the same `Generators`: one per curve, however many trusted keys use it.
/// Without `native-crypto` there are no tables: an empty stand-in.
#[derive(Clone, Debug, Default)]
pub struct Generators {
    #[cfg(feature = "native-crypto")]
    p256: Option<Arc<table::FixedBase<p256::NistP256>>>,
    #[cfg(feature = "native-crypto")]
    p384: Option<Arc<table::FixedBase<p384::NistP384>>>,
}

impl Generators {
    /// Heap bytes of the generator tables built so far.
    #[cfg(feature = "native-crypto")]
    pub fn table_bytes(&self) -> usize {
        self.p256.as_ref().map_or(0, |t| t.bytes()) + self.p384.as_ref().map_or(0, |t| t.bytes())
    }

    #[cfg(not(feature = "native-crypto"))]
    pub fn table_bytes(&self) -> usize {
        0
    }
}

#[cfg(feature = "native-crypto")]
#[derive(Clone, Debug)]
pub enum Key {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
    Rsa(rsa::PublicKey),
}

/// The web build's keys: checked on their bytes ([`structural`]); WebCrypto does the rest.
#[cfg(not(feature = "native-crypto"))]
#[derive(Clone, Debug)]
pub enum Key {
    P256(structural::EcPoint),
    P384(structural::EcPoint),
    P521(structural::EcPoint),
    Ed25519(structural::Ed25519Key),
    Rsa(structural::RsaKey),
}

/// Equality is by DER: a precomputed table changes nothing about the key.
impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

const RSA_MIN_BITS: usize = 2048;
const RSA_MAX_BITS: usize = 4096;

impl PublicKey {
    /// Parse a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
    pub fn from_spki_der(der: &[u8]) -> Result<Self> {
        Ok(PublicKey {
            key: Self::parse_spki(der)?,
            der: der.to_vec(),
            #[cfg(feature = "native-crypto")]
            table: None,
        })
    }

    fn parse_spki(der: &[u8]) -> Result<Key> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| Error::new(Code::KeyUnsupported, alloc::format!("public key is not a DER SubjectPublicKeyInfo: {e}")))?;
        let bits = spki.subject_public_key.as_bytes().ok_or_else(|| Error::new(Code::KeyUnsupported, "public key bit string has unused bits"))?;
        let bad = |what: &str| Error::new(Code::KeyUnsupported, alloc::format!("invalid {what} public key"));
        match spki.algorithm.oid {
            oid::EC_PUBLIC_KEY => {
                let curve: ObjectIdentifier =
                    spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok()).ok_or_else(|| bad("EC (named curve missing)"))?;
                #[cfg(feature = "native-crypto")]
                match curve {
                    oid::SECP256R1 => p256::ecdsa::VerifyingKey::from_sec1_bytes(bits).map(Key::P256).map_err(|_| bad("P-256")),
                    oid::SECP384R1 => p384::ecdsa::VerifyingKey::from_sec1_bytes(bits).map(Key::P384).map_err(|_| bad("P-384")),
                    oid::SECP521R1 => p521::ecdsa::VerifyingKey::from_sec1_bytes(bits).map(Key::P521).map_err(|_| bad("P-521")),
                    other => err(Code::KeyUnsupported, alloc::format!("unsupported EC curve {other}")),
                }
                #[cfg(not(feature = "native-crypto"))]
                {
                    use structural::{ec_point, Curve};
                    match curve {
                        oid::SECP256R1 => ec_point(Curve::P256, bits).map(Key::P256).ok_or_else(|| bad("P-256")),
                        oid::SECP384R1 => ec_point(Curve::P384, bits).map(Key::P384).ok_or_else(|| bad("P-384")),
                        oid::SECP521R1 => ec_point(Curve::P521, bits).map(Key::P521).ok_or_else(|| bad("P-521")),
                        other => err(Code::KeyUnsupported, alloc::format!("unsupported EC curve {other}")),
                    }
                }
            }
            oid::ED25519 => {
                let arr: [u8; 32] = bits.try_into().map_err(|_| bad("Ed25519"))?;
                #[cfg(feature = "native-crypto")]
                return ed25519_dalek::VerifyingKey::from_bytes(&arr).map(Key::Ed25519).map_err(|_| bad("Ed25519"));
                #[cfg(not(feature = "native-crypto"))]
                Ok(Key::Ed25519(structural::Ed25519Key::from_bytes(arr)))
            }
            oid::RSA_ENCRYPTION | oid::RSASSA_PSS => Self::parse_rsa(bits),
            other => err(Code::KeyUnsupported, alloc::format!("unsupported public key algorithm {other}")),
        }
    }

    /// Parse a PKCS#1 RSAPublicKey (RFC 8017 §A.1.1), as some trusted roots carry for CT logs.
    pub fn from_pkcs1_rsa_der(der: &[u8]) -> Result<Self> {
        Ok(PublicKey {
            key: Self::parse_rsa(der)?,
            der: der.to_vec(),
            #[cfg(feature = "native-crypto")]
            table: None,
        })
    }

    #[cfg(not(feature = "native-crypto"))]
    fn parse_rsa(der: &[u8]) -> Result<Key> {
        let (key, bits) = structural::rsa_key(der).ok_or_else(|| Error::new(Code::KeyUnsupported, "invalid RSA public key"))?;
        if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
            return err(Code::KeyUnsupported, alloc::format!("RSA key of {bits} bits is outside 2048..=4096"));
        }
        Ok(Key::Rsa(key))
    }

    #[cfg(feature = "native-crypto")]
    fn parse_rsa(der: &[u8]) -> Result<Key> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        let key = rsa::PublicKey::from_pkcs1_der(der).map_err(|_| Error::new(Code::KeyUnsupported, "invalid RSA public key"))?;
        let bits = usize::try_from(rsa::traits::PublicKeyParts::n_bits_precision(&key)).unwrap_or(usize::MAX);
        if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
            return err(Code::KeyUnsupported, alloc::format!("RSA key of {bits} bits is outside 2048..=4096"));
        }
        Ok(Key::Rsa(key))
    }

    /// Parse a PEM `PUBLIC KEY` block (SPKI).
    pub fn from_pem(pem: &str) -> Result<Self> {
        let der = crate::encoding::pem_decode(pem, "PUBLIC KEY").ok_or_else(|| Error::new(Code::InputInvalid, "not a PEM PUBLIC KEY block"))?;
        Self::from_spki_der(&der)
    }

    /// The DER this key was parsed from (SPKI; PKCS#1 for bare RSA keys from a trusted root).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The scheme a bare key of this type signs with by default (Sigstore key details).
    pub fn default_scheme(&self) -> Scheme {
        match &self.key {
            Key::P256(_) => Scheme::Ecdsa(HashAlg::Sha256),
            Key::P384(_) => Scheme::Ecdsa(HashAlg::Sha384),
            Key::P521(_) => Scheme::Ecdsa(HashAlg::Sha512),
            Key::Ed25519(_) => Scheme::Ed25519,
            Key::Rsa(_) => Scheme::RsaPkcs1(HashAlg::Sha256),
        }
    }

    /// For a trusted P-256 or P-384 ECDSA key: build fixed-base tables once so that every later
    /// verification with this key (and with its clones) needs table lookups and additions only,
    /// no doublings. Returns whether the key has a table (other key types: `false`, unchanged).
    /// Verdicts are identical with and without the table.
    #[cfg(not(feature = "native-crypto"))]
    pub fn precompute(&mut self, _gens: &mut Generators) -> bool {
        false
    }

    /// Without `native-crypto`: no tables, 0.
    #[cfg(not(feature = "native-crypto"))]
    pub fn table_bytes(&self) -> usize {
        0
    }

    #[cfg(feature = "native-crypto")]
    pub fn precompute(&mut self, gens: &mut Generators) -> bool {
        if self.table.is_some() {
            return true;
        }
        self.table = match &self.key {
            Key::P256(k) => {
                let g = gens.p256.get_or_insert_with(|| Arc::new(table::FixedBase::new(p256::ProjectivePoint::GENERATOR))).clone();
                Some(Arc::new(EcTable::P256(table::KeyTable { g, q: table::FixedBase::new((*k.as_affine()).into()) })))
            }
            Key::P384(k) => {
                let g = gens.p384.get_or_insert_with(|| Arc::new(table::FixedBase::new(p384::ProjectivePoint::GENERATOR))).clone();
                Some(Arc::new(EcTable::P384(table::KeyTable { g, q: table::FixedBase::new((*k.as_affine()).into()) })))
            }
            _ => None,
        };
        self.table.is_some()
    }

    /// Heap bytes of this key's own table (0 without one; the shared generator table is
    /// counted by [`Generators::table_bytes`]).
    #[cfg(feature = "native-crypto")]
    pub fn table_bytes(&self) -> usize {
        match self.table.as_deref() {
            Some(EcTable::P256(t)) => t.q.bytes(),
            Some(EcTable::P384(t)) => t.q.bytes(),
            None => 0,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match &self.key {
            Key::P256(_) => "ECDSA P-256",
            Key::P384(_) => "ECDSA P-384",
            Key::P521(_) => "ECDSA P-521",
            Key::Ed25519(_) => "Ed25519",
            Key::Rsa(_) => "RSA",
        }
    }
}

/// A signature scheme: algorithm plus hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Ecdsa(HashAlg),
    Ed25519,
    RsaPkcs1(HashAlg),
    /// RSASSA-PSS with MGF1 over the same hash and salt length equal to the hash length.
    RsaPss(HashAlg),
    /// Managed RSA keys do not say their padding: accept PKCS#1 v1.5 or PSS.
    RsaAny(HashAlg),
    /// ECDSA over the given hash (the curve's own) or over SHA-256: a DSSE signature says
    /// nothing of its hash, and signers with P-384/P-521 keys use either (sigstore-go's and
    /// cosign's verifiers load certificate keys with SHA-256 whatever the curve).
    EcdsaOrSha256(HashAlg),
}

impl Scheme {
    pub fn hash(self) -> Option<HashAlg> {
        match self {
            Scheme::Ecdsa(h) | Scheme::RsaPkcs1(h) | Scheme::RsaPss(h) | Scheme::RsaAny(h) | Scheme::EcdsaOrSha256(h) => Some(h),
            Scheme::Ed25519 => None,
        }
    }

    /// Map an X.509/CMS AlgorithmIdentifier (signatureAlgorithm) to a scheme.
    /// `params` is the DER of the parameters, needed for RSASSA-PSS.
    pub fn from_algorithm(alg: &ObjectIdentifier, params: Option<&[u8]>) -> Result<Self> {
        Ok(match *alg {
            oid::ECDSA_WITH_SHA256 => Scheme::Ecdsa(HashAlg::Sha256),
            oid::ECDSA_WITH_SHA384 => Scheme::Ecdsa(HashAlg::Sha384),
            oid::ECDSA_WITH_SHA512 => Scheme::Ecdsa(HashAlg::Sha512),
            oid::SHA256_WITH_RSA => Scheme::RsaPkcs1(HashAlg::Sha256),
            oid::SHA384_WITH_RSA => Scheme::RsaPkcs1(HashAlg::Sha384),
            oid::SHA512_WITH_RSA => Scheme::RsaPkcs1(HashAlg::Sha512),
            oid::ED25519 => Scheme::Ed25519,
            oid::RSASSA_PSS => Scheme::RsaPss(pss_hash(params)?),
            other => return err(Code::KeyUnsupported, alloc::format!("unsupported signature algorithm {other}")),
        })
    }

    /// Protobuf `PublicKeyDetails` names (trusted root `keyDetails`, Rekor v2 `keyDetails`).
    pub fn from_key_details(s: &str) -> Option<Self> {
        Some(match s {
            "PKIX_ECDSA_P256_SHA_256" => Scheme::Ecdsa(HashAlg::Sha256),
            "PKIX_ECDSA_P384_SHA_384" => Scheme::Ecdsa(HashAlg::Sha384),
            "PKIX_ECDSA_P521_SHA_512" => Scheme::Ecdsa(HashAlg::Sha512),
            "PKIX_ED25519" | "PKIX_ED25519_PH" => Scheme::Ed25519,
            "PKCS1_RSA_PKCS1V5" | "PKIX_RSA_PKCS1V5" | "PKIX_RSA_PKCS1V15_2048_SHA256" | "PKIX_RSA_PKCS1V15_3072_SHA256" | "PKIX_RSA_PKCS1V15_4096_SHA256" => {
                Scheme::RsaPkcs1(HashAlg::Sha256)
            }
            "PKIX_RSA_PSS_2048_SHA256" | "PKIX_RSA_PSS_3072_SHA256" | "PKIX_RSA_PSS_4096_SHA256" | "PKCS1_RSA_PSS" | "PKIX_RSA_PSS" => {
                Scheme::RsaPss(HashAlg::Sha256)
            }
            _ => return None,
        })
    }

    pub fn fits(self, key: &PublicKey) -> bool {
        matches!(
            (self, &key.key),
            (Scheme::Ecdsa(_) | Scheme::EcdsaOrSha256(_), Key::P256(_) | Key::P384(_) | Key::P521(_))
                | (Scheme::Ed25519, Key::Ed25519(_))
                | (Scheme::RsaPkcs1(_) | Scheme::RsaPss(_) | Scheme::RsaAny(_), Key::Rsa(_))
        )
    }
}

/// RFC 8017 §A.2.3 (RFC 4055 §3.1):
/// ```text
/// RSASSA-PSS-params ::= SEQUENCE {
///   hashAlgorithm    [0] HashAlgorithm    DEFAULT sha1,
///   maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
///   saltLength       [2] INTEGER          DEFAULT 20,
///   trailerField     [3] TrailerField     DEFAULT trailerFieldBC }
/// ```
#[derive(Clone, Debug, der::Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<spki::AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mgf: Option<spki::AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

/// RSASSA-PSS parameters in the one form Sigstore uses and the verifier checks (the rsa crate's
/// `Pss::<D>::new()`): a SHA-2 hash, MGF1 over the same hash, a salt as long as the digest and
/// the standard trailer. Anything else is `KEY_UNSUPPORTED`. Returns the hash.
fn pss_hash(params: Option<&[u8]>) -> Result<HashAlg> {
    let p = params.and_then(|p| PssParams::from_der(p).ok()).ok_or_else(|| Error::new(Code::KeyUnsupported, "invalid RSASSA-PSS parameters"))?;
    let hash = match &p.hash {
        None => return err(Code::KeyUnsupported, "RSASSA-PSS with SHA-1 is not supported"),
        Some(h) => pss_digest(h).ok_or_else(|| Error::new(Code::KeyUnsupported, "unsupported RSASSA-PSS hash"))?,
    };
    pss_mgf1_same_hash(p.mgf.as_ref(), hash)?;
    pss_salt_is_digest_len(p.salt_len, hash)?;
    pss_trailer_is_bc(p.trailer)?;
    Ok(hash)
}

/// RFC 4055 §2.1: a hash AlgorithmIdentifier; its parameters are absent or NULL.
fn pss_digest(alg: &spki::AlgorithmIdentifierOwned) -> Option<HashAlg> {
    let params_ok = alg.parameters.as_ref().is_none_or(|p| p.is_null());
    HashAlg::from_oid(&alg.oid).filter(|_| params_ok)
}

/// RFC 8017 §B.2.1 / RFC 4055 §3.1: `maskGenAlgorithm` is id-mgf1 whose parameter is the hash
/// AlgorithmIdentifier; here it must be the signature's own hash (the default, MGF1 with SHA-1,
/// is refused).
fn pss_mgf1_same_hash(mgf: Option<&spki::AlgorithmIdentifierOwned>, hash: HashAlg) -> Result<()> {
    let Some(mgf) = mgf else { return err(Code::KeyUnsupported, "RSASSA-PSS with MGF1-SHA-1 is not supported") };
    if mgf.oid != oid::MGF1 {
        return err(Code::KeyUnsupported, alloc::format!("unsupported RSASSA-PSS mask generation function {}", mgf.oid));
    }
    let mgf_hash = mgf.parameters.as_ref().and_then(|p| p.decode_as::<spki::AlgorithmIdentifierOwned>().ok()).and_then(|a| pss_digest(&a));
    if mgf_hash != Some(hash) {
        return err(Code::KeyUnsupported, alloc::format!("RSASSA-PSS MGF1 hash differs from the signature hash {}", hash.name()));
    }
    Ok(())
}

/// RFC 8017 §9.1 (sLen) / RFC 4055 §3.1: `saltLength` (default 20) must be the digest length.
fn pss_salt_is_digest_len(salt_len: Option<u32>, hash: HashAlg) -> Result<()> {
    let salt = salt_len.unwrap_or(20);
    if usize::try_from(salt).ok() != Some(hash.output_len()) {
        return err(Code::KeyUnsupported, alloc::format!("RSASSA-PSS salt length {salt} is not the {} digest length {}", hash.name(), hash.output_len()));
    }
    Ok(())
}

/// RFC 8017 §A.2.3: `TrailerField ::= INTEGER { trailerFieldBC(1) }`, the only value defined.
fn pss_trailer_is_bc(trailer: Option<u32>) -> Result<()> {
    match trailer {
        None | Some(1) => Ok(()),
        Some(t) => err(Code::KeyUnsupported, alloc::format!("RSASSA-PSS trailerField {t} is not trailerFieldBC (1)")),
    }
}

/// What a signature covers: the message itself, or its digest under a named hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Raw(Vec<u8>),
    Prehashed(HashAlg, Vec<u8>),
}

/// One signature check, with the error to report if it fails.
#[derive(Clone, Debug)]
pub struct SigCheck {
    pub code: Code,
    /// Where the signature is (e.g. `tlogEntries[0].inclusionPromise`).
    pub what: String,
    pub key: PublicKey,
    pub scheme: Scheme,
    pub message: Message,
    pub signature: Vec<u8>,
}

/// Runs a batch of signature checks. Implementations must treat every check independently.
pub trait SignatureVerifier {
    /// `Ok(true)` valid, `Ok(false)` invalid signature, `Err` unsupported combination.
    fn verify(&self, check: &SigCheck) -> Result<bool>;

    /// Run all checks; the first failure (in list order) is returned.
    fn run_all(&self, checks: &[SigCheck]) -> Result<()> {
        for c in checks {
            match self.verify(c) {
                Ok(true) => {}
                Ok(false) => return err(c.code, alloc::format!("{}: signature does not verify", c.what)),
                // An unsupported combination keeps its own code (e.g. DIGEST_ONLY_UNSUPPORTED).
                Err(e) => return Err(Error::new(e.code, alloc::format!("{}: {}", c.what, e.context))),
            }
        }
        Ok(())
    }
}

/// The error [`verify_one`] gives before any arithmetic for a combination it does not support
/// (a scheme that does not fit the key, an Ed25519 signature over a digest, a digest of another
/// hash), or `None`: decided on the check's description alone, so the web build (no
/// `native-crypto`) reports these exactly as the full build does. Tested against `verify_one`.
pub fn combination_error(key: &PublicKey, scheme: Scheme, message: &Message) -> Option<Error> {
    if !scheme.fits(key) {
        return Some(Error::new(Code::KeyUnsupported, alloc::format!("{scheme:?} signature with a {} key", key.type_name())));
    }
    let h = match (scheme, &key.key) {
        (_, Key::Ed25519(_)) => {
            return matches!(message, Message::Prehashed(..))
                .then(|| Error::new(Code::DigestOnlyUnsupported, "an Ed25519 signature over a message cannot be checked from its digest alone"));
        }
        (Scheme::EcdsaOrSha256(h), _) => h,
        _ => scheme.hash()?,
    };
    match message {
        Message::Prehashed(ph, d) if *ph != h || d.len() != h.output_len() => {
            Some(Error::new(Code::KeyUnsupported, alloc::format!("digest is {} but the signature scheme uses {}", ph.name(), h.name())))
        }
        _ => None,
    }
}

/// The default backend: RustCrypto, pure Rust, runs anywhere.
#[cfg(feature = "native-crypto")]
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

#[cfg(feature = "native-crypto")]
impl SignatureVerifier for RustCrypto {
    fn verify(&self, c: &SigCheck) -> Result<bool> {
        verify_one(&c.key, c.scheme, &c.message, &c.signature)
    }
}

/// Verify one signature. `Ok(false)` is a bad signature; `Err` an unsupported combination.
#[cfg(feature = "native-crypto")]
pub fn verify_one(key: &PublicKey, scheme: Scheme, message: &Message, sig: &[u8]) -> Result<bool> {
    if !scheme.fits(key) {
        return err(Code::KeyUnsupported, alloc::format!("{scheme:?} signature with a {} key", key.type_name()));
    }
    if let Scheme::EcdsaOrSha256(h) = scheme {
        if verify_one(key, Scheme::Ecdsa(h), message, sig)? {
            return Ok(true);
        }
        return Ok(h != HashAlg::Sha256 && matches!(message, Message::Raw(_)) && verify_one(key, Scheme::Ecdsa(HashAlg::Sha256), message, sig)?);
    }
    if let Key::Ed25519(k) = &key.key {
        let Message::Raw(m) = message else {
            return err(Code::DigestOnlyUnsupported, "an Ed25519 signature over a message cannot be checked from its digest alone");
        };
        let Ok(s) = ed25519_dalek::Signature::from_slice(sig) else { return Ok(false) };
        return Ok(k.verify_strict(m, &s).is_ok());
    }
    // Every other scheme signs a digest.
    let Some(h) = scheme.hash() else { return err(Code::KeyUnsupported, "scheme without hash") };
    let digest_owned;
    let digest: &[u8] = match message {
        Message::Raw(m) => {
            digest_owned = h.digest(m);
            &digest_owned
        }
        Message::Prehashed(ph, d) => {
            if *ph != h || d.len() != h.output_len() {
                return err(Code::KeyUnsupported, alloc::format!("digest is {} but the signature scheme uses {}", ph.name(), h.name()));
            }
            d
        }
    };
    Ok(match &key.key {
        // A precomputed key checks the same (r, s) as `verify_prehash` would, via its tables.
        Key::P256(k) => p256::ecdsa::DerSignature::from_bytes(sig).is_ok_and(|s| match key.table.as_deref() {
            Some(EcTable::P256(t)) => p256::ecdsa::Signature::try_from(s).is_ok_and(|s| table::verify_prehash(t, digest, &s)),
            _ => k.verify_prehash(digest, &s).is_ok(),
        }),
        Key::P384(k) => p384::ecdsa::DerSignature::from_bytes(sig).is_ok_and(|s| match key.table.as_deref() {
            Some(EcTable::P384(t)) => p384::ecdsa::Signature::try_from(s).is_ok_and(|s| table::verify_prehash(t, digest, &s)),
            _ => k.verify_prehash(digest, &s).is_ok(),
        }),
        Key::P521(k) => ecdsa::der::Signature::<p521::NistP521>::from_bytes(sig).is_ok_and(|s| k.verify_prehash(digest, &s).is_ok()),
        Key::Rsa(k) => {
            let pkcs1 = || rsa_pkcs1(k, h, digest, sig);
            let pss = || rsa_pss(k, h, digest, sig);
            match scheme {
                Scheme::RsaPkcs1(_) => pkcs1(),
                Scheme::RsaPss(_) => pss(),
                _ => pkcs1() || pss(),
            }
        }
        Key::Ed25519(_) => false,
    })
}

#[cfg(feature = "native-crypto")]
fn rsa_pkcs1(k: &rsa::PublicKey, h: HashAlg, digest: &[u8], sig: &[u8]) -> bool {
    let scheme = match h {
        HashAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        HashAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        HashAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    };
    k.verify(scheme, digest, sig).is_ok()
}

#[cfg(feature = "native-crypto")]
fn rsa_pss(k: &rsa::PublicKey, h: HashAlg, digest: &[u8], sig: &[u8]) -> bool {
    match h {
        HashAlg::Sha256 => k.verify(rsa::pss::Pss::<sha2::Sha256>::new(), digest, sig).is_ok(),
        HashAlg::Sha384 => k.verify(rsa::pss::Pss::<sha2::Sha384>::new(), digest, sig).is_ok(),
        HashAlg::Sha512 => k.verify(rsa::pss::Pss::<sha2::Sha512>::new(), digest, sig).is_ok(),
    }
}

/// SHA-256 of bytes as a fixed array (log IDs, Merkle hashes).
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use der::Encode;
    use spki::AlgorithmIdentifierOwned;

    fn alg(o: ObjectIdentifier, params: Option<der::Any>) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned { oid: o, parameters: params }
    }

    fn hash_alg(o: ObjectIdentifier) -> AlgorithmIdentifierOwned {
        alg(o, None)
    }

    fn mgf1(hash: AlgorithmIdentifierOwned) -> AlgorithmIdentifierOwned {
        alg(oid::MGF1, Some(der::Any::encode_from(&hash).unwrap()))
    }

    fn params(hash: Option<AlgorithmIdentifierOwned>, mgf: Option<AlgorithmIdentifierOwned>, salt_len: Option<u32>, trailer: Option<u32>) -> Vec<u8> {
        PssParams { hash, mgf, salt_len, trailer }.to_der().unwrap()
    }

    /// The Sigstore form for each hash: hash, MGF1 with it, salt = digest length.
    fn sigstore_form(o: ObjectIdentifier, salt: u32) -> Vec<u8> {
        params(Some(hash_alg(o)), Some(mgf1(hash_alg(o))), Some(salt), None)
    }

    fn pss(p: &[u8]) -> Result<Scheme> {
        Scheme::from_algorithm(&oid::RSASSA_PSS, Some(p))
    }

    /// An RSA SPKI over a synthetic modulus (odd, 2048 bits; the crate checks no primality).
    fn rsa_spki() -> Vec<u8> {
        let mut n = alloc::vec![0xc5u8; 256];
        n[255] = 0x01;
        let mut rsa = alloc::vec![0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00];
        rsa.extend(n);
        rsa.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
        let mut spki = alloc::vec![
            0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x82, 0x01, 0x0f, 0x00
        ];
        spki.extend(rsa);
        spki
    }

    /// `combination_error` (what the web build reports without arithmetic) is exactly
    /// `verify_one`'s `Err`, for every key type, scheme and message form.
    #[test]
    fn combination_errors_are_verify_ones() {
        let root = crate::trust_root::TrustedRoot::production().unwrap();
        let mut keys: Vec<PublicKey> = root.tlogs.iter().chain(root.ctlogs.iter()).map(|l| l.key.clone()).collect();
        keys.extend(root.certificate_authorities.iter().flat_map(|a| a.chain.iter()).filter_map(|c| c.public_key().ok().cloned()));
        let mut ed = alloc::vec![0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, 0x58];
        ed.extend([0x66; 31]);
        keys.push(PublicKey::from_spki_der(&ed).unwrap());
        keys.push(PublicKey::from_spki_der(&rsa_spki()).unwrap());
        let types: alloc::collections::BTreeSet<_> = keys.iter().map(PublicKey::type_name).collect();
        assert!(types.len() >= 4, "{types:?}");
        let hashes = [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512];
        let mut schemes = alloc::vec![Scheme::Ed25519];
        for h in hashes {
            schemes.extend([Scheme::Ecdsa(h), Scheme::RsaPkcs1(h), Scheme::RsaPss(h), Scheme::RsaAny(h), Scheme::EcdsaOrSha256(h)]);
        }
        let mut messages = alloc::vec![Message::Raw(b"m".to_vec())];
        for h in hashes {
            messages.push(Message::Prehashed(h, h.digest(b"m")));
            messages.push(Message::Prehashed(h, alloc::vec![0; 20]));
        }
        let mut errors = 0;
        for key in &keys {
            for &scheme in &schemes {
                for m in &messages {
                    let full = verify_one(key, scheme, m, &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]).err();
                    let ours = combination_error(key, scheme, m);
                    assert_eq!(
                        ours.as_ref().map(|e| (e.code, e.context.clone())),
                        full.as_ref().map(|e| (e.code, e.context.clone())),
                        "{} {scheme:?} {m:?}",
                        key.type_name()
                    );
                    errors += usize::from(full.is_some());
                }
            }
        }
        assert!(errors > 100, "{errors}");
    }

    #[test]
    fn pss_sigstore_form_accepted() {
        assert_eq!(pss(&sigstore_form(oid::SHA256, 32)).unwrap(), Scheme::RsaPss(HashAlg::Sha256));
        assert_eq!(pss(&sigstore_form(oid::SHA384, 48)).unwrap(), Scheme::RsaPss(HashAlg::Sha384));
        assert_eq!(pss(&sigstore_form(oid::SHA512, 64)).unwrap(), Scheme::RsaPss(HashAlg::Sha512));
        // Hash parameters NULL (as OpenSSL writes them), explicit trailerFieldBC.
        let null = Some(der::Any::from(der::asn1::Null));
        let p = params(Some(alg(oid::SHA256, null.clone())), Some(mgf1(alg(oid::SHA256, null))), Some(32), Some(1));
        assert_eq!(pss(&p).unwrap(), Scheme::RsaPss(HashAlg::Sha256));
    }

    #[test]
    fn pss_other_forms_refused() {
        let sha256 = || Some(hash_alg(oid::SHA256));
        let sha1 = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
        let bad: [(&str, Vec<u8>); 10] = [
            ("no params", Vec::new()),
            ("defaults (SHA-1)", params(None, None, None, None)),
            ("MGF1 default (SHA-1)", params(sha256(), None, Some(32), None)),
            ("MGF1 with SHA-1", params(sha256(), Some(mgf1(hash_alg(sha1))), Some(32), None)),
            ("MGF1 with another SHA-2", params(sha256(), Some(mgf1(hash_alg(oid::SHA384))), Some(32), None)),
            ("MGF1 without its hash", params(sha256(), Some(alg(oid::MGF1, None)), Some(32), None)),
            ("not MGF1", params(sha256(), Some(alg(oid::SHA256, None)), Some(32), None)),
            ("salt default 20", params(sha256(), Some(mgf1(hash_alg(oid::SHA256))), None, None)),
            ("salt 64 with SHA-256", params(sha256(), Some(mgf1(hash_alg(oid::SHA256))), Some(64), None)),
            ("trailer 2", params(sha256(), Some(mgf1(hash_alg(oid::SHA256))), Some(32), Some(2))),
        ];
        for (what, p) in &bad {
            let r = if p.is_empty() { Scheme::from_algorithm(&oid::RSASSA_PSS, None) } else { pss(p) };
            assert_eq!(r.unwrap_err().code, Code::KeyUnsupported, "{what}");
        }
        // A hash with parameters other than NULL.
        let odd = Some(alg(oid::SHA256, Some(der::Any::encode_from(&oid::SHA256).unwrap())));
        assert_eq!(pss(&params(odd, Some(mgf1(hash_alg(oid::SHA256))), Some(32), None)).unwrap_err().code, Code::KeyUnsupported);
    }
}
