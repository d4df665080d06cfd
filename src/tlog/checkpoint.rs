//! Checkpoints: a log's signed statement of its tree size and root hash, as a C2SP signed note
//! (c2sp.org/signed-note) whose text is a C2SP checkpoint (c2sp.org/tlog-checkpoint).
//!
//! ```text
//! <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]*
//! \n
//! — <key name> <base64(key hint(4) || signature)>\n   (one or more; U+2014 EM DASH)
//! ```

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::merkle::HASH_LEN;
use crate::crypto::{sha256, Key, Message, SigCheck};
use crate::encoding::b64_decode_strict;
use crate::error::{err, Code, Error, Result};
use crate::limits::{MAX_CHECKPOINT_BYTES, MAX_CHECKPOINT_LINE_BYTES};
use crate::trust_root::TransparencyLog;

/// Signature lines accepted in one note (golang.org/x/mod/sumdb/note allows 100).
const MAX_SIGNATURES: usize = 100;
/// Prefix of a signature line: EM DASH (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";
/// Ed25519 note-key type byte (c2sp.org/signed-note, "Signature types").
const ED25519_KEY_TYPE: u8 = 0x01;

/// A parsed checkpoint with its signature lines: typed evidence, parsed once from the bundle's
/// `inclusionProof.checkpoint.envelope` ([`parse`]) and then only compared ([`verify`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The signed message: the note text up to and including its last newline.
    pub text: String,
    pub origin: String,
    pub size: u64,
    pub root_hash: [u8; HASH_LEN],
    pub extensions: Vec<String>,
    pub signatures: Vec<NoteSignature>,
}

/// One signature line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_hint: [u8; 4],
    pub signature: Vec<u8>,
}

fn invalid<T>(msg: impl Into<String>) -> Result<T> {
    err(Code::TlogCheckpointInvalid, format!("checkpoint: {}", msg.into()))
}

/// Parse a signed note holding a checkpoint.
///
/// c2sp.org/signed-note: the text ends in a newline and is followed by a blank line, then by
/// signature lines `— <name> <base64>` each ending in a newline; the base64 decodes to a 4-byte
/// key hint followed by the signature. c2sp.org/tlog-checkpoint: the text is the origin line,
/// the decimal tree size, the base64 root hash, then optional non-empty extension lines.
///
/// Limits, checked before anything is copied (`BUNDLE_LIMIT_EXCEEDED`): the note at most
/// [`MAX_CHECKPOINT_BYTES`], each line at most [`MAX_CHECKPOINT_LINE_BYTES`]. A signature line
/// repeated byte for byte is kept once, so repeating a line queues no extra check.
pub fn parse(note: &str) -> Result<Checkpoint> {
    if note.len() > MAX_CHECKPOINT_BYTES {
        return err(
            Code::BundleLimitExceeded,
            format!("checkpoint is {} bytes: over the limit of {MAX_CHECKPOINT_BYTES} bytes (MAX_CHECKPOINT_BYTES)", note.len()),
        );
    }
    if let Some(l) = note.split('\n').find(|l| l.len() > MAX_CHECKPOINT_LINE_BYTES) {
        return err(
            Code::BundleLimitExceeded,
            format!("checkpoint has a line of {} bytes: over the limit of {MAX_CHECKPOINT_LINE_BYTES} bytes (MAX_CHECKPOINT_LINE_BYTES)", l.len()),
        );
    }
    let Some(split) = note.find("\n\n") else {
        return invalid("no blank line between the note text and its signatures");
    };
    let (text, sigs) = (note.get(..split + 1), note.get(split + 2..));
    let (Some(text), Some(sigs)) = (text, sigs) else { return invalid("malformed note") };
    let (origin, size, root_hash, extensions) = parse_body(text)?;
    let signatures = parse_signatures(sigs)?;
    Ok(Checkpoint { text: text.into(), origin: origin.into(), size, root_hash, extensions: extensions.into_iter().map(String::from).collect(), signatures })
}

