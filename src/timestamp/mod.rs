//! RFC 3161 timestamp verification: a `TimeStampToken` (a CMS SignedData over a TSTInfo) proves
//! that a trusted timestamp authority saw the bundle's signature at `genTime`.
//!
//! Trust comes only from the trusted root's `timestampAuthorities` (any [`Authority`]): the
//! token's signer must be the first certificate of a listed chain; certificates embedded in the
//! token are ignored. The signer's extensions are those [`Cert::from_der`] decoded; the validity
//! of its path is the x509 module's [`path_valid_at_all`]. The CMS signature itself is not
//! checked here but pushed as a [`SigCheck`] for the batch run. The internal signatures of each
//! TSA chain are checked once per trusted root, elsewhere.

pub mod cms;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use const_oid::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader};
use spki::AlgorithmIdentifierRef;

use crate::crypto::{oid, HashAlg, Message, Scheme, SigCheck};
use crate::error::{err, Code, Error, Result};
use crate::time::Time;
use crate::x509::chain::{path_valid_at_all, Authority};
use crate::x509::{cert, Cert};
use cms::{Attribute, ContentInfo, SignerId, SignerInfo, TimeStampResp, TstInfo};

/// Tokens larger than this are refused before parsing (real ones are 0.5–2 KiB).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;
/// id-kp-timeStamping (RFC 5280 §4.2.1.12).
pub const ID_KP_TIME_STAMPING: ObjectIdentifier = cert::oid::KP_TIME_STAMPING;

/// A timestamp that verified (pending the batch run of its [`SigCheck`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedTimestamp {
    /// The token's `genTime`.
    pub time: Time,
    /// The `uri` of the trusted-root authority that signed it.
    pub tsa_uri: String,
    /// Its position in the trusted root's `timestampAuthorities` (tokens of one authority count
    /// once toward a threshold).
    pub tsa_index: usize,
}

/// An RFC 3161 timestamp as a bundle carries it (`signedTimestamp`), decoded once when the bundle
/// is parsed. A token that does not decode keeps its error, raised where the timestamp is checked
/// ([`verify_signed_timestamp`]), so a bundle's failures come in the same order either way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedTimestamp {
    /// The DER as the bundle gave it (two tokens are the same timestamp when these are equal).
    pub der: Vec<u8>,
    token: Result<Token>,
}

impl SignedTimestamp {
    /// Decode `der`: a DER `TimeStampResp` (as Sigstore stores it) or a bare `TimeStampToken`.
    pub fn parse(der: Vec<u8>) -> Self {
        let token = parse_token(&der);
        SignedTimestamp { der, token }
    }
}

/// The fields of a token that verification reads, decoded once.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Token {
    gen_time: Time,
    imprint_alg: HashAlg,
    imprint: Vec<u8>,
    /// The DER of the TSTInfo (the eContent octets), which the message-digest attribute covers.
    e_content: Vec<u8>,
    sid: SignerId,
    digest_alg: HashAlg,
    signed_attrs: Option<SignedAttrs>,
    scheme: Scheme,
    signature: Vec<u8>,
}

/// RFC 5652 §5.3 `signedAttrs`: the contents (after the `[0]` header, which the signature covers
/// re-tagged) and the values of the two attributes verification reads, each with the error its
/// check raises when it is absent, repeated or malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SignedAttrs {
    body: Vec<u8>,
    content_type: Result<Vec<u8>>,
    message_digest: Result<Vec<u8>>,
}

/// Verify one RFC 3161 timestamp over `signature` against the trusted `tsas`, from its DER (see
/// [`SignedTimestamp::parse`]).
pub fn verify_timestamp<A: Authority>(token: &[u8], signature: &[u8], tsas: &[A], checks: &mut Vec<SigCheck>) -> Result<VerifiedTimestamp> {
    verify_signed_timestamp(&SignedTimestamp::parse(token.to_vec()), signature, tsas, checks)
}

/// Verify one decoded RFC 3161 timestamp over `signature` against the trusted `tsas`.
/// On success the CMS signature check has been pushed onto `checks`; the returned time is only
/// verified once the batch of checks passes. A token [`check_signed_timestamp`] would leave out
/// is an error here (its reason).
pub fn verify_signed_timestamp<A: Authority>(ts: &SignedTimestamp, signature: &[u8], tsas: &[A], checks: &mut Vec<SigCheck>) -> Result<VerifiedTimestamp> {
    match check_signed_timestamp(ts, signature, tsas, checks)? {
        Outcome::Verified(v) => Ok(v),
        Outcome::LeftOut(e) => Err(e),
    }
}

