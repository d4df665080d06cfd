//! A certificate parsed once, with its DER kept for hashing and comparison, and the extensions
//! the verifier reads decoded once into typed fields.

use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::{Decode, Encode, Reader};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAltName};
use x509_cert::ext::Extension;

use crate::crypto::{Message, PublicKey, Scheme, SigCheck};
use crate::error::{err, Code, Error, Result};
use crate::time::Time;

/// Object identifiers of the X.509 extensions and key purposes this crate reads.
pub mod oid {
    use const_oid::ObjectIdentifier as O;
    /// RFC 5280 §4.2.1.2
    pub const SUBJECT_KEY_ID: O = O::new_unwrap("2.5.29.14");
    /// RFC 5280 §4.2.1.3
    pub const KEY_USAGE: O = O::new_unwrap("2.5.29.15");
    /// RFC 5280 §4.2.1.6
    pub const SUBJECT_ALT_NAME: O = O::new_unwrap("2.5.29.17");
    /// RFC 5280 §4.2.1.9
    pub const BASIC_CONSTRAINTS: O = O::new_unwrap("2.5.29.19");
    /// RFC 5280 §4.2.1.1
    pub const AUTHORITY_KEY_ID: O = O::new_unwrap("2.5.29.35");
    /// RFC 5280 §4.2.1.12
    pub const EXT_KEY_USAGE: O = O::new_unwrap("2.5.29.37");
    /// id-kp-codeSigning (RFC 5280 §4.2.1.12)
    pub const KP_CODE_SIGNING: O = O::new_unwrap("1.3.6.1.5.5.7.3.3");
    /// id-kp-timeStamping (RFC 5280 §4.2.1.12, RFC 3161 §2.3)
    pub const KP_TIME_STAMPING: O = O::new_unwrap("1.3.6.1.5.5.7.3.8");
    /// Embedded SignedCertificateTimestampList (RFC 6962 §3.3)
    pub const CT_SCT_LIST: O = O::new_unwrap("1.3.6.1.4.1.11129.2.4.2");
}

/// The extensions the verifier reads (RFC 5280 §4.2.1), decoded once by [`Cert::from_der`].
/// `None` means the certificate does not carry the extension.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct KnownExtensions {
    basic_constraints: Option<BasicConstraints>,
    key_usage: Option<KeyUsage>,
    ext_key_usage: Option<Vec<ObjectIdentifier>>,
    subject_key_id: Option<Vec<u8>>,
    /// The `keyIdentifier` of the AuthorityKeyIdentifier (`None` also when the extension is
    /// there without one).
    authority_key_id: Option<Vec<u8>>,
    subject_alt_name: Option<Vec<GeneralName>>,
}

/// An X.509 certificate (RFC 5280 §4.1), parsed once.
#[derive(Clone, Debug)]
pub struct Cert {
    der: Vec<u8>,
    cert: x509_cert::Certificate,
    tbs_der: Vec<u8>,
    /// Original DER of the issuer and subject Names and of the SubjectPublicKeyInfo, sliced
    /// from the TBSCertificate (compared and hashed as signed, never re-encoded).
    issuer_der: Vec<u8>,
    subject_der: Vec<u8>,
    spki_der: Vec<u8>,
    key: Option<PublicKey>,
    not_before: Time,
    not_after: Time,
    ext: KnownExtensions,
}

impl PartialEq for Cert {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

fn invalid(what: &str) -> Error {
    Error::new(Code::CertInvalid, what)
}

impl Cert {
    /// Parse DER and decode the extensions the verifier reads. Fails with `CERT_INVALID` on
    /// anything but one complete certificate, on a certificate that repeats an extension, and on
    /// a malformed basicConstraints, keyUsage, extKeyUsage, subjectKeyIdentifier,
    /// authorityKeyIdentifier or subjectAltName.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| Error::new(Code::CertInvalid, alloc::format!("certificate does not parse: {e}")))?;
        let tbs = tbs_slice(der).map_err(|e| Error::new(Code::CertInvalid, alloc::format!("cannot locate TBSCertificate: {e}")))?;
        let f = tbs_fields(tbs).map_err(|e| Error::new(Code::CertInvalid, alloc::format!("cannot locate TBSCertificate fields: {e}")))?;
        let (issuer_der, subject_der, spki_der) = (f.issuer.to_vec(), f.subject.to_vec(), f.spki.to_vec());
        let tbs_der = tbs.to_vec();
        let exts = cert.tbs_certificate().extensions().map(|e| e.as_slice()).unwrap_or(&[]);
        no_duplicate_extensions(exts)?;
        let ext = known_extensions(exts)?;
        let v = cert.tbs_certificate().validity();
        let not_before = to_time(v.not_before.to_unix_duration());
        let not_after = to_time(v.not_after.to_unix_duration());
        // Keys of unsupported types are only an error once something must verify with them.
        let key = PublicKey::from_spki_der(&spki_der).ok();
        Ok(Cert { der: der.to_vec(), cert, tbs_der, issuer_der, subject_der, spki_der, key, not_before, not_after, ext })
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn inner(&self) -> &x509_cert::Certificate {
        &self.cert
    }

