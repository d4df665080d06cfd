//! The entry body (`canonicalizedBody`): parsed once, when the bundle is ([`parse`]), into a
//! typed [`Body`]; then compared field by field with the bundle's own signature, signer and
//! artifact ([`check`]). A log entry only vouches for what its body says; a body about another
//! signature, key or artifact proves nothing about this bundle.
//!
//! Body schemas: Rekor v1 `pkg/types/{hashedrekord/v0.0.1, dsse/v0.0.1, intoto/v0.0.2}`
//! (JSON, bytes as base64, hashes as hex) and Rekor v2 `rekor-tiles` protobuf-JSON entries
//! `hashedRekordV002` / `dsseV002` (bytes as base64, hash algorithms as `SHA2_256` etc.).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::{Expected, Signer};
use crate::bundle::{Content, Envelope};
use crate::crypto::HashAlg;
use crate::dsse;
use crate::encoding::{b64_decode, hex_decode, pem_decode};
use crate::error::{err, Code, Error, Result};
use crate::json::{self, Obj};

/// The entry kinds this verifier understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Rekor v1 `hashedrekord` 0.0.1.
    HashedRekordV001,
    /// Rekor v1 `dsse` 0.0.1.
    DsseV001,
    /// Rekor v1 `intoto` 0.0.2.
    IntotoV002,
    /// Rekor v2 `hashedrekord` 0.0.2.
    HashedRekordV002,
    /// Rekor v2 `dsse` 0.0.2.
    DsseV002,
}

impl Kind {
    fn from_kind_version(kind: &str, version: &str) -> Option<Self> {
        Some(match (kind, version) {
            ("hashedrekord", "0.0.1") => Kind::HashedRekordV001,
            ("dsse", "0.0.1") => Kind::DsseV001,
            ("intoto", "0.0.2") => Kind::IntotoV002,
            ("hashedrekord", "0.0.2") => Kind::HashedRekordV002,
            ("dsse", "0.0.2") => Kind::DsseV002,
            _ => return None,
        })
    }

    /// Entries of these kinds come from Rekor v2 (rekor-tiles) logs.
    pub fn rekor_v2(self) -> bool {
        matches!(self, Kind::HashedRekordV002 | Kind::DsseV002)
    }
}

/// A parsed body: its kind, and its `spec` as typed fields.
///
/// The header (`kind`, `apiVersion`, their agreement with the bundle's `kindVersion`) is
/// checked by [`parse`]. A malformed `spec` is kept as `Err`, in [`Body::spec`] or in the
/// [`Field`] it concerns, and raised by [`check`] when it reaches that field: where, in the
/// verification order, the verifier has always reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    pub kind: Kind,
    pub kind_name: String,
    pub version: String,
    pub spec: Result<Spec>,
}

impl Body {
    /// The hash algorithm of the artifact digest a hashedrekord entry records (`spec.data.hash`
    /// in 0.0.1, `data` in 0.0.2): the hash the message signature was made over. `None` for
    /// other kinds or a malformed field.
    pub fn message_digest_alg(&self) -> Option<HashAlg> {
        match self.spec.as_ref().ok()? {
            Spec::HashedRekordV001 { data_hash: Ok(h), .. } | Spec::HashedRekordV002 { data: Ok(h), .. } => Some(h.alg),
            _ => None,
        }
    }
}

/// One parsed field of a spec: `Err` is its parse failure (`TLOG_ENTRY_INVALID`, or
/// `TLOG_BODY_MISMATCH` for a value that cannot be the bundle's whatever the bundle holds),
/// raised by [`check`] when it reaches the field.
pub type Field<T> = Result<T>;