/// What one RFC 3161 token is worth to a bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Over this bundle's signature, from a trusted TSA valid at genTime (pending the batch run
    /// of its CMS signature check).
    Verified(VerifiedTimestamp),
    /// Not evidence about this bundle, so it neither counts nor fails it: its message imprint is
    /// not over this signature (`TIMESTAMP_IMPRINT_MISMATCH`), or no timestamp authority of the
    /// trusted root is its signer (`TIMESTAMP_UNTRUSTED`). Reference verifiers leave such
    /// tokens out too (a bundle may carry tokens from TSAs a verifier does not trust).
    LeftOut(Error),
}

/// Classify one decoded RFC 3161 timestamp over `signature` against the trusted `tsas`
/// ([`Outcome`]). Errors are fatal to the bundle: a token that does not decode
/// (`TIMESTAMP_INVALID`), or one over this signature that names a trusted TSA and then fails that
/// TSA's checks: its window or certificates at genTime (`TIMESTAMP_NOT_VALID_AT_TIME`), its
/// timestamping EKU (`TIMESTAMP_UNTRUSTED`), its signed attributes or (in the batch) its CMS
/// signature (`TIMESTAMP_SIGNATURE_INVALID`).
pub fn check_signed_timestamp<A: Authority>(ts: &SignedTimestamp, signature: &[u8], tsas: &[A], checks: &mut Vec<SigCheck>) -> Result<Outcome> {
    let t = ts.token.as_ref().map_err(Clone::clone)?;
    if let Err(e) = check_imprint(t, signature) {
        return Ok(Outcome::LeftOut(e));
    }
    let mut first_failure: Option<Error> = None;
    for (index, tsa) in tsas.iter().enumerate() {
        let Some(signer) = tsa.certificates().first() else { continue };
        if !signer_matches(&t.sid, signer) {
            continue;
        }
        match check_authority(tsa, signer, t.gen_time) {
            Ok(()) => {
                check_signed_attrs(t)?;
                checks.push(signature_check(t, tsa.name(), signer)?);
                return Ok(Outcome::Verified(VerifiedTimestamp { time: t.gen_time, tsa_uri: tsa.name().into(), tsa_index: index }));
            }
            Err(e) => {
                first_failure.get_or_insert(e);
            }
        }
    }
    match first_failure {
        Some(e) => Err(e),
        None => Ok(Outcome::LeftOut(Error::new(Code::TimestampUntrusted, "the timestamp's signer is not a timestamp authority of the trusted root"))),
    }
}

fn invalid(what: &str) -> impl Fn(der::Error) -> Error + '_ {
    move |e| Error::new(Code::TimestampInvalid, format!("{what}: {e}"))
}

/// Decode the token: RFC 5652 §3 ContentInfo holding §5.1 SignedData, whose encapsulated content
/// (§5.2) is an RFC 3161 §2.4.2 TSTInfo, signed by exactly one SignerInfo (§5.3).
fn parse_token(token: &[u8]) -> Result<Token> {
    if token.len() > MAX_TOKEN_LEN {
        return err(Code::TimestampInvalid, format!("timestamp token is {} bytes (at most {MAX_TOKEN_LEN})", token.len()));
    }
    let ci = token_content_info(token)?;
    if ci.content_type != cms::ID_SIGNED_DATA {
        return err(Code::TimestampInvalid, format!("timestamp token content type {} is not id-signedData", ci.content_type));
    }
    let sd = ci.content;
    let eci = sd.encap_content_info;
    if eci.e_content_type != cms::ID_CT_TST_INFO {
        return err(Code::TimestampInvalid, format!("timestamp token eContentType {} is not id-ct-TSTInfo", eci.e_content_type));
    }
    let e_content = eci.e_content.ok_or_else(|| Error::new(Code::TimestampInvalid, "timestamp token has no eContent"))?.0;
    let tst = TstInfo::from_der(e_content).map_err(invalid("TSTInfo does not parse"))?;
    if tst.version != 1 {
        return err(Code::TimestampInvalid, format!("TSTInfo version {} is not 1", tst.version));
    }
    let gen_time =
        Time::parse_generalized(tst.gen_time.0).ok_or_else(|| Error::new(Code::TimestampInvalid, "TSTInfo genTime is not a valid GeneralizedTime"))?;
    let imprint_alg = HashAlg::from_oid(&tst.message_imprint.hash_algorithm.oid)
        .ok_or_else(|| Error::new(Code::TimestampInvalid, format!("unsupported messageImprint hash algorithm {}", tst.message_imprint.hash_algorithm.oid)))?;

    let si = single_signer_info(sd.signer_infos.0)?;
    let sid = SignerId::from_any(&si.sid).map_err(invalid("SignerInfo.sid does not parse"))?;
    let digest_alg = HashAlg::from_oid(&si.digest_algorithm.oid)
        .ok_or_else(|| Error::new(Code::TimestampInvalid, format!("unsupported SignerInfo digestAlgorithm {}", si.digest_algorithm.oid)))?;
    let scheme = signature_scheme(&si.signature_algorithm, digest_alg)?;
    let signed_attrs = match si.signed_attrs {
        None => None,
        Some(body) => {
            let attrs = cms::decode_elements::<Attribute<'_>>(body.0).map_err(invalid("signedAttrs do not parse"))?;
            Some(SignedAttrs {
                body: body.0.to_vec(),
                content_type: single_attr_value(&attrs, cms::ID_CONTENT_TYPE, "content-type").map(<[u8]>::to_vec),
                message_digest: single_attr_value(&attrs, cms::ID_MESSAGE_DIGEST, "message-digest").map(<[u8]>::to_vec),
            })
        }
    };
    Ok(Token {
        gen_time,
        imprint_alg,
        imprint: tst.message_imprint.hashed_message.0.to_vec(),
        e_content: e_content.to_vec(),
        sid,
        digest_alg,
        signed_attrs,
        scheme,
        signature: si.signature.0.to_vec(),
    })
}

