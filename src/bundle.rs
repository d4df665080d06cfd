//! The Sigstore bundle (protobuf-specs `dev.sigstore.bundle.v1.Bundle`, JSON form), parsed into
//! plain Rust types. Parsing only decodes and checks shape; every claim is verified elsewhere.
//! The media type chooses parse rules and required evidence; it never relaxes a check.
//!
//! The encodings nested inside a bundle are parsed here too, once, into typed evidence: each
//! log entry's `canonicalizedBody` ([`tlog::body::Body`]), each inclusion proof's checkpoint
//! ([`tlog::checkpoint::Checkpoint`]) and a DSSE envelope's in-toto statement
//! ([`dsse::Statement`]). Their parse failures do not fail [`Bundle::from_value`]: they are
//! kept as `Err` in the evidence and raised by the check that uses it, at the point in the
//! verification order where that check runs, so a bundle's error code does not depend on when
//! it was parsed.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use crate::crypto::HashAlg;
use crate::dsse::{self, Statement};
use crate::error::{err, Code, Error, Result};
use crate::json::{self, Obj};
use crate::limits::{self, check_base64_len};
use crate::tlog::body::{self, Body};
use crate::tlog::checkpoint::{self, Checkpoint};
use crate::x509::Cert;

/// At most this many tlog entries and timestamps (sigstore-go's defaults).
pub const MAX_TLOG_ENTRIES: usize = 32;
pub const MAX_TIMESTAMPS: usize = 32;
/// Certificates in an `x509CertificateChain`.
pub const MAX_CHAIN_CERTS: usize = 8;
/// Merkle proof hashes: a tree of 2^64 leaves needs at most 64.
pub const MAX_PROOF_HASHES: usize = 64;
/// DSSE signatures in one envelope.
pub const MAX_DSSE_SIGNATURES: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    V01,
    V02,
    V03,
}

impl MediaType {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "application/vnd.dev.sigstore.bundle+json;version=0.1" => Ok(MediaType::V01),
            "application/vnd.dev.sigstore.bundle+json;version=0.2" => Ok(MediaType::V02),
            "application/vnd.dev.sigstore.bundle+json;version=0.3" | "application/vnd.dev.sigstore.bundle.v0.3+json" => Ok(MediaType::V03),
            other => err(Code::BundleUnsupportedMediaType, format!("unsupported bundle mediaType {other:?}")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::V01 => "application/vnd.dev.sigstore.bundle+json;version=0.1",
            MediaType::V02 => "application/vnd.dev.sigstore.bundle+json;version=0.2",
            MediaType::V03 => "application/vnd.dev.sigstore.bundle.v0.3+json",
        }
    }
}

/// How the signer is identified.
#[derive(Clone, Debug)]
pub enum Material {
    /// v0.1/v0.2 `x509CertificateChain`: the leaf first, then any intermediates the signer sent.
    Chain(Vec<Cert>),
    /// v0.3 `certificate`: the leaf alone.
    Certificate(alloc::boxed::Box<Cert>),
    /// `publicKey`: a key the verifier must be given out of band; the hint is informational.
    PublicKey { hint: String },
}