/// The fields of a body's `spec`, per kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    /// hashedrekord 0.0.1: `spec.data.hash`, `spec.signature.content`,
    /// `spec.signature.publicKey.content`.
    HashedRekordV001 { data_hash: Field<LoggedHash>, signature: Field<Vec<u8>>, verifier: Field<LoggedVerifier> },
    /// dsse 0.0.1: `spec.payloadHash`, `spec.signatures[] {signature, verifier}`.
    DsseV001 { payload_hash: Field<LoggedHash>, signatures: Field<Vec<LoggedSignature>> },
    /// intoto 0.0.2: `spec.content.payloadHash`, `spec.content.envelope`.
    IntotoV002 { payload_hash: Field<LoggedHash>, envelope: Field<LoggedEnvelope> },
    /// hashedrekord 0.0.2: `spec.hashedRekordV002 {data, signature {content, verifier}}`.
    HashedRekordV002 { data: Field<LoggedHash>, signature: Field<Vec<u8>>, verifier: Field<LoggedVerifier> },
    /// dsse 0.0.2: `spec.dsseV002 {payloadHash, signatures[] {content, verifier}}`.
    DsseV002 { payload_hash: Field<LoggedHash>, signatures: Field<Vec<LoggedSignature>> },
}

/// A digest the log recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedHash {
    pub alg: HashAlg,
    pub digest: Vec<u8>,
}

/// The key or certificate the log recorded as the signer's: a PEM block (Rekor v1) or a
/// protobuf `Verifier` (Rekor v2), as DER.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoggedVerifier {
    Certificate(Vec<u8>),
    PublicKey(Vec<u8>),
    /// A PEM block of another label: it names no signer.
    Other,
}

/// One recorded DSSE signature and who made it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedSignature {
    pub signature: Vec<u8>,
    pub verifier: LoggedVerifier,
}

/// The envelope an intoto 0.0.2 entry records (`spec.content.envelope`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedEnvelope {
    pub payload_type: String,
    pub payload: Field<LoggedPayload>,
    pub signatures: Field<Vec<LoggedSignature>>,
}

/// The payload an intoto 0.0.2 entry may keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoggedPayload {
    Absent,
    Bytes(Vec<u8>),
    /// Present but not base64 of base64: not the envelope's payload.
    NotDoubleBase64,
}

fn mismatch<T>(msg: impl Into<String>) -> Result<T> {
    err(Code::TlogBodyMismatch, format!("canonicalizedBody: {}", msg.into()))
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(Code::TlogEntryInvalid, format!("canonicalizedBody: {}", msg.into()))
}

/// Parse `canonicalizedBody` as `{apiVersion, kind, spec}` -> `TLOG_ENTRY_INVALID`. The
/// bundle's `kindVersion` (`kind`, `version`) is not authenticated (it sits outside the logged
/// body), so it must equal the body's own -> `TLOG_BODY_MISMATCH`; a kind this verifier does
/// not know -> `TLOG_KIND_UNSUPPORTED`. The spec's fields are parsed for the kind
/// ([`Body::spec`]).
pub fn parse(canonicalized_body: &[u8], kind: &str, version: &str) -> Result<Body> {
    let text = core::str::from_utf8(canonicalized_body).map_err(|_| invalid("is not UTF-8"))?;
    let v = json::parse(text, Code::TlogEntryInvalid, "canonicalizedBody")?;
    let o = Obj::new(&v, "canonicalizedBody", Code::TlogEntryInvalid)?;
    let kind_name = o.req_str("kind")?;
    let api_version = o.req_str("apiVersion")?;
    if kind_name != kind || api_version != version {
        return mismatch(format!("body is {kind_name} {api_version} but kindVersion says {kind} {version}"));
    }
    let Some(body_kind) = Kind::from_kind_version(kind_name, api_version) else {
        return err(Code::TlogKindUnsupported, format!("tlog entry kind {kind_name} {api_version} is not supported"));
    };
    let spec = match o.get("spec") {
        Some(s @ Value::Object(_)) => Obj::new(s, "spec", Code::TlogEntryInvalid)?,
        _ => return Err(invalid("spec is missing or not an object")),
    };
    Ok(Body { kind: body_kind, kind_name: kind_name.into(), version: api_version.into(), spec: parse_spec(body_kind, &spec) })
}

/// The spec's fields for `kind`; every failure is `TLOG_ENTRY_INVALID`.
fn parse_spec(kind: Kind, spec: &Obj) -> Result<Spec> {
    match kind {
        Kind::HashedRekordV001 => hashedrekord_v001_spec(spec),
        Kind::DsseV001 => dsse_v001_spec(spec),
        Kind::IntotoV002 => intoto_v002_spec(spec),
        Kind::HashedRekordV002 => hashedrekord_v002_spec(spec),
        Kind::DsseV002 => dsse_v002_spec(spec),
    }
}