/// The token inside an RFC 3161 §2.4.2 `TimeStampResp`, which is what Sigstore bundles carry;
/// a bare `TimeStampToken` (RFC 5652 §3 ContentInfo) is accepted too. The response status must
/// be granted or grantedWithMods.
fn token_content_info(der: &[u8]) -> Result<ContentInfo<'_>> {
    let resp = match TimeStampResp::from_der(der) {
        Ok(resp) => resp,
        Err(resp_err) => {
            return ContentInfo::from_der(der)
                .map_err(|_| Error::new(Code::TimestampInvalid, format!("timestamp is neither a DER TimeStampResp nor a TimeStampToken: {resp_err}")))
        }
    };
    let status = resp.status.status;
    if status != cms::PKI_STATUS_GRANTED && status != cms::PKI_STATUS_GRANTED_WITH_MODS {
        return err(Code::TimestampInvalid, format!("timestamp response status {status} is not granted"));
    }
    resp.time_stamp_token.ok_or_else(|| Error::new(Code::TimestampInvalid, "timestamp response carries no timeStampToken"))
}

/// RFC 5652 §5.1 `SignerInfos ::= SET OF SignerInfo`: a timestamp has one signer; more is refused
/// to bound the work a token can demand.
fn single_signer_info(set: &[u8]) -> Result<SignerInfo<'_>> {
    let mut reader = SliceReader::new(set).map_err(invalid("signerInfos"))?;
    let si = SignerInfo::decode(&mut reader).map_err(invalid("SignerInfo does not parse"))?;
    if !reader.is_finished() {
        return err(Code::TimestampInvalid, "timestamp token has more than one SignerInfo");
    }
    Ok(si)
}

/// RFC 5652 §5.3 `signatureAlgorithm`, mapped to a scheme. RFC 5754 §3.2–3.3 name the hash
/// (ecdsa-with-SHA*, sha*WithRSAEncryption); the bare key algorithms id-ecPublicKey
/// (RFC 5753 §7.1.3) and rsaEncryption (RFC 3370 §3.2) sign with `digestAlgorithm`'s hash;
/// RSASSA-PSS (RFC 4056 §2) carries its hash in its parameters.
fn signature_scheme(alg: &AlgorithmIdentifierRef<'_>, digest_alg: HashAlg) -> Result<Scheme> {
    match alg.oid {
        oid::EC_PUBLIC_KEY => Ok(Scheme::Ecdsa(digest_alg)),
        oid::RSA_ENCRYPTION => Ok(Scheme::RsaPkcs1(digest_alg)),
        other => {
            let params = alg.parameters.as_ref().and_then(|p| p.to_der().ok());
            Scheme::from_algorithm(&other, params.as_deref())
                .map_err(|e| Error::new(Code::TimestampInvalid, format!("timestamp signature algorithm: {}", e.context)))
        }
    }
}

/// RFC 3161 §2.4.2 messageImprint: the hash of the data that was timestamped, here the bundle's
/// signature bytes (Sigstore client spec).
fn check_imprint(t: &Token, signature: &[u8]) -> Result<()> {
    if t.imprint_alg.digest(signature) != t.imprint {
        return err(Code::TimestampImprintMismatch, format!("timestamp messageImprint is not the {} of the bundle signature", t.imprint_alg.name()));
    }
    Ok(())
}

/// RFC 5652 §5.3 `sid`: the signer is named by issuer and serial number, or by subject key
/// identifier (RFC 5280 §4.2.1.2, as decoded by [`Cert::from_der`]). Only the trusted root's
/// certificate is compared.
fn signer_matches(sid: &SignerId, cert: &Cert) -> bool {
    match sid {
        SignerId::IssuerSerial { issuer, serial } => {
            let serial_der = cert.inner().tbs_certificate().serial_number().to_der();
            cert.issuer_der() == issuer.as_slice() && serial_der.is_ok_and(|s| s == *serial)
        }
        SignerId::SubjectKeyId(ski) => cert.subject_key_id() == Some(ski.as_slice()),
    }
}

