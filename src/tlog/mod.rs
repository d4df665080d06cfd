//! Verification of one transparency-log (Rekor v1 or v2) entry from a bundle.
//!
//! Every piece of evidence the entry carries is verified, and one never excuses another:
//! the body must describe this bundle ([`body`]); a signed entry timestamp, when present,
//! must verify ([`set`]); an inclusion proof, when present, must reproduce its root hash
//! ([`merkle`]) and that root must be signed by the log in a checkpoint ([`checkpoint`]).
//! The bundle's media type and the log version decide which evidence is required.
//!
//! Signatures are not checked here: they are queued as [`SigCheck`]s for the caller's batch.

pub mod body;
pub mod checkpoint;
pub mod merkle;
pub mod set;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::artifact::Hashed;
use crate::bundle::{Content, InclusionProof, MediaType, TlogEntry};
use crate::crypto::{PublicKey, SigCheck};
use crate::encoding::hex_encode;
use crate::error::{err, Code, Error, Result};
use crate::time::Time;
use crate::trust_root::{TransparencyLog, Validity};
use crate::x509::Cert;

/// Who signed the bundle: its leaf certificate, or a key given out of band.
#[derive(Clone, Copy, Debug)]
pub enum Signer<'a> {
    Cert(&'a Cert),
    Key(&'a PublicKey),
}

/// What the entry's body must describe.
#[derive(Clone, Copy, Debug)]
pub struct Expected<'a> {
    pub signer: Signer<'a>,
    pub content: &'a Content,
    pub artifact: &'a Hashed<'a>,
}

/// A tlog entry whose checks all passed (once the queued signature checks pass too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedEntry {
    pub log_url: String,
    pub log_index: u64,
    /// The integrated time, when a signed entry timestamp (SET) vouches for it: Rekor v1
    /// entries with an inclusion promise. `None` for Rekor v2 (no integrated time) and for a
    /// Rekor v1 entry without a SET (its `integratedTime` is outside everything the log signed).
    pub integrated_time: Option<Time>,
    /// `kind` and `apiVersion` of the (authenticated) body.
    pub kind: String,
    pub version: String,
    pub rekor_v2: bool,
    /// The log key's `validFor` window. Already checked against the integrated time for
    /// Rekor v1; for Rekor v2 the caller must check it against the verified timestamp times.
    pub log_validity: Validity,
}

/// The trusted log whose log ID the entry names (`TLOG_UNKNOWN_LOG` if none).
pub fn select_log<'a>(entry: &TlogEntry, tlogs: &'a [TransparencyLog]) -> Result<&'a TransparencyLog> {
    tlogs
        .iter()
        .find(|l| l.log_id == entry.log_id)
        .ok_or_else(|| Error::new(Code::TlogUnknownLog, format!("log ID {} is not a transparency log of the trusted root", hex_encode(&entry.log_id))))
}

/// Verify one tlog entry against the trusted logs and the bundle it came in; push its
/// signature checks (SET, checkpoint) onto `checks`.
pub fn verify_entry(
    entry: &TlogEntry,
    media_type: MediaType,
    tlogs: &[TransparencyLog],
    expected: &Expected,
    checks: &mut Vec<SigCheck>,
) -> Result<VerifiedEntry> {
    let log = select_log(entry, tlogs)?;
    let validity = log.validity()?;
    let body = entry.body.as_ref().map_err(Clone::clone)?;
    let rekor_v2 = body.kind.rekor_v2();

    let integrated_time = if rekor_v2 {
        rekor_v2_has_no_time(entry)?;
        None
    } else {
        let t = entry.integrated_time.ok_or_else(|| Error::new(Code::TlogEntryInvalid, "Rekor v1 entry has no integratedTime"))?;
        let time = Time::from_unix(t);
        if !validity.contains(time) {
            return err(Code::TlogUnknownLog, format!("log {} was not valid at the entry's integrated time {time}", log.base_url));
        }
        Some((t, time))
    };
    required_evidence(entry, media_type, rekor_v2)?;
    body::check(body, expected)?;

    let mut set_time = None;
    if let (Some(set), Some((t, time))) = (&entry.inclusion_promise, integrated_time) {
        set::check_set(set, &entry.canonicalized_body, t, log, entry.log_index, checks)?;
        set_time = Some(time);
    }
    if let Some(proof) = &entry.inclusion_proof {
        check_proof(entry, proof, log, rekor_v2, checks)?;
    }
    Ok(VerifiedEntry {
        log_url: log.base_url.clone(),
        log_index: entry.log_index,
        integrated_time: set_time,
        kind: body.kind_name.clone(),
        version: body.version.clone(),
        rekor_v2,
        log_validity: validity,
    })
}

/// Rekor v2 logs issue no integrated time and no SET: an entry claiming either is malformed
/// (nothing could vouch for those claims).
fn rekor_v2_has_no_time(entry: &TlogEntry) -> Result<()> {
    if entry.integrated_time.is_some() {
        return err(Code::TlogEntryInvalid, "Rekor v2 entry carries an integratedTime, which Rekor v2 never issues");
    }
    if entry.inclusion_promise.is_some() {
        return err(Code::TlogEntryInvalid, "Rekor v2 entry carries an inclusionPromise, which Rekor v2 never issues");
    }
    Ok(())
}

/// Evidence the bundle version and the log version require (protobuf-specs `Bundle` comments):
/// v0.1 an inclusion promise; v0.2+ an inclusion proof; Rekor v2 always an inclusion proof.
/// (The checkpoint a proof needs is checked with the proof.)
fn required_evidence(entry: &TlogEntry, media_type: MediaType, rekor_v2: bool) -> Result<()> {
    if media_type == MediaType::V01 && entry.inclusion_promise.is_none() {
        return err(Code::TlogSetMissing, "a v0.1 bundle's tlog entry needs an inclusionPromise");
    }
    if (media_type != MediaType::V01 || rekor_v2) && entry.inclusion_proof.is_none() {
        let why = if rekor_v2 { "a Rekor v2 entry" } else { "a v0.2+ bundle's tlog entry" };
        return err(Code::TlogInclusionProofMissing, format!("{why} needs an inclusionProof"));
    }
    Ok(())
}

/// The inclusion proof (RFC 9162 §2.1.3.2) of the body's leaf, then the checkpoint that signs
/// its root. A proof without a checkpoint proves nothing: anyone can build a tree.
fn check_proof(entry: &TlogEntry, proof: &InclusionProof, log: &TransparencyLog, rekor_v2: bool, checks: &mut Vec<SigCheck>) -> Result<()> {
    // Rekor v1 entries carry a log index global across shards; the proof's is within the
    // shard's tree, so the two differ. Rekor v2 has one tree per log: they must agree.
    if rekor_v2 && proof.log_index != entry.log_index {
        return err(Code::TlogInclusionProofInvalid, format!("inclusion proof is for index {}, the entry is {}", proof.log_index, entry.log_index));
    }
    let leaf = merkle::leaf_hash(&entry.canonicalized_body);
    merkle::verify_inclusion(proof.log_index, proof.tree_size, &leaf, &proof.hashes, &proof.root_hash)?;
    let Some(note) = &proof.checkpoint else {
        return err(Code::TlogCheckpointInvalid, "inclusion proof has no checkpoint: nothing signs its root hash");
    };
    let cp = note.as_ref().map_err(Clone::clone)?;
    checkpoint::verify(cp, log, rekor_v2, proof.tree_size, &proof.root_hash, checks)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests;
