//! The policy of `gh attestation verify`, checked against a bundle the core verified.
//!
//! As gh reads its flags (cli/cli `pkg/cmd/attestation/verify`):
//! - `owner` or `repo` (exactly one): the certificate's Source Repository Owner URI must be
//!   `https://github.com/OWNER`, and with `repo` its Source Repository URI
//!   `https://github.com/OWNER/REPO` (both compared ignoring ASCII case);
//! - the signer, matched on the certificate's SAN, at most one of:
//!   `signer_workflow` (`[HOST/]OWNER/REPO/PATH/TO/WORKFLOW.yml`: the SAN must start with
//!   `https://HOST/` followed by it, read as a regular expression as gh does, so
//!   `@refs/...` may follow; HOST is github.com when the value names none),
//!   `signer_repo` (`OWNER/REPO`: the SAN starts with `https://github.com/OWNER/REPO/`, any case),
//!   `cert_identity` (the SAN exactly), `cert_identity_regex` (a regular expression found
//!   anywhere in the SAN, as Go's `MatchString`); by default the SAN must start with
//!   `https://github.com/REPO/` or `https://github.com/OWNER/` (any case), i.e. a workflow of
//!   the repository or owner itself;
//! - `cert_oidc_issuer` (default GitHub Actions'): the certificate's issuer, any case;
//! - `predicate_type` (default SLSA provenance v1): the statement's, exactly;
//! - `deny_self_hosted_runners`: the Runner Environment must be `github-hosted`;
//! - `source_ref`, `source_digest`, `signer_digest`: the Source Repository Ref, Source Repository
//!   Digest and Build Signer Digest, exactly (digests ignoring ASCII case).
//!
//! Stricter than gh on purpose: owner and repository names must be GitHub names and are
//! matched literally (gh puts them into a regular expression unescaped, where `.` matches any
//! character); GHE.com tenancy (`--hostname`) is not supported.

use alloc::format;
use alloc::string::{String, ToString};
use serde::{Deserialize, Serialize};

use crate::api::{check_owner, check_repo};
use crate::error::{err, Code, Error, Result};
use sigstore_verifier::x509::fulcio::FulcioIdentity;
use sigstore_verifier::Matcher;

/// GitHub Actions' OIDC issuer, the default `cert_oidc_issuer`.
pub const GITHUB_ACTIONS_ISSUER: &str = "https://token.actions.githubusercontent.com";
/// SLSA provenance v1, the default `predicate_type`.
pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
/// The Runner Environment of GitHub-hosted runners.
pub const GITHUB_HOSTED: &str = "github-hosted";
const HOST: &str = "github.com";
/// At most this long, any option's value.
const MAX_VALUE: usize = 4096;

/// The policy as callers spell it: the CLI's flags and the JS options object (camelCase,
/// unknown fields refused) both become one of these; [`PolicySpec::build`] checks it.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicySpec {
    pub owner: Option<String>,
    pub repo: Option<String>,
    pub signer_workflow: Option<String>,
    pub signer_repo: Option<String>,
    pub cert_identity: Option<String>,
    pub cert_identity_regex: Option<String>,
    pub source_ref: Option<String>,
    pub source_digest: Option<String>,
    pub signer_digest: Option<String>,
    pub cert_oidc_issuer: Option<String>,
    pub predicate_type: Option<String>,
    #[serde(default)]
    pub deny_self_hosted_runners: bool,
}

impl PolicySpec {
    /// The JSON field names (for faces that check fields themselves, e.g. on JS objects).
    pub const FIELDS: [&'static str; 12] = [
        "owner",
        "repo",
        "signerWorkflow",
        "signerRepo",
        "certIdentity",
        "certIdentityRegex",
        "sourceRef",
        "sourceDigest",
        "signerDigest",
        "certOidcIssuer",
        "predicateType",
        "denySelfHostedRunners",
    ];

