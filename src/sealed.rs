//! What a caller cannot do with the verification API (issue 15): the guarantees are made by the
//! type system, and the examples below are compiled as tests (`compile_fail` ones must not
//! build). This module holds no items.
//!
//! The intended use: plan, run the listed signature checks (or let [`Plan::finish`] run them),
//! and get a [`VerificationResult`] only if every check passed.
//!
//! ```no_run
//! use sigstore_verifier::{crypto::RustCrypto, Artifact, Bundle, Policy, Verifier};
//! # fn demo(verifier: &Verifier, bundle: &Bundle, policy: &Policy) -> sigstore_verifier::Result<()> {
//! let plan = verifier.plan(bundle, &Artifact::Bytes(b"artifact"), policy)?;
//! let verdicts: Vec<bool> = plan.checks().iter().map(|_| true /* run each check here */).collect();
//! let result = plan.finish_with(&verdicts)?; // or plan.finish(&RustCrypto)
//! # let _ = (result, RustCrypto); Ok(()) }
//! ```
//!
//! A result cannot be written as a struct literal: its `verified` marker is private, so the
//! only [`VerificationResult`]s are the crate's own.
//!
//! ```compile_fail,E0063
//! use sigstore_verifier::result::{Signer, VerificationResult};
//! use sigstore_verifier::trust_root::TrustSource;
//! let forged = VerificationResult {
//!     media_type: "application/vnd.dev.sigstore.bundle.v0.3+json",
//!     signer: Signer::Key { key_type: "ecdsa-p256" },
//!     times: Vec::new(),
//!     tlog_entries: Vec::new(),
//!     statement: None,
//!     trust: TrustSource::Given,
//! };
//! ```
//!
//! Nor can its marker be made outside the crate:
//!
//! ```compile_fail,E0423
//! let _ = sigstore_verifier::result::Verified(());
//! ```
//!
//! A [`Plan`] cannot be built by hand with a shorter list of checks...
//!
//! ```compile_fail,E0451
//! # fn f(result: sigstore_verifier::VerificationResult, budget: sigstore_verifier::limits::Budget) {
//! let plan = sigstore_verifier::Plan { checks: Vec::new(), result, budget };
//! # }
//! ```
//!
//! ...nor can its checks be emptied...
//!
//! ```compile_fail,E0616
//! # fn f(mut plan: sigstore_verifier::Plan) {
//! plan.checks.clear();
//! let _ = plan.finish_with(&[]);
//! # }
//! ```
//!
//! ...nor can a failing check be swapped for one that passes: [`Plan::checks`] lends them
//! read-only.
//!
//! ```compile_fail,E0594
//! # fn f(plan: sigstore_verifier::Plan, passing: sigstore_verifier::crypto::SigCheck) {
//! plan.checks()[0] = passing;
//! # }
//! ```
//!
//! [`Plan::finish_with`] wants exactly one verdict per listed check, in order, and refuses any
//! other count (`INPUT_INVALID`; `tests/sealed.rs` shows it), so a check cannot be skipped.
//!
//! [`Plan`]: crate::Plan
//! [`Plan::finish`]: crate::Plan::finish
//! [`Plan::finish_with`]: crate::Plan::finish_with
//! [`Plan::checks`]: crate::Plan::checks
//! [`VerificationResult`]: crate::VerificationResult
