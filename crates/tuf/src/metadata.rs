//! Signed TUF metadata: the `signed`/`signatures` envelope, keys, roles and the four top-level
//! role types plus delegated targets, read from JSON with unknown fields tolerated.
//!
//! Signatures cover the canonical JSON ([`crate::canonical`]) of `signed`. A key's declared id
//! is authoritative (not recomputed), as TUF 1.0 allows. A threshold counts distinct key ids of
//! the role with a valid signature.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};
use sigstore_verifier::crypto::{verify_one, HashAlg, Key, Message, PublicKey, Scheme};
use sigstore_verifier::Time;

use crate::canonical::canonicalize;
use crate::error::{err, Error, Result};
use crate::Code;

/// Most signatures read from one metadata file.
pub const MAX_SIGNATURES: usize = 64;
/// Most keys one metadata file may declare.
pub const MAX_KEYS: usize = 256;

/// A key usable for TUF signatures: the parsed public key and its signing scheme.
#[derive(Clone, Debug)]
pub struct TufKey {
    pub key: PublicKey,
    pub scheme: Scheme,
}

/// A role's key ids and threshold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub keyids: BTreeSet<String>,
    pub threshold: u64,
}

/// The parsed envelope: the `signed` value, its canonical bytes, and the signatures.
#[derive(Clone, Debug)]
pub struct Envelope {
    pub signed: Map<String, Value>,
    pub canonical: Vec<u8>,
    pub signatures: Vec<(String, Vec<u8>)>,
}

/// What every role's `signed` holds.
#[derive(Clone, Debug)]
pub struct Common {
    pub version: u64,
    pub expires: Time,
}

/// Root metadata.
#[derive(Clone, Debug)]
pub struct Root {
    pub common: Common,
    pub consistent_snapshot: bool,
    pub keys: BTreeMap<String, TufKey>,
    pub roles: BTreeMap<String, Role>,
}

/// One entry of `meta` (timestamp, snapshot): a version and, optionally, length and hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetaFile {
    pub version: u64,
    pub length: Option<u64>,
    pub hashes: BTreeMap<String, Vec<u8>>,
}

/// Timestamp or snapshot metadata: their `meta` maps.
#[derive(Clone, Debug)]
pub struct MetaRole {
    pub common: Common,
    pub meta: BTreeMap<String, MetaFile>,
}

/// One target: its length, hashes and custom data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetDesc {
    pub length: u64,
    pub hashes: BTreeMap<String, Vec<u8>>,
    pub custom: Option<Value>,
}

/// Which target paths a delegation covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paths {
    Patterns(Vec<String>),
    HashPrefixes(Vec<String>),
}

/// One delegated role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delegation {
    pub name: String,
    pub role: Role,
    pub terminating: bool,
    pub paths: Paths,
}

/// Targets metadata (top-level or delegated).
#[derive(Clone, Debug)]
pub struct Targets {
    pub common: Common,
    pub targets: BTreeMap<String, TargetDesc>,
    pub keys: BTreeMap<String, TufKey>,
    pub delegations: Vec<Delegation>,
}

fn bad<T>(what: impl ToString) -> Result<T> {
    err(Code::MetadataInvalid, what)
}

fn field<'a>(m: &'a Map<String, Value>, k: &str) -> Result<&'a Value> {
    m.get(k).ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("missing field `{k}`")))
}

fn obj<'a>(m: &'a Map<String, Value>, k: &str) -> Result<&'a Map<String, Value>> {
    field(m, k)?.as_object().ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("`{k}` is not an object")))
}

fn arr<'a>(m: &'a Map<String, Value>, k: &str) -> Result<&'a Vec<Value>> {
    field(m, k)?.as_array().ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("`{k}` is not an array")))
}

fn string<'a>(m: &'a Map<String, Value>, k: &str) -> Result<&'a str> {
    field(m, k)?.as_str().ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("`{k}` is not a string")))
}

