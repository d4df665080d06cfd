//! The registry's attestations document, `GET /-/npm/v1/attestations/NAME@VERSION`:
//! `{"attestations":[{"predicateType": "...", "bundle": {…Sigstore bundle…}}, …]}`.
//! Extra fields (e.g. `signedAccessSignatureUrl`) are ignored.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::json;
use crate::error::{err, Code, Error, Result};
use sigstore_verifier::bundle::Bundle;

/// SLSA Provenance v1 (`npm publish --provenance` since npm 9.7 / trusted publishing).
pub const PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// SLSA Provenance v0.2 (npm 9.5 to 9.6).
pub const PROVENANCE_V02: &str = "https://slsa.dev/provenance/v0.2";
/// npm's publish attestation, signed by the registry.
pub const PUBLISH_V01: &str = "https://github.com/npm/attestation/tree/main/specs/publish/v0.1";
/// npm serves two; anything far beyond that is not a registry document.
const MAX_ATTESTATIONS: usize = 16;

/// What an attestation is, by its listed predicate type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Provenance,
    Publish,
    /// A predicate type this verifier does not know; reported, never verified.
    Other,
}

impl Kind {
    pub fn of(predicate_type: &str) -> Kind {
        match predicate_type {
            PROVENANCE_V1 | PROVENANCE_V02 => Kind::Provenance,
            PUBLISH_V01 => Kind::Publish,
            _ => Kind::Other,
        }
    }
}

/// One entry of the document, its bundle parsed but not verified.
#[derive(Clone, Debug)]
pub struct Attestation {
    pub index: usize,
    pub predicate_type: String,
    pub kind: Kind,
    pub bundle: Bundle,
}

/// The parsed document: at most one provenance and one publish attestation.
#[derive(Clone, Debug, Default)]
pub struct Attestations {
    pub provenance: Option<Attestation>,
    pub publish: Option<Attestation>,
    /// Predicate types listed in the document, in order (known or not).
    pub predicate_types: Vec<String>,
}

impl Attestations {
    pub fn from_json(text: &str) -> Result<Self> {
        let v = json::parse(text, Code::DocumentInvalid, "attestations document")?;
        let o = json::Obj::new(&v, "attestations document", Code::DocumentInvalid)?;
        if o.get("attestations").is_none() {
            return Err(o.fail("attestations", "is missing"));
        }
        let list = o.arr("attestations")?;
        if list.len() > MAX_ATTESTATIONS {
            return err(Code::DocumentInvalid, format!("{} attestations (at most {MAX_ATTESTATIONS})", list.len()));
        }
        let mut out = Attestations::default();
        for (index, a) in list.iter().enumerate() {
            let path = format!("attestations[{index}]");
            let ao = json::Obj::new(a, &path, Code::DocumentInvalid)?;
            let predicate_type = String::from(ao.req_str("predicateType")?);
            let kind = Kind::of(&predicate_type);
            out.predicate_types.push(predicate_type.clone());
            if kind == Kind::Other {
                continue;
            }
            let b = ao.get("bundle").ok_or_else(|| ao.fail("bundle", "is missing"))?;
            let bundle = Bundle::from_value(b).map_err(|e| e.at(&format!("{path}.bundle")))?;
            let slot = match kind {
                Kind::Provenance => &mut out.provenance,
                _ => &mut out.publish,
            };
            if slot.is_some() {
                // Two attestations of one kind: which one counts would be the attacker's choice.
                return err(Code::DocumentInvalid, format!("{path}: a second {predicate_type} attestation"));
            }
            *slot = Some(Attestation { index, predicate_type, kind, bundle });
        }
        Ok(out)
    }
}

/// The signed statement must carry the predicate type the document lists for it.
pub fn check_predicate_type(att: &Attestation, signed: &str) -> Result<()> {
    if att.predicate_type != signed {
        return Err(Error::new(
            Code::DocumentInvalid,
            format!("attestations[{}] is listed as {:?} but its signed statement says {signed:?}", att.index, att.predicate_type),
        ));
    }
    Ok(())
}
