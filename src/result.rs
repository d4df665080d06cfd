//! The verification result: what was proven, as plain data and as JSON.

use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{json, Map, Value};

use crate::time::Time;
use crate::x509::fulcio::{FulcioIdentity, SanKind};

#[derive(Clone, Debug)]
pub enum TimeSource {
    Tlog { log_url: String, log_index: u64 },
    Rfc3161 { tsa_uri: String },
}

#[derive(Clone, Debug)]
pub struct VerifiedTime {
    pub time: Time,
    pub source: TimeSource,
}

#[derive(Clone, Debug)]
pub struct VerifiedLogEntry {
    pub log_url: String,
    pub log_index: u64,
    pub kind: String,
    pub version: String,
    pub integrated_time: Option<Time>,
}

#[derive(Clone, Debug)]
pub enum Signer {
    Certificate(FulcioIdentity),
    Key { key_type: &'static str },
}

/// Returned only when every check passed.
#[derive(Clone, Debug)]
pub struct VerificationResult {
    pub media_type: &'static str,
    pub signer: Signer,
    pub times: Vec<VerifiedTime>,
    pub tlog_entries: Vec<VerifiedLogEntry>,
    pub statement: Option<crate::dsse::Statement>,
}

impl VerificationResult {
    /// The JSON form printed by the CLI's `--json` and returned by the JS API.
    pub fn to_json(&self) -> Value {
        let signer = match &self.signer {
            Signer::Certificate(id) => {
                let mut ext = Map::new();
                for (k, v) in &id.claims {
                    ext.insert(String::from(*k), Value::String(v.clone()));
                }
                json!({
                    "type": "certificate",
                    "identity": id.san,
                    "identityType": match id.san_kind { SanKind::Email => "email", SanKind::Uri => "uri", SanKind::OtherName => "otherName" },
                    "issuer": id.issuer,
                    "extensions": ext,
                })
            }
            Signer::Key { key_type } => json!({ "type": "publicKey", "keyType": key_type }),
        };
        let times: Vec<Value> = self
            .times
            .iter()
            .map(|t| match &t.source {
                TimeSource::Tlog { log_url, log_index } => json!({ "time": t.time.to_rfc3339(), "source": "tlog", "logUrl": log_url, "logIndex": log_index }),
                TimeSource::Rfc3161 { tsa_uri } => json!({ "time": t.time.to_rfc3339(), "source": "rfc3161", "tsaUri": tsa_uri }),
            })
            .collect();
        let entries: Vec<Value> = self
            .tlog_entries
            .iter()
            .map(|e| {
                json!({
                    "logUrl": e.log_url, "logIndex": e.log_index, "kind": e.kind, "version": e.version,
                    "integratedTime": e.integrated_time.map(|t| t.to_rfc3339()),
                })
            })
            .collect();
        let mut out = json!({
            "verified": true,
            "mediaType": self.media_type,
            "signer": signer,
            "verifiedTimes": times,
            "tlogEntries": entries,
        });
        if let (Some(st), Value::Object(m)) = (&self.statement, &mut out) {
            m.insert("predicateType".into(), Value::String(st.predicate_type.clone()));
            m.insert("statement".into(), st.value.clone());
        }
        out
    }
}
