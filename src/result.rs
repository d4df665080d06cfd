//! The verification result: what was proven, as typed data whose `Serialize` form is the JSON
//! the CLI's `--json` prints and the JS API returns (`pkg/index.d.ts` declares the same fields;
//! a JS test checks the two against each other).
//!
//! A [`VerificationResult`] can only be built by this crate, after every check passed.

use alloc::string::String;
use alloc::vec::Vec;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::error::Code;
use crate::time::Time;
use crate::verify::Thresholds;
use crate::x509::fulcio::FulcioIdentity;

/// Where a verified time comes from.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "source")]
pub enum TimeSource {
    /// A Rekor v1 integrated time, vouched for by the log's signed entry timestamp.
    #[serde(rename = "tlog", rename_all = "camelCase")]
    Tlog { log_url: String, log_index: u64 },
    /// An RFC 3161 timestamp from a trusted timestamp authority.
    #[serde(rename = "rfc3161", rename_all = "camelCase")]
    Rfc3161 { tsa_uri: String },
}

#[derive(Clone, Debug, Serialize)]
pub struct VerifiedTime {
    pub time: Time,
    #[serde(flatten)]
    pub source: TimeSource,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedLogEntry {
    pub log_url: String,
    pub log_index: u64,
    pub kind: String,
    pub version: String,
    pub integrated_time: Option<Time>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type")]
pub enum Signer {
    /// A Fulcio certificate: identity, identity type, issuer and CI claims (`extensions`).
    #[serde(rename = "certificate")]
    Certificate(FulcioIdentity),
    /// A managed key.
    #[serde(rename = "publicKey", rename_all = "camelCase")]
    Key { key_type: &'static str },
}

/// An RFC 3161 timestamp the verification left out: not over this bundle's signature
/// (`TIMESTAMP_IMPRINT_MISMATCH`) or from no timestamp authority of the trusted root
/// (`TIMESTAMP_UNTRUSTED`). It counted toward no threshold; it is listed so nothing is silently
/// dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkippedTimestamp {
    /// Its position in `timestampVerificationData.rfc3161Timestamps`.
    pub index: usize,
    #[serde(serialize_with = "code_str")]
    pub code: Code,
    pub message: String,
}

fn code_str<S: Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

/// What the verification required and what it verified (`thresholds` in JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ThresholdReport {
    pub required: Thresholds,
    pub verified: Thresholds,
}

/// The evidence accounting of a verification: thresholds and left-out timestamps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Evidence {
    pub thresholds: ThresholdReport,
    pub skipped_timestamps: Vec<SkippedTimestamp>,
}

/// Serialises as `true`: a result exists only for a verified bundle. Its field is private, so
/// no code outside this crate can build a [`VerificationResult`].
#[derive(Clone, Copy, Debug)]
pub struct Verified(());

impl Serialize for Verified {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(true)
    }
}

/// Returned only when every check passed.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResult {
    verified: Verified,
    pub media_type: &'static str,
    pub signer: Signer,
    #[serde(rename = "verifiedTimes")]
    pub times: Vec<VerifiedTime>,
    pub tlog_entries: Vec<VerifiedLogEntry>,
    /// The in-toto statement of a DSSE bundle (`predicateType` and `statement` in JSON).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub statement: Option<crate::dsse::Statement>,
    /// Which trusted root the verdict rests on (see `trust_root::TrustSource`).
    pub trust: crate::trust_root::TrustSource,
    /// What was required (`Verifier::thresholds`; `sct` only of certificates) and what was
    /// verified: `tlogEntries`, `signedTimestamps` (RFC 3161, one per authority),
    /// `verifiedTimes` (those timestamps plus SET-vouched integrated times), `sct` (an SCT was
    /// required and verified; SCTs are not checked when not required).
    pub thresholds: ThresholdReport,
    /// RFC 3161 timestamps left out (`[{index, code, message}]`, empty when none).
    pub skipped_timestamps: Vec<SkippedTimestamp>,
}

impl VerificationResult {
    pub(crate) fn new(
        media_type: &'static str,
        signer: Signer,
        times: Vec<VerifiedTime>,
        tlog_entries: Vec<VerifiedLogEntry>,
        statement: Option<crate::dsse::Statement>,
        trust: crate::trust_root::TrustSource,
        evidence: Evidence,
    ) -> Self {
        let Evidence { thresholds, skipped_timestamps } = evidence;
        VerificationResult { verified: Verified(()), media_type, signer, times, tlog_entries, statement, trust, thresholds, skipped_timestamps }
    }

    /// The JSON form printed by the CLI's `--json` and returned by the JS API.
    pub fn to_json(&self) -> serde_json::Value {
        // Serialising plain data into a `Value` cannot fail (no maps with non-string keys).
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// CI claims as a JSON object, in certificate (OID) order.
pub(crate) fn claims_map<S: Serializer>(claims: &[(&'static str, String)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(claims.len()))?;
    for (k, v) in claims {
        m.serialize_entry(k, v)?;
    }
    m.end()
}
