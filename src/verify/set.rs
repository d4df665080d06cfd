//! Several Sigstore instances at once ([`VerifierSet`]): one [`Verifier`] per trusted root, each
//! with the thresholds its own root implies, and each bundle checked against the instance it
//! belongs to.

use alloc::format;
use alloc::vec::Vec;

#[cfg(feature = "native-crypto")]
use super::Config;
use super::{Plan, Verifier};
use crate::artifact::Artifact;
use crate::bundle::Bundle;
use crate::error::{err, Code, Result};
use crate::identity::Policy;
#[cfg(feature = "native-crypto")]
use crate::result::VerificationResult;
#[cfg(feature = "native-crypto")]
use crate::trust_root::TrustedRootSet;
use crate::x509::chain::names_issuer_of;

/// One verifier per trusted root of a [`TrustedRootSet`], sharing one [`Config`]: each
/// verifier's effective thresholds are that config resolved against its own root (an instance
/// without transparency logs requires a timestamp, ...).
#[derive(Clone, Debug)]
pub struct VerifierSet {
    verifiers: Vec<Verifier>,
}

impl VerifierSet {
    /// A verifier for each root, in order ([`Verifier::new`]; a failure names the root's
    /// position).
    #[cfg(feature = "native-crypto")]
    pub fn new(roots: TrustedRootSet, config: Config) -> Result<Self> {
        let verifiers = roots
            .into_roots()
            .into_iter()
            .enumerate()
            .map(|(i, r)| Verifier::new(r, config.clone()).map_err(|e| e.at(&format!("trustedRoots[{i}]"))))
            .collect::<Result<Vec<_>>>()?;
        Self::from_verifiers(verifiers)
    }

    /// A set of verifiers made elsewhere (1 to [`crate::limits::MAX_TRUSTED_ROOTS`] ->
    /// else `TRUST_ROOT_INVALID`).
    pub fn from_verifiers(verifiers: Vec<Verifier>) -> Result<Self> {
        if verifiers.is_empty() || verifiers.len() > crate::limits::MAX_TRUSTED_ROOTS {
            return err(Code::TrustRootInvalid, format!("{} trusted roots: 1 to {} are accepted", verifiers.len(), crate::limits::MAX_TRUSTED_ROOTS));
        }
        Ok(VerifierSet { verifiers })
    }

    pub fn verifiers(&self) -> &[Verifier] {
        &self.verifiers
    }

    /// [`Verifier::precompute_tables`] for every verifier; returns the tables' heap bytes.
    pub fn precompute_tables(&mut self) -> usize {
        self.verifiers.iter_mut().map(Verifier::precompute_tables).sum()
    }

    /// The effective thresholds of each instance, in order.
    pub fn thresholds(&self) -> Vec<super::Thresholds> {
        self.verifiers.iter().map(Verifier::thresholds).collect()
    }

    /// The instance a bundle belongs to.
    ///
    /// A certificate: the first verifier one of whose certificate authorities names the leaf's
    /// issuer (subject = the leaf's issuer name, subjectKeyIdentifier = its
    /// authorityKeyIdentifier when both are present). This is exacter than `gh`'s choice by
    /// the issuer's organisation (`sigstore.dev` or `GitHub, Inc.`) and agrees with it on the
    /// real instances. Nothing is verified here: the chosen verifier then checks everything.
    /// With several roots, no authority naming the issuer -> `CERT_CHAIN_UNTRUSTED`. A set of one
    /// root always selects it, so its verdict and code are a single [`Verifier`]'s.
    ///
    /// A managed key (no certificate): the first verifier whose root lists the log of one of
    /// the bundle's tlog entries (by log ID); with no entry in a known log, the first verifier
    /// (keys carry no instance: its verdict is as good as any other's).
    pub fn select(&self, bundle: &Bundle) -> Result<&Verifier> {
        let first = self.verifiers.first();
        // One instance: nothing to choose, and its own verification gives the precise verdict
        // (the steps' order decides the code, as for a single Verifier).
        if let (Some(only), 1) = (first, self.verifiers.len()) {
            return Ok(only);
        }
        match bundle.material.leaf() {
            Some(leaf) => self
                .verifiers
                .iter()
                .find(|v| v.trusted_root().certificate_authorities.iter().any(|ca| names_issuer_of(leaf, ca)))
                .map_or_else(|| err(Code::CertChainUntrusted, "no certificate authority of any trusted root issued the signing certificate"), Ok),
            None => {
                let logged = self.verifiers.iter().find(|v| bundle.tlog_entries.iter().any(|e| v.trusted_root().tlogs.iter().any(|l| l.log_id == e.log_id)));
                logged.or(first).map_or_else(|| err(Code::TrustRootInvalid, "no trusted root"), Ok)
            }
        }
    }

    /// Verify with the instance the bundle belongs to ([`VerifierSet::select`]).
    #[cfg(feature = "native-crypto")]
    pub fn verify(&self, bundle: &Bundle, artifact: &Artifact, policy: &Policy) -> Result<VerificationResult> {
        self.select(bundle)?.verify(bundle, artifact, policy)
    }

    /// Plan with the instance the bundle belongs to ([`VerifierSet::select`]).
    pub fn plan(&self, bundle: &Bundle, artifact: &Artifact, policy: &Policy) -> Result<Plan> {
        self.select(bundle)?.plan(bundle, artifact, policy)
    }
}
