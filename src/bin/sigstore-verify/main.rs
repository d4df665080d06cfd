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
mod npm_cli;
