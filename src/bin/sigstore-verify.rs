//! `sigstore-verify`: verify Sigstore bundles from the command line, and npm packages'
//! attestations and registry signatures (`verify-npm`, `verify-npm-lock`).
//!
//! Exit status: 0 verified; 1 not verified (any reason that comes from the inputs, a malformed
//! bundle or trusted root included); 2 usage error (bad flags, unreadable file).

use std::process::ExitCode;

use sigstore_wasm::{Artifact, Bundle, Code, Config, Error, Matcher, Policy, TrustedRoot, Verifier};

const HELP: &str = "\
sigstore-verify: verify a Sigstore bundle offline against a trusted root

USAGE:
  sigstore-verify verify-bundle --bundle FILE
      (--certificate-identity ID | --certificate-identity-regexp RE)
      (--certificate-oidc-issuer URL | --certificate-oidc-issuer-regexp RE)
      [--trusted-root FILE] [--json] ARTIFACT
  sigstore-verify verify-bundle --bundle FILE --key PUBLIC_KEY.pem
      [--trusted-root FILE] [--json] ARTIFACT

ARTIFACT is a file path, or a digest: sha256:HEX, sha384:HEX or sha512:HEX.
(A pure Ed25519 message signature can only be checked against the file itself.)

OPTIONS:
  --bundle FILE                          the bundle (.sigstore.json), media types v0.1, v0.2, v0.3
  --certificate-identity ID              expected certificate SAN (email, URI or otherName), exact
  --certificate-identity-regexp RE       expected SAN, regular expression matching the whole value
  --certificate-oidc-issuer URL          expected OIDC issuer, exact
  --certificate-oidc-issuer-regexp RE    expected OIDC issuer, regular expression (whole value)
  --key FILE                             managed public key (PEM SubjectPublicKeyInfo: ECDSA
                                         P-256/P-384/P-521, Ed25519, RSA 2048-4096) instead of
                                         a certificate identity
  --trusted-root FILE                    trusted_root.json; default: the embedded Sigstore
                                         public-good production root
  --json                                 print the verification result as JSON on stdout
  -h, --help                             this text

EXIT STATUS:
  0  verified
  1  not verified; stderr has one line `error: <CODE>: <what failed and where>`
     (codes are documented in docs/errors.md)
  2  usage error: bad flags or an unreadable file
";

struct Args {
    bundle: String,
    identity: Option<(String, bool)>,
    issuer: Option<(String, bool)>,
    key: Option<String>,
    trusted_root: Option<String>,
    json: bool,
    artifact: String,
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\nrun `sigstore-verify --help` for usage");
    ExitCode::from(2)
}

fn parse_args(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut bundle = None;
    let mut identity = None;
    let mut issuer = None;
    let mut key = None;
    let mut trusted_root = None;
    let mut json = false;
    let mut artifact = None;
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> { inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value")) };
        match flag.as_str() {
            "--bundle" => set(&mut bundle, value("--bundle")?, "--bundle")?,
            "--certificate-identity" => set(&mut identity, (value(&flag)?, false), "--certificate-identity")?,
            "--certificate-identity-regexp" => set(&mut identity, (value(&flag)?, true), "--certificate-identity")?,
            "--certificate-oidc-issuer" => set(&mut issuer, (value(&flag)?, false), "--certificate-oidc-issuer")?,
            "--certificate-oidc-issuer-regexp" => set(&mut issuer, (value(&flag)?, true), "--certificate-oidc-issuer")?,
            "--key" => set(&mut key, value("--key")?, "--key")?,
            "--trusted-root" => set(&mut trusted_root, value("--trusted-root")?, "--trusted-root")?,
            "--json" => json = true,
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown flag {f}")),
            _ => set(&mut artifact, a, "ARTIFACT")?,
        }
    }
    let bundle = bundle.ok_or("--bundle is required")?;
    let artifact = artifact.ok_or("ARTIFACT (a path or sha256:HEX) is required")?;
    match (&key, &identity, &issuer) {
        (Some(_), None, None) | (None, Some(_), Some(_)) => {}
        (Some(_), _, _) => return Err("--key cannot be combined with certificate identity flags".into()),
        _ => return Err("give --certificate-identity[-regexp] and --certificate-oidc-issuer[-regexp], or --key".into()),
    }
    Ok(Args { bundle, identity, issuer, key, trusted_root, json, artifact })
}

