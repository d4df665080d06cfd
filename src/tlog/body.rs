//! The entry body (`canonicalizedBody`): parsed, and compared field by field with the bundle's
//! own signature, signer and artifact. A log entry only vouches for what its body says; a body
//! about another signature, key or artifact proves nothing about this bundle.
//!
//! Body schemas: Rekor v1 `pkg/types/{hashedrekord/v0.0.1, dsse/v0.0.1, intoto/v0.0.2}`
//! (JSON, bytes as base64, hashes as hex) and Rekor v2 `rekor-tiles` protobuf-JSON entries
//! `hashedRekordV002` / `dsseV002` (bytes as base64, hash algorithms as `SHA2_256` etc.).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::{Expected, Signer};
use crate::bundle::{Content, Envelope, TlogEntry};
use crate::crypto::HashAlg;
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

/// A parsed body: its kind and the `spec` object.
#[derive(Clone, Debug)]
pub struct Body {
    pub kind: Kind,
    pub kind_name: String,
    pub version: String,
    pub spec: Value,
}

fn mismatch<T>(msg: impl Into<String>) -> Result<T> {
    err(Code::TlogBodyMismatch, format!("canonicalizedBody: {}", msg.into()))
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(Code::TlogEntryInvalid, format!("canonicalizedBody: {}", msg.into()))
}

/// Parse `canonicalizedBody` as `{apiVersion, kind, spec}`. The bundle's `kindVersion` is not
/// authenticated (it sits outside the logged body), so it must equal the body's own.
pub fn parse(entry: &TlogEntry) -> Result<Body> {
    let text = core::str::from_utf8(&entry.canonicalized_body).map_err(|_| invalid("is not UTF-8"))?;
    let v = json::parse(text, Code::TlogEntryInvalid, "canonicalizedBody")?;
    let o = Obj::new(&v, "canonicalizedBody", Code::TlogEntryInvalid)?;
    let kind_name = o.req_str("kind")?;
    let version = o.req_str("apiVersion")?;
    if kind_name != entry.kind || version != entry.version {
        return mismatch(format!("body is {kind_name} {version} but kindVersion says {} {}", entry.kind, entry.version));
    }
    let Some(kind) = Kind::from_kind_version(kind_name, version) else {
        return err(Code::TlogKindUnsupported, format!("tlog entry kind {kind_name} {version} is not supported"));
    };
    let spec = match o.get("spec") {
        Some(s @ Value::Object(_)) => s.clone(),
        _ => return Err(invalid("spec is missing or not an object")),
    };
    Ok(Body { kind, kind_name: kind_name.into(), version: version.into(), spec })
}

/// Compare the body with the bundle, field by field, for its kind.
pub fn check(body: &Body, expected: &Expected) -> Result<()> {
    let spec = Obj::new(&body.spec, "spec", Code::TlogEntryInvalid)?;
    match body.kind {
        Kind::HashedRekordV001 => hashedrekord_v001(&spec, expected),
        Kind::DsseV001 => dsse_v001(&spec, expected),
        Kind::IntotoV002 => intoto_v002(&spec, expected),
        Kind::HashedRekordV002 => hashedrekord_v002(&spec, expected),
        Kind::DsseV002 => dsse_v002(&spec, expected),
    }
}

/// A required sub-object.
fn sub<'a>(o: &Obj<'a>, field: &str, path: &'a str) -> Result<Obj<'a>> {
    let v = o.get(field).ok_or_else(|| o.fail(field, "is missing"))?;
    Obj::new(v, path, Code::TlogEntryInvalid)
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
        Some(d) => Ok(d),
        None => mismatch(format!(
            "the log entry records a {} digest of the artifact; the artifact was given only as a digest in another algorithm, so they cannot be compared",
            alg.name()
        )),
    }
}

/// Hex digest `{algorithm: "sha256", value: HEX}` (Rekor v1) compared with `want(alg)`.
fn check_hex_hash(o: &Obj, what: &str, want: impl Fn(HashAlg) -> Result<Vec<u8>>) -> Result<()> {
    let alg_s = o.req_str("algorithm")?;
    let alg = HashAlg::from_name(alg_s).ok_or_else(|| o.fail("algorithm", "unsupported hash algorithm"))?;
    let got = hex_decode(o.req_str("value")?).ok_or_else(|| o.fail("value", "is not hex"))?;
    if got != want(alg)? {
        return mismatch(format!("{what} differs from the bundle's"));
    }
    Ok(())
}

/// Protobuf `HashOutput {algorithm: "SHA2_256", digest: base64}` (Rekor v2) compared with `want(alg)`.
fn check_proto_hash(o: &Obj, what: &str, want: impl Fn(HashAlg) -> Result<Vec<u8>>) -> Result<()> {
    let alg_s = o.req_str("algorithm")?;
    let alg = HashAlg::from_proto(alg_s).ok_or_else(|| o.fail("algorithm", "unsupported hash algorithm"))?;
    if o.req_bytes("digest")? != want(alg)? {
        return mismatch(format!("{what} differs from the bundle's"));
    }
    Ok(())
}

