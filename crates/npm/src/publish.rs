//! The npm publish attestation (`https://github.com/npm/attestation/tree/main/specs/publish/v0.1`):
//! a DSSE bundle the registry signs with one of its keys when it accepts a publish, logged in
//! Rekor. The bundle names the key in `verificationMaterial.publicKey.hint`; the key comes from
//! the registry's keys document and must not have expired at any verified signing time.

use alloc::format;
use alloc::string::String;
use serde_json::Value;

use super::attestations::{check_predicate_type, Attestation};
use super::keys::{RegistryKey, RegistryKeys};
use super::{check_subject, log_info, LogInfo, Package};
use crate::error::{err, Code, Error, Result};
use sigstore_verifier::artifact::Artifact;
use sigstore_verifier::bundle::{Content, Material};
use sigstore_verifier::crypto::{HashAlg, SignatureVerifier};
use sigstore_verifier::identity::Policy;
use sigstore_verifier::result::VerificationResult;
use sigstore_verifier::time::Time;
use sigstore_verifier::verify::Verifier;
use sigstore_verifier::Code as CoreCode;

/// A verified publish attestation.
#[derive(Clone, Debug)]
pub struct Publish {
    pub predicate_type: String,
    /// The registry key id as the keys document writes it.
    pub keyid: String,
    pub key_expires: Option<Time>,
    pub log: Option<LogInfo>,
    pub result: VerificationResult,
}

/// The key id a publish bundle names: `verificationMaterial.publicKey.hint`, or (when the hint
/// is empty) the DSSE signature's `keyid`. Neither is signed; the key is only trusted because the
/// keys document lists it and the signature verifies under it.
fn named_key(att: &Attestation) -> Result<&str> {
    let Material::PublicKey { hint } = &att.bundle.material else {
        return err(
            Code::Core(CoreCode::KeyMismatch),
            format!("attestations[{}]: the publish attestation must be signed by a registry key (verificationMaterial.publicKey)", att.index),
        );
    };
    if !hint.is_empty() {
        return Ok(hint);
    }
    match &att.bundle.content {
        Content::Dsse(env) => Ok(env.signatures.first().map(|s| s.keyid.as_str()).unwrap_or("")),
        _ => Ok(""),
    }
}

/// The key must be valid at every verified time (npm: `integratedTime < expires`); a key with an
/// expiry and no verified time to compare proves nothing.
pub fn check_key_time(key: &RegistryKey, times: &[Time]) -> Result<()> {
    if !key.is_bounded() {
        return Ok(());
    }
    let window = match (key.not_before, key.expires) {
        (Some(s), Some(e)) => format!("is valid from {s} until {e}"),
        (Some(s), None) => format!("is valid from {s}"),
        (None, Some(e)) => format!("expires {e}"),
        (None, None) => String::new(),
    };
    if times.is_empty() {
        return err(Code::KeyExpired, format!("registry key {} {window} and no verified signing time shows it was used inside that", key.keyid));
    }
    match times.iter().find(|t| !key.valid_at(**t)) {
        Some(t) => err(Code::KeyExpired, format!("registry key {} {window}: not at the verified signing time {t}", key.keyid)),
        None => Ok(()),
    }
}

/// The publish predicate names the package and version it attests (`{name, version, registry}`).
fn check_predicate(statement: &Value, pkg: &Package) -> Result<()> {
    let p = statement.get("predicate");
    let field = |k: &str| p.and_then(|p| p.get(k)).and_then(Value::as_str);
    for (k, want) in [("name", pkg.name.as_str()), ("version", pkg.version.as_str())] {
        match field(k) {
            Some(got) if got == want => {}
            got => return err(Code::SubjectMismatch, format!("publish predicate {k} is {got:?}, not {want:?}")),
        }
    }
    Ok(())
}

/// Verify the publish attestation of `pkg` with the registry key it names.
pub fn verify(verifier: &Verifier, att: &Attestation, pkg: &Package, keys: &RegistryKeys, backend: &dyn SignatureVerifier) -> Result<Publish> {
    let place = format!("attestations[{}]", att.index);
    let key = keys.find(named_key(att)?, crate::keys::Usage::Attestations).map_err(|e| e.at(&place))?;
    let artifact = Artifact::Digest(HashAlg::Sha512, pkg.sha512.clone());
    let policy = Policy::Key(key.key.clone());
    let result = verifier.plan(&att.bundle, &artifact, &policy).and_then(|p| p.finish(backend)).map_err(|e| e.at(&place))?;
    let Some(statement) = &result.statement else {
        return Err(Error::new(Code::DocumentInvalid, format!("{place}: publish attestation is not a DSSE in-toto attestation")));
    };
    check_predicate_type(att, &statement.predicate_type)?;
    check_subject(&statement.value, pkg).map_err(|e| e.at(&place))?;
    check_predicate(&statement.value, pkg).map_err(|e| e.at(&place))?;
    let times: alloc::vec::Vec<Time> = result.times.iter().map(|t| t.time).collect();
    check_key_time(key, &times).map_err(|e| e.at(&place))?;
    Ok(Publish { predicate_type: statement.predicate_type.clone(), keyid: key.keyid.clone(), key_expires: key.expires, log: log_info(&result), result })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use crate::keys::RegistryKeys;
    use serde_json::json;

    fn pkg() -> Package {
        Package::from_sha512("@a/b", "1.0.0", alloc::vec![0; 64]).unwrap()
    }

    #[test]
    fn predicate_names_the_package() {
        check_predicate(&json!({"predicate": {"name": "@a/b", "version": "1.0.0", "registry": "https://registry.npmjs.org"}}), &pkg()).unwrap();
        for bad in [
            json!({}),
            json!({"predicate": {"name": "@a/c", "version": "1.0.0"}}),
            json!({"predicate": {"name": "@a/b", "version": "1.0.1"}}),
            json!({"predicate": {"name": "@a/b"}}),
        ] {
            assert_eq!(check_predicate(&bad, &pkg()).unwrap_err().code, Code::SubjectMismatch);
        }
    }

    #[test]
    fn key_times() {
        let keys = RegistryKeys::from_json(&crate::keys::tests::keys_json()).unwrap();
        let old = &keys.keys[0];
        let before = Time::parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
        let after = Time::parse_rfc3339("2025-02-01T00:00:00Z").unwrap();
        check_key_time(old, &[before]).unwrap();
        assert_eq!(check_key_time(old, &[before, after]).unwrap_err().code, Code::KeyExpired);
        assert_eq!(check_key_time(old, &[]).unwrap_err().code, Code::KeyExpired);
        check_key_time(&keys.keys[1], &[]).unwrap();
    }
}