fn uint(m: &Map<String, Value>, k: &str) -> Result<u64> {
    field(m, k)?.as_u64().ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("`{k}` is not a non-negative integer")))
}

fn as_obj<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("{what} is not an object")))
}

fn hex(s: &str, what: &str) -> Result<Vec<u8>> {
    base16ct::mixed::decode_vec(s).map_err(|_| Error::new(Code::MetadataInvalid, alloc::format!("{what} is not hex")))
}

/// Parse a metadata file's envelope. `max` is the byte limit the caller was given.
pub fn parse_envelope(bytes: &[u8], max: u64) -> Result<Envelope> {
    if u64::try_from(bytes.len()).map_or(true, |n| n > max) {
        return err(Code::TooLarge, alloc::format!("{} bytes exceed the limit of {max}", bytes.len()));
    }
    let v: Value = serde_json::from_slice(bytes).map_err(|e| Error::new(Code::MetadataInvalid, alloc::format!("not JSON: {e}")))?;
    let top = as_obj(&v, "metadata")?;
    let signed = obj(top, "signed")?.clone();
    let canonical = canonicalize(field(top, "signed")?)?;
    let sigs = arr(top, "signatures")?;
    if sigs.len() > MAX_SIGNATURES {
        return bad(alloc::format!("more than {MAX_SIGNATURES} signatures"));
    }
    let mut signatures = Vec::with_capacity(sigs.len());
    for s in sigs {
        let s = as_obj(s, "signature")?;
        let keyid = string(s, "keyid")?.to_string();
        let sig = hex(string(s, "sig")?, "signature")?;
        // §4.2: a key id is unique in `signatures`.
        if signatures.iter().any(|(k, _): &(String, Vec<u8>)| *k == keyid) {
            return bad(alloc::format!("two signatures by key {keyid}"));
        }
        signatures.push((keyid, sig));
    }
    Ok(Envelope { signed, canonical, signatures })
}

/// Check `_type`, `spec_version` (1.x) and read `version` and `expires`.
fn common(signed: &Map<String, Value>, ty: &str) -> Result<Common> {
    let t = string(signed, "_type")?;
    if t != ty {
        return bad(alloc::format!("`_type` is `{t}`, expected `{ty}`"));
    }
    let spec = string(signed, "spec_version")?;
    if spec.split('.').next() != Some("1") {
        return bad(alloc::format!("unsupported spec_version `{spec}`"));
    }
    let version = uint(signed, "version")?;
    if version == 0 {
        return bad("version 0");
    }
    let e = string(signed, "expires")?;
    let expires = Time::parse_rfc3339(e).ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("`expires` `{e}` is not an RFC 3339 time")))?;
    Ok(Common { version, expires })
}

impl Common {
    /// `TUF_EXPIRED` when `now` is at or after `expires`.
    pub fn check_expiry(&self, now: Time, what: &str) -> Result<()> {
        if now >= self.expires {
            return err(Code::Expired, alloc::format!("{what} expired at {}", self.expires.secs));
        }
        Ok(())
    }
}

/// Read a `keys` map. Keys of a type or scheme this client does not support are left out (no
/// role can use them); a supported key that does not parse is an error.
fn keys(m: &Map<String, Value>) -> Result<BTreeMap<String, TufKey>> {
    if m.len() > MAX_KEYS {
        return bad(alloc::format!("more than {MAX_KEYS} keys"));
    }
    let mut out = BTreeMap::new();
    for (id, k) in m {
        let k = as_obj(k, "key")?;
        let keytype = string(k, "keytype")?;
        let scheme = string(k, "scheme")?;
        let public = string(obj(k, "keyval")?, "public")?;
        let parsed = match (keytype, scheme) {
            ("ecdsa" | "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256") => {
                Some((pem_key(public, id, |k| matches!(k, Key::P256(_)))?, Scheme::Ecdsa(HashAlg::Sha256)))
            }
            ("ed25519", "ed25519") => Some((ed25519_key(public, id)?, Scheme::Ed25519)),
            ("rsa", "rsassa-pss-sha256") => Some((pem_key(public, id, |k| matches!(k, Key::Rsa(_)))?, Scheme::RsaPss(HashAlg::Sha256))),
            _ => None,
        };
        if let Some((key, scheme)) = parsed {
            out.insert(id.clone(), TufKey { key, scheme });
        }
    }
    Ok(out)
}

