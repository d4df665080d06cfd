//! Trusted Publishers (PyPI's names for the CI systems that may publish a project) and the
//! checks that tie a Fulcio certificate to one, as PyPI and pypi-attestations apply them:
//!
//! - GitHub: issuer `https://token.actions.githubusercontent.com`; Source Repository URI
//!   `https://github.com/OWNER/REPO`; Build Config URI
//!   `https://github.com/OWNER/REPO/.github/workflows/WORKFLOW@X` where X is the certificate's
//!   Source Repository Digest or Ref (one of them must be present);
//! - GitLab: issuer `https://gitlab.com`; Source Repository URI `https://gitlab.com/NS/PROJECT`;
//!   Build Config URI `https://gitlab.com/NS/PROJECT//WORKFLOW_FILEPATH@X` (X: digest or ref);
//! - Google: the SAN is the service account's email, issuer `https://accounts.google.com`;
//! - CircleCI: issuer `https://oidc.circleci.com`; Build Signer URI
//!   `https://circleci.com/api/v2/projects/PROJECT/pipeline-definitions/PIPELINE`; the VCS
//!   origin and ref, when the publisher names them, as Source Repository URI and Ref.
//!
//! The environment a GitHub or GitLab publisher may name is not in the certificate and is only
//! reported.

use alloc::format;
use alloc::string::{String, ToString};
use serde::Serialize;
use serde_json::Value;

use crate::error::{err, Code, Error, Result};
use sigstore_verifier::x509::fulcio::FulcioIdentity;
use sigstore_verifier::{Matcher, Policy};

pub const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";
pub const GITLAB_ISSUER: &str = "https://gitlab.com";
pub const GOOGLE_ISSUER: &str = "https://accounts.google.com";
pub const CIRCLECI_ISSUER: &str = "https://oidc.circleci.com";

/// A Trusted Publisher, as a PEP 740 attestation bundle names it or as a caller pins it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind")]
pub enum Publisher {
    #[serde(rename = "GitHub")]
    GitHub { repository: String, workflow: String, environment: Option<String> },
    #[serde(rename = "GitLab")]
    GitLab { repository: String, workflow_filepath: String, environment: Option<String> },
    #[serde(rename = "Google")]
    Google { email: String },
    #[serde(rename = "CircleCI")]
    CircleCI { project_id: String, pipeline_definition_id: String, vcs_origin: Option<String>, vcs_ref: Option<String> },
}

const MAX_FIELD: usize = 1024;