    /// The original DER of the TBSCertificate (what the issuer signed), sliced from the
    /// certificate, never re-encoded.
    pub fn tbs_der(&self) -> &[u8] {
        &self.tbs_der
    }

    pub fn not_before(&self) -> Time {
        self.not_before
    }

    pub fn not_after(&self) -> Time {
        self.not_after
    }

    /// RFC 5280 §4.1.2.5: valid at `t` when notBefore <= t <= notAfter (both inclusive).
    pub fn valid_at(&self, t: Time) -> bool {
        self.not_before <= t && t <= self.not_after
    }

    pub fn public_key(&self) -> Result<&PublicKey> {
        self.key.as_ref().ok_or_else(|| Error::new(Code::KeyUnsupported, "certificate public key type is not supported"))
    }

    /// Give the certificate's key fixed-base tables ([`PublicKey::precompute`]): for trusted
    /// certificates only. Returns whether the key now has a table.
    pub fn precompute_key(&mut self, gens: &mut crate::crypto::Generators) -> bool {
        self.key.as_mut().is_some_and(|k| k.precompute(gens))
    }

    /// The SubjectPublicKeyInfo's DER as it appears in the certificate.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The subject Name's DER as it appears in the certificate.
    pub fn subject_der(&self) -> &[u8] {
        &self.subject_der
    }

    /// The issuer Name's DER as it appears in the certificate.
    pub fn issuer_der(&self) -> &[u8] {
        &self.issuer_der
    }

    /// RFC 5280 §4.1.2.2: the serial number's content octets (two's complement, big-endian).
    pub fn serial_number(&self) -> &[u8] {
        self.cert.tbs_certificate().serial_number().as_bytes()
    }

    /// Self-issued (subject == issuer), as roots are.
    pub fn is_self_issued(&self) -> bool {
        self.cert.tbs_certificate().subject() == self.cert.tbs_certificate().issuer()
    }

    /// All extensions, in certificate order (RFC 5280 §4.1.2.9).
    pub fn extensions(&self) -> &[Extension] {
        self.cert.tbs_certificate().extensions().map(|e| e.as_slice()).unwrap_or(&[])
    }

    /// The extension with this OID as (critical, extnValue content octets): for the extensions
    /// without a typed accessor (SCT list, Fulcio claims). Extensions are unique (checked when
    /// parsing), so there is at most one.
    pub fn extension(&self, id: &ObjectIdentifier) -> Option<(bool, &[u8])> {
        self.extensions().iter().find(|e| e.extn_id == *id).map(|e| (e.critical, e.extn_value.as_bytes()))
    }

    /// RFC 5280 §4.2.1.2: the subjectKeyIdentifier's octets, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.ext.subject_key_id.as_deref()
    }

