//! The npm crate's one error type: a core [`sigstore_verifier::Code`] (a bundle that fails, a bad
//! input or policy) or one of the npm codes below, with the context of what failed and where.
//!
//! Codes are part of the public interface (CLI, JS layer, docs/errors.md): never rename one.

use sigstore_verifier::error::Step;

/// Stable error codes: the core's, and those only npm verification raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A code of the core: bundle verification, caller input, policy, keys.
    Core(sigstore_verifier::Code),
    /// An npm document (attestations, registry keys, packument, package-lock) is malformed, or an
    /// attestation's listed predicateType differs from its signed statement, or is duplicated.
    DocumentInvalid,
    /// A required npm attestation (SLSA provenance or npm publish) is absent.
    AttestationMissing,
    /// The attestation's subject is not the package: no subject named by the package purl with
    /// the tarball's sha512, or the publish predicate names another package or version.
    SubjectMismatch,
    /// The registry key named by a publish attestation or registry signature is not in the keys document.
    KeyUnknown,
    /// The registry key had expired at the verified signing time.
    KeyExpired,
    /// The packument carries no registry signature (`dist.signatures`) to check.
    RegistrySignatureMissing,
    /// A registry signature over `name@version:integrity` does not verify.
    RegistrySignatureInvalid,
}

impl Code {
    /// The npm codes (the core's are `sigstore_verifier::Code::ALL`), for docs and tests.
    pub const NPM: &'static [Code] = &[
        Code::DocumentInvalid,
        Code::AttestationMissing,
        Code::SubjectMismatch,
        Code::KeyUnknown,
        Code::KeyExpired,
        Code::RegistrySignatureMissing,
        Code::RegistrySignatureInvalid,
    ];

    /// The SCREAMING_SNAKE form used on the CLI and in JS.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Core(c) => c.as_str(),
            Code::DocumentInvalid => "NPM_DOCUMENT_INVALID",
            Code::AttestationMissing => "NPM_ATTESTATION_MISSING",
            Code::SubjectMismatch => "NPM_SUBJECT_MISMATCH",
            Code::KeyUnknown => "NPM_KEY_UNKNOWN",
            Code::KeyExpired => "NPM_KEY_EXPIRED",
            Code::RegistrySignatureMissing => "NPM_REGISTRY_SIGNATURE_MISSING",
            Code::RegistrySignatureInvalid => "NPM_REGISTRY_SIGNATURE_INVALID",
        }
    }

    /// The verification step this code belongs to.
    pub fn step(self) -> Step {
        match self {
            Code::Core(c) => c.step(),
            Code::DocumentInvalid => Step::Input,
            Code::AttestationMissing => Step::Policy,
            Code::SubjectMismatch => Step::Artifact,
            Code::KeyUnknown | Code::KeyExpired | Code::RegistrySignatureMissing | Code::RegistrySignatureInvalid => Step::Signature,
        }
    }
}

impl PartialEq<sigstore_verifier::Code> for Code {
    fn eq(&self, other: &sigstore_verifier::Code) -> bool {
        *self == Code::Core(*other)
    }
}

sigstore_verifier::error_type!("npm verification");

impl From<sigstore_verifier::Error> for Error {
    fn from(e: sigstore_verifier::Error) -> Self {
        Error { code: Code::Core(e.code), context: e.context }
    }
}

/// The crate's view of `sigstore-protojson`: its objects carry an npm [`Code`].
pub(crate) mod json {
    pub(crate) use sigstore_protojson::parse;
    pub(crate) type Obj<'a> = sigstore_protojson::Obj<'a, super::Code>;

    impl sigstore_protojson::ErrorCode for super::Code {
        type Error = super::Error;
        fn error(self, context: alloc::string::String) -> super::Error {
            super::Error::new(self, context)
        }
    }
}
