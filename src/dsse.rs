//! DSSE envelopes and the in-toto statements they carry: the signature is over PAE(type,
//! payload); an in-toto statement binds the artifact through one of its subjects' digests.

use alloc::format;
use alloc::string::String;
use serde_json::Value;

use crate::artifact::Artifact;
use crate::bundle::Envelope;
use crate::crypto::{HashAlg, Message, PublicKey, SigCheck};
use crate::encoding::hex_decode;
use crate::error::{err, Code, Error, Result};
use crate::json;

pub const INTOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
const STATEMENT_TYPES: [&str; 2] = ["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"];
/// At most this many subjects (sigstore-go's default).
pub const MAX_SUBJECTS: usize = 1024;

/// The envelope's single signature, as a check under the signer's key.
/// Sigstore bundles carry exactly one DSSE signature.
pub fn signature_check(env: &Envelope, key: &PublicKey) -> Result<SigCheck> {
    let [sig] = env.signatures.as_slice() else {
        return err(Code::DsseInvalid, format!("DSSE envelope must hold exactly one signature, found {}", env.signatures.len()));
    };
    Ok(SigCheck {
        code: Code::DsseInvalid,
        what: "dsseEnvelope.signatures[0]".into(),
        key: key.clone(),
        scheme: key.default_scheme(),
        message: Message::Raw(env.pae()),
        signature: sig.sig.clone(),
    })
}

/// A parsed in-toto statement.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Statement {
    #[serde(rename = "statement")]
    pub value: Value,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
}

/// Parse the payload as an in-toto statement and require a subject whose digest equals the
/// artifact's under an algorithm we can compute (in-toto attestation framework, Statement v1).
pub fn check_statement(env: &Envelope, artifact: &Artifact) -> Result<Statement> {
    if env.payload_type != INTOTO_PAYLOAD_TYPE {
        return err(Code::IntotoInvalid, format!("DSSE payloadType {:?} is not {INTOTO_PAYLOAD_TYPE}: nothing binds the artifact", env.payload_type));
    }
    let text = core::str::from_utf8(&env.payload).map_err(|_| Error::new(Code::IntotoInvalid, "in-toto payload is not UTF-8"))?;
    let value = json::parse(text, Code::IntotoInvalid, "in-toto statement")?;
    let o = json::Obj::new(&value, "statement", Code::IntotoInvalid)?;
    let ty = o.req_str("_type")?;
    if !STATEMENT_TYPES.contains(&ty) {
        return err(Code::IntotoInvalid, format!("unsupported statement _type {ty:?}"));
    }
    let predicate_type = o.str("predicateType")?.unwrap_or_default().into();
    let subjects = o.arr("subject")?;
    if subjects.is_empty() {
        return err(Code::IntotoInvalid, "statement has no subject");
    }
    if subjects.len() > MAX_SUBJECTS {
        return err(Code::BundleLimitExceeded, format!("statement has {} subjects (at most {MAX_SUBJECTS})", subjects.len()));
    }
    let mut comparable = false;
    for (i, s) in subjects.iter().enumerate() {
        let path = format!("subject[{i}]");
        let so = json::Obj::new(s, &path, Code::IntotoInvalid)?;
        let Some(Value::Object(digests)) = so.get("digest") else {
            return err(Code::IntotoInvalid, format!("{path}.digest is missing"));
        };
        for (alg, hex) in digests {
            let (Some(alg), Some(hex)) = (HashAlg::from_name(alg), hex.as_str()) else { continue };
            let Some(want) = artifact.digest(alg) else { continue };
            comparable = true;
            if hex_decode(hex).is_some_and(|d| d == want) {
                return Ok(Statement { value, predicate_type });
            }
        }
    }
    if comparable {
        err(Code::ArtifactMismatch, "no in-toto subject digest matches the artifact")
    } else {
        err(Code::ArtifactMismatch, "no in-toto subject has a digest in an algorithm known for the artifact")
    }
}
