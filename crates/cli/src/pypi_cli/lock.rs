//! `verify-pypi-lock`: every distribution a lock file pins by sha256 (`pylock.toml` of PEP 751,
//! or a `requirements.txt` with `--hash=sha256:`), checked against PEP 740 provenance documents
//! fetched beforehand into a folder, as `verify-npm-lock` does for npm.
//!
//! The folder holds one document per file, named after the file: `DIR/<filename>.provenance`
//! (the body of `GET https://pypi.org/integrity/<project>/<version>/<filename>/provenance`).
//! pylock.toml names every file; a requirements file only pins digests, so the files of a
//! requirement are the documents in DIR whose filename is of that project and version, and each
//! one's attested sha256 must be one of the requirement's hashes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{json, Value};
use sigstore_pypi::lock::{self, Locked, Pinned};
use sigstore_pypi::{filename, Code, Distribution, Error, Pin, Provenance, PypiVerification, PypiVerifier};
use sigstore_verifier::Verifier;

use super::{parse_flags, publisher_line};
use crate::trust_cli::TrustFail;
use crate::{fail, out, out_json, read_max, text, usage, MAX_DOCUMENT_FILE_BYTES};

pub const HELP: &str = "\
  sigstore-verify verify-pypi-lock LOCKFILE --provenance-dir DIR [--allow-missing]
      [--repository OWNER/REPO | --publisher-kind ... (as verify-pypi)] [TRUST] [--json]

verify-pypi-lock checks every file a lock pins by sha256 against its provenance in DIR:
  LOCKFILE   pylock.toml (PEP 751; a name ending in .toml) or a requirements.txt whose
             name==version lines carry --hash=sha256:... (pip's hash-checking mode)
  DIR/<filename>.provenance   the file's PEP 740 provenance, as the index serves it at
             /integrity/<project>/<version>/<filename>/provenance
For a requirements file the files of a requirement are the documents in DIR of that project and
version; each one's attested sha256 must be one of the requirement's hashes. A file (or a
requirement) without a document fails with PYPI_ATTESTATION_MISSING unless --allow-missing lists
it as unattested. Lock entries that pin nothing (VCS, directories, no sha256) are listed as
skipped. Exit status: 0 every pinned file verified, 1 any failed, 2 usage error.
";

/// One row of the report.
enum Outcome {
    Verified(PypiVerification),
    Failed(Error),
    Missing,
}

struct Row {
    project: String,
    version: String,
    filename: Option<String>,
    outcome: Outcome,
}

/// The provenance documents in DIR: (filename, path) for every `*.provenance`.
fn documents(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(file) = name.strip_suffix(".provenance") {
            out.push((file.to_string(), e.path()));
        }
    }
    out.sort();
    Ok(out)
}

fn verify_one(v: &PypiVerifier, pin: &Pin, p: &Pinned, file: &str, doc: &Path, allowed: &[String]) -> Result<PypiVerification, Error> {
    filename::check_coordinates(&p.project, &p.version, file)?;
    let bytes = read_max(&doc.to_string_lossy(), MAX_DOCUMENT_FILE_BYTES, "the provenance").map_err(|e| Error::new(Code::DocumentInvalid, String::from(e)))?;
    let prov = Provenance::from_json(text(&bytes, "the provenance", Code::DocumentInvalid)?)?;
    // pylock.toml pins one digest per file; a requirement pins a set: the attested digest
    // (checked by the verification below) must be in it.
    let sha256 = match allowed {
        [one] => one.clone(),
        _ => {
            let claimed = prov.bundles.first().and_then(|b| b.attestations.first()).and_then(|a| a.claimed_sha256()).unwrap_or_default();
            if !allowed.contains(&claimed) {
                return Err(Error::new(
                    Code::SubjectMismatch,
                    format!("the attested sha256 {claimed} is not one of the {} hashes the lock pins", allowed.len()),
                ));
            }
            claimed
        }
    };
    let dist = Distribution::from_hex(file, &sha256)?;
    v.verify_provenance_pinned(&prov, &dist, pin)
}

fn rows(locked: &Locked, docs: &[(String, PathBuf)], v: &PypiVerifier, pin: &Pin) -> Vec<Row> {
    let mut rows = Vec::new();
    for p in &locked.pinned {
        let row =
            |filename: Option<&str>, outcome| Row { project: p.project.clone(), version: p.version.clone(), filename: filename.map(String::from), outcome };
        let named: Vec<&str> = p.files.iter().filter_map(|f| f.filename.as_deref()).collect();
        if !named.is_empty() {
            for f in &p.files {
                let Some(file) = f.filename.as_deref() else { continue };
                let outcome = match docs.iter().find(|(n, _)| n == file) {
                    None => Outcome::Missing,
                    Some((_, path)) => match verify_one(v, pin, p, file, path, std::slice::from_ref(&f.sha256)) {
                        Ok(r) => Outcome::Verified(r),
                        Err(e) => Outcome::Failed(e),
                    },
                };
                rows.push(row(Some(file), outcome));
            }
            continue;
        }
        let allowed: Vec<String> = p.files.iter().map(|f| f.sha256.clone()).collect();
        let mine: Vec<&(String, PathBuf)> = docs.iter().filter(|(n, _)| filename::check_coordinates(&p.project, &p.version, n).is_ok()).collect();
        if mine.is_empty() {
            rows.push(row(None, Outcome::Missing));
        }
        for (file, path) in mine {
            let outcome = match verify_one(v, pin, p, file, path, &allowed) {
                Ok(r) => Outcome::Verified(r),
                Err(e) => Outcome::Failed(e),
            };
            rows.push(row(Some(file), outcome));
        }
    }
    rows
}

