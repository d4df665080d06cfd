//! The verifier: configuration and trusted material fixed once ([`Verifier`]), policy and
//! artifact per call ([`Verifier::verify`]).
//!
//! Verification runs in two phases. First every structural check runs (parsing, binding of the
//! log entry to the bundle, Merkle proofs, time windows, identity) and every signature the
//! bundle needs is written down as a [`SigCheck`]; then the whole list runs as one batch through
//! a [`SignatureVerifier`]. [`Verifier::plan`] stops after the first phase so that a host can run
//! the batch itself (e.g. with WebCrypto) and call [`Plan::finish`].

use alloc::format;
use alloc::vec::Vec;

use crate::artifact::Artifact;
use crate::bundle::{Bundle, Content, Material};
use crate::crypto::{Generators, Message, PublicKey, RustCrypto, SigCheck, SignatureVerifier};
use crate::dsse;
use crate::error::{err, Code, Error, Result};
use crate::identity::{check_identity, Policy};
use crate::result::{Signer, TimeSource, VerificationResult, VerifiedLogEntry, VerifiedTime};
use crate::sct;
use crate::time::Time;
use crate::timestamp;
use crate::tlog::{self, Expected};
use crate::trust_root::TrustedRoot;
use crate::x509::chain::{authority_chain_checks, verify_leaf_chain};
use crate::x509::fulcio;

/// Verifier configuration (sigstore-go's defaults).
#[derive(Clone, Debug)]
pub struct Config {
    /// Verified transparency-log entries required.
    pub tlog_threshold: usize,
    /// Verified times (Rekor v1 integrated times plus RFC 3161 timestamps) required.
    pub observer_timestamp_threshold: usize,
    /// Verified RFC 3161 timestamps required on their own.
    pub signed_timestamp_threshold: usize,
    /// Require at least one SCT from a trusted CT log in Fulcio certificates.
    pub require_sct: bool,
    /// Build fixed-base tables for the current trusted ECDSA keys in [`Verifier::new`]: about
    /// 2.5x faster checks with those keys for every bundle, for a one-off cost of roughly
    /// ten bundles' worth of those checks and ~0.5 MB with the production root. Worth it
    /// whenever a verifier checks more than a handful of bundles; a one-shot CLI run turns it
    /// off. Verdicts are the same either way.
    pub precompute_tables: bool,
}

impl Config {
    /// No transparency-log entry, verified time or timestamp required, and no SCT: for tests
    /// and for callers that prove these facts elsewhere. Never the default.
    pub fn without_thresholds_unsafe() -> Self {
        Config { tlog_threshold: 0, observer_timestamp_threshold: 0, signed_timestamp_threshold: 0, require_sct: false, precompute_tables: true }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config { tlog_threshold: 1, observer_timestamp_threshold: 1, signed_timestamp_threshold: 0, require_sct: true, precompute_tables: true }
    }
}

/// Trusted material and configuration, prepared once and reused for many bundles.
#[derive(Clone, Debug)]
pub struct Verifier {
    root: TrustedRoot,
    config: Config,
    /// Heap bytes of the fixed-base tables of the trusted keys (shared generator tables included).
    table_bytes: usize,
}

/// At most this many trusted keys get fixed-base tables (bounds memory and set-up time for
/// hostile roots; the production root needs 4).
const MAX_TABLES: usize = 8;

