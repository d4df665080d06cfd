//! npm package verification, offline: given a package's name, version and tarball `integrity`,
//! the registry's attestations document and keys document (and optionally the packument),
//! verify what `npm audit signatures` verifies and report what a person wants to see.
//!
//! * SLSA provenance (`https://slsa.dev/provenance/v1` or `/v0.2`): a Fulcio + Rekor bundle
//!   verified by the crate's [`Verifier`] under caller identity rules (default: any GitHub
//!   Actions workflow or GitLab.com pipeline), its in-toto subject the package purl with the
//!   tarball's sha512.
//! * npm publish attestation: a DSSE bundle signed by the registry key its
//!   `publicKey.hint` names, the key valid at the verified log time, same subject.
//! * Registry signatures (`dist.signatures` of the packument), when a packument is given.
//!
//! Nothing here fetches: the JS layer (or the CLI, from files) supplies the documents.
//!
//! `sigstore-npm` is `no_std` + `alloc`, depends on the core (`sigstore-verifier`) and
//! `sigstore-protojson`, and knows no face: the CLI's lock-file handling and the JS fetching
//! live in those faces.
#![no_std]
#![forbid(unsafe_code)]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod encoding;
pub mod error;

pub mod attestations;
pub mod keys;
pub mod provenance;
pub mod publish;
pub mod purl;
pub mod registry;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::{json, Value};

use crate::encoding::hex_decode;
pub use crate::error::{err, Code, Error, Result};
use sigstore_verifier::crypto::{RustCrypto, SignatureVerifier};
use sigstore_verifier::result::{TimeSource, VerificationResult};
use sigstore_verifier::time::Time;
use sigstore_verifier::verify::Verifier;
use sigstore_verifier::Code as CoreCode;

pub use attestations::{Attestations, PROVENANCE_V02, PROVENANCE_V1, PUBLISH_V01};
pub use keys::{RegistryKey, RegistryKeys};
pub use provenance::{default_rules, IdentityRule, MatchedIdentity, Provenance};
pub use publish::Publish;

/// The package being verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: String,
    /// `pkg:npm/NAME@VERSION` (scope `@` as `%40`).
    pub purl: String,
    /// The tarball's sha512 (from the `integrity` SRI string, or computed from the tarball).
    pub sha512: Vec<u8>,
}

impl Package {
    /// From name, version and an npm `integrity` string (`sha512-<base64>`).
    pub fn new(name: &str, version: &str, integrity: &str) -> Result<Self> {
        Self::from_sha512(name, version, purl::sri_sha512(integrity)?)
    }

    /// From name, version and the tarball's sha512 digest.
    pub fn from_sha512(name: &str, version: &str, sha512: Vec<u8>) -> Result<Self> {
        purl::check_coordinates(name, version)?;
        if sha512.len() != 64 {
            return err(Code::Core(CoreCode::InputInvalid), "a sha512 digest is 64 bytes");
        }
        Ok(Package { name: name.into(), version: version.into(), purl: purl::purl(name, version), sha512 })
    }

    /// `sha512-<base64>` of the tarball.
    pub fn integrity(&self) -> String {
        purl::sri_from_sha512(&self.sha512)
    }
}

/// What the caller requires.
#[derive(Clone, Debug)]
pub struct Options {
    /// Accepted provenance signers; the first that matches is reported.
    pub identities: Vec<IdentityRule>,
    /// Require an SLSA provenance attestation (default true).
    pub require_provenance: bool,
    /// Require the registry's publish attestation (default true).
    pub require_publish: bool,
}

impl Options {
    /// Default rules (any GitHub Actions workflow or GitLab.com pipeline), both attestations required.
    pub fn new() -> Result<Self> {
        Ok(Options { identities: default_rules()?, require_provenance: true, require_publish: true })
    }
}

/// The npm policy as callers spell it (the CLI's flags, the JS policy object): which CI identity
/// may have built the package, and which attestations are required. `repository` (a GitHub
/// `OWNER/REPO`), or `identityRegex` with `issuer` or `issuerRegex`, or neither (any GitHub Actions
/// workflow or GitLab.com pipeline). [`PolicySpec::options`] is the one place that turns it into
/// [`Options`]; unknown JSON fields are refused, so that a misspelt `repository` cannot widen the
/// policy to "any".
#[derive(Clone, Debug, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicySpec {
    pub repository: Option<String>,
    pub identity_regex: Option<String>,
    pub issuer: Option<String>,
    pub issuer_regex: Option<String>,
    pub require_provenance: Option<bool>,
    pub require_publish: Option<bool>,
}

