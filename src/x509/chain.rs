//! Certificate paths (RFC 5280 §6) from a signing certificate to a trusted [`Authority`].
//! Trust comes only from the authorities the caller passes (the trusted root's): certificates a
//! bundle sends after its leaf are never used to build a path. Signatures are not checked here:
//! each one becomes a [`SigCheck`] on the caller's list.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::cert::oid;
use super::Cert;
use crate::crypto::SigCheck;
use crate::error::{err, Code, Error, Result};
use crate::time::{Time, Validity};

/// A trusted issuer as the path functions see it: a name for messages, its certificates (the
/// issuing, leaf-most one first, the root last) and the window in which it may be used
/// (`None`: the trusted root gave no usable window, so it is never trusted). The trusted
/// root's authorities implement it; this module knows nothing else about where trust comes
/// from.
pub trait Authority {
    fn name(&self) -> &str;
    fn certificates(&self) -> &[Cert];
    fn window(&self) -> Option<Validity>;
}

/// The digest [`authority_chain_checks`]' verdict is a function of: SHA-256 over the chain's
/// certificates in order, each DER preceded by its length (4 bytes, big-endian). Those checks
/// read nothing but these bytes (names, basic constraints, key usage, path lengths and
/// signatures all come from the DER), so two chains with the same digest get the same verdict.
pub fn chain_digest(chain: &[Cert]) -> [u8; 32] {
    let mut bytes = Vec::with_capacity(chain.iter().map(|c| c.der().len() + 4).sum());
    for cert in chain {
        bytes.extend_from_slice(&u32::try_from(cert.der().len()).unwrap_or(u32::MAX).to_be_bytes());
        bytes.extend_from_slice(cert.der());
    }
    crate::crypto::sha256(&bytes)
}

/// Check one trusted authority's own chain (leaf-most first, root last): each certificate
/// names, and is signed by, the next; the last is self-signed; every issuer is a CA allowed to
/// sign certificates within its path length. Run once per trusted root.
///
/// Structural problems are `TRUST_ROOT_INVALID`; the pushed signature checks report
/// `CERT_SIGNATURE_INVALID`.
pub fn authority_chain_checks(chain: &[Cert], what: &str, checks: &mut Vec<SigCheck>) -> Result<()> {
    let bad = |i: usize, msg: &str| Error::new(Code::TrustRootInvalid, format!("{what}.certChain.certificates[{i}]: {msg}"));
    for (i, cert) in chain.iter().enumerate() {
        let issuer = chain.get(i + 1).unwrap_or(cert);
        names_issuer(cert, issuer).map_err(|e| bad(i, &e.context))?;
        issuer_may_sign(issuer).map_err(|e| bad(i, &e.context))?;
        let below = chain.iter().take(i + 1);
        path_len_ok(issuer, below).map_err(|e| bad(i, &e.context))?;
        let check = cert.signed_by(issuer, &format!("{what}.certChain.certificates[{i}]")).map_err(|e| bad(i, &e.context))?;
        checks.push(check);
    }
    Ok(())
}

/// RFC 5280 §6.1.3 (a)(4): the certificate's issuer name is the issuer's subject name.
fn names_issuer(cert: &Cert, issuer: &Cert) -> Result<()> {
    if cert.issuer_der() != issuer.subject_der() {
        return err(Code::TrustRootInvalid, "issuer name differs from the next certificate's subject");
    }
    Ok(())
}

/// RFC 5280 §6.1.4 (k), (n): an issuer is a CA (basicConstraints cA TRUE) and, if it has a
/// keyUsage extension, keyCertSign is set.
fn issuer_may_sign(issuer: &Cert) -> Result<()> {
    if !issuer.is_ca() {
        return err(Code::CertChainUntrusted, "issuer is not a CA (basicConstraints cA is not TRUE)");
    }
    if issuer.key_usage().is_some_and(|k| !k.key_cert_sign()) {
        return err(Code::CertChainUntrusted, "issuer keyUsage lacks keyCertSign");
    }
    Ok(())
}

