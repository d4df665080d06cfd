//! `verify-pypi`: a distribution file against its PEP 740 provenance (the PyPI integrity API's
//! `/integrity/<project>/<version>/<file>/provenance`) or one attestation, read from files.
//!
//! A face over `sigstore-pypi`: flags become a [`Pin`] and a [`Distribution`]; the checks are
//! the crate's.

use std::process::ExitCode;

use sigstore_pypi::{Attestation, Distribution, Pin, Provenance, Publisher, PypiVerification, PypiVerifier};
use sigstore_verifier::Verifier;

/// `verify-pypi-lock`: the batch form over a lock file.
pub mod lock;

use super::{fail, flag_value, out, out_json, read, read_max, set, text, usage, MAX_DOCUMENT_FILE_BYTES};
use crate::trust_cli::{TrustFail, TrustFlags};

pub const HELP: &str = "\
PyPI distributions (PEP 740 attestations, offline; fetch the provenance first):

  sigstore-verify verify-pypi FILE (--provenance FILE | --attestation FILE)
      [--publisher-kind github|gitlab|google|circleci] [--repository OWNER/REPO]
      [--workflow NAME] [--environment NAME] [--email SERVICE_ACCOUNT]
      [--project-id ID --pipeline-definition-id ID [--vcs-origin O] [--vcs-ref R]]
      [TRUST] [--json]

FILE is the wheel or sdist; its name is compared with the attestation's subject after parsing
(project name normalised, PEP 440 version, wheel tags) and its sha256 with the subject's digest.
Every attestation must verify: a Sigstore DSSE bundle (Rekor v1 or v2) whose in-toto statement
has PyPI publish v1 or SLSA provenance v1 as predicate, signed by the Trusted Publisher:
  without publisher flags   the publisher each attestation bundle names (reported)
  --repository only         that publisher, which must be this GitHub/GitLab repository
  --publisher-kind ...      exactly this publisher (github: --repository and --workflow FILE.yml;
                            gitlab: --repository and --workflow PATH; google: --email; circleci:
                            --project-id and --pipeline-definition-id). --attestation needs one.
Exit status: 0 verified, 1 not verified (`error: CODE: ...`), 2 usage error.
";

#[derive(Default)]
pub(crate) struct Flags {
    file: Option<String>,
    provenance: Option<String>,
    attestation: Option<String>,
    kind: Option<String>,
    repository: Option<String>,
    workflow: Option<String>,
    environment: Option<String>,
    email: Option<String>,
    project_id: Option<String>,
    pipeline: Option<String>,
    vcs_origin: Option<String>,
    vcs_ref: Option<String>,
    trust: TrustFlags,
    json: bool,
    /// verify-pypi-lock: the folder of provenance documents, and whether a file without one passes.
    provenance_dir: Option<String>,
    allow_missing: bool,
}

fn need(v: &Option<String>, flag: &str, kind: &str) -> Result<String, String> {
    v.clone().ok_or_else(|| format!("--publisher-kind {kind} needs {flag}"))
}

impl Flags {
    pub(crate) fn pin(&self) -> Result<Pin, String> {
        let Some(kind) = self.kind.as_deref() else {
            if self.workflow.is_some() || self.email.is_some() || self.project_id.is_some() {
                return Err("publisher flags other than --repository need --publisher-kind".into());
            }
            return Ok(self.repository.clone().map_or(Pin::Named, Pin::Repository));
        };
        let p = match kind {
            "github" => Publisher::GitHub {
                repository: need(&self.repository, "--repository", kind)?,
                workflow: need(&self.workflow, "--workflow", kind)?,
                environment: self.environment.clone(),
            },
            "gitlab" => Publisher::GitLab {
                repository: need(&self.repository, "--repository", kind)?,
                workflow_filepath: need(&self.workflow, "--workflow", kind)?,
                environment: self.environment.clone(),
            },
            "google" => Publisher::Google { email: need(&self.email, "--email", kind)? },
            "circleci" => Publisher::CircleCI {
                project_id: need(&self.project_id, "--project-id", kind)?,
                pipeline_definition_id: need(&self.pipeline, "--pipeline-definition-id", kind)?,
                vcs_origin: self.vcs_origin.clone(),
                vcs_ref: self.vcs_ref.clone(),
            },
            other => return Err(format!("unknown --publisher-kind {other:?} (github, gitlab, google, circleci)")),
        };
        Ok(Pin::Publisher(p))
    }
}