/// The authority may vouch for `gen_time`: its trusted-root window and every certificate of its
/// chain (RFC 5280 §4.1.2.5) contain it, and its signing certificate is for timestamping.
fn check_authority<A: Authority>(tsa: &A, signer: &Cert, gen_time: Time) -> Result<()> {
    check_valid_at(tsa, signer, gen_time)?;
    check_time_stamping_eku(signer)
}

/// RFC 5280 §4.1.2.5 at genTime: the signing certificate and the rest of its chain are valid
/// (notBefore <= t <= notAfter) and so is the trusted root's `validFor` (both ends inclusive).
/// Validity now does not matter: the token proves the time.
fn check_valid_at<A: Authority>(tsa: &A, signer: &Cert, gen_time: Time) -> Result<()> {
    let above = tsa.certificates().get(1..).unwrap_or_default();
    path_valid_at_all(signer, above, tsa.window(), tsa.name(), &[gen_time], Code::TimestampNotValidAtTime)
        .map_err(|e| Error::new(e.code, format!("timestamp genTime: {}", e.context)))
}

/// RFC 3161 §2.3: the TSA's signing certificate carries extended key usage id-kp-timeStamping.
fn check_time_stamping_eku(cert: &Cert) -> Result<()> {
    if !cert.has_key_purpose(&ID_KP_TIME_STAMPING) {
        return err(Code::TimestampUntrusted, "timestamp authority certificate lacks extended key usage id-kp-timeStamping");
    }
    Ok(())
}

/// RFC 5652 §5.3 and §11.1–11.2: signed attributes are required here; they hold exactly one
/// content-type attribute equal to id-ct-TSTInfo and exactly one message-digest attribute equal to
/// the digest of the eContent octets under `digestAlgorithm` (§5.4).
fn check_signed_attrs(t: &Token) -> Result<()> {
    let Some(attrs) = &t.signed_attrs else {
        return err(Code::TimestampSignatureInvalid, "timestamp SignerInfo has no signed attributes");
    };
    let content_type = attrs.content_type.as_deref().map_err(Clone::clone)?;
    if ObjectIdentifier::from_der(content_type).ok() != Some(cms::ID_CT_TST_INFO) {
        return err(Code::TimestampSignatureInvalid, "timestamp content-type attribute is not id-ct-TSTInfo");
    }
    let digest = attrs.message_digest.as_deref().map_err(Clone::clone)?;
    let expected = t.digest_alg.digest(&t.e_content);
    if cms::RawOctets::from_der(digest).ok().map(|o| o.0) != Some(expected.as_slice()) {
        return err(Code::TimestampSignatureInvalid, "timestamp message-digest attribute is not the digest of the TSTInfo");
    }
    Ok(())
}

/// The DER of the one value of the one attribute of type `ty` (RFC 5652 §11.1–11.2: these
/// attributes are single-valued and must not repeat).
fn single_attr_value<'a>(attrs: &[Attribute<'a>], ty: ObjectIdentifier, name: &str) -> Result<&'a [u8]> {
    let mut found = attrs.iter().filter(|a| a.attr_type == ty);
    let (Some(attr), None) = (found.next(), found.next()) else {
        return err(Code::TimestampSignatureInvalid, format!("timestamp signed attributes must hold exactly one {name} attribute"));
    };
    let mut reader = SliceReader::new(attr.attr_values.0).map_err(|_| Error::new(Code::TimestampSignatureInvalid, format!("{name} attribute is malformed")))?;
    let value = reader.tlv_bytes().map_err(|_| Error::new(Code::TimestampSignatureInvalid, format!("{name} attribute has no value")))?;
    if !reader.is_finished() {
        return err(Code::TimestampSignatureInvalid, format!("{name} attribute has more than one value"));
    }
    Ok(value)
}