    /// RFC 5280 §4.2.1.1: the `keyIdentifier [0]` of AuthorityKeyIdentifier, if any.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.ext.authority_key_id.as_deref()
    }

    /// RFC 5280 §4.2.1.9: basicConstraints (`.ca`, `.path_len_constraint`), if present.
    pub fn basic_constraints(&self) -> Option<&BasicConstraints> {
        self.ext.basic_constraints.as_ref()
    }

    /// True when basicConstraints is present with cA TRUE.
    pub fn is_ca(&self) -> bool {
        self.ext.basic_constraints.as_ref().is_some_and(|b| b.ca)
    }

    /// RFC 5280 §4.2.1.3: keyUsage (`.digital_signature()`, `.key_cert_sign()`), if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.ext.key_usage
    }

    /// RFC 5280 §4.2.1.12: the KeyPurposeIds of extKeyUsage, if present.
    pub fn extended_key_usage(&self) -> Option<&[ObjectIdentifier]> {
        self.ext.ext_key_usage.as_deref()
    }

    /// RFC 5280 §4.2.1.12: extKeyUsage is present and lists `purpose`.
    pub fn has_key_purpose(&self, purpose: &ObjectIdentifier) -> bool {
        self.extended_key_usage().is_some_and(|e| e.contains(purpose))
    }

    /// RFC 5280 §4.2.1.6: the GeneralNames of subjectAltName, if present.
    pub fn subject_alt_names(&self) -> Option<&[GeneralName]> {
        self.ext.subject_alt_name.as_deref()
    }

    /// The check that `issuer` signed this certificate (RFC 5280 §6.1.3 (a)(1)).
    pub fn signed_by(&self, issuer: &Cert, what: &str) -> Result<SigCheck> {
        let alg = self.cert.signature_algorithm();
        if alg != self.cert.tbs_certificate().signature() {
            return err(Code::CertInvalid, "signatureAlgorithm differs from TBSCertificate.signature");
        }
        let params = alg.parameters.as_ref().and_then(|p| p.to_der().ok());
        let scheme = Scheme::from_algorithm(&alg.oid, params.as_deref())?;
        let signature = self.cert.signature().as_bytes().ok_or_else(|| invalid("signature bit string has unused bits"))?.to_vec();
        Ok(SigCheck {
            code: Code::CertSignatureInvalid,
            what: what.into(),
            key: issuer.public_key()?.clone(),
            scheme,
            message: Message::Raw(self.tbs_der.clone()),
            signature,
        })
    }
}

/// RFC 5280 §4.1: `Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }`: the
/// TBSCertificate is the first TLV inside the outer SEQUENCE, taken byte for byte.
fn tbs_slice(der: &[u8]) -> der::Result<&[u8]> {
    let mut r = der::SliceReader::new(der)?;
    let outer = der::Header::decode(&mut r)?;
    outer.tag().assert_eq(der::Tag::Sequence)?;
    r.tlv_bytes()
}

/// Raw fields of a TBSCertificate.
struct TbsFields<'a> {
    issuer: &'a [u8],
    subject: &'a [u8],
    spki: &'a [u8],
}

/// Slice the issuer, subject and subjectPublicKeyInfo out of a TBSCertificate (RFC 5280 §4.1):
///
/// ```text
/// TBSCertificate ::= SEQUENCE {
///      version         [0]  EXPLICIT Version DEFAULT v1,
///      serialNumber         CertificateSerialNumber,
///      signature            AlgorithmIdentifier,
///      issuer               Name,
///      validity             Validity,
///      subject              Name,
///      subjectPublicKeyInfo SubjectPublicKeyInfo,
///      ... }
/// ```
/// The certificate has already parsed as a whole, so only the element boundaries matter here.
fn tbs_fields(tbs: &[u8]) -> der::Result<TbsFields<'_>> {
    let mut r = der::SliceReader::new(tbs)?;
    let outer = der::Header::decode(&mut r)?;
    outer.tag().assert_eq(der::Tag::Sequence)?;
    if der::Tag::peek(&r)?.is_context_specific() {
        r.tlv_bytes()?; // version
    }
    r.tlv_bytes()?; // serialNumber
    r.tlv_bytes()?; // signature
    let issuer = r.tlv_bytes()?;
    r.tlv_bytes()?; // validity
    let subject = r.tlv_bytes()?;
    let spki = r.tlv_bytes()?;
    Ok(TbsFields { issuer, subject, spki })
}

/// RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular
/// extension."
fn no_duplicate_extensions(exts: &[Extension]) -> Result<()> {
    for (i, e) in exts.iter().enumerate() {
        if exts.iter().skip(i + 1).any(|o| o.extn_id == e.extn_id) {
            return err(Code::CertInvalid, alloc::format!("extension {} appears more than once", e.extn_id));
        }
    }
    Ok(())
}

