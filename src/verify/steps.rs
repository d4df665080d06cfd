//! The steps of [`Verifier::plan`](super::Verifier::plan), each callable alone (as sigstore-go's
//! `pkg/verify` splits `VerifyTransparencyLogInclusion`, `VerifyObserverTimestamps`, ...). Each
//! takes what it needs, returns typed outputs, and lists the signatures it needs checked as
//! [`SigCheck`]s instead of checking them. `plan` runs them in the order of this file.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Thresholds;
use crate::artifact::{Artifact, Hashed};
use crate::bundle::{Bundle, Content, InclusionProof, Material, TlogEntry};
use crate::crypto::{HashAlg, Message, PublicKey, Scheme, SigCheck};
use crate::dsse;
use crate::error::{err, Code, Error, Result};
use crate::identity::{check_identity, Policy};
use crate::limits::Budget;
use crate::result::{Signer, SkippedTimestamp, TimeSource, VerifiedLogEntry, VerifiedTime};
use crate::sct;
use crate::time::Time;
use crate::timestamp;
use crate::tlog::{self, Expected};
use crate::trust_root::{CertificateAuthority, TransparencyLog, TrustedRoot, Validity};
use crate::x509::chain::verify_leaf_chain;
use crate::x509::{fulcio, Cert};

/// Who signed: the signing key and, for certificates, the leaf. The bundle's material must suit
/// the policy's kind (a managed key for [`Policy::Key`], a certificate for
/// [`Policy::Identity`]) -> `KEY_MISMATCH`; a certificate without a usable key fails with the
/// certificate's code.
pub fn signer_key<'b>(bundle: &'b Bundle, policy: &Policy) -> Result<(PublicKey, Option<&'b Cert>)> {
    match (&bundle.material, policy) {
        (Material::PublicKey { .. }, Policy::Key(k)) => Ok((k.clone(), None)),
        (Material::PublicKey { .. }, Policy::Identity { .. }) => {
            err(Code::KeyMismatch, "bundle is signed with a managed key (verificationMaterial.publicKey) but a certificate identity was requested")
        }
        (m, Policy::Key(_)) if m.leaf().is_some() => err(Code::KeyMismatch, "bundle carries a certificate but a managed key was requested"),
        (m, _) => {
            let leaf = m.leaf().ok_or_else(|| Error::new(Code::BundleInvalid, "no signing certificate"))?;
            Ok((leaf.public_key()?.clone(), Some(leaf)))
        }
    }
}

/// The artifact signature and what binds it to the artifact. A message signature: its
/// `messageDigest`, when present, must be the artifact's (`ARTIFACT_MISMATCH`), and the signature
/// over the artifact is listed (`SIGNATURE_INVALID`; `DIGEST_ONLY_UNSUPPORTED` for Ed25519 over a
/// digest). A DSSE envelope: its one signature over PAE is listed (`DSSE_INVALID`), then its
/// in-toto statement must name the artifact ([`dsse::check_statement`]: `INTOTO_INVALID`,
/// `ARTIFACT_MISMATCH`). Returns the statement, for DSSE.
///
/// The hash an ECDSA or RSA message signature was made over comes from the bundle, not from the
/// key: `messageDigest.algorithm`, else `logged_hash` (the digest algorithm a hashedrekord
/// entry records, [`message_hash_from_log`]), else the key type's default. A P-384 Fulcio leaf
/// whose client hashed with SHA-256 is as valid as one that used SHA-384.
pub fn verify_artifact_signature(
    content: &Content,
    key: &PublicKey,
    logged_hash: Option<HashAlg>,
    artifact: &Hashed,
    checks: &mut Vec<SigCheck>,
) -> Result<Option<dsse::Statement>> {
    match content {
        Content::MessageSignature { digest, signature } => {
            if let Some((alg, d)) = digest {
                match artifact.digest(*alg) {
                    Some(a) if a == d.as_slice() => {}
                    Some(_) => return err(Code::ArtifactMismatch, "messageSignature.messageDigest does not match the artifact"),
                    None => return err(Code::ArtifactMismatch, format!("messageDigest is {} but the artifact was given under another algorithm", alg.name())),
                }
            }
            let signed_hash = digest.as_ref().map(|(a, _)| *a).or(logged_hash);
            let scheme = match (key.default_scheme(), signed_hash) {
                (Scheme::Ecdsa(_), Some(h)) => Scheme::Ecdsa(h),
                (Scheme::RsaPkcs1(d), h) => Scheme::RsaAny(h.unwrap_or(d)),
                (s, _) => s,
            };
            let message = match (artifact.artifact(), scheme.hash()) {
                (Artifact::Bytes(b), _) => Message::Raw(b.to_vec()),
                (Artifact::Digest(..), None) => {
                    return err(Code::DigestOnlyUnsupported, "an Ed25519 message signature covers the artifact bytes; it cannot be checked from a digest")
                }
                (Artifact::Digest(alg, d), Some(h)) => {
                    if *alg != h {
                        return err(Code::ArtifactMismatch, format!("the signature uses {} but the artifact was given as {}", h.name(), alg.name()));
                    }
                    Message::Prehashed(h, d.clone())
                }
            };
            checks.push(SigCheck {
                code: Code::SignatureInvalid,
                what: "messageSignature".into(),
                key: key.clone(),
                scheme,
                message,
                signature: signature.clone(),
            });
            Ok(None)
        }
        Content::Dsse(env) => {
            checks.push(dsse::signature_check(env, key)?);
            dsse::check_statement(env, artifact).map(Some)
        }
    }
}