/// A required sub-object.
fn sub<'a>(o: &Obj<'a>, field: &str, path: &'a str) -> Result<Obj<'a>> {
    let v = o.get(field).ok_or_else(|| o.fail(field, "is missing"))?;
    Obj::new(v, path, Code::TlogEntryInvalid)
}

/// Hex digest `{algorithm: "sha256", value: HEX}` (Rekor v1).
fn hex_hash(o: &Obj) -> Result<LoggedHash> {
    let alg = HashAlg::from_name(o.req_str("algorithm")?).ok_or_else(|| o.fail("algorithm", "unsupported hash algorithm"))?;
    let digest = hex_decode(o.req_str("value")?).ok_or_else(|| o.fail("value", "is not hex"))?;
    Ok(LoggedHash { alg, digest })
}

/// Protobuf `HashOutput {algorithm: "SHA2_256", digest: base64}` (Rekor v2).
fn proto_hash(o: &Obj) -> Result<LoggedHash> {
    let alg = HashAlg::from_proto(o.req_str("algorithm")?).ok_or_else(|| o.fail("algorithm", "unsupported hash algorithm"))?;
    Ok(LoggedHash { alg, digest: o.req_bytes("digest")? })
}

/// A PEM block (RFC 7468) naming the signer: a CERTIFICATE or a PUBLIC KEY (SPKI).
fn pem_verifier(pem: &[u8]) -> Result<LoggedVerifier> {
    let text = core::str::from_utf8(pem).map_err(|_| invalid("verifier PEM is not UTF-8"))?;
    let label = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or_else(|| invalid("verifier is not PEM"))?;
    let der = pem_decode(text, label).ok_or_else(|| invalid("verifier is not PEM"))?;
    Ok(match label {
        "CERTIFICATE" => LoggedVerifier::Certificate(der),
        "PUBLIC KEY" => LoggedVerifier::PublicKey(der),
        _ => LoggedVerifier::Other,
    })
}

/// Rekor v2 `Verifier {x509Certificate{rawBytes} | publicKey{rawBytes}, keyDetails}`.
/// `keyDetails` is informational here: the signature scheme comes from the verified key.
fn proto_verifier(v: &Obj) -> Result<LoggedVerifier> {
    match (v.get("x509Certificate"), v.get("publicKey")) {
        (Some(c), None) => Ok(LoggedVerifier::Certificate(Obj::new(c, "verifier.x509Certificate", Code::TlogEntryInvalid)?.req_bytes("rawBytes")?)),
        (None, Some(k)) => Ok(LoggedVerifier::PublicKey(Obj::new(k, "verifier.publicKey", Code::TlogEntryInvalid)?.req_bytes("rawBytes")?)),
        _ => Err(invalid("verifier must hold exactly one of x509Certificate, publicKey")),
    }
}

/// Decode the inner base64 layer of an intoto 0.0.2 field.
fn double_b64(outer_decoded: &[u8]) -> Option<Vec<u8>> {
    core::str::from_utf8(outer_decoded).ok().and_then(b64_decode)
}

/// A parsed field of a sub-object that may itself have failed to parse.
fn field_of<T>(o: &Result<Obj>, f: impl FnOnce(&Obj) -> Result<T>) -> Field<T> {
    o.as_ref().map_err(Clone::clone).and_then(f)
}

/// hashedrekord 0.0.1: `spec.data.hash {algorithm, value(hex)}`, `spec.signature.content`
/// (base64 signature), `spec.signature.publicKey.content` (base64 PEM certificate or key).
fn hashedrekord_v001_spec(spec: &Obj) -> Result<Spec> {
    let data_hash = sub(spec, "data", "spec.data").and_then(|d| hex_hash(&sub(&d, "hash", "spec.data.hash")?));
    let sig = sub(spec, "signature", "spec.signature");
    let signature = field_of(&sig, |s| s.req_bytes("content"));
    let verifier = field_of(&sig, |s| pem_verifier(&sub(s, "publicKey", "spec.signature.publicKey")?.req_bytes("content")?));
    Ok(Spec::HashedRekordV001 { data_hash, signature, verifier })
}

