//! The SLSA provenance attestation: a DSSE bundle signed with a Fulcio certificate issued to a
//! CI workflow. Verified by the crate's [`Verifier`] under the caller's identity rules; the
//! result names the rule that matched and what a person wants to see (repository, commit,
//! workflow, trigger, builder), taken from the certificate's Fulcio claims first (the CA copied
//! them from the CI's OIDC token) and from the signed SLSA predicate otherwise.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

use super::attestations::{check_predicate_type, Attestation};
use super::{check_subject, log_info, LogInfo, Package};
use crate::error::{err, Code, Error, Result};
use sigstore_verifier::artifact::Artifact;
use sigstore_verifier::bundle::Material;
use sigstore_verifier::crypto::SignatureVerifier;
use sigstore_verifier::identity::{Matcher, Policy};
use sigstore_verifier::result::{Signer, VerificationResult};
use sigstore_verifier::verify::Verifier;
use sigstore_verifier::x509::fulcio::{self, FulcioIdentity};
use sigstore_verifier::Code as CoreCode;

/// GitHub Actions OIDC issuer.
pub const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";
/// GitLab.com OIDC issuer.
pub const GITLAB_ISSUER: &str = "https://gitlab.com";
/// Fulcio's GitHub SAN is `https://github.com/{job_workflow_ref}`:
/// `https://github.com/OWNER/REPO/.github/workflows/FILE@REF` (Fulcio `config/identity/config.yaml`).
pub const GITHUB_WORKFLOW_SAN: &str = r"https://github\.com/[^/]+/[^/]+/\.github/workflows/[^@]+@.+";
/// Fulcio's GitLab SAN is `https://{ci_config_ref_uri}`:
/// `https://gitlab.com/GROUP[/SUBGROUP…]/PROJECT//PATH/TO/.gitlab-ci.yml@REF`.
pub const GITLAB_PIPELINE_SAN: &str = r"https://gitlab\.com/[^@]+//[^@]+@.+";

/// One accepted signer: a name for reports, and the SAN and issuer it must have.
#[derive(Clone, Debug)]
pub struct IdentityRule {
    pub name: String,
    pub san: Matcher,
    pub issuer: Matcher,
}

impl IdentityRule {
    pub fn new(name: impl Into<String>, san: Matcher, issuer: Matcher) -> Self {
        IdentityRule { name: name.into(), san, issuer }
    }

    /// Any GitHub Actions workflow.
    pub fn github_actions() -> Result<Self> {
        Ok(Self::new("github-actions", Matcher::regex(GITHUB_WORKFLOW_SAN)?, Matcher::exact(GITHUB_ISSUER)))
    }

    /// Any GitLab.com CI pipeline.
    pub fn gitlab_ci() -> Result<Self> {
        Ok(Self::new("gitlab-ci", Matcher::regex(GITLAB_PIPELINE_SAN)?, Matcher::exact(GITLAB_ISSUER)))
    }

    /// A workflow of one GitHub repository, `OWNER/REPO` (matched case-sensitively, as
    /// Fulcio writes the name GitHub reports).
    pub fn github_repository(repo: &str) -> Result<Self> {
        let ok = matches!(repo.split_once('/'), Some((o, r)) if !o.is_empty() && !r.is_empty() && !r.contains('/'));
        if !ok || repo.contains(['@', ' ']) {
            return err(Code::Core(CoreCode::PolicyInvalid), format!("{repo:?} is not OWNER/REPO"));
        }
        let san = format!(r"https://github\.com/{}/\.github/workflows/[^@]+@.+", regex_escape(repo));
        Ok(Self::new(format!("github:{repo}"), Matcher::regex(&san)?, Matcher::exact(GITHUB_ISSUER)))
    }
}

/// The default rules: any GitHub Actions workflow or GitLab.com pipeline (what npm's trusted
/// publishing and `--provenance` support).
pub fn default_rules() -> Result<Vec<IdentityRule>> {
    Ok(alloc::vec![IdentityRule::github_actions()?, IdentityRule::gitlab_ci()?])
}

/// Escape regex metacharacters so `s` matches itself.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The identity that signed the provenance, and the rule it satisfied.
#[derive(Clone, Debug)]
pub struct MatchedIdentity {
    pub rule: String,
    pub san: String,
    pub issuer: String,
}

/// A verified provenance attestation, summarised.
#[derive(Clone, Debug)]
pub struct Provenance {
    pub predicate_type: String,
    pub identity: MatchedIdentity,
    pub source_repository: Option<String>,
    pub source_ref: Option<String>,
    pub commit: Option<String>,
    /// The workflow (pipeline) file, relative to the repository.
    pub workflow: Option<String>,
    /// The event that started the run (`push`, `release`, `workflow_dispatch`, …).
    pub trigger: Option<String>,
    pub builder: Option<String>,
    pub runner_environment: Option<String>,
    pub run_invocation: Option<String>,
    pub log: Option<LogInfo>,
    pub result: VerificationResult,
}