/// A PEM SPKI key, which must be of the type its scheme names (a P-384 key declared as
/// `ecdsa-sha2-nistp256` is malformed metadata, not a key to try).
fn pem_key(pem: &str, id: &str, fits: impl Fn(&Key) -> bool) -> Result<PublicKey> {
    let k = PublicKey::from_pem(pem).map_err(|e| Error::new(Code::MetadataInvalid, alloc::format!("key {id}: {}", e.context)))?;
    if !fits(&k.key) {
        return bad(alloc::format!("key {id}: a {} key does not fit its declared scheme", k.type_name()));
    }
    Ok(k)
}

/// An Ed25519 key is 32 bytes in hex: wrap them in an SPKI for the core's parser.
fn ed25519_key(public: &str, id: &str) -> Result<PublicKey> {
    let raw = hex(public, "ed25519 key")?;
    if raw.len() != 32 {
        return bad(alloc::format!("key {id}: ed25519 key is not 32 bytes"));
    }
    let mut der = Vec::with_capacity(44);
    der.extend_from_slice(&[0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
    der.extend_from_slice(&raw);
    PublicKey::from_spki_der(&der).map_err(|e| Error::new(Code::MetadataInvalid, alloc::format!("key {id}: {}", e.context)))
}

fn role(m: &Map<String, Value>) -> Result<Role> {
    let ids = arr(m, "keyids")?;
    if ids.len() > MAX_KEYS {
        return bad(alloc::format!("more than {MAX_KEYS} key ids"));
    }
    let mut keyids = BTreeSet::new();
    for id in ids {
        let id = id.as_str().ok_or_else(|| Error::new(Code::MetadataInvalid, "a key id is not a string"))?;
        if !keyids.insert(id.to_string()) {
            return bad(alloc::format!("key id {id} listed twice"));
        }
    }
    let threshold = uint(m, "threshold")?;
    if threshold == 0 {
        return bad("threshold 0");
    }
    Ok(Role { keyids, threshold })
}

/// Verify that `env` carries valid signatures by at least `role.threshold` distinct keys of `role`
/// (keys looked up in `keys`). `what` names the metadata in the error.
pub fn verify_role(env: &Envelope, role: &Role, keys: &BTreeMap<String, TufKey>, what: &str) -> Result<()> {
    let mut good: BTreeSet<&str> = BTreeSet::new();
    let message = Message::Raw(env.canonical.clone());
    for (keyid, sig) in &env.signatures {
        if good.contains(keyid.as_str()) || !role.keyids.contains(keyid) {
            continue;
        }
        let Some(k) = keys.get(keyid) else { continue };
        // An unsupported combination counts as no signature, as an invalid one does.
        if verify_one(&k.key, k.scheme, &message, sig).unwrap_or(false) {
            good.insert(keyid.as_str());
        }
    }
    let n = u64::try_from(good.len()).unwrap_or(u64::MAX);
    if n < role.threshold {
        return err(Code::SignatureThresholdNotMet, alloc::format!("{what}: {n} valid signature(s), threshold {}", role.threshold));
    }
    Ok(())
}

fn hashes(m: &Map<String, Value>) -> Result<BTreeMap<String, Vec<u8>>> {
    let h = obj(m, "hashes")?;
    let mut out = BTreeMap::new();
    for (alg, v) in h {
        let s = v.as_str().ok_or_else(|| Error::new(Code::MetadataInvalid, "a hash is not a string"))?;
        out.insert(alg.clone(), hex(s, "hash")?);
    }
    Ok(out)
}

/// Check `bytes` against a length and hashes. Every listed hash of a supported algorithm
/// (sha256, sha384, sha512) must match, and at least one must be listed.
pub fn check_length_and_hashes(bytes: &[u8], length: Option<u64>, hashes: &BTreeMap<String, Vec<u8>>, what: &str) -> Result<()> {
    if let Some(len) = length {
        if u64::try_from(bytes.len()).ok() != Some(len) {
            return err(Code::LengthOrHashMismatch, alloc::format!("{what}: {} bytes, expected {len}", bytes.len()));
        }
    }
    let mut checked = 0usize;
    for (alg, want) in hashes {
        let Some(h) = HashAlg::from_name(alg) else { continue };
        if h.digest(bytes) != *want {
            return err(Code::LengthOrHashMismatch, alloc::format!("{what}: {alg} hash differs"));
        }
        checked += 1;
    }
    if checked == 0 && !hashes.is_empty() {
        return err(Code::LengthOrHashMismatch, alloc::format!("{what}: no supported hash algorithm listed"));
    }
    Ok(())
}

impl Root {
    pub fn parse(env: &Envelope) -> Result<Root> {
        let s = &env.signed;
        let common = common(s, "root")?;
        let consistent_snapshot = match s.get("consistent_snapshot") {
            None => false,
            Some(v) => v.as_bool().ok_or_else(|| Error::new(Code::MetadataInvalid, "`consistent_snapshot` is not a boolean"))?,
        };
        let keys = keys(obj(s, "keys")?)?;
        let mut roles = BTreeMap::new();
        for name in ["root", "timestamp", "snapshot", "targets"] {
            let r = role(as_obj(field(obj(s, "roles")?, name)?, "role")?).map_err(|e| e.at(name))?;
            roles.insert(name.to_string(), r);
        }
        Ok(Root { common, consistent_snapshot, keys, roles })
    }

    /// A top-level role (always present after [`Root::parse`]).
    pub fn role(&self, name: &str) -> Result<&Role> {
        self.roles.get(name).ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("root has no role {name}")))
    }

    /// The keys of a top-level role, for detecting rotation (key ids and threshold).
    pub fn same_role(&self, other: &Root, name: &str) -> bool {
        self.roles.get(name) == other.roles.get(name)
    }
}

