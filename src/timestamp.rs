//! STUB: replaced by the real module.
use alloc::string::String;
use alloc::vec::Vec;
use crate::crypto::SigCheck;
use crate::error::{err, Code, Result};
use crate::time::Time;
use crate::trust_root::CertificateAuthority;
pub struct VerifiedTimestamp { pub time: Time, pub tsa_uri: String }
pub fn verify_timestamp(_token: &[u8], _signature: &[u8], _tsas: &[CertificateAuthority], _checks: &mut Vec<SigCheck>) -> Result<VerifiedTimestamp> { err(Code::TimestampInvalid, "stub") }