/// Decode the extensions of [`KnownExtensions`] (each is unique: [`no_duplicate_extensions`] ran
/// first). Any other extension is left to [`Cert::extension`].
fn known_extensions(exts: &[Extension]) -> Result<KnownExtensions> {
    let mut k = KnownExtensions::default();
    for e in exts {
        let v = e.extn_value.as_bytes();
        match e.extn_id {
            oid::BASIC_CONSTRAINTS => k.basic_constraints = Some(basic_constraints(v)?),
            oid::KEY_USAGE => k.key_usage = Some(key_usage(v)?),
            oid::EXT_KEY_USAGE => k.ext_key_usage = Some(ext_key_usage(v)?),
            oid::SUBJECT_KEY_ID => k.subject_key_id = Some(subject_key_id(v)?),
            oid::AUTHORITY_KEY_ID => k.authority_key_id = authority_key_id(v)?,
            oid::SUBJECT_ALT_NAME => k.subject_alt_name = Some(subject_alt_name(v)?),
            _ => {}
        }
    }
    Ok(k)
}

/// The extnValue of an extension decoded as `T`; a malformed value is `CERT_INVALID`.
fn decode_value<'a, T: Decode<'a>>(v: &'a [u8], name: &str) -> Result<T> {
    T::from_der(v).map_err(|_| invalid(&alloc::format!("malformed {name} extension")))
}

/// RFC 5280 §4.2.1.9: `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
/// pathLenConstraint INTEGER (0..MAX) OPTIONAL }`.
fn basic_constraints(v: &[u8]) -> Result<BasicConstraints> {
    decode_value(v, "basicConstraints")
}

/// RFC 5280 §4.2.1.3: `KeyUsage ::= BIT STRING { digitalSignature (0), ... }`.
fn key_usage(v: &[u8]) -> Result<KeyUsage> {
    decode_value(v, "keyUsage")
}

/// RFC 5280 §4.2.1.12: `ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId`.
fn ext_key_usage(v: &[u8]) -> Result<Vec<ObjectIdentifier>> {
    decode_value::<ExtendedKeyUsage>(v, "extKeyUsage").map(|e| e.0)
}

/// RFC 5280 §4.2.1.2: `SubjectKeyIdentifier ::= KeyIdentifier`, `KeyIdentifier ::= OCTET STRING`.
fn subject_key_id(v: &[u8]) -> Result<Vec<u8>> {
    decode_value::<der::asn1::OctetString>(v, "subjectKeyIdentifier").map(|o| o.as_bytes().to_vec())
}

/// RFC 5280 §4.2.1.1: `AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] KeyIdentifier
/// OPTIONAL, authorityCertIssuer [1] GeneralNames OPTIONAL, authorityCertSerialNumber [2]
/// CertificateSerialNumber OPTIONAL }`: the keyIdentifier, if any.
fn authority_key_id(v: &[u8]) -> Result<Option<Vec<u8>>> {
    decode_value::<AuthorityKeyIdentifier>(v, "authorityKeyIdentifier").map(|a| a.key_identifier.map(|k| k.as_bytes().to_vec()))
}

/// RFC 5280 §4.2.1.6: `SubjectAltName ::= GeneralNames`,
/// `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`.
fn subject_alt_name(v: &[u8]) -> Result<Vec<GeneralName>> {
    decode_value::<SubjectAltName>(v, "subjectAltName").map(|s| s.0)
}

fn to_time(d: core::time::Duration) -> Time {
    Time { secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX), nanos: 0 }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
pub(crate) mod tests {
    extern crate std;
    use super::*;
    use alloc::string::String;

