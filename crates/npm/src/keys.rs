//! The registry's signing keys: the `GET /-/npm/v1/keys` document,
//! `{"keys":[{"expires": null|RFC3339, "keyid": "SHA256:…", "keytype": "ecdsa-sha2-nistp256",
//! "scheme": "ecdsa-sha2-nistp256", "key": "<base64 DER SubjectPublicKeyInfo>"}]}`
//! (npm docs, "About registry signatures").

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
    pub key: PublicKey,
}

impl RegistryKey {
    /// npm (pacote, `npm audit signatures`): a key signs validly only strictly before `expires`.
    pub fn valid_at(&self, t: Time) -> bool {
        self.expires.is_none_or(|e| t < e)
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

    /// The key named `id` (with or without the `SHA256:` prefix). An empty id names no key.
    pub fn find(&self, id: &str) -> Result<&RegistryKey> {
        let want = bare(id);
        if want.is_empty() {
            return err(Code::KeyUnknown, "no registry key id given");
        }
        self.keys
            .iter()
            .find(|k| bare(&k.keyid) == want)
            .ok_or_else(|| Error::new(Code::KeyUnknown, format!("registry key {id:?} is not in the keys document")))
    }
}

fn parse_key(v: &Value, path: &str) -> Result<RegistryKey> {
    let o = json::Obj::new(v, path, Code::DocumentInvalid)?;
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
    Ok(RegistryKey { keyid: keyid.into(), expires, key })
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
        let old = k.find("SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA").unwrap();
        assert_eq!(old.expires, Time::parse_rfc3339("2025-01-29T00:00:00Z"));
        assert!(old.valid_at(Time::parse_rfc3339("2025-01-28T23:59:59Z").unwrap()));
        assert!(!old.valid_at(Time::parse_rfc3339("2025-01-29T00:00:00Z").unwrap()));
        // The bundle hint may come without the prefix.
        let new = k.find("DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U").unwrap();
        assert!(new.expires.is_none() && new.valid_at(Time::from_unix(i64::MAX / 2)));
        assert_eq!(k.find("SHA256:nope").unwrap_err().code, Code::KeyUnknown);
        assert_eq!(k.find("SHA256:").unwrap_err().code, Code::KeyUnknown);
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
