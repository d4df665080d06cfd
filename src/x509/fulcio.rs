//! The signer identity in a Fulcio certificate: the subjectAltName, the OIDC issuer and the
//! CI claims Fulcio copies from the token (Fulcio `docs/oid-info.md`, arc 1.3.6.1.4.1.57264.1).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::Decode;
use x509_cert::ext::pkix::name::GeneralName;

use super::Cert;
use crate::error::{err, Code, Error, Result};

/// Only ever called in constant context (compile-time checked).
const fn fulcio(arc: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(arc)
}

/// Issuer (v1, deprecated): raw UTF-8 bytes as the extension value.
pub const OIDC_ISSUER_V1: ObjectIdentifier = fulcio("1.3.6.1.4.1.57264.1.1");
/// Issuer (v2): DER UTF8String.
pub const OIDC_ISSUER_V2: ObjectIdentifier = fulcio("1.3.6.1.4.1.57264.1.8");
/// otherName type-id for a username identity: `[0] EXPLICIT UTF8String`.
pub const OTHERNAME_SAN: ObjectIdentifier = fulcio("1.3.6.1.4.1.57264.1.7");

/// Deprecated GitHub claims whose extension value is the raw string.
const RAW_CLAIMS: [(ObjectIdentifier, &str); 5] = [
    (fulcio("1.3.6.1.4.1.57264.1.2"), "githubWorkflowTrigger"),
    (fulcio("1.3.6.1.4.1.57264.1.3"), "githubWorkflowSha"),
    (fulcio("1.3.6.1.4.1.57264.1.4"), "githubWorkflowName"),
    (fulcio("1.3.6.1.4.1.57264.1.5"), "githubWorkflowRepository"),
    (fulcio("1.3.6.1.4.1.57264.1.6"), "githubWorkflowRef"),
];

/// CI claims whose extension value is a DER UTF8String.
const DER_CLAIMS: [(ObjectIdentifier, &str); 14] = [
    (fulcio("1.3.6.1.4.1.57264.1.9"), "buildSignerUri"),
    (fulcio("1.3.6.1.4.1.57264.1.10"), "buildSignerDigest"),
    (fulcio("1.3.6.1.4.1.57264.1.11"), "runnerEnvironment"),
    (fulcio("1.3.6.1.4.1.57264.1.12"), "sourceRepositoryUri"),
    (fulcio("1.3.6.1.4.1.57264.1.13"), "sourceRepositoryDigest"),
    (fulcio("1.3.6.1.4.1.57264.1.14"), "sourceRepositoryRef"),
    (fulcio("1.3.6.1.4.1.57264.1.15"), "sourceRepositoryIdentifier"),
    (fulcio("1.3.6.1.4.1.57264.1.16"), "sourceRepositoryOwnerUri"),
    (fulcio("1.3.6.1.4.1.57264.1.17"), "sourceRepositoryOwnerIdentifier"),
    (fulcio("1.3.6.1.4.1.57264.1.18"), "buildConfigUri"),
    (fulcio("1.3.6.1.4.1.57264.1.19"), "buildConfigDigest"),
    (fulcio("1.3.6.1.4.1.57264.1.20"), "buildTrigger"),
    (fulcio("1.3.6.1.4.1.57264.1.21"), "runInvocationUri"),
    (fulcio("1.3.6.1.4.1.57264.1.22"), "sourceRepositoryVisibilityAtSigning"),
];

/// Which kind of subjectAltName carried the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SanKind {
    Email,
    Uri,
    OtherName,
}

/// The identity a Fulcio certificate binds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FulcioIdentity {
    #[serde(rename = "identity")]
    pub san: String,
    #[serde(rename = "identityType")]
    pub san_kind: SanKind,
    /// The OIDC issuer, when the certificate names one.
    pub issuer: Option<String>,
    /// CI claims present in the certificate, as (camelCase name, value), in OID order.
    #[serde(rename = "extensions", serialize_with = "crate::result::claims_map")]
    pub claims: Vec<(&'static str, String)>,
}

/// Read the identity, issuer and claims of a Fulcio certificate. No usable SAN, or a
/// malformed Fulcio extension, is `CERT_INVALID`.
pub fn identity(leaf: &Cert) -> Result<FulcioIdentity> {
    let (san, san_kind) = san(leaf)?;
    let issuer = oidc_issuer(leaf)?;
    let mut claims = Vec::new();
    for (arc, name) in RAW_CLAIMS {
        if let Some(v) = raw_string_ext(leaf, &arc, name)? {
            claims.push((name, v));
        }
    }
    for (arc, name) in DER_CLAIMS {
        if let Some(v) = der_string_ext(leaf, &arc, name)? {
            claims.push((name, v));
        }
    }
    Ok(FulcioIdentity { san, san_kind, issuer, claims })
}

