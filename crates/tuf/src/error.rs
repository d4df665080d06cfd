//! The TUF crate's error type: a stable `TUF_*` code with the context of what failed.
//!
//! Codes are part of the public interface (docs/errors.md, "TUF codes"): never rename one.
//! Every code belongs to the core's `trusted_root` step: TUF is how a trusted root is obtained.

use alloc::string::{String, ToString};
use core::fmt;

use sigstore_verifier::error::{ErrorReport, Step};

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

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A TUF failure: code and what failed where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: Code,
    pub context: String,
}

impl Error {
    pub fn new(code: Code, context: impl Into<String>) -> Self {
        Error { code, context: context.into() }
    }

    pub fn step(&self) -> Step {
        self.code.step()
    }

    /// Prefix the context with where the failure happened (e.g. `13.root.json`).
    pub fn at(self, place: &str) -> Self {
        let mut context = String::with_capacity(place.len() + 2 + self.context.len());
        context.push_str(place);
        context.push_str(": ");
        context.push_str(&self.context);
        Error { code: self.code, context }
    }

    /// What the CLI's `--json` and the JS layer report.
    pub fn report(&self) -> ErrorReport {
        ErrorReport::new(self.code.as_str(), self.step(), &self.context)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.context)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// Shorthand for building an error.
pub fn err<T>(code: Code, context: impl ToString) -> Result<T> {
    Err(Error::new(code, context.to_string()))
}

pub type Result<T> = core::result::Result<T, Error>;