/// dsse 0.0.1: `spec.payloadHash {algorithm, value(hex)}` of the payload and
/// `spec.signatures[] {signature(base64), verifier(base64 PEM)}`.
///
/// `spec.envelopeHash` is the hash of the envelope as Rekor serialized it; that serialization
/// (field order, base64 flavour, keyid handling) cannot be rebuilt byte for byte from the bundle,
/// so it is not kept. The payload hash and the signatures bind the entry to the envelope.
fn dsse_v001_spec(spec: &Obj) -> Result<Spec> {
    let payload_hash = sub(spec, "payloadHash", "spec.payloadHash").and_then(|h| hex_hash(&h));
    let signatures = (|| {
        let mut out = Vec::new();
        for (i, s) in spec.arr("signatures")?.iter().enumerate() {
            let path = format!("spec.signatures[{i}]");
            let o = Obj::new(s, &path, Code::TlogEntryInvalid)?;
            let signature = o.req_bytes("signature")?;
            out.push(LoggedSignature { signature, verifier: pem_verifier(&o.req_bytes("verifier")?)? });
        }
        Ok(out)
    })();
    Ok(Spec::DsseV001 { payload_hash, signatures })
}

/// intoto 0.0.2: `spec.content.envelope {payloadType, payload?, signatures[{sig, publicKey}]}`,
/// `spec.content.payloadHash {algorithm, value(hex)}`.
///
/// Rekor stores the envelope's byte fields with one extra layer of base64: `sig` is base64 of
/// the base64 signature text, `payload` (when kept) base64 of the base64 payload text, while
/// `publicKey` is base64 of the PEM. `spec.content.hash` is the hash of the envelope as Rekor
/// serialized it and cannot be rebuilt byte for byte; it is not kept.
fn intoto_v002_spec(spec: &Obj) -> Result<Spec> {
    let content = sub(spec, "content", "spec.content")?;
    let payload_hash = sub(&content, "payloadHash", "spec.content.payloadHash").and_then(|h| hex_hash(&h));
    let envelope = sub(&content, "envelope", "spec.content.envelope").and_then(|le| {
        let payload_type = le.req_str("payloadType")?.into();
        let payload = le.bytes("payload").map(|p| match p {
            None => LoggedPayload::Absent,
            Some(p) => double_b64(&p).map_or(LoggedPayload::NotDoubleBase64, LoggedPayload::Bytes),
        });
        Ok(LoggedEnvelope { payload_type, payload, signatures: intoto_signatures(&le) })
    });
    Ok(Spec::IntotoV002 { payload_hash, envelope })
}

/// `spec.content.envelope.signatures[] {sig, publicKey}`. A `sig` without its inner base64
/// layer cannot be any envelope signature -> `TLOG_BODY_MISMATCH`.
fn intoto_signatures(le: &Obj) -> Field<Vec<LoggedSignature>> {
    let mut out = Vec::new();
    for (i, s) in le.arr("signatures")?.iter().enumerate() {
        let path = format!("spec.content.envelope.signatures[{i}]");
        let o = Obj::new(s, &path, Code::TlogEntryInvalid)?;
        let Some(signature) = double_b64(&o.req_bytes("sig")?) else {
            return mismatch(format!("{path}.sig is not base64 of a base64 signature, so not the envelope's"));
        };
        out.push(LoggedSignature { signature, verifier: pem_verifier(&o.req_bytes("publicKey")?)? });
    }
    Ok(out)
}

/// hashedrekord 0.0.2 (`spec.hashedRekordV002`): `data {algorithm, digest}`,
/// `signature {content, verifier}`.
fn hashedrekord_v002_spec(spec: &Obj) -> Result<Spec> {
    let hr = sub(spec, "hashedRekordV002", "spec.hashedRekordV002")?;
    let data = sub(&hr, "data", "spec.hashedRekordV002.data")?;
    let sig = sub(&hr, "signature", "spec.hashedRekordV002.signature")?;
    let verifier = sub(&sig, "verifier", "spec.hashedRekordV002.signature.verifier")?;
    Ok(Spec::HashedRekordV002 { data: proto_hash(&data), signature: sig.req_bytes("content"), verifier: proto_verifier(&verifier) })
}