/// RFC 5280 §4.2.1.6: of the subjectAltName's GeneralNames (decoded by [`Cert::from_der`]), the
/// first rfc822Name, uniformResourceIdentifier, or Fulcio otherName
/// (`OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY }` with
/// type-id 1.3.6.1.4.1.57264.1.7 and a UTF8String value) is the identity.
fn san(leaf: &Cert) -> Result<(String, SanKind)> {
    let names = leaf.subject_alt_names().ok_or_else(|| Error::new(Code::CertInvalid, "signing certificate has no subjectAltName"))?;
    for n in names {
        let found = match n {
            GeneralName::Rfc822Name(s) => Some((String::from(s.as_str()), SanKind::Email)),
            GeneralName::UniformResourceIdentifier(s) => Some((String::from(s.as_str()), SanKind::Uri)),
            GeneralName::OtherName(o) if o.type_id == OTHERNAME_SAN => {
                let s = o.value.decode_as::<String>().map_err(|_| Error::new(Code::CertInvalid, "Fulcio otherName SAN is not a UTF8String"))?;
                Some((s, SanKind::OtherName))
            }
            _ => None,
        };
        if let Some(f) = found.filter(|(s, _)| !s.is_empty()) {
            return Ok(f);
        }
    }
    err(Code::CertInvalid, "subjectAltName holds no email, URI or Fulcio username")
}

/// Fulcio: the OIDC issuer is extension 1.3.6.1.4.1.57264.1.8 (DER UTF8String), or else the
/// deprecated 1.3.6.1.4.1.57264.1.1 (raw string).
fn oidc_issuer(leaf: &Cert) -> Result<Option<String>> {
    match der_string_ext(leaf, &OIDC_ISSUER_V2, "OIDC issuer (v2)")? {
        Some(s) => Ok(Some(s)),
        None => raw_string_ext(leaf, &OIDC_ISSUER_V1, "OIDC issuer (v1)"),
    }
}

/// An extension whose extnValue is the string itself (no DER wrapping).
fn raw_string_ext(leaf: &Cert, id: &ObjectIdentifier, name: &str) -> Result<Option<String>> {
    let Some((_, v)) = leaf.extension(id) else { return Ok(None) };
    core::str::from_utf8(v).map(|s| Some(String::from(s))).map_err(|_| Error::new(Code::CertInvalid, format!("{name} extension is not UTF-8")))
}

