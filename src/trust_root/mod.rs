//! The trusted root (`application/vnd.dev.sigstore.trustedroot+json;version=0.1`): the only
//! source of trust. Transparency logs, CT logs, certificate authorities and timestamp
//! authorities, each with the window in which it may be used.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use crate::crypto::{sha256, PublicKey, Scheme};
use crate::error::{err, Code, Error, Result};
use crate::json::{self, Obj};
use crate::time::Time;
use crate::x509::chain::Authority;
use crate::x509::Cert;

mod set;
mod source;
pub use set::TrustedRootSet;
pub use source::{TrustSource, TufTrust};

/// The production trusted root of the Sigstore public-good instance, embedded at build time
/// (`src/trust_root/production.json`, from the Sigstore TUF repository's `trusted_root.json`).
pub const PRODUCTION_JSON: &str = include_str!("production.json");

/// The [`chain_digest`](crate::x509::chain::chain_digest)s of the authority chains of
/// [`PRODUCTION_JSON`] (its certificate authorities, then its timestamp authorities), whose own
/// checks ([`authority_chain_checks`](crate::x509::chain::authority_chain_checks)) pass: the
/// test `verified_chains_are_the_embedded_roots` runs those checks on the embedded root and
/// requires this list to be exactly the digests of its chains, so it holds nothing the build
/// did not verify. [`crate::Verifier::new`] skips the checks of a chain with one of these
/// digests (its verdict is known: a function of the DER alone), whether the chain comes from
/// the embedded root, a given trusted_root.json or TUF. The list is part of the code, as
/// protected as the checks it stands for.
pub(crate) const VERIFIED_CHAINS: [[u8; 32]; 3] = [
    // Fulcio, 2021-03 to 2022 (root only)
    [
        0x2c, 0x66, 0x50, 0x3f, 0x7d, 0xbb, 0x1e, 0x2e, 0x70, 0x14, 0x4b, 0xe4, 0x96, 0x89, 0x53, 0x3f, 0x1c, 0x22, 0xdc, 0x86, 0x45, 0x82, 0xcb, 0x4d, 0x68,
        0x6e, 0xcd, 0xb5, 0x9d, 0x69, 0x91, 0x30,
    ],
    // Fulcio, from 2022-04 (intermediate, root)
    [
        0xda, 0x4d, 0xc4, 0x5f, 0x9a, 0xf2, 0x76, 0xe6, 0xa5, 0x10, 0xee, 0xe6, 0x25, 0xa6, 0x21, 0xb2, 0x87, 0xa4, 0xbc, 0x64, 0x29, 0x16, 0xcc, 0xd6, 0x3e,
        0xda, 0xf4, 0x6c, 0xf7, 0xb7, 0xfe, 0x93,
    ],
    // timestamp.sigstore.dev, from 2025-07 (leaf-most, root)
    [
        0xc2, 0x71, 0xd0, 0x14, 0xc0, 0x44, 0x28, 0xee, 0x02, 0x4b, 0x64, 0xc4, 0x0c, 0xa7, 0xb9, 0xc5, 0x94, 0xf1, 0xc5, 0xac, 0x4a, 0x98, 0x8d, 0x4b, 0x31,
        0xfd, 0x9b, 0x01, 0x29, 0x64, 0x3d, 0xb4,
    ],
];

/// The window type of logs and authorities (it lives in [`crate::time`], where the x509 chain
/// code can use it without depending on the trusted root).
pub use crate::time::Validity;

/// A transparency log (Rekor) or certificate transparency log.
#[derive(Clone, Debug)]
pub struct TransparencyLog {
    pub base_url: String,
    pub key: PublicKey,
    pub scheme: Scheme,
    /// `logId.keyId` from the trusted root.
    pub log_id: Vec<u8>,
    /// `None` when the trusted root gives no `validFor.start`: the log is then unusable.
    pub valid_for: Option<Validity>,
}

impl TransparencyLog {
    /// The window, or `TRUST_ROOT_INVALID` when the root left it malformed.
    pub fn validity(&self) -> Result<Validity> {
        self.valid_for.ok_or_else(|| Error::new(Code::TrustRootInvalid, format!("log {} has no publicKey.validFor.start", self.base_url)))
    }