/// Fixed-base tables (issue 5) for the trusted P-256 / P-384 keys a bundle is checked against
/// in the normal case: Rekor and CT log keys, and the issuing (leaf-most) certificate of each
/// certificate and timestamp authority, for logs and authorities whose `validFor` is
/// open-ended, i.e. the current ones. Retired keys (closed windows) only serve old bundles and
/// stay on the ordinary path: same verdicts, without the set-up cost (~2 verifications' worth
/// per key) and memory. Returns the bytes held by the tables.
fn precompute_trusted_keys(root: &mut TrustedRoot) -> usize {
    let mut gens = Generators::default();
    let mut bytes = 0;
    let mut n = 0;
    let current = |v: Option<crate::trust_root::Validity>| v.is_some_and(|v| v.end.is_none());
    let logs = root.tlogs.iter_mut().chain(root.ctlogs.iter_mut()).filter(|l| current(l.valid_for)).map(|l| &mut l.key);
    for key in logs {
        if n < MAX_TABLES && key.precompute(&mut gens) {
            n += 1;
            bytes += key.table_bytes();
        }
    }
    let authorities = root.certificate_authorities.iter_mut().chain(root.timestamp_authorities.iter_mut()).filter(|a| current(a.valid_for));
    for cert in authorities.filter_map(|a| a.chain.first_mut()) {
        if n < MAX_TABLES && cert.precompute_key(&mut gens) {
            n += 1;
            bytes += cert.public_key().map_or(0, |k| k.table_bytes());
        }
    }
    bytes + gens.table_bytes()
}

impl Verifier {
    /// Check the trusted root's own authority chains once, then keep it.
    pub fn new(root: TrustedRoot, config: Config) -> Result<Self> {
        Self::new_with(root, config, &RustCrypto)
    }

    /// As [`Verifier::new`], with the authority chains checked by `backend`. Then (with
    /// [`Config::precompute_tables`]) the current trusted ECDSA keys get fixed-base tables, so that the built-in backend verifies their
    /// signatures with table lookups and additions only ([`PublicKey::precompute`]).
    pub fn new_with(mut root: TrustedRoot, config: Config, backend: &dyn SignatureVerifier) -> Result<Self> {
        for (kind, list) in [("certificateAuthorities", &mut root.certificate_authorities), ("timestampAuthorities", &mut root.timestamp_authorities)] {
            for (i, ca) in list.iter().enumerate() {
                let mut checks = Vec::new();
                let what = format!("{kind}[{i}]");
                authority_chain_checks(&ca.chain, &what, &mut checks)?;
                backend.run_all(&checks).map_err(|e| Error::new(Code::TrustRootInvalid, e.context))?;
            }
        }
        let table_bytes = if config.precompute_tables { precompute_trusted_keys(&mut root) } else { 0 };
        Ok(Verifier { root, config, table_bytes })
    }

    /// Build the trusted keys' fixed-base tables now, when the verifier was made without them
    /// (`Config::precompute_tables: false`): a host that starts cheap (one bundle) and then turns
    /// out to verify many. Returns the tables' heap bytes; a no-op when they exist.
    pub fn precompute_tables(&mut self) -> usize {
        if self.table_bytes == 0 {
            self.table_bytes = precompute_trusted_keys(&mut self.root);
            self.config.precompute_tables = true;
        }
        self.table_bytes
    }

    /// Heap bytes of the precomputed tables of the trusted keys (see [`Verifier::new_with`]).
    pub fn table_bytes(&self) -> usize {
        self.table_bytes
    }

    /// A verifier over the embedded production trusted root with default configuration.
    pub fn production() -> Result<Self> {
        Self::new(TrustedRoot::production()?, Config::default())
    }

    pub fn trusted_root(&self) -> &TrustedRoot {
        &self.root
    }

    /// Verify a bundle completely with the built-in signature backend.
    pub fn verify(&self, bundle: &Bundle, artifact: &Artifact, policy: &Policy) -> Result<VerificationResult> {
        self.plan(bundle, artifact, policy)?.finish(&RustCrypto)
    }