    /// Check the options and compile the policy (`ATTEST_POLICY_INVALID`, `ATTEST_NAME_INVALID`).
    pub fn build(&self) -> Result<Policy> {
        let all = [
            ("owner", &self.owner),
            ("repo", &self.repo),
            ("signerWorkflow", &self.signer_workflow),
            ("signerRepo", &self.signer_repo),
            ("certIdentity", &self.cert_identity),
            ("certIdentityRegex", &self.cert_identity_regex),
            ("sourceRef", &self.source_ref),
            ("sourceDigest", &self.source_digest),
            ("signerDigest", &self.signer_digest),
            ("certOidcIssuer", &self.cert_oidc_issuer),
            ("predicateType", &self.predicate_type),
        ];
        for (name, v) in all {
            if let Some(v) = v {
                if v.is_empty() || v.len() > MAX_VALUE {
                    return err(Code::PolicyInvalid, format!("{name} must be a non-empty string of at most {MAX_VALUE} bytes"));
                }
            }
        }
        let (owner, repo) = match (&self.owner, &self.repo) {
            (Some(_), Some(_)) => return err(Code::PolicyInvalid, "give owner or repo, not both"),
            (None, None) => return err(Code::PolicyInvalid, "give owner (ORG) or repo (OWNER/REPO)"),
            (Some(o), None) => {
                check_owner(o)?;
                (o.clone(), None)
            }
            (None, Some(r)) => {
                let (o, _) = check_repo(r)?;
                (o.to_string(), Some(r.clone()))
            }
        };
        let signers = [&self.signer_workflow, &self.signer_repo, &self.cert_identity, &self.cert_identity_regex];
        if signers.iter().filter(|s| s.is_some()).count() > 1 {
            return err(Code::PolicyInvalid, "give at most one of signerWorkflow, signerRepo, certIdentity and certIdentityRegex");
        }
        let regex = |pattern: &str, what: &str| Matcher::regex(pattern).map_err(|e| Error::new(Code::PolicyInvalid, format!("{what}: {}", e.context)));
        let prefix = |path: &str| Signer::Prefix(format!("https://{HOST}/{path}/"));
        let signer = if let Some(w) = &self.signer_workflow {
            // gh: a value whose first segment has a dot names its host.
            let first = w.split('/').next().unwrap_or_default();
            let with_host = if first.contains('.') { w.clone() } else { format!("{HOST}/{w}") };
            // Each pattern compiles alone first, so that a `)` in it cannot close the group it is
            // wrapped in (`x)|(.*` would otherwise accept any SAN).
            regex(&with_host, "signerWorkflow")?;
            Signer::Regex { what: format!("signer workflow {w:?}"), re: regex(&format!("https://(?:{with_host}).*"), "signerWorkflow")? }
        } else if let Some(r) = &self.signer_repo {
            check_repo(r).map_err(|e| e.at("signerRepo"))?;
            prefix(r)
        } else if let Some(id) = &self.cert_identity {
            Signer::Exact(id.clone())
        } else if let Some(r) = &self.cert_identity_regex {
            regex(r, "certIdentityRegex")?;
            Signer::Regex { what: format!("certificate identity /{r}/"), re: regex(&format!("(?s:.*)(?:{r})(?s:.*)"), "certIdentityRegex")? }
        } else {
            prefix(repo.as_deref().unwrap_or(&owner))
        };
        // Any SAN and issuer for the core: this policy checks them with its own codes.
        let any = Matcher::regex("(?s:.*)")?;
        Ok(Policy {
            core: sigstore_verifier::Policy::identity(any.clone(), any),
            owner,
            repo,
            signer,
            issuer: self.cert_oidc_issuer.clone().unwrap_or_else(|| GITHUB_ACTIONS_ISSUER.into()),
            predicate_type: self.predicate_type.clone().unwrap_or_else(|| SLSA_PROVENANCE_V1.into()),
            deny_self_hosted_runners: self.deny_self_hosted_runners,
            source_ref: self.source_ref.clone(),
            source_digest: self.source_digest.clone(),
            signer_digest: self.signer_digest.clone(),
        })
    }
}

/// How the SAN is matched.
#[derive(Clone, Debug)]
enum Signer {
    /// Starts with this, ignoring ASCII case.
    Prefix(String),
    Exact(String),
    Regex {
        what: String,
        re: Matcher,
    },
}

