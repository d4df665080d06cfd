//! STUB: replaced by the real module.
use alloc::string::String;
use alloc::vec::Vec;
use crate::artifact::Artifact;
use crate::bundle::{Content, MediaType, TlogEntry};
use crate::crypto::{PublicKey, SigCheck};
use crate::error::{err, Code, Result};
use crate::time::Time;
use crate::trust_root::TransparencyLog;
use crate::x509::Cert;
pub enum Signer<'a> { Cert(&'a Cert), Key(&'a PublicKey) }
pub struct Expected<'a> { pub signer: Signer<'a>, pub content: &'a Content, pub artifact: &'a Artifact<'a> }
pub struct VerifiedEntry { pub log_url: String, pub log_index: u64, pub integrated_time: Option<Time>, pub kind: String, pub version: String, pub rekor_v2: bool }
pub fn verify_entry(_entry: &TlogEntry, _media_type: MediaType, _tlogs: &[TransparencyLog], _expected: &Expected, _checks: &mut Vec<SigCheck>) -> Result<VerifiedEntry> { err(Code::TlogEntryInvalid, "stub") }
