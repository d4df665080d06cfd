//! The one error type of the crate: a stable machine-readable [`Code`], the verification [`Step`]
//! it belongs to, and a human-readable context string that says what failed and where.
//!
//! Codes are part of the public interface (CLI, JS layer, docs/errors.md): never rename one.

use alloc::string::String;
use serde::Serialize;

/// The verification step a failure belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Input,
    TrustRoot,
    Bundle,
    Certificate,
    Sct,
    Tlog,
    Timestamp,
    Signature,
    Artifact,
    Policy,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Input => "input",
            Step::TrustRoot => "trusted_root",
            Step::Bundle => "bundle",
            Step::Certificate => "certificate",
            Step::Sct => "sct",
            Step::Tlog => "tlog",
            Step::Timestamp => "timestamp",
            Step::Signature => "signature",
            Step::Artifact => "artifact",
            Step::Policy => "policy",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident => $text:literal, $step:ident; )*) => {
        /// Stable error codes. `docs/errors.md` documents each one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Code { $( $(#[$doc])* $name, )* }

        impl Code {
            /// Every code, in declaration order (for docs and tests).
            pub const ALL: &'static [Code] = &[ $( Code::$name, )* ];

            /// The SCREAMING_SNAKE form used on the CLI and in JS.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$name => $text, )* }
            }

            /// The verification step this code belongs to.
            pub fn step(self) -> Step {
                match self { $( Code::$name => Step::$step, )* }
            }
        }
    };
}

