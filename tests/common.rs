//! Shared helpers for the integration tests: the conformance case list and its inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;
use sigstore_verifier::{Artifact, Bundle, Error, Matcher, Policy, TrustedRoot, VerificationResult, Verifier};

/// The repository's root (this file is shared by the core's tests and the CLI crate's).
pub fn repo_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|p| p.join("tests/data/conformance").is_dir()).unwrap_or(here).to_path_buf()
}

pub fn data_dir() -> PathBuf {
    repo_root().join("tests/data/conformance")
}

pub struct Case {
    pub id: String,
    pub expect_pass: bool,
    pub bundle: PathBuf,
    pub artifact: Option<PathBuf>,
    pub artifact_digest: Option<String>,
    pub identity: Option<String>,
    pub issuer: Option<String>,
    pub key: Option<PathBuf>,
    pub trusted_root: Option<PathBuf>,
}

/// Every entry of cases.json, none skipped.
pub fn cases() -> Vec<Case> {
    let base = data_dir();
    let text = std::fs::read_to_string(base.join("cases.json")).unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let path = |v: &Value| v.as_str().map(|s| base.join(s));
    list.iter()
        .map(|c| Case {
            id: c["id"].as_str().unwrap().to_string(),
            expect_pass: c["expect"] == "pass",
            bundle: path(&c["bundle"]).unwrap(),
            artifact: path(&c["artifact"]),
            artifact_digest: c["artifact_digest"].as_str().map(String::from),
            identity: c["identity"].as_str().map(String::from),
            issuer: c["issuer"].as_str().map(String::from),
            key: path(&c["key"]),
            trusted_root: path(&c["trusted_root"]),
        })
        .collect()
}

/// The identity the conformance runner passes when a case names none.
pub const NO_IDENTITY: &str = "https://no-identity.invalid";

impl Case {
    pub fn policy(&self) -> Result<Policy, Error> {
        match &self.key {
            Some(k) => Policy::key_pem(&std::fs::read_to_string(k).unwrap()),
            None => Ok(Policy::identity(
                Matcher::exact(self.identity.clone().unwrap_or(NO_IDENTITY.into())),
                Matcher::exact(self.issuer.clone().unwrap_or(NO_IDENTITY.into())),
            )),
        }
    }

    pub fn root_text(&self) -> String {
        match &self.trusted_root {
            Some(p) => std::fs::read_to_string(p).unwrap(),
            None => sigstore_verifier::trust_root::PRODUCTION_JSON.to_string(),
        }
    }

    pub fn artifact_bytes(&self) -> Option<Vec<u8>> {
        self.artifact.as_ref().filter(|_| self.artifact_digest.is_none()).map(|p| std::fs::read(p).unwrap())
    }

    /// Verify through the library API, exactly as the CLI does.
    pub fn verify(&self) -> Result<VerificationResult, Error> {
        self.verify_bundle_text(&std::fs::read_to_string(&self.bundle).unwrap())
    }

    pub fn verify_bundle_text(&self, bundle_text: &str) -> Result<VerificationResult, Error> {
        let verifier = self.verifier()?;
        self.verify_with(&verifier, bundle_text)
    }

    /// The verifier over this case's trusted root (parsed and checked once).
    pub fn verifier(&self) -> Result<Verifier, Error> {
        Verifier::new(TrustedRoot::from_json(&self.root_text())?, Default::default())
    }

    pub fn verify_with(&self, verifier: &Verifier, bundle_text: &str) -> Result<VerificationResult, Error> {
        let policy = self.policy()?;
        let bytes = self.artifact_bytes();
        let artifact = match (&bytes, &self.artifact_digest) {
            (_, Some(d)) => Artifact::parse_digest(d)?,
            (Some(b), None) => Artifact::Bytes(b),
            (None, None) => panic!("case without artifact"),
        };
        let bundle = Bundle::from_json(bundle_text)?;
        verifier.verify(&bundle, &artifact, &policy)
    }
}

pub fn case(id: &str) -> Case {
    cases().into_iter().find(|c| c.id == id).unwrap_or_else(|| panic!("no case {id}"))
}

/// The error code each failing entry must produce (tests/data/expected_codes.json, our own
/// regression record: a change of code is a change of behaviour and must be deliberate).
pub fn expected_codes() -> std::collections::BTreeMap<String, String> {
    let p = repo_root().join("tests/data/expected_codes.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}