    /// Run every structural check and list the signature checks still to run.
    pub fn plan(&self, bundle: &Bundle, artifact: &Artifact, policy: &Policy) -> Result<Plan> {
        let mut checks = Vec::new();

        // 1. Who signed: the bundle's material against the policy's kind.
        let (key, leaf) = signer_key(bundle, policy)?;

        // 2. The artifact signature and what binds it to the artifact.
        let statement = content_checks(&bundle.content, &key, artifact, &mut checks)?;

        // 3. RFC 3161 timestamps over the signature (duplicates count once).
        let mut times: Vec<VerifiedTime> = Vec::new();
        let mut seen_tokens: Vec<&[u8]> = Vec::new();
        for (i, token) in bundle.timestamps.iter().enumerate() {
            if seen_tokens.contains(&token.as_slice()) {
                continue;
            }
            seen_tokens.push(token);
            let ts = timestamp::verify_timestamp(token, bundle.content.signature_bytes(), &self.root.timestamp_authorities, &mut checks)
                .map_err(|e| e.at(&format!("rfc3161Timestamps[{i}]")))?;
            times.push(VerifiedTime { time: ts.time, source: TimeSource::Rfc3161 { tsa_uri: ts.tsa_uri } });
        }
        let signed_timestamps = times.len();
        if signed_timestamps < self.config.signed_timestamp_threshold {
            return err(
                Code::TimestampThresholdNotMet,
                format!("{signed_timestamps} verified RFC 3161 timestamps, {} required", self.config.signed_timestamp_threshold),
            );
        }

        // 4. Transparency-log entries, each bound to this bundle (duplicates count once).
        let signer = match leaf {
            Some(c) => tlog::Signer::Cert(c),
            None => tlog::Signer::Key(&key),
        };
        let expected = Expected { signer, content: &bundle.content, artifact };
        let mut entries: Vec<VerifiedLogEntry> = Vec::new();
        let mut v2_windows = Vec::new();
        for (i, entry) in bundle.tlog_entries.iter().enumerate() {
            let v = tlog::verify_entry(entry, bundle.media_type, &self.root.tlogs, &expected, &mut checks).map_err(|e| e.at(&format!("tlogEntries[{i}]")))?;
            if v.rekor_v2 {
                v2_windows.push((i, v.log_validity));
            }
            if entries.iter().any(|e| e.log_url == v.log_url && e.log_index == v.log_index) {
                continue;
            }
            // An integrated time is a verified time only when the log signed it (the SET): the
            // inclusion proof and checkpoint do not cover it.
            if let (Some(t), Some(_)) = (v.integrated_time, &entry.inclusion_promise) {
                times.push(VerifiedTime { time: t, source: TimeSource::Tlog { log_url: v.log_url.clone(), log_index: v.log_index } });
            }
            entries.push(VerifiedLogEntry { log_url: v.log_url, log_index: v.log_index, kind: v.kind, version: v.version, integrated_time: v.integrated_time });
        }
        // A Rekor v2 entry has no integrated time: its log key must be valid at the times the
        // RFC 3161 timestamps vouch for instead.
        for (i, w) in &v2_windows {
            if let Some(t) = times.iter().take(signed_timestamps).find(|t| !w.contains(t.time)) {
                return err(Code::TlogUnknownLog, format!("tlogEntries[{i}]: the log's key is not valid at the timestamp {}", t.time));
            }
        }
        if entries.len() < self.config.tlog_threshold {
            return err(Code::TlogThresholdNotMet, format!("{} verified transparency-log entries, {} required", entries.len(), self.config.tlog_threshold));
        }
        if times.len() < self.config.observer_timestamp_threshold {
            return err(
                Code::TimestampThresholdNotMet,
                format!("{} verified times (integrated times and RFC 3161 timestamps), {} required", times.len(), self.config.observer_timestamp_threshold),
            );
        }

        // 5. The certificate: chain at every verified time, SCTs, identity policy.
        let signer = match (leaf, policy) {
            (Some(leaf), Policy::Identity { san, issuer }) => {
                let instants: Vec<Time> = times.iter().map(|t| t.time).collect();
                let extra = match &bundle.material {
                    Material::Chain(c) => c.get(1..).unwrap_or(&[]),
                    _ => &[],
                };
                let issuer_cert = verify_leaf_chain(leaf, extra, &self.root.certificate_authorities, &instants, &mut checks)?;
                if self.config.require_sct {
                    sct::verify_embedded_scts(leaf, issuer_cert, &self.root.ctlogs, &mut checks)?;
                }
                let id = fulcio::identity(leaf)?;
                check_identity(&id, san, issuer)?;
                Signer::Certificate(id)
            }
            (None, Policy::Key(_)) => Signer::Key { key_type: key.type_name() },
            _ => return err(Code::KeyMismatch, "bundle material and policy disagree"),
        };

        let result = VerificationResult::new(bundle.media_type.as_str(), signer, times, entries, statement);
        Ok(Plan { checks, result })
    }
}

