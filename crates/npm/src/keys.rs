//! The registry's signing keys: the `GET /-/npm/v1/keys` document,
//! `{"keys":[{"expires": null|RFC3339, "keyid": "SHA256:…", "keytype": "ecdsa-sha2-nistp256",
//! "scheme": "ecdsa-sha2-nistp256", "key": "<base64 DER SubjectPublicKeyInfo>"}]}`
//! (npm docs, "About registry signatures"); or the same keys as the public-good TUF repository
//! publishes them (target `registry.npmjs.org/keys.json`):
//! `{"keys":[{"keyId": "SHA256:…", "keyUsage": "npm:signatures" | "npm:attestations",
//! "publicKey": {"rawBytes": "<base64 DER SPKI>", "keyDetails": "PKIX_ECDSA_P256_SHA_256",
//! "validFor": {"start": RFC3339, "end"?: RFC3339}}}]}`, one entry per key and usage.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use crate::encoding::b64_decode_strict;
use crate::error::json;
use crate::error::{err, Code, Error, Result};
use sigstore_verifier::crypto::{Key, PublicKey};
use sigstore_verifier::time::Time;
use sigstore_verifier::Code as CoreCode;

/// The only key type npm's registry uses.
pub const KEYTYPE_P256: &str = "ecdsa-sha2-nistp256";
/// At most this many keys in one document (npm has two).
const MAX_KEYS: usize = 64;

/// One registry key.
#[derive(Clone, Debug)]
pub struct RegistryKey {
    /// As written in the document, e.g. `SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U`.
    pub keyid: String,
    /// `None`: no expiry.
    pub expires: Option<Time>,
    /// The start of the key's validity (TUF form only).
    pub not_before: Option<Time>,
    /// What the key may sign (TUF form only; `None`: everything).
    pub usage: Option<Usage>,
    pub key: PublicKey,
}

/// A key's `keyUsage` in the TUF form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    /// `npm:signatures`: the registry signatures in packuments (`dist.signatures`).
    Signatures,
    /// `npm:attestations`: the npm publish attestation.
    Attestations,
}

impl RegistryKey {
    /// npm (pacote, `npm audit signatures`): a key signs validly only strictly before `expires`
    /// (and, in the TUF form, from `validFor.start` on).
    pub fn valid_at(&self, t: Time) -> bool {
        self.expires.is_none_or(|e| t < e) && self.not_before.is_none_or(|s| t >= s)
    }

    /// Whether the key has a validity window to check against verified times.
    pub fn is_bounded(&self) -> bool {
        self.expires.is_some() || self.not_before.is_some()
    }
}

/// The parsed keys document.
#[derive(Clone, Debug, Default)]
pub struct RegistryKeys {
    pub keys: Vec<RegistryKey>,
}

/// A key id compared without its `SHA256:` prefix, as the hint in a bundle may omit it.
fn bare(id: &str) -> &str {
    id.strip_prefix("SHA256:").unwrap_or(id)
}

impl RegistryKeys {
    /// Parse the keys document. Every entry must be an ECDSA P-256 key; an entry of another
    /// key type is refused rather than skipped, so that a key the caller expects is never
    /// silently missing.
    pub fn from_json(text: &str) -> Result<Self> {
        let v = json::parse(text, Code::DocumentInvalid, "registry keys document")?;
        Self::from_value(&v)
    }

    pub fn from_value(v: &Value) -> Result<Self> {
        let o = json::Obj::new(v, "keys document", Code::DocumentInvalid)?;
        if o.get("keys").is_none() {
            return Err(o.fail("keys", "is missing"));
        }
        let list = o.arr("keys")?;
        if list.len() > MAX_KEYS {
            return err(Code::DocumentInvalid, format!("keys document lists {} keys (at most {MAX_KEYS})", list.len()));
        }
        let mut keys = Vec::with_capacity(list.len());
        for (i, k) in list.iter().enumerate() {
            let path = format!("keys[{i}]");
            keys.push(parse_key(k, &path)?);
        }
        Ok(RegistryKeys { keys })
    }

    /// The key named `id` (with or without the `SHA256:` prefix) for `usage` (a key without a
    /// declared usage serves every one). An empty id names no key.
    pub fn find(&self, id: &str, usage: Usage) -> Result<&RegistryKey> {
        let want = bare(id);
        if want.is_empty() {
            return err(Code::KeyUnknown, "no registry key id given");
        }
        self.keys
            .iter()
            .find(|k| bare(&k.keyid) == want && k.usage.is_none_or(|u| u == usage))
            .ok_or_else(|| Error::new(Code::KeyUnknown, format!("registry key {id:?} is not in the keys document")))
    }
}

fn parse_key(v: &Value, path: &str) -> Result<RegistryKey> {
    let o = json::Obj::new(v, path, Code::DocumentInvalid)?;
    if o.get("keyId").is_some() {
        return parse_tuf_key(&o, path);
    }
    let keyid = o.req_str("keyid")?;
    if bare(keyid).is_empty() {
        return Err(o.fail("keyid", "is empty"));
    }
    for field in ["keytype", "scheme"] {
        if let Some(t) = o.str(field)? {
            if t != KEYTYPE_P256 {
                return err(Code::Core(CoreCode::KeyUnsupported), format!("{path}.{field} is {t:?}; only {KEYTYPE_P256} is supported"));
            }
        }
    }
    let expires = match o.str("expires")? {
        None => None,
        Some(s) => Some(Time::parse_rfc3339(s).ok_or_else(|| o.fail("expires", "is not an RFC 3339 time"))?),
    };
    let der = b64_decode_strict(o.req_str("key")?).ok_or_else(|| o.fail("key", "is not base64"))?;
    let key = PublicKey::from_spki_der(&der).map_err(|e| Error::new(Code::DocumentInvalid, format!("{path}.key: {}", e.context)))?;
    if !matches!(key.key, Key::P256(_)) {
        return err(Code::Core(CoreCode::KeyUnsupported), format!("{path}.key is a {} key, not ECDSA P-256", key.type_name()));
    }
    Ok(RegistryKey { keyid: keyid.into(), expires, not_before: None, usage: None, key })
}

