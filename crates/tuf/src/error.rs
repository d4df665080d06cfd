//! The TUF crate's error type: a stable `TUF_*` code with the context of what failed.
//!
//! Codes are part of the public interface (docs/errors.md, "TUF codes"): never rename one.
//! Every code belongs to the core's `trusted_root` step: TUF is how a trusted root is obtained.

use sigstore_verifier::error::Step;

/// Stable error codes of the TUF client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// Metadata is not JSON, not canonicalizable, or a field is missing or has the wrong type,
    /// role type or spec version.
    MetadataInvalid,
    /// Fewer distinct keys of the role than its threshold produced valid signatures.
    SignatureThresholdNotMet,
    /// Metadata has a lower version than the trusted copy (or a listed meta version went down).
    Rollback,
    /// Metadata has expired at the time given by the caller.
    Expired,
    /// Metadata's version differs from the one required (root N+1, or the version listed by the
    /// referring metadata).
    VersionMismatch,
    /// A file's length or hashes differ from what the referring metadata lists.
    LengthOrHashMismatch,
    /// No role trusted for the name lists the target.
    TargetNotFound,
    /// A file is longer than the maximum length the client asked for.
    TooLarge,
    /// The repository does not have a file the client needs (any but the next root).
    MetadataMissing,
    /// A bound of the client was reached: root rotations or delegated roles visited.
    LimitExceeded,
    /// The caller fed a file or asked for a target when the client was not waiting for it, or
    /// after the update had failed.
    UnexpectedInput,
}

impl Code {
    /// Every code, for docs and tests.
    pub const ALL: &'static [Code] = &[
        Code::MetadataInvalid,
        Code::SignatureThresholdNotMet,
        Code::Rollback,
        Code::Expired,
        Code::VersionMismatch,
        Code::LengthOrHashMismatch,
        Code::TargetNotFound,
        Code::TooLarge,
        Code::MetadataMissing,
        Code::LimitExceeded,
        Code::UnexpectedInput,
    ];

    /// The SCREAMING_SNAKE form used on the CLI and in JS.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MetadataInvalid => "TUF_METADATA_INVALID",
            Code::SignatureThresholdNotMet => "TUF_SIGNATURE_THRESHOLD_NOT_MET",
            Code::Rollback => "TUF_ROLLBACK",
            Code::Expired => "TUF_EXPIRED",
            Code::VersionMismatch => "TUF_VERSION_MISMATCH",
            Code::LengthOrHashMismatch => "TUF_LENGTH_OR_HASH_MISMATCH",
            Code::TargetNotFound => "TUF_TARGET_NOT_FOUND",
            Code::TooLarge => "TUF_TOO_LARGE",
            Code::MetadataMissing => "TUF_METADATA_MISSING",
            Code::LimitExceeded => "TUF_LIMIT_EXCEEDED",
            Code::UnexpectedInput => "TUF_UNEXPECTED_INPUT",
        }
    }

    /// The verification step: always the trusted root's.
    pub fn step(self) -> Step {
        Step::TrustRoot
    }
}

sigstore_verifier::error_type!("TUF");