/// Pick the rule to verify under: the first whose SAN and issuer both match the (not yet
/// verified) certificate, else the first whose issuer matches, else the first. The
/// [`Verifier`] then checks the certificate and the rule again, and reports any mismatch.
fn choose<'r>(rules: &'r [IdentityRule], id: &FulcioIdentity) -> Result<&'r IdentityRule> {
    let issuer = id.issuer.as_deref().unwrap_or("");
    rules
        .iter()
        .find(|r| r.san.matches(&id.san) && r.issuer.matches(issuer))
        .or_else(|| rules.iter().find(|r| r.issuer.matches(issuer)))
        .or_else(|| rules.first())
        .ok_or_else(|| Error::new(Code::Core(CoreCode::PolicyInvalid), "no identity rule for the provenance signer"))
}

/// Verify the provenance attestation of `pkg`.
pub fn verify(verifier: &Verifier, att: &Attestation, pkg: &Package, rules: &[IdentityRule], backend: &dyn SignatureVerifier) -> Result<Provenance> {
    let place = format!("attestations[{}]", att.index);
    let mut bundle = att.bundle.clone();
    let Some(leaf) = bundle.material.leaf().cloned() else {
        return err(Code::Core(CoreCode::KeyMismatch), format!("{place}: provenance must be signed with a Fulcio certificate, not a managed key"));
    };
    // npm bundles from 2023 carry the whole chain, root included. npm's verifier (sigstore-js)
    // builds the path from the trusted root alone; so do we: keep only the leaf. Dropping
    // certificates the signer sent can only remove paths, never add trust.
    if let Material::Chain(c) = &bundle.material {
        if c.len() > 1 {
            bundle.material = Material::Chain(alloc::vec![leaf.clone()]);
        }
    }
    let rule = choose(rules, &fulcio::identity(&leaf).map_err(|e| e.at(&place))?)?;
    let policy = Policy::Identity { san: rule.san.clone(), issuer: rule.issuer.clone() };
    let artifact = Artifact::Digest(sigstore_verifier::crypto::HashAlg::Sha512, pkg.sha512.clone());
    let result = verifier.plan(&bundle, &artifact, &policy).and_then(|p| p.finish(backend)).map_err(|e| e.at(&place))?;

    let Some(statement) = &result.statement else {
        return err(Code::DocumentInvalid, format!("{place}: provenance is not a DSSE in-toto attestation"));
    };
    check_predicate_type(att, &statement.predicate_type)?;
    check_subject(&statement.value, pkg).map_err(|e| e.at(&place))?;
    let Signer::Certificate(id) = &result.signer else {
        return err(Code::Core(CoreCode::KeyMismatch), format!("{place}: provenance is not signed with a certificate"));
    };
    let predicate = statement.value.get("predicate").unwrap_or(&Value::Null);
    let s = Summary { id, predicate };
    let source_repository = s.source_repository();
    Ok(Provenance {
        predicate_type: statement.predicate_type.clone(),
        identity: MatchedIdentity { rule: rule.name.clone(), san: id.san.clone(), issuer: id.issuer.clone().unwrap_or_default() },
        workflow: s.workflow(source_repository.as_deref()),
        source_repository,
        source_ref: s.source_ref(),
        commit: s.commit(),
        trigger: s.trigger(),
        builder: s.builder(),
        runner_environment: s.claim("runnerEnvironment"),
        run_invocation: s.run_invocation(),
        log: log_info(&result),
        result: result.clone(),
    })
}

/// Reads the human-facing facts out of the verified certificate and predicate.
struct Summary<'a> {
    id: &'a FulcioIdentity,
    predicate: &'a Value,
}

