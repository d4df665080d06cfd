//! Embedded Signed Certificate Timestamps (RFC 6962 §3.2–3.3): the CT log's promise, signed
//! over the precertificate, that the Fulcio certificate was logged. Each SCT from a trusted CT
//! log becomes a [`SigCheck`]; SCTs from unknown logs are skipped; at least one must remain.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use der::{Decode, Encode, Reader};
use x509_cert::ext::Extension;

use crate::crypto::{sha256, HashAlg, Message, Scheme, SigCheck};
use crate::error::{err, Code, Error, Result};
use crate::time::Time;
use crate::trust_root::TransparencyLog;
use crate::x509::cert::oid::CT_SCT_LIST;
use crate::x509::Cert;

/// An SCT whose signature check has been queued: which log, and when it saw the certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedSct {
    pub log_url: String,
    pub time: Time,
}

/// RFC 6962 §3.2 `SignedCertificateTimestamp` (version v1 only).
struct Sct<'a> {
    log_id: &'a [u8],
    /// Milliseconds since the Unix epoch.
    timestamp: u64,
    extensions: &'a [u8],
    hash_alg: u8,
    sig_alg: u8,
    signature: &'a [u8],
}

fn invalid(msg: &str) -> Error {
    Error::new(Code::SctInvalid, msg)
}

/// Queue a signature check for every embedded SCT of `leaf` issued by a CT log of the trusted
/// root that was valid at the SCT's time, and return those SCTs. `issuer` is the certificate
/// that issued `leaf` (its key hash is part of what the log signed).
///
/// No embedded SCT from a trusted log is `SCT_MISSING`; a malformed list is `SCT_INVALID`.
pub fn verify_embedded_scts(leaf: &Cert, issuer: &Cert, ctlogs: &[TransparencyLog], checks: &mut Vec<SigCheck>) -> Result<Vec<VerifiedSct>> {
    let (_, ext) = leaf.extension(&CT_SCT_LIST).ok_or_else(|| Error::new(Code::SctMissing, "signing certificate carries no embedded SCT"))?;
    // RFC 6962 §3.3: the extension value is an OCTET STRING holding the TLS-encoded list.
    let list = der::asn1::OctetString::from_der(ext).map_err(|_| invalid("SCT list extension is not an OCTET STRING"))?;
    let scts = parse_list(list.as_bytes())?;
    let issuer_key_hash = sha256(issuer.spki_der());
    let tbs = precert_tbs(leaf.tbs_der())?;
    let mut out = Vec::new();
    for (i, sct) in scts.iter().enumerate() {
        let time = sct_time(sct.timestamp)?;
        let Some(log) = ctlogs.iter().find(|l| l.log_id == sct.log_id && l.validity().is_ok_and(|v| v.contains(time))) else { continue };
        checks.push(SigCheck {
            code: Code::SctInvalid,
            what: format!("embedded SCT[{i}] from {}", log.base_url),
            key: log.key.clone(),
            scheme: scheme(sct.hash_alg, sct.sig_alg)?,
            message: Message::Raw(signed_data(sct, &issuer_key_hash, &tbs)?),
            signature: sct.signature.to_vec(),
        });
        out.push(VerifiedSct { log_url: log.base_url.clone(), time });
    }
    if out.is_empty() {
        return err(Code::SctMissing, "no embedded SCT from a CT log of the trusted root valid at its time");
    }
    Ok(out)
}

/// A big-endian TLS reader (RFC 5246 §4) over untrusted bytes.
struct Tls<'a>(&'a [u8]);

impl<'a> Tls<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n).ok_or_else(|| invalid("SCT data is truncated"))?;
        self.0 = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8> {
        let (b, rest) = self.0.split_first().ok_or_else(|| invalid("SCT data is truncated"))?;
        self.0 = rest;
        Ok(*b)
    }
    fn uint(&mut self, n: usize) -> Result<u64> {
        Ok(self.take(n)?.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }
    /// `opaque x<0..2^16-1>`
    fn vec16(&mut self) -> Result<&'a [u8]> {
        let n = usize::try_from(self.uint(2)?).map_err(|_| invalid("length overflow"))?;
        self.take(n)
    }
}

/// RFC 6962 §3.3: `opaque SerializedSCT<1..2^16-1>;
/// struct { SerializedSCT sct_list<1..2^16-1>; } SignedCertificateTimestampList;`
fn parse_list(b: &[u8]) -> Result<Vec<Sct<'_>>> {
    let mut outer = Tls(b);
    let mut list = Tls(outer.vec16()?);
    if !outer.0.is_empty() || list.0.is_empty() {
        return err(Code::SctInvalid, "SCT list length does not match its contents");
    }
    let mut out = Vec::new();
    while !list.0.is_empty() {
        out.push(parse_sct(list.vec16()?)?);
    }
    Ok(out)
}