/// The signing key and, for certificates, the leaf; the material must suit the policy.
fn signer_key<'b>(bundle: &'b Bundle, policy: &Policy) -> Result<(PublicKey, Option<&'b crate::x509::Cert>)> {
    match (&bundle.material, policy) {
        (Material::PublicKey { .. }, Policy::Key(k)) => Ok((k.clone(), None)),
        (Material::PublicKey { .. }, Policy::Identity { .. }) => {
            err(Code::KeyMismatch, "bundle is signed with a managed key (verificationMaterial.publicKey) but a certificate identity was requested")
        }
        (m, Policy::Key(_)) if m.leaf().is_some() => err(Code::KeyMismatch, "bundle carries a certificate but a managed key was requested"),
        (m, _) => {
            let leaf = m.leaf().ok_or_else(|| Error::new(Code::BundleInvalid, "no signing certificate"))?;
            Ok((leaf.public_key()?.clone(), Some(leaf)))
        }
    }
}

/// The artifact signature check, and the artifact binding (messageDigest or in-toto subject).
fn content_checks(content: &Content, key: &PublicKey, artifact: &Artifact, checks: &mut Vec<SigCheck>) -> Result<Option<dsse::Statement>> {
    match content {
        Content::MessageSignature { digest, signature } => {
            if let Some((alg, d)) = digest {
                match artifact.digest(*alg) {
                    Some(a) if &a == d => {}
                    Some(_) => return err(Code::ArtifactMismatch, "messageSignature.messageDigest does not match the artifact"),
                    None => return err(Code::ArtifactMismatch, format!("messageDigest is {} but the artifact was given under another algorithm", alg.name())),
                }
            }
            let mut scheme = key.default_scheme();
            if let (crate::crypto::Key::Rsa(_), Some(h)) = (&key.key, scheme.hash()) {
                let h = digest.as_ref().map(|(a, _)| *a).unwrap_or(h);
                scheme = crate::crypto::Scheme::RsaAny(h);
            }
            let message = match (artifact, scheme.hash()) {
                (Artifact::Bytes(b), _) => Message::Raw(b.to_vec()),
                (Artifact::Digest(..), None) => {
                    return err(Code::DigestOnlyUnsupported, "an Ed25519 message signature covers the artifact bytes; it cannot be checked from a digest")
                }
                (Artifact::Digest(alg, d), Some(h)) => {
                    if *alg != h {
                        return err(Code::ArtifactMismatch, format!("the signature uses {} but the artifact was given as {}", h.name(), alg.name()));
                    }
                    Message::Prehashed(h, d.clone())
                }
            };
            checks.push(SigCheck {
                code: Code::SignatureInvalid,
                what: "messageSignature".into(),
                key: key.clone(),
                scheme,
                message,
                signature: signature.clone(),
            });
            Ok(None)
        }
        Content::Dsse(env) => {
            checks.push(dsse::signature_check(env, key)?);
            dsse::check_statement(env, artifact).map(Some)
        }
    }
}

/// Structural verification done; signature checks listed, not yet run.
#[derive(Debug)]
pub struct Plan {
    pub checks: Vec<SigCheck>,
    result: VerificationResult,
}

impl Plan {
    /// Run the listed checks with `backend`; the result is returned only if all pass.
    pub fn finish(self, backend: &dyn SignatureVerifier) -> Result<VerificationResult> {
        backend.run_all(&self.checks)?;
        Ok(self.result)
    }

    /// Finish with verdicts computed elsewhere (one per check, in order).
    pub fn finish_with(self, verdicts: &[bool]) -> Result<VerificationResult> {
        if verdicts.len() != self.checks.len() {
            return err(Code::InputInvalid, "one verdict per signature check is required");
        }
        for (c, ok) in self.checks.iter().zip(verdicts) {
            if !ok {
                return err(c.code, format!("{}: signature does not verify", c.what));
            }
        }
        Ok(self.result)
    }
}
