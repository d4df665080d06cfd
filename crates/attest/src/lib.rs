//! `sigstore-attest`: GitHub artifact attestations (`actions/attest`,
//! `actions/attest-build-provenance`) verified on the core with the policy of
//! `gh attestation verify` (`policy`): each bundle of an input (`input`: one bundle, JSON
//! lines, a list, or the REST response) is verified by the core against the artifact, then its
//! certificate and statement are checked against the policy. A batch never stops at the first
//! failure: every bundle gets a verdict ([`Batch`]). `api` builds the REST paths that list an
//! artifact's attestations.
//!
//! `no_std` + alloc, no I/O, no clock; it may depend on the core and `sigstore-protojson` only.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod api;
pub mod error;
pub mod input;
pub mod policy;

use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

pub use error::{Code, Error, Result};
pub use input::{Form, Input};
pub use policy::{Policy, PolicySpec, GITHUB_ACTIONS_ISSUER, SLSA_PROVENANCE_V1};

use error::err;
use sigstore_verifier::error::ErrorReport;
use sigstore_verifier::result::{Signer, VerifiedLogEntry, VerifiedTime};
use sigstore_verifier::trust_root::TrustSource;
use sigstore_verifier::x509::fulcio::FulcioIdentity;
use sigstore_verifier::{Artifact, Bundle, VerificationResult, Verifier};

/// What verifies one bundle for a batch: a core [`Verifier`] (one trusted root) today; a set
/// of verifiers (several instances, each bundle checked against the one its leaf chains to)
/// can implement it too without changing this crate's callers.
pub trait BundleVerifier {
    fn verify_bundle(&self, bundle: &Bundle, artifact: &Artifact, policy: &sigstore_verifier::Policy) -> sigstore_verifier::Result<VerificationResult>;
}

impl BundleVerifier for Verifier {
    fn verify_bundle(&self, bundle: &Bundle, artifact: &Artifact, policy: &sigstore_verifier::Policy) -> sigstore_verifier::Result<VerificationResult> {
        self.verify(bundle, artifact, policy)
    }
}

/// Several instances: each bundle against the one whose CA issued its certificate.
impl BundleVerifier for sigstore_verifier::VerifierSet {
    fn verify_bundle(&self, bundle: &Bundle, artifact: &Artifact, policy: &sigstore_verifier::Policy) -> sigstore_verifier::Result<VerificationResult> {
        self.verify(bundle, artifact, policy)
    }
}

/// The signer of a verified attestation, from its Fulcio certificate (GitHub's names for the
/// claims in `gh attestation verify`'s summary).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SignerSummary {
    /// The SAN: the signer workflow's URI `https://github.com/OWNER/REPO/PATH@REF`.
    pub identity: String,
    pub issuer: Option<String>,
    /// `OWNER/REPO` of the repository the workflow ran for (Source Repository URI).
    pub repository: Option<String>,
    pub source_repository_uri: Option<String>,
    pub source_ref: Option<String>,
    pub source_digest: Option<String>,
    /// The workflow that ran (Build Config URI) and the one that signed (Build Signer URI):
    /// they differ when a reusable workflow signed.
    pub build_workflow: Option<String>,
    pub signer_workflow: Option<String>,
    pub signer_digest: Option<String>,
    pub runner_environment: Option<String>,
    pub run_invocation_uri: Option<String>,
    pub source_repository_visibility: Option<String>,
    pub build_trigger: Option<String>,
}

impl SignerSummary {
    pub fn of(id: &FulcioIdentity) -> SignerSummary {
        let c = |name: &str| id.claims.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone());
        let source_repository_uri = c("sourceRepositoryUri");
        let repository = source_repository_uri.as_deref().and_then(|u| u.strip_prefix("https://github.com/")).map(String::from);
        SignerSummary {
            identity: id.san.clone(),
            issuer: id.issuer.clone(),
            repository,
            source_repository_uri,
            source_ref: c("sourceRepositoryRef"),
            source_digest: c("sourceRepositoryDigest"),
            build_workflow: c("buildConfigUri"),
            signer_workflow: c("buildSignerUri"),
            signer_digest: c("buildSignerDigest"),
            runner_environment: c("runnerEnvironment"),
            run_invocation_uri: c("runInvocationUri"),
            source_repository_visibility: c("sourceRepositoryVisibilityAtSigning"),
            build_trigger: c("buildTrigger"),
        }
    }
}

/// One bundle that verified under the policy.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedAttestation {
    /// Its position in the input (0-based; JSON lines: among the non-blank lines).
    pub index: usize,
    pub predicate_type: String,
    /// The in-toto statement (subjects, predicate).
    pub statement: serde_json::Value,
    pub signer: SignerSummary,
    pub verified_times: Vec<VerifiedTime>,
    pub tlog_entries: Vec<VerifiedLogEntry>,
    pub trust: TrustSource,
}

/// One bundle that did not verify, and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Failure {
    pub index: usize,
    #[serde(flatten)]
    pub error: ErrorReport,
}

/// Every bundle's verdict.
#[derive(Clone, Debug, Serialize)]
pub struct Batch {
    pub form: Form,
    pub verified: Vec<VerifiedAttestation>,
    pub failed: Vec<Failure>,
}

impl Batch {
    /// The JSON form printed by the CLI's `--json` and returned by the JS layer.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// `Ok` when at least one bundle verified; else `ATTEST_NONE_VERIFIED` naming the first
    /// failure (every failure is in [`Batch::failed`]).
    pub fn require_one(&self) -> Result<()> {
        if !self.verified.is_empty() {
            return Ok(());
        }
        match self.failed.first() {
            None => err(Code::NoneVerified, "the input holds no attestation"),
            Some(f) => err(
                Code::NoneVerified,
                alloc::format!("none of {} attestation(s) verified; [{}]: {}: {}", self.failed.len(), f.index, f.error.code, f.error.message),
            ),
        }
    }
}

/// Verify one parsed bundle: the core (signatures, logs, times, the artifact as a statement
/// subject, any Fulcio identity), then the statement and certificate against `policy`.
pub fn verify_one(verifier: &dyn BundleVerifier, bundle: &Bundle, artifact: &Artifact, policy: &Policy, index: usize) -> Result<VerifiedAttestation> {
    let result = verifier.verify_bundle(bundle, artifact, policy.core())?;
    let Some(statement) = result.statement else {
        return err(Code::StatementMissing, "the bundle is a message signature, not a DSSE in-toto attestation");
    };
    policy.check_predicate(&statement.predicate_type)?;
    let Signer::Certificate(id) = &result.signer else {
        return err(Code::SignerMismatch, "the attestation is signed with a key, not a Fulcio certificate");
    };
    policy.check_certificate(id)?;
    Ok(VerifiedAttestation {
        index,
        predicate_type: statement.predicate_type,
        statement: statement.value,
        signer: SignerSummary::of(id),
        verified_times: result.times,
        tlog_entries: result.tlog_entries,
        trust: result.trust,
    })
}

/// Every bundle of `input`, each verified on its own.
pub fn verify_batch(verifier: &dyn BundleVerifier, input: &Input, artifact: &Artifact, policy: &Policy) -> Batch {
    let mut verified = Vec::new();
    let mut failed = Vec::new();
    for (index, b) in input.bundles.iter().enumerate() {
        let r = match b {
            Ok(bundle) => verify_one(verifier, bundle, artifact, policy, index),
            Err(e) => Err(e.clone()),
        };
        match r {
            Ok(v) => verified.push(v),
            Err(e) => failed.push(Failure { index, error: e.report() }),
        }
    }
    Batch { form: input.form, verified, failed }
}