impl PolicySpec {
    /// The JSON field names (for faces that check fields themselves, e.g. on JS objects).
    pub const FIELDS: [&'static str; 6] = ["repository", "identityRegex", "issuer", "issuerRegex", "requireProvenance", "requirePublish"];

    /// The options, or `INPUT_INVALID` for a spec that mixes `repository` with a custom identity or
    /// gives half of one (`POLICY_INVALID` for a bad pattern or repository name).
    pub fn options(&self) -> Result<Options> {
        let issuer = sigstore_verifier::Matcher::from_spec(self.issuer.as_deref(), self.issuer_regex.as_deref(), "issuer")?;
        let identities = match (&self.repository, &self.identity_regex, issuer) {
            (Some(r), None, None) => alloc::vec![IdentityRule::github_repository(r)?],
            (Some(_), _, _) => return err(Code::Core(CoreCode::InputInvalid), "npm policy: repository cannot be combined with identityRegex or issuer"),
            (None, Some(san), Some(issuer)) => alloc::vec![IdentityRule::new("custom", sigstore_verifier::Matcher::regex(san)?, issuer)],
            (None, Some(_), None) | (None, None, Some(_)) => {
                return err(Code::Core(CoreCode::InputInvalid), "npm policy: identityRegex and issuer (or issuerRegex) go together")
            }
            (None, None, None) => default_rules()?,
        };
        Ok(Options { identities, require_provenance: self.require_provenance.unwrap_or(true), require_publish: self.require_publish.unwrap_or(true) })
    }
}

/// Where an attestation was logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogInfo {
    pub log_url: String,
    pub log_index: u64,
    /// The integrated time, when a verified SET vouches for it.
    pub integrated_time: Option<Time>,
}

/// The first verified log entry of a result, with its verified integrated time.
pub(crate) fn log_info(r: &VerificationResult) -> Option<LogInfo> {
    let e = r.tlog_entries.first()?;
    let integrated_time = r.times.iter().find_map(|t| match &t.source {
        TimeSource::Tlog { log_url, log_index } if *log_url == e.log_url && *log_index == e.log_index => Some(t.time),
        _ => None,
    });
    Some(LogInfo { log_url: e.log_url.clone(), log_index: e.log_index, integrated_time })
}

/// The statement's subject named by the package purl must carry the tarball's sha512
/// (npm `libnpmpublish` writes exactly one such subject). The core has already required some
/// subject digest to equal the tarball's; this binds that digest to this package name.
pub(crate) fn check_subject(statement: &Value, pkg: &Package) -> Result<()> {
    let subjects = statement.get("subject").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut named = false;
    for s in subjects {
        if s.get("name").and_then(Value::as_str) != Some(pkg.purl.as_str()) {
            continue;
        }
        named = true;
        let d = s.get("digest").and_then(|d| d.get("sha512")).and_then(Value::as_str).and_then(hex_decode);
        if d.as_deref() == Some(pkg.sha512.as_slice()) {
            return Ok(());
        }
    }
    if named {
        return err(Code::SubjectMismatch, format!("the subject {} does not carry the tarball's sha512", pkg.purl));
    }
    let names: Vec<&str> = subjects.iter().filter_map(|s| s.get("name").and_then(Value::as_str)).collect();
    err(Code::SubjectMismatch, format!("no subject is named {} (subjects: {names:?})", pkg.purl))
}

/// Everything verified about one package version.
#[derive(Clone, Debug)]
pub struct NpmVerification {
    pub package: Package,
    pub provenance: Option<Provenance>,
    pub publish: Option<Publish>,
    /// Key ids whose registry signatures verified; `None` when no packument was given.
    pub registry_signatures: Option<Vec<String>>,
    /// Every predicate type the attestations document lists (verified or not).
    pub predicate_types: Vec<String>,
}

/// The documents for one package version (JSON text, as the registry serves them).
#[derive(Clone, Copy, Debug, Default)]
pub struct Documents<'a> {
    /// `GET /-/npm/v1/attestations/NAME@VERSION`; `None` when the registry has none.
    pub attestations: Option<&'a str>,
    /// The packument (`GET /NAME`) or the version document (`GET /NAME/VERSION`).
    pub packument: Option<&'a str>,
}

/// Keys, trusted root and options prepared once; then [`NpmVerifier::verify`] per package.
#[derive(Clone, Debug)]
pub struct NpmVerifier {
    pub verifier: Verifier,
    pub keys: RegistryKeys,
    pub options: Options,
}