/// RFC 5280 §4.2.1.9 / §6.1.4 (l), (m): at most pathLenConstraint non-self-issued CA
/// certificates may follow `issuer` in the path. `below` are the chain's certificates from the
/// leaf-most up to the one `issuer` signed; self-issued and non-CA ones do not count.
fn path_len_ok<'a>(issuer: &Cert, below: impl Iterator<Item = &'a Cert>) -> Result<()> {
    let Some(max) = issuer.basic_constraints().and_then(|b| b.path_len_constraint) else { return Ok(()) };
    let n = below.filter(|c| c.is_ca() && !c.is_self_issued()).count();
    if n > usize::from(max) {
        return err(Code::TrustRootInvalid, format!("path length {n} exceeds pathLenConstraint {max}"));
    }
    Ok(())
}

/// The errors an issuer search reports: lets the timestamp module reuse [`find_issuer`].
#[derive(Clone, Copy, Debug)]
pub struct IssuerCodes {
    /// No authority names the certificate's issuer.
    pub untrusted: Code,
    /// Every candidate fails at some verified time.
    pub not_valid: Code,
}

/// Codes for the Fulcio signing certificate.
pub const LEAF_CODES: IssuerCodes = IssuerCodes { untrusted: Code::CertChainUntrusted, not_valid: Code::CertNotValidAtTime };

/// RFC 5280 §4.2.1.1 / §4.2.1.2: a candidate issuer's subjectKeyIdentifier must equal the
/// certificate's authorityKeyIdentifier when both are present.
fn key_ids_agree(cert: &Cert, candidate: &Cert) -> bool {
    match (cert.authority_key_id(), candidate.subject_key_id()) {
        (Some(a), Some(s)) => a == s,
        _ => true,
    }
}

/// Whether some certificate of `ca` could have issued `cert`: its subject is `cert`'s issuer
/// name and the key identifiers agree ([`key_ids_agree`]). Nothing is verified: this only
/// says which authority to try (e.g. which instance a bundle belongs to).
pub fn names_issuer_of<A: Authority>(cert: &Cert, ca: &A) -> bool {
    ca.certificates().iter().any(|c| c.subject_der() == cert.issuer_der() && key_ids_agree(cert, c))
}

/// Find the authority certificate that issued `cert`: every (authority, position) whose
/// certificate's subject is `cert`'s issuer (and whose key identifiers agree,
/// [`key_ids_agree`]), tried in order; the first for which [`path_valid_at_all`] holds wins.
/// With no candidate: `codes.untrusted`; when all fail, the first candidate's failure. Returns
/// (authority, position).
pub fn find_issuer<'a, A: Authority>(cert: &Cert, cas: &'a [A], times: &[Time], codes: IssuerCodes) -> Result<(&'a A, usize)> {
    if times.is_empty() {
        return err(codes.not_valid, "no verified time");
    }
    let mut first_failure: Option<Error> = None;
    for ca in cas {
        let chain = ca.certificates();
        for (pos, c) in chain.iter().enumerate() {
            if c.subject_der() != cert.issuer_der() || !key_ids_agree(cert, c) {
                continue;
            }
            let path = chain.get(pos..).unwrap_or_default();
            match path_valid_at_all(cert, path, ca.window(), ca.name(), times, codes.not_valid) {
                Ok(()) => return Ok((ca, pos)),
                Err(e) => {
                    first_failure.get_or_insert(e);
                }
            }
        }
    }
    Err(first_failure.unwrap_or_else(|| Error::new(codes.untrusted, "no certificate authority in the trusted root issued this certificate")))
}

/// RFC 5280 §6.1.3 (a)(2) at every verified time: `cert`, each certificate of `path` (its
/// issuer up to the root), and the authority's `window` all contain `t` (both ends inclusive).
/// Failures are `code`; an authority without a window (`None`) is `TRUST_ROOT_INVALID`.
pub fn path_valid_at_all(cert: &Cert, path: &[Cert], window: Option<Validity>, name: &str, times: &[Time], code: Code) -> Result<()> {
    let window = window.ok_or_else(|| Error::new(Code::TrustRootInvalid, format!("authority {name} has no validFor.start")))?;
    for &t in times {
        if !cert.valid_at(t) {
            return err(code, format!("certificate is not valid at {t} (valid {} to {})", cert.not_before(), cert.not_after()));
        }
        for (i, c) in path.iter().enumerate() {
            if !c.valid_at(t) {
                return err(code, format!("{name}: issuer path certificate {i} is not valid at {t} (valid {} to {})", c.not_before(), c.not_after()));
            }
        }
        if !window.contains(t) {
            let end = window.end.map(|e| e.to_rfc3339()).unwrap_or_else(|| String::from("open"));
            return err(code, format!("{name} is not valid at {t} (validFor {} to {end})", window.start));
        }
    }
    Ok(())
}

