//! The verifier: configuration and trusted material fixed once ([`Verifier`]), policy and
//! artifact per call ([`Verifier::verify`]). Each check is a step of [`steps`], callable alone;
//! [`Verifier::plan`] is their sequence.
//!
//! Verification runs in two phases. First every structural check runs (parsing, binding of the
//! log entry to the bundle, Merkle proofs, time windows, identity) and every signature the
//! bundle needs is written down as a [`SigCheck`]; then the whole list runs as one batch through
//! a [`SignatureVerifier`]. [`Verifier::plan`] stops after the first phase so that a host can run
//! the batch itself (e.g. with WebCrypto) and call [`Plan::finish`].

mod set;
pub mod steps;

pub use set::VerifierSet;

use alloc::format;
use alloc::vec::Vec;

use crate::artifact::{Artifact, Hashed};
use crate::bundle::Bundle;
#[cfg(feature = "native-crypto")]
use crate::crypto::RustCrypto;
use crate::crypto::{Generators, SigCheck, SignatureVerifier};
use crate::error::{err, Code, Error, Result};
use crate::identity::Policy;
use crate::limits::Budget;
use crate::result::{Evidence, ThresholdReport, VerificationResult};
use crate::tlog;
use crate::trust_root::TrustedRoot;
use crate::trust_root::VERIFIED_CHAINS;
use crate::x509::chain::{authority_chain_checks, chain_digest};

/// Verifier configuration. Every threshold left `None` follows the trusted root
/// ([`Thresholds::derived`]); an explicit setting below the derived one is refused
/// (`CONFIG_UNSAFE`) unless `lower_thresholds_unsafe` is set.
#[derive(Clone, Debug)]
pub struct Config {
    /// Verified transparency-log entries required; `None` = derived from the trusted root.
    pub tlog_threshold: Option<usize>,
    /// Verified RFC 3161 timestamps required on their own; `None` = derived.
    pub signed_timestamp_threshold: Option<usize>,
    /// Verified times (Rekor v1 integrated times plus RFC 3161 timestamps) required; `None` =
    /// derived.
    pub observer_timestamp_threshold: Option<usize>,
    /// Require an SCT from a trusted CT log in Fulcio certificates; `None` = derived.
    pub require_sct: Option<bool>,
    /// Permit explicit settings below the derived ones (a weaker verification than the
    /// instance's own): for tests and for callers that prove these facts elsewhere.
    pub lower_thresholds_unsafe: bool,
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
        Config {
            tlog_threshold: Some(0),
            signed_timestamp_threshold: Some(0),
            observer_timestamp_threshold: Some(0),
            require_sct: Some(false),
            lower_thresholds_unsafe: true,
            precompute_tables: true,
        }
    }

    /// The effective requirements for `root`: each explicit setting, else the derived value.
    /// An explicit setting below the derived one without [`Config::lower_thresholds_unsafe`]
    /// -> `CONFIG_UNSAFE`.
    pub fn resolve(&self, root: &TrustedRoot) -> Result<Thresholds> {
        let derived = Thresholds::derived(root);
        let t = Thresholds {
            tlog_entries: self.tlog_threshold.unwrap_or(derived.tlog_entries),
            signed_timestamps: self.signed_timestamp_threshold.unwrap_or(derived.signed_timestamps),
            verified_times: self.observer_timestamp_threshold.unwrap_or(derived.verified_times),
            sct: self.require_sct.unwrap_or(derived.sct),
        };
        if !self.lower_thresholds_unsafe {
            let below = [
                ("tlog_threshold", t.tlog_entries < derived.tlog_entries, t.tlog_entries, derived.tlog_entries),
                ("signed_timestamp_threshold", t.signed_timestamps < derived.signed_timestamps, t.signed_timestamps, derived.signed_timestamps),
                ("observer_timestamp_threshold", t.verified_times < derived.verified_times, t.verified_times, derived.verified_times),
                ("require_sct", !t.sct && derived.sct, usize::from(t.sct), usize::from(derived.sct)),
            ];
            if let Some((name, _, set, want)) = below.iter().find(|b| b.1) {
                return err(
                    Code::ConfigUnsafe,
                    format!("{name} is set to {set}, below the trusted root's {want}: set lower_thresholds_unsafe to allow a weaker verification"),
                );
            }
        }
        Ok(t)
    }
}

impl Default for Config {
    /// Every threshold derived from the trusted root; tables precomputed.
    fn default() -> Self {
        Config {
            tlog_threshold: None,
            signed_timestamp_threshold: None,
            observer_timestamp_threshold: None,
            require_sct: None,
            lower_thresholds_unsafe: false,
            precompute_tables: true,
        }
    }
}

/// What a verification requires (or, in a result, what it verified): counts of verified log
/// entries, RFC 3161 timestamps and verified times, and whether an SCT is required (verified).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    pub tlog_entries: usize,
    pub signed_timestamps: usize,
    pub verified_times: usize,
    pub sct: bool,
}