impl MetaRole {
    pub fn parse(env: &Envelope, ty: &str) -> Result<MetaRole> {
        let s = &env.signed;
        let common = common(s, ty)?;
        let mut meta = BTreeMap::new();
        for (name, v) in obj(s, "meta")? {
            let m = as_obj(v, "meta entry")?;
            let version = uint(m, "version")?;
            let length = match m.get("length") {
                None => None,
                Some(_) => Some(uint(m, "length")?),
            };
            let hashes = if m.contains_key("hashes") { hashes(m)? } else { BTreeMap::new() };
            meta.insert(name.clone(), MetaFile { version, length, hashes });
        }
        Ok(MetaRole { common, meta })
    }
}

impl Targets {
    pub fn parse(env: &Envelope) -> Result<Targets> {
        let s = &env.signed;
        let common = common(s, "targets")?;
        let mut targets = BTreeMap::new();
        for (name, v) in obj(s, "targets")? {
            let t = as_obj(v, "target")?;
            let desc = TargetDesc { length: uint(t, "length")?, hashes: hashes(t)?, custom: t.get("custom").cloned() };
            if desc.hashes.is_empty() {
                return bad(alloc::format!("target {name} lists no hashes"));
            }
            targets.insert(name.clone(), desc);
        }
        let (keys, delegations) = match s.get("delegations") {
            None => (BTreeMap::new(), Vec::new()),
            Some(d) => {
                let d = as_obj(d, "delegations")?;
                let keys = keys(obj(d, "keys")?)?;
                let mut out = Vec::new();
                let mut names = BTreeSet::new();
                for r in arr(d, "roles")? {
                    let r = as_obj(r, "delegated role")?;
                    let name = string(r, "name")?.to_string();
                    if !names.insert(name.clone()) {
                        return bad(alloc::format!("delegated role {name} listed twice"));
                    }
                    let terminating = match r.get("terminating") {
                        None => false,
                        Some(v) => v.as_bool().ok_or_else(|| Error::new(Code::MetadataInvalid, "`terminating` is not a boolean"))?,
                    };
                    let strings = |k: &str| -> Result<Vec<String>> {
                        arr(r, k)?
                            .iter()
                            .map(|p| {
                                p.as_str().map(str::to_string).ok_or_else(|| Error::new(Code::MetadataInvalid, alloc::format!("`{k}` holds a non-string")))
                            })
                            .collect()
                    };
                    let paths = match (r.contains_key("paths"), r.contains_key("path_hash_prefixes")) {
                        (true, false) => Paths::Patterns(strings("paths")?),
                        (false, true) => Paths::HashPrefixes(strings("path_hash_prefixes")?),
                        _ => return bad(alloc::format!("delegated role {name} needs exactly one of `paths` and `path_hash_prefixes`")),
                    };
                    out.push(Delegation { role: role(r).map_err(|e| e.at(&name))?, name, terminating, paths });
                }
                (keys, out)
            }
        };
        Ok(Targets { common, targets, keys, delegations })
    }
}