impl NpmVerifier {
    /// `keys_json` is the registry's `/-/npm/v1/keys` document.
    pub fn new(verifier: Verifier, keys_json: &str, options: Options) -> Result<Self> {
        Ok(NpmVerifier { verifier, keys: RegistryKeys::from_json(keys_json)?, options })
    }

    /// Over the embedded Sigstore production root, with default options.
    pub fn production(keys_json: &str) -> Result<Self> {
        Self::new(Verifier::production()?, keys_json, Options::new()?)
    }

    pub fn verify(&self, pkg: &Package, docs: Documents<'_>) -> Result<NpmVerification> {
        self.verify_with(pkg, docs, &RustCrypto)
    }

    /// Verify with signature checks run by `backend`.
    ///
    /// Without an attestations document the package passes only if a packument is given whose
    /// registry signatures verify, it does not advertise attestations (`dist.attestations`),
    /// and the options require no attestation.
    pub fn verify_with(&self, pkg: &Package, docs: Documents<'_>, backend: &dyn SignatureVerifier) -> Result<NpmVerification> {
        let packument = docs.packument.map(|t| crate::error::json::parse(t, Code::DocumentInvalid, "packument")).transpose()?;
        let dist = packument.as_ref().map(|p| registry::version_dist(p, pkg)).transpose()?;
        let atts = match docs.attestations {
            Some(t) => Attestations::from_json(t)?,
            None => {
                if dist.is_some_and(|d| d.has_attestations()) {
                    return err(Code::AttestationMissing, "the packument lists attestations (dist.attestations) but no attestations document was given");
                }
                if dist.is_none() {
                    return err(Code::AttestationMissing, "neither an attestations document nor a packument was given: nothing to verify");
                }
                Attestations::default()
            }
        };
        let provenance = match (&atts.provenance, self.options.require_provenance) {
            (Some(a), _) => Some(provenance::verify(&self.verifier, a, pkg, &self.options.identities, backend)?),
            (None, true) => return err(Code::AttestationMissing, format!("no SLSA provenance attestation ({PROVENANCE_V1}) for {}@{}", pkg.name, pkg.version)),
            (None, false) => None,
        };
        let publish = match (&atts.publish, self.options.require_publish) {
            (Some(a), _) => Some(publish::verify(&self.verifier, a, pkg, &self.keys, backend)?),
            (None, true) => return err(Code::AttestationMissing, format!("no npm publish attestation ({PUBLISH_V01}) for {}@{}", pkg.name, pkg.version)),
            (None, false) => None,
        };
        let registry_signatures = match &dist {
            Some(d) => {
                let verified = publish.as_ref().and_then(|p| p.log.as_ref()).and_then(|l| l.integrated_time);
                Some(registry::verify(d, pkg, &self.keys, verified, backend)?)
            }
            None => None,
        };
        Ok(NpmVerification { package: pkg.clone(), provenance, publish, registry_signatures, predicate_types: atts.predicate_types })
    }
}

fn log_json(l: &Option<LogInfo>) -> Value {
    match l {
        Some(l) => json!({ "logUrl": l.log_url, "logIndex": l.log_index, "integratedTime": l.integrated_time.map(|t| t.to_rfc3339()) }),
        None => Value::Null,
    }
}

impl NpmVerification {
    /// The JSON form printed by `sigstore-verify verify-npm --json` and returned to JS.
    pub fn to_json(&self) -> Value {
        let p = &self.package;
        let provenance = self.provenance.as_ref().map(|v| {
            json!({
                "predicateType": v.predicate_type,
                "identity": { "rule": v.identity.rule, "san": v.identity.san, "issuer": v.identity.issuer },
                "sourceRepository": v.source_repository,
                "sourceRef": v.source_ref,
                "commit": v.commit,
                "workflow": v.workflow,
                "trigger": v.trigger,
                "builder": v.builder,
                "runnerEnvironment": v.runner_environment,
                "runInvocation": v.run_invocation,
                "tlog": log_json(&v.log),
                "bundle": v.result.to_json(),
            })
        });
        let publish = self.publish.as_ref().map(|v| {
            json!({
                "predicateType": v.predicate_type,
                "keyid": v.keyid,
                "keyExpires": v.key_expires.map(|t| t.to_rfc3339()),
                "tlog": log_json(&v.log),
                "bundle": v.result.to_json(),
            })
        });
        json!({
            "verified": true,
            "name": p.name,
            "version": p.version,
            "purl": p.purl,
            "integrity": p.integrity(),
            "predicateTypes": self.predicate_types,
            "provenance": provenance,
            "publish": publish,
            "registrySignatures": self.registry_signatures,
        })
    }
}
