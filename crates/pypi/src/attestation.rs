//! PEP 740 objects: an attestation, an attestation bundle (publisher + attestations), and the
//! provenance object the PyPI integrity API serves; each attestation turned into the Sigstore
//! bundle it stands for.
//!
//! ```text
//! Provenance        { version: 1, attestation_bundles: [AttestationBundle] }
//! AttestationBundle { publisher: Publisher, attestations: [Attestation] }
//! Attestation       { version: 1,
//!                     verification_material: { certificate: base64 DER,
//!                                              transparency_entries: [TransparencyLogEntry] },
//!                     envelope: { statement: base64 in-toto JSON, signature: base64 } }
//! ```
//! The bundle: v0.3, the leaf certificate, the transparency entries as given (protobuf-JSON
//! `TransparencyLogEntry`, as in any bundle), and a DSSE envelope with payload type
//! `application/vnd.in-toto+json`, the statement as payload and the one signature.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{json, Value};

use crate::error::{err, Code, Error, Result};
use crate::publisher::Publisher;
use sigstore_verifier::Bundle;

/// At most this many attestation bundles in a provenance object, and attestations in each.
const MAX_BUNDLES: usize = 16;
const MAX_ATTESTATIONS: usize = 16;
/// At most this many bytes of base64 in a field, checked before decoding.
const MAX_STATEMENT_B64: usize = 16 * 1024 * 1024;
const MAX_CERT_B64: usize = 64 * 1024;
const MAX_SIG_B64: usize = 4 * 1024;

/// One attestation, as the Sigstore bundle it stands for.
#[derive(Clone, Debug)]
pub struct Attestation {
    pub bundle: Bundle,
}

/// The publisher an attestation bundle names and its attestations.
#[derive(Clone, Debug)]
pub struct AttestationBundle {
    /// `None` when the object names a publisher kind this crate does not know.
    pub publisher: Option<Publisher>,
    pub attestations: Vec<Attestation>,
}

/// A provenance object (PyPI integrity API, `/integrity/<project>/<version>/<file>/provenance`).
#[derive(Clone, Debug)]
pub struct Provenance {
    pub bundles: Vec<AttestationBundle>,
}

fn obj<'a>(v: &'a Value, what: &str) -> Result<&'a serde_json::Map<String, Value>> {
    v.as_object().ok_or_else(|| Error::new(Code::DocumentInvalid, format!("{what} is not an object")))
}

fn field<'a>(o: &'a serde_json::Map<String, Value>, k: &str, what: &str) -> Result<&'a Value> {
    o.get(k).ok_or_else(|| Error::new(Code::DocumentInvalid, format!("{what}.{k} is missing")))
}

fn string<'a>(o: &'a serde_json::Map<String, Value>, k: &str, what: &str, max: usize) -> Result<&'a str> {
    let s = field(o, k, what)?.as_str().ok_or_else(|| Error::new(Code::DocumentInvalid, format!("{what}.{k} is not a string")))?;
    if s.len() > max {
        return err(Code::DocumentInvalid, format!("{what}.{k} is {} bytes (at most {max})", s.len()));
    }
    Ok(s)
}

fn version_1(o: &serde_json::Map<String, Value>, what: &str) -> Result<()> {
    match o.get("version").and_then(Value::as_u64) {
        Some(1) => Ok(()),
        _ => err(Code::DocumentInvalid, format!("{what}.version is not 1")),
    }
}

impl Attestation {
    /// Parse a PEP 740 attestation object (`what` names it in errors).
    pub fn from_value(v: &Value, what: &str) -> Result<Attestation> {
        let o = obj(v, what)?;
        version_1(o, what)?;
        let vm_what = format!("{what}.verification_material");
        let vm = obj(field(o, "verification_material", what)?, &vm_what)?;
        let cert = string(vm, "certificate", &vm_what, MAX_CERT_B64)?;
        let entries = field(vm, "transparency_entries", &vm_what)?
            .as_array()
            .ok_or_else(|| Error::new(Code::DocumentInvalid, format!("{vm_what}.transparency_entries is not an array")))?;
        if entries.is_empty() {
            return err(Code::DocumentInvalid, format!("{vm_what}.transparency_entries is empty"));
        }
        let env_what = format!("{what}.envelope");
        let env = obj(field(o, "envelope", what)?, &env_what)?;
        let statement = string(env, "statement", &env_what, MAX_STATEMENT_B64)?;
        let signature = string(env, "signature", &env_what, MAX_SIG_B64)?;
        let bundle = json!({
            "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
            "verificationMaterial": { "certificate": { "rawBytes": cert }, "tlogEntries": entries },
            "dsseEnvelope": {
                "payload": statement,
                "payloadType": "application/vnd.in-toto+json",
                "signatures": [ { "sig": signature } ],
            },
        });
        let bundle = Bundle::from_value(&bundle).map_err(|e| Error::from(e).at(what))?;
        Ok(Attestation { bundle })
    }

    pub fn from_json(text: &str) -> Result<Attestation> {
        let v = sigstore_protojson::parse(text, Code::DocumentInvalid, "attestation")?;
        Attestation::from_value(&v, "attestation")
    }
}

impl Attestation {
    /// The sha256 its statement's first subject claims (lowercase hex), not yet verified: for a
    /// caller that holds a set of allowed digests (a requirements file's `--hash` values) to
    /// pick the one to verify against.
    pub fn claimed_sha256(&self) -> Option<String> {
        let sigstore_verifier::bundle::Content::Dsse(env) = &self.bundle.content else { return None };
        let statement = env.statement.as_ref().ok()?;
        let digest = statement.value.get("subject")?.get(0)?.get("digest")?.get("sha256")?.as_str()?;
        Some(digest.to_ascii_lowercase())
    }
}

impl Provenance {
    /// Parse a provenance object.
    pub fn from_json(text: &str) -> Result<Provenance> {
        let v = sigstore_protojson::parse(text, Code::DocumentInvalid, "provenance")?;
        let o = obj(&v, "provenance")?;
        version_1(o, "provenance")?;
        let list = field(o, "attestation_bundles", "provenance")?
            .as_array()
            .ok_or_else(|| Error::new(Code::DocumentInvalid, "provenance.attestation_bundles is not an array"))?;
        if list.len() > MAX_BUNDLES {
            return err(Code::DocumentInvalid, format!("{} attestation bundles (at most {MAX_BUNDLES})", list.len()));
        }
        let mut bundles = Vec::with_capacity(list.len());
        for (i, b) in list.iter().enumerate() {
            let what = format!("attestation_bundles[{i}]");
            let bo = obj(b, &what)?;
            let publisher = Publisher::from_value(field(bo, "publisher", &what)?, &format!("{what}.publisher"))?;
            let atts = field(bo, "attestations", &what)?
                .as_array()
                .ok_or_else(|| Error::new(Code::DocumentInvalid, format!("{what}.attestations is not an array")))?;
            if atts.len() > MAX_ATTESTATIONS {
                return err(Code::DocumentInvalid, format!("{what}: {} attestations (at most {MAX_ATTESTATIONS})", atts.len()));
            }
            let attestations =
                atts.iter().enumerate().map(|(j, a)| Attestation::from_value(a, &format!("{what}.attestations[{j}]"))).collect::<Result<Vec<_>>>()?;
            bundles.push(AttestationBundle { publisher, attestations });
        }
        Ok(Provenance { bundles })
    }
}