impl Summary<'_> {
    fn claim(&self, name: &str) -> Option<String> {
        self.id.claims.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
    }

    /// A string at a JSON path in the predicate.
    fn pred(&self, path: &[&str]) -> Option<String> {
        let mut v = self.predicate;
        for p in path {
            v = v.get(p)?;
        }
        v.as_str().filter(|s| !s.is_empty()).map(String::from)
    }

    /// SLSA v1 `buildDefinition.resolvedDependencies[0]`, v0.2 `materials[0]`.
    fn first_of(&self, list: &str) -> Option<&Value> {
        let mut v = self.predicate;
        for p in list.split('.') {
            v = v.get(p)?;
        }
        v.as_array()?.first()
    }

    fn source_repository(&self) -> Option<String> {
        self.claim("sourceRepositoryUri")
            .or_else(|| self.claim("githubWorkflowRepository").map(|r| format!("https://github.com/{r}")))
            .or_else(|| self.pred(&["buildDefinition", "externalParameters", "workflow", "repository"]))
            .or_else(|| {
                // v0.2: `git+https://github.com/OWNER/REPO[@REF]`
                let uri = self.first_of("materials")?.get("uri")?.as_str()?;
                let uri = uri.strip_prefix("git+").unwrap_or(uri);
                Some(String::from(uri.split_once('@').map_or(uri, |(u, _)| u)))
            })
    }

    fn source_ref(&self) -> Option<String> {
        self.claim("sourceRepositoryRef")
            .or_else(|| self.claim("githubWorkflowRef"))
            .or_else(|| self.pred(&["buildDefinition", "externalParameters", "workflow", "ref"]))
            .or_else(|| self.pred(&["invocation", "environment", "GITHUB_REF"]))
    }

    fn commit(&self) -> Option<String> {
        self.claim("sourceRepositoryDigest")
            .or_else(|| self.claim("githubWorkflowSha"))
            .or_else(|| self.first_of("buildDefinition.resolvedDependencies")?.get("digest")?.get("gitCommit")?.as_str().map(String::from))
            .or_else(|| self.pred(&["invocation", "configSource", "digest", "sha1"]))
    }

    /// The workflow file: `buildConfigUri` (or, on older certificates, the SAN) without the
    /// repository prefix and the `@REF` suffix; else the predicate's workflow path.
    fn workflow(&self, repo: Option<&str>) -> Option<String> {
        let from_uri = |uri: String| -> String {
            let path = uri.rsplit_once('@').map_or(uri.as_str(), |(p, _)| p);
            let rel = repo.and_then(|r| path.strip_prefix(r)).map(|p| p.trim_start_matches('/'));
            String::from(rel.unwrap_or(path))
        };
        self.claim("buildConfigUri")
            .map(from_uri)
            .or_else(|| self.pred(&["buildDefinition", "externalParameters", "workflow", "path"]))
            .or_else(|| (self.id.issuer.as_deref() == Some(GITHUB_ISSUER)).then(|| from_uri(self.id.san.clone())))
    }

    fn trigger(&self) -> Option<String> {
        self.claim("buildTrigger")
            .or_else(|| self.claim("githubWorkflowTrigger"))
            .or_else(|| self.pred(&["buildDefinition", "internalParameters", "github", "event_name"]))
            .or_else(|| self.pred(&["invocation", "environment", "GITHUB_EVENT_NAME"]))
    }

    fn builder(&self) -> Option<String> {
        self.pred(&["runDetails", "builder", "id"]).or_else(|| self.pred(&["builder", "id"]))
    }

    fn run_invocation(&self) -> Option<String> {
        self.claim("runInvocationUri").or_else(|| self.pred(&["runDetails", "metadata", "invocationId"]))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::as_conversions)]
mod tests {
    use super::*;

    #[test]
    fn default_patterns() {
        let gh = IdentityRule::github_actions().unwrap();
        assert!(gh.san.matches("https://github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/tags/v0.1.1"));
        assert!(!gh.san.matches("https://github.com/microsoft/.github/workflows/publish.yml@refs/tags/v0.1.1"));
        assert!(!gh.san.matches("https://github.com/a/b/.github/workflows/x.yml"));
        assert!(!gh.san.matches("https://github.com.evil/a/b/.github/workflows/x.yml@main"));
        let gl = IdentityRule::gitlab_ci().unwrap();
        assert!(gl.san.matches("https://gitlab.com/my-group/sub/my-project//.gitlab-ci.yml@refs/heads/main"));
        assert!(!gl.san.matches("https://gitlab.com/my-group/my-project/.gitlab-ci.yml@refs/heads/main"));
        let one = IdentityRule::github_repository("sigstore/sigstore-js").unwrap();
        assert!(one.san.matches("https://github.com/sigstore/sigstore-js/.github/workflows/publish.yml@refs/tags/v1.0.0"));
        assert!(!one.san.matches("https://github.com/sigstore/sigstore-jsx/.github/workflows/publish.yml@refs/tags/v1.0.0"));
        assert!(!one.san.matches("https://github.com/sigstoreXsigstore-js/.github/workflows/publish.yml@refs/tags/v1.0.0"));
        for bad in ["x", "a/b/c", "/b", "a/", "a b/c"] {
            assert_eq!(IdentityRule::github_repository(bad).unwrap_err().code, Code::Core(CoreCode::PolicyInvalid), "{bad}");
        }
    }
}
