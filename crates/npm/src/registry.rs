//! Registry signatures (npm docs, "About registry signatures"; pacote `registry.js`): the
//! packument's `dist.signatures` is `[{keyid, sig}]`, each `sig` a base64 DER ECDSA P-256
//! signature over SHA-256 of `NAME@VERSION:INTEGRITY`, INTEGRITY being `dist.integrity` as
//! written. Every listed signature must verify under a known key valid at the publish time.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::keys::RegistryKeys;
use super::publish::check_key_time;
use super::purl::sri_sha512;
use super::Package;
use crate::encoding::b64_decode_strict;
use crate::error::json;
use crate::error::{err, Code, Error, Result};
use sigstore_verifier::crypto::{Message, SigCheck, SignatureVerifier};
use sigstore_verifier::time::Time;
use sigstore_verifier::Code as CoreCode;

/// At most this many signatures per version (npm writes one).
const MAX_SIGNATURES: usize = 16;

/// What the packument says about one version.
#[derive(Clone, Copy)]
pub struct VersionDist<'a> {
    pub dist: json::Obj<'a>,
    /// `time[VERSION]` of a full packument: when the registry accepted the publish.
    pub published: Option<Time>,
}

impl VersionDist<'_> {
    /// `dist.attestations` is present: the registry holds attestations for this version.
    pub fn has_attestations(&self) -> bool {
        self.dist.get("attestations").is_some()
    }
}

/// Find the version's `dist` in a full packument (`versions[VERSION].dist`, `time[VERSION]`)
/// or in a version document (`{name, version, dist}`).
pub fn version_dist<'a>(packument: &'a Value, pkg: &Package) -> Result<VersionDist<'a>> {
    let o = json::Obj::new(packument, "packument", Code::DocumentInvalid)?;
    if let Some(n) = o.str("name")? {
        if n != pkg.name {
            return err(Code::DocumentInvalid, format!("the packument is for {n:?}, not {:?}", pkg.name));
        }
    }
    let (doc, published) = match o.get("versions") {
        Some(versions) => {
            let v = versions
                .get(pkg.version.as_str())
                .ok_or_else(|| Error::new(Code::DocumentInvalid, format!("the packument has no version {:?}", pkg.version)))?;
            let t = o.get("time").and_then(|t| t.get(pkg.version.as_str())).and_then(Value::as_str).and_then(Time::parse_rfc3339);
            (v, t)
        }
        None => {
            if let Some(v) = o.str("version")? {
                if v != pkg.version {
                    return err(Code::DocumentInvalid, format!("the version document is for {v:?}, not {:?}", pkg.version));
                }
            }
            (packument, None)
        }
    };
    let d = json::Obj::new(doc, "packument version", Code::DocumentInvalid)?;
    let dist = d.get("dist").ok_or_else(|| d.fail("dist", "is missing"))?;
    Ok(VersionDist { dist: json::Obj::new(dist, "dist", Code::DocumentInvalid)?, published })
}

/// Check every registry signature of the version. The key must be valid at `verified_time`
/// (the publish attestation's verified Rekor time) when there is one, else at the packument's
/// unsigned `time[VERSION]`. Returns the key ids that signed.
pub fn verify(vd: &VersionDist<'_>, pkg: &Package, keys: &RegistryKeys, verified_time: Option<Time>, backend: &dyn SignatureVerifier) -> Result<Vec<String>> {
    let integrity = vd.dist.str("integrity")?.ok_or_else(|| vd.dist.fail("integrity", "is missing"))?;
    let listed = sri_sha512(integrity).map_err(|e| Error::new(Code::DocumentInvalid, format!("dist.integrity: {}", e.context)))?;
    if listed != pkg.sha512 {
        return err(Code::Core(CoreCode::ArtifactMismatch), "the packument's dist.integrity is not the tarball's sha512");
    }
    let sigs = vd.dist.arr("signatures")?;
    if sigs.is_empty() {
        return err(Code::RegistrySignatureMissing, format!("{}@{} has no registry signature (dist.signatures)", pkg.name, pkg.version));
    }
    if sigs.len() > MAX_SIGNATURES {
        return err(Code::DocumentInvalid, format!("{} registry signatures (at most {MAX_SIGNATURES})", sigs.len()));
    }
    let message = format!("{}@{}:{integrity}", pkg.name, pkg.version);
    let time: Vec<Time> = verified_time.or(vd.published).into_iter().collect();
    let mut checks = Vec::with_capacity(sigs.len());
    let mut keyids = Vec::with_capacity(sigs.len());
    for (i, s) in sigs.iter().enumerate() {
        let path = format!("dist.signatures[{i}]");
        let so = json::Obj::new(s, &path, Code::DocumentInvalid)?;
        let key = keys.find(so.req_str("keyid")?, super::keys::Usage::Signatures).map_err(|e| e.at(&path))?;
        check_key_time(key, &time).map_err(|e| e.at(&path))?;
        let signature = b64_decode_strict(so.req_str("sig")?).ok_or_else(|| Error::new(Code::RegistrySignatureInvalid, format!("{path}.sig is not base64")))?;
        checks.push(SigCheck {
            code: CoreCode::SignatureInvalid,
            what: path,
            key: key.key.clone(),
            scheme: key.key.default_scheme(),
            message: Message::Raw(message.clone().into_bytes()),
            signature,
        });
        keyids.push(key.keyid.clone());
    }
    // The checks carry the core's SIGNATURE_INVALID; a failed one is this crate's registry code.
    backend.run_all(&checks).map_err(|e| match e.code {
        CoreCode::SignatureInvalid => Error::new(Code::RegistrySignatureInvalid, e.context),
        _ => Error::from(e),
    })?;
    Ok(keyids)
}
