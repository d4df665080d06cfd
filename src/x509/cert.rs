//! A certificate parsed once, with its DER kept for hashing and comparison.

use alloc::vec::Vec;
use der::{Decode, Encode};

use crate::crypto::{Message, PublicKey, Scheme, SigCheck};
use crate::error::{err, Code, Error, Result};
use crate::time::Time;

/// An X.509 certificate (RFC 5280 §4.1), parsed once.
#[derive(Clone, Debug)]
pub struct Cert {
    der: Vec<u8>,
    cert: x509_cert::Certificate,
    tbs_der: Vec<u8>,
    key: Option<PublicKey>,
    not_before: Time,
    not_after: Time,
}

impl PartialEq for Cert {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Cert {
    /// Parse DER. Fails with `CERT_INVALID` on anything but one complete certificate.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let cert = x509_cert::Certificate::from_der(der).map_err(|e| Error::new(Code::CertInvalid, alloc::format!("certificate does not parse: {e}")))?;
        let tbs_der = cert.tbs_certificate().to_der().map_err(|_| Error::new(Code::CertInvalid, "cannot re-encode TBSCertificate"))?;
        let v = cert.tbs_certificate().validity();
        let not_before = to_time(v.not_before.to_unix_duration());
        let not_after = to_time(v.not_after.to_unix_duration());
        // Keys of unsupported types are only an error once something must verify with them.
        let spki = cert
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|_| Error::new(Code::CertInvalid, "cannot encode SubjectPublicKeyInfo"))?;
        let key = PublicKey::from_spki_der(&spki).ok();
        Ok(Cert { der: der.to_vec(), cert, tbs_der, key, not_before, not_after })
    }

    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn inner(&self) -> &x509_cert::Certificate {
        &self.cert
    }

    /// DER of the TBSCertificate (what the issuer signed).
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

    pub fn spki_der(&self) -> Result<Vec<u8>> {
        self.cert.tbs_certificate().subject_public_key_info().to_der().map_err(|_| Error::new(Code::CertInvalid, "cannot encode SubjectPublicKeyInfo"))
    }

    pub fn subject_der(&self) -> Result<Vec<u8>> {
        self.cert.tbs_certificate().subject().to_der().map_err(|_| Error::new(Code::CertInvalid, "cannot encode subject"))
    }

    pub fn issuer_der(&self) -> Result<Vec<u8>> {
        self.cert.tbs_certificate().issuer().to_der().map_err(|_| Error::new(Code::CertInvalid, "cannot encode issuer"))
    }

    /// Self-issued (subject == issuer), as roots are.
    pub fn is_self_issued(&self) -> bool {
        self.cert.tbs_certificate().subject() == self.cert.tbs_certificate().issuer()
    }

    /// The check that `issuer` signed this certificate (RFC 5280 §6.1.3 (a)(1)).
    pub fn signed_by(&self, issuer: &Cert, what: &str) -> Result<SigCheck> {
        let alg = self.cert.signature_algorithm();
        if alg != self.cert.tbs_certificate().signature() {
            return err(Code::CertInvalid, "signatureAlgorithm differs from TBSCertificate.signature");
        }
        let params = alg.parameters.as_ref().and_then(|p| p.to_der().ok());
        let scheme = Scheme::from_algorithm(&alg.oid, params.as_deref())?;
        let signature = self.cert.signature().as_bytes().ok_or_else(|| Error::new(Code::CertInvalid, "signature bit string has unused bits"))?.to_vec();
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

fn to_time(d: core::time::Duration) -> Time {
    Time { secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX), nanos: 0 }
}
