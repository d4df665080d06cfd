//! `sigstore-pypi`: PyPI's PEP 740 attestations verified on the core. A provenance object (the
//! index's integrity API) or a single attestation is turned into the Sigstore bundle it stands
//! for (`attestation`), verified by the core against the Trusted Publisher's policy
//! (`publisher`), and its in-toto statement checked against the distribution: exactly one
//! subject, naming the distribution (compared after parsing the wheel or sdist filename,
//! `filename` and `version`), with the file's sha256; predicate PyPI publish v1 or SLSA
//! provenance v1.
//!
//! `no_std` + alloc, no I/O, no clock; it may depend on the core and `sigstore-protojson` only.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod attestation;
pub mod error;
pub mod filename;
pub mod lock;
pub mod publisher;
pub mod version;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

pub use attestation::{Attestation, AttestationBundle, Provenance};
pub use error::{Code, Error, Result};
pub use filename::DistName;
pub use publisher::Publisher;

use error::err;
use sigstore_verifier::crypto::HashAlg;
use sigstore_verifier::result::Signer;
use sigstore_verifier::{Artifact, VerificationResult, Verifier};

/// `https://docs.pypi.org/attestations/publish/v1`: PyPI's publish attestation.
pub const PUBLISH_V1: &str = "https://docs.pypi.org/attestations/publish/v1";
/// `https://slsa.dev/provenance/v1`: SLSA build provenance.
pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";

/// The distribution an attestation must be about: its filename (parsed) and sha256.
#[derive(Clone, Debug)]
pub struct Distribution {
    pub filename: String,
    pub name: DistName,
    pub sha256: Vec<u8>,
}

impl Distribution {
    /// A distribution by filename and sha256 digest (32 bytes).
    pub fn new(filename: &str, sha256: &[u8]) -> Result<Distribution> {
        if sha256.len() != 32 {
            return err(Code::Core(sigstore_verifier::Code::InputInvalid), format!("a sha256 digest is 32 bytes, not {}", sha256.len()));
        }
        Ok(Distribution { filename: filename.into(), name: filename::parse(filename)?, sha256: sha256.to_vec() })
    }

    /// A distribution by filename and sha256 as 64 hex digits (`INPUT_INVALID` otherwise).
    pub fn from_hex(filename: &str, sha256: &str) -> Result<Distribution> {
        let mut buf = [0u8; 32];
        match base16ct::mixed::decode(sha256.as_bytes(), &mut buf) {
            Ok(d) if d.len() == 32 => Distribution::new(filename, d),
            _ => err(Code::Core(sigstore_verifier::Code::InputInvalid), "a sha256 digest is 64 hex digits"),
        }
    }

    /// A distribution by filename and contents.
    pub fn from_bytes(filename: &str, bytes: &[u8]) -> Result<Distribution> {
        Distribution::new(filename, &HashAlg::Sha256.digest(bytes))
    }
}

/// One verified attestation.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedAttestation {
    pub predicate_type: String,
    /// The publisher whose policy the certificate satisfied.
    pub publisher: Publisher,
    /// The certificate's SAN and issuer.
    pub identity: String,
    pub issuer: String,
    /// The core's result for the attestation's bundle (times, log entries, claims, trust).
    #[serde(rename = "bundle")]
    pub result: VerificationResult,
}

/// A verified distribution: every attestation of its provenance verified.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PypiVerification {
    verified: bool,
    pub filename: String,
    pub sha256: String,
    pub attestations: Vec<VerifiedAttestation>,
}

impl PypiVerification {
    /// The result of verifying one attestation on its own.
    pub fn single(dist: &Distribution, att: VerifiedAttestation) -> PypiVerification {
        PypiVerification {
            verified: true,
            filename: dist.filename.clone(),
            sha256: base16ct::lower::encode_string(&dist.sha256),
            attestations: alloc::vec![att],
        }
    }

    /// The JSON form printed by the CLI and returned by the JS layer.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// Which publisher a provenance object's attestations must come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pin {
    /// The publisher each attestation bundle names (reported in the result).
    Named,
    /// The publisher each bundle names, which must be a GitHub or GitLab publisher of this
    /// repository (`OWNER/REPO`).
    Repository(String),
    /// Exactly this publisher, whatever the bundles name.
    Publisher(Publisher),
}

impl Pin {
    /// The JSON form of a pin (the JS layer's `policy`): absent or `null` for [`Pin::Named`],
    /// `{ "repository": "OWNER/REPO" }`, or `{ "publisher": { "kind": "GitHub", ... } }` with
    /// the fields of a PEP 740 publisher object. Anything else is `INPUT_INVALID`, so that a
    /// typo never weakens a policy.
    pub fn from_value(v: &serde_json::Value) -> Result<Pin> {
        let input = |m: &str| err(Code::Core(sigstore_verifier::Code::InputInvalid), format!("PyPI policy: {m}"));
        let Some(o) = v.as_object() else {
            return if v.is_null() { Ok(Pin::Named) } else { input("must be an object: { repository } or { publisher }") };
        };
        match (o.get("repository"), o.get("publisher"), o.len()) {
            (None, None, 0) => Ok(Pin::Named),
            (Some(serde_json::Value::String(r)), None, 1) if r.split('/').count() >= 2 && r.len() <= 1024 => Ok(Pin::Repository(r.clone())),
            (Some(_), None, 1) => input("repository must be \"OWNER/REPO\""),
            (None, Some(p), 1) => match Publisher::from_value(p, "publisher") {
                Ok(Some(p)) => Ok(Pin::Publisher(p)),
                Ok(None) => input("publisher.kind must be GitHub, GitLab, Google or CircleCI"),
                Err(e) => Err(Error::new(Code::Core(sigstore_verifier::Code::InputInvalid), e.context)),
            },
            _ => input("expected exactly one of the fields repository, publisher"),
        }
    }
}