/// RFC 6962 §3.2: `struct { Version sct_version; LogID id; uint64 timestamp;
/// CtExtensions extensions; digitally-signed struct {...}; } SignedCertificateTimestamp;`
/// with `digitally-signed` = `HashAlgorithm hash; SignatureAlgorithm sig; opaque
/// signature<0..2^16-1>` (RFC 5246 §4.7).
fn parse_sct(b: &[u8]) -> Result<Sct<'_>> {
    let mut r = Tls(b);
    if r.u8()? != 0 {
        return err(Code::SctInvalid, "SCT version is not v1");
    }
    let sct = Sct { log_id: r.take(32)?, timestamp: r.uint(8)?, extensions: r.vec16()?, hash_alg: r.u8()?, sig_alg: r.u8()?, signature: r.vec16()? };
    if !r.0.is_empty() {
        return err(Code::SctInvalid, "trailing bytes after an SCT");
    }
    Ok(sct)
}

fn sct_time(ms: u64) -> Result<Time> {
    let secs = i64::try_from(ms / 1000).map_err(|_| invalid("SCT timestamp out of range"))?;
    // ms % 1000 < 1000, so the product fits in u32.
    let nanos = u32::try_from((ms % 1000) * 1_000_000).map_err(|_| invalid("SCT timestamp out of range"))?;
    Ok(Time { secs, nanos })
}

/// RFC 5246 §7.4.1.4.1: hash 4 = sha256; signature 1 = rsa, 3 = ecdsa. RFC 6962 §2.1.4 allows
/// only these two with SHA-256.
fn scheme(hash: u8, sig: u8) -> Result<Scheme> {
    match (hash, sig) {
        (4, 3) => Ok(Scheme::Ecdsa(HashAlg::Sha256)),
        (4, 1) => Ok(Scheme::RsaPkcs1(HashAlg::Sha256)),
        _ => err(Code::SctInvalid, format!("unsupported SCT signature algorithm (hash {hash}, signature {sig})")),
    }
}

/// RFC 6962 §3.2: what the log signed for a precertificate entry:
/// `digitally-signed struct { Version sct_version (0); SignatureType signature_type
/// (0 = certificate_timestamp); uint64 timestamp; LogEntryType entry_type (1 = precert_entry);
/// PreCert { opaque issuer_key_hash[32]; TBSCertificate tbs_certificate<1..2^24-1>; };
/// CtExtensions extensions<0..2^16-1>; }`
fn signed_data(sct: &Sct, issuer_key_hash: &[u8; 32], tbs: &[u8]) -> Result<Vec<u8>> {
    let tbs_len = u32::try_from(tbs.len()).ok().filter(|n| *n < 1 << 24).ok_or_else(|| invalid("TBSCertificate too long"))?;
    let ext_len = u16::try_from(sct.extensions.len()).map_err(|_| invalid("SCT extensions too long"))?;
    let mut m = Vec::with_capacity(2 + 8 + 2 + 32 + 3 + tbs.len() + 2 + sct.extensions.len());
    m.extend_from_slice(&[0, 0]);
    m.extend_from_slice(&sct.timestamp.to_be_bytes());
    m.extend_from_slice(&1u16.to_be_bytes());
    m.extend_from_slice(issuer_key_hash);
    m.extend_from_slice(tbs_len.to_be_bytes().get(1..).unwrap_or_default());
    m.extend_from_slice(tbs);
    m.extend_from_slice(&ext_len.to_be_bytes());
    m.extend_from_slice(sct.extensions);
    Ok(m)
}

/// One DER TLV split off the front of `b`: (tag, value, the whole TLV, the rest).
type Tlv<'a> = (der::Tag, &'a [u8], &'a [u8], &'a [u8]);

fn next_tlv(b: &[u8]) -> Result<Tlv<'_>> {
    let bad = |_| invalid("TBSCertificate is not DER");
    let mut r = der::SliceReader::new(b).map_err(bad)?;
    let h = der::Header::decode(&mut r).map_err(bad)?;
    let value = r.read_slice(h.length()).map_err(bad)?;
    let used = usize::try_from(r.position()).map_err(bad)?;
    let (whole, rest) = b.split_at_checked(used).ok_or_else(|| invalid("TBSCertificate is not DER"))?;
    Ok((h.tag(), value, whole, rest))
}

