//! Hard limits on input sizes and on the work one verification may do, so that a hostile bundle
//! or trusted root costs bounded memory and time before it is rejected (issue 15). Every limit
//! is checked before the work it bounds: document sizes before JSON parsing, base64 fields on
//! their encoded length before decoding, and the [`Budget`] before a signature check is queued.
//!
//! The sizes keep a wide margin over real data: conformance bundles are under 100 KB, SLSA
//! provenance DSSE payloads reach a few MB, the production trusted root is about 15 KB.

use alloc::format;

use crate::crypto::{Message, SigCheck};
use crate::error::{err, Code, Result};

/// A bundle's JSON text (`BUNDLE_LIMIT_EXCEEDED`).
pub const MAX_BUNDLE_BYTES: usize = 32 << 20;
/// A trusted root's JSON text (`TRUST_ROOT_INVALID`).
pub const MAX_TRUSTED_ROOT_BYTES: usize = 1 << 20;
/// A set of trusted roots' text (`TrustedRootSet::from_json_lines`, `TRUST_ROOT_INVALID`).
pub const MAX_TRUSTED_ROOT_SET_BYTES: usize = 4 << 20;
/// Trusted roots in one set (GitHub's `gh attestation trusted-root` prints two).
pub const MAX_TRUSTED_ROOTS: usize = 16;
/// A DSSE payload, decoded.
pub const MAX_DSSE_PAYLOAD_BYTES: usize = 16 << 20;
/// A log entry's `canonicalizedBody`, decoded (Rekor's own limit on an entry is far lower).
pub const MAX_CANONICALIZED_BODY_BYTES: usize = 16 << 20;
/// One certificate (`rawBytes`), decoded.
pub const MAX_CERTIFICATE_BYTES: usize = 64 << 10;
/// A public key (`rawBytes` of a log in the trusted root, SPKI or PKCS#1), decoded: an RSA-4096
/// SPKI is about 550 bytes.
pub const MAX_PUBLIC_KEY_BYTES: usize = 4 << 10;
/// An RFC 3161 timestamp token, decoded (as [`crate::timestamp::MAX_TOKEN_LEN`]).
pub const MAX_TIMESTAMP_BYTES: usize = crate::timestamp::MAX_TOKEN_LEN;
/// Small binary fields, decoded: signatures (RSA-4096 is 512 bytes), signed entry timestamps,
/// digests, log IDs, root and proof hashes.
pub const MAX_SMALL_FIELD_BYTES: usize = 4 << 10;
/// A checkpoint (signed note) as a whole.
pub const MAX_CHECKPOINT_BYTES: usize = 64 << 10;
/// One line of a checkpoint (origin, extension or signature line).
pub const MAX_CHECKPOINT_LINE_BYTES: usize = 8 << 10;

/// The longest base64 text that can decode to at most `decoded` bytes: 4 characters per 3
/// bytes, plus room for line breaks (protobuf JSON accepts MIME-wrapped base64; CRLF every
/// 64 characters is at most 1/32 more).
pub const fn max_base64_len(decoded: usize) -> usize {
    let plain = decoded.div_ceil(3).saturating_mul(4);
    plain.saturating_add(plain / 32).saturating_add(2)
}

/// Signature checks one verification may queue. The production worst case is under 10 (the
/// artifact signature, a SET and a checkpoint per entry, the certificate chain, an SCT, a
/// timestamp and its chain).
pub const MAX_SIGNATURE_CHECKS: usize = 100;
/// Bytes one verification may hash beyond [`HASHED_PER_ARTIFACT_BYTE`] times the artifact's
/// size: the DSSE PAE (at most [`MAX_DSSE_PAYLOAD_BYTES`]), Merkle leaves, signed notes, TBS
/// certificates and SET payloads of a legitimate bundle fit many times over.
pub const MAX_HASHED_FIXED_BYTES: usize = 64 << 20;
/// The artifact is hashed at most once per algorithm (3) and once more by a message-signature
/// check over its bytes.
pub const HASHED_PER_ARTIFACT_BYTE: usize = 4;
/// Bytes one verification may copy into signed messages beyond one copy of the artifact.
pub const MAX_MESSAGE_FIXED_BYTES: usize = 32 << 20;