impl Thresholds {
    /// The defaults an instance's trusted root implies. A root with transparency logs: one
    /// verified log entry and one verified time (sigstore-go's defaults). A root without
    /// transparency logs belongs to an instance that does not log (GitHub's own): no log entry
    /// can be required, so one verified RFC 3161 timestamp is (and it is the verified time).
    /// An SCT is required exactly when the root lists CT logs.
    pub fn derived(root: &TrustedRoot) -> Self {
        let logs = !root.tlogs.is_empty();
        Thresholds { tlog_entries: usize::from(logs), signed_timestamps: usize::from(!logs), verified_times: 1, sct: !root.ctlogs.is_empty() }
    }
}

/// Trusted material and configuration, prepared once and reused for many bundles.
#[derive(Clone, Debug)]
pub struct Verifier {
    root: TrustedRoot,
    config: Config,
    /// The effective requirements ([`Config::resolve`] against `root`).
    thresholds: Thresholds,
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
    /// Check the trusted root's own authority chains once (except those the build verified:
    /// [`crate::trust_root::VERIFIED_CHAINS`]), then keep it.
    #[cfg(feature = "native-crypto")]
    pub fn new(root: TrustedRoot, config: Config) -> Result<Self> {
        Self::new_with(root, config, &RustCrypto)
    }

    /// As [`Verifier::new`], with the authority chains checked by `backend`. Then (with
    /// [`Config::precompute_tables`]) the current trusted ECDSA keys get fixed-base tables, so that the built-in backend verifies their
    /// signatures with table lookups and additions only ([`crate::crypto::PublicKey::precompute`]).
    ///
    /// A setting in `config` below what the root requires -> `CONFIG_UNSAFE` ([`Config::resolve`]).
    pub fn new_with(mut root: TrustedRoot, config: Config, backend: &dyn SignatureVerifier) -> Result<Self> {
        let thresholds = config.resolve(&root)?;
        for (kind, list) in [("certificateAuthorities", &mut root.certificate_authorities), ("timestampAuthorities", &mut root.timestamp_authorities)] {
            for (i, ca) in list.iter().enumerate() {
                // A chain the build verified (the embedded root's, however this root came)
                // would give the same verdict again: see VERIFIED_CHAINS.
                if VERIFIED_CHAINS.contains(&chain_digest(&ca.chain)) {
                    continue;
                }
                let mut checks = Vec::new();
                let what = format!("{kind}[{i}]");
                authority_chain_checks(&ca.chain, &what, &mut checks)?;
                backend.run_all(&checks).map_err(|e| Error::new(Code::TrustRootInvalid, e.context))?;
            }
        }
        let table_bytes = if config.precompute_tables { precompute_trusted_keys(&mut root) } else { 0 };
        Ok(Verifier { root, config, thresholds, table_bytes })
    }

    /// [`Verifier::new_with`] with the trusted root's own signature checks (its authority chains)
    /// left to the caller, as [`Verifier::plan`] leaves a bundle's: the structural checks run here,
    /// in `new_with`'s order; [`RootPlan::finish_with`] takes the verdicts and gives the verifier or
    /// exactly the error `new_with` would give. No fixed-base tables are built (a host backend
    /// has no use for them).
    pub fn prepare(root: TrustedRoot, config: Config) -> Result<RootPlan> {
        let thresholds = config.resolve(&root)?;
        let mut checks = Vec::new();
        let mut error = None;
        'lists: for (kind, list) in [("certificateAuthorities", &root.certificate_authorities), ("timestampAuthorities", &root.timestamp_authorities)] {
            for (i, ca) in list.iter().enumerate() {
                let mut chain = Vec::new();
                let what = format!("{kind}[{i}]");
                if let Err(e) = authority_chain_checks(&ca.chain, &what, &mut chain) {
                    // `new_with` stops here, once the chains before this one have verified.
                    error = Some(e);
                    break 'lists;
                }
                checks.extend(chain);
            }
        }
        let config = Config { precompute_tables: false, ..config };
        Ok(RootPlan { checks, error, verifier: Verifier { root, config, thresholds, table_bytes: 0 } })
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
    #[cfg(feature = "native-crypto")]
    pub fn production() -> Result<Self> {
        Self::new(TrustedRoot::production()?, Config::default())
    }

    pub fn trusted_root(&self) -> &TrustedRoot {
        &self.root
    }

    /// The effective requirements: the configured thresholds, or those the trusted root
    /// implies where the configuration left them unset.
    pub fn thresholds(&self) -> Thresholds {
        self.thresholds
    }

    /// The configuration this verifier was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Verify a bundle completely with the built-in signature backend.
    #[cfg(feature = "native-crypto")]
    pub fn verify(&self, bundle: &Bundle, artifact: &Artifact, policy: &Policy) -> Result<VerificationResult> {
        self.plan(bundle, artifact, policy)?.finish(&RustCrypto)
    }