/// A checked policy ([`PolicySpec::build`]).
#[derive(Clone, Debug)]
pub struct Policy {
    core: sigstore_verifier::Policy,
    owner: String,
    repo: Option<String>,
    signer: Signer,
    issuer: String,
    predicate_type: String,
    deny_self_hosted_runners: bool,
    source_ref: Option<String>,
    source_digest: Option<String>,
    signer_digest: Option<String>,
}

fn claim<'a>(id: &'a FulcioIdentity, name: &str) -> Option<&'a str> {
    id.claims.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

impl Policy {
    pub fn predicate_type(&self) -> &str {
        &self.predicate_type
    }

    /// The policy the core verifies each bundle with: a Fulcio certificate (or a key) with any
    /// identity; [`Policy::check_certificate`] does the rest.
    pub fn core(&self) -> &sigstore_verifier::Policy {
        &self.core
    }

    /// The statement's predicate type (`ATTEST_PREDICATE_MISMATCH`).
    pub fn check_predicate(&self, predicate_type: &str) -> Result<()> {
        if predicate_type != self.predicate_type {
            return err(Code::PredicateMismatch, format!("predicate type {predicate_type:?} is not {:?}", self.predicate_type));
        }
        Ok(())
    }

    /// The certificate against the policy, in gh's order: issuer, owner, repository, signer
    /// (SAN), runner, then the source and signer digests and ref.
    pub fn check_certificate(&self, id: &FulcioIdentity) -> Result<()> {
        match id.issuer.as_deref() {
            Some(i) if i.eq_ignore_ascii_case(&self.issuer) => {}
            Some(i) => return err(Code::IssuerMismatch, format!("the certificate's OIDC issuer {i:?} is not {:?}", self.issuer)),
            None => return err(Code::IssuerMismatch, "the certificate names no OIDC issuer"),
        }
        let want = format!("https://{HOST}/{}", self.owner);
        match claim(id, "sourceRepositoryOwnerUri") {
            Some(u) if u.eq_ignore_ascii_case(&want) => {}
            Some(u) => return err(Code::OwnerMismatch, format!("Source Repository Owner URI {u:?} is not {want:?}")),
            None => return err(Code::OwnerMismatch, "the certificate has no Source Repository Owner URI"),
        }
        if let Some(r) = &self.repo {
            let want = format!("https://{HOST}/{r}");
            match claim(id, "sourceRepositoryUri") {
                Some(u) if u.eq_ignore_ascii_case(&want) => {}
                Some(u) => return err(Code::RepoMismatch, format!("Source Repository URI {u:?} is not {want:?}")),
                None => return err(Code::RepoMismatch, "the certificate has no Source Repository URI"),
            }
        }
        let san = id.san.as_str();
        let (ok, what) = match &self.signer {
            Signer::Prefix(p) => (starts_with_ignore_case(san, p), format!("a workflow under {p}")),
            Signer::Exact(s) => (san == s, format!("{s:?}")),
            Signer::Regex { what, re } => (re.matches(san), what.clone()),
        };
        if !ok {
            return err(Code::SignerMismatch, format!("the certificate identity {san:?} is not {what}"));
        }
        if self.deny_self_hosted_runners {
            let env = claim(id, "runnerEnvironment");
            if env != Some(GITHUB_HOSTED) {
                return err(
                    Code::SelfHostedRunner,
                    format!("Runner Environment {:?} is not {GITHUB_HOSTED:?} (self-hosted runners are denied)", env.unwrap_or("-")),
                );
            }
        }
        let exact = |name: &str, label: &str, want: &Option<String>, code: Code, fold: bool| -> Result<()> {
            let Some(w) = want else { return Ok(()) };
            match claim(id, name) {
                Some(v) if v == w || (fold && v.eq_ignore_ascii_case(w)) => Ok(()),
                Some(v) => err(code, format!("{label} {v:?} is not {w:?}")),
                None => err(code, format!("the certificate has no {label}")),
            }
        };
        exact("sourceRepositoryRef", "Source Repository Ref", &self.source_ref, Code::SourceRefMismatch, false)?;
        exact("sourceRepositoryDigest", "Source Repository Digest", &self.source_digest, Code::SourceDigestMismatch, true)?;
        exact("buildSignerDigest", "Build Signer Digest", &self.signer_digest, Code::SignerDigestMismatch, true)?;
        Ok(())
    }
}