/// The flags of verify-pypi (`lock: false`) or verify-pypi-lock (`lock: true`; FILE is the lock file).
pub(crate) fn parse_flags(args: Vec<String>, lock: bool) -> Result<Flags, String> {
    let mut f = Flags::default();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (flag, inline) = flag_value(&a);
        let mut value = |name: &str| -> Result<String, String> { inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value")) };
        if f.trust.take(&flag, &mut value)? {
            continue;
        }
        let slot = match flag.as_str() {
            "--provenance" if !lock => &mut f.provenance,
            "--attestation" if !lock => &mut f.attestation,
            "--provenance-dir" if lock => &mut f.provenance_dir,
            "--allow-missing" if lock => {
                f.allow_missing = true;
                continue;
            }
            "--publisher-kind" => &mut f.kind,
            "--repository" => &mut f.repository,
            "--workflow" => &mut f.workflow,
            "--environment" => &mut f.environment,
            "--email" => &mut f.email,
            "--project-id" => &mut f.project_id,
            "--pipeline-definition-id" => &mut f.pipeline,
            "--vcs-origin" => &mut f.vcs_origin,
            "--vcs-ref" => &mut f.vcs_ref,
            "--json" => {
                f.json = true;
                continue;
            }
            x if x.starts_with('-') && x.len() > 1 => return Err(format!("unknown flag {x}")),
            _ => {
                set(&mut f.file, a.clone(), "FILE")?;
                continue;
            }
        };
        set(slot, value(&flag)?, &flag)?;
    }
    f.trust.check()?;
    if lock {
        if f.file.is_none() {
            return Err("LOCKFILE (pylock.toml or requirements.txt) is required".into());
        }
        if f.provenance_dir.is_none() {
            return Err("--provenance-dir DIR is required".into());
        }
        return Ok(f);
    }
    if f.file.is_none() {
        return Err("FILE (the wheel or sdist) is required".into());
    }
    if f.provenance.is_some() == f.attestation.is_some() {
        return Err("give exactly one of --provenance and --attestation".into());
    }
    Ok(f)
}

/// The publisher of an attestation, in one line.
pub(crate) fn publisher_line(p: &Publisher) -> String {
    match p {
        Publisher::GitHub { repository, workflow, .. } => format!("GitHub {repository} {workflow}"),
        Publisher::GitLab { repository, workflow_filepath, .. } => format!("GitLab {repository} {workflow_filepath}"),
        Publisher::Google { email } => format!("Google {email}"),
        Publisher::CircleCI { project_id, pipeline_definition_id, .. } => format!("CircleCI project {project_id} pipeline {pipeline_definition_id}"),
    }
}

fn report(v: &PypiVerification) -> String {
    let mut s = format!("verified {} (sha256 {})\n", v.filename, v.sha256);
    for a in &v.attestations {
        let who = publisher_line(&a.publisher);
        s += &format!("  {}\n    publisher  {who}\n    signer     {} (issuer {})\n", a.predicate_type, a.identity, a.issuer);
    }
    s
}

pub fn verify_pypi(args: Vec<String>) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        out(HELP);
        return ExitCode::SUCCESS;
    }
    let f = match parse_flags(args, false) {
        Ok(f) => f,
        Err(m) => return usage(&m),
    };
    let pin = match f.pin() {
        Ok(p) => p,
        Err(m) => return usage(&m),
    };
    if f.attestation.is_some() && !matches!(pin, Pin::Publisher(_)) {
        return usage("--attestation names no publisher: give --publisher-kind and its flags");
    }
    let path = f.file.clone().unwrap_or_default();
    let doc_path = f.provenance.clone().or_else(|| f.attestation.clone()).unwrap_or_default();
    let inputs = (|| -> Result<_, String> { Ok((read(&path)?, read_max(&doc_path, MAX_DOCUMENT_FILE_BYTES, "the document").map_err(String::from)?)) })();
    let (file, doc) = match inputs {
        Ok(x) => x,
        Err(m) => return usage(&m),
    };
    let filename = std::path::Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let run = || -> Result<PypiVerification, TrustFail> {
        let r = |e: sigstore_pypi::Error| TrustFail::Report(e.report());
        let dist = Distribution::from_bytes(&filename, &file).map_err(r)?;
        let doc = text(&doc, "the PEP 740 document", sigstore_pypi::Code::DocumentInvalid).map_err(r)?;
        let prov = match &pin {
            Pin::Publisher(_) if f.attestation.is_some() => None,
            _ => Some(Provenance::from_json(doc).map_err(r)?),
        };
        let att = if prov.is_none() { Some(Attestation::from_json(doc).map_err(r)?) } else { None };
        let trust = f.trust.resolve(false)?;
        let v = PypiVerifier::new(Verifier::new(trust.root, sigstore_verifier::Config::default()).map_err(|e| TrustFail::Report(e.report()))?);
        match (prov, att, &pin) {
            (Some(p), _, _) => v.verify_provenance_pinned(&p, &dist, &pin).map_err(r),
            (None, Some(a), Pin::Publisher(p)) => {
                let one = v.verify_attestation(&a, &dist, p).map_err(r)?;
                Ok(PypiVerification::single(&dist, one))
            }
            _ => Err(TrustFail::Usage("no document".into())),
        }
    };
    match run() {
        Ok(v) => {
            if f.json {
                out_json(&v.to_json());
            } else {
                out(&report(&v));
            }
            ExitCode::SUCCESS
        }
        Err(TrustFail::Report(e)) => fail(&e, f.json),
        Err(TrustFail::Usage(m)) => usage(&m),
    }
}