/// The artifact digest algorithm the bundle's first hashedrekord entry records (the hash its
/// message signature was made over), when the entry's body parsed. Only a hint for
/// [`verify_artifact_signature`]: the entry itself is verified later, field by field.
pub fn message_hash_from_log(bundle: &Bundle) -> Option<HashAlg> {
    bundle.tlog_entries.iter().find_map(|e| e.body.as_ref().ok().and_then(|b| b.message_digest_alg()))
}

/// What [`verify_signed_timestamps`] established.
#[derive(Clone, Debug, Default)]
pub struct SignedTimestamps {
    /// One verified time per distinct verified token, in bundle order.
    pub times: Vec<VerifiedTime>,
    /// Verified tokens that count toward the thresholds: one per timestamp authority (a second
    /// token from the same authority adds a time to check, not a count).
    pub counted: usize,
    /// Tokens left out (not over this signature, or from no trusted authority), in bundle order.
    pub skipped: Vec<SkippedTimestamp>,
}

/// The RFC 3161 timestamps over the signature (RFC 3161 §2.4.2,
/// [`timestamp::check_signed_timestamp`]), in bundle order; a token repeated byte for byte counts
/// once. A token that is not evidence about this bundle (imprint over another signature, signer
/// not a trusted TSA) is left out and listed in `skipped`; every other failure is fatal (the
/// `TIMESTAMP_*` codes).
pub fn verify_signed_timestamps(bundle: &Bundle, tsas: &[CertificateAuthority], checks: &mut Vec<SigCheck>) -> Result<SignedTimestamps> {
    let mut out = SignedTimestamps::default();
    let mut seen: Vec<&[u8]> = Vec::new();
    let mut authorities: Vec<usize> = Vec::new();
    for (i, token) in bundle.timestamps.iter().enumerate() {
        if seen.contains(&token.der.as_slice()) {
            continue;
        }
        seen.push(&token.der);
        let place = format!("rfc3161Timestamps[{i}]");
        match timestamp::check_signed_timestamp(token, bundle.content.signature_bytes(), tsas, checks).map_err(|e| e.at(&place))? {
            timestamp::Outcome::Verified(ts) => {
                if !authorities.contains(&ts.tsa_index) {
                    authorities.push(ts.tsa_index);
                    out.counted += 1;
                }
                out.times.push(VerifiedTime { time: ts.time, source: TimeSource::Rfc3161 { tsa_uri: ts.tsa_uri } });
            }
            timestamp::Outcome::LeftOut(e) => out.skipped.push(SkippedTimestamp { index: i, code: e.code, message: e.at(&place).context }),
        }
    }
    Ok(out)
}

