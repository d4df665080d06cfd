//! `verify-npm` and `verify-npm-lock`: npm attestations, registry keys and packuments read
//! from files (the offline form of `npm audit signatures`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::trust_cli::{TrustFail, TrustFlags};
use serde_json::{json, Value};
use sigstore_npm::{self as npm, purl, Documents, Error, NpmVerification, NpmVerifier, Options, Package, PolicySpec};
use sigstore_verifier::crypto::HashAlg;
use sigstore_verifier::{Config, Verifier};

use super::{fail, flag_value, out, out_json, read, read_max, set, text, usage, MAX_DOCUMENT_FILE_BYTES, MAX_KEY_FILE_BYTES};

/// The registry keys document (usage error when unreadable or over its limit).
fn read_keys(p: &str) -> Result<Vec<u8>, String> {
    read_max(p, MAX_KEY_FILE_BYTES, "the keys document").map_err(String::from)
}

/// An npm document: attestations, packument, lockfile.
fn read_doc(p: &str) -> Result<Vec<u8>, String> {
    read_max(p, MAX_DOCUMENT_FILE_BYTES, "the document").map_err(String::from)
}

/// The trusted root, read only to report an unreadable or oversized file as a usage error.
fn read_root(p: &str) -> Result<Vec<u8>, String> {
    read_max(p, u64::try_from(sigstore_verifier::limits::MAX_TRUSTED_ROOT_BYTES).unwrap_or(u64::MAX), "the trusted root").map_err(String::from)
}
use crate::npm_lock as lock;

pub const HELP: &str = "\
npm packages (offline; fetch the documents first):

  sigstore-verify verify-npm NAME@VERSION [--keys FILE] [--attestations FILE]
  (--integrity sha512-BASE64 | --tarball FILE) [--packument FILE]
  [IDENTITY] [TRUST] [--json]
  sigstore-verify verify-npm-lock package-lock.json --docs DIR
  [--require-attestations] [--jobs N] [IDENTITY] [TRUST] [--json]