/// Verify the Fulcio signing certificate's path to a trusted authority at every verified time,
/// push the check that its issuer signed it, and return that issuer (needed for SCTs).
///
/// `bundle_intermediates` are the certificates the bundle sends after the leaf: they are never
/// used, but none may be a root (self-issued, or equal to a trusted authority's root).
pub fn verify_leaf_chain<'a, A: Authority>(
    leaf: &Cert,
    bundle_intermediates: &[Cert],
    cas: &'a [A],
    times: &[Time],
    checks: &mut Vec<SigCheck>,
) -> Result<&'a Cert> {
    no_roots_in_bundle(bundle_intermediates, cas)?;
    let (ca, pos) = find_issuer(leaf, cas, times, LEAF_CODES)?;
    let issuer = ca.certificates().get(pos).ok_or_else(|| Error::new(Code::CertChainUntrusted, "issuer position out of range"))?;
    issuer_may_sign(issuer).map_err(|e| Error::new(Code::CertChainUntrusted, format!("{}: {}", ca.name(), e.context)))?;
    leaf_profile(leaf)?;
    checks.push(leaf.signed_by(issuer, "signing certificate")?);
    Ok(issuer)
}

/// Sigstore client spec (and RFC 5280 §6.1: trust anchors come from the verifier, not the
/// path): the bundle's chain must not carry a root.
fn no_roots_in_bundle<A: Authority>(sent: &[Cert], cas: &[A]) -> Result<()> {
    for (i, c) in sent.iter().enumerate() {
        let trusted_root = cas.iter().any(|ca| ca.certificates().last() == Some(c));
        if c.is_self_issued() || trusted_root {
            return err(Code::CertChainContainsRoot, format!("bundle certificate chain entry {} is a root certificate", i + 1));
        }
    }
    Ok(())
}

/// Extensions the leaf profile understands; RFC 5280 §4.2 requires rejecting a certificate
/// with any other critical extension.
const LEAF_KNOWN_EXTENSIONS: [const_oid::ObjectIdentifier; 6] =
    [oid::KEY_USAGE, oid::EXT_KEY_USAGE, oid::BASIC_CONSTRAINTS, oid::SUBJECT_ALT_NAME, oid::SUBJECT_KEY_ID, oid::AUTHORITY_KEY_ID];