/// A shortfall of verified times: when tokens were left out, the first one's code says why
/// they did not count (the message gives the counts); else `TIMESTAMP_THRESHOLD_NOT_MET`.
fn shortfall<T>(what: String, skipped: &[SkippedTimestamp]) -> Result<T> {
    match skipped.first() {
        Some(s) => err(s.code, format!("{what}; left out: {}", s.message)),
        None => err(Code::TimestampThresholdNotMet, what),
    }
}

/// At least `threshold` verified RFC 3161 timestamps (distinct authorities) ->
/// `TIMESTAMP_THRESHOLD_NOT_MET`, or the code of the first token left out.
pub fn check_signed_timestamp_threshold(verified: usize, threshold: usize, skipped: &[SkippedTimestamp]) -> Result<()> {
    if verified < threshold {
        return shortfall(format!("{verified} verified RFC 3161 timestamps, {threshold} required"), skipped);
    }
    Ok(())
}

/// What [`verify_tlog_entries`] established.
#[derive(Clone, Debug)]
pub struct VerifiedLogEntries {
    /// The verified entries, a (log, index) repeated in the bundle counted once.
    pub entries: Vec<VerifiedLogEntry>,
    /// The integrated times the logs signed (SETs), one per counted entry that has one.
    pub times: Vec<VerifiedTime>,
    /// The Rekor v2 entries (bundle index) and their log keys' `validFor`: to be checked
    /// against the RFC 3161 times ([`check_rekor_v2_log_validity`]).
    pub rekor_v2_windows: Vec<(usize, Validity)>,
}

/// Every transparency-log entry, each bound to this bundle and its signer
/// ([`tlog::verify_entry`]: the `TLOG_*` codes), in bundle order. An integrated time is a
/// verified time only when the log signed it (the SET): the inclusion proof and checkpoint do not
/// cover it.
///
/// An entry identical to an earlier one in every field ([`same_entry`]) is skipped before any
/// of its checks is queued: its verdict is the earlier one's. Each entry's Merkle leaf and
/// queued checks are charged to `budget` (`BUNDLE_LIMIT_EXCEEDED` when it runs out).
pub fn verify_tlog_entries(
    bundle: &Bundle,
    tlogs: &[TransparencyLog],
    signer: tlog::Signer,
    artifact: &Hashed,
    checks: &mut Vec<SigCheck>,
    budget: &mut Budget,
) -> Result<VerifiedLogEntries> {
    let expected = Expected { signer, content: &bundle.content, artifact };
    let mut out = VerifiedLogEntries { entries: Vec::new(), times: Vec::new(), rekor_v2_windows: Vec::new() };
    for (i, entry) in bundle.tlog_entries.iter().enumerate() {
        if bundle.tlog_entries.get(..i).unwrap_or(&[]).iter().any(|e| same_entry(e, entry)) {
            continue;
        }
        budget.hash(entry.canonicalized_body.len())?;
        let queued = checks.len();
        let v = tlog::verify_entry(entry, bundle.media_type, tlogs, &expected, checks).map_err(|e| e.at(&format!("tlogEntries[{i}]")))?;
        budget.charge(checks.get(queued..).unwrap_or(&[]))?;
        if v.rekor_v2 {
            out.rekor_v2_windows.push((i, v.log_validity));
        }
        if out.entries.iter().any(|e| e.log_url == v.log_url && e.log_index == v.log_index) {
            continue;
        }
        if let (Some(t), Some(_)) = (v.integrated_time, &entry.inclusion_promise) {
            out.times.push(VerifiedTime { time: t, source: TimeSource::Tlog { log_url: v.log_url.clone(), log_index: v.log_index } });
        }
        out.entries.push(VerifiedLogEntry { log_url: v.log_url, log_index: v.log_index, kind: v.kind, version: v.version, integrated_time: v.integrated_time });
    }
    Ok(out)
}