/// dsse 0.0.2 (`spec.dsseV002`): `payloadHash {algorithm, digest}` of the payload and
/// `signatures[] {content, verifier}`.
fn dsse_v002_spec(spec: &Obj) -> Result<Spec> {
    let d = sub(spec, "dsseV002", "spec.dsseV002")?;
    let payload_hash = sub(&d, "payloadHash", "spec.dsseV002.payloadHash").and_then(|h| proto_hash(&h));
    let signatures = (|| {
        let mut out = Vec::new();
        for (i, s) in d.arr("signatures")?.iter().enumerate() {
            let path = format!("spec.dsseV002.signatures[{i}]");
            let o = Obj::new(s, &path, Code::TlogEntryInvalid)?;
            let vpath = format!("{path}.verifier");
            let v = Obj::new(o.get("verifier").ok_or_else(|| o.fail("verifier", "is missing"))?, &vpath, Code::TlogEntryInvalid)?;
            let signature = o.req_bytes("content")?;
            out.push(LoggedSignature { signature, verifier: proto_verifier(&v)? });
        }
        Ok(out)
    })();
    Ok(Spec::DsseV002 { payload_hash, signatures })
}

/// Compare the body with the bundle, field by field, for its kind, in the order of the kind's
/// schema: a DSSE-only kind against a message signature -> `TLOG_BODY_MISMATCH`; each field, a
/// malformed one -> `TLOG_ENTRY_INVALID`, one that differs from the bundle's ->
/// `TLOG_BODY_MISMATCH`.
pub fn check(body: &Body, expected: &Expected) -> Result<()> {
    match body.kind {
        Kind::HashedRekordV001 => {
            let Content::MessageSignature { signature, .. } = expected.content else {
                return mismatch("a hashedrekord 0.0.1 entry records a message signature, but the bundle holds a DSSE envelope");
            };
            let Spec::HashedRekordV001 { data_hash, signature: logged, verifier } = spec(body)? else { return Err(wrong_spec()) };
            check_hash(field(data_hash)?, "the logged artifact digest", |alg| artifact_digest(expected, alg))?;
            if field(logged)? != signature {
                return mismatch("the logged signature differs from the bundle's");
            }
            if !is_signer(field(verifier)?, &expected.signer) {
                return mismatch("the logged public key or certificate is not the bundle's signer");
            }
            Ok(())
        }
        Kind::DsseV001 | Kind::DsseV002 => {
            let env = envelope(expected, "dsse")?;
            let (Spec::DsseV001 { payload_hash, signatures } | Spec::DsseV002 { payload_hash, signatures }) = spec(body)? else {
                return Err(wrong_spec());
            };
            check_hash(field(payload_hash)?, "the logged payload hash", |alg| Ok(alg.digest(&env.payload)))?;
            check_signature_list(field(signatures)?, env, &expected.signer)
        }
        Kind::IntotoV002 => {
            let env = envelope(expected, "intoto")?;
            let Spec::IntotoV002 { payload_hash, envelope: logged } = spec(body)? else { return Err(wrong_spec()) };
            check_hash(field(payload_hash)?, "the logged payload hash", |alg| Ok(alg.digest(&env.payload)))?;
            let logged = field(logged)?;
            if logged.payload_type != env.payload_type {
                return mismatch("the logged payloadType differs from the envelope's");
            }
            match field(&logged.payload)? {
                LoggedPayload::Absent => {}
                LoggedPayload::Bytes(p) if *p == env.payload => {}
                _ => return mismatch("the logged payload differs from the envelope's"),
            }
            check_signature_list(field(&logged.signatures)?, env, &expected.signer)
        }
        Kind::HashedRekordV002 => {
            let Spec::HashedRekordV002 { data, signature, verifier } = spec(body)? else { return Err(wrong_spec()) };
            hashedrekord_v002(data, signature, verifier, expected)
        }
    }
}

/// A field's value, or the failure its parse recorded.
fn field<T>(f: &Field<T>) -> Result<&T> {
    f.as_ref().map_err(Clone::clone)
}