/// Verifies PEP 740 attestations with a core [`Verifier`] (trusted root and thresholds).
pub struct PypiVerifier {
    pub verifier: Verifier,
}

impl PypiVerifier {
    pub fn new(verifier: Verifier) -> Self {
        PypiVerifier { verifier }
    }

    /// One attestation, against `publisher`'s policy.
    pub fn verify_attestation(&self, att: &Attestation, dist: &Distribution, publisher: &Publisher) -> Result<VerifiedAttestation> {
        let policy = publisher.policy()?;
        let artifact = Artifact::Digest(HashAlg::Sha256, dist.sha256.clone());
        let result = self.verifier.verify(&att.bundle, &artifact, &policy)?;
        let Some(statement) = &result.statement else {
            return err(Code::DocumentInvalid, "the attestation is not a DSSE in-toto statement");
        };
        check_subject(&statement.value, dist)?;
        let pt = statement.predicate_type.as_str();
        check_predicate(pt)?;
        let Signer::Certificate(id) = &result.signer else {
            return err(Code::PublisherMismatch, "the attestation is not signed with a Fulcio certificate");
        };
        publisher.check(id)?;
        Ok(VerifiedAttestation {
            predicate_type: pt.into(),
            publisher: publisher.clone(),
            identity: id.san.clone(),
            issuer: id.issuer.clone().unwrap_or_default(),
            result: result.clone(),
        })
    }

    /// Every attestation of a provenance object. Each is checked against `pinned` when the
    /// caller gives a publisher, else against the publisher its attestation bundle names (and
    /// reported). A bundle that names a publisher kind this crate does not know fails unless a
    /// publisher is pinned.
    pub fn verify_provenance(&self, prov: &Provenance, dist: &Distribution, pinned: Option<&Publisher>) -> Result<PypiVerification> {
        self.verify_provenance_pinned(
            prov,
            dist,
            &match pinned {
                Some(p) => Pin::Publisher(p.clone()),
                None => Pin::Named,
            },
        )
    }

    /// [`PypiVerifier::verify_provenance`] with a [`Pin`].
    pub fn verify_provenance_pinned(&self, prov: &Provenance, dist: &Distribution, pin: &Pin) -> Result<PypiVerification> {
        let mut attestations = Vec::new();
        for (i, b) in prov.bundles.iter().enumerate() {
            let place = format!("attestation_bundles[{i}]");
            let publisher = match (pin, &b.publisher) {
                (Pin::Publisher(p), _) => p,
                (Pin::Named, Some(p)) => p,
                (Pin::Repository(r), Some(p)) => {
                    if p.repository() != Some(r.as_str()) {
                        return err(
                            Code::PublisherMismatch,
                            format!("{place}: the publisher is {} {:?}, not repository {r:?}", p.kind(), p.repository().unwrap_or("-")),
                        );
                    }
                    p
                }
                (_, None) => return err(Code::PublisherMismatch, format!("{place}: a publisher kind this verifier does not know; pin one")),
            };
            for (j, a) in b.attestations.iter().enumerate() {
                attestations.push(self.verify_attestation(a, dist, publisher).map_err(|e| e.at(&format!("{place}.attestations[{j}]")))?);
            }
        }
        if attestations.is_empty() {
            return err(Code::AttestationMissing, "the provenance holds no attestation");
        }
        Ok(PypiVerification { verified: true, filename: dist.filename.clone(), sha256: base16ct::lower::encode_string(&dist.sha256), attestations })
    }
}

/// The predicate types PyPI accepts (`PYPI_PREDICATE_UNKNOWN` for any other).
pub fn check_predicate(pt: &str) -> Result<()> {
    if pt != PUBLISH_V1 && pt != SLSA_PROVENANCE_V1 {
        return err(Code::PredicateUnknown, format!("predicate type {pt:?} (accepted: {PUBLISH_V1}, {SLSA_PROVENANCE_V1})"));
    }
    Ok(())
}

/// Exactly one subject; its name parses as a distribution filename equal to `dist`'s, and its
/// sha256 is the file's.
fn check_subject(statement: &serde_json::Value, dist: &Distribution) -> Result<()> {
    let subjects = statement.get("subject").and_then(serde_json::Value::as_array).map_or(&[][..], Vec::as_slice);
    let [subject] = subjects else {
        return err(Code::SubjectMismatch, format!("the statement has {} subjects (exactly one is allowed)", subjects.len()));
    };
    let name = subject.get("name").and_then(serde_json::Value::as_str).unwrap_or_default();
    let parsed = filename::parse(name).map_err(|e| e.at("statement subject"))?;
    if parsed != dist.name {
        return err(Code::SubjectMismatch, format!("the subject {name:?} is not the distribution {:?}", dist.filename));
    }
    let want = base16ct::lower::encode_string(&dist.sha256);
    match subject.get("digest").and_then(|d| d.get("sha256")).and_then(serde_json::Value::as_str) {
        Some(d) if d.eq_ignore_ascii_case(&want) => Ok(()),
        Some(d) => err(Code::SubjectMismatch, format!("the subject's sha256 {d} is not the distribution's {want}")),
        None => err(Code::SubjectMismatch, "the subject has no sha256 digest"),
    }
}