impl Delegation {
    /// Whether this delegation covers `target` (a target path, `/`-separated).
    pub fn covers(&self, target: &str) -> bool {
        match &self.paths {
            Paths::Patterns(p) => p.iter().any(|p| path_matches(p, target)),
            Paths::HashPrefixes(p) => {
                let digest = sigstore_verifier::crypto::sha256(target.as_bytes());
                let hex = base16ct::lower::encode_string(&digest);
                p.iter().any(|prefix| hex.starts_with(prefix.to_ascii_lowercase().as_str()))
            }
        }
    }
}

/// TUF path patterns: shell-style, matched segment by segment (`*` and `?` never match `/`), so
/// the pattern and the path must have the same number of `/`-separated segments.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let mut ps = pattern.split('/');
    let mut ts = path.split('/');
    loop {
        match (ps.next(), ts.next()) {
            (None, None) => return true,
            (Some(p), Some(t)) => {
                if !segment_matches(p.as_bytes(), t.as_bytes()) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Glob match of one segment with `*` (any run) and `?` (one byte), iterative with one
/// backtrack point (linear space, no recursion).
fn segment_matches(p: &[u8], t: &[u8]) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == b'?' || Some(&c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    while p.get(pi) == Some(&b'*') {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(path_matches("registry.npmjs.org/*", "registry.npmjs.org/keys.json"));
        assert!(!path_matches("registry.npmjs.org/*", "registry.npmjs.org/a/keys.json"));
        assert!(!path_matches("registry.npmjs.org/*", "keys.json"));
        assert!(path_matches("*", "trusted_root.json"));
        assert!(path_matches("a/*.tgz", "a/x-1.0.tgz"));
        assert!(!path_matches("a/*.tgz", "a/x-1.0.tar"));
        assert!(path_matches("f?o*", "foobar"));
        assert!(path_matches("**", ""));
        assert!(!path_matches("a", "ab"));
        assert!(path_matches("*a*b*c", "xxaxxbxxbc"));
    }

    #[test]
    fn length_and_hashes() {
        let data = b"hello";
        let mut h = BTreeMap::new();
        h.insert("sha256".to_string(), HashAlg::Sha256.digest(data));
        assert!(check_length_and_hashes(data, Some(5), &h, "f").is_ok());
        assert_eq!(check_length_and_hashes(data, Some(4), &h, "f").unwrap_err().code, Code::LengthOrHashMismatch);
        assert_eq!(check_length_and_hashes(b"hellp", None, &h, "f").unwrap_err().code, Code::LengthOrHashMismatch);
        let mut u = BTreeMap::new();
        u.insert("md5".to_string(), alloc::vec![0u8; 16]);
        assert_eq!(check_length_and_hashes(data, None, &u, "f").unwrap_err().code, Code::LengthOrHashMismatch);
    }
}