fn set<T>(slot: &mut Option<T>, v: T, name: &str) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("{name} given more than once (or with its -regexp twin)"));
    }
    *slot = Some(v);
    Ok(())
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn read_text(path: &str) -> Result<String, String> {
    String::from_utf8(read(path)?).map_err(|_| format!("{path} is not UTF-8 text"))
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("error: {}: {}", e.code.as_str(), e.context);
    // A bad regular expression is a bad flag value.
    ExitCode::from(if e.code == Code::PolicyInvalid { 2 } else { 1 })
}

fn matcher(v: &(String, bool)) -> Result<Matcher, Error> {
    if v.1 { Matcher::regex(&v.0) } else { Ok(Matcher::exact(v.0.clone())) }
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1).peekable();
    match argv.peek().map(String::as_str) {
        None | Some("-h") | Some("--help") | Some("help") => {
            print!("{HELP}\n{}", npm_cli::HELP);
            return if argv.peek().is_none() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
        Some("verify-bundle") => {
            argv.next();
        }
        Some("verify-npm") => {
            argv.next();
            return npm_cli::verify_npm(argv.collect());
        }
        Some("verify-npm-lock") => {
            argv.next();
            return npm_cli::verify_npm_lock(argv.collect());
        }
        Some(other) => return usage(&format!("unknown command {other:?}")),
    }
    let rest: Vec<String> = argv.collect();
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(rest.into_iter()) {
        Ok(a) => a,
        Err(m) => return usage(&m),
    };

    // Read every file first: an unreadable file is a usage error (exit 2).
    let bundle_text = match read_text(&args.bundle) {
        Ok(t) => t,
        Err(m) => return usage(&m),
    };
    let root_text = match args.trusted_root.as_deref().map(read_text).transpose() {
        Ok(t) => t,
        Err(m) => return usage(&m),
    };
    let key_text = match args.key.as_deref().map(read_text).transpose() {
        Ok(t) => t,
        Err(m) => return usage(&m),
    };
    let is_digest = ["sha256:", "sha384:", "sha512:"].iter().any(|p| args.artifact.to_ascii_lowercase().starts_with(p));
    let artifact_bytes = if is_digest {
        None
    } else {
        match read(&args.artifact) {
            Ok(b) => Some(b),
            Err(m) => return usage(&m),
        }
    };

    let run = || -> Result<serde_json::Value, Error> {
        let policy = match (&key_text, &args.identity, &args.issuer) {
            (Some(pem), _, _) => Policy::key_pem(pem)?,
            (None, Some(id), Some(iss)) => Policy::identity(matcher(id)?, matcher(iss)?),
            _ => return Err(Error::new(Code::InputInvalid, "no policy")),
        };
        let artifact = match &artifact_bytes {
            Some(b) => Artifact::Bytes(b),
            None => Artifact::parse_digest(&args.artifact)?,
        };
        let root = match &root_text {
            Some(t) => TrustedRoot::from_json(t)?,
            None => TrustedRoot::production()?,
        };
        // One bundle per run: fixed-base tables would cost more to build than they save.
        let verifier = Verifier::new(root, Config { precompute_tables: false, ..Config::default() })?;
        let bundle = Bundle::from_json(&bundle_text)?;
        Ok(verifier.verify(&bundle, &artifact, &policy)?.to_json())
    };
    match run() {
        Ok(result) => {
            if args.json {
                println!("{}", serde_json::to_string_pretty(&result).unwrap_or_default());
            } else {
                eprintln!("verified");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if args.json {
                let out = serde_json::json!({ "verified": false, "error": { "code": e.code.as_str(), "step": e.step().as_str(), "message": e.context } });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            }
            fail(&e)
        }
    }
}

/// `verify-npm` and `verify-npm-lock`: npm attestations, registry keys and packuments read
/// from files (the offline form of `npm audit signatures`).
mod npm_cli {
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    use serde_json::{json, Value};
    use sigstore_wasm::crypto::HashAlg;
    use sigstore_wasm::npm::{self, lock, purl, Documents, IdentityRule, NpmVerification, NpmVerifier, Options, Package};
    use sigstore_wasm::{Code, Config, Error, Matcher, TrustedRoot, Verifier};

    use super::{read, read_text, set, usage};

    pub const HELP: &str = "\
npm packages (offline; fetch the documents first):

  sigstore-verify verify-npm NAME@VERSION --keys FILE [--attestations FILE]
      (--integrity sha512-BASE64 | --tarball FILE) [--packument FILE]
      [IDENTITY] [--trusted-root FILE] [--json]
  sigstore-verify verify-npm-lock package-lock.json --docs DIR
      [--require-attestations] [IDENTITY] [--trusted-root FILE] [--json]

verify-npm checks a package version's attestations as `npm audit signatures` does:
  * SLSA provenance (https://slsa.dev/provenance/v1 or v0.2): a Sigstore bundle signed with a
    Fulcio certificate of an accepted CI identity, logged in Rekor; its subject must be
    pkg:npm/NAME@VERSION (a scope's @ written %40) with the tarball's sha512;
  * the npm publish attestation: signed by the registry key it names, which must be in the
    keys document and not expired at the verified Rekor time; same subject;
  * with --packument, every registry signature in dist.signatures (ECDSA P-256 over
    NAME@VERSION:INTEGRITY) under an unexpired registry key.
It prints the source repository, commit, workflow, trigger, builder and Rekor entries.

  --keys FILE              the registry's keys document (GET /-/npm/v1/keys)
  --attestations FILE      GET /-/npm/v1/attestations/NAME@VERSION (both attestations are
                           then required); without it only the registry signature of
                           --packument is checked, and only if the packument lists no
                           attestations
  --integrity SRI          the tarball's integrity as the registry lists it (sha512-...)
  --tarball FILE           the tarball itself (its sha512 is computed) instead of --integrity
  --packument FILE         the packument (GET /NAME) or version document (GET /NAME/VERSION)
  --trusted-root FILE      trusted_root.json; default: the embedded Sigstore production root
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
  DIR/keys.json                                   the registry keys document (required)
  DIR/NAME@VERSION.attestations.json              attestations document
  DIR/NAME@VERSION.packument.json                 packument or version document
  (a scoped NAME @scope/pkg is written @scope%2fpkg, as in the registry's URLs)
A package passes when its attestations verify (and its packument's registry signatures, if
that file exists), or, without attestations, when its packument's registry signatures verify
and it lists no attestations. --require-attestations fails packages without attestations.
Links, workspaces, bundled and non-registry (git, file) dependencies are skipped. One line per
package, then a summary; exit 1 if any package fails.

Exit status: 0 verified, 1 not verified (`error: CODE: ...`), 2 usage error.
";

    /// Flags shared by both commands.
    #[derive(Default)]
    struct Common {
        keys: Option<String>,
        trusted_root: Option<String>,
        json: bool,
        repository: Option<String>,
        san_regexp: Option<String>,
        issuer: Option<(String, bool)>,
    }

    impl Common {
        /// Consume a shared flag; `Ok(false)` if `flag` is not one.
        fn take(&mut self, flag: &str, value: &mut dyn FnMut(&str) -> Result<String, String>) -> Result<bool, String> {
            match flag {
                "--keys" => set(&mut self.keys, value(flag)?, flag)?,
                "--trusted-root" => set(&mut self.trusted_root, value(flag)?, flag)?,
                "--json" => self.json = true,
                "--repository" => set(&mut self.repository, value(flag)?, flag)?,
                "--certificate-identity-regexp" => set(&mut self.san_regexp, value(flag)?, flag)?,
                "--certificate-oidc-issuer" => set(&mut self.issuer, (value(flag)?, false), "--certificate-oidc-issuer")?,
                "--certificate-oidc-issuer-regexp" => set(&mut self.issuer, (value(flag)?, true), "--certificate-oidc-issuer")?,
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn check(&self) -> Result<(), String> {
            if self.keys.is_none() {
                return Err("--keys is required".into());
            }
            if self.san_regexp.is_some() != self.issuer.is_some() {
                return Err("--certificate-identity-regexp and --certificate-oidc-issuer[-regexp] go together".into());
            }
            if self.repository.is_some() && self.san_regexp.is_some() {
                return Err("--repository cannot be combined with --certificate-identity-regexp".into());
            }
            Ok(())
        }

        fn rules(&self) -> Result<Vec<IdentityRule>, Error> {
            if let Some(r) = &self.repository {
                return Ok(vec![IdentityRule::github_repository(r)?]);
            }
            if let (Some(san), Some((iss, re))) = (&self.san_regexp, &self.issuer) {
                let issuer = if *re { Matcher::regex(iss)? } else { Matcher::exact(iss.clone()) };
                return Ok(vec![IdentityRule::new("custom", Matcher::regex(san)?, issuer)]);
            }
            npm::default_rules()
        }

        fn verifier(&self, keys_text: &str, root_text: Option<&str>) -> Result<NpmVerifier, Error> {
            let root = match root_text {
                Some(t) => TrustedRoot::from_json(t)?,
                None => TrustedRoot::production()?,
            };
            let options = Options { identities: self.rules()?, require_provenance: true, require_publish: true };
            NpmVerifier::new(Verifier::new(root, Config::default())?, keys_text, options)
        }
    }

    /// Split `--flag=value` and fetch a flag's value.
    fn flag_value(a: &str) -> (String, Option<String>) {
        match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.to_string(), None),
        }
    }

    fn exit_for(e: &Error) -> ExitCode {
        eprintln!("error: {}: {}", e.code.as_str(), e.context);
        ExitCode::from(if e.code == Code::PolicyInvalid { 2 } else { 1 })
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
            out += &format!("    source     {} @ {}{}\n", opt(&pr.source_repository), opt(&pr.commit), pr.source_ref.as_ref().map(|r| format!(" ({r})")).unwrap_or_default());
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
            print!("{HELP}");
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
        if let Err(m) = common.check() {
            return usage(&m);
        }
        let Some(spec) = spec else { return usage("NAME@VERSION is required") };
        let (name, version) = match purl::split_spec(&spec) {
            Ok(nv) => nv,
            Err(e) => return usage(&e.context),
        };
        if integrity.is_some() == tarball.is_some() {
            return usage("give exactly one of --integrity and --tarball");
        }
        let texts = (|| -> Result<_, String> {
            let keys = read_text(common.keys.as_deref().unwrap_or_default())?;
            let root = common.trusted_root.as_deref().map(read_text).transpose()?;
            let att = attestations.as_deref().map(read_text).transpose()?;
            let pack = packument.as_deref().map(read_text).transpose()?;
            let tar = tarball.as_deref().map(read).transpose()?;
            Ok((keys, root, att, pack, tar))
        })();
        let (keys, root, att, pack, tar) = match texts {
            Ok(t) => t,
            Err(m) => return usage(&m),
        };
        let run = || -> Result<NpmVerification, Error> {
            let pkg = match (&tar, &integrity) {
                (Some(bytes), _) => Package::from_sha512(name, version, HashAlg::Sha512.digest(bytes))?,
                (None, Some(i)) => Package::new(name, version, i)?,
                _ => return Err(Error::new(Code::InputInvalid, "no integrity")),
            };
            let v = common.verifier(&keys, root.as_deref())?;
            v.verify(&pkg, Documents { attestations: att.as_deref(), packument: pack.as_deref() })
        };
        match run() {
            Ok(v) => {
                if common.json {
                    println!("{}", serde_json::to_string_pretty(&v.to_json()).unwrap_or_default());
                } else {
                    print!("{}", report(&v));
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                if common.json {
                    println!("{}", serde_json::to_string_pretty(&npm::error_json(&e)).unwrap_or_default());
                }
                exit_for(&e)
            }
        }
    }

    /// `DIR/NAME@VERSION.KIND.json`, the scope's `/` written `%2f`.
    pub fn doc_path(dir: &Path, name: &str, version: &str, kind: &str) -> PathBuf {
        dir.join(format!("{}@{version}.{kind}.json", name.replace('/', "%2f")))
    }

    /// Read an optional document: absent is `None`, unreadable is a usage error.
    fn optional(path: &Path) -> Result<Option<String>, String> {
        if !path.exists() {
            return Ok(None);
        }
        read_text(&path.to_string_lossy()).map(Some)
    }

    pub fn verify_npm_lock(args: Vec<String>) -> ExitCode {
        if args.iter().any(|a| a == "-h" || a == "--help") {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        let mut common = Common::default();
        let (mut lockfile, mut docs, mut require_attestations) = (None, None, false);
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
        common.keys = Some(docs.join("keys.json").to_string_lossy().into_owned());
        if let Err(m) = common.check() {
            return usage(&m);
        }
        let texts = (|| -> Result<_, String> {
            let lock = read_text(&lockfile)?;
            let keys = read_text(common.keys.as_deref().unwrap_or_default())?;
            let root = common.trusted_root.as_deref().map(read_text).transpose()?;
            Ok((lock, keys, root))
        })();
        let (lock_text, keys, root) = match texts {
            Ok(t) => t,
            Err(m) => return usage(&m),
        };
        let setup = || -> Result<(lock::LockPackages, NpmVerifier), Error> { Ok((lock::parse(&lock_text)?, common.verifier(&keys, root.as_deref())?)) };
        let (locked, full) = match setup() {
            Ok(s) => s,
            Err(e) => return exit_for(&e),
        };
        // Without an attestations document, only the registry signature is required.
        let mut sig_only = full.clone();
        sig_only.options.require_provenance = false;
        sig_only.options.require_publish = false;

        let (mut ok, mut attested, mut failed) = (0usize, 0usize, 0usize);
        let mut rows = Vec::new();
        for p in &locked.packages {
            let id = format!("{}@{}", p.name, p.version);
            let outcome = (|| -> Result<Result<NpmVerification, Error>, String> {
                let att = optional(&doc_path(&docs, &p.name, &p.version, "attestations"))?;
                let pack = optional(&doc_path(&docs, &p.name, &p.version, "packument"))?;
                let verify = || -> Result<NpmVerification, Error> {
                    let pkg = Package::new(&p.name, &p.version, &p.integrity)?;
                    if att.is_none() && require_attestations {
                        return Err(Error::new(Code::NpmAttestationMissing, "no attestations document (--require-attestations)"));
                    }
                    let v = if att.is_some() { &full } else { &sig_only };
                    v.verify(&pkg, Documents { attestations: att.as_deref(), packument: pack.as_deref() })
                };
                Ok(verify())
            })();
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
                        println!("ok    {id}  {what}");
                    }
                    rows.push(json!({ "name": p.name, "version": p.version, "verified": true, "result": v.to_json() }));
                }
                Err(e) => {
                    failed += 1;
                    if !common.json {
                        println!("FAIL  {id}  {}: {}", e.code.as_str(), e.context);
                    }
                    let mut j = npm::error_json(&e);
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
            let out = json!({
                "packages": rows,
                "skipped": locked.skipped.iter().map(|s| json!({ "path": s.path, "reason": s.reason })).collect::<Vec<_>>(),
                "summary": { "packages": total, "verified": ok, "withProvenance": attested, "failed": failed, "skipped": skipped },
            });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        } else {
            println!("{total} packages: {ok} verified ({attested} with provenance), {failed} failed; {skipped} lock entries skipped");
        }
        if failed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}