/// A TLV with the given tag around the concatenated parts (DER definite length).
fn wrap(tag: der::Tag, value: &[u8]) -> Result<Vec<u8>> {
    let len = der::Length::try_from(value.len()).map_err(|_| invalid("TBSCertificate too long"))?;
    let mut out = der::Header::new(tag, len).to_der().map_err(|_| invalid("cannot encode DER header"))?;
    out.extend_from_slice(value);
    Ok(out)
}

const EXTENSIONS_TAG: der::Tag = der::Tag::ContextSpecific { constructed: true, number: der::TagNumber(3) };

/// RFC 6962 §3.2 (with §3.1): the precertificate TBSCertificate is the certificate's TBS with
/// the SCT list extension removed. Done by DER surgery on the original bytes: drop exactly
/// that one `Extension` from `extensions [3] EXPLICIT Extensions` and re-encode the lengths
/// of the enclosing SEQUENCE, [3] and TBSCertificate SEQUENCE.
fn precert_tbs(tbs: &[u8]) -> Result<Vec<u8>> {
    let (tag, mut fields, _, rest) = next_tlv(tbs)?;
    if tag != der::Tag::Sequence || !rest.is_empty() {
        return err(Code::SctInvalid, "TBSCertificate is not one SEQUENCE");
    }
    let mut body = Vec::with_capacity(tbs.len());
    let mut removed = 0usize;
    while !fields.is_empty() {
        let (tag, value, whole, rest) = next_tlv(fields)?;
        fields = rest;
        if tag != EXTENSIONS_TAG {
            body.extend_from_slice(whole);
            continue;
        }
        let (seq_tag, mut exts, _, after) = next_tlv(value)?;
        if seq_tag != der::Tag::Sequence || !after.is_empty() {
            return err(Code::SctInvalid, "extensions [3] does not hold one SEQUENCE");
        }
        let mut kept = Vec::with_capacity(exts.len());
        while !exts.is_empty() {
            let (_, _, ext_der, rest) = next_tlv(exts)?;
            exts = rest;
            let ext = Extension::from_der(ext_der).map_err(|_| invalid("malformed Extension"))?;
            if ext.extn_id == CT_SCT_LIST {
                removed = removed.saturating_add(1);
            } else {
                kept.extend_from_slice(ext_der);
            }
        }
        // Extensions ::= SEQUENCE SIZE (1..MAX): with nothing left the field disappears.
        if !kept.is_empty() {
            body.extend_from_slice(&wrap(EXTENSIONS_TAG, &wrap(der::Tag::Sequence, &kept)?)?);
        }
    }
    if removed != 1 {
        return err(Code::SctInvalid, "TBSCertificate must hold exactly one SCT list extension");
    }
    wrap(der::Tag::Sequence, &body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    extern crate std;
    use super::*;
    use crate::crypto::{RustCrypto, SignatureVerifier};
    use crate::trust_root::TrustedRoot;
    use crate::x509::cert::tests::{bundle_certs, data, with_extensions};

    fn case(name: &str, root: Option<&str>) -> (Cert, Cert, TrustedRoot) {
        let root = match root {
            Some(p) => TrustedRoot::from_json(&data(p)).unwrap(),
            None => TrustedRoot::production().unwrap(),
        };
        let leaf = bundle_certs(name).remove(0);
        let issuer = crate::x509::chain::verify_leaf_chain(&leaf, &[], &root.certificate_authorities, &[leaf.not_before()], &mut Vec::new()).unwrap().clone();
        (leaf, issuer, root)
    }

    fn run(leaf: &Cert, issuer: &Cert, root: &TrustedRoot) -> Result<Vec<VerifiedSct>> {
        let mut checks = Vec::new();
        let v = verify_embedded_scts(leaf, issuer, &root.ctlogs, &mut checks)?;
        assert_eq!(checks.len(), v.len());
        RustCrypto.run_all(&checks)?;
        Ok(v)
    }

    /// The leaf with its SCT list extension value replaced.
    fn with_sct_value(leaf: &Cert, value: Option<&[u8]>) -> Cert {
        let mut exts = leaf.extensions().to_vec();
        let pos = exts.iter().position(|e| e.extn_id == CT_SCT_LIST).unwrap();
        match value {
            Some(v) => exts[pos].extn_value = der::asn1::OctetString::new(v).unwrap(),
            None => {
                exts.remove(pos);
            }
        }
        Cert::from_der(&with_extensions(leaf.der(), &exts)).unwrap()
    }

    fn sct_list(leaf: &Cert) -> Vec<u8> {
        der::asn1::OctetString::from_der(leaf.extension(&CT_SCT_LIST).unwrap().1).unwrap().as_bytes().to_vec()
    }

    fn wrap_list(list: &[u8]) -> Vec<u8> {
        der::asn1::OctetString::new(list).unwrap().to_der().unwrap()
    }

    #[test]
    fn production_happy_path() {
        let (leaf, issuer, root) = case("happy-path-v0.1", None);
        let v = run(&leaf, &issuer, &root).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].log_url, "https://ctfe.sigstore.dev/2022");
        assert_eq!(v[0].time.to_rfc3339(), "2023-07-12T15:56:35.979Z");
        let (leaf, issuer, root) = case("happy-path-v0.3", None);
        run(&leaf, &issuer, &root).unwrap();
    }

    #[test]
    fn sct_with_extensions() {
        let (leaf, issuer, root) = case("bundle-with-sct-with-extensions", Some("bundle-verify/bundle-with-sct-with-extensions/trusted_root.json"));
        let v = run(&leaf, &issuer, &root).unwrap();
        assert_eq!(v.len(), 1);
        assert!(!parse_list(&sct_list(&leaf)).unwrap()[0].extensions.is_empty());
    }

    #[test]
    fn staging_ct_keys() {
        let (leaf, issuer, _) = case("happy-path-v0.1", None);
        let root = TrustedRoot::from_json(&data("bundle-verify/invalid-ct-key_fail/trusted_root.json")).unwrap();
        assert_eq!(run(&leaf, &issuer, &root).unwrap_err().code, Code::SctMissing);
    }

    #[test]
    fn log_outside_its_window() {
        let (leaf, issuer, mut root) = case("happy-path-v0.1", None);
        for l in &mut root.ctlogs {
            l.valid_for.as_mut().unwrap().start = Time::from_unix(1_900_000_000);
        }
        assert_eq!(run(&leaf, &issuer, &root).unwrap_err().code, Code::SctMissing);
    }

    #[test]
    fn no_sct_extension() {
        let (leaf, issuer, root) = case("happy-path-v0.1", None);
        let bare = with_sct_value(&leaf, None);
        assert_eq!(run(&bare, &issuer, &root).unwrap_err().code, Code::SctMissing);
    }

    #[test]
    fn flipped_signature() {
        let (leaf, issuer, root) = case("happy-path-v0.1", None);
        let mut list = sct_list(&leaf);
        *list.last_mut().unwrap() ^= 1;
        let bad = with_sct_value(&leaf, Some(&wrap_list(&list)));
        let mut checks = Vec::new();
        verify_embedded_scts(&bad, &issuer, &root.ctlogs, &mut checks).unwrap();
        assert_eq!(RustCrypto.run_all(&checks).unwrap_err().code, Code::SctInvalid);
    }

    #[test]
    fn wrong_issuer_key() {
        // The issuer key hash is signed: another issuer's key makes the SCT fail.
        let (leaf, _, root) = case("happy-path-v0.1", None);
        let other = &root.certificate_authorities[1].chain[1];
        assert_eq!(run(&leaf, other, &root).unwrap_err().code, Code::SctInvalid);
    }

    #[test]
    fn malformed_lists() {
        let (leaf, issuer, root) = case("happy-path-v0.1", None);
        let list = sct_list(&leaf);
        let mut bad_version = list.clone();
        bad_version[4] = 1;
        let mut bad_alg = list.clone();
        // hash_alg sits after len(2) len(2) version(1) log_id(32) timestamp(8) ext_len(2).
        bad_alg[4 + 1 + 32 + 8 + 2] = 5;
        let mut trailing = list.clone();
        trailing.push(0);
        let cases: [Vec<u8>; 6] = [list[..list.len() - 1].to_vec(), trailing, bad_version, bad_alg, std::vec![0, 0], std::vec![]];
        for (i, l) in cases.iter().enumerate() {
            let bad = with_sct_value(&leaf, Some(&wrap_list(l)));
            assert_eq!(run(&bad, &issuer, &root).unwrap_err().code, Code::SctInvalid, "case {i}");
        }
        // Not even an OCTET STRING.
        let bad = with_sct_value(&leaf, Some(&list));
        assert_eq!(run(&bad, &issuer, &root).unwrap_err().code, Code::SctInvalid);
    }

    #[test]
    fn precert_surgery() {
        let (leaf, _, _) = case("happy-path-v0.1", None);
        let pre = precert_tbs(leaf.tbs_der()).unwrap();
        let without = with_sct_value(&leaf, None);
        assert_eq!(pre, without.tbs_der());
        // Without the extension there is nothing to remove.
        assert_eq!(precert_tbs(without.tbs_der()).unwrap_err().code, Code::SctInvalid);
        assert_eq!(precert_tbs(b"\x30\x80").unwrap_err().code, Code::SctInvalid);
    }
}