    /// The origin a checkpoint of this log carries: the base URL without scheme.
    pub fn origin_host(&self) -> &str {
        let u = self.base_url.as_str();
        let u = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://")).unwrap_or(u);
        u.trim_end_matches('/')
    }
}

/// A certificate authority (Fulcio) or timestamp authority, with its chain: the issuing
/// (leaf-most) certificate first, the root last.
#[derive(Clone, Debug)]
pub struct CertificateAuthority {
    pub uri: String,
    pub chain: Vec<Cert>,
    pub valid_for: Option<Validity>,
}

impl CertificateAuthority {
    pub fn validity(&self) -> Result<Validity> {
        self.valid_for.ok_or_else(|| Error::new(Code::TrustRootInvalid, format!("authority {} has no validFor.start", self.uri)))
    }
}

/// What the x509 path functions (and timestamp verification) need of an authority.
impl Authority for CertificateAuthority {
    fn name(&self) -> &str {
        &self.uri
    }
    fn certificates(&self) -> &[Cert] {
        &self.chain
    }
    fn window(&self) -> Option<Validity> {
        self.valid_for
    }
}

/// Which trusted root a caller wants: the one place every face turns its own argument (a
/// `--trusted-root` file, a JS `trustedRoot` option, nothing) into a [`TrustedRoot`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust<'a> {
    /// A `trusted_root.json` document the caller gives.
    Json(&'a str),
    /// A Sigstore instance by name: `"public-good"` (the embedded production root). `"github"`
    /// names GitHub's instance, whose trusted root is not embedded: it comes over TUF (the
    /// faces fetch it from [`GITHUB_TUF_URL`]), so loading it here is `TRUST_ROOT_INVALID`.
    Instance(&'a str),
    /// The embedded production root of the public-good instance (the default).
    Embedded,
}

impl<'a> Trust<'a> {
    /// The given document, or the embedded root when there is none.
    pub fn given_or_embedded(json: Option<&'a str>) -> Self {
        json.map_or(Trust::Embedded, Trust::Json)
    }

    /// Parse the selected root (`TRUST_ROOT_INVALID` for a bad document or an unknown instance).
    pub fn load(self) -> Result<TrustedRoot> {
        match self {
            Trust::Json(text) => TrustedRoot::from_json(text),
            Trust::Instance(PUBLIC_GOOD) | Trust::Embedded => TrustedRoot::production(),
            Trust::Instance(GITHUB) => err(
                Code::TrustRootInvalid,
                format!(
                    "the trusted root of the {GITHUB:?} instance is not embedded in this verifier: it comes over TUF from {GITHUB_TUF_URL} (or give it as a file, e.g. the output of `gh attestation trusted-root`)"
                ),
            ),
            Trust::Instance(other) => err(Code::TrustRootInvalid, format!("unknown Sigstore instance {other:?} (known: {PUBLIC_GOOD}, {GITHUB})")),
        }
    }
}

/// The name of the Sigstore public-good instance, whose production root is embedded.
pub const PUBLIC_GOOD: &str = "public-good";

/// The name of GitHub's Sigstore instance (artifact attestations of private and internal
/// repositories: `fulcio.githubapp.com`, `timestamp.githubapp.com`; no transparency or CT log).
pub const GITHUB: &str = "github";

/// The TUF repository that serves the GitHub instance's `trusted_root.json`.
pub const GITHUB_TUF_URL: &str = "https://tuf-repo.github.com";

#[derive(Clone, Debug)]
pub struct TrustedRoot {
    pub tlogs: Vec<TransparencyLog>,
    pub ctlogs: Vec<TransparencyLog>,
    pub certificate_authorities: Vec<CertificateAuthority>,
    pub timestamp_authorities: Vec<CertificateAuthority>,
    /// Where it came from (reported in each result): `Given` from [`TrustedRoot::from_json`],
    /// `Embedded` from [`TrustedRoot::production`]; a face that verified it over TUF says so
    /// with [`TrustedRoot::with_source`].
    pub source: TrustSource,
}

const MEDIA_TYPE_PREFIX: &str = "application/vnd.dev.sigstore.trustedroot";
/// Bounds against hostile trusted roots (the real ones hold a handful of each).
const MAX_ENTRIES: usize = 64;
const MAX_CHAIN: usize = 8;

impl TrustedRoot {
    /// The embedded production trusted root.
    pub fn production() -> Result<Self> {
        Ok(Self::from_json(PRODUCTION_JSON)?.with_source(TrustSource::Embedded { instance: PUBLIC_GOOD.into() }))
    }

    /// The same root, reported as coming from `source`.
    pub fn with_source(mut self, source: TrustSource) -> Self {
        self.source = source;
        self
    }

    /// Parse a trusted root's JSON text, at most [`crate::limits::MAX_TRUSTED_ROOT_BYTES`]
    /// long (`TRUST_ROOT_INVALID`, checked before parsing).
    pub fn from_json(text: &str) -> Result<Self> {
        if text.len() > crate::limits::MAX_TRUSTED_ROOT_BYTES {
            return err(
                Code::TrustRootInvalid,
                format!("trusted root is {} bytes: over the limit of {} bytes (MAX_TRUSTED_ROOT_BYTES)", text.len(), crate::limits::MAX_TRUSTED_ROOT_BYTES),
            );
        }
        let v = json::parse(text, Code::TrustRootInvalid, "trusted root")?;
        let root = Obj::new(&v, "trustedRoot", Code::TrustRootInvalid)?;
        if let Some(mt) = root.str("mediaType")? {
            if !mt.starts_with(MEDIA_TYPE_PREFIX) {
                return err(Code::TrustRootInvalid, format!("unsupported trusted root mediaType {mt:?}"));
            }
        }
        let tlogs = list(&root, "tlogs", parse_log)?;
        let ctlogs = list(&root, "ctlogs", parse_log)?;
        let certificate_authorities = list(&root, "certificateAuthorities", parse_ca)?;
        let timestamp_authorities = list(&root, "timestampAuthorities", parse_ca)?;
        Ok(TrustedRoot { tlogs, ctlogs, certificate_authorities, timestamp_authorities, source: TrustSource::Given })
    }
}

fn list<T>(root: &Obj, field: &str, f: fn(&Value, &str) -> Result<T>) -> Result<Vec<T>> {
    let items = root.arr(field)?;
    if items.len() > MAX_ENTRIES {
        return err(Code::TrustRootInvalid, format!("{field} has more than {MAX_ENTRIES} entries"));
    }
    items.iter().enumerate().map(|(i, v)| f(v, &format!("{field}[{i}]"))).collect()
}

fn validity(o: &Obj, field: &str) -> Result<Option<Validity>> {
    let Some(v) = o.get(field) else { return Ok(None) };
    let path = format!("{}.{field}", o.path);
    let vf = Obj::new(v, &path, Code::TrustRootInvalid)?;
    let time = |name: &str| -> Result<Option<Time>> {
        match vf.str(name)? {
            None => Ok(None),
            Some(s) => Time::parse_rfc3339(s).map(Some).ok_or_else(|| vf.fail(name, "is not an RFC 3339 time")),
        }
    };
    let end = time("end")?;
    Ok(match time("start")? {
        Some(start) => {
            if end.is_some_and(|e| e < start) {
                return Err(vf.fail("end", "is before start"));
            }
            Some(Validity { start, end })
        }
        None => None,
    })
}

/// A required base64 field of the trusted root, its encoded length checked against
/// `max_decoded` before it is decoded -> `TRUST_ROOT_INVALID` naming the field and the limit.
fn limited_bytes(o: &Obj, field: &str, max_decoded: usize) -> Result<Vec<u8>> {
    if let Some(s) = o.str(field)? {
        crate::limits::check_base64_len_as(Code::TrustRootInvalid, o.path, field, s, max_decoded)?;
    }
    o.req_bytes(field)
}

fn parse_log(v: &Value, path: &str) -> Result<TransparencyLog> {
    let o = Obj::new(v, path, Code::TrustRootInvalid)?;
    let base_url = o.str("baseUrl")?.unwrap_or_default().into();
    if let Some(h) = o.str("hashAlgorithm")? {
        if h != "SHA2_256" {
            return Err(o.fail("hashAlgorithm", "only SHA2_256 logs are supported"));
        }
    }
    let pk_v = o.get("publicKey").ok_or_else(|| o.fail("publicKey", "is missing"))?;
    let pk_path = format!("{path}.publicKey");
    let pk = Obj::new(pk_v, &pk_path, Code::TrustRootInvalid)?;
    let raw = limited_bytes(&pk, "rawBytes", crate::limits::MAX_PUBLIC_KEY_BYTES)?;
    let details = pk.req_str("keyDetails")?;
    let scheme = Scheme::from_key_details(details).ok_or_else(|| pk.fail("keyDetails", "unsupported key details"))?;
    let key = if details.starts_with("PKCS1_") { PublicKey::from_pkcs1_rsa_der(&raw) } else { PublicKey::from_spki_der(&raw) }
        .map_err(|e| pk.fail("rawBytes", &e.context))?;
    let log_id = match o.get("logId") {
        Some(l) => limited_bytes(&Obj::new(l, path, Code::TrustRootInvalid)?, "keyId", crate::limits::MAX_SMALL_FIELD_BYTES)?,
        None => sha256(&raw).to_vec(),
    };
    let valid_for = validity(&pk, "validFor")?;
    Ok(TransparencyLog { base_url, key, scheme, log_id, valid_for })
}

fn parse_ca(v: &Value, path: &str) -> Result<CertificateAuthority> {
    let o = Obj::new(v, path, Code::TrustRootInvalid)?;
    let uri = o.str("uri")?.unwrap_or_default().into();
    let chain_v = o.get("certChain").ok_or_else(|| o.fail("certChain", "is missing"))?;
    let chain_path = format!("{path}.certChain");
    let chain_o = Obj::new(chain_v, &chain_path, Code::TrustRootInvalid)?;
    let certs = chain_o.arr("certificates")?;
    if certs.is_empty() || certs.len() > MAX_CHAIN {
        return Err(chain_o.fail("certificates", "must hold 1 to 8 certificates"));
    }
    let mut chain = Vec::with_capacity(certs.len());
    for (i, c) in certs.iter().enumerate() {
        let cp = format!("{chain_path}.certificates[{i}]");
        let der = limited_bytes(&Obj::new(c, &cp, Code::TrustRootInvalid)?, "rawBytes", crate::limits::MAX_CERTIFICATE_BYTES)?;
        chain.push(Cert::from_der(&der).map_err(|e| Error::new(Code::TrustRootInvalid, format!("{cp}: {}", e.context)))?);
    }
    let valid_for = validity(&o, "validFor")?;
    Ok(CertificateAuthority { uri, chain, valid_for })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn production_root_parses() {
        let r = TrustedRoot::production().unwrap();
        assert!(!r.tlogs.is_empty() && !r.ctlogs.is_empty());
        assert_eq!(r.certificate_authorities.len(), 2);
        assert!(r.tlogs.iter().all(|l| l.valid_for.is_some()));
        assert_eq!(r.tlogs[0].origin_host(), "rekor.sigstore.dev");
    }

    #[test]
    fn verified_chains_are_the_embedded_roots() {
        use crate::crypto::{RustCrypto, SignatureVerifier};
        use crate::x509::chain::{authority_chain_checks, chain_digest};
        let r = TrustedRoot::production().unwrap();
        let mut digests = Vec::new();
        for (i, ca) in r.certificate_authorities.iter().chain(&r.timestamp_authorities).enumerate() {
            let mut checks = Vec::new();
            authority_chain_checks(&ca.chain, &format!("authority[{i}]"), &mut checks).unwrap();
            assert!(!checks.is_empty());
            RustCrypto.run_all(&checks).unwrap();
            digests.push(chain_digest(&ca.chain));
        }
        assert_eq!(digests, VERIFIED_CHAINS.to_vec(), "update VERIFIED_CHAINS with production.json (these digests, in this order)");
    }
}
