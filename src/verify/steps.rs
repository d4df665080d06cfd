//! The steps of [`Verifier::plan`](super::Verifier::plan), each callable alone (as sigstore-go's
//! `pkg/verify` splits `VerifyTransparencyLogInclusion`, `VerifyObserverTimestamps`, ...). Each
//! takes what it needs, returns typed outputs, and lists the signatures it needs checked as
//! [`SigCheck`]s instead of checking them. `plan` runs them in the order of this file.

use alloc::format;
use alloc::vec::Vec;

use super::Config;
use crate::artifact::{Artifact, Hashed};
use crate::bundle::{Bundle, Content, InclusionProof, Material, TlogEntry};
use crate::crypto::{Key, Message, PublicKey, Scheme, SigCheck};
use crate::dsse;
use crate::error::{err, Code, Error, Result};
use crate::identity::{check_identity, Policy};
use crate::limits::Budget;
use crate::result::{Signer, TimeSource, VerifiedLogEntry, VerifiedTime};
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
pub fn verify_artifact_signature(content: &Content, key: &PublicKey, artifact: &Hashed, checks: &mut Vec<SigCheck>) -> Result<Option<dsse::Statement>> {
    match content {
        Content::MessageSignature { digest, signature } => {
            if let Some((alg, d)) = digest {
                match artifact.digest(*alg) {
                    Some(a) if a == d.as_slice() => {}
                    Some(_) => return err(Code::ArtifactMismatch, "messageSignature.messageDigest does not match the artifact"),
                    None => return err(Code::ArtifactMismatch, format!("messageDigest is {} but the artifact was given under another algorithm", alg.name())),
                }
            }
            let mut scheme = key.default_scheme();
            if let (Key::Rsa(_), Some(h)) = (&key.key, scheme.hash()) {
                let h = digest.as_ref().map(|(a, _)| *a).unwrap_or(h);
                scheme = Scheme::RsaAny(h);
            }
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

/// The RFC 3161 timestamps over the signature (RFC 3161 §2.4.2, [`timestamp::verify_timestamp`]:
/// the `TIMESTAMP_*` codes), in bundle order; a token repeated byte for byte counts once.
/// Returns one verified time per distinct token.
pub fn verify_signed_timestamps(bundle: &Bundle, tsas: &[CertificateAuthority], checks: &mut Vec<SigCheck>) -> Result<Vec<VerifiedTime>> {
    let mut times = Vec::new();
    let mut seen: Vec<&[u8]> = Vec::new();
    for (i, token) in bundle.timestamps.iter().enumerate() {
        if seen.contains(&token.der.as_slice()) {
            continue;
        }
        seen.push(&token.der);
        let ts =
            timestamp::verify_signed_timestamp(token, bundle.content.signature_bytes(), tsas, checks).map_err(|e| e.at(&format!("rfc3161Timestamps[{i}]")))?;
        times.push(VerifiedTime { time: ts.time, source: TimeSource::Rfc3161 { tsa_uri: ts.tsa_uri } });
    }
    Ok(times)
}

/// At least `threshold` verified RFC 3161 timestamps -> `TIMESTAMP_THRESHOLD_NOT_MET`.
pub fn check_signed_timestamp_threshold(verified: usize, threshold: usize) -> Result<()> {
    if verified < threshold {
        return err(Code::TimestampThresholdNotMet, format!("{verified} verified RFC 3161 timestamps, {threshold} required"));
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

/// The configured thresholds: verified log entries (`TLOG_THRESHOLD_NOT_MET`), then verified
/// times, integrated times and RFC 3161 timestamps together (`TIMESTAMP_THRESHOLD_NOT_MET`).
pub fn check_thresholds(config: &Config, entries: usize, times: usize) -> Result<()> {
    if entries < config.tlog_threshold {
        return err(Code::TlogThresholdNotMet, format!("{entries} verified transparency-log entries, {} required", config.tlog_threshold));
    }
    if times < config.observer_timestamp_threshold {
        return err(
            Code::TimestampThresholdNotMet,
            format!("{times} verified times (integrated times and RFC 3161 timestamps), {} required", config.observer_timestamp_threshold),
        );
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