/// Does a PEM block (a CERTIFICATE or a PUBLIC KEY) name the signer? A certificate must be the
/// signer's certificate byte for byte; a public key the signer's key (SPKI DER).
fn pem_is_signer(pem: &[u8], signer: &Signer) -> Result<bool> {
    let text = core::str::from_utf8(pem).map_err(|_| invalid("verifier PEM is not UTF-8"))?;
    let label = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or_else(|| invalid("verifier is not PEM"))?;
    let der = pem_decode(text, label).ok_or_else(|| invalid("verifier is not PEM"))?;
    Ok(match (label, signer) {
        ("CERTIFICATE", Signer::Cert(c)) => der == c.der(),
        ("PUBLIC KEY", Signer::Key(k)) => der == k.der(),
        _ => false,
    })
}

/// Rekor v2 `Verifier {x509Certificate{rawBytes} | publicKey{rawBytes}, keyDetails}`.
/// `keyDetails` is informational here: the signature scheme comes from the verified key.
fn verifier_is_signer(v: &Obj, signer: &Signer) -> Result<bool> {
    match (v.get("x509Certificate"), v.get("publicKey")) {
        (Some(c), None) => {
            let der = Obj::new(c, "verifier.x509Certificate", Code::TlogEntryInvalid)?.req_bytes("rawBytes")?;
            Ok(matches!(signer, Signer::Cert(c) if c.der() == der.as_slice()))
        }
        (None, Some(k)) => {
            let der = Obj::new(k, "verifier.publicKey", Code::TlogEntryInvalid)?.req_bytes("rawBytes")?;
            Ok(matches!(signer, Signer::Key(k) if k.der() == der.as_slice()))
        }
        _ => Err(invalid("verifier must hold exactly one of x509Certificate, publicKey")),
    }
}

/// The logged signatures (bytes, verifier-is-signer) must be exactly the envelope's, each
/// by the signer: same count, same multiset of signature bytes.
fn check_signature_list(mut logged: Vec<(Vec<u8>, bool)>, env: &Envelope) -> Result<()> {
    if logged.len() != env.signatures.len() {
        return mismatch(format!("the entry records {} signatures, the envelope holds {}", logged.len(), env.signatures.len()));
    }
    if logged.iter().any(|(_, by_signer)| !by_signer) {
        return mismatch("a recorded signature's verifier is not the bundle's signer");
    }
    let mut ours: Vec<&[u8]> = env.signatures.iter().map(|s| s.sig.as_slice()).collect();
    ours.sort_unstable();
    logged.sort_unstable();
    if ours.iter().zip(logged.iter()).any(|(a, (b, _))| *a != b.as_slice()) {
        return mismatch("the recorded signatures differ from the envelope's");
    }
    Ok(())
}

/// hashedrekord 0.0.1: `spec.data.hash {algorithm, value(hex)}`, `spec.signature.content`
/// (base64 signature), `spec.signature.publicKey.content` (base64 PEM certificate or key).
fn hashedrekord_v001(spec: &Obj, e: &Expected) -> Result<()> {
    let Content::MessageSignature { signature, .. } = e.content else {
        return mismatch("a hashedrekord 0.0.1 entry records a message signature, but the bundle holds a DSSE envelope");
    };
    let data = sub(spec, "data", "spec.data")?;
    let hash = sub(&data, "hash", "spec.data.hash")?;
    check_hex_hash(&hash, "the logged artifact digest", |alg| artifact_digest(e, alg))?;
    let sig = sub(spec, "signature", "spec.signature")?;
    if sig.req_bytes("content")? != *signature {
        return mismatch("the logged signature differs from the bundle's");
    }
    let pk = sub(&sig, "publicKey", "spec.signature.publicKey")?;
    if !pem_is_signer(&pk.req_bytes("content")?, &e.signer)? {
        return mismatch("the logged public key or certificate is not the bundle's signer");
    }
    Ok(())
}

/// dsse 0.0.1: `spec.payloadHash {algorithm, value(hex)}` of the payload and
/// `spec.signatures[] {signature(base64), verifier(base64 PEM)}`.
///
/// `spec.envelopeHash` is the hash of the envelope as Rekor serialized it; that serialization
/// (field order, base64 flavour, keyid handling) cannot be rebuilt byte for byte from the bundle,
/// so it is not compared. The payload hash and the signatures bind the entry to the envelope.
fn dsse_v001(spec: &Obj, e: &Expected) -> Result<()> {
    let env = envelope(e, "dsse")?;
    let ph = sub(spec, "payloadHash", "spec.payloadHash")?;
    check_hex_hash(&ph, "the logged payload hash", |alg| Ok(alg.digest(&env.payload)))?;
    let mut logged = Vec::new();
    for (i, s) in spec.arr("signatures")?.iter().enumerate() {
        let path = format!("spec.signatures[{i}]");
        let o = Obj::new(s, &path, Code::TlogEntryInvalid)?;
        logged.push((o.req_bytes("signature")?, pem_is_signer(&o.req_bytes("verifier")?, &e.signer)?));
    }
    check_signature_list(logged, env)
}

