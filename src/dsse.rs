//! DSSE envelopes and the in-toto statements they carry: the signature is over PAE(type,
//! payload); an in-toto statement binds the artifact through one of its subjects' digests.
//!
//! The statement is parsed once, with the bundle ([`parse_statement`]), into a typed
//! [`Statement`]; [`check_statement`] then only compares its subjects' digests.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use crate::artifact::Hashed;
use crate::bundle::Envelope;
use crate::crypto::{HashAlg, Message, PublicKey, Scheme, SigCheck};
use crate::encoding::hex_decode;
use crate::error::{err, Code, Error, Result};
use crate::json;

pub const INTOTO_PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
const STATEMENT_TYPES: [&str; 2] = ["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"];
/// At most this many subjects (sigstore-go's default).
pub const MAX_SUBJECTS: usize = 1024;
/// At most this many entries in one subject's `digest` map (as sigstore-go).
pub const MAX_SUBJECT_DIGESTS: usize = 32;

/// DSSE v1 pre-authentication encoding (DSSE protocol, "Signature definition"):
/// `"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload`, lengths as ASCII decimal.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let t = payload_type.as_bytes();
    let head = format!("DSSEv1 {} ", t.len());
    let mid = format!(" {} ", payload.len());
    let mut out = Vec::with_capacity(head.len() + t.len() + mid.len() + payload.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(t);
    out.extend_from_slice(mid.as_bytes());
    out.extend_from_slice(payload);
    out
}

/// The envelope's single signature, as a check under the signer's key -> `DSSE_INVALID`.
/// Sigstore bundles carry exactly one DSSE signature. DSSE names no hash: an ECDSA P-384 or
/// P-521 key may have signed over its curve's hash or over SHA-256 (as sigstore-go and cosign
/// verify certificate keys), so either is accepted ([`Scheme::EcdsaOrSha256`]).
pub fn signature_check(env: &Envelope, key: &PublicKey) -> Result<SigCheck> {
    let [sig] = env.signatures.as_slice() else {
        return err(Code::DsseInvalid, format!("DSSE envelope must hold exactly one signature, found {}", env.signatures.len()));
    };
    Ok(SigCheck {
        code: Code::DsseInvalid,
        what: "dsseEnvelope.signatures[0]".into(),
        key: key.clone(),
        scheme: match key.default_scheme() {
            Scheme::Ecdsa(h) if h != HashAlg::Sha256 => Scheme::EcdsaOrSha256(h),
            s => s,
        },
        message: Message::Raw(pae(&env.payload_type, &env.payload)),
        signature: sig.sig.clone(),
    })
}

/// A parsed in-toto statement.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Statement {
    #[serde(rename = "statement")]
    pub value: Value,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The well-formed subjects, in order, up to the first malformed one.
    #[serde(skip)]
    pub subjects: Vec<Subject>,
    /// The failure of the first malformed subject, if any (`INTOTO_INVALID`): raised by
    /// [`check_statement`] only when no subject before it matches the artifact.
    #[serde(skip)]
    pub malformed_subject: Option<Error>,
}

/// One subject's digests under the algorithms this verifier computes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    /// (algorithm, digest); the digest is `None` when its value is not hex.
    pub digests: Vec<(HashAlg, Option<Vec<u8>>)>,
}

/// Parse a DSSE payload as an in-toto statement (in-toto attestation framework, Statement v1;
/// v0.1 accepted): the payload type must be in-toto's, the payload JSON with a known `_type`
/// and 1..=[`MAX_SUBJECTS`] subjects -> `INTOTO_INVALID` (`BUNDLE_LIMIT_EXCEEDED` beyond).
pub fn parse_statement(payload_type: &str, payload: &[u8]) -> Result<Statement> {
    if payload_type != INTOTO_PAYLOAD_TYPE {
        return err(Code::IntotoInvalid, format!("DSSE payloadType {payload_type:?} is not {INTOTO_PAYLOAD_TYPE}: nothing binds the artifact"));
    }
    let text = core::str::from_utf8(payload).map_err(|_| Error::new(Code::IntotoInvalid, "in-toto payload is not UTF-8"))?;
    let value = json::parse(text, Code::IntotoInvalid, "in-toto statement")?;
    let o = json::Obj::new(&value, "statement", Code::IntotoInvalid)?;
    let ty = o.req_str("_type")?;
    if !STATEMENT_TYPES.contains(&ty) {
        return err(Code::IntotoInvalid, format!("unsupported statement _type {ty:?}"));
    }
    let predicate_type = o.str("predicateType")?.unwrap_or_default().into();
    let list = o.arr("subject")?;
    if list.is_empty() {
        return err(Code::IntotoInvalid, "statement has no subject");
    }
    if list.len() > MAX_SUBJECTS {
        return err(Code::BundleLimitExceeded, format!("statement has {} subjects (at most {MAX_SUBJECTS})", list.len()));
    }
    let mut subjects = Vec::with_capacity(list.len());
    let mut malformed_subject = None;
    for (i, s) in list.iter().enumerate() {
        if let Some(Value::Object(digests)) = s.get("digest") {
            if digests.len() > MAX_SUBJECT_DIGESTS {
                return err(Code::BundleLimitExceeded, format!("subject[{i}].digest has {} entries (at most {MAX_SUBJECT_DIGESTS})", digests.len()));
            }
        }
        match parse_subject(s, &format!("subject[{i}]")) {
            Ok(s) => subjects.push(s),
            Err(e) => {
                malformed_subject = Some(e);
                break;
            }
        }
    }
    Ok(Statement { value, predicate_type, subjects, malformed_subject })
}