/// c2sp.org/tlog-checkpoint "Note text": origin, size, root hash, extension lines.
fn parse_body(text: &str) -> Result<(&str, u64, [u8; HASH_LEN], Vec<&str>)> {
    // `text` ends in '\n' (it was cut just after one), so the last split piece is empty.
    let mut lines = text.strip_suffix('\n').unwrap_or(text).split('\n');
    let origin = match lines.next() {
        Some(o) if !o.is_empty() => o,
        _ => return invalid("origin line is missing"),
    };
    let size = match lines.next() {
        Some(s) => parse_size(s).ok_or_else(|| Error::new(Code::TlogCheckpointInvalid, format!("checkpoint: tree size {s:?} is not a decimal number")))?,
        None => return invalid("tree size line is missing"),
    };
    let root_hash = match lines.next() {
        Some(r) => b64_decode_strict(r)
            .and_then(|b| <[u8; HASH_LEN]>::try_from(b).ok())
            .ok_or_else(|| Error::new(Code::TlogCheckpointInvalid, "checkpoint: root hash line is not base64 of 32 bytes"))?,
        None => return invalid("root hash line is missing"),
    };
    let extensions: Vec<&str> = lines.collect();
    if extensions.iter().any(|l| l.is_empty()) {
        return invalid("empty extension line");
    }
    Ok((origin, size, root_hash, extensions))
}

