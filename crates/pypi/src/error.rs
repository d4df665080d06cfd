//! The PyPI crate's one error type: a core [`sigstore_verifier::Code`] (a bundle that fails, a
//! bad input) or one of the PyPI codes below, with the context of what failed and where.
//!
//! Codes are part of the public interface (docs/errors.md, "PyPI codes"): never rename one.

use sigstore_verifier::error::Step;

/// Stable error codes: the core's, and those only PyPI verification raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A code of the core: bundle verification, caller input, policy.
    Core(sigstore_verifier::Code),
    /// A PEP 740 object (provenance, attestation bundle, attestation, publisher) is malformed:
    /// a missing or mistyped field, an unsupported version, bad base64.
    DocumentInvalid,
    /// A distribution filename (given, or an attestation subject's) is not a well-formed wheel
    /// or sdist name.
    FilenameInvalid,
    /// The statement does not have exactly one subject, or its subject is another distribution
    /// (name, version or tags after parsing) or has another sha256.
    SubjectMismatch,
    /// The statement's predicate type is neither PyPI publish v1 nor SLSA provenance v1.
    PredicateUnknown,
    /// The signing certificate is not the Trusted Publisher's (issuer, repository, workflow,
    /// service account or CircleCI pipeline).
    PublisherMismatch,
    /// The provenance holds no attestation to verify.
    AttestationMissing,
}

impl Code {
    /// The PyPI codes (the core's are `sigstore_verifier::Code::ALL`), for docs and tests.
    pub const PYPI: &'static [Code] =
        &[Code::DocumentInvalid, Code::FilenameInvalid, Code::SubjectMismatch, Code::PredicateUnknown, Code::PublisherMismatch, Code::AttestationMissing];

    /// The SCREAMING_SNAKE form used on the CLI and in JS.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Core(c) => c.as_str(),
            Code::DocumentInvalid => "PYPI_DOCUMENT_INVALID",
            Code::FilenameInvalid => "PYPI_FILENAME_INVALID",
            Code::SubjectMismatch => "PYPI_SUBJECT_MISMATCH",
            Code::PredicateUnknown => "PYPI_PREDICATE_UNKNOWN",
            Code::PublisherMismatch => "PYPI_PUBLISHER_MISMATCH",
            Code::AttestationMissing => "PYPI_ATTESTATION_MISSING",
        }
    }

    /// The verification step this code belongs to.
    pub fn step(self) -> Step {
        match self {
            Code::Core(c) => c.step(),
            Code::DocumentInvalid | Code::FilenameInvalid => Step::Input,
            Code::SubjectMismatch => Step::Artifact,
            Code::PredicateUnknown | Code::PublisherMismatch | Code::AttestationMissing => Step::Policy,
        }
    }
}

sigstore_verifier::error_type!("PyPI verification");
sigstore_verifier::wraps_core_error!();