pub fn verify_pypi_lock(args: Vec<String>) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        out(HELP);
        return ExitCode::SUCCESS;
    }
    let f = match parse_flags(args, true) {
        Ok(f) => f,
        Err(m) => return usage(&m),
    };
    let pin = match f.pin() {
        Ok(p) => p,
        Err(m) => return usage(&m),
    };
    let lockfile = f.file.clone().unwrap_or_default();
    let dir = PathBuf::from(f.provenance_dir.clone().unwrap_or_default());
    if !dir.is_dir() {
        return usage(&format!("--provenance-dir {}: not a directory", dir.display()));
    }
    let inputs = (|| -> Result<_, String> { Ok((read_max(&lockfile, MAX_DOCUMENT_FILE_BYTES, "the lock file").map_err(String::from)?, documents(&dir)?)) })();
    let (lock_bytes, docs) = match inputs {
        Ok(x) => x,
        Err(m) => return usage(&m),
    };
    let pylock = lockfile.ends_with(".toml");
    let setup = || -> Result<(Locked, PypiVerifier), TrustFail> {
        let r = |e: Error| TrustFail::Report(e.report());
        let what = if pylock { "pylock.toml" } else { "requirements.txt" };
        let t = text(&lock_bytes, what, Code::DocumentInvalid).map_err(r)?;
        let locked = if pylock { lock::parse_pylock(t) } else { lock::parse_requirements(t) }.map_err(r)?;
        let trust = f.trust.resolve(false)?;
        Ok((locked, PypiVerifier::new(Verifier::new(trust.root, sigstore_verifier::Config::default())?)))
    };
    let (locked, verifier) = match setup() {
        Ok(s) => s,
        Err(TrustFail::Report(e)) => return fail(&e, f.json),
        Err(TrustFail::Usage(m)) => return usage(&m),
    };
    let rows = rows(&locked, &docs, &verifier, &pin);
    let (mut ok, mut failed, mut missing) = (0usize, 0usize, 0usize);
    let mut json_rows = Vec::new();
    for r in &rows {
        let id = format!("{}=={} {}", r.project, r.version, r.filename.as_deref().unwrap_or("-"));
        let base = json!({ "project": r.project, "version": r.version, "filename": r.filename });
        let mut j = match &r.outcome {
            Outcome::Verified(v) => {
                ok += 1;
                let who: Vec<String> = v.attestations.iter().map(|a| publisher_line(&a.publisher)).collect();
                if !f.json {
                    out(&format!("ok       {id}  {}\n", who.join(", ")));
                }
                json!({ "verified": true, "result": v.to_json() })
            }
            Outcome::Missing if f.allow_missing => {
                missing += 1;
                if !f.json {
                    out(&format!("missing  {id}  no provenance (--allow-missing)\n"));
                }
                json!({ "verified": false, "missing": true })
            }
            Outcome::Missing | Outcome::Failed(_) => {
                failed += 1;
                let e = match &r.outcome {
                    Outcome::Failed(e) => e.clone(),
                    _ => Error::new(
                        Code::AttestationMissing,
                        match &r.filename {
                            Some(file) => format!("no {file}.provenance in {}", dir.display()),
                            None => format!("no provenance document of {} {} in {}", r.project, r.version, dir.display()),
                        },
                    ),
                };
                if !f.json {
                    out(&format!("FAIL     {id}  {}: {}\n", e.code.as_str(), e.context));
                }
                e.report().to_json()
            }
        };
        if let (Value::Object(m), Value::Object(b)) = (&mut j, base) {
            m.extend(b);
        }
        json_rows.push(j);
    }
    let skipped = locked.skipped.len();
    if f.json {
        out_json(&json!({
            "files": json_rows,
            "skipped": locked.skipped.iter().map(|s| json!({ "entry": s.what, "reason": s.reason })).collect::<Vec<_>>(),
            "summary": { "files": rows.len(), "verified": ok, "failed": failed, "missing": missing, "skipped": skipped },
        }));
    } else {
        out(&format!("{} files: {ok} verified, {failed} failed, {missing} without provenance; {skipped} lock entries skipped\n", rows.len()));
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