verify-npm checks a package version's attestations as `npm audit signatures` does:
  * SLSA provenance (https://slsa.dev/provenance/v1 or v0.2): a Sigstore bundle signed with a
Fulcio certificate of an accepted CI identity, logged in Rekor; its subject must be
pkg:npm/NAME@VERSION (a scope's @ written %40) with the tarball's sha512;
  * the npm publish attestation: signed by the registry key it names, which must be in the
keys document and not expired at the verified Rekor time; same subject;
  * with --packument, every registry signature in dist.signatures (ECDSA P-256 over
NAME@VERSION:INTEGRITY) under an unexpired registry key.
It prints the source repository, commit, workflow, trigger, builder and Rekor entries.

  --keys FILE              the registry's keys document (GET /-/npm/v1/keys); default: the
                       registry.npmjs.org/keys.json target of the TUF repository
  --attestations FILE      GET /-/npm/v1/attestations/NAME@VERSION (both attestations are
                       then required); without it only the registry signature of
                       --packument is checked, and only if the packument lists no
                       attestations
  --integrity SRI          the tarball's integrity as the registry lists it (sha512-...)
  --tarball FILE           the tarball itself (its sha512 is computed) instead of --integrity
  --packument FILE         the packument (GET /NAME) or version document (GET /NAME/VERSION)
  TRUST                    --trusted-root FILE, or the TUF flags (see TRUST above)
  --json                   print the result (or the error) as JSON on stdout

IDENTITY (which CI may have built the package; default: any GitHub Actions workflow,
https://github.com/OWNER/REPO/.github/workflows/FILE@REF issued by
https://token.actions.githubusercontent.com, or any GitLab.com pipeline,
https://gitlab.com/PROJECT//FILE@REF issued by https://gitlab.com):
  --repository OWNER/REPO                 only workflows of this GitHub repository
  --certificate-identity-regexp RE        SAN regular expression (whole value) ...
  --certificate-oidc-issuer URL           ... and exact issuer (or
  --certificate-oidc-issuer-regexp RE)    issuer regular expression)

verify-npm-lock checks every package a package-lock.json (lockfileVersion 1-3) installs from a
registry, reading documents from DIR:
  DIR/keys.json                                   the registry keys document (default:
                                                  the TUF repository's, as for verify-npm)
  DIR/NAME@VERSION.attestations.json              attestations document
  DIR/NAME@VERSION.packument.json                 packument or version document
  (a scoped NAME @scope/pkg is written @scope%2fpkg, as in the registry's URLs)
A package passes when its attestations verify (and its packument's registry signatures, if
that file exists), or, without attestations, when its packument's registry signatures verify
and it lists no attestations. --require-attestations fails packages without attestations.
Links, workspaces, bundled and non-registry (git, file) dependencies are skipped. One line per
package, then a summary; exit 1 if any package fails.
  --jobs N                 verify N packages at a time (default: the number of CPUs); the
                       trusted root and keys are loaded once and shared, and the lines are
                       printed in lock order whatever N (--jobs 1: one after another)

Exit status: 0 verified, 1 not verified (`error: CODE: ...`), 2 usage error.
";

/// Flags shared by both commands.
#[derive(Default)]
struct Common {
    keys: Option<String>,
    trust: TrustFlags,
    json: bool,
    policy: PolicySpec,
}

impl Common {
    /// Consume a shared flag; `Ok(false)` if `flag` is not one.
    fn take(&mut self, flag: &str, value: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<bool, String> {
        match flag {
            "--keys" => set(&mut self.keys, value(flag)?, flag)?,
            f if self.trust.take(f, value)? => {}
            "--json" => self.json = true,
            "--repository" => set(&mut self.policy.repository, value(flag)?, flag)?,
            "--certificate-identity-regexp" => set(&mut self.policy.identity_regex, value(flag)?, flag)?,
            "--certificate-oidc-issuer" => set(&mut self.policy.issuer, value(flag)?, flag)?,
            "--certificate-oidc-issuer-regexp" => set(&mut self.policy.issuer_regex, value(flag)?, flag)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The identity flags must make a policy and the trust flags must agree (else a usage error).
    fn options(&self) -> Result<Options, ExitCode> {
        self.trust.check().map_err(|m| usage(&m))?;
        self.policy.options().map_err(|e| match e.code {
            npm::Code::Core(sigstore_verifier::Code::PolicyInvalid) => fail(&e.report(), self.json),
            _ => usage(&e.context),
        })
    }

    /// The trusted root from the trust flags; the keys document given, else the TUF target
    /// (`TUF_TARGET_NOT_FOUND` when the repository lists none).
    fn verifier(&self, keys: Option<&[u8]>, options: Options) -> Result<NpmVerifier, TrustFail> {
        let trust = self.trust.resolve(keys.is_none())?;
        let keys_text = match (keys, &trust.npm_keys) {
            (Some(b), _) => doc_text(b, "the registry keys document").map_err(|e| TrustFail::Report(e.report()))?.to_string(),
            (None, Some(t)) => t.clone(),
            (None, None) => {
                let why = format!("no registry keys: give --keys, or use a TUF repository that lists {}", sigstore_tuf::instance::NPM_KEYS);
                return Err(TrustFail::Report(sigstore_tuf::Error::new(sigstore_tuf::Code::TargetNotFound, why).report()));
            }
        };
        let verifier = Verifier::new(trust.root, Config::default()).map_err(|e| TrustFail::Report(e.report()))?;
        NpmVerifier::new(verifier, &keys_text, options).map_err(|e| TrustFail::Report(e.report()))
    }
}

fn short(s: &str) -> &str {
    s.get(..12).unwrap_or(s)
}

/// The human-readable report of one verified package.
fn report(v: &NpmVerification) -> String {
    let p = &v.package;
    let mut out = format!("verified {}@{} ({})\n", p.name, p.version, p.purl);
    let log = |l: &Option<npm::LogInfo>| match l {
        Some(l) => format!("{} entry {}{}", l.log_url, l.log_index, l.integrated_time.map(|t| format!(", integrated {t}")).unwrap_or_default()),
        None => "no entry".into(),
    };
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    if let Some(pr) = &v.provenance {
        out += &format!("  provenance   {}\n", pr.predicate_type);
        out += &format!("    signer     {} ({}, issuer {})\n", pr.identity.san, pr.identity.rule, pr.identity.issuer);
        out += &format!(
            "    source     {} @ {}{}\n",
            opt(&pr.source_repository),
            opt(&pr.commit),
            pr.source_ref.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
        );
        out += &format!("    workflow   {}\n", opt(&pr.workflow));
        out += &format!("    trigger    {}\n", opt(&pr.trigger));
        out += &format!("    builder    {}{}\n", opt(&pr.builder), pr.runner_environment.as_ref().map(|r| format!(" ({r})")).unwrap_or_default());
        if let Some(run) = &pr.run_invocation {
            out += &format!("    run        {run}\n");
        }
        out += &format!("    rekor      {}\n", log(&pr.log));
    }
    if let Some(pu) = &v.publish {
        out += &format!("  publish      {}\n", pu.predicate_type);
        out += &format!("    key        {} ({})\n", pu.keyid, pu.key_expires.map(|t| format!("expires {t}")).unwrap_or_else(|| "no expiry".into()));
        out += &format!("    rekor      {}\n", log(&pu.log));
    }
    match &v.registry_signatures {
        Some(k) => out += &format!("  registry signature verified ({})\n", k.join(", ")),
        None => out += "  registry signature not checked (no --packument)\n",
    }
    out
}

pub fn verify_npm(args: Vec<String>) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        out(HELP);
        return ExitCode::SUCCESS;
    }
    let mut common = Common::default();
    let (mut spec, mut attestations, mut integrity, mut tarball, mut packument) = (None, None, None, None, None);
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (flag, inline) = flag_value(&a);
        let mut value = |name: &str| -> Result<String, String> { inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value")) };
        let r = (|| -> Result<(), String> {
            if common.take(&flag, &mut value)? {
                return Ok(());
            }
            match flag.as_str() {
                "--attestations" => set(&mut attestations, value(&flag)?, "--attestations"),
                "--integrity" => set(&mut integrity, value(&flag)?, "--integrity"),
                "--tarball" => set(&mut tarball, value(&flag)?, "--tarball"),
                "--packument" => set(&mut packument, value(&flag)?, "--packument"),
                f if f.starts_with('-') && f.len() > 1 => Err(format!("unknown flag {f}")),
                _ => set(&mut spec, a.clone(), "NAME@VERSION"),
            }
        })();
        if let Err(m) = r {
            return usage(&m);
        }
    }
    let options = match common.options() {
        Ok(o) => o,
        Err(code) => return code,
    };
    let Some(spec) = spec else { return usage("NAME@VERSION is required") };
    let (name, version) = match purl::split_spec(&spec) {
        Ok(nv) => nv,
        Err(e) => return usage(&e.context),
    };
    if integrity.is_some() == tarball.is_some() {
        return usage("give exactly one of --integrity and --tarball");
    }
    let texts = (|| -> Result<_, String> {
        let keys = common.keys.as_deref().map(read_keys).transpose()?;
        if let Some(p) = &common.trust.trusted_root {
            read_root(p)?;
        }
        let att = attestations.as_deref().map(read_doc).transpose()?;
        let pack = packument.as_deref().map(read_doc).transpose()?;
        let tar = tarball.as_deref().map(read).transpose()?;
        Ok((keys, att, pack, tar))
    })();
    let (keys, att, pack, tar) = match texts {
        Ok(t) => t,
        Err(m) => return usage(&m),
    };
    let run = || -> Result<NpmVerification, TrustFail> {
        let r = |e: Error| TrustFail::Report(e.report());
        let pkg = match (&tar, &integrity) {
            (Some(bytes), _) => Package::from_sha512(name, version, HashAlg::Sha512.digest(bytes)).map_err(r)?,
            (None, Some(i)) => Package::new(name, version, i).map_err(r)?,
            _ => return Err(r(Error::new(npm::Code::Core(sigstore_verifier::Code::InputInvalid), "no integrity"))),
        };
        let v = common.verifier(keys.as_deref(), options)?;
        let att = att.as_deref().map(|b| doc_text(b, "the attestations document")).transpose().map_err(r)?;
        let pack = pack.as_deref().map(|b| doc_text(b, "the packument")).transpose().map_err(r)?;
        v.verify(&pkg, Documents { attestations: att, packument: pack }).map_err(r)
    };
    match run() {
        Ok(v) => {
            if common.json {
                out_json(&v.to_json());
            } else {
                out(&report(&v));
            }
            ExitCode::SUCCESS
        }
        Err(TrustFail::Report(e)) => fail(&e, common.json),
        Err(TrustFail::Usage(m)) => usage(&m),
    }
}

/// `DIR/NAME@VERSION.KIND.json`, the scope's `/` written `%2f`.
pub fn doc_path(dir: &Path, name: &str, version: &str, kind: &str) -> PathBuf {
    dir.join(format!("{}@{version}.{kind}.json", name.replace('/', "%2f")))
}

/// Read an optional document: absent is `None`, unreadable is a usage error.
fn optional(path: &Path) -> Result<Option<Vec<u8>>, String> {
    if !path.exists() {
        return Ok(None);
    }
    read_doc(&path.to_string_lossy()).map(Some)
}

/// An npm document as text (`NPM_DOCUMENT_INVALID` when it is not UTF-8).
fn doc_text<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, Error> {
    text(bytes, what, npm::Code::DocumentInvalid)
}

/// One locked package: its verification (or why it failed), or a usage error (a document that
/// exists but cannot be read).
type Outcome = Result<Result<NpmVerification, Error>, String>;

/// `--jobs` by default: the cores this process may use.
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

// The verifiers are shared by reference between the worker threads (one trust load, one set of
// fixed-base tables): they must be Sync. They are: plain data, the tables behind `Arc`, no
// interior mutability (the per-verification digest cache, `Hashed`, lives on the stack).
const _: fn() = || {
    fn shared<T: Sync>() {}
    shared::<NpmVerifier>();
};

/// Worker threads' stack: the main thread's usual 8 MiB (the default for spawned threads is 2).
const WORKER_STACK: usize = 8 << 20;

/// Check every package, `jobs` at a time: the calling thread and `jobs - 1` scoped workers take
/// the next index from a shared counter. The outcomes come back in lock order. After a usage
/// error no further package is started; every package before it finishes, so the outcomes up to
/// the first usage error are those checking them one by one gives (the caller stops there).
fn check_all(packages: &[lock::LockedPackage], jobs: usize, check: &(dyn Fn(&lock::LockedPackage) -> Outcome + Sync)) -> Vec<Outcome> {
    let jobs = jobs.min(packages.len());
    if jobs <= 1 {
        let mut outcomes = Vec::with_capacity(packages.len());
        for p in packages {
            let o = check(p);
            let stop = o.is_err();
            outcomes.push(o);
            if stop {
                break;
            }
        }
        return outcomes;
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let work = || {
        let mut done = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(p) = packages.get(i) else { break };
            let o = check(p);
            if o.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            done.push((i, o));
        }
        done
    };
    let mut slots: Vec<Option<Outcome>> = std::iter::repeat_with(|| None).take(packages.len()).collect();
    std::thread::scope(|s| {
        // A worker that cannot be spawned is one fewer: the calling thread always works.
        let workers: Vec<_> = (1..jobs).filter_map(|_| std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(s, work).ok()).collect();
        let mut all = work();
        for w in workers {
            match w.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        for (i, o) in all {
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(o);
            }
        }
    });
    // Every index below the first usage error was taken before it, hence finished.
    slots.into_iter().map_while(|o| o).collect()
}

pub fn verify_npm_lock(args: Vec<String>) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        out(HELP);
        return ExitCode::SUCCESS;
    }
    let mut common = Common::default();
    let (mut lockfile, mut docs, mut require_attestations, mut jobs) = (None, None, false, None);
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let (flag, inline) = flag_value(&a);
        let mut value = |name: &str| -> Result<String, String> { inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value")) };
        let r = (|| -> Result<(), String> {
            if flag == "--keys" {
                return Err("verify-npm-lock reads DIR/keys.json; --keys is not used".into());
            }
            if common.take(&flag, &mut value)? {
                return Ok(());
            }
            match flag.as_str() {
                "--docs" => set(&mut docs, value(&flag)?, "--docs"),
                "--require-attestations" => {
                    require_attestations = true;
                    Ok(())
                }
                "--jobs" => {
                    let v = value(&flag)?;
                    let n = v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| format!("--jobs {v}: expected a number of at least 1"))?;
                    set(&mut jobs, n, "--jobs")
                }
                f if f.starts_with('-') && f.len() > 1 => Err(format!("unknown flag {f}")),
                _ => set(&mut lockfile, a.clone(), "package-lock.json"),
            }
        })();
        if let Err(m) = r {
            return usage(&m);
        }
    }
    let Some(lockfile) = lockfile else { return usage("a package-lock.json path is required") };
    let Some(docs) = docs.map(PathBuf::from) else { return usage("--docs DIR is required") };
    if !docs.is_dir() {
        return usage(&format!("--docs {}: not a directory", docs.display()));
    }
    let keys_path = docs.join("keys.json");
    if keys_path.exists() {
        common.keys = Some(keys_path.to_string_lossy().into_owned());
    }
    let options = match common.options() {
        Ok(o) => o,
        Err(code) => return code,
    };
    let texts = (|| -> Result<_, String> {
        let lock = read_doc(&lockfile)?;
        let keys = common.keys.as_deref().map(read_keys).transpose()?;
        if let Some(p) = &common.trust.trusted_root {
            read_root(p)?;
        }
        Ok((lock, keys))
    })();
    let (lock_bytes, keys) = match texts {
        Ok(t) => t,
        Err(m) => return usage(&m),
    };
    let setup = || -> Result<(lock::LockPackages, NpmVerifier), TrustFail> {
        let r = |e: Error| TrustFail::Report(e.report());
        let locked = lock::parse(doc_text(&lock_bytes, "package-lock.json").map_err(r)?).map_err(r)?;
        Ok((locked, common.verifier(keys.as_deref(), options)?))
    };
    let (locked, full) = match setup() {
        Ok(s) => s,
        Err(TrustFail::Report(e)) => return fail(&e, common.json),
        Err(TrustFail::Usage(m)) => return usage(&m),
    };
    // Without an attestations document, only the registry signature is required. (A clone: the
    // trusted keys' fixed-base tables are behind an Arc, shared with `full`.)
    let mut sig_only = full.clone();
    sig_only.options.require_provenance = false;
    sig_only.options.require_publish = false;

    let check = |p: &lock::LockedPackage| -> Outcome {
        let att = optional(&doc_path(&docs, &p.name, &p.version, "attestations"))?;
        let pack = optional(&doc_path(&docs, &p.name, &p.version, "packument"))?;
        let verify = || -> Result<NpmVerification, Error> {
            let pkg = Package::new(&p.name, &p.version, &p.integrity)?;
            if att.is_none() && require_attestations {
                return Err(Error::new(npm::Code::AttestationMissing, "no attestations document (--require-attestations)"));
            }
            let v = if att.is_some() { &full } else { &sig_only };
            let attestations = att.as_deref().map(|b| doc_text(b, "the attestations document")).transpose()?;
            let packument = pack.as_deref().map(|b| doc_text(b, "the packument")).transpose()?;
            v.verify(&pkg, Documents { attestations, packument })
        };
        Ok(verify())
    };
    let outcomes = check_all(&locked.packages, jobs.unwrap_or_else(default_jobs), &check);

    let (mut ok, mut attested, mut failed) = (0usize, 0usize, 0usize);
    let mut rows = Vec::new();
    // In lock order, as if checked one after another: the first unreadable document is a usage
    // error after the lines of the packages before it.
    for (p, outcome) in locked.packages.iter().zip(outcomes) {
        let id = format!("{}@{}", p.name, p.version);
        let outcome = match outcome {
            Ok(o) => o,
            Err(m) => return usage(&m),
        };
        match outcome {
            Ok(v) => {
                ok += 1;
                let what = match &v.provenance {
                    Some(pr) => {
                        attested += 1;
                        format!(
                            "provenance {} @ {} ({}), publish attestation{}",
                            pr.source_repository.as_deref().unwrap_or("-"),
                            short(pr.commit.as_deref().unwrap_or("-")),
                            pr.workflow.as_deref().unwrap_or("-"),
                            if v.registry_signatures.is_some() { ", registry signature" } else { "" }
                        )
                    }
                    None => "registry signature (no attestations)".into(),
                };
                if !common.json {
                    out(&format!("ok    {id}  {what}\n"));
                }
                rows.push(json!({ "name": p.name, "version": p.version, "verified": true, "result": v.to_json() }));
            }
            Err(e) => {
                failed += 1;
                if !common.json {
                    out(&format!("FAIL  {id}  {}: {}\n", e.code.as_str(), e.context));
                }
                let mut j = e.report().to_json();
                if let Value::Object(m) = &mut j {
                    m.insert("name".into(), json!(p.name));
                    m.insert("version".into(), json!(p.version));
                }
                rows.push(j);
            }
        }
    }
    let total = locked.packages.len();
    let skipped = locked.skipped.len();
    if common.json {
        let summary = json!({
            "packages": rows,
            "skipped": locked.skipped.iter().map(|s| json!({ "path": s.path, "reason": s.reason })).collect::<Vec<_>>(),
            "summary": { "packages": total, "verified": ok, "withProvenance": attested, "failed": failed, "skipped": skipped },
        });
        out_json(&summary);
    } else {
        out(&format!("{total} packages: {ok} verified ({attested} with provenance), {failed} failed; {skipped} lock entries skipped\n"));
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