    pub(crate) fn data(rel: &str) -> String {
        std::fs::read_to_string(std::format!("{}/tests/data/conformance/{rel}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    /// The first certificate of a conformance bundle's verification material.
    pub(crate) fn bundle_certs(case: &str) -> Vec<Cert> {
        let b = crate::bundle::Bundle::from_json(&data(&std::format!("bundle-verify/{case}/bundle.sigstore.json"))).unwrap();
        match b.material {
            crate::bundle::Material::Chain(c) => c,
            crate::bundle::Material::Certificate(c) => alloc::vec![*c],
            crate::bundle::Material::PublicKey { .. } => panic!("no certificate"),
        }
    }

    #[test]
    fn tbs_is_original_bytes() {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let tbs = leaf.tbs_der();
        // The TBS follows the outer SEQUENCE header (4 bytes for certs of this size).
        assert_eq!(&leaf.der()[4..4 + tbs.len()], tbs);
        assert_eq!(tbs, leaf.inner().tbs_certificate().to_der().unwrap().as_slice());
    }

    #[test]
    fn name_and_key_slices_equal_their_encodings() {
        let root = crate::trust_root::TrustedRoot::production().unwrap();
        let mut certs = bundle_certs("happy-path-v0.1");
        certs.extend(root.certificate_authorities.iter().flat_map(|ca| ca.chain.iter().cloned()));
        for c in &certs {
            let tbs = c.inner().tbs_certificate();
            assert_eq!(c.issuer_der(), tbs.issuer().to_der().unwrap().as_slice());
            assert_eq!(c.subject_der(), tbs.subject().to_der().unwrap().as_slice());
            assert_eq!(c.spki_der(), tbs.subject_public_key_info().to_der().unwrap().as_slice());
        }
    }

    #[test]
    fn accessors_on_fulcio_leaf() {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        assert!(!leaf.serial_number().is_empty());
        assert!(!leaf.is_ca());
        assert!(leaf.key_usage().unwrap().digital_signature());
        assert!(leaf.extended_key_usage().unwrap().contains(&oid::KP_CODE_SIGNING));
        assert!(leaf.has_key_purpose(&oid::KP_CODE_SIGNING) && !leaf.has_key_purpose(&oid::KP_TIME_STAMPING));
        assert!(leaf.subject_key_id().is_some());
        assert!(leaf.authority_key_id().is_some());
        assert!(!leaf.subject_alt_names().unwrap().is_empty());
        let (critical, v) = leaf.extension(&oid::KEY_USAGE).unwrap();
        assert!(critical && !v.is_empty());
        assert!(leaf.extension(&oid::CT_SCT_LIST).is_some());
        let root = crate::trust_root::TrustedRoot::production().unwrap();
        let ca = &root.certificate_authorities[1].chain[1];
        assert!(ca.is_ca() && ca.is_self_issued());
        assert!(ca.key_usage().unwrap().key_cert_sign());
    }

    /// Every certificate the tests know (bundle leaves, production authorities, a TSA chain).
    fn known_certs() -> Vec<Cert> {
        let mut certs = Vec::new();
        for case in ["happy-path-v0.1", "happy-path-v0.3", "bundle-with-root-cert_fail", "rekor2-happy-path"] {
            certs.extend(bundle_certs(case));
        }
        let root = crate::trust_root::TrustedRoot::production().unwrap();
        certs.extend(root.certificate_authorities.iter().flat_map(|ca| ca.chain.iter().cloned()));
        let tsa = crate::trust_root::TrustedRoot::from_json(&data("bundle-verify/rekor2-happy-path/trusted_root.json")).unwrap();
        certs.extend(tsa.timestamp_authorities.iter().flat_map(|ca| ca.chain.iter().cloned()));
        certs
    }

    /// The typed accessors return what decoding the raw extension with x509-cert gives.
    #[test]
    fn parsed_extensions_equal_their_raw_values() {
        use x509_cert::ext::pkix::SubjectKeyIdentifier;
        let certs = known_certs();
        assert!(certs.len() >= 8);
        for c in &certs {
            let tbs = c.inner().tbs_certificate();
            assert_eq!(c.basic_constraints(), tbs.get_extension::<BasicConstraints>().unwrap().map(|(_, b)| b).as_ref());
            assert_eq!(c.is_ca(), c.basic_constraints().is_some_and(|b| b.ca));
            assert_eq!(c.key_usage(), tbs.get_extension::<KeyUsage>().unwrap().map(|(_, k)| k));
            assert_eq!(c.extended_key_usage(), tbs.get_extension::<ExtendedKeyUsage>().unwrap().map(|(_, e)| e.0).as_deref());
            let ski = tbs.get_extension::<SubjectKeyIdentifier>().unwrap().map(|(_, k)| k.0.as_bytes().to_vec());
            assert_eq!(c.subject_key_id(), ski.as_deref());
            let aki = tbs.get_extension::<AuthorityKeyIdentifier>().unwrap().and_then(|(_, a)| a.key_identifier).map(|k| k.as_bytes().to_vec());
            assert_eq!(c.authority_key_id(), aki.as_deref());
            assert_eq!(c.subject_alt_names(), tbs.get_extension::<SubjectAltName>().unwrap().map(|(_, s)| s.0).as_deref());
        }
        // The TSA signing certificate is for timestamping; its AKI names its issuer's SKI.
        let tsa = crate::trust_root::TrustedRoot::from_json(&data("bundle-verify/rekor2-happy-path/trusted_root.json")).unwrap();
        let chain = &tsa.timestamp_authorities[0].chain;
        assert!(chain[0].has_key_purpose(&oid::KP_TIME_STAMPING));
        if let (Some(a), Some(s)) = (chain[0].authority_key_id(), chain[1].subject_key_id()) {
            assert_eq!(a, s);
        }
    }

    #[test]
    fn absent_extensions_are_none() {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let der = with_extensions(leaf.der(), &[]);
        let c = Cert::from_der(&der).unwrap();
        assert!(c.extensions().is_empty());
        assert!(c.basic_constraints().is_none() && !c.is_ca());
        assert!(c.key_usage().is_none() && c.extended_key_usage().is_none() && !c.has_key_purpose(&oid::KP_CODE_SIGNING));
        assert!(c.subject_key_id().is_none() && c.authority_key_id().is_none() && c.subject_alt_names().is_none());
        // An authorityKeyIdentifier without keyIdentifier [0]: present, but no key id.
        let aki_without_key_id = Extension { extn_id: oid::AUTHORITY_KEY_ID, critical: false, extn_value: der::asn1::OctetString::new([0x30, 0x00]).unwrap() };
        let c = Cert::from_der(&with_extensions(leaf.der(), &[aki_without_key_id])).unwrap();
        assert!(c.extension(&oid::AUTHORITY_KEY_ID).is_some());
        assert!(c.authority_key_id().is_none());
    }

    /// Each extension the certificate decodes, with a value that is not its ASN.1 type, is
    /// `CERT_INVALID` when the certificate is parsed, naming the extension.
    #[test]
    fn malformed_extensions_rejected_at_parse() {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let cases = [
            (oid::BASIC_CONSTRAINTS, "basicConstraints"),
            (oid::KEY_USAGE, "keyUsage"),
            (oid::EXT_KEY_USAGE, "extKeyUsage"),
            (oid::SUBJECT_KEY_ID, "subjectKeyIdentifier"),
            (oid::AUTHORITY_KEY_ID, "authorityKeyIdentifier"),
            (oid::SUBJECT_ALT_NAME, "subjectAltName"),
        ];
        // ASN.1 NULL fits none of them; trailing bytes after a valid value are refused too.
        for (id, name) in cases {
            let original = leaf.extension(&id).map(|(_, v)| v.to_vec()).unwrap_or_else(|| std::vec![0x30, 0x00]);
            let mut trailing = original.clone();
            trailing.push(0);
            for bad in [std::vec![0x05, 0x00], trailing] {
                let mut exts = leaf.extensions().to_vec();
                exts.retain(|e| e.extn_id != id);
                exts.push(Extension { extn_id: id, critical: false, extn_value: der::asn1::OctetString::new(bad).unwrap() });
                let e = Cert::from_der(&with_extensions(leaf.der(), &exts)).unwrap_err();
                assert_eq!(e.code, Code::CertInvalid, "{name}: {e}");
                assert!(e.context.contains(name), "{name}: {e}");
            }
        }
        // extKeyUsage whose KeyPurposeId is an INTEGER, not an OBJECT IDENTIFIER.
        let mut exts = leaf.extensions().to_vec();
        exts.retain(|e| e.extn_id != oid::EXT_KEY_USAGE);
        exts.push(Extension { extn_id: oid::EXT_KEY_USAGE, critical: false, extn_value: der::asn1::OctetString::new([0x30, 0x03, 0x02, 0x01, 0x01]).unwrap() });
        let e = Cert::from_der(&with_extensions(leaf.der(), &exts)).unwrap_err();
        assert_eq!(e.code, Code::CertInvalid);
        assert!(e.context.contains("extKeyUsage"), "{e}");
        // An unknown extension is not decoded: any value parses.
        let mut exts = leaf.extensions().to_vec();
        let other = const_oid::ObjectIdentifier::new_unwrap("1.2.3.4");
        exts.push(Extension { extn_id: other, critical: false, extn_value: der::asn1::OctetString::new([0xff]).unwrap() });
        let c = Cert::from_der(&with_extensions(leaf.der(), &exts)).unwrap();
        assert_eq!(c.extension(&other), Some((false, &[0xff][..])));
    }

    #[test]
    fn every_decoded_extension_may_appear_once() {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        for id in [oid::BASIC_CONSTRAINTS, oid::KEY_USAGE, oid::EXT_KEY_USAGE, oid::SUBJECT_KEY_ID, oid::AUTHORITY_KEY_ID, oid::SUBJECT_ALT_NAME] {
            let mut exts = leaf.extensions().to_vec();
            let value = leaf.extension(&id).map(|(_, v)| v.to_vec()).unwrap_or_else(|| std::vec![0x30, 0x00]);
            let one = Extension { extn_id: id, critical: false, extn_value: der::asn1::OctetString::new(value).unwrap() };
            exts.retain(|e| e.extn_id != id);
            exts.push(one.clone());
            assert!(Cert::from_der(&with_extensions(leaf.der(), &exts)).is_ok(), "{id}");
            exts.push(one);
            let e = Cert::from_der(&with_extensions(leaf.der(), &exts)).unwrap_err();
            assert_eq!(e.code, Code::CertInvalid, "{id}");
            assert!(e.context.contains("more than once"), "{e}");
        }
    }

    #[test]
    fn duplicate_extension_rejected() {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        // Rebuild the certificate with the keyUsage extension repeated.
        let mut exts = leaf.extensions().to_vec();
        let ku = exts.iter().find(|e| e.extn_id == oid::KEY_USAGE).unwrap().clone();
        exts.push(ku);
        let der = with_extensions(leaf.der(), &exts);
        let e = Cert::from_der(&der).unwrap_err();
        assert_eq!(e.code, Code::CertInvalid, "{e}");
        let c = x509_cert::Certificate::from_der(&der).unwrap();
        assert_eq!(c.tbs_certificate().extensions().unwrap().len(), exts.len());
    }

    #[test]
    fn garbage_rejected() {
        assert_eq!(Cert::from_der(b"\x30\x03\x02\x01\x01").unwrap_err().code, Code::CertInvalid);
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let mut der = leaf.der().to_vec();
        der.push(0);
        assert_eq!(Cert::from_der(&der).unwrap_err().code, Code::CertInvalid);
    }

    /// Test helper: the certificate DER with its extensions replaced (signature left as is).
    pub(crate) fn with_extensions(cert_der: &[u8], exts: &[Extension]) -> Vec<u8> {
        let c = x509_cert::Certificate::from_der(cert_der).unwrap();
        let t = c.tbs_certificate();
        // Rebuild the TBS from its parts (x509-cert 0.3 offers no mutable access).
        let mut body = Vec::new();
        body.extend(der::asn1::ContextSpecific { tag_number: der::TagNumber(0), tag_mode: der::TagMode::Explicit, value: t.version() }.to_der().unwrap());
        body.extend(t.serial_number().to_der().unwrap());
        body.extend(t.signature().to_der().unwrap());
        body.extend(t.issuer().to_der().unwrap());
        body.extend(t.validity().to_der().unwrap());
        body.extend(t.subject().to_der().unwrap());
        body.extend(t.subject_public_key_info().to_der().unwrap());
        let exts_der = exts.to_vec().to_der().unwrap();
        let mut ctx =
            der::Header::new(der::Tag::ContextSpecific { constructed: true, number: der::TagNumber(3) }, der::Length::try_from(exts_der.len()).unwrap())
                .to_der()
                .unwrap();
        ctx.extend(exts_der);
        body.extend(ctx);
        let mut tbs = der::Header::new(der::Tag::Sequence, der::Length::try_from(body.len()).unwrap()).to_der().unwrap();
        tbs.extend(body);
        let mut rest = Vec::new();
        rest.extend(tbs);
        rest.extend(c.signature_algorithm().to_der().unwrap());
        rest.extend(c.signature().to_der().unwrap());
        let mut out = der::Header::new(der::Tag::Sequence, der::Length::try_from(rest.len()).unwrap()).to_der().unwrap();
        out.extend(rest);
        out
    }
}