impl Material {
    pub fn leaf(&self) -> Option<&Cert> {
        match self {
            Material::Chain(c) => c.first(),
            Material::Certificate(c) => Some(c.as_ref()),
            Material::PublicKey { .. } => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct InclusionProof {
    pub log_index: u64,
    pub root_hash: Vec<u8>,
    pub tree_size: u64,
    pub hashes: Vec<Vec<u8>>,
    /// The signed note (`checkpoint.envelope`), if present, parsed; `Err` if it does not
    /// parse (`TLOG_CHECKPOINT_INVALID`, raised when the proof is checked).
    pub checkpoint: Option<Result<Checkpoint>>,
}

#[derive(Clone, Debug)]
pub struct TlogEntry {
    pub log_index: u64,
    pub log_id: Vec<u8>,
    pub kind: String,
    pub version: String,
    /// Unix seconds; `None` when absent or zero (Rekor v2 entries carry none).
    pub integrated_time: Option<i64>,
    pub inclusion_promise: Option<Vec<u8>>,
    pub inclusion_proof: Option<InclusionProof>,
    /// The logged bytes: the Merkle leaf and what the SET signs.
    pub canonicalized_body: Vec<u8>,
    /// `canonicalized_body` parsed against `kind` and `version`; `Err` if it does not parse
    /// (raised when the entry is verified, after its log is selected).
    pub body: Result<Body>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsseSignature {
    pub sig: Vec<u8>,
    pub keyid: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    pub payload: Vec<u8>,
    pub payload_type: String,
    pub signatures: Vec<DsseSignature>,
    /// The payload parsed as an in-toto statement; `Err` if it is none (`INTOTO_INVALID`,
    /// raised after the envelope's signature check is listed).
    pub statement: Result<Statement>,
}

#[derive(Clone, Debug)]
pub enum Content {
    MessageSignature {
        /// `messageDigest`, if present: (algorithm, digest).
        digest: Option<(HashAlg, Vec<u8>)>,
        signature: Vec<u8>,
    },
    Dsse(Envelope),
}

impl Content {
    /// The signature bytes an RFC 3161 timestamp must cover.
    pub fn signature_bytes(&self) -> &[u8] {
        match self {
            Content::MessageSignature { signature, .. } => signature,
            Content::Dsse(e) => e.signatures.first().map(|s| s.sig.as_slice()).unwrap_or(&[]),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Bundle {
    pub media_type: MediaType,
    pub material: Material,
    pub tlog_entries: Vec<TlogEntry>,
    /// DER `TimeStampToken`s (RFC 3161 §2.4.2).
    /// The RFC 3161 timestamps, each decoded once ([`crate::timestamp::SignedTimestamp`]).
    pub timestamps: Vec<crate::timestamp::SignedTimestamp>,
    pub content: Content,
}

impl Bundle {
    /// Parse a bundle's JSON text, at most [`limits::MAX_BUNDLE_BYTES`] long
    /// (`BUNDLE_LIMIT_EXCEEDED`, checked before parsing).
    pub fn from_json(text: &str) -> Result<Self> {
        if text.len() > limits::MAX_BUNDLE_BYTES {
            return err(
                Code::BundleLimitExceeded,
                format!("bundle is {} bytes: over the limit of {} bytes (MAX_BUNDLE_BYTES)", text.len(), limits::MAX_BUNDLE_BYTES),
            );
        }
        let v = json::parse(text, Code::BundleParse, "bundle")?;
        Self::from_value(&v)
    }

    pub fn from_value(v: &Value) -> Result<Self> {
        let b = Obj::new(v, "bundle", Code::BundleParse)?;
        let media_type = MediaType::parse(b.req_str("mediaType")?)?;
        let vm_v = b.get("verificationMaterial").ok_or_else(|| Error::new(Code::BundleInvalid, "verificationMaterial is missing"))?;
        let vm = Obj::new(vm_v, "verificationMaterial", Code::BundleParse)?;
        let material = parse_material(&vm, media_type)?;

        let entries = vm.arr("tlogEntries")?;
        if entries.len() > MAX_TLOG_ENTRIES {
            return err(Code::BundleLimitExceeded, format!("{} tlog entries (at most {MAX_TLOG_ENTRIES})", entries.len()));
        }
        let tlog_entries = entries.iter().enumerate().map(|(i, e)| parse_entry(e, &format!("tlogEntries[{i}]"))).collect::<Result<Vec<_>>>()?;

        let mut timestamps = Vec::new();
        if let Some(tvd) = vm.get("timestampVerificationData") {
            let tvd = Obj::new(tvd, "timestampVerificationData", Code::BundleParse)?;
            let ts = tvd.arr("rfc3161Timestamps")?;
            if ts.len() > MAX_TIMESTAMPS {
                return err(Code::BundleLimitExceeded, format!("{} timestamps (at most {MAX_TIMESTAMPS})", ts.len()));
            }
            for (i, t) in ts.iter().enumerate() {
                let p = format!("rfc3161Timestamps[{i}]");
                timestamps.push(crate::timestamp::SignedTimestamp::parse(limited_bytes(
                    &Obj::new(t, &p, Code::BundleParse)?,
                    "signedTimestamp",
                    limits::MAX_TIMESTAMP_BYTES,
                )?));
            }
        }

        let content = match (b.get("messageSignature"), b.get("dsseEnvelope")) {
            (Some(m), None) => parse_message_signature(m)?,
            (None, Some(d)) => Content::Dsse(parse_envelope(d)?),
            (Some(_), Some(_)) => return err(Code::BundleInvalid, "bundle has both messageSignature and dsseEnvelope"),
            (None, None) => return err(Code::BundleInvalid, "bundle has neither messageSignature nor dsseEnvelope"),
        };
        Ok(Bundle { media_type, material, tlog_entries, timestamps, content })
    }
}

fn parse_cert(v: &Value, path: &str) -> Result<Cert> {
    let der = limited_bytes(&Obj::new(v, path, Code::BundleParse)?, "rawBytes", limits::MAX_CERTIFICATE_BYTES)?;
    Cert::from_der(&der).map_err(|e| e.at(path))
}

fn parse_material(vm: &Obj, media_type: MediaType) -> Result<Material> {
    let chain = vm.get("x509CertificateChain");
    let cert = vm.get("certificate");
    let key = vm.get("publicKey");
    let count = [chain.is_some(), cert.is_some(), key.is_some()].iter().filter(|x| **x).count();
    if count != 1 {
        return err(Code::BundleInvalid, "verificationMaterial must hold exactly one of x509CertificateChain, certificate, publicKey");
    }
    if let Some(c) = chain {
        if media_type == MediaType::V03 {
            return err(Code::BundleInvalid, "a v0.3 bundle carries a single certificate, not x509CertificateChain");
        }
        let o = Obj::new(c, "x509CertificateChain", Code::BundleParse)?;
        let certs = o.arr("certificates")?;
        if certs.is_empty() {
            return err(Code::BundleInvalid, "x509CertificateChain.certificates is empty");
        }
        if certs.len() > MAX_CHAIN_CERTS {
            return err(Code::BundleLimitExceeded, format!("x509CertificateChain holds {} certificates (at most {MAX_CHAIN_CERTS})", certs.len()));
        }
        let parsed = certs.iter().enumerate().map(|(i, c)| parse_cert(c, &format!("x509CertificateChain.certificates[{i}]"))).collect::<Result<Vec<_>>>()?;
        return Ok(Material::Chain(parsed));
    }
    if let Some(c) = cert {
        if media_type != MediaType::V03 {
            return err(Code::BundleInvalid, "a single certificate needs a v0.3 bundle");
        }
        return Ok(Material::Certificate(alloc::boxed::Box::new(parse_cert(c, "certificate")?)));
    }
    let k = Obj::new(key.unwrap_or(&Value::Null), "publicKey", Code::BundleParse)?;
    Ok(Material::PublicKey { hint: k.str("hint")?.unwrap_or_default().into() })
}

fn parse_entry(v: &Value, path: &str) -> Result<TlogEntry> {
    let e = Obj::new(v, path, Code::BundleParse)?;
    let log_index = nonneg(&e, "logIndex")?.ok_or_else(|| Error::new(Code::TlogEntryInvalid, format!("{path}.logIndex is missing")))?;
    let log_id_v = e.get("logId").ok_or_else(|| Error::new(Code::TlogEntryInvalid, format!("{path}.logId is missing")))?;
    let lp = format!("{path}.logId");
    let log_id = limited_bytes(&Obj::new(log_id_v, &lp, Code::BundleParse)?, "keyId", limits::MAX_SMALL_FIELD_BYTES)?;
    let kv_v = e.get("kindVersion").ok_or_else(|| Error::new(Code::TlogEntryInvalid, format!("{path}.kindVersion is missing")))?;
    let kp = format!("{path}.kindVersion");
    let kv = Obj::new(kv_v, &kp, Code::BundleParse)?;
    let kind: String = kv.req_str("kind")?.into();
    let version: String = kv.req_str("version")?.into();
    let integrated_time = match e.i64("integratedTime")? {
        None | Some(0) => None,
        Some(t) if t < 0 => return err(Code::TlogEntryInvalid, format!("{path}.integratedTime is negative")),
        Some(t) => Some(t),
    };
    let inclusion_promise = match e.get("inclusionPromise") {
        None => None,
        Some(p) => {
            let pp = format!("{path}.inclusionPromise");
            Some(limited_bytes(&Obj::new(p, &pp, Code::BundleParse)?, "signedEntryTimestamp", limits::MAX_SMALL_FIELD_BYTES)?)
        }
    };
    let inclusion_proof = match e.get("inclusionProof") {
        None => None,
        Some(p) => Some(parse_proof(p, &format!("{path}.inclusionProof"))?),
    };
    let canonicalized_body = limited_bytes(&e, "canonicalizedBody", limits::MAX_CANONICALIZED_BODY_BYTES)?;
    let body = body::parse(&canonicalized_body, &kind, &version);
    Ok(TlogEntry { log_index, log_id, kind, version, integrated_time, inclusion_promise, inclusion_proof, canonicalized_body, body })
}

/// A required base64 field, its encoded length checked against `max_decoded` before it is
/// decoded -> `BUNDLE_LIMIT_EXCEEDED`.
fn limited_bytes(o: &Obj, field: &str, max_decoded: usize) -> Result<Vec<u8>> {
    if let Some(s) = o.str(field)? {
        check_base64_len(o.path, field, s, max_decoded)?;
    }
    o.req_bytes(field)
}

fn nonneg(o: &Obj, field: &str) -> Result<Option<u64>> {
    match o.i64(field)? {
        None => Ok(None),
        Some(n) => u64::try_from(n).map(Some).map_err(|_| Error::new(Code::TlogEntryInvalid, format!("{}.{field} is negative", o.path))),
    }
}

fn parse_proof(v: &Value, path: &str) -> Result<InclusionProof> {
    let p = Obj::new(v, path, Code::BundleParse)?;
    let log_index = nonneg(&p, "logIndex")?.ok_or_else(|| p.fail("logIndex", "is missing"))?;
    let tree_size = nonneg(&p, "treeSize")?.ok_or_else(|| p.fail("treeSize", "is missing"))?;
    let root_hash = limited_bytes(&p, "rootHash", limits::MAX_SMALL_FIELD_BYTES)?;
    let hs = p.arr("hashes")?;
    if hs.len() > MAX_PROOF_HASHES {
        return err(Code::TlogInclusionProofInvalid, format!("{path}.hashes has {} hashes (at most {MAX_PROOF_HASHES})", hs.len()));
    }
    let mut hashes = Vec::with_capacity(hs.len());
    for (i, h) in hs.iter().enumerate() {
        if let Some(s) = h.as_str() {
            check_base64_len(path, &format!("hashes[{i}]"), s, limits::MAX_SMALL_FIELD_BYTES)?;
        }
        match h.as_str().and_then(crate::encoding::b64_decode) {
            Some(b) => hashes.push(b),
            None => return err(Code::BundleParse, format!("{path}.hashes[{i}] is not base64")),
        }
    }
    let checkpoint = match p.get("checkpoint") {
        None => None,
        Some(c) => {
            let cp = format!("{path}.checkpoint");
            Obj::new(c, &cp, Code::BundleParse)?.str("envelope")?.map(checkpoint::parse)
        }
    };
    Ok(InclusionProof { log_index, root_hash, tree_size, hashes, checkpoint })
}

fn parse_message_signature(v: &Value) -> Result<Content> {
    let m = Obj::new(v, "messageSignature", Code::BundleParse)?;
    let signature = limited_bytes(&m, "signature", limits::MAX_SMALL_FIELD_BYTES)?;
    let digest = match m.get("messageDigest") {
        None => None,
        Some(d) => {
            let d = Obj::new(d, "messageSignature.messageDigest", Code::BundleParse)?;
            let alg_s = d.req_str("algorithm")?;
            let alg = HashAlg::from_proto(alg_s).ok_or_else(|| d.fail("algorithm", "unsupported hash algorithm"))?;
            let dg = limited_bytes(&d, "digest", limits::MAX_SMALL_FIELD_BYTES)?;
            if dg.len() != alg.output_len() {
                return Err(d.fail("digest", "has the wrong length for its algorithm"));
            }
            Some((alg, dg))
        }
    };
    Ok(Content::MessageSignature { digest, signature })
}

fn parse_envelope(v: &Value) -> Result<Envelope> {
    let d = Obj::new(v, "dsseEnvelope", Code::BundleParse)?;
    let payload = limited_bytes(&d, "payload", limits::MAX_DSSE_PAYLOAD_BYTES)?;
    let payload_type: String = d.req_str("payloadType")?.into();
    let sigs = d.arr("signatures")?;
    if sigs.is_empty() {
        return err(Code::DsseInvalid, "dsseEnvelope has no signatures");
    }
    if sigs.len() > MAX_DSSE_SIGNATURES {
        return err(Code::BundleLimitExceeded, format!("dsseEnvelope has {} signatures", sigs.len()));
    }
    let mut signatures = Vec::with_capacity(sigs.len());
    for (i, s) in sigs.iter().enumerate() {
        let p = format!("dsseEnvelope.signatures[{i}]");
        let o = Obj::new(s, &p, Code::BundleParse)?;
        signatures.push(DsseSignature { sig: limited_bytes(&o, "sig", limits::MAX_SMALL_FIELD_BYTES)?, keyid: o.str("keyid")?.unwrap_or_default().into() });
    }
    let statement = dsse::parse_statement(&payload_type, &payload);
    Ok(Envelope { payload, payload_type, signatures, statement })
}
