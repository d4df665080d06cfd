//! The attestation crate's one error type: a core [`sigstore_verifier::Code`] (a bundle that
//! fails, a bad input) or one of the GitHub attestation codes below, with the context of what
//! failed and where.
//!
//! Codes are part of the public interface (docs/errors.md, "GitHub attestation codes"): never
//! rename one.

use sigstore_verifier::error::Step;

/// Stable error codes: the core's, and those only the attestation policy raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A code of the core: bundle verification, caller input.
    Core(sigstore_verifier::Code),
    /// The input is neither a bundle, JSON lines of bundles, a list of bundles, nor a GitHub REST
    /// response `{ "attestations": [ { "bundle": … } ] }`; or one attestation of a response has
    /// no inline bundle.
    DocumentInvalid,
    /// The input is larger than its limit, or holds more bundles than the limit.
    LimitExceeded,
    /// The policy's options do not make a policy: neither or both of owner and repo, two signer
    /// options at once, an empty value, a signer workflow that does not compile.
    PolicyInvalid,
    /// An owner or repository name is not a GitHub name (policy options, API paths).
    NameInvalid,
    /// The bundle verified but is not an attestation: no DSSE in-toto statement.
    StatementMissing,
    /// The statement's predicate type is not the one the policy requires.
    PredicateMismatch,
    /// The certificate's OIDC issuer is not the policy's (GitHub Actions by default).
    IssuerMismatch,
    /// The certificate's Source Repository Owner URI is not the policy's owner.
    OwnerMismatch,
    /// The certificate's Source Repository URI is not the policy's repository.
    RepoMismatch,
    /// The certificate's identity (SAN) is not the signer the policy names (signer workflow,
    /// signer repository, certificate identity, or by default the owner or repository), or the
    /// bundle is signed with a key rather than a Fulcio certificate.
    SignerMismatch,
    /// The policy denies self-hosted runners and the certificate's Runner Environment is not
    /// `github-hosted`.
    SelfHostedRunner,
    /// The certificate's Source Repository Ref is not the policy's.
    SourceRefMismatch,
    /// The certificate's Source Repository Digest is not the policy's.
    SourceDigestMismatch,
    /// The certificate's Build Signer Digest is not the policy's.
    SignerDigestMismatch,
    /// No bundle of the input verified under the policy (each one's reason is listed).
    NoneVerified,
}

impl Code {
    /// The attestation codes (the core's are `sigstore_verifier::Code::ALL`), for docs and tests.
    pub const ATTEST: &'static [Code] = &[
        Code::DocumentInvalid,
        Code::LimitExceeded,
        Code::PolicyInvalid,
        Code::NameInvalid,
        Code::StatementMissing,
        Code::PredicateMismatch,
        Code::IssuerMismatch,
        Code::OwnerMismatch,
        Code::RepoMismatch,
        Code::SignerMismatch,
        Code::SelfHostedRunner,
        Code::SourceRefMismatch,
        Code::SourceDigestMismatch,
        Code::SignerDigestMismatch,
        Code::NoneVerified,
    ];

    /// The SCREAMING_SNAKE form used on the CLI and in JS.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Core(c) => c.as_str(),
            Code::DocumentInvalid => "ATTEST_DOCUMENT_INVALID",
            Code::LimitExceeded => "ATTEST_LIMIT_EXCEEDED",
            Code::PolicyInvalid => "ATTEST_POLICY_INVALID",
            Code::NameInvalid => "ATTEST_NAME_INVALID",
            Code::StatementMissing => "ATTEST_STATEMENT_MISSING",
            Code::PredicateMismatch => "ATTEST_PREDICATE_MISMATCH",
            Code::IssuerMismatch => "ATTEST_ISSUER_MISMATCH",
            Code::OwnerMismatch => "ATTEST_OWNER_MISMATCH",
            Code::RepoMismatch => "ATTEST_REPO_MISMATCH",
            Code::SignerMismatch => "ATTEST_SIGNER_MISMATCH",
            Code::SelfHostedRunner => "ATTEST_SELF_HOSTED_RUNNER",
            Code::SourceRefMismatch => "ATTEST_SOURCE_REF_MISMATCH",
            Code::SourceDigestMismatch => "ATTEST_SOURCE_DIGEST_MISMATCH",
            Code::SignerDigestMismatch => "ATTEST_SIGNER_DIGEST_MISMATCH",
            Code::NoneVerified => "ATTEST_NONE_VERIFIED",
        }
    }

    /// The verification step this code belongs to.
    pub fn step(self) -> Step {
        match self {
            Code::Core(c) => c.step(),
            Code::DocumentInvalid | Code::LimitExceeded | Code::PolicyInvalid | Code::NameInvalid => Step::Input,
            Code::StatementMissing => Step::Artifact,
            _ => Step::Policy,
        }
    }

    /// A usage error on the CLI (exit 2): the caller's options, not the inputs, are wrong.
    pub fn is_usage(self) -> bool {
        matches!(self, Code::PolicyInvalid | Code::NameInvalid)
    }
}

sigstore_verifier::error_type!("GitHub attestation verification");
sigstore_verifier::wraps_core_error!();