/// An extension whose extnValue is `UTF8String`.
fn der_string_ext(leaf: &Cert, id: &ObjectIdentifier, name: &str) -> Result<Option<String>> {
    let Some((_, v)) = leaf.extension(id) else { return Ok(None) };
    String::from_der(v).map(Some).map_err(|_| Error::new(Code::CertInvalid, format!("{name} extension is not a DER UTF8String")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    extern crate std;
    use super::*;
    use crate::x509::cert::oid::SUBJECT_ALT_NAME;
    use crate::x509::cert::tests::{bundle_certs, with_extensions};
    use der::Encode;
    use x509_cert::ext::pkix::SubjectAltName;
    use x509_cert::ext::Extension;

    const BEACON: &str =
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    const GHA: &str = "https://token.actions.githubusercontent.com";

    fn leaf_with(f: impl Fn(&mut Vec<Extension>)) -> Cert {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let mut exts = leaf.extensions().to_vec();
        f(&mut exts);
        Cert::from_der(&with_extensions(leaf.der(), &exts)).unwrap()
    }

    fn ext(id: ObjectIdentifier, value: &[u8]) -> Extension {
        Extension { extn_id: id, critical: false, extn_value: der::asn1::OctetString::new(value).unwrap() }
    }

    #[test]
    fn happy_path_identity() {
        for case in ["happy-path-v0.1", "happy-path-v0.3", "rekor2-happy-path"] {
            let id = identity(&bundle_certs(case)[0]).unwrap();
            assert_eq!(id.san, BEACON, "{case}");
            assert_eq!(id.san_kind, SanKind::Uri);
            assert_eq!(id.issuer.as_deref(), Some(GHA));
        }
        let id = identity(&bundle_certs("happy-path-v0.1")[0]).unwrap();
        let claim = |n: &str| id.claims.iter().find(|(k, _)| *k == n).map(|(_, v)| v.as_str());
        assert_eq!(claim("githubWorkflowTrigger"), Some("workflow_dispatch"));
        assert_eq!(claim("githubWorkflowRepository"), Some("sigstore-conformance/extremely-dangerous-public-oidc-beacon"));
        assert_eq!(claim("buildSignerUri"), Some(BEACON));
        assert_eq!(claim("runnerEnvironment"), Some("github-hosted"));
        assert_eq!(claim("sourceRepositoryOwnerUri"), Some("https://github.com/sigstore-conformance"));
        assert_eq!(claim("buildTrigger"), Some("workflow_dispatch"));
        assert_eq!(id.claims.len(), 18);
    }

    #[test]
    fn email_san() {
        // bundle-with-root-cert_fail is signed by an email identity.
        let id = identity(&bundle_certs("bundle-with-root-cert_fail")[0]).unwrap();
        assert_eq!(id.san_kind, SanKind::Email);
        assert_eq!(id.san, "a@tny.town");
    }

    #[test]
    fn issuer_falls_back_to_v1() {
        let c = leaf_with(|e| e.retain(|x| x.extn_id != OIDC_ISSUER_V2));
        assert_eq!(identity(&c).unwrap().issuer.as_deref(), Some(GHA));
        let c = leaf_with(|e| e.retain(|x| x.extn_id != OIDC_ISSUER_V2 && x.extn_id != OIDC_ISSUER_V1));
        assert_eq!(identity(&c).unwrap().issuer, None);
        // v2 is preferred over v1.
        let v2 = String::from("https://accounts.example").to_der().unwrap();
        let c = leaf_with(|e| {
            e.retain(|x| x.extn_id != OIDC_ISSUER_V2);
            e.push(ext(OIDC_ISSUER_V2, &v2));
        });
        assert_eq!(identity(&c).unwrap().issuer.as_deref(), Some("https://accounts.example"));
    }

    #[test]
    fn othername_san() {
        use x509_cert::ext::pkix::name::OtherName;
        let value = der::Any::encode_from(&String::from("jdoe!example.com")).unwrap();
        let san = SubjectAltName(alloc::vec![
            GeneralName::DnsName(der::asn1::Ia5String::new("example.com").unwrap()),
            GeneralName::OtherName(OtherName { type_id: OTHERNAME_SAN, value }),
        ])
        .to_der()
        .unwrap();
        let c = leaf_with(|e| {
            e.retain(|x| x.extn_id != SUBJECT_ALT_NAME);
            e.push(ext(SUBJECT_ALT_NAME, &san));
        });
        let id = identity(&c).unwrap();
        assert_eq!((id.san.as_str(), id.san_kind), ("jdoe!example.com", SanKind::OtherName));
    }

    #[test]
    fn missing_or_unusable_san() {
        let c = leaf_with(|e| e.retain(|x| x.extn_id != SUBJECT_ALT_NAME));
        assert_eq!(identity(&c).unwrap_err().code, Code::CertInvalid);
        let dns_only = SubjectAltName(alloc::vec![GeneralName::DnsName(der::asn1::Ia5String::new("example.com").unwrap())]).to_der().unwrap();
        let c = leaf_with(|e| {
            e.retain(|x| x.extn_id != SUBJECT_ALT_NAME);
            e.push(ext(SUBJECT_ALT_NAME, &dns_only));
        });
        assert_eq!(identity(&c).unwrap_err().code, Code::CertInvalid);
    }

    #[test]
    fn malformed_extensions() {
        // v2 issuer that is not a UTF8String.
        let c = leaf_with(|e| {
            e.retain(|x| x.extn_id != OIDC_ISSUER_V2);
            e.push(ext(OIDC_ISSUER_V2, b"https://raw"));
        });
        assert_eq!(identity(&c).unwrap_err().code, Code::CertInvalid);
        // Raw claim that is not UTF-8.
        let c = leaf_with(|e| {
            e.retain(|x| x.extn_id != fulcio("1.3.6.1.4.1.57264.1.2"));
            e.push(ext(fulcio("1.3.6.1.4.1.57264.1.2"), &[0xff, 0xfe]));
        });
        assert_eq!(identity(&c).unwrap_err().code, Code::CertInvalid);
    }
}