/// The typed spec, or the failure its parse recorded.
fn spec(body: &Body) -> Result<&Spec> {
    body.spec.as_ref().map_err(Clone::clone)
}

/// A spec of another kind than the body's: [`parse`] never builds one.
fn wrong_spec() -> Error {
    invalid("spec does not match the body's kind")
}

fn envelope<'a>(e: &'a Expected<'_>, kind: &str) -> Result<&'a Envelope> {
    match e.content {
        Content::Dsse(env) => Ok(env),
        Content::MessageSignature { .. } => mismatch(format!("a {kind} entry records a DSSE envelope, but the bundle holds a message signature")),
    }
}

/// The artifact's digest under the algorithm the log recorded.
fn artifact_digest(e: &Expected, alg: HashAlg) -> Result<Vec<u8>> {
    match e.artifact.digest(alg) {
        Some(d) => Ok(d.to_vec()),
        None => mismatch(format!(
            "the log entry records a {} digest of the artifact; the artifact was given only as a digest in another algorithm, so they cannot be compared",
            alg.name()
        )),
    }
}

/// A logged digest compared with `want(alg)`.
fn check_hash(logged: &LoggedHash, what: &str, want: impl Fn(HashAlg) -> Result<Vec<u8>>) -> Result<()> {
    if logged.digest != want(logged.alg)? {
        return mismatch(format!("{what} differs from the bundle's"));
    }
    Ok(())
}

/// Does the logged verifier name the signer? A certificate must be the signer's certificate
/// byte for byte; a public key the signer's key (SPKI DER).
fn is_signer(v: &LoggedVerifier, signer: &Signer) -> bool {
    match (v, signer) {
        (LoggedVerifier::Certificate(der), Signer::Cert(c)) => der.as_slice() == c.der(),
        (LoggedVerifier::PublicKey(der), Signer::Key(k)) => der.as_slice() == k.der(),
        _ => false,
    }
}

/// The logged signatures must be exactly the envelope's, each by the signer: same count,
/// same multiset of signature bytes.
fn check_signature_list(logged: &[LoggedSignature], env: &Envelope, signer: &Signer) -> Result<()> {
    if logged.len() != env.signatures.len() {
        return mismatch(format!("the entry records {} signatures, the envelope holds {}", logged.len(), env.signatures.len()));
    }
    if logged.iter().any(|s| !is_signer(&s.verifier, signer)) {
        return mismatch("a recorded signature's verifier is not the bundle's signer");
    }
    let mut ours: Vec<&[u8]> = env.signatures.iter().map(|s| s.sig.as_slice()).collect();
    let mut theirs: Vec<&[u8]> = logged.iter().map(|s| s.signature.as_slice()).collect();
    ours.sort_unstable();
    theirs.sort_unstable();
    if ours != theirs {
        return mismatch("the recorded signatures differ from the envelope's");
    }
    Ok(())
}

/// hashedrekord 0.0.2: with a message signature the digest is the artifact's; with a DSSE
/// envelope (how Rekor v2 clients log DSSE) it is the hash of PAE(envelope) and the content the
/// envelope's single signature.
fn hashedrekord_v002(data: &Field<LoggedHash>, logged: &Field<Vec<u8>>, verifier: &Field<LoggedVerifier>, e: &Expected) -> Result<()> {
    let signature: &[u8] = match e.content {
        Content::MessageSignature { signature, .. } => {
            check_hash(field(data)?, "the logged artifact digest", |alg| artifact_digest(e, alg))?;
            signature
        }
        Content::Dsse(env) => {
            let [only] = env.signatures.as_slice() else {
                return mismatch("a hashedrekord entry records one signature, the envelope holds several");
            };
            let pae = dsse::pae(&env.payload_type, &env.payload);
            check_hash(field(data)?, "the logged digest of PAE(envelope)", |alg| Ok(alg.digest(&pae)))?;
            &only.sig
        }
    };
    if field(logged)? != signature {
        return mismatch("the logged signature differs from the bundle's");
    }
    if !is_signer(field(verifier)?, &e.signer) {
        return mismatch("the logged verifier is not the bundle's signer");
    }
    Ok(())
}