/// ASCII decimal without sign or leading zeros, fitting in u64.
fn parse_size(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

/// c2sp.org/signed-note "Signatures": every line after the blank line is a signature line.
fn parse_signatures(block: &str) -> Result<Vec<NoteSignature>> {
    if block.is_empty() {
        return Ok(Vec::new());
    }
    let Some(body) = block.strip_suffix('\n') else { return invalid("signature block does not end in a newline") };
    let mut out = Vec::new();
    for (n, line) in body.split('\n').enumerate() {
        if n == MAX_SIGNATURES {
            return invalid(format!("more than {MAX_SIGNATURES} signature lines"));
        }
        let Some(rest) = line.strip_prefix(SIG_PREFIX) else { return invalid("signature line does not start with \"\u{2014} \"") };
        let Some((name, b64)) = rest.split_once(' ') else { return invalid("signature line has no key name") };
        if name.is_empty() || name.contains('+') {
            return invalid("signature line has an invalid key name");
        }
        let raw = b64_decode_strict(b64).ok_or_else(|| Error::new(Code::TlogCheckpointInvalid, "checkpoint: signature is not base64"))?;
        let Some((hint, sig)) = raw.split_first_chunk::<4>() else { return invalid("signature shorter than its key hint") };
        if sig.is_empty() {
            return invalid("empty signature");
        }
        let s = NoteSignature { name: name.into(), key_hint: *hint, signature: sig.to_vec() };
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// The key hint a log's signature line carries (c2sp.org/signed-note "Signature types"):
/// the first 4 bytes of the key ID. Ed25519 note keys: key ID = SHA-256(name || 0x0A || 0x01
/// || 32-byte public key). ECDSA/RSA keys (Rekor v1, sigstore's ECDSA Rekor v2 logs): key ID =
/// SHA-256 of the DER SubjectPublicKeyInfo, the same bytes as the log ID.
pub fn key_hint(log: &TransparencyLog, name: &str) -> [u8; 4] {
    let id = match &log.key.key {
        Key::Ed25519(k) => {
            let mut m = Vec::with_capacity(name.len() + 2 + 32);
            m.extend_from_slice(name.as_bytes());
            m.push(b'\n');
            m.push(ED25519_KEY_TYPE);
            m.extend_from_slice(k.as_bytes());
            sha256(&m)
        }
        _ => sha256(log.key.der()),
    };
    let [a, b, c, d, ..] = id;
    [a, b, c, d]
}

/// Verify a parsed checkpoint against its log and the inclusion proof it vouches for.
///
/// 1. (Parsing, c2sp.org/signed-note and c2sp.org/tlog-checkpoint, happened once in [`parse`]
///    -> `TLOG_CHECKPOINT_INVALID`; its failure is raised by the caller at this point.)
/// 2. Select the signature lines by the log's key; all others (witness cosignatures, other
///    keys) are ignored, as signed-note verifiers do for unknown keys. Rekor v2: the line's name
///    must be the log's origin (its URL's host) and its key hint the log key's. Rekor v1: the
///    key hint alone (SHA-256 of the log key's SPKI, which binds no name): a deployment signs
///    under whatever it calls itself (public good `rekor.sigstore.dev`, a private one e.g. its
///    pod name), so the name is not derived from `baseUrl`. None ->
///    `TLOG_CHECKPOINT_SIGNATURE_INVALID`; each selected line becomes a [`SigCheck`] over the
///    note text (a signature from a known key that fails invalidates the note, as in
///    golang.org/x/mod/sumdb/note).
/// 3. Rekor v2: the origin must be the log's -> `TLOG_CHECKPOINT_MISMATCH`. Rekor v1: the
///    origin is the deployment's own name for the tree, bound to the log only by the signature.
/// 4. Tree size and root hash must equal the proof's -> `TLOG_CHECKPOINT_MISMATCH`.
pub fn verify(cp: &Checkpoint, log: &TransparencyLog, rekor_v2: bool, tree_size: u64, root_hash: &[u8], checks: &mut Vec<SigCheck>) -> Result<()> {
    let host = log.origin_host();
    select_signatures(cp, log, rekor_v2.then_some(host), checks)?;
    if rekor_v2 {
        check_origin(&cp.origin, host)?;
    }
    check_tree_head(cp, tree_size, root_hash)
}

/// Step 2 of [`verify`]: queue a [`SigCheck`] for every signature line by the log's key (key
/// hint, and with `name` the line's name); none -> `TLOG_CHECKPOINT_SIGNATURE_INVALID`.
fn select_signatures(cp: &Checkpoint, log: &TransparencyLog, name: Option<&str>, checks: &mut Vec<SigCheck>) -> Result<()> {
    let mut found = false;
    for (i, s) in cp.signatures.iter().enumerate() {
        let by_log = match name {
            Some(n) => s.name == n && s.key_hint == key_hint(log, n),
            None => s.key_hint == key_hint(log, &s.name),
        };
        if by_log {
            found = true;
            checks.push(SigCheck {
                code: Code::TlogCheckpointSignatureInvalid,
                what: format!("checkpoint signature line {i} ({})", s.name),
                key: log.key.clone(),
                scheme: log.scheme,
                message: Message::Raw(cp.text.as_bytes().to_vec()),
                signature: s.signature.clone(),
            });
        }
    }
    if !found {
        return err(Code::TlogCheckpointSignatureInvalid, format!("checkpoint carries no signature by the key of log {}", log.base_url));
    }
    Ok(())
}

/// Step 4 of [`verify`]: the checkpoint's tree size and root hash are the inclusion proof's
/// (c2sp.org/tlog-checkpoint; RFC 9162 §2.1.3.2 ends in comparing the computed root with the
/// signed one) -> `TLOG_CHECKPOINT_MISMATCH`.
fn check_tree_head(cp: &Checkpoint, tree_size: u64, root_hash: &[u8]) -> Result<()> {
    if cp.size != tree_size {
        return err(Code::TlogCheckpointMismatch, format!("checkpoint tree size {} differs from the inclusion proof's {tree_size}", cp.size));
    }
    if cp.root_hash.as_slice() != root_hash {
        return err(Code::TlogCheckpointMismatch, "checkpoint root hash differs from the inclusion proof's");
    }
    Ok(())
}

/// Rekor v2 (c2sp.org/tlog-checkpoint): the origin line is the log's origin, its host name.
fn check_origin(origin: &str, host: &str) -> Result<()> {
    if origin == host {
        Ok(())
    } else {
        err(Code::TlogCheckpointMismatch, format!("checkpoint origin {origin:?} is not log {host}"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;
    use crate::trust_root::TrustedRoot;

    const V1: &str = "rekor.sigstore.dev - 2605736670972794746\n23083062\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\nTimestamp: 1689177396617352539\n\n\u{2014} rekor.sigstore.dev wNI9ajBFAiBxaGyEtxkzFLkaCSEJqFuSS3dJjEZCNiyByVs1CNVQ8gIhAOoNnXtmMtTctV2oRnSRUZAo4EWUYPK/vBsqOzAU6TMs\n";

    #[test]
    fn parses_rekor_v1_checkpoint() {
        let cp = parse(V1).unwrap();
        assert_eq!(cp.origin, "rekor.sigstore.dev - 2605736670972794746");
        assert_eq!(cp.size, 23083062);
        assert_eq!(cp.extensions, ["Timestamp: 1689177396617352539"]);
        assert!(cp.text.ends_with("1689177396617352539\n"));
        assert_eq!(cp.signatures.len(), 1);
        assert_eq!(cp.signatures[0].name, "rekor.sigstore.dev");
        let root = TrustedRoot::production().unwrap();
        let log = &root.tlogs[0];
        assert_eq!(cp.signatures[0].key_hint, key_hint(log, "rekor.sigstore.dev"));
        assert_eq!(&log.log_id[..4], &key_hint(log, "x"));
    }

    #[test]
    fn malformed_notes() {
        for bad in [
            "no blank line\n",
            "origin\n12\n\n\u{2014} a AAAAAAA=\n",                                                 // no root
            "origin\n012\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\n\n",                       // leading zero
            "origin\n12\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI\n\n",                         // unpadded base64
            "origin\n12\nAAAA\n\n",                                                                // 3-byte root
            "origin\n12\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\n\n- a AAAAAAA=\n",          // ASCII dash
            "origin\n12\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\n\n\u{2014} a AAAA\n",       // hint only
            "origin\n12\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\n\n\u{2014} a AAAAAAA=",     // no final newline
            "origin\n12\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\n\n\u{2014} a AAAAAAA=\n\n", // blank sig line
            "\n12\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\n\n",                              // empty origin
        ] {
            assert_eq!(parse(bad).unwrap_err().code, Code::TlogCheckpointInvalid, "{bad:?}");
        }
        // No signature lines parses (and later fails selection).
        assert!(parse("origin\n12\ndauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=\n\n").unwrap().signatures.is_empty());
    }

    #[test]
    fn origin_rules() {
        check_origin("log2025-1.rekor.sigstore.dev", "log2025-1.rekor.sigstore.dev").unwrap();
        assert_eq!(check_origin("log2025-1.rekor.sigstore.dev - 1", "log2025-1.rekor.sigstore.dev").unwrap_err().code, Code::TlogCheckpointMismatch);
        assert!(check_origin("log2025-1.rekor.sigstore.dev.evil", "log2025-1.rekor.sigstore.dev").is_err());
    }

    /// Rekor v1: a line under another name with the log key's hint is the log's; the origin is
    /// not compared with the base URL.
    #[test]
    fn rekor_v1_selects_by_key_hint() {
        let root = TrustedRoot::production().unwrap();
        let log = &root.tlogs[0];
        let renamed = V1
            .replace("rekor.sigstore.dev - ", "rekor-00001-deployment-7d9f - ")
            .replace("\u{2014} rekor.sigstore.dev", "\u{2014} rekor-00001-deployment-7d9f");
        let cp = parse(&renamed).unwrap();
        let mut checks = Vec::new();
        select_signatures(&cp, log, None, &mut checks).unwrap();
        assert_eq!(checks.len(), 1);
        // Under Rekor v2 rules the same line is not the log's.
        let e = select_signatures(&cp, log, Some(log.origin_host()), &mut Vec::new()).unwrap_err();
        assert_eq!(e.code, Code::TlogCheckpointSignatureInvalid);
        // Another key's hint is never selected.
        let mut other = cp.clone();
        other.signatures[0].key_hint = [0, 0, 0, 0];
        assert_eq!(select_signatures(&other, log, None, &mut Vec::new()).unwrap_err().code, Code::TlogCheckpointSignatureInvalid);
    }
}