/// The work one verification may do, as rustls-webpki's `Budget`: made by
/// [`Verifier::plan`](crate::Verifier::plan) for each bundle and charged by its steps before a
/// signature check is queued and before data is hashed. Exceeding any limit is
/// `BUNDLE_LIMIT_EXCEEDED`, with the budget's name in the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    signature_checks: usize,
    hashed_bytes: usize,
    message_bytes: usize,
    max_hashed_bytes: usize,
    max_message_bytes: usize,
}

impl Budget {
    /// The budget for verifying against an artifact of `artifact_len` bytes (0 for a digest).
    pub fn for_artifact(artifact_len: usize) -> Self {
        Budget {
            signature_checks: 0,
            hashed_bytes: 0,
            message_bytes: 0,
            max_hashed_bytes: artifact_len.saturating_mul(HASHED_PER_ARTIFACT_BYTE).saturating_add(MAX_HASHED_FIXED_BYTES),
            max_message_bytes: artifact_len.saturating_add(MAX_MESSAGE_FIXED_BYTES),
        }
    }

    /// Signature checks charged so far.
    pub fn signature_checks(&self) -> usize {
        self.signature_checks
    }

    /// Bytes charged as hashed so far.
    pub fn hashed_bytes(&self) -> usize {
        self.hashed_bytes
    }

    /// Bytes charged as copied into signed messages so far.
    pub fn message_bytes(&self) -> usize {
        self.message_bytes
    }

    /// Charge hashing `n` bytes.
    pub fn hash(&mut self, n: usize) -> Result<()> {
        self.hashed_bytes = self.hashed_bytes.saturating_add(n);
        if self.hashed_bytes > self.max_hashed_bytes {
            return err(Code::BundleLimitExceeded, format!("work budget \"hashed bytes\" exceeded: more than {} bytes to hash", self.max_hashed_bytes));
        }
        Ok(())
    }

    /// Charge one signature check of which `message_len` bytes are copied into its message.
    pub fn signature_check(&mut self, message_len: usize) -> Result<()> {
        self.signature_checks = self.signature_checks.saturating_add(1);
        if self.signature_checks > MAX_SIGNATURE_CHECKS {
            return err(Code::BundleLimitExceeded, format!("work budget \"signature checks\" exceeded: more than {MAX_SIGNATURE_CHECKS} signature checks"));
        }
        self.message_bytes = self.message_bytes.saturating_add(message_len);
        if self.message_bytes > self.max_message_bytes {
            return err(
                Code::BundleLimitExceeded,
                format!("work budget \"message bytes\" exceeded: more than {} bytes copied into signed messages", self.max_message_bytes),
            );
        }
        Ok(())
    }

    /// Charge the checks `new` (just queued): one each, their message bytes as copied, and raw
    /// messages as hashed (the backend hashes them).
    pub fn charge(&mut self, new: &[SigCheck]) -> Result<()> {
        for c in new {
            let (len, raw) = match &c.message {
                Message::Raw(m) => (m.len(), true),
                Message::Prehashed(_, d) => (d.len(), false),
            };
            self.signature_check(len)?;
            if raw {
                self.hash(len)?;
            }
        }
        Ok(())
    }
}

/// A base64 field's encoded length against the limit on its decoded size
/// -> `BUNDLE_LIMIT_EXCEEDED` naming the field and the limit.
pub(crate) fn check_base64_len(path: &str, field: &str, encoded: &str, max_decoded: usize) -> Result<()> {
    check_base64_len_as(Code::BundleLimitExceeded, path, field, encoded, max_decoded)
}

/// As [`check_base64_len`], failing with `code` (`TRUST_ROOT_INVALID` for trusted-root fields).
pub(crate) fn check_base64_len_as(code: Code, path: &str, field: &str, encoded: &str, max_decoded: usize) -> Result<()> {
    if encoded.len() > max_base64_len(max_decoded) {
        return err(code, format!("{path}.{field} is {} base64 characters: over the limit of {max_decoded} bytes for this field", encoded.len()));
    }
    Ok(())
}