/// A subject's `digest` map (in-toto ResourceDescriptor): entries under algorithms this
/// verifier does not compute, or whose value is not a string, are skipped.
fn parse_subject(s: &Value, path: &str) -> Result<Subject> {
    let so = json::Obj::new(s, path, Code::IntotoInvalid)?;
    let Some(Value::Object(map)) = so.get("digest") else {
        return err(Code::IntotoInvalid, format!("{path}.digest is missing"));
    };
    let digests = map.iter().filter_map(|(alg, hex)| Some((HashAlg::from_name(alg)?, hex_decode(hex.as_str()?)))).collect();
    Ok(Subject { digests })
}

/// Raise the envelope's statement parse failure, if any, then require a subject whose digest
/// equals the artifact's under an algorithm we can compute -> `ARTIFACT_MISMATCH`.
pub fn check_statement(env: &Envelope, artifact: &Hashed) -> Result<Statement> {
    let statement = env.statement.as_ref().map_err(Clone::clone)?;
    match_subject(statement, artifact)?;
    Ok(statement.clone())
}

/// The subjects in order: the first digest equal to the artifact's passes; a malformed subject
/// reached before any match fails `INTOTO_INVALID`; no match `ARTIFACT_MISMATCH`.
pub fn match_subject(statement: &Statement, artifact: &Hashed) -> Result<()> {
    let mut comparable = false;
    for subject in &statement.subjects {
        for (alg, digest) in &subject.digests {
            let Some(want) = artifact.digest(*alg) else { continue };
            comparable = true;
            if digest.as_deref() == Some(want) {
                return Ok(());
            }
        }
    }
    if let Some(e) = &statement.malformed_subject {
        return Err(e.clone());
    }
    if comparable {
        err(Code::ArtifactMismatch, "no in-toto subject digest matches the artifact")
    } else {
        err(Code::ArtifactMismatch, "no in-toto subject has a digest in an algorithm known for the artifact")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use crate::artifact::Artifact;

    #[test]
    fn pae_layout() {
        // The DSSE protocol's example: PAE("http://example.com/HelloWorld", "hello world").
        assert_eq!(pae("http://example.com/HelloWorld", b"hello world"), b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec());
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    const SHA256_HELLO: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    fn statement(subjects: &str) -> String {
        format!(r#"{{"_type":"https://in-toto.io/Statement/v1","predicateType":"p","subject":{subjects}}}"#)
    }

    #[test]
    fn statement_parse_errors() {
        let bad = |t: &str, p: &str| parse_statement(t, p.as_bytes()).unwrap_err().code;
        assert_eq!(bad("text/plain", &statement("[]")), Code::IntotoInvalid);
        assert_eq!(bad(INTOTO_PAYLOAD_TYPE, "{"), Code::IntotoInvalid);
        assert_eq!(bad(INTOTO_PAYLOAD_TYPE, r#"{"_type":"x","subject":[{"digest":{}}]}"#), Code::IntotoInvalid);
        assert_eq!(bad(INTOTO_PAYLOAD_TYPE, &statement("[]")), Code::IntotoInvalid);
        let many = format!("[{}]", alloc::vec![r#"{"digest":{}}"#; MAX_SUBJECTS + 1].join(","));
        assert_eq!(bad(INTOTO_PAYLOAD_TYPE, &statement(&many)), Code::BundleLimitExceeded);
        let digests: alloc::vec::Vec<String> = (0..=MAX_SUBJECT_DIGESTS).map(|i| format!(r#""alg{i}":"00""#)).collect();
        let wide = format!(r#"[{{"digest":{{{}}}}}]"#, digests.join(","));
        assert_eq!(bad(INTOTO_PAYLOAD_TYPE, &statement(&wide)), Code::BundleLimitExceeded);
    }

    #[test]
    fn statement_parsed_once_then_compared() {
        let hello_bytes = Artifact::Bytes(b"hello");
        let other_bytes = Artifact::Bytes(b"other");
        let (hello, other) = (Hashed::new(&hello_bytes), Hashed::new(&other_bytes));
        let s = parse_statement(INTOTO_PAYLOAD_TYPE, statement(&format!(r#"[{{"digest":{{"sha256":"{SHA256_HELLO}","md5":"00","sha512":7}}}}]"#)).as_bytes())
            .unwrap();
        assert_eq!(s.predicate_type, "p");
        assert_eq!(s.subjects, [Subject { digests: alloc::vec![(HashAlg::Sha256, hex_decode(SHA256_HELLO))] }]);
        match_subject(&s, &hello).unwrap();
        assert_eq!(match_subject(&s, &other).unwrap_err().code, Code::ArtifactMismatch);

        // A malformed subject after a matching one does not matter; before any match it fails.
        let text = statement(&format!(r#"[{{"digest":{{"sha256":"{SHA256_HELLO}"}}}}, {{"name":"no digest"}}]"#));
        let s = parse_statement(INTOTO_PAYLOAD_TYPE, text.as_bytes()).unwrap();
        assert_eq!(s.subjects.len(), 1);
        assert!(s.malformed_subject.is_some());
        match_subject(&s, &hello).unwrap();
        assert_eq!(match_subject(&s, &other).unwrap_err().code, Code::IntotoInvalid);
    }
}