/// Two log entries identical in every field the verification reads (body, log ID, index,
/// integrated time, kind and version, SET, inclusion proof and checkpoint): verifying the second
/// could only repeat the first's work and verdict. A checkpoint that did not parse never
/// compares equal (the first such entry fails anyway).
pub fn same_entry(a: &TlogEntry, b: &TlogEntry) -> bool {
    fn same_proof(a: &InclusionProof, b: &InclusionProof) -> bool {
        let cp = match (&a.checkpoint, &b.checkpoint) {
            (None, None) => true,
            (Some(Ok(x)), Some(Ok(y))) => x == y,
            _ => false,
        };
        cp && a.log_index == b.log_index && a.tree_size == b.tree_size && a.root_hash == b.root_hash && a.hashes == b.hashes
    }
    let proofs = match (&a.inclusion_proof, &b.inclusion_proof) {
        (None, None) => true,
        (Some(x), Some(y)) => same_proof(x, y),
        _ => false,
    };
    proofs
        && a.log_index == b.log_index
        && a.log_id == b.log_id
        && a.integrated_time == b.integrated_time
        && a.kind == b.kind
        && a.version == b.version
        && a.inclusion_promise == b.inclusion_promise
        && a.canonicalized_body == b.canonicalized_body
}

/// A Rekor v2 entry has no integrated time: its log key must be valid at every time the RFC 3161
/// timestamps (`signed_times`) vouch for instead -> `TLOG_UNKNOWN_LOG`.
pub fn check_rekor_v2_log_validity(windows: &[(usize, Validity)], signed_times: &[VerifiedTime]) -> Result<()> {
    for (i, w) in windows {
        if let Some(t) = signed_times.iter().find(|t| !w.contains(t.time)) {
            return err(Code::TlogUnknownLog, format!("tlogEntries[{i}]: the log's key is not valid at the timestamp {}", t.time));
        }
    }
    Ok(())
}

/// The required thresholds: verified log entries (`TLOG_THRESHOLD_NOT_MET`), then verified
/// times, integrated times and RFC 3161 timestamps together (`TIMESTAMP_THRESHOLD_NOT_MET`, or
/// the code of the first token left out).
pub fn check_thresholds(required: &Thresholds, entries: usize, times: usize, skipped: &[SkippedTimestamp]) -> Result<()> {
    if entries < required.tlog_entries {
        return err(Code::TlogThresholdNotMet, format!("{entries} verified transparency-log entries, {} required", required.tlog_entries));
    }
    if times < required.verified_times {
        return shortfall(format!("{times} verified times (integrated times and RFC 3161 timestamps), {} required", required.verified_times), skipped);
    }
    Ok(())
}

/// The signer against the policy. A certificate (with [`Policy::Identity`]): its chain to a
/// trusted certificate authority at every verified time (`CERT_*` codes), with `require_sct` an
/// SCT from a trusted CT log (`SCT_*`), then its Fulcio identity against the policy
/// (`IDENTITY_MISMATCH`, ...). A managed key (with [`Policy::Key`]): the key's type. Material
/// and policy of different kinds -> `KEY_MISMATCH`.
#[allow(clippy::too_many_arguments)]
pub fn verify_certificate(
    bundle: &Bundle,
    leaf: Option<&Cert>,
    key: &PublicKey,
    policy: &Policy,
    times: &[VerifiedTime],
    root: &TrustedRoot,
    require_sct: bool,
    checks: &mut Vec<SigCheck>,
) -> Result<Signer> {
    match (leaf, policy) {
        (Some(leaf), Policy::Identity { san, issuer }) => {
            let instants: Vec<Time> = times.iter().map(|t| t.time).collect();
            let extra = match &bundle.material {
                Material::Chain(c) => c.get(1..).unwrap_or(&[]),
                _ => &[],
            };
            let issuer_cert = verify_leaf_chain(leaf, extra, &root.certificate_authorities, &instants, checks)?;
            if require_sct {
                sct::verify_embedded_scts(leaf, issuer_cert, &root.ctlogs, checks)?;
            }
            let id = fulcio::identity(leaf)?;
            check_identity(&id, san, issuer)?;
            Ok(Signer::Certificate(id))
        }
        (None, Policy::Key(_)) => Ok(Signer::Key { key_type: key.type_name() }),
        _ => err(Code::KeyMismatch, "bundle material and policy disagree"),
    }
}