/// Fulcio certificate profile: not a CA (RFC 5280 §4.2.1.9), keyUsage with digitalSignature
/// (§4.2.1.3), extKeyUsage with id-kp-codeSigning (§4.2.1.12); no unknown critical
/// extension (§4.2).
fn leaf_profile(leaf: &Cert) -> Result<()> {
    if leaf.is_ca() {
        return err(Code::CertUsageInvalid, "signing certificate is a CA (basicConstraints cA TRUE)");
    }
    if !leaf.key_usage().is_some_and(|k| k.digital_signature()) {
        return err(Code::CertUsageInvalid, "signing certificate keyUsage lacks digitalSignature");
    }
    if !leaf.has_key_purpose(&oid::KP_CODE_SIGNING) {
        return err(Code::CertUsageInvalid, "signing certificate extKeyUsage lacks codeSigning");
    }
    if let Some(e) = leaf.extensions().iter().find(|e| e.critical && !LEAF_KNOWN_EXTENSIONS.contains(&e.extn_id)) {
        return err(Code::CertInvalid, format!("signing certificate has an unsupported critical extension {}", e.extn_id));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    extern crate std;
    use super::*;
    use crate::crypto::{RustCrypto, SignatureVerifier};
    use crate::trust_root::TrustedRoot;
    use crate::x509::cert::tests::{bundle_certs, data, with_extensions};
    use der::Encode;
    use x509_cert::ext::Extension;

    fn root_for(case: &str) -> TrustedRoot {
        let p = std::format!("bundle-verify/{case}/trusted_root.json");
        let path = std::format!("{}/tests/data/conformance/{p}", env!("CARGO_MANIFEST_DIR"));
        if std::path::Path::new(&path).exists() {
            TrustedRoot::from_json(&data(&p)).unwrap()
        } else {
            TrustedRoot::production().unwrap()
        }
    }

    fn integrated_time(case: &str) -> Time {
        let b = crate::bundle::Bundle::from_json(&data(&std::format!("bundle-verify/{case}/bundle.sigstore.json"))).unwrap();
        Time::from_unix(b.tlog_entries[0].integrated_time.unwrap())
    }

    fn run(case: &str) -> Result<()> {
        let root = root_for(case);
        let certs = bundle_certs(case);
        let mut checks = Vec::new();
        verify_leaf_chain(&certs[0], &certs[1..], &root.certificate_authorities, &[integrated_time(case)], &mut checks)?;
        RustCrypto.run_all(&checks)
    }

    #[test]
    fn happy_paths() {
        run("happy-path-v0.1").unwrap();
        run("happy-path-v0.3").unwrap();
        run("happy-path-intoto-in-dsse-v3").unwrap();
        run("intoto-with-custom-trust-root").unwrap();
    }

    #[test]
    fn returns_the_issuer() {
        let root = TrustedRoot::production().unwrap();
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let mut checks = Vec::new();
        let issuer = verify_leaf_chain(leaf, &[], &root.certificate_authorities, &[integrated_time("happy-path-v0.1")], &mut checks).unwrap();
        assert_eq!(issuer, &root.certificate_authorities[1].chain[0]);
        assert_eq!(checks.len(), 1);
    }

    #[test]
    fn expired_certificate() {
        let e = run("intoto-expired-certificate_fail").unwrap_err();
        assert_eq!(e.code, Code::CertNotValidAtTime, "{e}");
        let e = run("intoto-set-outside-signing-cert-validity_fail").unwrap_err();
        assert_eq!(e.code, Code::CertNotValidAtTime, "{e}");
    }

    #[test]
    fn validity_bounds_inclusive_and_every_time_checked() {
        let root = TrustedRoot::production().unwrap();
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let cas = &root.certificate_authorities;
        let mut checks = Vec::new();
        verify_leaf_chain(leaf, &[], cas, &[leaf.not_before(), leaf.not_after()], &mut checks).unwrap();
        let late = Time::from_unix(leaf.not_after().secs + 1);
        let e = verify_leaf_chain(leaf, &[], cas, &[leaf.not_before(), late], &mut checks).unwrap_err();
        assert_eq!(e.code, Code::CertNotValidAtTime);
        let e = verify_leaf_chain(leaf, &[], cas, &[], &mut checks).unwrap_err();
        assert_eq!(e.code, Code::CertNotValidAtTime);
        assert!(e.context.contains("no verified time"));
    }

    #[test]
    fn authority_window_applies() {
        let mut root = TrustedRoot::production().unwrap();
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let t = integrated_time("happy-path-v0.1");
        root.certificate_authorities[1].valid_for.as_mut().unwrap().end = Some(Time::from_unix(t.secs - 1));
        let e = verify_leaf_chain(leaf, &[], &root.certificate_authorities, &[t], &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::CertNotValidAtTime, "{e}");
        root.certificate_authorities[1].valid_for.as_mut().unwrap().end = Some(t);
        verify_leaf_chain(leaf, &[], &root.certificate_authorities, &[t], &mut Vec::new()).unwrap();
        // An authority without a usable window is never trusted.
        root.certificate_authorities[1].valid_for = None;
        let e = verify_leaf_chain(leaf, &[], &root.certificate_authorities, &[t], &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::TrustRootInvalid, "{e}");
    }

    #[test]
    fn candidates_tried_in_order() {
        // The same authority listed twice, the first with a window that excludes t: the
        // second must be used.
        let root = TrustedRoot::production().unwrap();
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let t = integrated_time("happy-path-v0.1");
        let mut early = root.certificate_authorities[1].clone();
        early.valid_for.as_mut().unwrap().end = Some(Time::from_unix(t.secs - 1));
        let cas = [early.clone(), root.certificate_authorities[1].clone()];
        let issuer = verify_leaf_chain(leaf, &[], &cas, &[t], &mut Vec::new()).unwrap();
        assert_eq!(issuer, &cas[1].chain[0]);
        // Both failing: the first candidate's failure is reported.
        let e = verify_leaf_chain(leaf, &[], &[early.clone(), early], &[t], &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::CertNotValidAtTime);
    }

    #[test]
    fn root_in_bundle() {
        let e = run("bundle-with-root-cert_fail").unwrap_err();
        assert_eq!(e.code, Code::CertChainContainsRoot, "{e}");
        // Byte-equal to a trusted root, even without the self-issued shortcut.
        let root = TrustedRoot::production().unwrap();
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let sent = [root.certificate_authorities[1].chain[1].clone()];
        let e = verify_leaf_chain(leaf, &sent, &root.certificate_authorities, &[integrated_time("happy-path-v0.1")], &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::CertChainContainsRoot);
        // An intermediate the bundle sends is ignored.
        let sent = [root.certificate_authorities[1].chain[0].clone()];
        verify_leaf_chain(leaf, &sent, &root.certificate_authorities, &[integrated_time("happy-path-v0.1")], &mut Vec::new()).unwrap();
    }

    #[test]
    fn wrong_instance() {
        let e = run("bundle-from-wrong-instance_fail").unwrap_err();
        assert_eq!(e.code, Code::CertChainUntrusted, "{e}");
    }

    #[test]
    fn leaf_signature_flip() {
        let root = TrustedRoot::production().unwrap();
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let mut der = leaf.der().to_vec();
        let n = der.len();
        der[n - 1] ^= 1;
        let bad = Cert::from_der(&der).unwrap();
        let mut checks = Vec::new();
        verify_leaf_chain(&bad, &[], &root.certificate_authorities, &[integrated_time("happy-path-v0.1")], &mut checks).unwrap();
        assert_eq!(RustCrypto.run_all(&checks).unwrap_err().code, Code::CertSignatureInvalid);
    }

    fn leaf_with(f: impl Fn(&mut Vec<Extension>)) -> Cert {
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let mut exts = leaf.extensions().to_vec();
        f(&mut exts);
        Cert::from_der(&with_extensions(leaf.der(), &exts)).unwrap()
    }

    fn profile_code(c: &Cert) -> Code {
        let root = TrustedRoot::production().unwrap();
        verify_leaf_chain(c, &[], &root.certificate_authorities, &[integrated_time("happy-path-v0.1")], &mut Vec::new()).unwrap_err().code
    }

    fn ext(id: const_oid::ObjectIdentifier, critical: bool, value: &[u8]) -> Extension {
        Extension { extn_id: id, critical, extn_value: der::asn1::OctetString::new(value).unwrap() }
    }

    #[test]
    fn leaf_profile_violations() {
        let ca = x509_cert::ext::pkix::BasicConstraints { ca: true, path_len_constraint: None }.to_der().unwrap();
        let c = leaf_with(|e| e.push(ext(oid::BASIC_CONSTRAINTS, true, &ca)));
        assert_eq!(profile_code(&c), Code::CertUsageInvalid);
        let c = leaf_with(|e| e.retain(|x| x.extn_id != oid::KEY_USAGE));
        assert_eq!(profile_code(&c), Code::CertUsageInvalid);
        let c = leaf_with(|e| e.retain(|x| x.extn_id != oid::EXT_KEY_USAGE));
        assert_eq!(profile_code(&c), Code::CertUsageInvalid);
        let server_auth = x509_cert::ext::pkix::ExtendedKeyUsage(alloc::vec![const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1")]).to_der().unwrap();
        let c = leaf_with(|e| {
            e.retain(|x| x.extn_id != oid::EXT_KEY_USAGE);
            e.push(ext(oid::EXT_KEY_USAGE, false, &server_auth));
        });
        assert_eq!(profile_code(&c), Code::CertUsageInvalid);
        // CT precertificate poison: critical and unknown.
        let c = leaf_with(|e| e.push(ext(const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.3"), true, &[5, 0])));
        assert_eq!(profile_code(&c), Code::CertInvalid);
    }

    #[test]
    fn issuer_must_be_ca() {
        // A trusted "authority" whose certificate is the happy-path leaf's issuer name but not
        // a CA: use a leaf as the authority for a second leaf naming it.
        let root = TrustedRoot::production().unwrap();
        let leaf = &bundle_certs("happy-path-v0.1")[0];
        let mut ca = root.certificate_authorities[1].clone();
        let int = &ca.chain[0];
        let mut exts = int.extensions().to_vec();
        exts.retain(|x| x.extn_id != oid::BASIC_CONSTRAINTS);
        ca.chain[0] = Cert::from_der(&with_extensions(int.der(), &exts)).unwrap();
        let e = verify_leaf_chain(leaf, &[], &[ca], &[integrated_time("happy-path-v0.1")], &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::CertChainUntrusted, "{e}");
    }

    #[test]
    fn authority_chains_check_out() {
        let mut roots = std::vec![TrustedRoot::production().unwrap()];
        for case in [
            "bundle-with-sct-with-extensions",
            "intoto-with-custom-trust-root",
            "invalid-ct-key_fail",
            "rekor2-happy-path",
            "rekor2-timestamp-with-expired-cert-chain",
        ] {
            roots.push(root_for(case));
        }
        for r in &roots {
            let mut checks = Vec::new();
            for (i, ca) in r.certificate_authorities.iter().chain(&r.timestamp_authorities).enumerate() {
                authority_chain_checks(&ca.chain, &std::format!("authority[{i}]"), &mut checks).unwrap();
            }
            assert!(!checks.is_empty());
            RustCrypto.run_all(&checks).unwrap();
        }
    }

    #[test]
    fn authority_chain_defects() {
        let root = TrustedRoot::production().unwrap();
        // Chain order reversed: names do not line up.
        let mut ca = root.certificate_authorities[1].clone();
        ca.chain.reverse();
        let e = authority_chain_checks(&ca.chain, "ca", &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::TrustRootInvalid, "{e}");
        // The intermediate alone: its last certificate is not self-issued.
        let mut ca = root.certificate_authorities[1].clone();
        ca.chain.truncate(1);
        assert_eq!(authority_chain_checks(&ca.chain, "ca", &mut Vec::new()).unwrap_err().code, Code::TrustRootInvalid);
        // Root without basicConstraints cA.
        let mut ca = root.certificate_authorities[0].clone();
        let r = &ca.chain[0];
        let mut exts = r.extensions().to_vec();
        exts.retain(|x| x.extn_id != oid::BASIC_CONSTRAINTS);
        ca.chain[0] = Cert::from_der(&with_extensions(r.der(), &exts)).unwrap();
        assert_eq!(authority_chain_checks(&ca.chain, "ca", &mut Vec::new()).unwrap_err().code, Code::TrustRootInvalid);
        // The root's self-signature broken: the check fails when run.
        let mut ca = root.certificate_authorities[0].clone();
        let mut der = ca.chain[0].der().to_vec();
        let n = der.len();
        der[n - 1] ^= 1;
        ca.chain[0] = Cert::from_der(&der).unwrap();
        let mut checks = Vec::new();
        authority_chain_checks(&ca.chain, "ca", &mut checks).unwrap();
        assert_eq!(RustCrypto.run_all(&checks).unwrap_err().code, Code::CertSignatureInvalid);
    }

    #[test]
    fn path_length_enforced() {
        // Production root has pathLen 1 (intermediate + leaf); a chain with the root's
        // pathLen forced to 0 above an intermediate CA fails.
        let root = TrustedRoot::production().unwrap();
        let mut ca = root.certificate_authorities[1].clone();
        let r = &ca.chain[1];
        let mut exts = r.extensions().to_vec();
        exts.retain(|x| x.extn_id != oid::BASIC_CONSTRAINTS);
        let bc = x509_cert::ext::pkix::BasicConstraints { ca: true, path_len_constraint: Some(0) }.to_der().unwrap();
        exts.push(ext(oid::BASIC_CONSTRAINTS, true, &bc));
        ca.chain[1] = Cert::from_der(&with_extensions(r.der(), &exts)).unwrap();
        let e = authority_chain_checks(&ca.chain, "ca", &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::TrustRootInvalid);
        assert!(e.context.contains("pathLenConstraint"), "{e}");
    }
}