/// intoto 0.0.2: `spec.content.envelope {payloadType, payload?, signatures[{sig, publicKey}]}`,
/// `spec.content.payloadHash {algorithm, value(hex)}`.
///
/// Rekor stores the envelope's byte fields with one extra layer of base64: `sig` is base64 of
/// the base64 signature text, `payload` (when kept) base64 of the base64 payload text, while
/// `publicKey` is base64 of the PEM. `spec.content.hash` is the hash of the envelope as Rekor
/// serialized it and cannot be rebuilt byte for byte; it is not compared.
fn intoto_v002(spec: &Obj, e: &Expected) -> Result<()> {
    let env = envelope(e, "intoto")?;
    let content = sub(spec, "content", "spec.content")?;
    let ph = sub(&content, "payloadHash", "spec.content.payloadHash")?;
    check_hex_hash(&ph, "the logged payload hash", |alg| Ok(alg.digest(&env.payload)))?;
    let le = sub(&content, "envelope", "spec.content.envelope")?;
    if le.req_str("payloadType")? != env.payload_type {
        return mismatch("the logged payloadType differs from the envelope's");
    }
    if let Some(p) = le.bytes("payload")? {
        if double_b64(&p).as_ref() != Some(&env.payload) {
            return mismatch("the logged payload differs from the envelope's");
        }
    }
    let mut logged = Vec::new();
    for (i, s) in le.arr("signatures")?.iter().enumerate() {
        let path = format!("spec.content.envelope.signatures[{i}]");
        let o = Obj::new(s, &path, Code::TlogEntryInvalid)?;
        // Without its inner base64 layer the value cannot be any envelope signature.
        let Some(sig) = double_b64(&o.req_bytes("sig")?) else {
            return mismatch(format!("{path}.sig is not base64 of a base64 signature, so not the envelope's"));
        };
        logged.push((sig, pem_is_signer(&o.req_bytes("publicKey")?, &e.signer)?));
    }
    check_signature_list(logged, env)
}

/// Decode the inner base64 layer of an intoto 0.0.2 field.
fn double_b64(outer_decoded: &[u8]) -> Option<Vec<u8>> {
    core::str::from_utf8(outer_decoded).ok().and_then(b64_decode)
}

/// hashedrekord 0.0.2 (`spec.hashedRekordV002`): `data {algorithm, digest}`,
/// `signature {content, verifier}`. With a message signature the digest is the artifact's;
/// with a DSSE envelope (how Rekor v2 clients log DSSE) it is the hash of PAE(envelope) and the
/// content the envelope's single signature.
fn hashedrekord_v002(spec: &Obj, e: &Expected) -> Result<()> {
    let hr = sub(spec, "hashedRekordV002", "spec.hashedRekordV002")?;
    let data = sub(&hr, "data", "spec.hashedRekordV002.data")?;
    let sig = sub(&hr, "signature", "spec.hashedRekordV002.signature")?;
    let verifier = sub(&sig, "verifier", "spec.hashedRekordV002.signature.verifier")?;
    let signature: &[u8] = match e.content {
        Content::MessageSignature { signature, .. } => {
            check_proto_hash(&data, "the logged artifact digest", |alg| artifact_digest(e, alg))?;
            signature
        }
        Content::Dsse(env) => {
            let [only] = env.signatures.as_slice() else {
                return mismatch("a hashedrekord entry records one signature, the envelope holds several");
            };
            let pae = env.pae();
            check_proto_hash(&data, "the logged digest of PAE(envelope)", |alg| Ok(alg.digest(&pae)))?;
            &only.sig
        }
    };
    if sig.req_bytes("content")? != signature {
        return mismatch("the logged signature differs from the bundle's");
    }
    if !verifier_is_signer(&verifier, &e.signer)? {
        return mismatch("the logged verifier is not the bundle's signer");
    }
    Ok(())
}

/// dsse 0.0.2 (`spec.dsseV002`): `payloadHash {algorithm, digest}` of the payload and
/// `signatures[] {content, verifier}`.
fn dsse_v002(spec: &Obj, e: &Expected) -> Result<()> {
    let env = envelope(e, "dsse")?;
    let d = sub(spec, "dsseV002", "spec.dsseV002")?;
    let ph = sub(&d, "payloadHash", "spec.dsseV002.payloadHash")?;
    check_proto_hash(&ph, "the logged payload hash", |alg| Ok(alg.digest(&env.payload)))?;
    let mut logged = Vec::new();
    for (i, s) in d.arr("signatures")?.iter().enumerate() {
        let path = format!("spec.dsseV002.signatures[{i}]");
        let o = Obj::new(s, &path, Code::TlogEntryInvalid)?;
        let vpath = format!("{path}.verifier");
        let v = Obj::new(o.get("verifier").ok_or_else(|| o.fail("verifier", "is missing"))?, &vpath, Code::TlogEntryInvalid)?;
        logged.push((o.req_bytes("content")?, verifier_is_signer(&v, &e.signer)?));
    }
    check_signature_list(logged, env)
}