codes! {
    /// Caller input is unusable (bad artifact digest string, bad policy, bad key PEM).
    InputInvalid => "INPUT_INVALID", Input;
    /// A regular expression in the identity policy does not compile.
    PolicyInvalid => "POLICY_INVALID", Policy;
    /// A verifier setting is below what its trusted root requires (a threshold lower than the
    /// derived one, or no SCT where the root lists CT logs) without `lower_thresholds_unsafe`.
    ConfigUnsafe => "CONFIG_UNSAFE", Input;

    /// The trusted root JSON is malformed or holds an unusable key/certificate/validity window.
    TrustRootInvalid => "TRUST_ROOT_INVALID", TrustRoot;

    /// The bundle is not valid JSON, too deeply nested, or a field has the wrong type/encoding.
    BundleParse => "BUNDLE_PARSE", Bundle;
    /// The bundle's mediaType is not one of the supported versions.
    BundleUnsupportedMediaType => "BUNDLE_UNSUPPORTED_MEDIA_TYPE", Bundle;
    /// A field required by the bundle's version is missing or a forbidden field is present.
    BundleInvalid => "BUNDLE_INVALID", Bundle;
    /// The bundle exceeds a hard limit (entries, timestamps, subjects, sizes).
    BundleLimitExceeded => "BUNDLE_LIMIT_EXCEEDED", Bundle;

    /// A certificate does not parse as DER X.509, or has an unsupported key/algorithm.
    CertInvalid => "CERT_INVALID", Certificate;
    /// The bundle's certificate chain carries a root or trusted CA certificate.
    CertChainContainsRoot => "CERT_CHAIN_CONTAINS_ROOT", Certificate;
    /// No certificate authority in the trusted root issued the signing certificate.
    CertChainUntrusted => "CERT_CHAIN_UNTRUSTED", Certificate;
    /// A certificate signature in the chain does not verify.
    CertSignatureInvalid => "CERT_SIGNATURE_INVALID", Certificate;
    /// A certificate or CA is not valid at a verified time.
    CertNotValidAtTime => "CERT_NOT_VALID_AT_TIME", Certificate;
    /// Key usage, extended key usage or basic constraints do not allow code signing.
    CertUsageInvalid => "CERT_USAGE_INVALID", Certificate;

    /// The signing certificate carries no SCT from a trusted CT log.
    SctMissing => "SCT_MISSING", Sct;
    /// An embedded SCT is malformed or its signature does not verify.
    SctInvalid => "SCT_INVALID", Sct;

    /// A tlog entry names a log that is not in the trusted root (or not valid at its time).
    TlogUnknownLog => "TLOG_UNKNOWN_LOG", Tlog;
    /// A tlog entry field is malformed (negative index, bad body encoding, bad kind).
    TlogEntryInvalid => "TLOG_ENTRY_INVALID", Tlog;
    /// The canonicalized body does not match the bundle's signature, key and artifact.
    TlogBodyMismatch => "TLOG_BODY_MISMATCH", Tlog;
    /// The entry kind/version is not supported.
    TlogKindUnsupported => "TLOG_KIND_UNSUPPORTED", Tlog;
    /// A required inclusion promise (SET) is missing.
    TlogSetMissing => "TLOG_SET_MISSING", Tlog;
    /// The inclusion promise (SET) signature does not verify.
    TlogSetInvalid => "TLOG_SET_INVALID", Tlog;
    /// A required inclusion proof is missing.
    TlogInclusionProofMissing => "TLOG_INCLUSION_PROOF_MISSING", Tlog;
    /// The Merkle inclusion proof does not reproduce the root hash, or has the wrong shape.
    TlogInclusionProofInvalid => "TLOG_INCLUSION_PROOF_INVALID", Tlog;
    /// The checkpoint is missing or does not parse as a signed note.
    TlogCheckpointInvalid => "TLOG_CHECKPOINT_INVALID", Tlog;
    /// No valid checkpoint signature from the log's key.
    TlogCheckpointSignatureInvalid => "TLOG_CHECKPOINT_SIGNATURE_INVALID", Tlog;
    /// The checkpoint's size or root hash differ from the proof, or (Rekor v2) its origin from the log's.
    TlogCheckpointMismatch => "TLOG_CHECKPOINT_MISMATCH", Tlog;
    /// Fewer verified log entries than the policy requires.
    TlogThresholdNotMet => "TLOG_THRESHOLD_NOT_MET", Tlog;

    /// An RFC 3161 timestamp token does not parse or has unsupported contents.
    TimestampInvalid => "TIMESTAMP_INVALID", Timestamp;
    /// No timestamp authority in the trusted root signed the token.
    TimestampUntrusted => "TIMESTAMP_UNTRUSTED", Timestamp;
    /// The token's CMS signature or signed attributes do not verify.
    TimestampSignatureInvalid => "TIMESTAMP_SIGNATURE_INVALID", Timestamp;
    /// The token's message imprint is not the hash of the bundle signature.
    TimestampImprintMismatch => "TIMESTAMP_IMPRINT_MISMATCH", Timestamp;
    /// The TSA (its certificates or its trusted-root window) is not valid at genTime.
    TimestampNotValidAtTime => "TIMESTAMP_NOT_VALID_AT_TIME", Timestamp;
    /// Fewer verified timestamps than the policy requires, or no verified time at all.
    TimestampThresholdNotMet => "TIMESTAMP_THRESHOLD_NOT_MET", Timestamp;

    /// The artifact's message signature does not verify.
    SignatureInvalid => "SIGNATURE_INVALID", Signature;
    /// The DSSE envelope is malformed or its signature does not verify.
    DsseInvalid => "DSSE_INVALID", Signature;
    /// The verification key type or signature algorithm is unsupported.
    KeyUnsupported => "KEY_UNSUPPORTED", Signature;
    /// A pure Ed25519 message signature cannot be checked from a digest.
    DigestOnlyUnsupported => "DIGEST_ONLY_UNSUPPORTED", Artifact;

    /// The artifact does not match the bundle (messageDigest or in-toto subject digest).
    ArtifactMismatch => "ARTIFACT_MISMATCH", Artifact;
    /// The in-toto statement is malformed.
    IntotoInvalid => "INTOTO_INVALID", Artifact;

    /// The certificate's SAN does not match the expected identity.
    IdentityMismatch => "IDENTITY_MISMATCH", Policy;
    /// The certificate's OIDC issuer does not match the expected issuer.
    IssuerMismatch => "ISSUER_MISMATCH", Policy;
    /// Key policy given but the bundle holds a certificate, or the reverse; or the key differs.
    KeyMismatch => "KEY_MISMATCH", Policy;
}