/// RFC 5652 §5.4: the signature is over the DER of the signed attributes with the SET OF tag
/// (0x31) in place of the `[0]` IMPLICIT tag; the original bytes are kept, never re-encoded.
fn signature_check(t: &Token, tsa_name: &str, signer: &Cert) -> Result<SigCheck> {
    let Some(attrs) = &t.signed_attrs else {
        return err(Code::TimestampSignatureInvalid, "timestamp SignerInfo has no signed attributes");
    };
    let message = cms::set_der(&attrs.body).map_err(|e| Error::new(Code::TimestampInvalid, format!("signedAttrs cannot be re-tagged: {e}")))?;
    let key = signer.public_key().map_err(|e| Error::new(Code::TimestampUntrusted, format!("timestamp authority {tsa_name}: {}", e.context)))?.clone();
    Ok(SigCheck {
        code: Code::TimestampSignatureInvalid,
        what: format!("timestamp signature by {tsa_name}"),
        key,
        scheme: t.scheme,
        message: Message::Raw(message),
        signature: t.signature.clone(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    extern crate std;
    use super::*;
    use crate::bundle::Bundle;
    use crate::crypto::{RustCrypto, SignatureVerifier};
    use crate::trust_root::{CertificateAuthority, TrustedRoot};
    use std::string::ToString;

    const DIR: &str = "tests/data/conformance/bundle-verify";

    /// (token, signature bytes, timestamp authorities) of a conformance case.
    fn case(name: &str) -> (Vec<u8>, Vec<u8>, Vec<CertificateAuthority>) {
        let bundle = Bundle::from_json(&std::fs::read_to_string(format!("{DIR}/{name}/bundle.sigstore.json")).unwrap()).unwrap();
        let root_path = format!("{DIR}/{name}/trusted_root.json");
        let root_json =
            std::fs::read_to_string(&root_path).unwrap_or_else(|_| std::fs::read_to_string("tests/data/conformance/trusted_roots/production.json").unwrap());
        let root = TrustedRoot::from_json(&root_json).unwrap();
        (bundle.timestamps[0].der.clone(), bundle.content.signature_bytes().to_vec(), root.timestamp_authorities)
    }

    /// Verify and run the pushed checks.
    fn run(token: &[u8], sig: &[u8], tsas: &[CertificateAuthority]) -> Result<VerifiedTimestamp> {
        let mut checks = Vec::new();
        let v = verify_timestamp(token, sig, tsas, &mut checks)?;
        assert_eq!(checks.len(), 1);
        RustCrypto.run_all(&checks)?;
        Ok(v)
    }

    fn code(name: &str) -> Code {
        let (t, s, a) = case(name);
        run(&t, &s, &a).unwrap_err().code
    }

    #[test]
    fn passing_cases() {
        for name in [
            "rekor2-happy-path",
            "rekor2-timestamp-with-embedded-cert",
            "rekor2-timestamp-without-embedded-cert",
            "rekor2-timestamp-with-expired-cert-chain",
            "trust-root-tsa-validity-end-inclusive",
            "managed-key-happy-path",
            "intoto-with-custom-trust-root",
            "rekor2-dsse-happy-path",
        ] {
            let (t, s, a) = case(name);
            let v = run(&t, &s, &a).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!v.tsa_uri.is_empty(), "{name}");
        }
    }

    #[test]
    fn end_inclusive_window_and_time() {
        let (t, s, a) = case("trust-root-tsa-validity-end-inclusive");
        let v = run(&t, &s, &a).unwrap();
        assert_eq!(v.time.to_rfc3339(), "2025-06-12T12:02:20Z");
        assert_eq!(Some(v.time), a[0].valid_for.unwrap().end);
        assert_eq!(v.tsa_uri, "https://timestamp.sigstage.dev/api/v1/timestamp");
    }

    #[test]
    fn failing_cases() {
        assert_eq!(code("rekor2-timestamp-payload-mismatch_fail"), Code::TimestampImprintMismatch);
        assert_eq!(code("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail"), Code::TimestampUntrusted);
        assert_eq!(code("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail"), Code::TimestampUntrusted);
        assert_eq!(code("rekor2-timestamp-outside-trust-root-tsa-validity_fail"), Code::TimestampNotValidAtTime);
        assert_eq!(code("rekor2-timestamp-outside-tsa-cert-validity_fail"), Code::TimestampNotValidAtTime);
    }

    #[test]
    fn wrong_signature_bytes_mismatch_imprint() {
        let (t, mut s, a) = case("rekor2-happy-path");
        s[0] ^= 1;
        assert_eq!(run(&t, &s, &a).unwrap_err().code, Code::TimestampImprintMismatch);
    }

    #[test]
    fn no_authorities_is_untrusted() {
        let (t, s, _) = case("rekor2-happy-path");
        assert_eq!(run(&t, &s, &[]).unwrap_err().code, Code::TimestampUntrusted);
    }

    /// The same authority listed twice: the first window misses genTime, the second holds it.
    #[test]
    fn first_matching_authority_that_passes() {
        let (t, s, a) = case("rekor2-happy-path");
        let mut early = a[0].clone();
        early.uri = "early".to_string();
        early.valid_for = Some(crate::trust_root::Validity { start: Time::from_unix(0), end: Some(Time::from_unix(1)) });
        let v = run(&t, &s, &[early.clone(), a[0].clone()]).unwrap();
        assert_eq!(v.tsa_uri, a[0].uri);
        assert_eq!(run(&t, &s, &[early]).unwrap_err().code, Code::TimestampNotValidAtTime);
    }

    #[test]
    fn missing_window_start_is_trust_root_invalid() {
        let (t, s, mut a) = case("rekor2-happy-path");
        a[0].valid_for = None;
        assert_eq!(run(&t, &s, &a).unwrap_err().code, Code::TrustRootInvalid);
    }

    #[test]
    fn signer_without_time_stamping_eku_is_untrusted() {
        // A Fulcio CA from the production root, posing as the TSA signer by issuer and serial.
        let (t, _, a) = case("rekor2-happy-path");
        let prod = TrustedRoot::production().unwrap();
        let mut fake = a[0].clone();
        fake.chain = prod.certificate_authorities[1].chain.clone();
        let p = parse_token(&t).unwrap();
        assert!(!signer_matches(&p.sid, &fake.chain[0]));
        assert_eq!(check_time_stamping_eku(&fake.chain[0]).unwrap_err().code, Code::TimestampUntrusted);
        assert!(check_time_stamping_eku(&a[0].chain[0]).is_ok());
    }

    /// The signer's parsed extKeyUsage decides: without id-kp-timeStamping (or with only
    /// another purpose) the authority is not trusted for timestamps.
    #[test]
    fn signer_eku_from_parsed_extensions() {
        use crate::x509::cert::oid::EXT_KEY_USAGE;
        use crate::x509::cert::tests::with_extensions;
        let (t, s, a) = case("rekor2-happy-path");
        let signer = &a[0].chain[0];
        let code_signing = x509_cert::ext::pkix::ExtendedKeyUsage(alloc::vec![crate::x509::cert::oid::KP_CODE_SIGNING]).to_der().unwrap();
        let without: Vec<x509_cert::ext::Extension> = signer.extensions().iter().filter(|e| e.extn_id != EXT_KEY_USAGE).cloned().collect();
        let mut other = without.clone();
        other.push(x509_cert::ext::Extension { extn_id: EXT_KEY_USAGE, critical: true, extn_value: der::asn1::OctetString::new(code_signing).unwrap() });
        for exts in [without, other] {
            let mut tsa = a[0].clone();
            tsa.chain[0] = Cert::from_der(&with_extensions(signer.der(), &exts)).unwrap();
            assert!(!tsa.chain[0].has_key_purpose(&ID_KP_TIME_STAMPING));
            let e = verify_timestamp(&t, &s, &[tsa], &mut Vec::new()).unwrap_err();
            assert_eq!(e.code, Code::TimestampUntrusted, "{e}");
        }
    }

    #[test]
    fn flipped_signature_byte_fails_the_check() {
        let (t, s, a) = case("rekor2-happy-path");
        let p = parse_token(&t).unwrap();
        let at = find(&t, &p.signature) + p.signature.len() - 3;
        let mut bad = t.clone();
        bad[at] ^= 0x01;
        assert_eq!(run(&bad, &s, &a).unwrap_err().code, Code::TimestampSignatureInvalid);
    }

    #[test]
    fn tampered_tst_info_breaks_message_digest() {
        // Change a byte of the TSTInfo serial number: still parses, digest no longer matches.
        let (t, s, a) = case("rekor2-happy-path");
        let p = parse_token(&t).unwrap();
        let at = find(&t, &p.e_content) + p.e_content.len() - 1;
        let mut bad = t.clone();
        bad[at] ^= 0x01;
        let e = run(&bad, &s, &a).unwrap_err();
        assert_eq!(e.code, Code::TimestampSignatureInvalid, "{e}");
        assert!(e.context.contains("message-digest"), "{e}");
    }

    #[test]
    fn signer_by_subject_key_identifier() {
        let (t, _, a) = case("rekor2-happy-path");
        let cert = &a[0].chain[0];
        let ski = cert.subject_key_id().unwrap();
        assert!(signer_matches(&SignerId::SubjectKeyId(ski.to_vec()), cert));
        assert!(!signer_matches(&SignerId::SubjectKeyId(std::vec![1, 2, 3]), cert));
        assert!(!signer_matches(&SignerId::SubjectKeyId(ski.to_vec()), &a[0].chain[1]));
        // The token names its signer by issuer and serial; the intermediate does not match.
        let p = parse_token(&t).unwrap();
        assert!(matches!(p.sid, SignerId::IssuerSerial { .. }));
        assert!(signer_matches(&p.sid, cert));
        assert!(!signer_matches(&p.sid, &a[0].chain[1]));
    }

    #[test]
    fn signed_attribute_rules() {
        let (t, s, _) = case("rekor2-happy-path");
        let mut p = parse_token(&t).unwrap();
        check_imprint(&p, &s).unwrap();
        check_signed_attrs(&p).unwrap();
        // message-digest under another digest algorithm no longer matches.
        p.digest_alg = HashAlg::Sha512;
        assert_eq!(check_signed_attrs(&p).unwrap_err().code, Code::TimestampSignatureInvalid);
        // content-type attribute missing: the parse keeps the error, the check raises it.
        let mut p = parse_token(&t).unwrap();
        let body = p.signed_attrs.as_ref().unwrap().body.clone();
        let mut attrs = cms::decode_elements::<Attribute<'_>>(&body).unwrap();
        attrs.retain(|a| a.attr_type != cms::ID_CONTENT_TYPE);
        let missing = single_attr_value(&attrs, cms::ID_CONTENT_TYPE, "content-type").map(<[u8]>::to_vec);
        assert_eq!(missing.as_ref().unwrap_err().code, Code::TimestampSignatureInvalid);
        p.signed_attrs.as_mut().unwrap().content_type = missing;
        assert_eq!(check_signed_attrs(&p).unwrap_err().code, Code::TimestampSignatureInvalid);
        // message-digest attribute twice.
        let mut p = parse_token(&t).unwrap();
        let mut attrs = cms::decode_elements::<Attribute<'_>>(&body).unwrap();
        let md = attrs.iter().find(|a| a.attr_type == cms::ID_MESSAGE_DIGEST).unwrap().clone();
        attrs.push(md);
        let twice = single_attr_value(&attrs, cms::ID_MESSAGE_DIGEST, "message-digest").map(<[u8]>::to_vec);
        assert_eq!(twice.as_ref().unwrap_err().code, Code::TimestampSignatureInvalid);
        p.signed_attrs.as_mut().unwrap().message_digest = twice;
        assert_eq!(check_signed_attrs(&p).unwrap_err().code, Code::TimestampSignatureInvalid);
        // No signed attributes at all.
        let mut p = parse_token(&t).unwrap();
        p.signed_attrs = None;
        assert_eq!(check_signed_attrs(&p).unwrap_err().code, Code::TimestampSignatureInvalid);
    }

    #[test]
    fn decoded_once_error_kept() {
        let (t, s, a) = case("rekor2-happy-path");
        let ts = SignedTimestamp::parse(t.clone());
        assert!(ts.token.is_ok() && ts.der == t);
        let mut checks = Vec::new();
        verify_signed_timestamp(&ts, &s, &a, &mut checks).unwrap();
        // A token that does not decode still makes a SignedTimestamp (the bundle parses); its
        // error comes when the timestamp is checked.
        let bad = SignedTimestamp::parse(std::vec![0x30, 0x03, 0x02, 0x01]);
        assert_eq!(bad.token.as_ref().unwrap_err().code, Code::TimestampInvalid);
        assert_eq!(verify_signed_timestamp(&bad, &s, &a, &mut checks).unwrap_err().code, Code::TimestampInvalid);
    }

    #[test]
    fn signed_attrs_are_retagged_not_reencoded() {
        let (t, _, _) = case("rekor2-happy-path");
        let p = parse_token(&t).unwrap();
        let body = &p.signed_attrs.as_ref().unwrap().body;
        let m = cms::set_der(body).unwrap();
        let start = find(&t, body);
        // Original header in the token: [0] constructed (0xA0) + the same length bytes.
        let hdr = m.len() - body.len();
        assert_eq!(t[start - hdr], 0xA0);
        assert_eq!(m[0], 0x31);
        assert_eq!(&m[1..], &t[start - hdr + 1..start + body.len()]);
    }

    #[test]
    fn scheme_mapping() {
        let p = |o: ObjectIdentifier| AlgorithmIdentifierRef { oid: o, parameters: None };
        assert_eq!(signature_scheme(&p(oid::EC_PUBLIC_KEY), HashAlg::Sha384).unwrap(), Scheme::Ecdsa(HashAlg::Sha384));
        assert_eq!(signature_scheme(&p(oid::RSA_ENCRYPTION), HashAlg::Sha512).unwrap(), Scheme::RsaPkcs1(HashAlg::Sha512));
        assert_eq!(signature_scheme(&p(oid::ECDSA_WITH_SHA256), HashAlg::Sha512).unwrap(), Scheme::Ecdsa(HashAlg::Sha256));
        assert_eq!(signature_scheme(&p(oid::SHA384_WITH_RSA), HashAlg::Sha256).unwrap(), Scheme::RsaPkcs1(HashAlg::Sha384));
        assert_eq!(signature_scheme(&p(cms::ID_SIGNED_DATA), HashAlg::Sha256).unwrap_err().code, Code::TimestampInvalid);
        // RSASSA-PSS with SHA-256: params { [0] sha256, [1] mgf1(sha256), [2] 32 }.
        #[rustfmt::skip]
        let params: &[u8] = &[
            0x30, 0x30,
            0xa0, 0x0d, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
            0xa1, 0x1a, 0x30, 0x18, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08,
            0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
            0xa2, 0x03, 0x02, 0x01, 0x20,
        ];
        let any = der::asn1::AnyRef::from_der(params).unwrap();
        let pss = AlgorithmIdentifierRef { oid: oid::RSASSA_PSS, parameters: Some(any) };
        assert_eq!(signature_scheme(&pss, HashAlg::Sha256).unwrap(), Scheme::RsaPss(HashAlg::Sha256));
        // Only [0] { sha256 }: MGF1-SHA-1 and salt 20 by default, not the form accepted.
        let hash_only: &[u8] = &[0x30, 0x0f, 0xa0, 0x0d, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
        let pss = AlgorithmIdentifierRef { oid: oid::RSASSA_PSS, parameters: Some(der::asn1::AnyRef::from_der(hash_only).unwrap()) };
        assert_eq!(signature_scheme(&pss, HashAlg::Sha256).unwrap_err().code, Code::TimestampInvalid);
    }

    #[test]
    fn malformed_tokens_are_invalid() {
        let (t, s, a) = case("rekor2-happy-path");
        for cut in [0, 1, 10, t.len() / 2, t.len() - 1] {
            assert_eq!(run(&t[..cut], &s, &a).unwrap_err().code, Code::TimestampInvalid, "cut at {cut}");
        }
        let mut long = t.clone();
        long.push(0);
        assert_eq!(run(&long, &s, &a).unwrap_err().code, Code::TimestampInvalid);
        let huge = std::vec![0u8; MAX_TOKEN_LEN + 1];
        assert_eq!(run(&huge, &s, &a).unwrap_err().code, Code::TimestampInvalid);
    }

    #[test]
    fn two_signer_infos_are_refused() {
        let (t, _, _) = case("rekor2-happy-path");
        let p_sig = {
            // signerInfos is the last element of SignedData: duplicate its one SignerInfo.
            let ci = token_content_info(&t).unwrap();
            ci.content.signer_infos.0.to_vec()
        };
        let mut doubled = p_sig.clone();
        doubled.extend_from_slice(&p_sig);
        assert_eq!(single_signer_info(&doubled).unwrap_err().code, Code::TimestampInvalid);
        assert!(single_signer_info(&p_sig).is_ok());
    }

    #[test]
    fn genuine_token_with_wrong_content_type() {
        let (t, s, a) = case("rekor2-happy-path");
        // Replace id-signedData (…07 02) by id-data (…07 01) in ContentInfo.contentType.
        let oid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
        let at = find(&t, &oid);
        let mut bad = t.clone();
        bad[at + oid.len() - 1] = 0x01;
        assert_eq!(run(&bad, &s, &a).unwrap_err().code, Code::TimestampInvalid);
    }

    #[test]
    fn response_status_and_tst_version() {
        let (t, s, a) = case("rekor2-happy-path");
        // TimeStampResp.status.status is the INTEGER at offset 6 (30 82 .. 30 03 02 01 00).
        assert_eq!(&t[4..7], &[0x30, 0x03, 0x02]);
        let mut rejected = t.clone();
        rejected[8] = 2;
        assert_eq!(run(&rejected, &s, &a).unwrap_err().code, Code::TimestampInvalid);
        // A bare TimeStampToken (the ContentInfo inside the response) is accepted too.
        let bare = &t[9..];
        assert!(run(bare, &s, &a).is_ok());
        // TSTInfo version 2.
        let p = parse_token(&t).unwrap();
        let at = find(&t, &p.e_content);
        let v = at + find(&p.e_content[..8], &[0x02, 0x01, 0x01]) + 2;
        let mut bad = t.clone();
        bad[v] = 2;
        let e = run(&bad, &s, &a).unwrap_err();
        assert_eq!(e.code, Code::TimestampInvalid);
        assert!(e.context.contains("version"), "{e}");
    }

    /// Flip every byte of a token, one at a time: verification plus the checks never panic.
    #[test]
    fn every_byte_flip_is_handled() {
        for name in ["rekor2-happy-path"] {
            let (t, s, a) = case(name);
            for i in 0..t.len() {
                for mask in [0x01u8, 0xff] {
                    let mut bad = t.clone();
                    bad[i] ^= mask;
                    let mut checks = Vec::new();
                    if verify_timestamp(&bad, &s, &a, &mut checks).is_ok() {
                        let _ = RustCrypto.run_all(&checks);
                    }
                }
            }
        }
    }

    fn find(hay: &[u8], needle: &[u8]) -> usize {
        hay.windows(needle.len()).position(|w| w == needle).unwrap()
    }
}