/// The TUF form's `PKIX_ECDSA_P256_SHA_256`: the only key npm's registry uses.
const KEY_DETAILS_P256: &str = "PKIX_ECDSA_P256_SHA_256";

/// One entry of the TUF form (see the module doc).
fn parse_tuf_key(o: &json::Obj<'_>, path: &str) -> Result<RegistryKey> {
    let keyid = o.req_str("keyId")?;
    if bare(keyid).is_empty() {
        return Err(o.fail("keyId", "is empty"));
    }
    let usage = match o.req_str("keyUsage")? {
        "npm:signatures" => Usage::Signatures,
        "npm:attestations" => Usage::Attestations,
        other => return Err(o.fail("keyUsage", &format!("is {other:?}, not npm:signatures or npm:attestations"))),
    };
    let pk_path = format!("{path}.publicKey");
    let pk = json::Obj::new(o.get("publicKey").ok_or_else(|| o.fail("publicKey", "is missing"))?, &pk_path, Code::DocumentInvalid)?;
    let details = pk.req_str("keyDetails")?;
    if details != KEY_DETAILS_P256 {
        return err(Code::Core(CoreCode::KeyUnsupported), format!("{path}.publicKey.keyDetails is {details:?}; only {KEY_DETAILS_P256} is supported"));
    }
    let time = |o: &json::Obj<'_>, k: &str| -> Result<Option<Time>> {
        match o.str(k)? {
            None => Ok(None),
            Some(s) => Time::parse_rfc3339(s).map(Some).ok_or_else(|| o.fail(k, "is not an RFC 3339 time")),
        }
    };
    let vf_path = format!("{pk_path}.validFor");
    let (not_before, expires) = match pk.get("validFor") {
        Some(v) => {
            let v = json::Obj::new(v, &vf_path, Code::DocumentInvalid)?;
            (time(&v, "start")?, time(&v, "end")?)
        }
        None => (None, None),
    };
    let der = b64_decode_strict(pk.req_str("rawBytes")?).ok_or_else(|| pk.fail("rawBytes", "is not base64"))?;
    let key = PublicKey::from_spki_der(&der).map_err(|e| Error::new(Code::DocumentInvalid, format!("{path}.publicKey.rawBytes: {}", e.context)))?;
    if !matches!(key.key, Key::P256(_)) {
        return err(Code::Core(CoreCode::KeyUnsupported), format!("{path}.publicKey is a {} key, not ECDSA P-256", key.type_name()));
    }
    Ok(RegistryKey { keyid: keyid.into(), expires, not_before, usage: Some(usage), key })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
pub(crate) mod tests {
    extern crate std;
    use super::*;
    use serde_json::json;

    pub fn keys_json() -> String {
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/npm/keys.json")).unwrap()
    }

    #[test]
    fn production_keys() {
        let k = RegistryKeys::from_json(&keys_json()).unwrap();
        assert_eq!(k.keys.len(), 2);
        let old = k.find("SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA", Usage::Signatures).unwrap();
        assert_eq!(old.expires, Time::parse_rfc3339("2025-01-29T00:00:00Z"));
        assert!(old.valid_at(Time::parse_rfc3339("2025-01-28T23:59:59Z").unwrap()));
        assert!(!old.valid_at(Time::parse_rfc3339("2025-01-29T00:00:00Z").unwrap()));
        // The bundle hint may come without the prefix.
        let new = k.find("DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U", Usage::Signatures).unwrap();
        assert!(new.expires.is_none() && new.valid_at(Time::from_unix(i64::MAX / 2)));
        assert_eq!(k.find("SHA256:nope", Usage::Signatures).unwrap_err().code, Code::KeyUnknown);
        assert_eq!(k.find("SHA256:", Usage::Signatures).unwrap_err().code, Code::KeyUnknown);
    }

    #[test]
    fn malformed_documents() {
        let good: Value = serde_json::from_str(&keys_json()).unwrap();
        let code = |f: &dyn Fn(&mut Value)| {
            let mut v = good.clone();
            f(&mut v);
            RegistryKeys::from_value(&v).unwrap_err().code
        };
        assert_eq!(RegistryKeys::from_json("[").unwrap_err().code, Code::DocumentInvalid);
        assert_eq!(RegistryKeys::from_json("{}").unwrap_err().code, Code::DocumentInvalid);
        assert_eq!(code(&|v| v["keys"][0]["expires"] = json!("yesterday")), Code::DocumentInvalid);
        assert_eq!(code(&|v| v["keys"][0]["key"] = json!("!!")), Code::DocumentInvalid);
        assert_eq!(code(&|v| v["keys"][0]["key"] = json!("AAAA")), Code::DocumentInvalid);
        assert_eq!(code(&|v| v["keys"][0]["keyid"] = json!("")), Code::DocumentInvalid);
        assert_eq!(code(&|v| v["keys"][0]["keytype"] = json!("ssh-ed25519")), Code::Core(CoreCode::KeyUnsupported));
        assert_eq!(code(&|v| v["keys"] = json!(std::vec![v["keys"][0].clone(); 65])), Code::DocumentInvalid);
    }
}