/// The error type of a crate with its own `Code` enum (which has `as_str(self) -> &'static str`
/// and `step(self) -> Step`): `Display` for the code, `Error { code, context }` with `new`, `step`,
/// `at` and `report`, `Display` and (with feature `std`) `std::error::Error` for it, `err` and
/// `Result`. Invoked in the module that defines `Code`, by this crate and by `sigstore-npm` and
/// `sigstore-tuf`, so that every crate's error behaves alike and turns into one [`ErrorReport`].
#[macro_export]
macro_rules! error_type {
    ($what:literal) => {
        impl core::fmt::Display for Code {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[doc = concat!("A ", $what, " failure: its stable code, and what failed where.")]
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Error {
            pub code: Code,
            pub context: alloc::string::String,
        }

        impl Error {
            pub fn new(code: Code, context: impl Into<alloc::string::String>) -> Self {
                Error { code, context: context.into() }
            }

            pub fn step(&self) -> $crate::error::Step {
                self.code.step()
            }

            /// Prefix the context with where the failure happened (e.g. `tlogEntries[0]`).
            pub fn at(self, place: &str) -> Self {
                let mut context = alloc::string::String::with_capacity(place.len() + 2 + self.context.len());
                context.push_str(place);
                context.push_str(": ");
                context.push_str(&self.context);
                Error { code: self.code, context }
            }

            /// What the CLI's `--json` and the JS layer report.
            pub fn report(&self) -> $crate::error::ErrorReport {
                $crate::error::ErrorReport::new(self.code.as_str(), self.step(), &self.context)
            }
        }

        impl core::fmt::Display for Error {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}: {}", self.code.as_str(), self.context)
            }
        }

        #[cfg(feature = "std")]
        impl std::error::Error for Error {}

        /// Shorthand for building an error.
        pub fn err<T>(code: Code, context: impl alloc::string::ToString) -> Result<T> {
            Err(Error::new(code, context.to_string()))
        }

        pub type Result<T> = core::result::Result<T, Error>;
    };
}

error_type!("verification");

/// For a crate on the core whose `Code` wraps the core's codes in a `Core(Code)` variant
/// (`sigstore-pypi`, `sigstore-attest`): the core's errors convert into the crate's, keeping
/// their code, and `sigstore-protojson` objects fail with the crate's `Code`. Invoked next to
/// [`error_type!`], in the module that defines `Code`.
#[macro_export]
macro_rules! wraps_core_error {
    () => {
        impl From<$crate::Error> for Error {
            fn from(e: $crate::Error) -> Self {
                Error { code: Code::Core(e.code), context: e.context }
            }
        }

        impl sigstore_protojson::ErrorCode for Code {
            type Error = Error;
            fn error(self, context: alloc::string::String) -> Error {
                Error::new(self, context)
            }
        }
    };
}

/// A failure as every face reports it: the stable code, its step, and what failed where. Each
/// crate's error type (the core's, `sigstore-npm`'s, ...) turns into one; [`ErrorReport::to_json`]
/// is the one writer of the error JSON (`{"verified": false, "error": {code, step, message}}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    pub code: &'static str,
    pub step: &'static str,
    pub message: String,
}

impl ErrorReport {
    pub fn new(code: &'static str, step: Step, message: &str) -> Self {
        ErrorReport { code, step: step.as_str(), message: message.into() }
    }

    /// `{"verified": false, "error": {"code", "step", "message"}}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "verified": false, "error": self })
    }
}
