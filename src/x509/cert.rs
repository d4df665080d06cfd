//! A certificate parsed once, with its DER kept for hashing and comparison.

use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::{Decode, Encode, Reader};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage};
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
    /// Embedded SignedCertificateTimestampList (RFC 6962 §3.3)
    pub const CT_SCT_LIST: O = O::new_unwrap("1.3.6.1.4.1.11129.2.4.2");
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
    /// Parse DER. Fails with `CERT_INVALID` on anything but one complete certificate, and on a
    /// certificate that repeats an extension.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| Error::new(Code::CertInvalid, alloc::format!("certificate does not parse: {e}")))?;
        let tbs = tbs_slice(der).map_err(|e| Error::new(Code::CertInvalid, alloc::format!("cannot locate TBSCertificate: {e}")))?;
        let f = tbs_fields(tbs).map_err(|e| Error::new(Code::CertInvalid, alloc::format!("cannot locate TBSCertificate fields: {e}")))?;
        let (issuer_der, subject_der, spki_der) = (f.issuer.to_vec(), f.subject.to_vec(), f.spki.to_vec());
        let tbs_der = tbs.to_vec();
        no_duplicate_extensions(cert.tbs_certificate().extensions().map(|e| e.as_slice()).unwrap_or(&[]))?;
        let v = cert.tbs_certificate().validity();
        let not_before = to_time(v.not_before.to_unix_duration());
        let not_after = to_time(v.not_after.to_unix_duration());
        // Keys of unsupported types are only an error once something must verify with them.
        let key = PublicKey::from_spki_der(&spki_der).ok();
        Ok(Cert { der: der.to_vec(), cert, tbs_der, issuer_der, subject_der, spki_der, key, not_before, not_after })
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

    /// The extension with this OID as (critical, extnValue content octets). Extensions are
    /// unique (checked when parsing), so there is at most one.
    pub fn extension(&self, id: &ObjectIdentifier) -> Option<(bool, &[u8])> {
        self.extensions().iter().find(|e| e.extn_id == *id).map(|e| (e.critical, e.extn_value.as_bytes()))
    }

    /// Decode the extension with this OID, if present; a malformed value is `CERT_INVALID`.
    fn decode_ext<'a, T: Decode<'a>>(&'a self, id: &ObjectIdentifier, name: &str) -> Result<Option<T>> {
        match self.extension(id) {
            None => Ok(None),
            Some((_, v)) => T::from_der(v).map(Some).map_err(|_| invalid(&alloc::format!("malformed {name} extension"))),
        }
    }

    /// RFC 5280 §4.2.1.2: `SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING)`.
    pub fn subject_key_id(&self) -> Result<Option<Vec<u8>>> {
        Ok(self.decode_ext::<der::asn1::OctetString>(&oid::SUBJECT_KEY_ID, "subjectKeyIdentifier")?.map(|o| o.as_bytes().to_vec()))
    }

    /// RFC 5280 §4.2.1.1: the `keyIdentifier [0]` of AuthorityKeyIdentifier, if any.
    pub fn authority_key_id(&self) -> Result<Option<Vec<u8>>> {
        let aki = self.decode_ext::<AuthorityKeyIdentifier>(&oid::AUTHORITY_KEY_ID, "authorityKeyIdentifier")?;
        Ok(aki.and_then(|a| a.key_identifier).map(|k| k.as_bytes().to_vec()))
    }

    /// RFC 5280 §4.2.1.9: `BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE,
    /// pathLenConstraint INTEGER (0..MAX) OPTIONAL }`, if present.
    pub fn basic_constraints(&self) -> Result<Option<BasicConstraints>> {
        self.decode_ext(&oid::BASIC_CONSTRAINTS, "basicConstraints")
    }

    /// True when basicConstraints is present with cA TRUE.
    pub fn is_ca(&self) -> Result<bool> {
        Ok(self.basic_constraints()?.is_some_and(|b| b.ca))
    }

    /// RFC 5280 §4.2.1.3: `KeyUsage ::= BIT STRING`, if present
    /// (`.digital_signature()`, `.key_cert_sign()`).
    pub fn key_usage(&self) -> Result<Option<KeyUsage>> {
        self.decode_ext(&oid::KEY_USAGE, "keyUsage")
    }

    /// RFC 5280 §4.2.1.12: `ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId`,
    /// if present.
    pub fn extended_key_usage(&self) -> Result<Option<Vec<ObjectIdentifier>>> {
        Ok(self.decode_ext::<ExtendedKeyUsage>(&oid::EXT_KEY_USAGE, "extKeyUsage")?.map(|e| e.0))
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
        assert!(!leaf.is_ca().unwrap());
        assert!(leaf.key_usage().unwrap().unwrap().digital_signature());
        assert!(leaf.extended_key_usage().unwrap().unwrap().contains(&oid::KP_CODE_SIGNING));
        assert!(leaf.subject_key_id().unwrap().is_some());
        assert!(leaf.authority_key_id().unwrap().is_some());
        let (critical, v) = leaf.extension(&oid::KEY_USAGE).unwrap();
        assert!(critical && !v.is_empty());
        assert!(leaf.extension(&oid::CT_SCT_LIST).is_some());
        let root = crate::trust_root::TrustedRoot::production().unwrap();
        let ca = &root.certificate_authorities[1].chain[1];
        assert!(ca.is_ca().unwrap() && ca.is_self_issued());
        assert!(ca.key_usage().unwrap().unwrap().key_cert_sign());
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