    /// Run every structural check and list the signature checks still to run: the steps of
    /// [`steps`], in this order (the first that fails decides the bundle's error code).
    pub fn plan(&self, bundle: &Bundle, artifact: &Artifact, policy: &Policy) -> Result<Plan> {
        let mut checks = Vec::new();
        // The work this verification may do (issue 15): charged before and after each step.
        let mut budget = Budget::for_artifact(artifact.bytes().map_or(0, <[u8]>::len));
        // Every step asks this for the artifact's digests: each algorithm is hashed once.
        let artifact = &Hashed::new(artifact);
        let root = &self.root;
        let required = self.thresholds;
        let (key, leaf) = steps::signer_key(bundle, policy)?;
        let statement = steps::verify_artifact_signature(&bundle.content, &key, steps::message_hash_from_log(bundle), artifact, &mut checks)?;
        budget.charge(&checks)?;
        let queued = checks.len();
        let signed = steps::verify_signed_timestamps(bundle, &root.timestamp_authorities, &mut checks)?;
        budget.charge(checks.get(queued..).unwrap_or(&[]))?;
        steps::check_signed_timestamp_threshold(signed.counted, required.signed_timestamps, &signed.skipped)?;
        let signer = match leaf {
            Some(c) => tlog::Signer::Cert(c),
            None => tlog::Signer::Key(&key),
        };
        let log = steps::verify_tlog_entries(bundle, &root.tlogs, signer, artifact, &mut checks, &mut budget)?;
        steps::check_rekor_v2_log_validity(&log.rekor_v2_windows, &signed.times)?;
        let mut times = signed.times;
        let verified_times = signed.counted + log.times.len();
        times.extend(log.times);
        steps::check_thresholds(&required, log.entries.len(), verified_times, &signed.skipped)?;
        let queued = checks.len();
        let signer = steps::verify_certificate(bundle, leaf, &key, policy, &times, root, required.sct, &mut checks)?;
        budget.charge(checks.get(queued..).unwrap_or(&[]))?;
        budget.hash(artifact.hashed_bytes())?;
        // An SCT is required of (and verified in) certificates only: a managed-key bundle
        // reports `sct: false` on both sides.
        let certificate = matches!(signer, crate::result::Signer::Certificate(_));
        let verified = Thresholds { tlog_entries: log.entries.len(), signed_timestamps: signed.counted, verified_times, sct: required.sct && certificate };
        let required = Thresholds { sct: required.sct && certificate, ..required };
        let evidence = Evidence { thresholds: ThresholdReport { required, verified }, skipped_timestamps: signed.skipped };
        let result = VerificationResult::new(bundle.media_type.as_str(), signer, times, log.entries, statement, root.source.clone(), evidence);
        Ok(Plan { checks, result, budget })
    }
}

/// A trusted root whose structural checks are done ([`Verifier::prepare`]), its own signature
/// checks (the authority chains) listed and not yet run.
#[derive(Debug)]
pub struct RootPlan {
    checks: Vec<SigCheck>,
    /// The structural error `new_with` meets after these checks (it runs a chain's signature
    /// checks before the next chain's structure).
    error: Option<Error>,
    verifier: Verifier,
}

impl RootPlan {
    /// The signature checks still to run, in order.
    pub fn checks(&self) -> &[SigCheck] {
        &self.checks
    }

    /// The structural error met after these checks, if any (`new_with` stops there).
    pub fn structural_error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// Finish with one outcome per check, in order: `Ok(verdict)`, or the `Err` a backend gave for
    /// an unsupported combination ([`crate::crypto::combination_error`]). The first failure is
    /// reported as `new_with` reports it (`TRUST_ROOT_INVALID`), then the structural error if any.
    pub fn finish_with(self, outcomes: &[Result<bool>]) -> Result<Verifier> {
        if outcomes.len() != self.checks.len() {
            return err(Code::InputInvalid, "one verdict per signature check is required");
        }
        for (c, o) in self.checks.iter().zip(outcomes) {
            match o {
                Ok(true) => {}
                Ok(false) => return err(Code::TrustRootInvalid, format!("{}: signature does not verify", c.what)),
                Err(e) => return err(Code::TrustRootInvalid, format!("{}: {}", c.what, e.context)),
            }
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.verifier),
        }
    }
}

/// Structural verification done; signature checks listed, not yet run. The list is read-only:
/// a caller can run the checks itself, but cannot drop or replace one before finishing.
#[derive(Debug)]
pub struct Plan {
    checks: Vec<SigCheck>,
    result: VerificationResult,
    budget: Budget,
}

impl Plan {
    /// The signature checks still to run, in order.
    pub fn checks(&self) -> &[SigCheck] {
        &self.checks
    }

    /// The work the structural phase charged (signature checks queued, bytes hashed and copied).
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

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