impl Publisher {
    /// Parse a publisher object. A kind this crate does not know is `Ok(None)` (it can still be
    /// verified against a publisher the caller pins); a known kind with a missing or malformed
    /// field is `PYPI_DOCUMENT_INVALID`.
    pub fn from_value(v: &Value, what: &str) -> Result<Option<Publisher>> {
        let o = v.as_object().ok_or_else(|| Error::new(Code::DocumentInvalid, format!("{what} is not an object")))?;
        let s = |k: &str| -> Result<Option<String>> {
            match o.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.len() <= MAX_FIELD && !s.is_empty() => Ok(Some(s.clone())),
                Some(_) => err(Code::DocumentInvalid, format!("{what}.{k} is not a non-empty string of at most {MAX_FIELD} bytes")),
            }
        };
        let req = |k: &str| -> Result<String> { s(k)?.ok_or_else(|| Error::new(Code::DocumentInvalid, format!("{what}.{k} is missing"))) };
        Ok(Some(match s("kind")?.as_deref() {
            Some("GitHub") => Publisher::GitHub { repository: req("repository")?, workflow: req("workflow")?, environment: s("environment")? },
            Some("GitLab") => {
                Publisher::GitLab { repository: req("repository")?, workflow_filepath: req("workflow_filepath")?, environment: s("environment")? }
            }
            Some("Google") => Publisher::Google { email: req("email")? },
            Some("CircleCI") => Publisher::CircleCI {
                project_id: req("project_id")?,
                pipeline_definition_id: req("pipeline_definition_id")?,
                vcs_origin: s("vcs_origin")?,
                vcs_ref: s("vcs_ref")?,
            },
            Some(_) => return Ok(None),
            None => return err(Code::DocumentInvalid, format!("{what}.kind is missing")),
        }))
    }

    /// The repository of a GitHub or GitLab publisher.
    pub fn repository(&self) -> Option<&str> {
        match self {
            Publisher::GitHub { repository, .. } | Publisher::GitLab { repository, .. } => Some(repository),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Publisher::GitHub { .. } => "GitHub",
            Publisher::GitLab { .. } => "GitLab",
            Publisher::Google { .. } => "Google",
            Publisher::CircleCI { .. } => "CircleCI",
        }
    }

    /// The core policy: the issuer exactly, and for Google the SAN; the rest of the
    /// publisher's identity is in the certificate's claims ([`Publisher::check`]).
    pub fn policy(&self) -> Result<Policy> {
        let any = Matcher::regex(".+")?;
        Ok(match self {
            Publisher::GitHub { .. } => Policy::identity(any, Matcher::exact(GITHUB_ISSUER)),
            Publisher::GitLab { .. } => Policy::identity(any, Matcher::exact(GITLAB_ISSUER)),
            Publisher::Google { email } => Policy::identity(Matcher::exact(email.clone()), Matcher::exact(GOOGLE_ISSUER)),
            Publisher::CircleCI { .. } => Policy::identity(any, Matcher::exact(CIRCLECI_ISSUER)),
        })
    }

    /// The certificate's claims against the publisher (`PYPI_PUBLISHER_MISMATCH`).
    pub fn check(&self, id: &FulcioIdentity) -> Result<()> {
        let claim = |name: &str| id.claims.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str());
        let mismatch = |what: String| err(Code::PublisherMismatch, what);
        let config_matches = |expected_prefix: String| -> Result<()> {
            let Some(uri) = claim("buildConfigUri") else { return mismatch("the certificate has no Build Config URI".into()) };
            let suffixes = [claim("sourceRepositoryDigest"), claim("sourceRepositoryRef")];
            if suffixes.iter().all(Option::is_none) {
                return mismatch("the certificate has neither Source Repository Digest nor Ref".into());
            }
            if suffixes.iter().flatten().any(|s| uri == format!("{expected_prefix}@{s}")) {
                return Ok(());
            }
            mismatch(format!("Build Config URI {uri:?} is not {expected_prefix}@<the certificate's digest or ref>"))
        };
        let repo_is = |want: String| -> Result<()> {
            match claim("sourceRepositoryUri") {
                Some(u) if u == want => Ok(()),
                Some(u) => mismatch(format!("Source Repository URI {u:?} is not {want:?}")),
                None => mismatch("the certificate has no Source Repository URI".into()),
            }
        };
        match self {
            Publisher::GitHub { repository, workflow, .. } => {
                repo_is(format!("https://github.com/{repository}"))?;
                config_matches(format!("https://github.com/{repository}/.github/workflows/{workflow}"))
            }
            Publisher::GitLab { repository, workflow_filepath, .. } => {
                repo_is(format!("https://gitlab.com/{repository}"))?;
                config_matches(format!("https://gitlab.com/{repository}//{workflow_filepath}"))
            }
            // The SAN and issuer are the core policy's.
            Publisher::Google { .. } => Ok(()),
            Publisher::CircleCI { project_id, pipeline_definition_id, vcs_origin, vcs_ref } => {
                let want = format!("https://circleci.com/api/v2/projects/{project_id}/pipeline-definitions/{pipeline_definition_id}");
                match claim("buildSignerUri") {
                    Some(u) if u == want => {}
                    Some(u) => return mismatch(format!("Build Signer URI {u:?} is not {want:?}")),
                    None => return mismatch("the certificate has no Build Signer URI".into()),
                }
                if let Some(o) = vcs_origin {
                    repo_is(o.to_string())?;
                }
                if let Some(r) = vcs_ref {
                    if claim("sourceRepositoryRef") != Some(r.as_str()) {
                        return mismatch(format!("Source Repository Ref {:?} is not {r:?}", claim("sourceRepositoryRef")));
                    }
                }
                Ok(())
            }
        }
    }
}
